#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# device/qemu/apt-deb-src: the deb-src entries build-qemu adds come from the
# machine's own apt sources, in either format, and nothing else.
top=$(cd "$(dirname "$0")/../.." && pwd)
tool="python3 $top/device/qemu/apt-deb-src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# deb822, as Debian 12 installs it, with a mirror of the machine's own.
mkdir -p "$tmp/a/sources.list.d"
cat >"$tmp/a/sources.list.d/debian.sources" <<'S'
Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://other.example/debian
Suites: trixie
Components: main
S
out=$(APT_ETC=$tmp/a $tool sources bookworm)
want='Types: deb-src
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'
if [ "$out" = "$want" ]; then
	ok "deb822 deb entries become deb-src entries for the same archive"
else
	bad "deb822 deb entries become deb-src entries for the same archive:"
	echo "$out"
fi

# The one-line form, with options.
mkdir -p "$tmp/b/sources.list.d"
cat >"$tmp/b/sources.list" <<'S'
# a comment
deb [arch=amd64 signed-by=/k.gpg] http://proxy.example:3142/debian bookworm main
deb-src http://elsewhere.example/debian trixie main
S
out=$(APT_ETC=$tmp/b $tool sources bookworm)
case $out in
*"URIs: http://proxy.example:3142/debian"*"Suites: bookworm"*"Signed-By: /k.gpg"*)
	ok "one-line sources.list entries count, options included" ;;
*)	bad "one-line sources.list entries count, options included:"; echo "$out" ;;
esac
if APT_ETC=$tmp/b $tool check bookworm; then
	bad "a deb-src entry for another suite is not one for bookworm"
else
	ok "a deb-src entry for another suite is not one for bookworm"
fi
echo "deb-src http://proxy.example:3142/debian bookworm main" >>"$tmp/b/sources.list"
if APT_ETC=$tmp/b $tool check bookworm; then
	ok "an existing deb-src entry for bookworm is found"
else
	bad "an existing deb-src entry for bookworm is found"
fi

# Nothing configured: an error, and no archive guessed.
mkdir -p "$tmp/c/sources.list.d"
echo 'Types: deb
URIs: http://off.example/debian
Suites: bookworm
Components: main
Enabled: no' >"$tmp/c/sources.list.d/off.sources"
if out=$(APT_ETC=$tmp/c $tool sources bookworm 2>"$tmp/err"); then
	bad "no archive in the apt sources is an error, not a guessed host"
elif [ -n "$out" ] || ! grep -q "no deb entry for bookworm" "$tmp/err"; then
	bad "no archive in the apt sources is an error, not a guessed host"
	cat "$tmp/err"
else
	ok "no archive in the apt sources is an error, not a guessed host"
fi
exit $fail

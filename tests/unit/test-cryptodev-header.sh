#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# include/crypto/cryptodev.h builds as C and as C++ without a warning, and
# every name cryptodev-linux's header has is there with the same value
# (tests/unit/cryptodev-header-names.c), for 64-bit programs and, where a
# 32-bit libc is installed (gcc-multilib), for 32-bit ones.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$top/tests/unit/cryptodev-header-names.c
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags="-Wall -Wextra -Werror -I$top/include"
rc=0

try() {
	label=$1; shift
	if ! "$@" -o "$tmp/prog" 2>"$tmp/err"; then
		echo "not ok: $label does not build:"; cat "$tmp/err"; rc=1
		return
	fi
	if "$tmp/prog" >"$tmp/out"; then
		echo "ok: $label: $(tail -n 1 "$tmp/out")"
	else
		echo "not ok: $label:"; cat "$tmp/out"; rc=1
	fi
}

try "C11" ${CC:-gcc} -std=c11 $flags -x c "$src"
try "GNU C" ${CC:-gcc} $flags -x c "$src"
try "C++11" ${CXX:-g++} -std=c++11 $flags -x c++ "$src"
try "C++17" ${CXX:-g++} -std=c++17 $flags -x c++ "$src"
if echo 'int main(void){return 0;}' |
	${CC:-gcc} -m32 -x c - -o "$tmp/m32" 2>/dev/null; then
	try "C, -m32" ${CC:-gcc} -m32 $flags -x c "$src"
	# no 32-bit libstdc++ without g++-multilib: compiled, not run
	if ${CXX:-g++} -m32 $flags -x c++ -c "$src" -o "$tmp/prog.o" \
		2>"$tmp/err"; then
		echo "ok: C++, -m32: builds"
	else
		echo "not ok: C++, -m32 does not build:"; cat "$tmp/err"; rc=1
	fi
else
	echo "skip: no 32-bit C library (gcc-multilib)"
fi
exit $rc

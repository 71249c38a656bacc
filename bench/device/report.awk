# SPDX-License-Identifier: GPL-2.0-or-later
#
# The device benchmark's report (bench/device/run): reads the host's and
# the guest's INFO/NOTE/RESULT lines and writes the Markdown table.
#   RESULT label size procs ops_per_s MB_per_s
# Variables: date cpu host_kernel qemu seconds rounds sizes host_openssl load

$1 == "INFO" && $2 == "round" { round = $3; next }
$1 == "INFO" && $2 == "kernel" { guest_kernel = $3; next }
$1 == "INFO" && $2 == "cpu-aes" { guest_aes = $3; next }
$1 == "NOTE" { sub(/\r$/, ""); notes = notes "- " substr($0, 6) "\n"; next }
$1 == "RESULT" {
	k = $2 SUBSEP $3 SUBSEP $4
	n[k]++
	# MB/s from the operation rate: the printed MB/s has too few digits
	# at 64 B
	mb[k, n[k]] = $5 * $3 / 1e6
	# per round, for ratios of figures measured minutes apart at most
	at[k, round] = mb[k, n[k]]
	seen[$2] = 1
	next
}

function sorted(arr, k, cnt, v,   i, j, t) {
	for (i = 1; i <= cnt; i++) v[i] = arr[k, i]
	for (i = 2; i <= cnt; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
}
function med(arr, k, cnt,   v) {
	if (!cnt) return 0
	sorted(arr, k, cnt, v)
	return (cnt % 2) ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2
}
function lo(arr, k, cnt,   v) { sorted(arr, k, cnt, v); return v[1] }
function hi(arr, k, cnt,   v) { sorted(arr, k, cnt, v); return v[cnt] }
function key(l, s, p) { return l SUBSEP s SUBSEP p }
function median_of(l, s, p,   k) { k = key(l, s, p); return med(mb, k, n[k]) }
function num(x) { return (x >= 100) ? sprintf("%.0f", x) : (x >= 10) ? sprintf("%.1f", x) : (x >= 1) ? sprintf("%.2f", x) : sprintf("%.3f", x) }
# "median [min–max]", flagged when the spread is over 30 % of the median
function cell(l, s, p,   k, m, a, b, f) {
	k = key(l, s, p)
	if (!n[k]) return "—"
	m = med(mb, k, n[k]); a = lo(mb, k, n[k]); b = hi(mb, k, n[k])
	f = (m > 0 && (b - a) / m > 0.30) ? " ⚠" : ""
	if (f) flagged++
	return "**" num(m) "** [" num(a) "–" num(b) "]" f
}
function size_name(s) {
	return (s >= 1048576) ? s / 1048576 " MiB" : (s >= 1024) ? s / 1024 " KiB" : s " B"
}
# the faster guest software at this size and process count, by median
function soft(s, p) {
	return (median_of("openssl", s, p) >= median_of("nettle", s, p)) ? "openssl" : "nettle"
}
# ratio of medians, and the range of the per-round ratios
function ratio(a, pa, b, pb, s,   ma, mb2, r, lo_r, hi_r, i, x, y) {
	ma = median_of(a, s, pa); mb2 = median_of(b, s, pb)
	if (ma <= 0 || mb2 <= 0) return "—"
	lo_r = ""; hi_r = ""
	for (i = 1; i <= rounds; i++) {
		x = at[key(a, s, pa), i]; y = at[key(b, s, pb), i]
		if (x > 0 && y > 0) {
			r = x / y
			if (lo_r == "" || r < lo_r) lo_r = r
			if (hi_r == "" || r > hi_r) hi_r = r
		}
	}
	ratios[a, pa, b, pb, s] = ma / mb2
	return sprintf("%.2f", ma / mb2) ((lo_r != "" && b != "host") ? sprintf(" [%.2f–%.2f]", lo_r, hi_r) : "")
}
function verdict(v, t) {
	if (v == "") return "not measured"
	return (v >= t) ? sprintf("met (%.2f)", v) : sprintf("**missed** (%.2f, %.0f %% short)", v, (1 - v / t) * 100)
}

END {
	ns = split(sizes, sz, " ")
	has_async = ("async32" in seen)
	print "# Device benchmark: AES-128-CBC in the guest, QEMU " qemu ", guest kernel " guest_kernel "\n"
	print "Measured " date " by `make bench` (bench/device/run).\n"
	print "- host: " cpu ", Linux " host_kernel "; load average (1, 5, 15 min) " load
	print "- QEMU " qemu " (TCG), 2 vCPUs, guest kernel " guest_kernel \
	      ", guest CPU " (guest_aes == "yes" ? "with" : "**without**") " AES-NI"
	print "- " rounds " round" (rounds == 1 ? "" : "s") "; in each, every path runs " seconds " s per size and process count,"
	print "  the paths one after another, so a burst of host load hits every path"
	print "- sizes: " sizes " bytes; AES-128-CBC encryption, one request per buffer\n"
	print "Paths, all in the same guest boot:\n"
	print "- **ours**: `/dev/cryptodev0`, `CIOCCRYPT` (virtio-cryptodev; host nettle)"
	if (has_async)
		print "- **ours async**: `CIOCASYNCCRYPT`, 32 requests in flight per process"
	print "- **upstream**: AF_ALG bound to `virtio_crypto_aes_cbc` (QEMU's virtio-crypto-pci"
	print "  with cryptodev-backend-builtin); requests over 64 KiB go in 64 KiB pieces, since"
	print "  QEMU's virtqueue_pop() refuses the descriptors of a whole 256 KiB or 1 MiB"
	print "  request and stops the device (\"too many write descriptors in indirect table\")"
	print "- **guest AES-NI**: AF_ALG bound to `cbc-aes-aesni`, the guest kernel's AES-NI code"
	print "- **guest OpenSSL**: EVP `aes-128-cbc` in guest userspace"
	print "- **guest nettle**: nettle's `cbc_aes128_encrypt` in guest userspace"
	print "- **guest software**: the faster of guest OpenSSL and guest nettle at that size"
	print "- **host native**: `openssl speed -evp aes-128-cbc -bytes SIZE` on the host, one"
	print "  process, " rounds " rounds just before the boot (" host_openssl ")\n"
	print "The software peers chain the IV from one buffer to the next with no"
	print "per-request setup, as `openssl speed` does: their best case.  AF_ALG"
	print "copies the input into the kernel (sendmsg) and the output out (read)."
	print "Figures are MB/s (10^6 bytes): **median** [minimum–maximum] over the rounds;"
	print "⚠ marks a figure whose spread (max − min) exceeds 30 % of its median.\n"
	if (notes != "") print "Notes from the guest:\n\n" notes

	for (p = 1; p <= 2; p++) {
		print "## " p " process" (p > 1 ? "es" : "") ", MB/s\n"
		hdr = "| size | ours |"
		sep = "|---:|---:|"
		if (has_async) { hdr = hdr " ours async |"; sep = sep "---:|" }
		hdr = hdr " upstream | guest AES-NI | guest OpenSSL | guest nettle |"
		sep = sep "---:|---:|---:|---:|"
		if (p == 1) { hdr = hdr " host native |"; sep = sep "---:|" }
		print hdr; print sep
		for (i = 1; i <= ns; i++) {
			s = sz[i]
			line = "| " size_name(s) " | " cell("ours", s, p) " |"
			if (has_async) line = line " " cell("async32", s, p) " |"
			line = line " " cell("upstream", s, p) " | " cell("aesni", s, p) " | " \
			       cell("openssl", s, p) " | " cell("nettle", s, p) " |"
			if (p == 1) line = line " " cell("host", s, 1) " |"
			print line
		}
		print ""
	}

	print "## Per request, 1 process (µs, from the median rate)\n"
	print "| size | ours | upstream | guest AES-NI |" (has_async ? " ours async (per request) |" : "")
	print "|---:|---:|---:|---:|" (has_async ? "---:|" : "")
	for (i = 1; i <= ns; i++) {
		s = sz[i]
		line = "| " size_name(s) " |"
		split("ours upstream aesni" (has_async ? " async32" : ""), ls, " ")
		for (j = 1; j in ls; j++) {
			m = median_of(ls[j], s, 1)
			line = line " " ((m > 0) ? sprintf("%.1f", s / m) : "—") " |"
		}
		print line
	}
	print ""

	print "## Ratios, within this boot\n"
	print "Ratio of the medians, and in brackets the range of the ratios taken round by"
	print "round (each round measures both sides within a minute or so).\n"
	print "| size | ours / upstream, 1 p | ours / upstream, 2 p | ours / guest software, 1 p | ours / guest software, 2 p | ours / guest AES-NI, 1 p | ours / host native, 1 p | ours, 2 p / 1 p |" \
	      (has_async ? " async / sync, 1 p |" : "")
	print "|---:|---:|---:|---:|---:|---:|---:|---:|" (has_async ? "---:|" : "")
	for (i = 1; i <= ns; i++) {
		s = sz[i]
		line = "| " size_name(s) " | " ratio("ours", 1, "upstream", 1, s) " | " \
		       ratio("ours", 2, "upstream", 2, s) " | " \
		       ratio("ours", 1, soft(s, 1), 1, s) " (" soft(s, 1) ") | " \
		       ratio("ours", 2, soft(s, 2), 2, s) " (" soft(s, 2) ") | " \
		       ratio("ours", 1, "aesni", 1, s) " | " ratio("ours", 1, "host", 1, s) " | " \
		       ratio("ours", 2, "ours", 1, s) " |"
		if (has_async) line = line " " ratio("async32", 1, "ours", 1, s) " |"
		print line
	}
	print ""

	print "## Against the targets\n"
	print "| target | value | |"
	print "|---|---:|---|"
	for (i = 1; i <= ns; i++) {
		s = sz[i]
		if (s == 64 || s == 1024 || s == 4096)
			print "| ours / upstream ≥ 3× at " size_name(s) ", 1 process | " \
			      sprintf("%.2f", ratios["ours", 1, "upstream", 1, s]) " | " \
			      verdict(ratios["ours", 1, "upstream", 1, s], 3) " |"
	}
	for (i = 1; i <= ns; i++) {
		s = sz[i]
		if (s == 65536 || s == 1048576)
			print "| ours ≥ 2× guest software at " size_name(s) ", 1 process" \
			      (qemu ~ /^10\./ ? "" : " (set for QEMU 10.0)") " | " \
			      sprintf("%.2f", ratios["ours", 1, soft(s, 1), 1, s]) " | " \
			      verdict(ratios["ours", 1, soft(s, 1), 1, s], 2) " |"
	}
	if ((key("ours", 1048576, 1) in n) && (key("host", 1048576, 1) in n))
		print "| ours ≥ 50 % of host native at 1 MiB | " \
		      sprintf("%.0f %%", ratios["ours", 1, "host", 1, 1048576] * 100) " | " \
		      verdict(ratios["ours", 1, "host", 1, 1048576], 0.5) " |"
	if (has_async)
		print "| async, 32 in flight ≥ 4× sync at 64 B, 1 process | " \
		      sprintf("%.2f", ratios["async32", 1, "ours", 1, 64]) " | " \
		      verdict(ratios["async32", 1, "ours", 1, 64], 4) " |"
	else
		print "| async, 32 in flight ≥ 4× sync at 64 B | — | not measured: no bench-async in this build |"
	for (i = 1; i <= ns; i++) {
		s = sz[i]
		print "| ours, 2 processes ≥ 1.8× one at " size_name(s) " | " \
		      sprintf("%.2f", ratios["ours", 2, "ours", 1, s]) " | " \
		      verdict(ratios["ours", 2, "ours", 1, s], 1.8) " |"
	}
	print ""
	print flagged + 0 " figure(s) flagged ⚠ (spread over 30 %)."
	print ""
	print "Reading the figures: every path of a guest under TCG competes with whatever"
	print "else runs on the host, so with a load average above the host's CPU count"
	print "the spreads are wide and the medians low.  Upstream suffers most: QEMU's"
	print "virtio-crypto handles each request in a bottom half of the main loop, so"
	print "every request waits for that thread to be scheduled besides the vCPUs, and"
	print "on a busy host that wait, not the crypto, sets its rate; ours / upstream"
	print "then reads higher than on a quiet host.  Two processes share the guest's"
	print "two vCPUs with the QEMU threads serving them, so a busy host also hides"
	print "their scaling.  The host native row runs outside the guest and moves least."
}

# tests/bench/report.awk: the readable table of a bench CSV (awk -F, -f).
#
# Columns (hopbench -H): 1 section, 2 worker, 3 proto, 4 family, 5 kind,
# 6 window, 7 rep, 8 status, 9 sent, 10 good, 11 wrong, 12 noreply,
# 13 errors, 14 unanswered, 15 dups, 16 elapsed_s, 17 pps,
# 18 cpu_us_per_probe, 19 cpu_phase_us_per_probe, 20 maxrss_kb,
# 21 rtt_med_us, 22 rtt_p99_us, 23 value, 24 note.
#
# Repetitions are folded into their median; losses are summed; a status
# other than ok is counted and shown.  Ratios are hopprobe / mtr-packet and
# hopprobe / ceiling; "n/a" where a figure is missing.  The last part checks
# the figures against the targets of issue 5.

function med(key,    n, i, j, t, a) {
	n = cnt[key]
	if (n == 0)
		return -1
	for (i = 1; i <= n; i++)
		a[i] = vals[key, i]
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function add(key, v) {
	if (v == "")
		return
	cnt[key]++
	vals[key, cnt[key]] = v + 0
}

function ratio(a, b) {
	if (a < 0 || b <= 0)
		return "n/a"
	return sprintf("%.2fx", a / b)
}

function num(v, d) {
	if (v < 0)
		return "n/a"
	return sprintf("%." d "f", v)
}

function remember(list, k) {
	if (!((list, k) in seen)) {
		seen[list, k] = 1
		order[list, ++norder[list]] = k
	}
}

# ok: 1 met, 0 missed, -1 not measured in this run.
function verdict(ok, what, detail) {
	printf "  %-4s %s%s\n", (ok > 0 ? "met" : (ok < 0 ? "n/a" : "MISS")), what,
		(detail == "" ? "" : ": " detail)
	if (ok == 0)
		misses++
}

function tri(measured, ok) {
	return measured ? (ok ? 1 : 0) : -1
}

NR == 1 && $1 == "section" { next }
NF < 24 { next }
{
	sec = $1; w = $2
	c = $3 SUBSEP $4 SUBSEP $5 SUBSEP $6
	remember(sec, c)
	k = sec SUBSEP w SUBSEP c
	runs[k]++
	if ($8 != "ok") {
		bad[k]++
		badname[k] = $8
	}
	add(k SUBSEP "pps", $17)
	add(k SUBSEP "cpu", $18)
	add(k SUBSEP "rss", $20)
	add(k SUBSEP "rttm", $21)
	add(k SUBSEP "rttp", $22)
	add(k SUBSEP "value", $23)
	lost[k] += $12 + $14 + $11
	errs[k] += $13
	sent[k] += $9
	good[k] += $10
	note[k] = $24
	if ($20 != "" && $20 + 0 > peak[sec, w])
		peak[sec, w] = $20 + 0
	if ($2 == "hopprobe" || $2 == "mtr-packet" || $2 == "ceiling" || $2 == "ping")
		hasw[$2] = 1
}

function fig(sec, w, c, what) {
	return med(sec SUBSEP w SUBSEP c SUBSEP what)
}

function statusof(sec, w, c,    k, s) {
	k = sec SUBSEP w SUBSEP c
	if (!(k in runs))
		return ""
	s = ""
	if (bad[k])
		s = badname[k] "(" bad[k] "/" runs[k] ")"
	if (errs[k])
		s = s (s == "" ? "" : " ") "err " errs[k]
	return s
}

function lostof(sec, w, c,    k) {
	k = sec SUBSEP w SUBSEP c
	return (k in runs) ? lost[k] : "n/a"
}

# Probes held of those sent; a worker that died held none of them.
function heldof(k) {
	if (!(k in runs))
		return "n/a"
	if (bad[k])
		return "none of " sent[k]
	return good[k] "/" sent[k]
}

function split_case(c) {
	split(c, cp, SUBSEP)
}

END {
	H = "hopprobe"; M = "mtr-packet"; C = "ceiling"

	# ---- throughput ------------------------------------------------------
	print "Throughput: expected replies per second at a steady window (median of the"
	print "repetitions), worker CPU per probe (wait4 user+sys, us), lost = no-reply,"
	print "wrong or unanswered where a reply was due (sum over repetitions)."
	print ""
	printf "%-4s %-2s %-5s %6s | %9s %9s %9s | %7s %7s | %6s %6s %6s | %5s %5s | %s\n",
		"prot", "v", "kind", "window", "hopprobe", "mtr-pkt", "ceiling",
		"hop/mtr", "hop/ceil", "cpuHop", "cpuMtr", "ratio", "lostH", "lostM", "notes"
	for (i = 1; i <= norder["throughput"]; i++) {
		c = order["throughput", i]
		split_case(c)
		ph = fig("throughput", H, c, "pps")
		pm = fig("throughput", M, c, "pps")
		pc = fig("throughput", C, c, "pps")
		ch = fig("throughput", H, c, "cpu")
		cm = fig("throughput", M, c, "cpu")
		n = ""
		s = statusof("throughput", H, c); if (s != "") n = n "hop: " s " "
		s = statusof("throughput", M, c); if (s != "") n = n "mtr: " s " "
		s = statusof("throughput", C, c); if (s != "") n = n "ceil: " s " "
		printf "%-4s %-2s %-5s %6s | %9s %9s %9s | %7s %7s | %6s %6s %6s | %5s %5s | %s\n",
			cp[1], cp[2], cp[3], cp[4], num(ph, 0), num(pm, 0), num(pc, 0),
			ratio(ph, pm), ratio(ph, pc), num(ch, 2), num(cm, 2), ratio(ch, cm),
			lostof("throughput", H, c), lostof("throughput", M, c), n
	}
	printf "\nPeak RSS over the throughput runs: hopprobe %s kB, mtr-packet %s kB (ratio %s)\n",
		peak["throughput", H] + 0, peak["throughput", M] + 0,
		ratio(peak["throughput", H] + 0, peak["throughput", M] + 0)

	# ---- bursts and background -------------------------------------------
	for (pass = 1; pass <= 2; pass++) {
		sec = pass == 1 ? "burst" : "background"
		if (!norder[sec])
			continue
		if (pass == 1)
			print "\nBursts: all commands written at once (lost = no-reply, wrong or unanswered)"
		else
			print "\nWith 10000 probes outstanding to the black hole in the background (window 100)"
		printf "%-4s %-2s %-5s %7s | %-10s %8s %8s %6s %7s %9s | %s\n", "prot", "v", "kind",
			"window", "worker", "sent", "good", "lost", "errors", "pps", "status"
		for (i = 1; i <= norder[sec]; i++) {
			c = order[sec, i]
			split_case(c)
			for (j = 1; j <= 2; j++) {
				w = j == 1 ? H : M
				k = sec SUBSEP w SUBSEP c
				if (!(k in runs))
					continue
				printf "%-4s %-2s %-5s %7s | %-10s %8d %8d %6d %7d %9s | %s\n",
					cp[1], cp[2], cp[3], cp[4], w, sent[k], good[k], lost[k],
					errs[k], num(fig(sec, w, c, "pps"), 0),
					(bad[k] ? badname[k] : "ok") "; " note[k]
			}
		}
	}

	# ---- start-up ---------------------------------------------------------
	c = "" SUBSEP "" SUBSEP "" SUBSEP ""
	sh = fig("startup", H, c, "value")
	sm = fig("startup", M, c, "value")
	print "\nStart-up: exec until the answer to `check-support feature version` (median ms)"
	printf "  hopprobe %s ms, mtr-packet %s ms, ratio %s\n", num(sh, 3), num(sm, 3), ratio(sh, sm)

	# ---- round-trip times -------------------------------------------------
	print "\nRound-trip time at window 1, one probe a millisecond (us; median / p99)"
	printf "%-5s %-2s | %13s | %13s %9s | %13s %9s\n", "path", "v", "ping",
		"hopprobe", "hop-ping", "mtr-packet", "mtr-ping"
	for (i = 1; i <= norder["rtt"]; i++) {
		c = order["rtt", i]
		split_case(c)
		pm_ = fig("rtt", "ping", c, "rttm"); pp_ = fig("rtt", "ping", c, "rttp")
		hm_ = fig("rtt", H, c, "rttm"); hp_ = fig("rtt", H, c, "rttp")
		mm_ = fig("rtt", M, c, "rttm"); mp_ = fig("rtt", M, c, "rttp")
		printf "%-5s %-2s | %6s / %4s | %6s / %4s %+9s | %6s / %4s %+9s\n",
			cp[3], cp[2], num(pm_, 0), num(pp_, 0), num(hm_, 0), num(hp_, 0),
			(hm_ >= 0 && pm_ >= 0) ? sprintf("%+d", hm_ - pm_) : "n/a",
			num(mm_, 0), num(mp_, 0),
			(mm_ >= 0 && pm_ >= 0) ? sprintf("%+d", mm_ - pm_) : "n/a"
		rtt_diff[c] = (hm_ >= 0 && pm_ >= 0) ? hm_ - pm_ : "n/a"
	}

	# ---- memory -----------------------------------------------------------
	print "\nMemory per probe in flight (probes to the black hole, all written at once)"
	printf "%-4s %6s | %10s %10s %7s | %s\n", "prot", "count", "hop B/pr", "mtr B/pr",
		"ratio", "held / status"
	for (i = 1; i <= norder["hold"]; i++) {
		c = order["hold", i]
		split_case(c)
		bh = fig("hold", H, c, "value")
		bm = fig("hold", M, c, "value")
		kh = "hold" SUBSEP H SUBSEP c
		km = "hold" SUBSEP M SUBSEP c
		printf "%-4s %6s | %10s %10s %7s | hop %s %s; mtr %s %s\n", cp[1], cp[4],
			num(bh, 0), num(bm, 0), ratio(bh, bm),
			heldof(kh), (kh in runs) ? statusof("hold", H, c) : "",
			heldof(km), (km in runs) ? statusof("hold", M, c) : ""
		held[c, H] = (kh in runs) ? good[kh] : 0
		heldsent[c, H] = (kh in runs) ? sent[kh] : 0
	}

	# ---- instructions and system calls ------------------------------------
	print "\nInstructions per probe (callgrind, window 100, start-up subtracted)"
	for (i = 1; i <= norder["callgrind"]; i++) {
		c = order["callgrind", i]
		split_case(c)
		ih = fig("callgrind", H, c, "value")
		im = fig("callgrind", M, c, "value")
		printf "  %-4s v%s %-5s: hopprobe %s, mtr-packet %s, ratio %s\n", cp[1], cp[2],
			cp[3], num(ih, 0), num(im, 0), ratio(ih, im)
	}
	print "\nSystem calls per probe (strace -c -f, icmp ipv4 to the lab target, start-up subtracted)"
	for (i = 1; i <= norder["strace"]; i++) {
		c = order["strace", i]
		split_case(c)
		yh = fig("strace", H, c, "value")
		ym = fig("strace", M, c, "value")
		printf "  window %5s: hopprobe %s, mtr-packet %s, ratio %s\n", cp[4],
			num(yh, 2), num(ym, 2), ratio(yh, ym)
		k = "strace" SUBSEP H SUBSEP c
		if (k in runs)
			printf "    hopprobe: %s\n", note[k]
		k = "strace" SUBSEP M SUBSEP c
		if (k in runs)
			printf "    mtr-packet: %s\n", note[k]
		sys_h[cp[4]] = yh
	}

	# ---- targets ----------------------------------------------------------
	print "\nTargets of issue 5 (this run):"
	misses = 0
	n2 = 0; f2 = 0; n75 = 0; f75 = 0; minm = -1; minc = -1; w1n = 0; w1f = 0
	lostall = 0; flatn = 0; flatf = 0; worstflat = -1
	for (i = 1; i <= norder["throughput"]; i++) {
		c = order["throughput", i]
		split_case(c)
		ph = fig("throughput", H, c, "pps")
		pm = fig("throughput", M, c, "pps")
		pc = fig("throughput", C, c, "pps")
		lostall += lostof("throughput", H, c)
		if (cp[3] != "loop" && cp[4] + 0 >= 100) {
			if (pm > 0) {
				n2++
				if (ph < 2 * pm) f2++
				if (minm < 0 || ph / pm < minm) minm = ph / pm
			}
			if (pc > 0) {
				n75++
				if (ph < 0.75 * pc) f75++
				if (minc < 0 || ph / pc < minc) minc = ph / pc
			}
		}
		if (cp[4] + 0 == 1 && pm > 0) {
			w1n++
			if (ph <= pm) w1f++
		}
		if (cp[4] + 0 == 10000) {
			c10 = cp[1] SUBSEP cp[2] SUBSEP cp[3] SUBSEP "10"
			a = fig("throughput", H, c, "cpu")
			b = fig("throughput", H, c10, "cpu")
			if (a > 0 && b > 0) {
				flatn++
				if (a > 1.25 * b) flatf++
				if (a / b > worstflat) worstflat = a / b
			}
		}
	}
	verdict(tri(n2 > 0, f2 == 0), "throughput >= 2x mtr-packet at windows >= 100 (lab)",
		sprintf("%d of %d cells below; lowest ratio %s", f2, n2, minm < 0 ? "n/a" : sprintf("%.2fx", minm)))
	verdict(tri(n75 > 0, f75 == 0), "throughput >= 75% of the ceiling at windows >= 100 (lab)",
		sprintf("%d of %d cells below; lowest ratio %s", f75, n75, minc < 0 ? "n/a" : sprintf("%.2fx", minc)))
	verdict(tri(w1n > 0, w1f == 0), "window 1 ahead of mtr-packet",
		sprintf("%d of %d cells behind", w1f, w1n))
	bl = 0
	for (i = 1; i <= norder["burst"]; i++)
		bl += lostof("burst", H, order["burst", i])
	for (i = 1; i <= norder["background"]; i++)
		bl += lostof("background", H, order["background", i])
	verdict(lostall + bl == 0, "zero lost replies (matrix, bursts, background)",
		sprintf("%d lost in the matrix, %d in bursts and background", lostall, bl))
	cap = 0; capn = 0
	for (i = 1; i <= norder["hold"]; i++) {
		c = order["hold", i]
		split_case(c)
		if (cp[4] + 0 >= 65536 && heldsent[c, H] > 0) {
			capn++
			if (held[c, H] >= 65536)
				cap++
		}
	}
	verdict(tri(capn > 0, cap == capn), "65536 probes in flight in one worker",
		sprintf("%d of %d case(s) held all", cap, capn))
	worstb = -1
	for (i = 1; i <= norder["hold"]; i++) {
		b = fig("hold", H, order["hold", i], "value")
		if (b > worstb) worstb = b
	}
	verdict(tri(worstb >= 0, worstb <= 256), "<= 256 bytes per probe in flight",
		sprintf("worst %s B", num(worstb, 0)))
	verdict(tri(flatn > 0, flatf == 0), "CPU per probe at window 10000 within 1.25x of window 10",
		sprintf("worst %s", worstflat < 0 ? "n/a" : sprintf("%.2fx", worstflat)))
	worsts = -1
	for (wk in sys_h)
		if (wk + 0 >= 100 && sys_h[wk] > worsts)
			worsts = sys_h[wk]
	verdict(tri(worsts >= 0, worsts <= 2), "<= 2 system calls per probe at windows >= 100",
		sprintf("worst %s", num(worsts, 2)))
	worstr = "n/a"; okr = 1; nr = 0
	for (c in rtt_diff) {
		if (rtt_diff[c] == "n/a") continue
		nr++
		d = rtt_diff[c] < 0 ? -rtt_diff[c] : rtt_diff[c]
		if (d > 2) okr = 0
		if (worstr == "n/a" || d > worstr) worstr = d
	}
	verdict(tri(nr > 0, okr), "RTT median within 2 us of ping", "largest difference " worstr " us")
	verdict(tri(sh >= 0 && sm >= 0, sh <= sm), "start-up no slower than mtr-packet",
		sprintf("%s vs %s ms", num(sh, 3), num(sm, 3)))
	printf "  (%d target(s) missed; idle CPU after EOF is checked by the network tests)\n", misses
}

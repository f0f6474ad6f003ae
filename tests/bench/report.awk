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
# the figures against the targets the bench was written for (hopprobe(8)).

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

# "min / median / max" of the figures added under key, or n/a.
function spread(key,    n, i, lo, hi) {
	n = cnt[key]
	if (n == 0)
		return "n/a (no cells)"
	lo = hi = vals[key, 1]
	for (i = 2; i <= n; i++) {
		if (vals[key, i] < lo) lo = vals[key, i]
		if (vals[key, i] > hi) hi = vals[key, i]
	}
	return sprintf("%.2fx / %.2fx / %.2fx over %d cells", lo, med(key), hi, n)
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
	# The peers part compares runs over a whole list: first request to
	# last answer for the workers, exec to exit for fping and scamper.
	if (sec == "peers" && $16 + 0 > 0)
		add(k SUBSEP "rate", $10 / $16)
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
	print "repetitions); CPU per probe in us: the worker's (wait4 user+sys over its"
	print "life) and the ceiling's (getrusage over its probe phase); lost = no-reply,"
	print "wrong or unanswered where a reply was due (sum over repetitions)."
	print ""
	printf "%-4s %-2s %-5s %6s | %9s %9s %9s | %7s %7s | %6s %6s %7s | %7s %8s | %5s %5s | %s\n",
		"prot", "v", "kind", "window", "hopprobe", "mtr-pkt", "ceiling",
		"hop/mtr", "hop/ceil", "cpuHop", "cpuMtr", "cpuCeil", "cpu h/m", "cpu h/c",
		"lostH", "lostM", "notes"
	for (i = 1; i <= norder["throughput"]; i++) {
		c = order["throughput", i]
		split_case(c)
		ph = fig("throughput", H, c, "pps")
		pm = fig("throughput", M, c, "pps")
		pc = fig("throughput", C, c, "pps")
		ch = fig("throughput", H, c, "cpu")
		cm = fig("throughput", M, c, "cpu")
		cc = fig("throughput", C, c, "cpu")
		if (cp[4] + 0 >= 100) {
			g = cp[3] == "loop" ? "loop" : "lab"
			if (ph >= 0 && pc > 0) {
				add("sum" SUBSEP g SUBSEP "pps", ph / pc)
				add("sum" SUBSEP "all" SUBSEP "pps", ph / pc)
			}
			if (ch >= 0 && cc > 0) {
				add("sum" SUBSEP g SUBSEP "cpu", ch / cc)
				add("sum" SUBSEP "all" SUBSEP "cpu", ch / cc)
			}
		}
		n = ""
		s = statusof("throughput", H, c); if (s != "") n = n "hop: " s " "
		s = statusof("throughput", M, c); if (s != "") n = n "mtr: " s " "
		s = statusof("throughput", C, c); if (s != "") n = n "ceil: " s " "
		printf "%-4s %-2s %-5s %6s | %9s %9s %9s | %7s %7s | %6s %6s %7s | %7s %8s | %5s %5s | %s\n",
			cp[1], cp[2], cp[3], cp[4], num(ph, 0), num(pm, 0), num(pc, 0),
			ratio(ph, pm), ratio(ph, pc), num(ch, 2), num(cm, 2), num(cc, 2),
			ratio(ch, cm), ratio(ch, cc),
			lostof("throughput", H, c), lostof("throughput", M, c), n
	}
	print "\nAgainst the ceiling at windows >= 100 (min / median / max of the cells):"
	for (j = 1; j <= 3; j++) {
		g = j == 1 ? "lab" : (j == 2 ? "loop" : "all")
		printf "  %-4s throughput hop/ceil %s\n", g, spread("sum" SUBSEP g SUBSEP "pps")
		printf "  %-4s CPU/probe  hop/ceil %s\n", g, spread("sum" SUBSEP g SUBSEP "cpu")
	}

	# ---- CPU per probe across windows -------------------------------------
	print "\nhopprobe CPU per probe (us) across windows; flatness = max / min over"
	print "windows 10 to 10000"
	nwin = 0
	for (i = 1; i <= norder["throughput"]; i++) {
		split_case(order["throughput", i])
		if (!((cp[4] + 0) in winseen)) {
			winseen[cp[4] + 0] = 1
			wins[++nwin] = cp[4] + 0
		}
		cs = cp[1] SUBSEP cp[2] SUBSEP cp[3]
		if (!(cs in caseseen)) {
			caseseen[cs] = 1
			cases[++ncases] = cs
		}
	}
	for (i = 2; i <= nwin; i++) {
		t = wins[i]
		for (j = i - 1; j >= 1 && wins[j] > t; j--)
			wins[j + 1] = wins[j]
		wins[j + 1] = t
	}
	printf "%-4s %-2s %-5s |", "prot", "v", "kind"
	for (j = 1; j <= nwin; j++)
		printf " %7s", "w" wins[j]
	printf " | %s\n", "flatness"
	flatn = 0; worstflat = -1
	for (i = 1; i <= ncases; i++) {
		split(cases[i], cp, SUBSEP)
		printf "%-4s %-2s %-5s |", cp[1], cp[2], cp[3]
		lo = -1; hi = -1; nf = 0
		for (j = 1; j <= nwin; j++) {
			v = fig("throughput", H, cases[i] SUBSEP wins[j], "cpu")
			printf " %7s", num(v, 2)
			if (v > 0 && wins[j] >= 10 && wins[j] <= 10000) {
				nf++
				if (lo < 0 || v < lo) lo = v
				if (v > hi) hi = v
			}
		}
		if (nf >= 2) {
			printf " | %.2fx\n", hi / lo
			flatn++
			if (hi / lo > worstflat) worstflat = hi / lo
		} else {
			printf " | n/a\n"
		}
	}
	printf "\nPeak RSS over the throughput runs: hopprobe %s kB, mtr-packet %s kB (ratio %s)\n",
		peak["throughput", H] + 0, peak["throughput", M] + 0,
		ratio(peak["throughput", H] + 0, peak["throughput", M] + 0)

	# ---- peers --------------------------------------------------------------
	if (norder["peers"]) {
		print "\nPeers: one ICMP echo per address of the same list (count below), the"
		print "workers at the window given; probes answered per second (hopprobe and"
		print "mtr-packet: first request to last answer; fping and scamper: exec to"
		print "exit) and CPU per probe in us (user+sys over the process's life),"
		print "median of the repetitions.  scamper takes -p 10000 at most: its rate"
		print "is capped there."
		printf "%-5s %-2s %6s %6s | %-19s | %-19s | %-19s | %-19s | %s\n", "path", "v",
			"count", "window", "hopprobe  pps / cpu", "mtr-pkt   pps / cpu",
			"fping     pps / cpu", "scamper   pps / cpu", "lost h/m/f/s"
		for (i = 1; i <= norder["peers"]; i++) {
			c = order["peers", i]
			split_case(c)
			printf "%-5s %-2s", cp[3], cp[2]
			cntp = ""
			for (j = 1; j <= 4; j++) {
				w = j == 1 ? H : (j == 2 ? M : (j == 3 ? "fping" : "scamper"))
				k = "peers" SUBSEP w SUBSEP c
				if (k in runs && cntp == "")
					cntp = int(sent[k] / runs[k])
			}
			printf " %6s %6s", cntp, cp[4]
			lostp = ""
			for (j = 1; j <= 4; j++) {
				w = j == 1 ? H : (j == 2 ? M : (j == 3 ? "fping" : "scamper"))
				k = "peers" SUBSEP w SUBSEP c
				s = statusof("peers", w, c)
				printf " | %9s / %7s", num(fig("peers", w, c, "rate"), 0),
					num(fig("peers", w, c, "cpu"), 2)
				lostp = lostp (j > 1 ? "/" : "") lostof("peers", w, c) \
					(s != "" ? "(" s ")" : "")
			}
			printf " | %s\n", lostp
		}
		for (i = 1; i <= norder["peers"]; i++) {
			c = order["peers", i]
			split_case(c)
			ph = fig("peers", H, c, "rate"); chh = fig("peers", H, c, "cpu")
			printf "  %-5s v%s hopprobe vs fping: rate %s, cpu %s; vs scamper: rate %s, cpu %s\n",
				cp[3], cp[2],
				ratio(ph, fig("peers", "fping", c, "rate")),
				ratio(chh, fig("peers", "fping", c, "cpu")),
				ratio(ph, fig("peers", "scamper", c, "rate")),
				ratio(chh, fig("peers", "scamper", c, "cpu"))
		}
	}

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
	nh = ("startup" SUBSEP H SUBSEP c) in runs ? sent["startup" SUBSEP H SUBSEP c] : 0
	nm = ("startup" SUBSEP M SUBSEP c) in runs ? sent["startup" SUBSEP M SUBSEP c] : 0
	print "\nStart-up: exec until the answer to `check-support feature version` (median ms)"
	printf "  hopprobe %s ms (%d starts), mtr-packet %s ms (%d starts), hopprobe/mtr-packet %s\n",
		num(sh, 3), nh, num(sm, 3), nm, ratio(sh, sm)

	# ---- round-trip times -------------------------------------------------
	print "\nRound-trip time at window 1, one ICMP echo a millisecond (us; median / p99;"
	print "differences median / p99; ping's time= has 1 us resolution).  kernel: the"
	print "ceiling at the same pace, asleep between probes as the workers are (ping"
	print "spins between probes, so its CPU never wakes from idle)"
	printf "%-5s %-2s %5s | %11s | %11s | %11s %11s %11s | %11s %11s\n", "path", "v", "count",
		"ping", "kernel", "hopprobe", "hop-ping", "hop-kernel", "mtr-packet", "mtr-ping"
	for (i = 1; i <= norder["rtt"]; i++) {
		c = order["rtt", i]
		split_case(c)
		pm_ = fig("rtt", "ping", c, "rttm"); pp_ = fig("rtt", "ping", c, "rttp")
		km_ = fig("rtt", C, c, "rttm"); kp_ = fig("rtt", C, c, "rttp")
		hm_ = fig("rtt", H, c, "rttm"); hp_ = fig("rtt", H, c, "rttp")
		mm_ = fig("rtt", M, c, "rttm"); mp_ = fig("rtt", M, c, "rttp")
		kp = "rtt" SUBSEP "ping" SUBSEP c
		printf "%-5s %-2s %5s | %4s / %4s | %4s / %4s | %4s / %4s %11s %11s | %4s / %4s %11s\n",
			cp[3], cp[2], (kp in runs) ? sent[kp] : "n/a",
			num(pm_, 0), num(pp_, 0), num(km_, 0), num(kp_, 0),
			num(hm_, 0), num(hp_, 0),
			(hm_ >= 0 && pm_ >= 0) ? sprintf("%+d / %+d", hm_ - pm_, hp_ - pp_) : "n/a",
			(hm_ >= 0 && km_ >= 0) ? sprintf("%+d / %+d", hm_ - km_, hp_ - kp_) : "n/a",
			num(mm_, 0), num(mp_, 0),
			(mm_ >= 0 && pm_ >= 0) ? sprintf("%+d / %+d", mm_ - pm_, mp_ - pp_) : "n/a"
		rtt_diff[c] = (hm_ >= 0 && pm_ >= 0) ? hm_ - pm_ : "n/a"
		rtt_pdiff[c] = (hp_ >= 0 && pp_ >= 0) ? hp_ - pp_ : "n/a"
		rtt_kdiff[c] = (hm_ >= 0 && km_ >= 0) ? hm_ - km_ : "n/a"
		rtt_kpdiff[c] = (hp_ >= 0 && kp_ >= 0) ? hp_ - kp_ : "n/a"
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

	# ---- set-rate -----------------------------------------------------------
	if (norder["rate"] > 0) {
		print "\nset-rate (hopprobe; probes written at once to 127.0.0.1, released at the rate)"
		printf "%8s %7s | %8s %7s %9s | %s\n", "asked", "probes", "granted",
			"answers/s", "CPU us/pr", "wait in the worker / status"
	}
	for (i = 1; i <= norder["rate"]; i++) {
		c = order["rate", i]
		split_case(c)
		kr = "rate" SUBSEP H SUBSEP c
		wn = note[kr]
		sub(/^.*wait in worker /, "", wn)
		printf "%8s %7s | %8s %7s %9s | %s %s\n", cp[4],
			(kr in runs) ? sent[kr] : "n/a",
			num(fig("rate", H, c, "value"), 0),
			num(fig("rate", H, c, "pps"), 0),
			num(fig("rate", H, c, "cpu"), 2),
			(kr in runs) ? wn : "n/a", statusof("rate", H, c)
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
	print "\nTargets (this run):"
	misses = 0
	n2 = 0; f2 = 0; n75 = 0; f75 = 0; minm = -1; minc = -1; w1n = 0; w1f = 0
	lostall = 0; ncpu = 0; fcpu = 0; maxcpu = -1
	for (i = 1; i <= norder["throughput"]; i++) {
		c = order["throughput", i]
		split_case(c)
		ph = fig("throughput", H, c, "pps")
		pm = fig("throughput", M, c, "pps")
		pc = fig("throughput", C, c, "pps")
		lostall += lostof("throughput", H, c)
		if (cp[3] != "loop" && cp[4] + 0 >= 100 && pm > 0) {
			n2++
			if (ph < 2 * pm) f2++
			if (minm < 0 || ph / pm < minm) minm = ph / pm
		}
		if (cp[4] + 0 >= 100 && pc > 0) {
			n75++
			if (ph < 0.75 * pc) f75++
			if (minc < 0 || ph / pc < minc) minc = ph / pc
		}
		ch = fig("throughput", H, c, "cpu")
		cc = fig("throughput", C, c, "cpu")
		if (cp[4] + 0 >= 100 && ch >= 0 && cc > 0) {
			ncpu++
			if (ch > 1.5 * cc) fcpu++
			if (ch / cc > maxcpu) maxcpu = ch / cc
		}
		if (cp[4] + 0 == 1 && pm > 0) {
			w1n++
			if (ph <= pm) w1f++
			if (minw1 == "" || ph / pm < minw1) minw1 = ph / pm
		}
	}
	for (i = 1; i <= norder["peers"]; i++)
		lostall += lostof("peers", H, order["peers", i])
	verdict(tri(n2 > 0, f2 == 0), "throughput >= 2x mtr-packet at windows >= 100 (lab)",
		sprintf("%d of %d cells below; lowest ratio %s", f2, n2, minm < 0 ? "n/a" : sprintf("%.2fx", minm)))
	verdict(tri(n75 > 0, f75 == 0), "throughput >= 75% of the ceiling at windows >= 100 (loopback and lab)",
		sprintf("%d of %d cells below; lowest ratio %s", f75, n75, minc < 0 ? "n/a" : sprintf("%.2fx", minc)))
	verdict(tri(ncpu > 0, fcpu == 0), "CPU per probe <= 1.5x the ceiling's at windows >= 100 (loopback and lab)",
		sprintf("%d of %d cells above; highest ratio %s", fcpu, ncpu, maxcpu < 0 ? "n/a" : sprintf("%.2fx", maxcpu)))
	verdict(tri(w1n > 0, w1f == 0), "window 1 ahead of mtr-packet",
		sprintf("%d of %d cells behind; lowest ratio %s", w1f, w1n,
			minw1 == "" ? "n/a" : sprintf("%.2fx", minw1)))
	bl = 0
	for (i = 1; i <= norder["burst"]; i++)
		bl += lostof("burst", H, order["burst", i])
	for (i = 1; i <= norder["background"]; i++)
		bl += lostof("background", H, order["background", i])
	verdict(lostall + bl == 0, "zero lost replies (matrix, peers, bursts, background)",
		sprintf("%d lost in the matrix and peers, %d in bursts and background", lostall, bl))
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
	verdict(tri(flatn > 0, worstflat <= 1.25), "CPU per probe flat from window 10 to 10000 (max / min <= 1.25x)",
		sprintf("worst %s over %d cases", worstflat < 0 ? "n/a" : sprintf("%.2fx", worstflat), flatn))
	worsts = -1
	for (wk in sys_h)
		if (wk + 0 >= 100 && sys_h[wk] > worsts)
			worsts = sys_h[wk]
	verdict(tri(worsts >= 0, worsts <= 2), "<= 2 system calls per probe at windows >= 100",
		sprintf("worst %s", num(worsts, 2)))
	worstr = "n/a"; okr = 1; nr = 0; worstp = "n/a"; okp = 1; np_ = 0
	for (c in rtt_diff) {
		if (rtt_diff[c] != "n/a") {
			nr++
			d = rtt_diff[c] < 0 ? -rtt_diff[c] : rtt_diff[c]
			if (d > 1) okr = 0
			if (worstr == "n/a" || d > worstr) worstr = d
		}
		if (rtt_pdiff[c] != "n/a") {
			np_++
			d = rtt_pdiff[c] < 0 ? -rtt_pdiff[c] : rtt_pdiff[c]
			if (d > 2) okp = 0
			if (worstp == "n/a" || d > worstp) worstp = d
		}
	}
	verdict(tri(nr > 0, okr), "RTT median within 1 us of ping (loopback and lab)",
		"largest difference " worstr " us over " nr " paths")
	verdict(tri(np_ > 0, okp), "RTT p99 within 2 us of ping (loopback and lab)",
		"largest difference " worstp " us over " np_ " paths")
	# The same bounds against the kernel at the workers' own pace: what
	# the worker adds to a round trip, without ping's spinning.
	worstr = "n/a"; okr = 1; nr = 0; worstp = "n/a"; okp = 1; np_ = 0
	for (c in rtt_kdiff) {
		if (rtt_kdiff[c] != "n/a") {
			nr++
			if (rtt_kdiff[c] > 1) okr = 0
			if (worstr == "n/a" || rtt_kdiff[c] > worstr) worstr = rtt_kdiff[c]
		}
		if (rtt_kpdiff[c] != "n/a") {
			np_++
			if (rtt_kpdiff[c] > 2) okp = 0
			if (worstp == "n/a" || rtt_kpdiff[c] > worstp) worstp = rtt_kpdiff[c]
		}
	}
	verdict(tri(nr > 0, okr), "RTT median at most 1 us above the kernel's at the same pace",
		"largest excess " worstr " us over " nr " paths")
	verdict(tri(np_ > 0, okp), "RTT p99 at most 2 us above the kernel's at the same pace",
		"largest excess " worstp " us over " np_ " paths")
	verdict(tri(sh >= 0 && sm >= 0, sh <= sm), "start-up no slower than mtr-packet",
		sprintf("%s vs %s ms, ratio %s", num(sh, 3), num(sm, 3), ratio(sh, sm)))
	printf "  (%d target(s) missed; idle CPU after EOF is checked by the network tests)\n", misses
}

#!/bin/bash
#
# tests/bench/run-bench.sh: hopprobe, mtr-packet and the ceiling sender side
# by side in one run, in a namespace lab of documentation addresses.
#
#	run-bench.sh [--quick] [--csv FILE] [--out DIR] [--reps N] [--no-install]
#	run-bench.sh --report FILE.csv      (print the table of an earlier run)
#
# Environment (set by `make bench`; defaults in brackets):
#	HOPPROBE      the worker under test   [../../probe/hopprobe of the build]
#	MTR_PACKET    the reference worker    [/usr/bin/mtr-packet]
#	HOPBENCH, CEILING   the bench programs [built here with cc when unset]
#	FPING, SCAMPER  the peers             [fping, scamper on PATH]
#	TESTS_SRCDIR  the tests/ directory    [this script's parent]
#
# Needs root (network namespaces, raw sockets): exits 77 otherwise.  When
# mtr-packet is missing it installs Debian's mtr-tiny; failing that, its
# columns say n/a.  The peers fping and scamper (Debian packages of those
# names) are not installed here: when missing, their columns say n/a.
# Every probe goes to loopback or to the lab's addresses, and every
# program run here is bounded in time.  The exit status is 0 when
# the run completed (whatever the figures), 1 when it could not run.
set -u
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TESTS_SRCDIR=${TESTS_SRCDIR:-$(cd "$here/.." && pwd)}
export TESTS_SRCDIR

quick=0
csv=""
out=""
reps=""
report_only=""
no_install=0
while (($#)); do
	case $1 in
	--quick) quick=1 ;;
	--csv) csv=$2; shift ;;
	--out) out=$2; shift ;;
	--reps) reps=$2; shift ;;
	--no-install) no_install=1 ;;
	--report) report_only=$2; shift ;;
	-h | --help)
		awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' \
			"${BASH_SOURCE[0]}"
		exit 0
		;;
	*)
		echo "run-bench.sh: unknown option $1" >&2
		exit 2
		;;
	esac
	shift
done

if [[ -n "$report_only" ]]; then
	awk -F, -f "$here/report.awk" "$report_only"
	exit $?
fi

# shellcheck source=../net/lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping awk timeout

start_s=$SECONDS
if [[ -z "$out" ]]; then
	out=$(mktemp -d /tmp/hopbench.XXXXXX) || fail "cannot make a directory"
fi
mkdir -p "$out" || fail "cannot make $out"
csv=${csv:-$out/bench.csv}
mkdir -p "$(dirname "$csv")" || fail "cannot make the directory of $csv"

# ---- programs ---------------------------------------------------------
HOPPROBE=${HOPPROBE:-$TESTS_SRCDIR/../probe/hopprobe}
MTR_PACKET=${MTR_PACKET:-/usr/bin/mtr-packet}
[[ -x "$HOPPROBE" ]] || fail "no worker at $HOPPROBE (set HOPPROBE)"

# Built here when not given: they need nothing beyond libc.
if [[ -z "${HOPBENCH:-}" || -z "${CEILING:-}" ]]; then
	cc=${CC:-cc}
	HOPBENCH=${HOPBENCH:-$out/hopbench}
	CEILING=${CEILING:-$out/ceiling}
	"$cc" -std=gnu11 -O2 -o "$HOPBENCH" "$here/hopbench.c" \
		"$here/benchutil.c" || fail "cannot build hopbench"
	"$cc" -std=gnu11 -O2 -o "$CEILING" "$here/ceiling.c" \
		"$here/benchutil.c" || fail "cannot build ceiling"
fi

# The reference: Debian's mtr-packet (package mtr-tiny), installed when
# missing.  A run without it still measures hopprobe against the ceiling.
if [[ ! -x "$MTR_PACKET" ]] && ((!no_install)) &&
	command -v apt-get >/dev/null 2>&1; then
	echo "# installing mtr-tiny for mtr-packet"
	export DEBIAN_FRONTEND=noninteractive
	timeout 300 apt-get install -y -q mtr-tiny >"$out/apt.log" 2>&1 ||
		{ timeout 300 apt-get update -q >>"$out/apt.log" 2>&1 &&
			timeout 300 apt-get install -y -q mtr-tiny \
				>>"$out/apt.log" 2>&1; }
fi
have_mtr=0
if [[ -x "$MTR_PACKET" ]]; then
	have_mtr=1
else
	echo "# no mtr-packet at $MTR_PACKET: its columns will say n/a"
fi
have_valgrind=0
command -v valgrind >/dev/null 2>&1 && have_valgrind=1
have_strace=0
command -v strace >/dev/null 2>&1 && have_strace=1
FPING=${FPING:-$(command -v fping || true)}
SCAMPER=${SCAMPER:-$(command -v scamper || true)}
peers=()
if [[ -n "$FPING" && -x "$FPING" ]]; then
	peers+=(fping)
else
	echo "# no fping: its peer columns will say n/a"
fi
if [[ -n "$SCAMPER" && -x "$SCAMPER" ]]; then
	peers+=(scamper)
else
	echo "# no scamper: its peer columns will say n/a"
fi

workers=(hopprobe)
((have_mtr)) && workers+=(mtr-packet)

worker_cmd()
{
	case $1 in
	hopprobe) printf '%s\n' "$HOPPROBE" ;;
	mtr-packet) printf '%s\n' "$MTR_PACKET" ;;
	esac
}

# ---- the plan -----------------------------------------------------------
if ((quick)); then
	reps=${reps:-1}
	# protocol:family:kind, each at the windows below
	matrix=(icmp:4:loop udp:6:loop tcp:4:loop icmp:4:reply udp:4:ttl)
	windows=(1 100)
	loop_extra=()
	dur_small=0.2
	dur_large=0.3
	startup_reps=11
	rtt_count=200
	rtt_paths=(loop:4 reply:4)
	peer_paths=(loop:4 reply:6)
	peer_count=2000
	peer_reps=1
	bursts=(icmp:4:reply)
	burst_size=20000
	hold_cases=(icmp:10000)
	rate_cases=(1000:1000)
	grind_cases=(icmp:4:reply)
	grind_count=300
	strace_windows=(100)
	strace_count=1000
else
	reps=${reps:-3}
	matrix=()
	for p in icmp udp tcp; do
		for f in 4 6; do
			matrix+=("$p:$f:reply" "$p:$f:ttl")
		done
	done
	windows=(1 10 100 1000 10000)
	# Loopback at two windows only: the lab is the real path.
	loop_extra=()
	for p in icmp udp tcp; do
		for f in 4 6; do
			loop_extra+=("$p:$f:loop")
		done
	done
	dur_small=0.25
	dur_large=0.5
	startup_reps=51
	rtt_count=2000
	rtt_paths=(loop:4 loop:6 reply:4 reply:6)
	peer_paths=(loop:4 loop:6 reply:4 reply:6)
	peer_count=10000
	# One repetition: the peers are a comparison, not a target, and
	# the whole run must stay under ten minutes.
	peer_reps=1
	bursts=(icmp:4:reply udp:6:ttl tcp:4:reply)
	burst_size=100000
	hold_cases=(icmp:10000 udp:10000 tcp:10000 icmp:65536 tcp:65536)
	# pps:probes, written at once: each case lasts about two seconds.
	rate_cases=(1000:2000 10000:20000 100000:200000)
	grind_cases=(icmp:4:reply tcp:4:reply)
	grind_count=3000
	strace_windows=(1 100 1000)
	strace_count=5000
fi
if [[ ! "$reps" =~ ^[1-9][0-9]?$ ]]; then
	fail "--reps takes 1 to 99"
fi
# The peers take a list and probe each address once, as fast as they may:
# the worker gets the same list at this window.
peer_window=1000

# ---- the lab ------------------------------------------------------------
lab_up
if ((!LAB_HAVE_IPV6)); then
	echo "# no IPv6 in this kernel: IPv6 rows will be missing"
fi

# Address lists for the peers part.  Any address of a prefix routed
# "local" to a namespace's lo is answered by that namespace (AnyIP), so the
# lists hold many addresses behind one target: 203.0.113.128/25 and
# 2001:db8:4::/64 at the lab target, 2001:db8:5::/64 on the host's own lo
# (IPv6 loopback has the one address ::1), 127.0.0.0/8 as it is.
PEER_NET4_FIRST=129 PEER_NET4_LAST=254
lab_peer_prefixes()
{
	in_ns "$NS_R2" ip route add 203.0.113.128/25 via "$LAB_TARGET4" &&
		in_ns "$NS_TARGET" ip route add local 203.0.113.128/25 dev lo ||
		return 1
	((LAB_HAVE_IPV6)) || return 0
	in_ns "$NS_R1" ip -6 route add 2001:db8:4::/64 via "$LAB_R2_6" &&
		in_ns "$NS_R2" ip -6 route add 2001:db8:4::/64 via "$LAB_TARGET6" &&
		in_ns "$NS_TARGET" ip -6 route add local 2001:db8:4::/64 dev lo &&
		in_ns "$NS_HOST" ip -6 route add local 2001:db8:5::/64 dev lo
}
lab_peer_prefixes || fail "lab: cannot route the peers' prefixes"

# peer_list KIND FAMILY COUNT: print COUNT addresses of that path, one a
# line; the IPv4 lab prefix has fewer, which the list takes in turn.
peer_list()
{
	awk -v k="$1" -v f="$2" -v n="$3" -v a="$PEER_NET4_FIRST" \
		-v b="$PEER_NET4_LAST" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (k == "loop" && f == 4)
				printf "127.1.%d.%d\n", int(i / 250), i % 250 + 1
			else if (k == "loop")
				printf "2001:db8:5::%x\n", i + 1
			else if (f == 4)
				printf "203.0.113.%d\n", a + i % (b - a + 1)
			else
				printf "2001:db8:4::%x\n", i + 1
		}
	}'
}

"$HOPBENCH" -H >"$csv" || fail "cannot write $csv"
echo "# results: $csv"

# case_target FAMILY KIND: the destination, who must answer, the answer
# due and the TTL of one kind of case.
case_target()
{
	local fam=$1 kind=$2

	case $kind in
	loop)
		if [[ $fam == 4 ]]; then C_DEST=127.0.0.1; else C_DEST=::1; fi
		C_RESP=$C_DEST
		C_KIND=reply
		C_TTL=64
		;;
	reply)
		if [[ $fam == 4 ]]; then C_DEST=$LAB_TARGET4; else C_DEST=$LAB_TARGET6; fi
		C_RESP=$C_DEST
		C_KIND=reply
		C_TTL=64
		;;
	ttl)
		if [[ $fam == 4 ]]; then
			C_DEST=$LAB_TARGET4
			C_RESP=$LAB_R1_4
		else
			C_DEST=$LAB_TARGET6
			C_RESP=$LAB_R1_6
		fi
		C_KIND=ttl-expired
		C_TTL=1
		;;
	esac
}

# csv_row LABELS STATUS SENT GOOD NOREPLY RTT_MED RTT_P99 VALUE NOTE: a row
# of the CSV (columns as `hopbench -H`) for figures measured here.
csv_row()
{
	printf '%s,%s,%s,%s,0,%s,0,0,0,,,,,,%s,%s,%s,%s\n' "$@" >>"$csv"
}

csv_rows()
{
	wc -l <"$csv"
}

# measure LIMIT LABELS PROGRAM ARGS...: run one measurement in the host
# namespace, bounded by LIMIT seconds; when it printed no row (killed, or
# it failed to start) the row says so.
measure()
{
	local limit=$1 labels=$2 before rc

	shift 2
	before=$(csv_rows)
	in_ns "$NS_HOST" timeout -k 3 "$limit" "$1" -L "$labels" -o "$csv" \
		"${@:2}" </dev/null >>"$out/bench.log" 2>&1
	rc=$?
	if (($(csv_rows) == before)); then
		if ((rc == 124 || rc == 137)); then
			csv_row "$labels" timeout 0 0 0 "" "" "" "rc $rc"
		else
			csv_row "$labels" failed 0 0 0 "" "" "" "rc $rc"
		fi
	fi
}

# run_case SECTION WORKER PROTO FAMILY KIND WINDOW REP SECONDS [ARG...]:
# one row of the table.  Extra arguments go to hopbench (not the ceiling).
run_case()
{
	local section=$1 worker=$2 proto=$3 fam=$4 kind=$5 win=$6 rep=$7 dur=$8
	local labels limit

	shift 8
	if [[ $fam == 6 ]] && ((!LAB_HAVE_IPV6)); then
		return 0
	fi
	case_target "$fam" "$kind"
	labels="$section,$worker,$proto,$fam,$kind,$win,$rep"
	limit=30
	if [[ $worker == ceiling ]]; then
		measure "$limit" "$labels" "$CEILING" -p "$proto" -d "$C_DEST" \
			-R "$C_RESP" -k "$C_KIND" -t "$C_TTL" -w "$win" -D "$dur" -T 2
	else
		measure "$limit" "$labels" "$HOPBENCH" -p "$proto" -d "$C_DEST" \
			-R "$C_RESP" -k "$C_KIND" -t "$C_TTL" -w "$win" -D "$dur" \
			-T 2 "$@" -- "$(worker_cmd "$worker")"
	fi
}

progress()
{
	printf '# [%3ds] %s\n' "$((SECONDS - start_s))" "$*"
}

# ---- 1. start-up ----------------------------------------------------------
progress "start-up time"
for w in "${workers[@]}"; do
	measure 60 "startup,$w,,,,,1" "$HOPBENCH" -m startup -n "$startup_reps" \
		-- "$(worker_cmd "$w")"
done

# ---- 2. throughput, CPU, RSS, loss ----------------------------------------
progress "throughput: ${#matrix[@]} cases x ${#windows[@]} windows x $reps reps"
for ((rep = 1; rep <= reps; rep++)); do
	for c in "${matrix[@]}"; do
		IFS=: read -r p f k <<<"$c"
		for win in "${windows[@]}"; do
			dur=$dur_small
			((win >= 1000)) && dur=$dur_large
			for w in "${workers[@]}" ceiling; do
				run_case throughput "$w" "$p" "$f" "$k" "$win" "$rep" "$dur"
			done
		done
	done
	for c in "${loop_extra[@]}"; do
		IFS=: read -r p f k <<<"$c"
		for win in 1 100; do
			for w in "${workers[@]}" ceiling; do
				run_case throughput "$w" "$p" "$f" "$k" "$win" "$rep" "$dur_small"
			done
		done
	done
	progress "throughput: repetition $rep done"
done

# ---- 2b. peers: fping and scamper on the same lists as the worker -----
# peer_row LABELS STATUS SENT GOOD ELAPSED CPU_S NOTE: a CSV row (columns
# as `hopbench -H`) of one peer run, timed by the shell from exec to exit.
peer_row()
{
	local labels=$1 status=$2 sent=$3 good=$4 el=$5 cpu=$6 note=$7

	awk -v l="$labels" -v st="$status" -v s="$sent" -v g="$good" \
		-v e="$el" -v c="$cpu" -v n="$note" 'BEGIN {
		pps = e > 0 ? sprintf("%.0f", g / e) : ""
		cpp = s > 0 ? sprintf("%.3f", c * 1e6 / s) : ""
		printf "%s,%s,%d,%d,0,%d,0,0,0,%s,%s,%s,,,,,,%s\n", l, st, s, g,
			s - g, e, pps, cpp, n
	}' >>"$csv"
}

# peer_run NAME LABELS LIST COUNT FAMILY: one run of fping or scamper over
# LIST in the host namespace, bounded in time; the replies are counted
# from its output, the CPU is the user+sys time of its process tree.
peer_run()
{
	local name=$1 labels=$2 list=$3 count=$4 fam=$5
	local res="$out/peer-$name.out" tf="$out/peer-time.txt" rc good el us sy
	local -a cmd
	local note TIMEFORMAT='%3R %3U %3S'

	case $name in
	fping)
		# -i 0 (root only): no gap between targets; -r 0: one probe
		# each; -a: print each target that answered.
		cmd=("$FPING" "-$fam" -r 0 -i 0 -t 1000 -a -f "$list")
		note="fping -r 0 -i 0 -t 1000"
		;;
	scamper)
		# -p 10000 is the most scamper accepts.
		cmd=("$SCAMPER" -O text -p 10000 -c "ping -c 1 -o 1 -W 1" \
			-f "$list")
		note="scamper -p 10000 (its maximum) -c ping -c 1"
		;;
	esac
	{ time in_ns "$NS_HOST" timeout -k 3 60 "${cmd[@]}" \
		</dev/null >"$res" 2>>"$out/bench.log"; } 2>"$tf"
	rc=$?
	case $name in
	fping) good=$(grep -c . "$res") ;;
	scamper) good=$(grep -c ' bytes from ' "$res") ;;
	esac
	read -r el us sy <"$tf" || { el=0; us=0; sy=0; }
	if ((rc == 124 || rc == 137)); then
		peer_row "$labels" timeout "$count" "$good" "$el" 0 "rc $rc"
	elif [[ $name == fping ]] && ((rc > 1)); then
		# fping exits 1 when some target did not answer.
		peer_row "$labels" failed "$count" "$good" "$el" 0 "rc $rc"
	elif [[ $name == scamper ]] && ((rc != 0)); then
		peer_row "$labels" failed "$count" "$good" "$el" 0 "rc $rc"
	else
		peer_row "$labels" ok "$count" "$good" "$el" \
			"$(awk -v u="$us" -v s="$sy" 'BEGIN { print u + s }')" \
			"$note"
	fi
}

progress "peers: ${#peer_paths[@]} lists of $peer_count addresses x $peer_reps reps"
for ((rep = 1; rep <= peer_reps; rep++)); do
	for c in "${peer_paths[@]}"; do
		IFS=: read -r k f <<<"$c"
		if [[ $f == 6 ]] && ((!LAB_HAVE_IPV6)); then
			continue
		fi
		list="$out/peer-list-$k-$f.txt"
		[[ -s "$list" ]] || peer_list "$k" "$f" "$peer_count" >"$list"
		for w in "${workers[@]}"; do
			measure 60 "peers,$w,icmp,$f,$k,$peer_window,$rep" "$HOPBENCH" \
				-p icmp -f "$list" -w "$peer_window" -n "$peer_count" \
				-D 30 -T 2 -- "$(worker_cmd "$w")"
		done
		for w in "${peers[@]}"; do
			peer_run "$w" "peers,$w,icmp,$f,$k,$peer_window,$rep" "$list" \
				"$peer_count" "$f"
		done
	done
done

# ---- 3. bursts: every command written at once ---------------------------
progress "bursts of $burst_size commands"
for c in "${bursts[@]}"; do
	IFS=: read -r p f k <<<"$c"
	for w in "${workers[@]}"; do
		run_case burst "$w" "$p" "$f" "$k" "$burst_size" 1 30 \
			-n "$burst_size" -T 5
	done
done

# ---- 4. measuring with 10,000 probes outstanding in the background -------
progress "10000 probes outstanding in the background"
for w in "${workers[@]}"; do
	run_case background "$w" icmp 4 reply 100 1 "$dur_large" \
		-b "$LAB_BLACKHOLE4" -B 10000
done

# ---- 5. round-trip-time accuracy against ping ------------------------------
progress "round-trip times at window 1 against ping"
for c in "${rtt_paths[@]}"; do
	IFS=: read -r k f <<<"$c"
	if [[ $f == 6 ]] && ((!LAB_HAVE_IPV6)); then
		continue
	fi
	for w in "${workers[@]}"; do
		run_case rtt "$w" icmp "$f" "$k" 1 1 10 -n "$rtt_count" -i 0.001
	done
	case_target "$f" "$k"
	# The kernel alone at the same pace, asleep between probes as the
	# workers are (ping spins instead, so its CPU never wakes from idle).
	measure 30 "rtt,ceiling,icmp,$f,$k,1,1" "$CEILING" -p icmp \
		-d "$C_DEST" -R "$C_RESP" -k "$C_KIND" -t "$C_TTL" -D 10 -T 2 \
		-n "$rtt_count" -i 0.001
	pingv=()
	[[ $f == 6 ]] && pingv=(-6)
	in_ns "$NS_HOST" timeout 60 ping "${pingv[@]}" -n -i 0.001 -W 1 \
		-c "$rtt_count" "$C_DEST" >"$out/ping-$k-$f.txt" 2>&1
	# Each reply line says time=0.045 ms: microseconds, sorted.
	sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' "$out/ping-$k-$f.txt" |
		awk '{ printf "%d\n", $1 * 1000 + 0.5 }' | sort -n >"$out/ping-$k-$f.us"
	# shellcheck disable=SC2046 # three numbers, split on purpose
	set -- $(awk '{ v[NR] = $1 }
		END {
			n = NR
			if (n == 0) { print "0 - -"; exit }
			m = int(0.5 * n + 0.999999); p = int(0.99 * n + 0.999999)
			print n, v[m], v[p]
		}' "$out/ping-$k-$f.us")
	if (($1 > 0)); then
		csv_row "rtt,ping,icmp,$f,$k,1,1" ok "$rtt_count" "$1" \
			"$((rtt_count - $1))" "$2" "$3" "" "ping -i 0.001"
	else
		csv_row "rtt,ping,icmp,$f,$k,1,1" failed "$rtt_count" 0 \
			"$rtt_count" "" "" "" "no ping replies"
	fi
done

# ---- 6. memory per probe in flight, and how many fit -------------------
progress "RSS per probe in flight (black hole $LAB_BLACKHOLE4)"
for c in "${hold_cases[@]}"; do
	IFS=: read -r p n <<<"$c"
	for w in "${workers[@]}"; do
		measure 60 "hold,$w,$p,4,blackhole,$n,1" "$HOPBENCH" -m hold \
			-p "$p" -d "$LAB_BLACKHOLE4" -n "$n" -T 60 \
			-- "$(worker_cmd "$w")"
	done
done

# ---- 6b. set-rate: the wait the rate imposes ---------------------------
# hopprobe only: mtr-packet has no set-rate (hopprobe(8), rate).
progress "set-rate on loopback (probes written at once, released at the rate)"
for c in "${rate_cases[@]}"; do
	IFS=: read -r r n <<<"$c"
	measure 60 "rate,hopprobe,icmp,4,loop,$r,1" "$HOPBENCH" -m rate \
		-r "$r" -n "$n" -d 127.0.0.1 -T 5 -- "$(worker_cmd hopprobe)"
done

# callgrind_per_function BASE N: instructions per probe of each function,
# from the profiles BASE.0.out (no probes) and BASE.N.out (N probes), the
# largest first, into BASE.perprobe.txt.
callgrind_per_function()
{
	local base=$1 n=$2 k

	for k in 0 "$n"; do
		callgrind_annotate --auto=no --inclusive=no --threshold=100 "$base.$k.out" \
			>"$base.$k.annotate.txt" 2>/dev/null
	done
	awk -v n="$n" '
		FNR == 1 { file++ }
		/^ *[0-9,]+ +\( *[0-9.]+%\) / && !/PROGRAM TOTALS/ {
			ir = $1
			gsub(/,/, "", ir)
			name = $0
			sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, "", name)
			sub(/ \[[^]]*\]$/, "", name)
			sub(/.*\//, "", name)
			if (file == 1) base[name] += ir
			else run[name] += ir
		}
		END {
			for (f in run) {
				d = (run[f] - base[f]) / n
				if (d >= 1) printf "%10.0f  %s\n", d, f
			}
		}' "$base.0.annotate.txt" "$base.$n.annotate.txt" |
		sort -rn >"$base.perprobe.txt"
}

# ---- 7. instructions per probe (callgrind) --------------------------------
# A run of N probes minus a run of none: what one probe costs, start-up
# left out.  The annotated profile of each run is kept in $out.
if ((have_valgrind)); then
	progress "instructions per probe (callgrind)"
	# valgrind refuses programs with file capabilities (Debian's
	# mtr-packet has cap_net_raw); a plain copy runs as root all the same.
	for w in "${workers[@]}"; do
		cp "$(worker_cmd "$w")" "$out/$w.nocap" || fail "cannot copy $w"
	done
	# hopprobe started by root becomes nobody, and callgrind writes its
	# profile at exit: into a directory and a file that user can reach.
	chmod 711 "$out" && mkdir -p -m 1777 "$out/grind" ||
		fail "cannot make $out/grind"
	for c in "${grind_cases[@]}"; do
		IFS=: read -r p f k <<<"$c"
		case_target "$f" "$k"
		for w in "${workers[@]}"; do
			base="$out/grind/callgrind-$w-$p$f"
			for n in 0 "$grind_count"; do
				# The profile file, made by callgrind as root at
				# start, must stay writable for nobody at exit.
				: >"$base.$n.out" && chown 65534 "$base.$n.out" ||
					fail "cannot make $base.$n.out"
				in_ns "$NS_HOST" timeout -k 3 120 "$HOPBENCH" -p "$p" \
					-d "$C_DEST" -R "$C_RESP" -k "$C_KIND" -t "$C_TTL" \
					-w 100 -n "$n" -D 60 -T 10 -L "callgrind-run,$w,$p,$f,$k,100,$n" \
					-o "$out/callgrind-runs.csv" -- valgrind -q --vgdb=no --tool=callgrind \
					--callgrind-out-file="$base.$n.out" "$out/$w.nocap" \
					</dev/null >>"$out/bench.log" 2>&1
			done
			i0=$(sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$base.0.out" 2>/dev/null | head -1)
			i1=$(sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$base.$grind_count.out" 2>/dev/null | head -1)
			labels="callgrind,$w,$p,$f,$k,100,1"
			if [[ -n "$i0" && -n "$i1" ]]; then
				callgrind_per_function "$base" "$grind_count"
				csv_row "$labels" ok "$grind_count" "" "" "" "" \
					"$(((i1 - i0) / grind_count))" \
					"instructions $i1 with probes; $i0 without"
			else
				csv_row "$labels" failed 0 0 0 "" "" "" "no callgrind output"
			fi
		done
	done
fi

# ---- 8. system calls per probe (strace -c -f) ----------------------------
if ((have_strace)); then
	progress "system calls per probe (strace)"
	case_target 4 reply
	for win in "${strace_windows[@]}"; do
		for w in "${workers[@]}"; do
			base="$out/strace-$w-w$win"
			for n in 0 "$strace_count"; do
				in_ns "$NS_HOST" timeout -k 3 120 "$HOPBENCH" -p icmp \
					-d "$C_DEST" -w "$win" -n "$n" -D 60 -T 10 \
					-L "strace-run,$w,icmp,4,reply,$win,$n" \
					-o "$out/strace-runs.csv" -- strace -f -c -o "$base.$n.txt" \
					"$(worker_cmd "$w")" </dev/null >>"$out/bench.log" 2>&1
			done
			labels="strace,$w,icmp,4,reply,$win,1"
			# Calls of each system call with N probes minus without.
			if [[ -s "$base.0.txt" && -s "$base.$strace_count.txt" ]]; then
				read -r per note < <(awk -v n="$strace_count" '
					FNR == 1 { file++ }
					$1 ~ /^[0-9.]+$/ && NF >= 5 {
						if (file == 1) base[$NF] = $4
						else run[$NF] = $4
					}
					END {
						note = ""
						for (k in run) {
							if (k == "total") continue
							d = (run[k] - base[k]) / n
							if (d >= 0.01) note = note sprintf("%s %.2f; ", k, d)
						}
						printf "%.3f %s\n", (run["total"] - base["total"]) / n, note
					}' "$base.0.txt" "$base.$strace_count.txt")
				csv_row "$labels" ok "$strace_count" "" "" "" "" "$per" "$note"
			else
				csv_row "$labels" failed 0 0 0 "" "" "" "no strace output"
			fi
		done
	done
fi

progress "done"
awk -F, -f "$here/report.awk" "$csv" | tee "$out/report.txt"
for w in "${workers[@]}"; do
	for p in icmp tcp; do
		f="$out/callgrind-$w-${p}4.perprobe.txt"
		[[ -s "$f" ]] || continue
		echo
		echo "Instructions per probe by function, $w ($p ipv4 to the lab target, window 100):"
		head -n 15 "$f" | sed 's/^/  /'
	done
done | tee -a "$out/report.txt"
echo
echo "CSV: $csv"
echo "Report: $out/report.txt (wall time $((SECONDS - start_s)) s)"
exit 0

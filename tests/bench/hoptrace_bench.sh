#!/bin/bash
#
# tests/bench/hoptrace_bench.sh: what hoptrace costs, next to its worker,
# and how long it takes next to traceroute and mtr.  A benchmark, not a
# test: it prints figures and asserts none of them.
#
#	hoptrace_bench.sh [--targets N] [--runs R] [--cpu-runs C] [--no-install]
#
# Part 1, CPU.  The lab of tests/net/lib.sh with N targets (default 1000)
# answered by the target namespace (an AnyIP route for 2001:db8:aa::/64, as
# in tests/net/net_hoptrace_scale.sh), traced in one run,
# `hoptrace -n --file FILE -N 5000 -w 2 --jsonl`, C times (default 3).
# hoptrace runs under `hoptrace_helper.py measure`, which takes its CPU
# time from wait4 (that includes its reaped children, i.e. the worker);
# the worker is `hoptrace_helper.py worker-rusage`, a wrapper that starts
# hopprobe, copies its requests to it counting them, and writes hopprobe's
# own CPU time (wait4) and its own total (itself and hopprobe).  hoptrace's
# own CPU is the first less the wrapper's total.  Printed per run and as
# medians: probe records in the JSONL, requests the worker got (probes
# above the target's distance are sent too, and their answers counted but
# not shown), wall time, hoptrace's and the worker's CPU in seconds and
# in microseconds per probe record and per request, and their ratio.  The
# wall time of R (default 5) uninstrumented runs follows (median).
#
# Part 2, a 10-hop path.  A chain of its own: host, 9 routers, target, 11
# namespaces joined by /30 links in 198.51.100.0/24 (link j is
# 198.51.100.4j/30; the target is 198.51.100.38, hop k answers from
# 198.51.100.(4k-2)).  R runs each (median, min, max wall time; exit
# statuses) of hoptrace -n (ICMP), hoptrace -n -U (UDP), traceroute -n
# (UDP, its default), traceroute -n -I (ICMP) and mtr -r -c 1 -n; and,
# for hoptrace's fixed cost (start the worker, ask check-support, stop
# it), hoptrace -n 127.0.0.1.
# traceroute (Debian package traceroute) and mtr are installed with
# apt-get when missing, unless --no-install.
#
# Environment: HOPTRACE, HOPPROBE, TESTS_SRCDIR, PYTHON3_SYSTEM as for
# make check; by default those of the build tree around this script.
# Needs root: exits 77 otherwise.  Every probe goes to the namespaces made
# here; everything run is bounded in time.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
TESTS_SRCDIR=${TESTS_SRCDIR:-$top/tests}
HOPTRACE=${HOPTRACE:-$top/src/hoptrace}
HOPPROBE=${HOPPROBE:-$top/probe/hopprobe}
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}
export TESTS_SRCDIR HOPTRACE HOPPROBE PYTHON3_SYSTEM

ntargets=1000
runs=5
cpu_runs=3
no_install=0
while (($#)); do
	case $1 in
	--targets) ntargets=$2; shift ;;
	--runs) runs=$2; shift ;;
	--cpu-runs) cpu_runs=$2; shift ;;
	--no-install) no_install=1 ;;
	*) echo "usage: $0 [--targets N] [--runs R] [--cpu-runs C] [--no-install]" >&2
		exit 2 ;;
	esac
	shift
done
for v in "$ntargets" "$runs" "$cpu_runs"; do
	if [[ ! "$v" =~ ^[1-9][0-9]{0,4}$ ]]; then
		echo "$0: counts are 1-99999, not '$v'" >&2
		exit 2
	fi
done
((ntargets <= 65535)) || { echo "$0: at most 65535 targets" >&2; exit 2; }

# shellcheck source=../net/lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping timeout "$PYTHON3_SYSTEM" "$HOPTRACE" "$HOPPROBE"

HELPER=$TESTS_SRCDIR/net/hoptrace_helper.py
tmp=$(mktemp -d /tmp/hoptrace_bench.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$tmp"

# install PACKAGE COMMAND: apt-get install PACKAGE when COMMAND is missing.
install_missing()
{
	command -v "$2" >/dev/null 2>&1 && return 0
	((no_install)) && return 0
	command -v apt-get >/dev/null 2>&1 || return 0
	echo "# installing $1 for $2"
	export DEBIAN_FRONTEND=noninteractive
	timeout 300 apt-get install -y -q "$1" >"$tmp/apt-$1.log" 2>&1 ||
		{ timeout 300 apt-get update -q >>"$tmp/apt-$1.log" 2>&1 &&
			timeout 300 apt-get install -y -q "$1" \
				>>"$tmp/apt-$1.log" 2>&1; }
	command -v "$2" >/dev/null 2>&1 ||
		echo "# $1 could not be installed: its rows say n/a"
}
install_missing traceroute traceroute
install_missing mtr-tiny mtr

printf '# hoptrace: %s\n' "$("$HOPTRACE" --version 2>&1 | head -n1)"
printf '# worker:   %s\n' "$("$HOPPROBE" --version 2>&1 | head -n1)"
command -v traceroute >/dev/null 2>&1 &&
	printf '# traceroute: %s\n' "$(traceroute --version 2>&1 | head -n1)"
command -v mtr >/dev/null 2>&1 &&
	printf '# mtr: %s\n' "$(mtr --version 2>&1 | head -n1)"
printf '# kernel %s, %s CPUs\n' "$(uname -r)" "$(nproc)"

# ---------------------------------------------------------------------
# Part 1: N targets, CPU.

lab_up
ip -n "$NS_TARGET" -6 route add local 2001:db8:aa::/64 dev lo ||
	fail "AnyIP route in the target"
ip -n "$NS_R1" -6 route add 2001:db8:aa::/64 via "$LAB_R2_6" || fail "route in r1"
ip -n "$NS_R2" -6 route add 2001:db8:aa::/64 via "$LAB_TARGET6" || fail "route in r2"
in_ns "$NS_HOST" ping -6 -c1 -W2 2001:db8:aa::beef >/dev/null ||
	fail "the target does not answer at 2001:db8:aa::beef"
for ((i = 1; i <= ntargets; i++)); do
	printf '2001:db8:aa::%x\n' "$i"
done >"$tmp/targets"

printf -v worker_q '%q' "$HOPPROBE"
printf -v py_q '%q' "$PYTHON3_SYSTEM"
printf -v helper_q '%q' "$HELPER"
printf -v tmp_q '%q' "$tmp"
echo
echo "== $ntargets lab targets, 3 hops each: hoptrace -n --file FILE -N 5000 -w 2 --jsonl"
for ((k = 1; k <= cpu_runs; k++)); do
	wrapper="exec $py_q $helper_q worker-rusage $tmp_q/worker.$k.json -- $worker_q"
	timeout 300 ip netns exec "$NS_HOST" "$PYTHON3_SYSTEM" "$HELPER" measure \
		"$tmp/measure.$k.json" -- "$HOPTRACE" -n --file "$tmp/targets" \
		-N 5000 -w 2 --jsonl --worker "$wrapper" \
		>"$tmp/out.$k.jsonl" 2>"$tmp/err.$k" </dev/null
	rc=$?
	if [[ ! -s "$tmp/measure.$k.json" || ! -s "$tmp/worker.$k.json" ]]; then
		echo "# run $k: no measurement (exit $rc): $(head -c 300 "$tmp/err.$k")"
		exit 1
	fi
	[[ -s "$tmp/err.$k" ]] && echo "# run $k stderr: $(head -c 300 "$tmp/err.$k")"
done
"$PYTHON3_SYSTEM" "$HELPER" bench-report "$tmp" "$cpu_runs" ||
	fail "bench-report failed"
echo "(ht: hoptrace alone; wk: the worker hopprobe alone; req: requests"
echo " to the worker; ratio: hoptrace CPU / worker CPU)"
read -r med min max st < <(timeout 600 ip netns exec "$NS_HOST" \
	"$PYTHON3_SYSTEM" "$HELPER" median "$runs" 120 "$tmp/plain.json" -- \
	"$HOPTRACE" -n --file "$tmp/targets" -N 5000 -w 2 --jsonl \
	--worker "$worker_q")
printf 'uninstrumented, %d runs: median wall %.3f s (min %.3f, max %.3f), exit %s\n' \
	"$runs" "$med" "$min" "$max" "$st"
# (the lab stays up until the end: lab_down would also run the at-exit
# commands, which remove $tmp)

# ---------------------------------------------------------------------
# Part 2: a 10-hop chain.

CHAIN=()
for ((n = 0; n < 100; n++)); do
	_lab_counter=$((_lab_counter + 1))
	prefix=hp$$c$_lab_counter
	[[ ! -e "/run/netns/${prefix}n0" ]] && break
done
for ((k = 0; k <= 10; k++)); do
	CHAIN[k]=${prefix}n$k
	_lab_ns_add "${CHAIN[k]}"
	_lab_ns_common "${CHAIN[k]}"
	if ((k > 0 && k < 10)); then
		_lab_sysctl "${CHAIN[k]}" net.ipv4.ip_forward 1
	fi
done
# link j joins node j (.4j+1, interface ch-r) and node j+1 (.4j+2, ch-l).
for ((j = 0; j < 10; j++)); do
	_lab_link "${CHAIN[j]}" ch-r "${CHAIN[j + 1]}" ch-l
	_lab_addr "${CHAIN[j]}" ch-r "198.51.100.$((4 * j + 1))/30"
	_lab_addr "${CHAIN[j + 1]}" ch-l "198.51.100.$((4 * j + 2))/30"
done
HOST_ADDR=198.51.100.1
DST=198.51.100.38
_lab_route "${CHAIN[0]}" default via 198.51.100.2
_lab_route "${CHAIN[10]}" default via 198.51.100.37
for ((k = 1; k <= 9; k++)); do
	((k > 1)) && _lab_route "${CHAIN[k]}" 198.51.100.0/30 via "198.51.100.$((4 * (k - 1) + 1))"
	((k < 9)) && _lab_route "${CHAIN[k]}" 198.51.100.36/30 via "198.51.100.$((4 * k + 2))"
done
# shellcheck disable=SC2016 # evaluated by wait_for
wait_for 'ip netns exec "${CHAIN[0]}" ping -c1 -W1 "$DST" >/dev/null 2>&1' 5 ||
	fail "chain: $DST does not answer ping from $HOST_ADDR"

echo
echo "== a 10-hop path: $HOST_ADDR to $DST through 9 routers"
timeout 60 ip netns exec "${CHAIN[0]}" "$HOPTRACE" -n --worker "$worker_q" "$DST" \
	>"$tmp/chain.txt" 2>&1
echo "exit $?; hoptrace -n shows:"
sed 's/^/    /' "$tmp/chain.txt"
want=""
for ((k = 1; k <= 9; k++)); do
	want+="$k 198.51.100.$((4 * k - 2))"$'\n'
done
want+="10 $DST"
got=$(awk '$1 ~ /^[0-9]+$/ { print $1, $2 }' "$tmp/chain.txt")
if [[ "$got" == "$want" ]]; then
	echo "(the hops are the chain's routers, as built)"
else
	echo "# the hops are NOT the chain's routers; want:"
	printf '%s\n' "$want" | sed 's/^/#    /'
fi

echo
printf '%-30s %9s %9s %9s  %s\n' "median wall of $runs runs" "median_s" "min_s" "max_s" "exit statuses"
# bench_tool LABEL CMD...: R runs of CMD in the chain's host namespace.
bench_tool()
{
	local label=$1 med min max st

	shift
	if ! command -v "$1" >/dev/null 2>&1 && [[ ! -x "$1" ]]; then
		printf '%-30s %9s %9s %9s  %s\n' "$label" n/a n/a n/a "not installed"
		return 0
	fi
	read -r med min max st < <(timeout 600 ip netns exec "${CHAIN[0]}" \
		"$PYTHON3_SYSTEM" "$HELPER" median "$runs" 60 "$tmp/median.json" -- "$@")
	printf '%-30s %9.4f %9.4f %9.4f  %s\n' "$label" "$med" "$min" "$max" "$st"
}
bench_tool "hoptrace -n 127.0.0.1 (1 hop)" "$HOPTRACE" -n --worker "$worker_q" 127.0.0.1
bench_tool "hoptrace -n" "$HOPTRACE" -n --worker "$worker_q" "$DST"
bench_tool "hoptrace -n -U" "$HOPTRACE" -n -U --worker "$worker_q" "$DST"
bench_tool "traceroute -n" traceroute -n "$DST"
bench_tool "traceroute -n -I" traceroute -n -I "$DST"
bench_tool "mtr -r -c 1 -n" mtr -r -c 1 -n "$DST"
exit 0

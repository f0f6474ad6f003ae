#!/usr/bin/env bash
# Several workers in one namespace (tests/net/lib.sh's lab): the isolation
# guarantee, --split, and a worker killed mid-run.
#
#  [1] two workers side by side (--each) in the host namespace, ICMP (one
#      flow for both, so that their probes differ only in what each worker
#      makes its own), UDP and TCP, IPv4 and IPv6, to the target and to the
#      black hole: every probe of each worker is answered by the hop the
#      lab puts at its ttl, or by nobody where the lab is silent; then two
#      runs at once, one whose probes r1 answers at once and one whose
#      probes wait unanswered for the same destination: none of the
#      second takes an answer meant for the first (a worker whose ICMP
#      identifier equals the other's fails this, checked by hand).
#  [2] --split of four targets over two workers: two traces each, all
#      reached.
#  [3] --each, one worker killed with SIGKILL (by the PID it wrote) while
#      its probes to the black hole are out: its probes out are
#      worker-lost, its trace ends there, the other worker's traces end as
#      the lab says, exit status 4 (partial).
set -u
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/net/lib.sh"
require_root_and_tools ip timeout
HOPTRACE=${HOPTRACE:-src/hoptrace}
HOPPROBE=${HOPPROBE:-probe/hopprobe}
PY=${PYTHON3_SYSTEM:-/usr/bin/python3}
CHECK=${TESTS_SRCDIR:-$(dirname "$0")/..}/net/workers_check.py
HOPTRACE=$(realpath "$HOPTRACE")
HOPPROBE=$(realpath "$HOPPROBE")
T=$(mktemp -d /tmp/hp_workers.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
lab_up

# ht NAME ARG...: hoptrace in the host namespace; $T/NAME.out, .err, .rc.
ht()
{
	local name=$1 rc=0

	shift
	in_ns "$NS_HOST" timeout 60 "$HOPTRACE" "$@" </dev/null \
		>"$T/$name.out" 2>"$T/$name.err" || rc=$?
	printf '%s\n' "$rc" >"$T/$name.rc"
}

# rc_was NAME WANT: NAME's run exited WANT (its stderr shown if not).
rc_was()
{
	local rc

	rc=$(cat "$T/$1.rc")
	if [[ "$rc" != "$2" ]]; then
		printf 'exit %s, want %s; stderr:\n' "$rc" "$2"
		cat "$T/$1.err"
		return 1
	fi
}

paths="r1=$LAB_R1_4,r2=$LAB_R2_4,target=$LAB_TARGET4"
paths6="r1=$LAB_R1_6,r2=$LAB_R2_6,target=$LAB_TARGET6"

# ---- [1] isolation ---------------------------------------------------------
# proto_options PROTO: POPT, the options of PROTO's probes: ICMP on one flow
# for every worker, UDP and TCP on flows of their own (a source port is
# one worker's).
proto_options()
{
	case $1 in
	icmp) popt=(--icmp --flow 30000) ;;
	udp) popt=(-U) ;;
	tcp) popt=(-T -p 80) ;;
	esac
}

for proto in icmp udp tcp; do
	proto_options "$proto"
	ht "iso_$proto" -n -j --each -q 5 -c 2 -i 0.2 -w 1 -m 4 "${popt[@]}" \
		--worker "a=$HOPPROBE" --worker "b=$HOPPROBE" \
		"$LAB_TARGET4" "$LAB_TARGET6" "$LAB_BLACKHOLE4" "$LAB_BLACKHOLE6"
	# The black holes are not reached: exit 1, nothing else wrong.
	check "[1] $proto: --each of two workers in one namespace, exit 1 (black holes)" \
		rc_was "iso_$proto" 1
	check "[1] $proto: every probe of each worker answered by its hop, none by the other's" \
		"$PY" "$CHECK" isolation "$T/iso_$proto.out" "a,b" \
		"$LAB_TARGET4=$paths" "$LAB_TARGET6=$paths6" \
		"$LAB_BLACKHOLE4=r1=$LAB_R1_4" \
		"$LAB_BLACKHOLE6=r1=$LAB_R1_6"
done

# Two runs at once in the namespace, each with a worker of its own, on
# the same flow (so the same ICMP checksum and header bytes) to the black
# hole: one probes only ttl 1 (r1 answers time exceeded at once), the
# other only ttl 2 (r2 drops it: each probe waits its whole second).  Were
# their identities to meet, a time exceeded for the first run's probe
# would answer a waiting probe of the second: it would show r1 at ttl 2.
# With only the ICMP identifiers alike (the per-worker keyed sequence
# numbers still differ), 400 probes against up to 400 waiting make that
# about 2 matches expected in a run.  About two seconds each, overlapping.
for proto in icmp udp tcp; do
	proto_options "$proto"
	for run in near far; do
		ttl=1
		[[ $run == far ]] && ttl=2
		in_ns "$NS_HOST" timeout 60 "$HOPTRACE" -n -j -f "$ttl" -m "$ttl" \
			-q 10 -c 40 -i 0.025 -w 1 "${popt[@]}" --worker "$HOPPROBE" \
			"$LAB_BLACKHOLE4" </dev/null >"$T/${run}_$proto.out" \
			2>"$T/${run}_$proto.err" &
		if [[ $run == near ]]; then near=$!; else far=$!; fi
	done
	rc=0
	wait "$near" || rc=$?
	printf '%s\n' "$rc" >"$T/near_$proto.rc"
	rc=0
	wait "$far" || rc=$?
	printf '%s\n' "$rc" >"$T/far_$proto.rc"
	check "[1] $proto: two runs at once, ttl 1 and ttl 2 only: both exit 1 (not reached)" \
		eval 'rc_was near_'"$proto"' 1 && rc_was far_'"$proto"' 1'
	check "[1] $proto: the ttl-1 run's 400 probes all answered by r1" \
		"$PY" "$CHECK" isolation "$T/near_$proto.out" "-" \
		"$LAB_BLACKHOLE4=r1=$LAB_R1_4"
	check "[1] $proto: the ttl-2 run's 400 probes all unanswered (none took r1's answers to the other)" \
		"$PY" "$CHECK" isolation "$T/far_$proto.out" "-" \
		"$LAB_BLACKHOLE4=r1=$LAB_R1_4"
done

# ---- [2] --split -----------------------------------------------------------
ht split -n -j --split -q 2 -w 1 --worker "a=$HOPPROBE" --worker "b=$HOPPROBE" \
	"$LAB_TARGET4" "$LAB_TARGET6" "$LAB_R2_4" "$LAB_R2_6"
check "[2] --split of four targets over two workers: exit 0" rc_was split 0
check "[2] ... two traces each, every one reached" \
	"$PY" "$CHECK" split "$T/split.out" "a=2,b=2"

# ---- [3] a worker killed mid-run -------------------------------------------
# icmp_time_exceeded: the host's count of ICMP time-exceeded it received.
icmp_time_exceeded()
{
	in_ns "$NS_HOST" awk '$1 == "Icmp:" && $2 ~ /^[0-9]+$/ { print $16 }' \
		/proc/net/snmp
}
pidfile=$T/b.pid
# shellcheck disable=SC2034 # used in wait_for's condition
before=$(icmp_time_exceeded)
in_ns "$NS_HOST" timeout 50 "$HOPTRACE" -n --jsonl --each -w 20 -m 5 \
	--worker "a=$HOPPROBE" \
	--worker "b=echo \$\$ > $(printf '%q' "$pidfile"); exec $(printf '%q' "$HOPPROBE")" \
	"$LAB_TARGET4" "$LAB_BLACKHOLE4" </dev/null >"$T/kill.out" 2>"$T/kill.err" &
hp=$!
# b has written its PID and the routers' answers have come: probes are out.
# shellcheck disable=SC2016 # wait_for evaluates it
if wait_for '[[ -s "$pidfile" ]] && (($(icmp_time_exceeded) >= before + 4))' 10; then
	kill -KILL "$(cat "$pidfile")"
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for '! kill -0 "$hp" 2>/dev/null' 40 || kill -TERM "$hp"
	rc=0
	wait "$hp" || rc=$?
	printf '%s\n' "$rc" >"$T/kill.rc"
	check "[3] --each, worker b killed mid-run: exit 4 (partial)" rc_was kill 4
	check "[3] ... stderr says b is gone and the run goes on" \
		grep -Eq "signal 9|SIGKILL|killed.*going on with the others" "$T/kill.err"
	check "[3] ... b's probes out are worker-lost, its trace ends there; a's traces end as the lab says" \
		"$PY" "$CHECK" killed "$T/kill.out" b a "$LAB_TARGET4" "$LAB_BLACKHOLE4"
else
	kill -TERM "$hp" 2>/dev/null
	wait "$hp"
	not_ok "[3] worker b never started probing (pid file: $(cat "$pidfile" 2>/dev/null))"
fi

echo "# $checks checks, $failures failed"
((failures == 0))

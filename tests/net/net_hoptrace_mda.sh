#!/bin/bash
#
# tests/net/net_hoptrace_mda.sh: hoptrace --mda finds the next hops of
# every load balancer on a path with two of them, a 4-way and a 2-way one,
# at 95% confidence, run after run, with no more flows than the stopping
# rule allows.
#
# The lab is mda_lib.sh's (see there for the plan and the hash):
#
#	host -- r1 -- {m1, m2, m3, m4} -- r3 -- {s1, s2} -- mtgt
#
# hop 1 r1, hop 2 one of m1..m4, hop 3 r3 (in IPv6 from the address of
# the link the probe came in by: four of them), hop 4 one of s1, s2, hop 5
# the target.  Per family, for UDP (-U), TCP (-T) and ICMP (the default:
# r1 and r3 balance echo requests by nftables, as routers that hash ICMP's
# first word do), 20 runs of `hoptrace --mda -j -c 1 -q 1`, each with
# flows of its own: run i starts at --flow F + 64 i, F random in the auto
# range (28232-32767, source ports 61000-65535), so no two runs share a
# flow and their outcomes are independent (--flow auto, from the process
# id, lets two of 20 runs overlap now and then).  Checked by
# hoptrace_mda_check.py, which computes the rule's stopping points n_k on
# its own (exact fractions, checked against the published table):
#   - every run: hop 2 shows only m1..m4 and hop 4 only s1 and s2, by the
#     addresses the lab gave them on the side they answer from; every hop
#     probed by the same mda_flows flows, each flow in one path;
#     per_packet null everywhere (the lab balances per flow); the target
#     reached; the budget (64 flows) not what stopped it;
#   - every run's mda_flows within the rule's bound: n_K for the most
#     responders K one hop showed (never more than n_4 = 21), plus the
#     flows lost at one hop (none, here);
#   - the runs that showed all of m1..m4 and both s1 and s2: at 95% the
#     rule itself stops with three of four next hops seen about one run in
#     25 (at n_3 = 16 flows), so 20 of 20 is not what a correct hoptrace
#     gives every time (in less than half of all series of 20).  The
#     checker computes the exact chance that the rule misses a next hop on
#     this lab's balancers (4.2%) and allows as many incomplete runs as 20
#     runs show with chance 1 - 1e-4 (6); each incomplete run is named,
#     with what it lacked.
# The flows the runs used are printed (min/median/max), and how many runs
# were complete.  Then one run at --confidence 99 per family (UDP): the
# same checks at 99%, and at least as many flows as any of the 95% runs
# (n_4 is 28 there).  The first run of each kind is also validated
# against the schema.
#
# Environment (exported by `make check`): HOPTRACE, HOPPROBE, TESTS_SRCDIR,
# PYTHON3_SYSTEM.
# The checking functions are called through check(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping nft timeout "$PYTHON3_SYSTEM"
if [[ -z "${HOPTRACE:-}" || ! -x "$HOPTRACE" ]]; then
	skip "HOPTRACE is not set to an executable hoptrace"
fi
if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi
VALIDATE=$TESTS_SRCDIR/unit/validate_output.py
SCHEMA=$TESTS_SRCDIR/../schema/hoptrace.schema.json
CHECKER=$TESTS_SRCDIR/net/hoptrace_mda_check.py

RUNS=20
# The lab's balancers: r1's four next hops, r3's two.
WAYS=4,2

note()
{
	printf '# %s\n' "$*"
}

# shellcheck source=mda_lib.sh
. "$TESTS_SRCDIR/net/mda_lib.sh"
mda_lab_up
note "r1 and r3 hash by $MDA_HASH"

T=$(mktemp -d /tmp/net_hoptrace_mda.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf -- "$T"

have_jsonschema=1
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" jsonschema 2>/dev/null; then
	have_jsonschema=0
	note "python3-jsonschema is missing: JSON is not validated against the schema"
fi

# The worker, quoted for /bin/sh.
printf -v WORKER '%q' "$HOPPROBE"

# mda_run NAME ARGS...: hoptrace --mda -j from the host, output to
# $T/NAME.json, stderr to $T/NAME.err; returns hoptrace's status.
mda_run()
{
	local name=$1

	shift
	in_ns "$NS_HOST" timeout 30 "$HOPTRACE" --worker "$WORKER" --mda -n -j \
		-c 1 -q 1 -w 1 -m 7 "$@" >"$T/$name.json" 2>"$T/$name.err"
}

# runs_ok FAM KIND: every run of family FAM and kind KIND exited 0 with
# nothing on stderr.
runs_ok()
{
	local f rc bad=0

	for f in "$T/$1-$2-"*.rc; do
		rc=$(cat "$f")
		if [[ "$rc" != 0 || -s "${f%.rc}.err" ]]; then
			printf '%s: exit %s, stderr: %s\n' "${f%.rc}" "$rc" \
				"$(cat "${f%.rc}.err")"
			bad=1
		fi
	done
	return "$bad"
}

# validate FILE: the JSON document FILE is valid by the schema.
validate()
{
	"$PYTHON3_SYSTEM" "$VALIDATE" json "$1" "$SCHEMA"
}

# The first flow of the runs: 20 windows of 64 (the budget) from there
# stay within the auto range.
FIRST_FLOW=$((28232 + RANDOM % (4536 - RUNS * 64)))
note "the runs' flows: $FIRST_FLOW to $((FIRST_FLOW + RUNS * 64 - 1)), 64 a run"

start_us=$(_lab_now_us)
for fam in $FAMILIES; do
	mda_addresses "$fam"
	v=IPv$fam
	mid_list=${mids// /,}
	side_list=${sides// /,}
	for kind in udp tcp icmp; do
		case $kind in
		udp) proto=(-U) ;;
		tcp) proto=(-T) ;;
		icmp) proto=() ;;
		esac
		files=()
		for ((i = 1; i <= RUNS; i++)); do
			name=$fam-$kind-$i
			mda_run "$name" "${proto[@]}" \
				--flow $((FIRST_FLOW + (i - 1) * 64)) "$mtgt"
			printf '%s\n' "$?" >"$T/$name.rc"
			files+=("$T/$name.json")
		done
		check "$v $kind: $RUNS runs of --mda exit 0, nothing on stderr" \
			runs_ok "$fam" "$kind"
		if ((have_jsonschema)); then
			check "$v $kind: the first run's JSON is valid (validate_output.py)" \
				validate "${files[0]}"
		fi
		if out=$("$PYTHON3_SYSTEM" "$CHECKER" runs 95 "$v $kind --mda" \
			"$WAYS" "2=$mid_list" "4=$side_list" -- "${files[@]}" 2>&1); then
			ok "$v $kind: $RUNS runs: hop 2 only $mids, hop 4 only $sides, mda_flows within the rule's bound, misses no more than the rule allows"
		else
			not_ok "$v $kind: $RUNS runs: hop 2 only $mids, hop 4 only $sides, mda_flows within the rule's bound, misses no more than the rule allows"
		fi
		# The checker's lines: "# " notes (the flows used), problems.
		printf '%s\n' "$out" | sed '/^# /!s/^/#   /'
	done

	# --confidence 99: more flows than 95 ever needed here.
	mda_run "$fam-udp99-1" -U --confidence 99 --flow "$FIRST_FLOW" "$mtgt"
	printf '%s\n' "$?" >"$T/$fam-udp99-1.rc"
	check "$v udp --confidence 99: exit 0, nothing on stderr" \
		runs_ok "$fam" udp99
	if out=$("$PYTHON3_SYSTEM" "$CHECKER" runs 99 "$v udp --mda --confidence 99" \
		"$WAYS" "2=$mid_list" "4=$side_list" -- "$T/$fam-udp99-1.json" 2>&1); then
		ok "$v udp --confidence 99: hop 2 only $mids, hop 4 only $sides, mda_flows within the 99% rule's bound"
	else
		not_ok "$v udp --confidence 99: hop 2 only $mids, hop 4 only $sides, mda_flows within the 99% rule's bound"
	fi
	printf '%s\n' "$out" | sed '/^# /!s/^/#   /'
	if out=$("$PYTHON3_SYSTEM" "$CHECKER" atleast "$T/$fam-udp99-1.json" \
		"$T/$fam-udp-"*.json 2>&1); then
		ok "$v udp --confidence 99: at least as many flows as any of the $RUNS runs at 95%"
	else
		not_ok "$v udp --confidence 99: at least as many flows as any of the $RUNS runs at 95%"
	fi
	printf '%s\n' "$out" | sed '/^# /!s/^/#   /'
done
note "the runs took $((($(_lab_now_us) - start_us) / 1000)) ms"

if ((failures)); then
	printf '# %d of %d check(s) failed\n' "$failures" "$checks"
	exit 1
fi
printf '# all %d checks passed\n' "$checks"
exit 0

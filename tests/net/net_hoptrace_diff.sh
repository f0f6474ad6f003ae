#!/bin/bash
#
# tests/net/net_hoptrace_diff.sh: --record, --replay with --fail-on, and
# hoptrace diff, end to end in a lab whose second hop can be either of two
# routers (ecmp_lib.sh, with r1's route to the target on one next hop at a
# time instead of both):
#
#	host -- r1 --(ecmp-a)-- r2a --(a-tgt)-- etgt
#	           \--(ecmp-b)-- r2b --(b-tgt)--/
#
# Checked:
#   [1] hoptrace -n --record A.jsonl (text): exit 0; its text is what
#       --replay A.jsonl renders in text, byte for byte; the recording
#       replayed as --jsonl is itself; hop 2 is r2a
#   [2] the route moved to r2b, B.jsonl recorded; hop 2 is r2b
#   [3] hoptrace diff A B: exit 1, exactly one line per target naming hop
#       2 with r2a's address vanished and r2b's appeared, and the summary;
#       -j says the same (diff_check.py) and is valid against the schema;
#       diff A A: exit 0, no differences
#   [4] --replay with --fail-on: conditions that cannot hold (unreached for
#       reached targets; dest.rtt>1s with -w 0.5) exit 0 with nothing on
#       stderr; ones that must hold (dest.rtt<1s, hop[2].loss>=0%) exit 1,
#       and the replay says on stderr exactly what the live run said
#   [5] with r1 balancing per flow over r2a and r2b, -U --flows 16 --flow
#       2000 recorded as D, then through r2a alone as E: diff -j D E has,
#       at hop 2, a "flow" difference for exactly the flows D's and E's
#       probe records show answered by different routers
#       (diff_flows_check.py), and diff D E says r2b vanished at hop 2
#
# Every expected address comes from ecmp_lib.sh's plan, never from
# hoptrace's output.  Environment (from `make check`): HOPTRACE, HOPPROBE,
# TESTS_SRCDIR, PYTHON3_SYSTEM.
# The checking functions are called through check(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPTRACE:?HOPTRACE must name the hoptrace executable}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
# shellcheck source=run_lib.sh
. "$TESTS_SRCDIR/net/run_lib.sh"
# shellcheck source=ecmp_lib.sh
. "$TESTS_SRCDIR/net/ecmp_lib.sh"
require_root_and_tools ip ping timeout cmp "$PYTHON3_SYSTEM" "$HOPTRACE" \
	"$HOPPROBE"

CHECKER=$TESTS_SRCDIR/net/diff_check.py

ecmp_lab_up
T=$(mktemp -d /tmp/net_hoptrace_diff.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"

printf -v WORKER '%q' "$HOPPROBE"

# The targets, one per family of the lab.
TARGETS=()
for fam in $FAMILIES; do
	family_addresses "$fam"
	TARGETS+=("$etgt")
done

# via_router a|b: r1 sends the target's traffic through r2a or r2b only.
via_router()
{
	local fam v

	for fam in $FAMILIES; do
		v=ETGT$fam
		local dst=${!v}
		v=R2${1^^}$fam
		local hop=${!v}
		if [[ $fam == 4 ]]; then
			ip -n "$NS_R1" route replace "$dst/32" via "$hop" ||
				fail "route $dst via $hop"
		else
			ip -n "$NS_R1" -6 route replace "$dst/128" via "$hop" ||
				fail "route $dst via $hop"
		fi
	done
	# The first probes of a trace must not wait for neighbour discovery.
	for fam in $FAMILIES; do
		family_addresses "$fam"
		# shellcheck disable=SC2016 # wait_for evaluates it
		wait_for 'in_ns "$NS_HOST" ping -c1 -W1 "$etgt" >/dev/null 2>&1' 5 ||
			fail "no ping to $etgt via r2$1"
	done
}

# live NAME ARGS...: hoptrace from the host to every target; stdout to
# $T/NAME.out, stderr to $T/NAME.err, the exit status in RC.
live()
{
	local name=$1

	shift
	RC=0
	in_ns "$NS_HOST" timeout 60 "$HOPTRACE" --worker "$WORKER" -n \
		-q 3 -w 0.5 -m 6 "$@" "${TARGETS[@]}" \
		>"$T/$name.out" 2>"$T/$name.err" || RC=$?
}

# hop_line FILE TTL ADDR: the text output FILE's hop TTL line names ADDR.
hop_line()
{
	grep -Eq "^ *$2  $(re_escape "$3")( |$)" "$1" || {
		printf 'no hop %s line with %s in:\n' "$2" "$3"
		cat "$1"
		return 1
	}
}

empty_file()
{
	[[ ! -s "$1" ]] || { printf '%s is not empty:\n' "$1"; cat "$1"; return 1; }
}

# quiet_ok WANT NAME: run NAME exited WANT with nothing on stderr.
quiet_ok()
{
	rc_is "$1" "$2" && empty_file "$T/$2.err"
}

# out_is WANT NAME FILE: run NAME exited WANT and printed FILE exactly.
out_is()
{
	rc_is "$1" "$2" && same_file "$3" "$T/$2.out"
}

# first_line_is WANT NAME FILE: exited WANT; FILE's line is the first.
first_line_is()
{
	rc_is "$1" "$2" && same_file "$3" <(head -n 1 "$T/$2.out")
}

# hops_are FILE R2 TARGET: hop 2 is R2 and hop 3 TARGET.
hops_are()
{
	hop_line "$1" 2 "$2" && hop_line "$1" 3 "$3"
}

json_diff_ok()
{
	rc_is 1 diff-AB-j &&
		"$PYTHON3_SYSTEM" "$CHECKER" "$T/diff-AB-j.out" "$T/want-diff"
}

reasons_ok()
{
	rc_is 1 C && lines_match "$T/C.err"
}

replay_as_live()
{
	rc_is 1 C-replay && same_file "$T/C.err" "$T/C-replay.err" &&
		same_file "$T/C.out" "$T/C-replay.out"
}

# ---- [1] record A through r2a ----------------------------------------------
via_router a
live A --record "$T/A.jsonl"
check "[1] --record A.jsonl: exit 0, nothing on stderr" quiet_ok 0 A
offline A-replay --replay "$T/A.jsonl" -n
check "[1] --replay A.jsonl -n: exit 0 and the live text byte for byte" \
	out_is 0 A-replay "$T/A.out"
offline A-jsonl --replay "$T/A.jsonl" --jsonl
check "[1] A.jsonl replayed as --jsonl is itself" \
	out_is 0 A-jsonl "$T/A.jsonl"
for fam in $FAMILIES; do
	family_addresses "$fam"
	check "[1] A: IPv$fam hop 2 is r2a ($r2a), hop 3 the target" \
		hops_are "$T/A.out" "$r2a" "$etgt"
done

# ---- [2] record B through r2b ----------------------------------------------
via_router b
live B --record "$T/B.jsonl"
check "[2] --record B.jsonl: exit 0" rc_is 0 B
for fam in $FAMILIES; do
	family_addresses "$fam"
	check "[2] B: IPv$fam hop 2 is r2b ($r2b)" hop_line "$T/B.out" 2 "$r2b"
done

# ---- [3] hoptrace diff -------------------------------------------------------
: >"$T/want-diff"
for fam in $FAMILIES; do
	family_addresses "$fam"
	printf '%s hop 2: %s vanished, %s appeared\n' "$etgt" "$r2a" "$r2b" \
		>>"$T/want-diff"
done
n=${#TARGETS[@]}
if ((n == 1)); then
	printf '1 difference, 1 trace compared\n' >>"$T/want-diff"
else
	printf '%d differences, %d traces compared\n' "$n" "$n" >>"$T/want-diff"
fi
offline diff-AB diff "$T/A.jsonl" "$T/B.jsonl"
check "[3] diff A B: exit 1, hop 2 r2a vanished and r2b appeared, per target" \
	out_is 1 diff-AB "$T/want-diff"
offline diff-AB-j diff -j "$T/A.jsonl" "$T/B.jsonl"
check "[3] diff -j A B: exit 1, the same differences as JSON" json_diff_ok
if "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" jsonschema 2>/dev/null; then
	check "[3] diff -j A B: valid against the schema (validate_output.py diff)" \
		"$PYTHON3_SYSTEM" "$TESTS_SRCDIR/unit/validate_output.py" diff \
		"$T/diff-AB-j.out" "$TESTS_SRCDIR/../schema/hoptrace.schema.json"
else
	printf '# python3-jsonschema is missing: diff -j is not validated\n'
fi
offline diff-AA diff "$T/A.jsonl" "$T/A.jsonl"
if ((n == 1)); then
	printf 'no differences, 1 trace compared\n' >"$T/want-same"
else
	printf 'no differences, %d traces compared\n' "$n" >"$T/want-same"
fi
check "[3] diff A A: exit 0, no differences" out_is 0 diff-AA "$T/want-same"
offline diff-BA diff "$T/B.jsonl" "$T/A.jsonl"
printf '%s hop 2: %s vanished, %s appeared\n' "$ETGT4" "$R2B4" "$R2A4" >"$T/want-BA"
check "[3] diff B A: exit 1, the other way round" \
	first_line_is 1 diff-BA "$T/want-BA"

# ---- [4] --fail-on, live and replayed --------------------------------------
offline never-unreached --replay "$T/A.jsonl" -n --fail-on unreached
check "[4] --replay A --fail-on unreached: exit 0, stderr empty" \
	quiet_ok 0 never-unreached
offline never-slow --replay "$T/A.jsonl" -n --fail-on 'dest.rtt>1s'
check "[4] --replay A --fail-on dest.rtt>1s (with -w 0.5): exit 0, stderr empty" \
	quiet_ok 0 never-slow

HOLD=(--fail-on 'dest.rtt<1s' --fail-on 'hop[2].loss>=0%' --fail-on 'dest.rtt>1s'
	--fail-on unreached)
live C --record "$T/C.jsonl" "${HOLD[@]}"
# Per target, in argument order: its two conditions, in the order given.
want_re()
{
	local t

	for t in "${TARGETS[@]}"; do
		t=$(re_escape "$t")
		printf "^hoptrace: %s: --fail-on 'dest\\.rtt < 1s' holds: dest rtt [0-9.]+(us|ms) < 1s at hop 3\$\n" "$t"
		printf "^hoptrace: %s: --fail-on 'hop\\[2\\]\\.loss >= 0%%' holds: hop\\[2\\] loss [0-9.]+%% >= 0%%\$\n" "$t"
	done
}
lines_match()
{
	local file=$1 i=0 line
	local -a res

	mapfile -t res < <(want_re)
	while IFS= read -r line; do
		if ((i >= ${#res[@]})) || [[ ! "$line" =~ ${res[i]} ]]; then
			printf 'line %d: %s\nwant:   %s\n' "$((i + 1))" "$line" "${res[i]:-nothing}"
			return 1
		fi
		i=$((i + 1))
	done <"$file"
	((i == ${#res[@]})) || { printf '%d lines, want %d\n' "$i" "${#res[@]}"; return 1; }
}
check "[4] live --fail-on dest.rtt<1s, hop[2].loss>=0%: exit 1, each said per target" \
	reasons_ok
offline C-replay --replay "$T/C.jsonl" -n "${HOLD[@]}"
check "[4] --replay C with the same --fail-on: exit 1, stderr and stdout as live" \
	replay_as_live
offline C-replay-none --replay "$T/C.jsonl" -n --fail-on unreached
check "[4] --replay C --fail-on unreached: exit 0 (the recording's own conditions do not count)" \
	quiet_ok 0 C-replay-none

# ---- [5] diff of two --flows runs across a changed route -------------------
# r1 balances the target over r2a and r2b again, per flow (the hash of
# net_hoptrace_ecmp.sh); D is recorded with 16 flows from 2000; then r1
# sends everything through r2a and E is recorded with the same flows.
for fam in $FAMILIES; do
	v=ipv$fam
	if in_ns "$NS_R1" test -e "/proc/sys/net/$v/fib_multipath_hash_fields"; then
		_lab_sysctl "$NS_R1" "net.$v.fib_multipath_hash_policy" 3
		_lab_sysctl "$NS_R1" "net.$v.fib_multipath_hash_fields" 0x37
	else
		_lab_sysctl "$NS_R1" "net.$v.fib_multipath_hash_policy" 1
	fi
	family_addresses "$fam"
	if [[ $fam == 4 ]]; then
		ip -n "$NS_R1" route replace "$etgt/32" nexthop via "$R2A4" \
			nexthop via "$R2B4" || fail "multipath route to $etgt"
	else
		ip -n "$NS_R1" -6 route replace "$etgt/128" nexthop via "$R2A6" \
			nexthop via "$R2B6" || fail "multipath route to $etgt"
	fi
done
# UDP: the kernel's hash sees its ports; ICMP flows would all hash alike.
FLOWS=(-U --flows 16 --flow 2000)
live D --record "$T/D.jsonl" "${FLOWS[@]}"
check "[5] --flows 16 over both routers, recorded as D: exit 0" quiet_ok 0 D
via_router a
live E --record "$T/E.jsonl" "${FLOWS[@]}"
check "[5] --flows 16 through r2a only, recorded as E: exit 0" quiet_ok 0 E
offline diff-DE-j diff -j "$T/D.jsonl" "$T/E.jsonl"
# flows_moved: the flow differences at hop 2 are exactly the flows the
# recordings show answered by another router (diff_flows_check.py).
flows_moved()
{
	rc_is 1 diff-DE-j &&
		"$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/diff_flows_check.py" \
			"$T/D.jsonl" "$T/E.jsonl" "$T/diff-DE-j.out" 2
}
check "[5] diff -j D E: exit 1, hop 2's flow differences are the flows that moved from r2b to r2a" \
	flows_moved
# r2b_vanished: per target, hop 2 of D E names r2b vanished (the 16 flows
# all hashing to r2a in D has the chance 2 in 2^16 per family).
r2b_vanished()
{
	local fam want

	for fam in $FAMILIES; do
		family_addresses "$fam"
		want="$etgt hop 2: $r2b vanished"
		grep -qxF "$want" "$T/diff-DE.out" || {
			printf 'no line "%s" in:\n' "$want"
			cat "$T/diff-DE.out"
			return 1
		}
	done
}
offline diff-DE diff "$T/D.jsonl" "$T/E.jsonl"
check "[5] diff D E: hop 2 of each target says r2b vanished" r2b_vanished

echo "# $checks checks, $failures failed"
((failures == 0))

#!/bin/bash
#
# tests/net/net_hoptrace_ecmp.sh: hoptrace shows every router that answers
# for one hop, when equal-cost multipath spreads the probes over two.
#
# lab_up's host and r1, plus three namespaces of this test:
#
#	host -- r1 --(ecmp-a)-- r2a --(a-tgt)-- etgt
#	           \--(ecmp-b)-- r2b --(b-tgt)--/
#
#	ecmp-a  198.51.100.64/26   2001:db8:20:1::/64  r1 .65  ::1  r2a .66  ::2
#	ecmp-b  198.51.100.128/26  2001:db8:20:2::/64  r1 .129 ::1  r2b .130 ::2
#	a-tgt   198.51.100.192/28  2001:db8:20:3::/64  r2a .193 ::1 etgt .194 ::2
#	b-tgt   198.51.100.208/28  2001:db8:20:4::/64  r2b .209 ::1 etgt .210 ::2
#	etgt's own address (on lo): 198.51.100.250, 2001:db8:20:ff::1
#
# (lab_up's only use of 198.51.100.0/24 is LAB_UNREACH_NET4, 198.51.100.9,
# which r1 must not route: it still does not.)  r1 routes the target's
# address over both next hops (`nexthop via r2a nexthop via r2b`) with the
# custom multipath hash over addresses, protocol and ports
# (fib_multipath_hash_policy 3, fib_multipath_hash_fields 0x37, both
# families; policy 1 on a kernel without fields), so the kernel picks a
# path per flow from addresses and ports.  Not policy 1 where 3 exists:
# under it the hash the host's socket gave a packet can cross the veth and
# pick the path whatever the ports (a run once sent all 16 flows of
# --flows 16 one way).  The UDP probes of
# hoptrace -U change their destination port from probe to probe (33434 +
# identity % 100), so hop 2's probes, 40 of them (-q 10 -c 4), are many
# flows spread over r2a and r2b.  They go to 30 or more different ports
# (the identities of one run span some 140 values), and the chance that
# all of them hash to one path is about 2 in 2^30, below 1e-8; should it
# happen, the test says so (the kernel's counters show it) and fails.
#
# Expected values come from the lab: r1, r2a, r2b and etgt by their
# addresses and names (lab_dns_up serves them), and how many of hop 2's
# probes each of r2a and r2b answered from the kernel's own counter of the
# time-exceeded errors it sent (Icmp OutTimeExcds, Icmp6OutTimeExcds in
# each router's namespace), read before and after every run.  Checked per
# family:
#   - text (with names): hop 2's line lists r2a and r2b by name and
#     address, with as many times each as the router sent; hop 1 is r1 and
#     hop 3 the target, 40 answers each; exit 0;
#   - JSON: valid (validate_output.py); hop 2 has exactly the two
#     responders, whose answers are the routers' counts and sum to the
#     hop's received count, 40 of 40;
#   - report: hop 2's line names one of the two routers, the line after
#     it the other, and no third;
#   - CSV: valid; hop 2's responders field holds both addresses and
#     nothing else, its responder field the first of them.
# Those runs are made with --flow off (probes as traceroute sends them).
# Then Paris traceroute (--flow), per family:
#   - the default (--flow auto) holds one flow for the whole trace: all
#     40 of hop 2's probes cross the same router (the counters: one of
#     r2a and r2b sent 40, the other 0), JSON's hop 2 has that router
#     alone, the trace's flow is in 28232-32767 and every probe has it;
#   - --flow 1000 to 1015, one trace each (2 probes a hop): each crosses
#     one router, and the 16 flows together cross both (all 16 hashing to
#     one path has the chance 2 in 2^16).
# And every path with its own numbers (--flows 16, 10 cycles):
#   - JSON's hop 2 has exactly the paths r2a and r2b (should the 16 flows
#     all hash to one router, the check fails and the note above says
#     so), with the 16 flows between them, each path's probes answered as
#     many times as its router's counter says, no per-packet flow;
#   - with r2a dropping 30% of what the host sends it (nftables numgen on
#     r2a's prerouting), r2b's path still loses nothing, each path answers
#     what its router's counter says, and r2a's path loses 30% within 4.5
#     standard deviations of its probe count; the report shows a line per
#     path under hop 2;
#   - whether each path's loss carries on (--flows 16, 30 cycles): with
#     r2a still dropping 30% of what the host sends it and r2b dropping
#     30% of its own time-exceeded errors (nftables numgen on r2b's
#     output, with a counter), JSON's loss verdict for r2a's path is
#     "carries" and for r2b's "own", with as many lost as r2b's counter
#     dropped and none lost at the destination over r2b's flows, both
#     compared with the destination at hop 3 over as many probes; the
#     report says "carries on" and "does not carry on" for them.  With
#     about 240 probes a path the verdicts flip by chance far less than
#     once in 10,000 runs (loss_verdict.h).
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

QUERIES=10
CYCLES=4
PROBES=$((QUERIES * CYCLES))

note()
{
	printf '# %s\n' "$*"
}

NAME_R2A=r2a.lab.example
NAME_R2B=r2b.lab.example
NAME_ETGT=ecmp-target.lab.example

# shellcheck source=ecmp_lib.sh
. "$TESTS_SRCDIR/net/ecmp_lib.sh"
ecmp_lab_up

T=$(mktemp -d /tmp/net_hoptrace_ecmp.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf -- "$T"

hash_families=ipv4
((LAB_HAVE_IPV6)) && hash_families+=" ipv6"
for v in $hash_families; do
	if in_ns "$NS_R1" test -e "/proc/sys/net/$v/fib_multipath_hash_fields"; then
		_lab_sysctl "$NS_R1" "net.$v.fib_multipath_hash_policy" 3
		_lab_sysctl "$NS_R1" "net.$v.fib_multipath_hash_fields" 0x37
	else
		_lab_sysctl "$NS_R1" "net.$v.fib_multipath_hash_policy" 1
	fi
done

lab_dns_up \
	"--host-record=$NAME_R2A,$R2A4,$R2A6" \
	"--host-record=$NAME_R2A,$R2A_T4,$R2A_T6" \
	"--host-record=$NAME_R2B,$R2B4,$R2B6" \
	"--host-record=$NAME_R2B,$R2B_T4,$R2B_T6" \
	"--host-record=$LAB_NAME_R1,$R1A4,$R1A6" \
	"--host-record=$LAB_NAME_R1,$R1B4,$R1B6" \
	"--host-record=$NAME_ETGT,$ETGT4,$ETGT6" \
	"--host-record=$NAME_ETGT,$TGT_A4,$TGT_A6" \
	"--host-record=$NAME_ETGT,$TGT_B4,$TGT_B6"

# time_exceeded NS FAM: how many ICMP (4) or ICMPv6 (6) time-exceeded
# errors the kernel of NS has sent.
time_exceeded()
{
	local n

	if [[ "$2" == 4 ]]; then
		# shellcheck disable=SC2016 # awk, not shell
		n=$(in_ns "$1" awk '$1 == "Icmp:" { if (h) { print $i; exit } for (i = 1; i <= NF; i++) if ($i == "OutTimeExcds") break; h = 1 }' /proc/net/snmp)
	else
		# shellcheck disable=SC2016 # awk, not shell
		n=$(in_ns "$1" awk '$1 == "Icmp6OutTimeExcds" { print $2 }' /proc/net/snmp6)
	fi
	[[ "$n" =~ ^[0-9]+$ ]] || fail "cannot read the time-exceeded counter of $1 (IPv$2)"
	printf '%s\n' "$n"
}

# What trace() passes as --flow: off but for the flow checks.
FLOW=(--flow off)

# one_path_all WANT: hop 2's probes of the last trace() all crossed one
# router, WANT of them; sets PATH_ADDR to its address.
one_path_all()
{
	if ((SENT_R2A == $1 && SENT_R2B == 0)); then
		PATH_ADDR=$r2a
	elif ((SENT_R2B == $1 && SENT_R2A == 0)); then
		PATH_ADDR=$r2b
	else
		printf 'r2a answered %s and r2b %s of hop 2, want %s from one\n' \
			"$SENT_R2A" "$SENT_R2B" "$1"
		return 1
	fi
}

# The worker, quoted for /bin/sh.
printf -v WORKER '%q' "$HOPPROBE"

# trace NAME FAM ARGS...: hoptrace -U to the target of family FAM from
# the host, output to $T/NAME.out, stderr to $T/NAME.err, its status to
# $T/NAME.rc; the time-exceeded errors r1, r2a and r2b sent meanwhile to
# the variables SENT_R1, SENT_R2A and SENT_R2B.
trace()
{
	local name=$1 fam=$2 target rc before_r1 before_a before_b

	shift 2
	target=ETGT$fam target=${!target}
	before_r1=$(time_exceeded "$NS_R1" "$fam") || exit 1
	before_a=$(time_exceeded "$NS_R2A" "$fam") || exit 1
	before_b=$(time_exceeded "$NS_R2B" "$fam") || exit 1
	in_ns "$NS_HOST" timeout 30 "$HOPTRACE" --worker "$WORKER" -U \
		-q "$QUERIES" -c "$CYCLES" -i 0.1 -w 2 -m 5 "${FLOW[@]}" \
		"$@" "$target" \
		>"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	printf '%s\n' "$rc" >"$T/$name.rc"
	SENT_R1=$(time_exceeded "$NS_R1" "$fam") || exit 1
	SENT_R2A=$(time_exceeded "$NS_R2A" "$fam") || exit 1
	SENT_R2B=$(time_exceeded "$NS_R2B" "$fam") || exit 1
	SENT_R1=$((SENT_R1 - before_r1))
	SENT_R2A=$((SENT_R2A - before_a))
	SENT_R2B=$((SENT_R2B - before_b))
	note "$name: exit $rc; time-exceeded sent by r1 $SENT_R1, r2a $SENT_R2A, r2b $SENT_R2B"
	if ((SENT_R2A + SENT_R2B != PROBES)); then
		note "$name: r2a and r2b answered $((SENT_R2A + SENT_R2B)) of hop 2's $PROBES probes"
	fi
	if [[ "${FLOW[*]}" == "--flow off" ]] && ((SENT_R2A == 0 || SENT_R2B == 0)); then
		note "$name: THE KERNEL DID NOT SPREAD this run: all of hop 2's probes went through one router (r2a $SENT_R2A, r2b $SENT_R2B); the checks of both responders fail for the lab, not for hoptrace"
	fi
}

# exits_0 NAME: the run exited 0 and wrote nothing on stderr.
exits_0()
{
	local rc

	rc=$(cat "$T/$1.rc")
	if [[ "$rc" != 0 ]]; then
		printf 'exit status %s, want 0\n' "$rc"
		cat "$T/$1.out" "$T/$1.err"
		return 1
	fi
	if [[ -s "$T/$1.err" ]]; then
		printf 'stderr is not empty:\n'
		cat "$T/$1.err"
		return 1
	fi
}

# valid KIND NAME: validate_output.py accepts the run's output.
valid()
{
	"$PYTHON3_SYSTEM" "$VALIDATE" "$1" "$T/$2.out" "$SCHEMA"
}

# The parsers and checkers of the output formats: hoptrace_ecmp_check.py.
CHECKER=$TESTS_SRCDIR/net/hoptrace_ecmp_check.py

# verify KIND NAME ARGS...: run the checker on the output of run NAME.
verify()
{
	local kind=$1 name=$2

	shift 2
	"$PYTHON3_SYSTEM" "$CHECKER" "$kind" "$T/$name.out" "$@"
}

# reached_line NAME TARGET HOP: the text output ends with "reached
# TARGET ... at hop HOP".
reached_line()
{
	local last

	last=$(tail -n1 "$T/$1.out")
	if [[ "$last" != "reached "*"($2) at hop $3, ended "* ]]; then
		printf 'last line: %s\nwant: reached ... (%s) at hop %s, ended ...\n' \
			"$last" "$2" "$3"
		return 1
	fi
}

# json_ends NAME, csv_ends NAME: hop 1 of run NAME is r1 alone, hop 3 the
# target alone, every probe answered.
json_ends()
{
	verify jsonhop "$1" 1 "$PROBES" "$r1=$PROBES" &&
		verify jsonhop "$1" 3 "$PROBES" "$etgt=$PROBES"
}
csv_ends()
{
	verify csvhop "$1" 1 "$PROBES" "$r1" &&
		verify csvhop "$1" 3 "$PROBES" "$etgt"
}

# drop_30 NS TABLE HOOK MATCH: in NS, an nftables table TABLE whose chain
# at HOOK ("prerouting priority -300") drops 30% of the packets MATCH
# selects, at random, counting them.
drop_30()
{
	printf 'table inet %s {\n\tchain c {\n\t\ttype filter hook %s;\n\t\t%s numgen random mod 10 < 3 counter drop\n\t}\n}\n' \
		"$2" "$3" "$4" >"$T/$2.nft"
	in_ns "$1" nft -f "$T/$2.nft" || fail "nftables table $2 in $1"
}

# report_verdicts NAME: the report of run NAME has the loss lines of
# r2a's path (carries on) and r2b's (does not, the destination lost none).
report_verdicts()
{
	local out=$T/$1.out counts='[0-9.]+% \([0-9]+ of [0-9]+\)'

	if ! grep -qE "^loss at hop 2, path $(re_escape "$r2a"): $counts, carries on: the destination lost $counts of the same flows\$" "$out"; then
		printf 'no "carries on" line for %s in:\n' "$r2a"
		cat "$out"
		return 1
	fi
	if ! grep -qE "^loss at hop 2, path $(re_escape "$r2b"): $counts, does not carry on: the destination lost 0\.0% \(0 of [0-9]+\) of the same flows; only this hop's own answers are lost" "$out"; then
		printf 'no "does not carry on" line for %s in:\n' "$r2b"
		cat "$out"
		return 1
	fi
}

# Validation needs python3-jsonschema; without it those checks are left out.
have_jsonschema=1
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" jsonschema 2>/dev/null; then
	have_jsonschema=0
	note "python3-jsonschema is missing: JSON is not validated against the schema"
fi

start_us=$(_lab_now_us)
for fam in $FAMILIES; do
	family_addresses "$fam"
	v=IPv$fam

	# Text, with names.
	trace "text$fam" "$fam"
	check "$v text: exit 0, nothing on stderr" exits_0 "text$fam"
	check "$v text: hop 2 lists both $NAME_R2A ($r2a) and $NAME_R2B ($r2b), with their $SENT_R2A and $SENT_R2B answers" \
		verify text "text$fam" 2 \
		"$NAME_R2A ($r2a)=$SENT_R2A" "$NAME_R2B ($r2b)=$SENT_R2B"
	check "$v text: hop 1 is $LAB_NAME_R1 ($r1) alone, $SENT_R1 answers (all $PROBES)" \
		verify text "text$fam" 1 "$LAB_NAME_R1 ($r1)=$PROBES"
	check "$v text: r1 sent $PROBES time-exceeded errors" test "$SENT_R1" -eq "$PROBES"
	check "$v text: hop 3 is $NAME_ETGT ($etgt) alone, $PROBES answers" \
		verify text "text$fam" 3 "$NAME_ETGT ($etgt)=$PROBES"
	check "$v text: the trace reached $etgt at hop 3" \
		reached_line "text$fam" "$etgt" 3

	# JSON.
	trace "json$fam" "$fam" -n -j
	check "$v json: exit 0, nothing on stderr" exits_0 "json$fam"
	if ((have_jsonschema)); then
		check "$v json: valid (validate_output.py)" valid json "json$fam"
	fi
	check "$v json: hop 2 has exactly the responders $r2a ($SENT_R2A answers) and $r2b ($SENT_R2B), summing to received, $PROBES of $PROBES" \
		verify jsonhop "json$fam" 2 "$PROBES" "$r2a=$SENT_R2A" "$r2b=$SENT_R2B"
	check "$v json: hop 1 is $r1 alone, hop 3 $etgt alone" \
		json_ends "json$fam"
	check "$v json: the trace reached $etgt at distance 3" \
		verify jsontrace "json$fam" 3 "$etgt"

	# Report, with names and addresses (-b).
	trace "report$fam" "$fam" -r -b
	check "$v report: exit 0, nothing on stderr" exits_0 "report$fam"
	check "$v report: hop 2 shows one of r2a and r2b, the other on its own line below" \
		verify report "report$fam" 2 "$PROBES" \
		"$NAME_R2A ($r2a)" "$NAME_R2B ($r2b)"
	check "$v report: hop 1 shows r1 alone" \
		verify report "report$fam" 1 "$PROBES" "$LAB_NAME_R1 ($r1)"

	# CSV.
	trace "csv$fam" "$fam" -n -C
	check "$v csv: exit 0, nothing on stderr" exits_0 "csv$fam"
	check "$v csv: valid (validate_output.py)" valid csv "csv$fam"
	check "$v csv: hop 2's responders field holds $r2a and $r2b, its responder the first of them" \
		verify csvhop "csv$fam" 2 "$PROBES" "$r2a" "$r2b"
	check "$v csv: hop 1's responders field holds $r1 alone, hop 3's $etgt alone" \
		csv_ends "csv$fam"

	# Paris traceroute: the default flow holds the path.
	FLOW=()
	trace "flow$fam" "$fam" -n -j
	check "$v --flow auto: exit 0, nothing on stderr" exits_0 "flow$fam"
	# Called here, not in check's subshell, for PATH_ADDR.
	PATH_ADDR=
	one_path_all "$PROBES" >/dev/null
	check "$v --flow auto: all $PROBES of hop 2's probes crossed one router (r2a $SENT_R2A, r2b $SENT_R2B)" \
		one_path_all "$PROBES"
	if [[ -n "$PATH_ADDR" ]]; then
		check "$v --flow auto: JSON's hop 2 is $PATH_ADDR alone, $PROBES answers" \
			verify jsonhop "flow$fam" 2 "$PROBES" "$PATH_ADDR=$PROBES"
	fi
	check "$v --flow auto: one flow (28232-32767) in the trace and every probe" \
		verify flowheld "flow$fam"
	seen_a=0 seen_b=0 split=0
	for n in $(seq 1000 1015); do
		FLOW=(--flow "$n")
		QUERIES=2 CYCLES=1 PROBES=2 trace "flow$fam-$n" "$fam" -n
		if ! exits_0 "flow$fam-$n" || ! one_path_all 2; then
			split=$((split + 1))
		elif [[ "$PATH_ADDR" == "$r2a" ]]; then
			seen_a=$((seen_a + 1))
		else
			seen_b=$((seen_b + 1))
		fi
	done
	# Every path with its own numbers.
	FLOW=(--flows 16)
	QUERIES=1 CYCLES=10 PROBES=160 trace "paths$fam" "$fam" -n -j
	check "$v --flows 16: exit 0, nothing on stderr" exits_0 "paths$fam"
	check "$v --flows 16: hop 2's paths are r2a ($SENT_R2A answers) and r2b ($SENT_R2B), the 16 flows between them" \
		verify jsonpaths "paths$fam" 2 16 "$r2a=$SENT_R2A" "$r2b=$SENT_R2B"
	check "$v --flows 16: all 160 probes of hop 2 answered (r2a $SENT_R2A + r2b $SENT_R2B)" \
		test $((SENT_R2A + SENT_R2B)) -eq 160
	if [[ $fam == 4 ]]; then
		match="ip saddr $LAB_HOST4"
	else
		match="ip6 saddr $LAB_HOST6"
	fi
	drop_30 "$NS_R2A" hp_ecmp_drop "prerouting priority -300" "$match"
	QUERIES=1 CYCLES=10 PROBES=160 trace "pathloss$fam" "$fam" -n -j
	check "$v --flows 16, r2a dropping 30%: hop 2's paths r2a ($SENT_R2A answers) and r2b ($SENT_R2B), the $((160 - SENT_R2A - SENT_R2B)) lost in r2a's" \
		verify jsonpaths "pathloss$fam" 2 16 "$r2a=$SENT_R2A" "$r2b=$SENT_R2B"
	check "$v --flows 16, r2a dropping 30%: r2a's path loses 30% (within 4.5 sd)" \
		verify pathloss "pathloss$fam" 2 "$r2a" 30 4.5
	check "$v --flows 16, r2a dropping 30%: r2b's path loses nothing" \
		verify pathloss "pathloss$fam" 2 "$r2b" 0 0
	QUERIES=1 CYCLES=10 PROBES=160 trace "pathreport$fam" "$fam" -n -r
	check "$v --flows 16 -r: hop 2 has a path line for r2a and one for r2b (0.0%)" \
		eval 'grep -qE "^   \| > $(re_escape "$r2a") +[0-9.]+% +[0-9]+ .*  flows [0-9,]+\$" "$T/pathreport$fam.out" &&
			grep -qE "^   \| > $(re_escape "$r2b") +0\.0% +[0-9]+ .*  flows [0-9,]+\$" "$T/pathreport$fam.out"'
	# Whether each path's loss carries on: r2a still drops 30% of what
	# the host sends it (its probes die there), and r2b now drops 30% of
	# its own time-exceeded errors (it forwards everything), counted.
	if [[ $fam == 4 ]]; then
		match="icmp type time-exceeded"
	else
		match="icmpv6 type time-exceeded"
	fi
	drop_30 "$NS_R2B" hp_ecmp_own "output priority 0" "$match"
	QUERIES=1 CYCLES=30 PROBES=480 trace "verdict$fam" "$fam" -n -j
	own_dropped=$(in_ns "$NS_R2B" nft list table inet hp_ecmp_own |
		sed -n 's/.*counter packets \([0-9]*\) .*/\1/p')
	note "verdict$fam: r2b dropped $own_dropped of its time-exceeded errors"
	check "$v --flows 16, r2a dropping 30% of the probes: its path's loss carries on to the destination (JSON)" \
		verify verdict "verdict$fam" 2 "$r2a" carries 3 -
	check "$v --flows 16, r2b dropping 30% of its own answers: its path's loss does not carry on, $own_dropped lost (JSON)" \
		verify verdict "verdict$fam" 2 "$r2b" own 3 "$own_dropped"
	QUERIES=1 CYCLES=30 PROBES=480 trace "verdictreport$fam" "$fam" -n -r
	check "$v --flows 16 -r: the report says r2a's loss carries on and r2b's does not" \
		report_verdicts "verdictreport$fam"
	sed 's/^/# /' "$T/verdictreport$fam.out"
	in_ns "$NS_R2B" nft delete table inet hp_ecmp_own || fail "nftables on r2b"
	in_ns "$NS_R2A" nft delete table inet hp_ecmp_drop || fail "nftables on r2a"

	FLOW=(--flow off)
	check "$v --flow 1000-1015: each flow's hop 2 crossed one router ($split did not)" \
		test "$split" -eq 0
	check "$v --flow 1000-1015: the flows crossed both ($seen_a r2a, $seen_b r2b)" \
		test "$seen_a" -gt 0 -a "$seen_b" -gt 0
done
note "the runs took $((($(_lab_now_us) - start_us) / 1000)) ms"

if ((failures)); then
	printf '# %d of %d check(s) failed\n' "$failures" "$checks"
	exit 1
fi
printf '# all %d checks passed\n' "$checks"
exit 0

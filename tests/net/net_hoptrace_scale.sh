#!/bin/bash
#
# tests/net/net_hoptrace_scale.sh: hoptrace with many targets at once, and
# MPLS label stacks in its output.
#
# Part 1, many targets.  The lab (lib.sh) gets whole prefixes answered by
# its target namespace: an AnyIP local route for 2001:db8:aa::/64 and for
# 198.51.100.128/25 in NS_TARGET, routed there through r1 and r2.  (The
# lower half of 198.51.100.0/24, where LAB_UNREACH_NET4 lives, stays
# unrouted: r1 must still answer network unreachable for it.)  Any address
# in those prefixes then answers ping from the target namespace, 3 hops
# away: r1, r2, the target address itself.
#
#   - 1,000 IPv6 targets (2001:db8:aa::1 ... ::3e8) from one --file, one
#     run, `-n -N 5000 -w 2 --jsonl`: exit 0, and in the records every
#     target traced once, reached, distance 3, hops answered by r1, r2 and
#     the target, nothing beyond (hoptrace_helper.py scale-jsonl), the
#     records valid by the schema (tests/unit/validate_output.py), and the
#     run's wall time under WALL_LIMIT seconds.
#   - a mixed run, the same 1,000 plus 100 IPv4 targets (198.51.100.129
#     ... .228), `--csv`: exit 0, 3 rows per target with the known
#     responders, in the order of the file.
#
# Part 2, MPLS.  The kernel cannot forward MPLS, so the path emulator
# (pathemu.py, through pathemu_lib.sh, as in net_mpls.sh) answers as a path
# of three routers, 203.0.113.5-7 / 2001:db8:e:1::1-3, the last the
# destination; router 1 returns the label stack S1 in an RFC 4884
# extension, router 2 the stack S3 in the old (pre-RFC 4884) form with a
# zero checksum.  The stacks are written here as label,tc,s,ttl,...; the
# emulator's JSON and every expected line derive from them.  For both
# families: with -e the text output shows each stack on the line after its
# hop as "[MPLS: Lbl L TC T S S TTL X, ...]", and the report (-r) under
# its hop as "|  +-- [MPLS: ...]"; without -e neither shows any MPLS line;
# -j (without -e: JSON always carries them) has in every probe of hops 1
# and 2 "mpls" objects with exactly the configured label, tc, s and ttl,
# and none at hop 3.
#
# Environment (exported by `make check`): HOPTRACE, HOPPROBE, TESTS_SRCDIR,
# PYTHON3_SYSTEM.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
# shellcheck source=pathemu_lib.sh
. "$TESTS_SRCDIR/net/pathemu_lib.sh"

require_root_and_tools ip ping timeout awk "$PYTHON3_SYSTEM"
if [[ -z "${HOPTRACE:-}" || ! -x "$HOPTRACE" ]]; then
	skip "HOPTRACE is not set to an executable hoptrace"
fi
if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi
if [[ ! -d /proc/sys/net/ipv6 ]]; then
	skip "needs IPv6 (the 1,000 targets are IPv6)"
fi

HELPER=$TESTS_SRCDIR/net/hoptrace_helper.py
VALIDATE=$TESTS_SRCDIR/unit/validate_output.py
SCHEMA=${HOPTRACE_SCHEMA:-$TESTS_SRCDIR/../schema/hoptrace.schema.json}
NTARGETS=1000
NTARGETS4=100
WALL_LIMIT=60
# hoptrace runs the worker through /bin/sh: quote its path for that.
printf -v WORKER '%q' "$HOPPROBE"

note()
{
	printf '# %s\n' "$*"
}

note_file()
{
	local line n=0

	while IFS= read -r line && ((n++ < ${2:-20})); do
		printf '#   %s\n' "$line"
	done <"$1"
}

# helper_checks LABEL ARGS...: run hoptrace_helper.py ARGS and turn its
# verdicts into ok / not_ok lines of this test, each starting with LABEL.
helper_checks()
{
	local status text out rc label=$1

	shift
	out=$("$PYTHON3_SYSTEM" "$HELPER" --label "$label" "$@" 2>&1)
	rc=$?
	while IFS=$'\t' read -r status text; do
		case "$status" in
		ok) ok "$text" ;;
		not-ok) not_ok "$text" ;;
		"#") note "$text" ;;
		*) [[ -n "$status$text" ]] && note "helper: $status $text" ;;
		esac
	done <<<"$out"
	if ((rc != 0)); then
		not_ok "$label: hoptrace_helper.py $1 ran (status $rc)"
	fi
}

# validate LABEL FORMAT FILE: the output is valid by the schema.
validate()
{
	local out rc

	out=$("$PYTHON3_SYSTEM" "$VALIDATE" "$2" "$3" "$SCHEMA" 2>&1)
	rc=$?
	if ((rc == 0)); then
		ok "$1: $2 output valid by the schema and self-consistent"
	elif ((rc == 77)); then
		note "python3-jsonschema missing: $2 output not validated"
	else
		not_ok "$1: $2 output valid by the schema and self-consistent"
		printf '%s\n' "$out" | head -n 10 | sed 's/^/#   /'
	fi
}

tmp=$(mktemp -d /tmp/net_hoptrace_scale.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$tmp"

# ---------------------------------------------------------------------
# Part 1: many targets.

PREFIX6=2001:db8:aa::
PREFIX6_LEN=64
PREFIX4=198.51.100.128
PREFIX4_LEN=25

lab_up
ip -n "$NS_TARGET" -6 route add local "$PREFIX6/$PREFIX6_LEN" dev lo ||
	fail "AnyIP route for $PREFIX6/$PREFIX6_LEN in the target"
ip -n "$NS_R1" -6 route add "$PREFIX6/$PREFIX6_LEN" via "$LAB_R2_6" ||
	fail "route for $PREFIX6/$PREFIX6_LEN in r1"
ip -n "$NS_R2" -6 route add "$PREFIX6/$PREFIX6_LEN" via "$LAB_TARGET6" ||
	fail "route for $PREFIX6/$PREFIX6_LEN in r2"
ip -n "$NS_TARGET" route add local "$PREFIX4/$PREFIX4_LEN" dev lo ||
	fail "AnyIP route for $PREFIX4/$PREFIX4_LEN in the target"
ip -n "$NS_R1" route add "$PREFIX4/$PREFIX4_LEN" via "$LAB_R2_4" ||
	fail "route for $PREFIX4/$PREFIX4_LEN in r1"
ip -n "$NS_R2" route add "$PREFIX4/$PREFIX4_LEN" via "$LAB_TARGET4" ||
	fail "route for $PREFIX4/$PREFIX4_LEN in r2"

# The prefixes answer at any address, and the special address below them
# still gets network unreachable from r1.
check "the target answers ping at an arbitrary address of $PREFIX6/$PREFIX6_LEN (2001:db8:aa::beef:1)" \
	in_ns "$NS_HOST" ping -6 -c1 -W2 2001:db8:aa::beef:1
check "the target answers ping at an arbitrary address of $PREFIX4/$PREFIX4_LEN (198.51.100.250)" \
	in_ns "$NS_HOST" ping -c1 -W2 198.51.100.250
out=$(in_ns "$NS_HOST" ping -c1 -W2 "$LAB_UNREACH_NET4" 2>&1)
if [[ "$out" == *"From $LAB_R1_4 "*"Net Unreachable"* ]]; then
	ok "$LAB_UNREACH_NET4 still gets network unreachable from r1"
else
	not_ok "$LAB_UNREACH_NET4 still gets network unreachable from r1"
	printf '%s\n' "$out" | sed 's/^/#   /'
fi

for ((i = 1; i <= NTARGETS; i++)); do
	printf '%s%x\n' "$PREFIX6" "$i"
done >"$tmp/targets6"
for ((i = 1; i <= NTARGETS4; i++)); do
	printf '198.51.100.%d\n' $((128 + i))
done >"$tmp/targets4"
{
	printf '# %d IPv6 targets, then %d IPv4 ones\n' "$NTARGETS" "$NTARGETS4"
	cat "$tmp/targets6"
	printf '\n'
	cat "$tmp/targets4"
} >"$tmp/targets-mixed"
HOPS="4=$LAB_R1_4,$LAB_R2_4;6=$LAB_R1_6,$LAB_R2_6"

# run_timed NAME ARGS...: hoptrace ARGS in the host namespace, bounded;
# output in $tmp/NAME.out and .err, status in RC, wall time in WALL_US.
run_timed()
{
	local name=$1 t0 t1

	shift
	t0=$(_lab_now_us)
	timeout 120 ip netns exec "$NS_HOST" "$HOPTRACE" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	RC=$?
	t1=$(_lab_now_us)
	WALL_US=$((t1 - t0))
}

# status_is DESC WANT: the last run's status (RC) is WANT.
status_is()
{
	if ((RC == $2)); then
		ok "$1: exit $2"
	else
		not_ok "$1: exit $RC, want $2"
	fi
}

# wall_check WHAT: the run's wall time is below the limit.
wall_check()
{
	local s

	printf -v s '%d.%03d' $((WALL_US / 1000000)) $((WALL_US % 1000000 / 1000))
	if ((WALL_US < WALL_LIMIT * 1000000)); then
		ok "$1: wall time ${s} s < $WALL_LIMIT s"
	else
		not_ok "$1: wall time ${s} s, limit $WALL_LIMIT s"
	fi
}

run_timed big -n --file "$tmp/targets6" -N 5000 -w 2 --jsonl --worker "$WORKER"
if ((RC == 0)); then
	ok "$NTARGETS IPv6 targets, --jsonl: exit 0"
else
	not_ok "$NTARGETS IPv6 targets, --jsonl: exit $RC, want 0"
	note_file "$tmp/big.err"
fi
wall_check "$NTARGETS IPv6 targets, --jsonl"
if [[ -s "$tmp/big.err" ]]; then
	not_ok "$NTARGETS IPv6 targets: nothing on stderr"
	note_file "$tmp/big.err"
else
	ok "$NTARGETS IPv6 targets: nothing on stderr"
fi
helper_checks "$NTARGETS IPv6 targets, jsonl" scale-jsonl "$tmp/big.out" \
	"$tmp/targets6" 0 "$HOPS"
validate "$NTARGETS IPv6 targets" jsonl "$tmp/big.out"

run_timed mixed -n --file "$tmp/targets-mixed" -N 5000 -w 2 --csv --worker "$WORKER"
if ((RC == 0)); then
	ok "$NTARGETS IPv6 + $NTARGETS4 IPv4 targets, --csv: exit 0"
else
	not_ok "$NTARGETS IPv6 + $NTARGETS4 IPv4 targets, --csv: exit $RC, want 0"
	note_file "$tmp/mixed.err"
fi
wall_check "$NTARGETS IPv6 + $NTARGETS4 IPv4 targets, --csv"
if [[ -s "$tmp/mixed.err" ]]; then
	not_ok "mixed run: nothing on stderr"
	note_file "$tmp/mixed.err"
else
	ok "mixed run: nothing on stderr"
fi
cat "$tmp/targets6" "$tmp/targets4" >"$tmp/targets-mixed.plain"
helper_checks "mixed targets, csv" scale-csv "$tmp/mixed.out" \
	"$tmp/targets-mixed.plain" "$HOPS"
validate "mixed targets" csv "$tmp/mixed.out"

# The same mixed set once more as JSON Lines: the per-record checks for
# both families.
run_timed mixedl -n --file "$tmp/targets-mixed" -N 5000 -w 2 --jsonl --worker "$WORKER"
if ((RC == 0)); then
	ok "$NTARGETS IPv6 + $NTARGETS4 IPv4 targets, --jsonl: exit 0"
else
	not_ok "$NTARGETS IPv6 + $NTARGETS4 IPv4 targets, --jsonl: exit $RC, want 0"
	note_file "$tmp/mixedl.err"
fi
wall_check "$NTARGETS IPv6 + $NTARGETS4 IPv4 targets, --jsonl"
helper_checks "mixed targets, jsonl" scale-jsonl "$tmp/mixedl.out" \
	"$tmp/targets-mixed.plain" 0 "$HOPS"

# ---------------------------------------------------------------------
# Part 2: MPLS label stacks through the path emulator.

S1="24001,5,1,254"
S3="300000,0,0,255,300001,3,0,128,1048575,7,1,1"

# mpls_text STACK: the stack as hoptrace shows it, "[MPLS: Lbl ..., ...]".
mpls_text()
{
	local IFS=, out="" i
	local -a v

	read -r -a v <<<"$1"
	for ((i = 0; i < ${#v[@]}; i += 4)); do
		out+="${out:+, }Lbl ${v[i]} TC ${v[i + 1]} S ${v[i + 2]} TTL ${v[i + 3]}"
	done
	printf '[MPLS: %s]' "$out"
}

R4=(203.0.113.5 203.0.113.6 203.0.113.7)
R6=(2001:db8:e:1::1 2001:db8:e:1::2 2001:db8:e:1::3)

cat >"$tmp/path.json" <<EOF
{
"lifetime": 120,
"paths": [
  {"hops": [
    {"addr4": "${R4[0]}", "addr6": "${R6[0]}",
     "ext": {"form": "rfc4884", "checksum": "good", "mpls": $(mpls_json "$S1")}},
    {"addr4": "${R4[1]}", "addr6": "${R6[1]}",
     "ext": {"form": "old", "checksum": "zero", "mpls": $(mpls_json "$S3")}},
    {"addr4": "${R4[2]}", "addr6": "${R6[2]}"}
  ]}
]
}
EOF
pathemu_up "$tmp/path.json" "$tmp/pathemu.log" 120

# pe_run NAME ARGS...: hoptrace ARGS in the emulator's host namespace.
pe_run()
{
	local name=$1

	shift
	timeout 60 ip netns exec "$PE_NS_HOST" "$HOPTRACE" -n --worker "$WORKER" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
}

# text_hops FILE: "HOP ADDRESS" for each hop line of the text format.
text_hops()
{
	awk '$1 ~ /^[0-9]+$/ && NF >= 2 { print $1, $2 }' "$1"
}

# text_mpls FILE: "HOP<TAB>[MPLS: ...]" for each MPLS line, with the hop
# line it follows.
text_mpls()
{
	awk '$1 ~ /^[0-9]+$/ { hop = $1; next }
	     /MPLS/ { sub(/^[ \t]+/, ""); print hop "\t" $0 }' "$1"
}

# report_hops FILE, report_mpls FILE: the same for the report format.
report_hops()
{
	awk '$1 ~ /^[0-9]+\.\|--$/ { h = $1; sub(/\..*/, "", h); print h, $2 }' "$1"
}

report_mpls()
{
	awk '$1 ~ /^[0-9]+\.\|--$/ { hop = $1; sub(/\..*/, "", hop); next }
	     /MPLS/ { sub(/^.*\+-- /, ""); print hop "\t" $0 }' "$1"
}

# same DESC WANT-FILE GOT-FILE
same()
{
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		note "want:"
		note_file "$2"
		note "got:"
		note_file "$3"
	fi
}

for fam in 4 6; do
	declare -n R=R$fam
	dst=${R[2]}
	printf '1 %s\n2 %s\n3 %s\n' "${R[0]}" "${R[1]}" "${R[2]}" >"$tmp/hops$fam.want"
	printf '1\t%s\n2\t%s\n' "$(mpls_text "$S1")" "$(mpls_text "$S3")" >"$tmp/mpls$fam.want"

	pe_run text-e$fam -e "$dst"
	RC=$?
	status_is "v$fam: text -e through the labelled path" 0
	text_hops "$tmp/text-e$fam.out" >"$tmp/text-e$fam.hops"
	same "v$fam: text -e: hops 1-3 are the emulated routers" \
		"$tmp/hops$fam.want" "$tmp/text-e$fam.hops"
	text_mpls "$tmp/text-e$fam.out" >"$tmp/text-e$fam.mpls"
	same "v$fam: text -e: router 1's and router 2's label stacks each on the line after their hop, none after hop 3" \
		"$tmp/mpls$fam.want" "$tmp/text-e$fam.mpls"

	pe_run text$fam "$dst"
	RC=$?
	status_is "v$fam: text without -e" 0
	text_hops "$tmp/text$fam.out" >"$tmp/text$fam.hops"
	same "v$fam: text without -e: hops 1-3 are the emulated routers" \
		"$tmp/hops$fam.want" "$tmp/text$fam.hops"
	if grep -q MPLS "$tmp/text$fam.out"; then
		not_ok "v$fam: text without -e shows no MPLS line"
		note_file "$tmp/text$fam.out"
	else
		ok "v$fam: text without -e shows no MPLS line"
	fi

	pe_run report-e$fam -e -r -c 2 -i 0.1 -w 2 "$dst"
	RC=$?
	status_is "v$fam: report -e" 0
	report_hops "$tmp/report-e$fam.out" >"$tmp/report-e$fam.hops"
	same "v$fam: report -e: hops 1-3 are the emulated routers" \
		"$tmp/hops$fam.want" "$tmp/report-e$fam.hops"
	report_mpls "$tmp/report-e$fam.out" >"$tmp/report-e$fam.mpls"
	same "v$fam: report -e: each label stack under its hop" \
		"$tmp/mpls$fam.want" "$tmp/report-e$fam.mpls"

	pe_run report$fam -r -c 2 -i 0.1 -w 2 "$dst"
	RC=$?
	status_is "v$fam: report without -e" 0
	if grep -q MPLS "$tmp/report$fam.out"; then
		not_ok "v$fam: report without -e shows no MPLS line"
		note_file "$tmp/report$fam.out"
	else
		ok "v$fam: report without -e shows no MPLS line"
	fi

	pe_run json$fam -j "$dst"
	RC=$?
	status_is "v$fam: -j (without -e)" 0
	helper_checks "v$fam: -j" mpls-json "$tmp/json$fam.out" "$dst" \
		"${R[0]},${R[1]},${R[2]}" "$S1;$S3;"
	validate "v$fam: -j" json "$tmp/json$fam.out"
	unset -n R
done
if grep -q "cannot handle" "$tmp/pathemu.log"; then
	not_ok "the emulator handled every packet"
else
	ok "the emulator handled every packet"
fi

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

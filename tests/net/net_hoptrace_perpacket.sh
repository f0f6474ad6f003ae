#!/bin/bash
#
# tests/net/net_hoptrace_perpacket.sh: hoptrace --flows tells a balancer
# that splits per packet from one that splits per flow, and says so.
#
# Through an emulated path (tests/net/pathemu.py, scapy; started and
# stopped by pathemu_lib.sh) of three routers, per family:
#
#	hop 1  answers from PP_A and PP_B in turn, one probe each, whatever
#	       the flow (the emulator's "addrs4"/"addrs6": a round robin)
#	hop 2  answers from PP_C alone (the control)
#	hop 3  the destination, PP_D
#
# `hoptrace --flows 4 -q 4 -c 1`, ICMP and UDP:
#   - JSON (valid): hop 1's per_packet names one of the trace's four
#     flows and exactly PP_A and PP_B; PP_A and PP_B answered 8 of the 16
#     probes each; no path of hop 1 shows a loss (none was lost: each
#     flow's probes were answered, by both); hop 2's per_packet is null,
#     PP_C alone with every flow on its one path; hop 3's is null too;
#   - report (-r): exactly one "per-packet balancing: flow N reached A and
#     B" line, under hop 1's row, naming a flow of the header's and PP_A
#     and PP_B; hop 1's path lines show 0.0% loss and list their flows.
# The flows' probes at a hop go out back to back (hoptrace(1), --flows):
# were they interleaved, flow after flow, a 2-way round robin would give
# each of the 4 flows one address, and hop 1 would look like two paths
# of a per-flow balancer.  Everything expected comes from the path's
# configuration below.
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
# shellcheck source=pathemu_lib.sh
. "$TESTS_SRCDIR/net/pathemu_lib.sh"
require_root_and_tools ip timeout "$PYTHON3_SYSTEM"
if [[ -z "${HOPTRACE:-}" || ! -x "$HOPTRACE" ]]; then
	skip "HOPTRACE is not set to an executable hoptrace"
fi
if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi
VALIDATE=$TESTS_SRCDIR/unit/validate_output.py
SCHEMA=$TESTS_SRCDIR/../schema/hoptrace.schema.json
CHECKER=$TESTS_SRCDIR/net/hoptrace_perpacket_check.py
have_jsonschema=1
"$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" jsonschema 2>/dev/null ||
	have_jsonschema=0

FLOWS=4
PER_FLOW=4

# The path, in both families (pathemu_lib.sh routes PE_PREFIX4 and
# PE_PREFIX6, 203.0.113.0/24 and 2001:db8:e::/48, into the emulator).
declare -A PP_A=([4]=203.0.113.61 [6]=2001:db8:e:30::a)
declare -A PP_B=([4]=203.0.113.62 [6]=2001:db8:e:30::b)
declare -A PP_C=([4]=203.0.113.63 [6]=2001:db8:e:30::c)
declare -A PP_D=([4]=203.0.113.64 [6]=2001:db8:e:30::d)

T=$(mktemp -d /tmp/net_hoptrace_perpacket.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf -- "$T"
cat >"$T/path.json" <<EOF
{
  "lifetime": 120,
  "paths": [
    {"hops": [
      {"addrs4": ["${PP_A[4]}", "${PP_B[4]}"],
       "addrs6": ["${PP_A[6]}", "${PP_B[6]}"]},
      {"addr4": "${PP_C[4]}", "addr6": "${PP_C[6]}"},
      {"addr4": "${PP_D[4]}", "addr6": "${PP_D[6]}"}]}
  ]
}
EOF
pathemu_up "$T/path.json" "$T/pathemu.log" 120
printf -v WORKER '%q' "$HOPPROBE"

FAMILIES=(4)
if ((LAB_HAVE_IPV6)); then
	FAMILIES+=(6)
fi

# run NAME ARGS...: hoptrace --flows 4 -q 4 -c 1 in the emulator's
# namespace; stdout in $T/NAME.out, stderr in $T/NAME.err, exit status in
# $T/NAME.rc.
run()
{
	local name=$1

	shift
	in_ns "$PE_NS_HOST" timeout 30 "$HOPTRACE" --worker "$WORKER" -n \
		--flows "$FLOWS" -q "$PER_FLOW" -c 1 -w 1 -m 5 "$@" \
		>"$T/$name.out" 2>"$T/$name.err"
	printf '%s\n' "$?" >"$T/$name.rc"
}

# exits_0 NAME: the run exited 0 and wrote nothing on stderr.
exits_0()
{
	if [[ "$(cat "$T/$1.rc")" != 0 || -s "$T/$1.err" ]]; then
		printf 'exit %s; stdout:\n' "$(cat "$T/$1.rc")"
		cat "$T/$1.out" "$T/$1.err"
		return 1
	fi
}

# json_ok NAME FAM: the JSON checks above.
json_ok()
{
	"$PYTHON3_SYSTEM" "$CHECKER" json "$T/$1.out" "$FLOWS" "$PER_FLOW" \
		1 "${PP_A[$2]}" "${PP_B[$2]}" 2 "${PP_C[$2]}"
}

# report_ok NAME FAM: the report checks above.
report_ok()
{
	"$PYTHON3_SYSTEM" "$CHECKER" report "$T/$1.out" 1 "${PP_A[$2]}" \
		"${PP_B[$2]}"
}

valid_json()
{
	"$PYTHON3_SYSTEM" "$VALIDATE" json "$T/$1.out" "$SCHEMA"
}

for fam in "${FAMILIES[@]}"; do
	fv=IPv$fam
	for kind in icmp udp; do
		proto=()
		[[ $kind == udp ]] && proto=(-U)
		run "j$fam$kind" -j "${proto[@]}" "${PP_D[$fam]}"
		check "$fv $kind -j: exit 0, nothing on stderr" exits_0 "j$fam$kind"
		if ((have_jsonschema)); then
			check "$fv $kind -j: valid JSON" valid_json "j$fam$kind"
		fi
		check "$fv $kind -j: hop 1 per_packet names ${PP_A[$fam]} and ${PP_B[$fam]} (8 answers each, no path loss); hop 2 (${PP_C[$fam]} alone) and hop 3 per_packet null" \
			json_ok "j$fam$kind" "$fam"
		run "r$fam$kind" -r "${proto[@]}" "${PP_D[$fam]}"
		check "$fv $kind -r: exit 0, nothing on stderr" exits_0 "r$fam$kind"
		check "$fv $kind -r: one 'per-packet balancing: flow N reached ${PP_A[$fam]} and ${PP_B[$fam]}' line, under hop 1" \
			report_ok "r$fam$kind" "$fam"
	done
done
if grep -q "cannot handle" "$T/pathemu.log"; then
	printf '# pathemu could not handle some packets:\n'
	grep "cannot handle" "$T/pathemu.log" | head -n 5 | sed 's/^/#   /'
fi

if ((failures)); then
	printf '# %d of %d check(s) failed\n' "$failures" "$checks"
	exit 1
fi
printf '# all %d checks passed\n' "$checks"
exit 0

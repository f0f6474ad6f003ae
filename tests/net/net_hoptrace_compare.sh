#!/bin/bash
#
# tests/net/net_hoptrace_compare.sh: hoptrace --compare end to end in the
# namespace lab (lib.sh: host -- r1 -- r2 -- target, both families), with
# r2 dropping UDP to port 53 towards the target (nftables, in its forward
# hook: a probe whose ttl ends at r2 still gets its time-exceeded, every
# later one is dropped) and the lab's name server (lab_dns_up) giving
# target.lab.example both families.
#
# Checked, in numbered groups:
#   [1] --compare icmp,udp:53,tcp:443 -r to both target literals: exit 1;
#       one block per target, its groups the items in order; hops 1 and 2
#       are r1 and r2 for every item, hop 3 the target for icmp and tcp:443
#       and nobody for udp:53; the verdict is exactly the one line saying
#       udp:53 gets no answer beyond r2's hop while icmp reaches the target
#   [2] the same with -j: the schema (validate_output.py), and each trace's
#       compare label, protocol, port, outcome and address in order
#   [3] --replay of [1]'s --record renders the same report byte for byte;
#       its JSON Lines validate; -C has the compare column
#   [4] --compare 4,6 to target.lab.example: item 4's hops are the lab's
#       IPv4 addresses, item 6's the IPv6 ones, and the verdict says every
#       item reaches the target at hop 3; its --jsonl validates and names
#       the items with their families and addresses
#   [5] --compare icmp/4,icmp/6 to the IPv4 literal, and --compare 4,6 to
#       a name with only an IPv4 address: the IPv6 item says it is not
#       traced (stderr and verdict), the IPv4 item still runs
#   [6] usage errors exit 2 before anything is probed
#   [7] r1 rewriting the DSCP of UDP to one port towards the target (cs1,
#       TOS byte 0x20): the verdict says that item's TOS was rewritten at
#       hop 2 (r2 quotes the probe as r1 forwarded it), icmp's kept
#
# Every expected address, hop number and port comes from lib.sh's topology
# and the nftables rule set here.  Environment (from `make check`):
# HOPTRACE, HOPPROBE, TESTS_SRCDIR, PYTHON3_SYSTEM.
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
require_root_and_tools ip ping nft timeout cmp dnsmasq "$PYTHON3_SYSTEM" \
	"$HOPTRACE" "$HOPPROBE"
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" jsonschema 2>/dev/null; then
	skip "needs python3-jsonschema for validate_output.py"
fi

CHECKER=$TESTS_SRCDIR/net/compare_check.py
VALIDATE=$TESTS_SRCDIR/unit/validate_output.py
SCHEMA=$TESTS_SRCDIR/../schema/hoptrace.schema.json
[[ -r "$SCHEMA" ]] || fail "no schema at $SCHEMA"

lab_up
[[ "$LAB_HAVE_IPV6" == 1 ]] || skip "needs IPv6 for the 4,6 comparison"
# A name with an IPv4 address only, for [5].
V4_ONLY=v4only.lab.example
lab_dns_up "--host-record=$V4_ONLY,$LAB_TARGET4"
T=$(mktemp -d /tmp/net_hoptrace_compare.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
printf -v WORKER '%q' "$HOPPROBE"

# The path as lib.sh builds it: r1 is hop 1, r2 hop 2, the target hop 3.
R2_HOP=2
TARGET_HOP=3
# The port r2 drops UDP to, in both families.
DROP_PORT=53
in_ns "$NS_R2" nft -f - <<EOF || fail "lab: nftables on r2"
table inet hp_compare_drop {
	chain forward_filter {
		type filter hook forward priority 0; policy accept;
		ip daddr $LAB_TARGET4 udp dport $DROP_PORT drop
		ip6 daddr $LAB_TARGET6 udp dport $DROP_PORT drop
	}
}
EOF

# ht NAME ARGS...: hoptrace in the host namespace; stdout to $T/NAME.out,
# stderr to $T/NAME.err, the exit status in RC.
ht()
{
	local name=$1

	shift
	RC=0
	in_ns "$NS_HOST" timeout 60 "$HOPTRACE" --worker "$WORKER" -n -q 2 \
		-w 1 -m 6 "$@" >"$T/$name.out" 2>"$T/$name.err" || RC=$?
}

cmp_check() { "$PYTHON3_SYSTEM" "$CHECKER" "$@"; }

valid() { "$PYTHON3_SYSTEM" "$VALIDATE" "$1" "$2" "$SCHEMA"; }

# ---- [1] three protocols, r2 dropping udp:53 -------------------------------
ITEMS=icmp,udp:$DROP_PORT,tcp:443
ht R --compare "$ITEMS" -r --record "$T/R.jsonl" "$LAB_TARGET4" "$LAB_TARGET6"
check "[1] exit 1: udp:$DROP_PORT does not reach the target" rc_is 1 R
block=0
for fam in 4 6; do
	block=$((block + 1))
	r1=LAB_R1_$fam r2=LAB_R2_$fam tgt=LAB_TARGET$fam
	check "[1] IPv$fam block: groups icmp, udp:$DROP_PORT, tcp:443" \
		cmp_check labels "$T/R.out" "$block" icmp "udp:$DROP_PORT" tcp:443
	for item in icmp "udp:$DROP_PORT" tcp:443; do
		check "[1] IPv$fam $item: hop 1 is r1 (${!r1})" \
			cmp_check cell "$T/R.out" "$block" 1 "$item" "${!r1}"
		check "[1] IPv$fam $item: hop $R2_HOP is r2 (${!r2})" \
			cmp_check cell "$T/R.out" "$block" "$R2_HOP" "$item" "${!r2}"
	done
	check "[1] IPv$fam icmp: hop $TARGET_HOP is the target (${!tgt})" \
		cmp_check cell "$T/R.out" "$block" "$TARGET_HOP" icmp "${!tgt}"
	check "[1] IPv$fam tcp:443: hop $TARGET_HOP is the target (${!tgt})" \
		cmp_check cell "$T/R.out" "$block" "$TARGET_HOP" tcp:443 "${!tgt}"
	check "[1] IPv$fam udp:$DROP_PORT: nobody at hop $TARGET_HOP" \
		cmp_check cell "$T/R.out" "$block" "$TARGET_HOP" "udp:$DROP_PORT" '???'
	check "[1] IPv$fam verdict: udp:$DROP_PORT stops after hop $R2_HOP, icmp reaches hop $TARGET_HOP" \
		cmp_check verdict "$T/R.out" "$block" \
		"udp:$DROP_PORT: no answer beyond hop $R2_HOP, icmp reaches the target at hop $TARGET_HOP"
done

# ---- [2] JSON -----------------------------------------------------------------
ht J --compare "$ITEMS" -j "$LAB_TARGET4" "$LAB_TARGET6"
check "[2] -j: exit 1" rc_is 1 J
check "[2] -j validates against the schema" valid json "$T/J.out"
check "[2] -j: a trace per target and item, labels, ports and outcomes in order" \
	cmp_check json "$T/J.out" \
	"icmp|icmp|-|true|$LAB_TARGET4" \
	"udp:$DROP_PORT|udp|$DROP_PORT|false|$LAB_TARGET4" \
	"tcp:443|tcp|443|true|$LAB_TARGET4" \
	"icmp|icmp|-|true|$LAB_TARGET6" \
	"udp:$DROP_PORT|udp|$DROP_PORT|false|$LAB_TARGET6" \
	"tcp:443|tcp|443|true|$LAB_TARGET6"

# ---- [3] replay ---------------------------------------------------------------
offline RR --replay "$T/R.jsonl" -r
check "[3] --replay -r of the recording: exit 1" rc_is 1 RR
check "[3] --replay -r renders the live report byte for byte" \
	same_file "$T/R.out" "$T/RR.out"
check "[3] the recording validates against the schema" valid jsonl "$T/R.jsonl"
offline RC --replay "$T/R.jsonl" -C
check "[3] --replay -C validates, with the compare column" valid csv "$T/RC.out"
compare_column()
{
	head -n 1 "$T/RC.out" | grep -q ',reached,compare' ||
		{ head -n 1 "$T/RC.out"; return 1; }
	grep -q ",false,udp:$DROP_PORT" "$T/RC.out" ||
		{ cat "$T/RC.out"; return 1; }
}
check "[3] -C: header and udp:$DROP_PORT rows name the item" compare_column

# ---- [4] IPv4 against IPv6 ------------------------------------------------------
ht F --compare 4,6 -r --record "$T/F.jsonl" "$LAB_NAME_TARGET"
check "[4] --compare 4,6 $LAB_NAME_TARGET: exit 0" rc_is 0 F
check "[4] groups 4 and 6" cmp_check labels "$T/F.out" 1 4 6
# hops_in FAM R1 R2 TARGET: item FAM's hops are those addresses.
hops_in()
{
	cmp_check cell "$T/F.out" 1 1 "$1" "$2" &&
		cmp_check cell "$T/F.out" 1 "$R2_HOP" "$1" "$3" &&
		cmp_check cell "$T/F.out" 1 "$TARGET_HOP" "$1" "$4"
}
for fam in 4 6; do
	r1=LAB_R1_$fam r2=LAB_R2_$fam tgt=LAB_TARGET$fam
	check "[4] item $fam: hops r1, r2, target in IPv$fam (${!r1} ${!r2} ${!tgt})" \
		hops_in "$fam" "${!r1}" "${!r2}" "${!tgt}"
done
check "[4] verdict: every item reaches the target at hop $TARGET_HOP" \
	cmp_check verdict "$T/F.out" 1 \
	"verdict: every item reaches the target at hop $TARGET_HOP"
check "[4] the recording validates against the schema" valid jsonl "$T/F.jsonl"
check "[4] the recording names items 4 and 6 with their families and addresses" \
	cmp_check jsonl "$T/F.jsonl" 2 "4|4|$LAB_TARGET4" "6|6|$LAB_TARGET6"

# ---- [5] an item of the other family than the literal ----------------------
ht L --compare icmp/4,icmp/6 -r "$LAB_TARGET4"
check "[5] icmp/6 to an IPv4 literal: exit 1" rc_is 1 L
stderr_says()
{
	grep -q "^hoptrace: icmp/6: cannot resolve $(re_escape "$LAB_TARGET4")" \
		"$T/L.err" || { cat "$T/L.err"; return 1; }
}
check "[5] stderr says icmp/6 was not traced" stderr_says
check "[5] icmp/4 still reaches the target (${LAB_TARGET4})" \
	cmp_check cell "$T/L.out" 1 "$TARGET_HOP" icmp/4 "$LAB_TARGET4"
check "[5] verdict: icmp/6 not traced, icmp/4 reaches the target at hop $TARGET_HOP" \
	cmp_check verdict-like "$T/L.out" 1 "icmp/6: not traced (" \
	"), icmp/4 reaches the target at hop $TARGET_HOP"

ht V --compare 4,6 -r "$V4_ONLY"
check "[5] --compare 4,6 $V4_ONLY: exit 1" rc_is 1 V
v4only_stderr()
{
	grep -q "^hoptrace: 6: cannot resolve $(re_escape "$V4_ONLY")" \
		"$T/V.err" || { cat "$T/V.err"; return 1; }
}
check "[5] stderr says item 6 found no address" v4only_stderr
check "[5] item 4 still reaches the target (${LAB_TARGET4})" \
	cmp_check cell "$T/V.out" 1 "$TARGET_HOP" 4 "$LAB_TARGET4"
check "[5] verdict: 6 not traced, 4 reaches the target at hop $TARGET_HOP" \
	cmp_check verdict-like "$T/V.out" 1 "6: not traced (" \
	"), 4 reaches the target at hop $TARGET_HOP"

# ---- [6] usage errors --------------------------------------------------------
usage_error()
{
	local name=$1

	shift
	ht "$name" "$@" "$LAB_TARGET4"
	if ! rc_is 2 "$name" || [[ -s "$T/$name.out" ]] ||
		! grep -q -- '--compare' "$T/$name.err"; then
		cat "$T/$name.err"
		return 1
	fi
}
check "[6] --compare icmp: exit 2" usage_error U1 --compare icmp
check "[6] --compare icmp:80,udp: exit 2" usage_error U2 --compare icmp:80,udp
check "[6] --compare 4,6 -4: exit 2" usage_error U3 --compare 4,6 -4
check "[6] --compare icmp,udp --flows 2: exit 2" usage_error U4 \
	--compare icmp,udp --flows 2

# ---- [7] a DSCP policy on r1 ------------------------------------------------
# r1 marks UDP to DSCP_PORT as CS1 (DSCP 8: TOS byte 8 << 2 = 0x20) when it
# forwards it; a probe expiring at r1 is quoted before that, one expiring
# at r2 after it.
DSCP_PORT=5353
DSCP_TOS=0x20
R1_HOP=1
in_ns "$NS_R1" nft -f - <<EOF || fail "lab: nftables on r1"
table inet hp_compare_dscp {
	chain forward_mark {
		type filter hook forward priority 0; policy accept;
		ip daddr $LAB_TARGET4 udp dport $DSCP_PORT ip dscp set cs1
	}
}
EOF
ht D --compare "icmp,udp:$DSCP_PORT" -r "$LAB_TARGET4"
check "[7] icmp,udp:$DSCP_PORT: exit 0" rc_is 0 D
check "[7] verdict: udp:$DSCP_PORT's TOS rewritten to $DSCP_TOS at hop $R2_HOP, icmp's kept" \
	cmp_check verdict "$T/D.out" 1 \
	"udp:$DSCP_PORT: TOS 0x00 rewritten to $DSCP_TOS at hop $((R1_HOP + 1)), icmp TOS 0x00 kept up to hop $R2_HOP"

echo "# $checks checks, $failures failed"
((failures == 0))

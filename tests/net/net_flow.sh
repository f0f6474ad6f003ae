#!/bin/bash
#
# tests/net/net_flow.sh: send-probe's `flow N` (hopprobe(8), EXTENSIONS)
# keeps every probe of one flow on one of two equal-cost paths, and
# different flows use both; without it, the probes of one trace use both.
#
# The lab is ecmp_lib.sh's: host -- r1 -- {r2a, r2b} -- etgt, r1 routing
# the target over both middle routers.  r1 balances the way routers do:
#   - the kernel's custom multipath hash (fib_multipath_hash_policy 3)
#     over source and destination address, protocol and both ports
#     (fib_multipath_hash_fields 0x37), in both families.  Not policy 1,
#     under which the hash that the host's socket gave a packet crosses
#     the veth and picks the path whatever its ports.  A fixed hash seed
#     (net.ipv4.fib_multipath_hash_seed, Linux 6.11) where there is one,
#     so that each run makes the same choices;
#   - for ICMP echo requests, which Linux hashes on no ICMP field,
#     nftables emulates routers that hash ICMP's first word (type, code
#     and checksum): a jhash of it picks fwmark 1 or 2, and a rule per
#     mark routes the target through r2a or r2b.
# Counters on r2a and r2b (nftables, per protocol and family) count the
# probes from the host that reached each; r1 counts the IPv6 probes that
# carry the flow label of flow_check.py's flow.  flow_check.py drives the
# worker and checks, per family, for ICMP, UDP, TCP and SCTP: 200 probes
# of one flow, ttl 1 to 5, crossed one middle router only, and their ttl-2
# answers came from it; 16 flows crossed both, each flow one; and for UDP
# and ICMP, 200 probes without flow crossed both.  The expected routers
# come from the lab (their addresses, their counters), not from the
# worker.  The chance that a correct worker's 16 flows all hash to one
# path is 2 in 2^16 per protocol and family, and with the seed fixed a
# run that passes once passes always.
#
# Environment (exported by `make check`): HOPPROBE, TESTS_SRCDIR,
# PYTHON3_SYSTEM.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
# shellcheck source=ecmp_lib.sh
. "$TESTS_SRCDIR/net/ecmp_lib.sh"
require_root_and_tools ip ping nft "$PYTHON3_SYSTEM"
if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi

ecmp_lab_up
if ! in_ns "$NS_R1" test -e /proc/sys/net/ipv4/fib_multipath_hash_fields; then
	skip "this kernel has no multipath hash fields (Linux 5.12)"
fi
for fam in $FAMILIES; do
	v=ipv$fam
	_lab_sysctl "$NS_R1" "net.$v.fib_multipath_hash_policy" 3
	_lab_sysctl "$NS_R1" "net.$v.fib_multipath_hash_fields" 0x37
done
if in_ns "$NS_R1" test -e /proc/sys/net/ipv4/fib_multipath_hash_seed; then
	_lab_sysctl "$NS_R1" net.ipv4.fib_multipath_hash_seed 20261202
fi

# r1: echo requests to the target get mark 1 or 2 from their first word;
# each mark has a table that routes the target through one middle router.
in_ns "$NS_R1" nft -f - <<EOF || fail "lab: nftables on r1"
table inet hpflow {
	counter label6 { }
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip daddr $ETGT4 icmp type echo-request meta mark set jhash @th,0,32 mod 2 seed 0x5eed offset 1
		ip6 daddr $ETGT6 icmpv6 type echo-request meta mark set jhash @th,0,32 mod 2 seed 0x5eed offset 1
		ip6 saddr $LAB_HOST6 ip6 flowlabel $((0x80000 + 1000)) counter name label6
	}
}
EOF
for fam in $FAMILIES; do
	in_ns "$NS_R1" ip "-$fam" rule add fwmark 1 table 101 ||
		fail "lab: fwmark rule on r1"
	in_ns "$NS_R1" ip "-$fam" rule add fwmark 2 table 102 ||
		fail "lab: fwmark rule on r1"
done
_lab_route "$NS_R1" "$ETGT4/32" via "$R2A4" table 101
_lab_route "$NS_R1" "$ETGT4/32" via "$R2B4" table 102
_lab_route "$NS_R1" "$ETGT6/128" via "$R2A6" table 101
_lab_route "$NS_R1" "$ETGT6/128" via "$R2B6" table 102

# r2a, r2b: what came from the host, per protocol and family.
for ns in "$NS_R2A" "$NS_R2B"; do
	in_ns "$ns" nft -f - <<EOF || fail "lab: nftables on $ns"
table inet hpflow {
	counter icmp4 { }
	counter udp4 { }
	counter tcp4 { }
	counter sctp4 { }
	counter icmp6 { }
	counter udp6 { }
	counter tcp6 { }
	counter sctp6 { }
	chain pre {
		type filter hook prerouting priority filter; policy accept;
		ip saddr $LAB_HOST4 meta l4proto icmp counter name icmp4
		ip saddr $LAB_HOST4 meta l4proto udp counter name udp4
		ip saddr $LAB_HOST4 meta l4proto tcp counter name tcp4
		ip saddr $LAB_HOST4 meta l4proto sctp counter name sctp4
		ip6 saddr $LAB_HOST6 meta l4proto ipv6-icmp counter name icmp6
		ip6 saddr $LAB_HOST6 meta l4proto udp counter name udp6
		ip6 saddr $LAB_HOST6 meta l4proto tcp counter name tcp6
		ip6 saddr $LAB_HOST6 meta l4proto sctp counter name sctp6
	}
}
EOF
done

failed=0
for fam in $FAMILIES; do
	family_addresses "$fam"
	in_ns "$NS_HOST" ping "-$fam" -c1 -W1 "$etgt" >/dev/null 2>&1 ||
		fail "lab: the host cannot ping $etgt"
	"$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/flow_check.py" "$NS_HOST" \
		"$HOPPROBE" "$fam" "$etgt" "$r2a" "$r2b" "$NS_R1" "$NS_R2A" \
		"$NS_R2B" icmp,udp,tcp,sctp icmp,udp || failed=1
done
if ((failed)); then
	printf '# some checks failed\n'
	exit 1
fi
printf '# all checks passed\n'
exit 0

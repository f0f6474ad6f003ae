#!/bin/bash
#
# tests/net/net_details.sh: the reply-details extension (hopprobe(8),
# EXTENSIONS).
#
# First through an emulated path (tests/net/pathemu.py, see
# pathemu_lib.sh): routers that answer with chosen ICMP types and codes,
# reply TTLs, rewritten quoted TTLs and TOS, next-hop MTUs and RFC 5837
# interface information objects (every combination of their fields, names
# that cannot be printed, and malformed objects and structures).  The
# cases, the emulator's configuration and the replies they must give are
# all written by tests/net/details_check.py from the same values; every
# probe is also sent without reply-details, whose reply must be the reply
# of old, word for word.
#
# Then the real kernel, in lib.sh's lab: time exceeded from r1 and r2, the
# target's echo reply, port unreachable and TCP RST, each with the reply
# TTL the lab's own sysctls imply (the TTL or hop limit each node gives
# what it sends, less one per router on the way back) and the probe's TTL
# and TOS as quoted; and the same without privilege, where only the ICMP
# type and code and the reply TTL can be had.

set -u

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
# shellcheck source=pathemu_lib.sh
. "$TESTS_SRCDIR/net/pathemu_lib.sh"

require_root_and_tools ip sysctl

if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi
py=$(pathemu_python) || skip "needs ${PYTHON3_SYSTEM:-/usr/bin/python3} with scapy (python3-scapy)"
check_py="$TESTS_SRCDIR/net/details_check.py"

tmp=$(mktemp -d /tmp/net_details.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$tmp"

FAMILIES="4 6"
if [[ ! -d /proc/sys/net/ipv6 ]]; then
	FAMILIES=4
	printf '# this kernel has no IPv6: IPv4 only\n'
fi
UNREACH_NET=$(expected_unreach net) || fail "expected_unreach net"
UNREACH_HOST=$(expected_unreach host) || fail "expected_unreach host"

rc=0
"$py" "$check_py" config "$tmp/path.json" || fail "details_check.py config"
pathemu_up "$tmp/path.json" "$tmp/pathemu.log" 300
"$py" "$check_py" emulated "$HOPPROBE" "$PE_NS_HOST" "$FAMILIES" \
	"$UNREACH_NET" "$UNREACH_HOST" || rc=1
if grep -q "cannot handle" "$tmp/pathemu.log"; then
	printf 'not ok - the responder handled every packet\n'
	grep "cannot handle" "$tmp/pathemu.log" | head -n 5 | sed 's/^/#   /'
	rc=1
else
	printf 'ok - the responder handled every packet\n'
fi

lab_up
# ttl NS SYSCTL: one of the lab's settings.
ttl()
{
	in_ns "$1" sysctl -n "$2" || fail "cannot read $2 in $1"
}
ttls="$(ttl "$NS_R1" net.ipv4.ip_default_ttl) $(ttl "$NS_R2" net.ipv4.ip_default_ttl)"
ttls+=" $(ttl "$NS_TARGET" net.ipv4.ip_default_ttl)"
lab_families=4
if ((LAB_HAVE_IPV6)); then
	lab_families="4 6"
	# An IPv6 node's answers take the hop limit of the interface they
	# leave through (its route has no hop limit of its own).
	ttls+=" $(ttl "$NS_R1" "net.ipv6.conf.$LAB_IF_R1_HOST.hop_limit")"
	ttls+=" $(ttl "$NS_R2" "net.ipv6.conf.$LAB_IF_R2_R1.hop_limit")"
	ttls+=" $(ttl "$NS_TARGET" "net.ipv6.conf.$LAB_IF_TARGET.hop_limit")"
else
	ttls+=" 0 0 0"
fi
printf '# the lab: TTLs (r1 r2 target, v4 then v6) %s\n' "$ttls"
"$py" "$check_py" lab "$HOPPROBE" "$NS_HOST" "$lab_families" "$ttls" || rc=1

# Without privilege: a plain copy anyone may run, as nobody, with ping
# sockets allowed in the host namespace.
if command -v setpriv >/dev/null 2>&1; then
	chmod 755 "$tmp"
	cp "$HOPPROBE" "$tmp/hopprobe" || fail "cannot copy the worker"
	chmod 755 "$tmp/hopprobe" || fail "cannot chmod the worker's copy"
	in_ns "$NS_HOST" sysctl -q -w net.ipv4.ping_group_range="0 2147483647" ||
		fail "cannot set ping_group_range"
	"$py" "$check_py" unprivileged "$tmp/hopprobe" "$NS_HOST" \
		"$lab_families" "$ttls" || rc=1
else
	printf '# setpriv is missing: the unprivileged checks are skipped\n'
fi
exit $rc

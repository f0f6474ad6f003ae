#!/usr/bin/env bash
# net_rttns.sh: rtt-ns, the round trip from the kernel's own timestamps.
#
# The worker runs in the lab's host namespace, with privilege (raw
# sockets: transmit stamps keyed per probe, hopprobe(8) EXTENSIONS) and as
# nobody (one socket per probe), and tests/net/rttns_check.py checks what
# the man page promises: check-support, replies unchanged without the
# argument, loopback round trips against ping's over the same path in the
# same run, the lab's veth links for every protocol and both families, a
# burst that mixes probes with and without rtt-ns.
set -u
: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping setpriv sysctl "$PYTHON3_SYSTEM" "$HOPPROBE"
lab_up

# A copy that nobody can run but which carries no privilege.
work=$(mktemp -d /tmp/net_rttns.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$work"
chmod 755 "$work"
cp "$HOPPROBE" "$work/hopprobe"
chmod 755 "$work/hopprobe"
# Ping sockets for nobody, in the lab's host namespace only.
in_ns "$NS_HOST" sysctl -q -w net.ipv4.ping_group_range="0 2147483647" ||
	fail "ping_group_range"

PYTHONPATH="$TESTS_SRCDIR/net" "$PYTHON3_SYSTEM" \
	"$TESTS_SRCDIR/net/rttns_check.py" "$NS_HOST" "$HOPPROBE" \
	"$work/hopprobe" "$LAB_TARGET4" "$LAB_TARGET6" "$LAB_R1_4" \
	"$LAB_R1_6" "$LAB_BLACKHOLE4" "$LAB_HAVE_IPV6"
exit $?

#!/bin/bash
#
# net_link_events.sh: link-events 1, probes answered network-down with
# their interface as soon as the link their route leaves through goes down.
#
# lab_up's lab, plus a second link from the host to r1:
#
#	host --(hst-r1)-- r1 -- r2 ...       the lab's link
#	host --(hst-alt)-- r1                 198.51.100.192/26, 2001:db8:a1::/64
#	                                      host .194 ::2, r1 .193 ::1
#
# Silent destinations, one behind each link: the lab's blackholes
# (LAB_BLACKHOLE4/6: r2 drops them) through hst-r1, and 198.51.100.129 /
# 2001:db8:a2::1 through hst-alt, which r1 drops (blackhole routes; the
# lab's LAB_UNREACH_NET4, 198.51.100.9, is still unrouted at r1).
# link_events_check.py drives the workers and takes the links down with
# pyroute2 (see there for the phases): hst-r1 set down under 100 probes
# in flight of the raw worker and 40 of an unprivileged one (every
# protocol each can send, both families), then hst-alt's carrier taken
# away by setting its far end down.  Expected: `network-down device
# hst-r1` (then `hst-alt`) within 100 ms for the probes that asked, and
# today's answers for every other probe: no-reply at its timeout through
# either link, the usual reply from loopback.
#
# The UDP and TCP probes through hst-alt are also captured on r1's end of
# that link (tcpdump, read back with scapy by pcap_check.py): each carries
# hst-alt's own address as its source, although the raw worker first
# looked up sources for destinations through hst-r1, and in phase B
# hst-r1's IPv6 address is gone.  (A source lookup socket once kept the
# first source it was given.)
#
# Environment (exported by `make check`): HOPPROBE, TESTS_SRCDIR,
# PYTHON3_SYSTEM (a python3 with pyroute2: Debian's python3-pyroute2).
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip setpriv sysctl timeout tcpdump "$PYTHON3_SYSTEM" "$HOPPROBE"
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" pyroute2:IPRoute 2>/dev/null; then
	skip "needs pyroute2 for $PYTHON3_SYSTEM (Debian: python3-pyroute2)"
fi
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" scapy.layers.sctp 2>/dev/null; then
	skip "needs scapy for $PYTHON3_SYSTEM (Debian: python3-scapy)"
fi
PCAP_CHECK=$TESTS_SRCDIR/net/pcap_check.py
# shellcheck disable=SC2034 # read by wire_lib.sh's cap_start
CAP_FILTER='udp or tcp'
# shellcheck source=wire_lib.sh
. "$TESTS_SRCDIR/net/wire_lib.sh"

IF_ALT=hst-alt
IF_ALT_PEER=r1-alt
ALT_HOST4=198.51.100.194
ALT_R1_4=198.51.100.193
ALT_HOST6=2001:db8:a1::2
ALT_R1_6=2001:db8:a1::1
ALT_TARGET4=198.51.100.129
ALT_TARGET6=2001:db8:a2::1

lab_up
T=$(mktemp -d /tmp/net_link_events.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
chmod 755 "$T"

_lab_link "$NS_HOST" "$IF_ALT" "$NS_R1" "$IF_ALT_PEER"
_lab_addr "$NS_HOST" "$IF_ALT" "$ALT_HOST4/26"
_lab_addr "$NS_R1" "$IF_ALT_PEER" "$ALT_R1_4/26"
_lab_route "$NS_HOST" 198.51.100.128/26 via "$ALT_R1_4" dev "$IF_ALT"
_lab_route "$NS_R1" blackhole 198.51.100.128/26
down6="" alt6=""
if ((LAB_HAVE_IPV6)); then
	_lab_addr "$NS_HOST" "$IF_ALT" "$ALT_HOST6/64"
	_lab_addr "$NS_R1" "$IF_ALT_PEER" "$ALT_R1_6/64"
	_lab_route "$NS_HOST" 2001:db8:a2::/64 via "$ALT_R1_6" dev "$IF_ALT"
	_lab_route "$NS_R1" blackhole 2001:db8:a2::/64
	down6=$LAB_BLACKHOLE6 alt6=$ALT_TARGET6
fi
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for 'in_ns "$NS_HOST" ping -c1 -W1 "$ALT_R1_4" >/dev/null 2>&1' 5 ||
	fail "lab: r1 does not answer on $IF_ALT"
if ((LAB_HAVE_IPV6)); then
	# shellcheck disable=SC2016
	wait_for 'in_ns "$NS_HOST" ping -6 -c1 -W1 "$ALT_R1_6" >/dev/null 2>&1' 5 ||
		fail "lab: r1 does not answer on $IF_ALT over IPv6"
fi

# The unprivileged worker: a copy without privilege, run by nobody, which
# may open ICMP datagram sockets in the host namespace.
cp "$HOPPROBE" "$T/hopprobe" || fail "cannot copy $HOPPROBE"
chmod 755 "$T/hopprobe" || fail "chmod"
in_ns "$NS_HOST" sysctl -q -w net.ipv4.ping_group_range="0 2147483647" ||
	fail "ping_group_range"

cap_start alt "$NS_R1" "$IF_ALT_PEER"
timeout 120 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/link_events_check.py" \
	ns_host="$NS_HOST" ns_r1="$NS_R1" hopprobe="$HOPPROBE" \
	unpriv="$T/hopprobe" \
	priv_drop=setpriv,--reuid=65534,--regid=65534,--clear-groups \
	down_if="$LAB_IF_HOST" alt_if="$IF_ALT" alt_peer="$IF_ALT_PEER" \
	down4="$LAB_BLACKHOLE4" down6="$down6" \
	alt4="$ALT_TARGET4" alt6="$alt6" out="$T" >"$T/log" 2>&1
status=$?
cat "$T/log"
if ((status != 0)); then
	grep -q '^not ok' "$T/log" || printf 'not ok - the driver failed (status %s)\n' "$status"
	failures=$((failures + 1))
fi

# At least phase A's and B's UDP and TCP probes of the raw worker through
# hst-alt (10 each) and the unprivileged worker's (6) are on the wire.
cap_stop alt 26
check "UDP and TCP probes through $IF_ALT, IPv4: from $ALT_HOST4" \
	pcap alt --match family=4 --min-count 13 --expect src="$ALT_HOST4"
if ((LAB_HAVE_IPV6)); then
	check "UDP and TCP probes through $IF_ALT, IPv6: from $ALT_HOST6" \
		pcap alt --match family=6 --min-count 13 --expect src="$ALT_HOST6"
fi
if ((failures)); then
	exit 1
fi
exit 0

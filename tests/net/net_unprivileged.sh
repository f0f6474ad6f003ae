#!/usr/bin/env bash
# net_unprivileged.sh: the worker without any privilege.
#
# A plain copy of hopprobe (no setuid bit, no file capability) run by an
# unprivileged user in the lab's host namespace cannot open raw sockets, so
# it probes through sockets of its own per probe: ICMP "ping" sockets where
# net.ipv4.ping_group_range admits the user, UDP and TCP sockets, with ICMP
# errors read from the socket error queue.  Checks that check-support tells
# the truth, and that reply, ttl-expired, unreachable and no-reply come
# back as with privilege; what needs privilege (SCTP, mark, flow, ICMP
# outside ping_group_range) is answered permission-denied.
set -u
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip setpriv timeout sysctl
lab_up


# A copy that nobody can run but which carries no privilege.
work=$(mktemp -d)
lab_at_exit rm -rf "$work"
chmod 755 "$work"
cp "$HOPPROBE" "$work/hopprobe"
chmod 755 "$work/hopprobe"
NET=$(expected_unreach net)

# run REQUESTS: the replies of one unprivileged worker session, sorted.
run()
{
	printf '%s\n' "$1" |
		in_ns "$NS_HOST" setpriv --reuid=65534 --regid=65534 \
			--clear-groups timeout 30 "$work/hopprobe" 2>"$work/stderr"
	echo "exit $?"
}

# expect OUTPUT TOKEN REGEX DESC: the reply to TOKEN matches REGEX.
expect()
{
	local line

	line=$(printf '%s\n' "$1" | grep -E "^$2 " | head -n 1)
	if [[ "$line" =~ ^$2\ $3$ ]]; then
		ok "$4 ($line)"
	else
		not_ok "$4: got '${line:-nothing}', want '$2 $3'"
	fi
}

RTT='round-trip-time [0-9]+'
in_ns "$NS_HOST" sysctl -q -w net.ipv4.ping_group_range="0 2147483647"
out=$(run "1 check-support feature icmp
2 check-support feature udp
3 check-support feature tcp
4 check-support feature sctp
5 check-support feature mark
6 check-support feature ip-6
7 check-support feature flow
10 send-probe ip-4 $LAB_TARGET4
11 send-probe ip-4 $LAB_TARGET4 protocol udp
12 send-probe ip-4 $LAB_TARGET4 protocol tcp port 81
13 send-probe ip-4 $LAB_TARGET4 ttl 1
14 send-probe ip-4 $LAB_TARGET4 ttl 2 protocol udp
15 send-probe ip-4 $LAB_TARGET4 ttl 1 protocol tcp port 81
16 send-probe ip-4 $LAB_BLACKHOLE4 timeout 1 protocol udp
17 send-probe ip-4 $LAB_UNREACH_NET4 protocol udp
18 send-probe ip-4 $LAB_TARGET4 protocol sctp
19 send-probe ip-4 $LAB_TARGET4 mark 7
20 send-probe ip-6 $LAB_TARGET6
21 send-probe ip-6 $LAB_TARGET6 protocol udp
22 send-probe ip-6 $LAB_TARGET6 protocol tcp port 81
23 send-probe ip-6 $LAB_TARGET6 ttl 1
24 send-probe ip-6 $LAB_TARGET6 ttl 2 protocol udp
25 send-probe ip-6 $LAB_TARGET6 ttl 1 protocol tcp port 81
26 send-probe ip-6 $LAB_BLACKHOLE6 timeout 1
27 send-probe ip-6 $LAB_UNREACH_NET6 protocol udp
28 send-probe ip-4 $LAB_TARGET4 ttl 1 size 200 tos 32
29 send-probe ip-4 $LAB_TARGET4 protocol udp flow 3")
printf '%s\n' "$out" | sed 's/^/# /'
expect "$out" 1 'feature-support support ok' "ICMP works through ping sockets"
expect "$out" 2 'feature-support support ok' "UDP works"
expect "$out" 3 'feature-support support ok' "TCP works"
expect "$out" 4 'feature-support support no' "SCTP needs privilege"
expect "$out" 5 'feature-support support no' "mark needs privilege"
expect "$out" 6 'feature-support support ok' "IPv6 works"
expect "$out" 7 'feature-support support no' "flow needs privilege"
expect "$out" 10 "reply ip-4 $LAB_TARGET4 $RTT" "IPv4 icmp reply"
expect "$out" 11 "reply ip-4 $LAB_TARGET4 $RTT" "IPv4 udp port unreachable is a reply"
expect "$out" 12 "reply ip-4 $LAB_TARGET4 $RTT" "IPv4 tcp to a closed port is a reply"
expect "$out" 13 "ttl-expired ip-4 $LAB_R1_4 $RTT" "IPv4 icmp ttl 1 expires at r1"
expect "$out" 14 "ttl-expired ip-4 $LAB_R2_4 $RTT" "IPv4 udp ttl 2 expires at r2"
expect "$out" 15 "ttl-expired ip-4 $LAB_R1_4 $RTT" "IPv4 tcp ttl 1 expires at r1"
expect "$out" 16 "no-reply" "IPv4 black hole: no-reply"
expect "$out" 17 "$NET ip-4 $LAB_R1_4 $RTT" "IPv4 unrouted: network unreachable from r1"
expect "$out" 18 "permission-denied" "SCTP: permission-denied"
expect "$out" 19 "permission-denied" "mark: permission-denied"
expect "$out" 20 "reply ip-6 $LAB_TARGET6 $RTT" "IPv6 icmp reply"
expect "$out" 21 "reply ip-6 $LAB_TARGET6 $RTT" "IPv6 udp port unreachable is a reply"
expect "$out" 22 "reply ip-6 $LAB_TARGET6 $RTT" "IPv6 tcp to a closed port is a reply"
expect "$out" 23 "ttl-expired ip-6 $LAB_R1_6 $RTT" "IPv6 icmp hop limit 1 expires at r1"
expect "$out" 24 "ttl-expired ip-6 $LAB_R2_6 $RTT" "IPv6 udp hop limit 2 expires at r2"
expect "$out" 25 "ttl-expired ip-6 $LAB_R1_6 $RTT" "IPv6 tcp hop limit 1 expires at r1"
expect "$out" 26 "no-reply" "IPv6 black hole: no-reply"
expect "$out" 27 "$NET ip-6 $LAB_R1_6 $RTT" "IPv6 unrouted: no route from r1"
expect "$out" 28 "ttl-expired ip-4 $LAB_R1_4 $RTT" "size and tos accepted"
expect "$out" 29 "permission-denied" "flow: permission-denied"
expect "$out" exit '0' "the worker exits 0 after end of input"
if [[ -s "$work/stderr" ]]; then
	not_ok "nothing on stderr: $(head -c 300 "$work/stderr")"
else
	ok "nothing on stderr"
fi

# Outside ping_group_range ICMP cannot work, and the worker says so.
in_ns "$NS_HOST" sysctl -q -w net.ipv4.ping_group_range="1 0"
out=$(run "1 check-support feature icmp
2 send-probe ip-4 $LAB_TARGET4
3 send-probe ip-4 $LAB_TARGET4 protocol udp")
printf '%s\n' "$out" | sed 's/^/# /'
expect "$out" 1 'feature-support support no' "ICMP without ping_group_range: no"
expect "$out" 2 'permission-denied' "ICMP probe without ping_group_range: permission-denied"
expect "$out" 3 "reply ip-4 $LAB_TARGET4 $RTT" "UDP still works"

printf '# %d failed\n' "$failures"
((failures == 0))

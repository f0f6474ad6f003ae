#!/usr/bin/env bash
# compare-mtr-packet.sh: send the same requests to hopprobe and to Debian's
# mtr-packet inside the namespace lab and print, request by request, where
# their answers differ (round-trip times are blanked out).  A tool for the
# developers' notes, not a pass/fail test: differences are expected, and
# each must be explained in hopprobe(8).
#
# usage (root): HOPPROBE=probe/hopprobe tests/compare/compare-mtr-packet.sh
set -u
TESTS_SRCDIR=${TESTS_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
HOPPROBE=${HOPPROBE:-$TESTS_SRCDIR/../probe/hopprobe}
MTR_PACKET=${MTR_PACKET:-/usr/bin/mtr-packet}
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip timeout "$MTR_PACKET"
lab_up
LAB_TMP=$(mktemp -d)
lab_at_exit rm -rf "$LAB_TMP"

T4=$LAB_TARGET4 T6=$LAB_TARGET6
requests=$(cat <<REQ
1 check-support feature version
2 check-support feature send-probe
3 check-support feature ip-6
4 check-support feature sctp
5 check-support feature mark
6 check-support feature bogus
7 check-support
8 send-probe ip-4 $T4
9 send-probe ip-4 $T4 protocol udp
10 send-probe ip-4 $T4 protocol tcp port 81
11 send-probe ip-4 $T4 protocol sctp
12 send-probe ip-6 $T6
13 send-probe ip-6 $T6 protocol udp
14 send-probe ip-6 $T6 protocol tcp port 81
15 send-probe ip-6 $T6 protocol sctp
16 send-probe ip-4 $T4 ttl 1
17 send-probe ip-4 $T4 ttl 2 protocol udp
18 send-probe ip-6 $T6 ttl 1 protocol tcp port 81
19 send-probe ip-4 $LAB_UNREACH_NET4
20 send-probe ip-4 $LAB_UNREACH_HOST4
21 send-probe ip-6 $LAB_UNREACH_NET6
22 send-probe ip-6 $LAB_UNREACH_HOST6 timeout 5
23 send-probe ip-4 $LAB_BLACKHOLE4 timeout 1
24 send-probe ip-4 $T4 local-ip-4 192.0.2.60
25 send-probe ip-4 $T4 ttl 300
26 send-probe ip-4 $T4 port 70000 protocol udp
27 send-probe ip-4 $T4 tos 999
28 send-probe ip-4 $T4 size 5
29 send-probe ip-4 $T4 size 70000
30 send-probe ip-4 198.51.100
31 send-probe ip-6 $T4
32 send-probe ip-4 $T4 protocol foo
33 send-probe
34 send-probe ip-4 $T4 ip-6 $T6
35 send-probe ip-4 $T4 timeout -1
36 send-probe ip-4 $T4 local-device nosuch0
37 bogus-command
2147483648 send-probe ip-4 $T4
x send-probe ip-4 $T4
38 send-probe ip-4 $T4 ttl

39 send-probe ip-4 $T4 mark 7
40 send-probe ip-4 $T4 protocol tcp
41 send-probe ip-4 $T4 unknown-arg 5
42	send-probe   ip-4	$T4
REQ
)

run() {
	printf '%s\n' "$requests" |
		in_ns "$NS_HOST" timeout 20 "$1" 2>&1 |
		sed -E 's/round-trip-time [0-9]+/round-trip-time N/' | sort -n
}
run "$HOPPROBE" >"$LAB_TMP/ours" 2>&1 || true
run "$MTR_PACKET" >"$LAB_TMP/theirs" 2>&1 || true
printf '%-60s | %s\n' "hopprobe $("$HOPPROBE" --version | cut -d' ' -f2-)" "mtr-packet $(dpkg-query -W -f '${Version}' mtr-tiny 2>/dev/null)"
diff --side-by-side --width=130 "$LAB_TMP/ours" "$LAB_TMP/theirs"
exit 0

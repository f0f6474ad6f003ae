#!/bin/bash
#
# net_source.sh: a probe never leaves with a source address that is not a
# unicast address of this host (issue 10, points 1 and 7).
#
# Linux lets bind() take multicast, broadcast and the unspecified address,
# 127.0.0.1 whatever the route, and any address at all with
# ip_nonlocal_bind=1; a worker that asked bind() whether an address is its
# own then wrote that address into the probe (IPv4 headers are built by the
# worker).  Here the host namespace has ip_nonlocal_bind=1 for both
# families, and every such `local-ip-4`/`local-ip-6`, for ICMP, UDP and
# TCP, must be answered address-not-available (never invalid-argument,
# which mtr treats as fatal) with nothing on the wire: a capture on r1's
# end of the host's link counts every IP packet that arrives from the host.
# The host's own addresses, the control, still get their replies and do go
# out.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}
PCAP_CHECK=$TESTS_SRCDIR/net/pcap_check.py

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip tcpdump timeout "$HOPPROBE"

failures=0
# shellcheck source=wire_lib.sh
. "$TESTS_SRCDIR/net/wire_lib.sh"

# Every IPv4 or IPv6 packet but neighbour discovery and MLD.
CAP_FILTER='(ip and not arp) or (ip6 and not (icmp6 and (ip6[40] >= 130 and ip6[40] <= 143)) and not (ip6 and ip6[6] == 0))'

lab_up
T=$(mktemp -d /tmp/net_source.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
in_ns "$NS_HOST" sysctl -qw net.ipv4.ip_nonlocal_bind=1 ||
	fail "cannot set ip_nonlocal_bind"
if ((LAB_HAVE_IPV6)); then
	in_ns "$NS_HOST" sysctl -qw net.ipv6.ip_nonlocal_bind=1 ||
		fail "cannot set ipv6 ip_nonlocal_bind"
fi

# The subnet broadcast address of the host's 192.0.2.0/26.
BCAST4=192.0.2.63
FORGED4=(224.0.0.1 "$BCAST4" 255.255.255.255 0.0.0.0 127.0.0.1 198.51.100.50
	192.0.2.3)
FORGED6=(ff02::1 ff05::2 :: ::1 2001:db8:1::99 2001:db8:ee::1)
PROTOS=(icmp udp tcp)

# ---- forged sources: refused, nothing sent ---------------------------------
: >"$T/forged.req"
tok=1
declare -A WHAT=()
for proto in "${PROTOS[@]}"; do
	for src in "${FORGED4[@]}"; do
		echo "$tok send-probe ip-4 $LAB_TARGET4 protocol $proto local-ip-4 $src timeout 1" >>"$T/forged.req"
		WHAT[$tok]="$proto from $src"
		tok=$((tok + 1))
	done
	if ((LAB_HAVE_IPV6)); then
		for src in "${FORGED6[@]}"; do
			echo "$tok send-probe ip-6 $LAB_TARGET6 protocol $proto local-ip-6 $src timeout 1" >>"$T/forged.req"
			WHAT[$tok]="$proto from $src"
			tok=$((tok + 1))
		done
	fi
done
last_forged=$((tok - 1))

cap_start forged "$NS_R1" "$LAB_IF_R1_HOST"
hp_run forged
# Nothing is expected: give stray packets a moment to show up, then stop.
sleep 0.5
cap_stop forged 0
for ((t = 1; t <= last_forged; t++)); do
	check "local source ${WHAT[$t]}: address-not-available" \
		reply_is forged "$t" "address-not-available"
done
n=$(cap_count forged)
if ((n == 0)); then
	ok "no packet left the host for any forged source"
else
	not_ok "$n packets left the host with forged sources:"
	tcpdump -n -r "$T/forged.pcap" 2>/dev/null | head -20 | sed 's/^/#   /'
fi

# ---- the control: the host's own addresses ------------------------------
: >"$T/own.req"
tok=1
for proto in "${PROTOS[@]}"; do
	echo "$tok send-probe ip-4 $LAB_TARGET4 protocol $proto local-ip-4 $LAB_HOST4 timeout 2" >>"$T/own.req"
	WHAT[$tok]="ip-4 $proto"
	tok=$((tok + 1))
	if ((LAB_HAVE_IPV6)); then
		echo "$tok send-probe ip-6 $LAB_TARGET6 protocol $proto local-ip-6 $LAB_HOST6 timeout 2" >>"$T/own.req"
		WHAT[$tok]="ip-6 $proto"
		tok=$((tok + 1))
	fi
done
# Loopback to loopback stays allowed.
echo "$tok send-probe ip-4 127.0.0.1 local-ip-4 127.0.0.1 timeout 2" >>"$T/own.req"
lo4=$tok
tok=$((tok + 1))
cap_start own "$NS_R1" "$LAB_IF_R1_HOST"
hp_run own
cap_stop own $((lo4 - 1))
for ((t = 1; t < lo4; t++)); do
	fam=4
	[[ "${WHAT[$t]}" == ip-6* ]] && fam=6
	target=$LAB_TARGET4
	((fam == 6)) && target=$LAB_TARGET6
	check "own source, ${WHAT[$t]}: reply from the target" \
		reply_is own "$t" "reply ip-$fam ${target//./\\.} round-trip-time [0-9]+"
done
check "127.0.0.1 to 127.0.0.1: reply" \
	reply_is own "$lo4" "reply ip-4 127\\.0\\.0\\.1 round-trip-time [0-9]+"
n=$(cap_count own)
if ((n >= lo4 - 1)); then
	ok "the control probes were seen on the wire ($n packets)"
else
	not_ok "only $n of $((lo4 - 1)) control probes were captured"
fi

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

#!/bin/bash
#
# net_large.sh: probes larger than the path MTU, and port unreachables
# from a firewall on the path.
#
# In the lab (tests/net/lib.sh: host - r1 - r2 - target), the worker runs
# in the host namespace:
#
# A. IPv4 probes above the host link's MTU (1500).  The worker sends IPv4
#    through an IP_HDRINCL socket, which the kernel never fragments, so it
#    must fragment them itself: `size 1501`, `2000` and the largest,
#    65535, at ttl 1 give ttl-expired from r1 (its error quotes the first
#    fragment) and at ttl 64 reply from the target (which reassembles),
#    for ICMP, UDP, TCP (a large SYN: the target's RST answers it) and
#    SCTP (the target's ABORT, or protocol unreachable without SCTP).
# B. IPv6 probes of 2000 bytes: the kernel fragments raw IPv6 probes, and
#    r1's time exceeded quotes the first fragment with its Fragment
#    header; ttl 64 gives reply, every protocol.
# C. A firewall in r1 (nftables), both families: UDP and TCP to one port
#    rejected with `icmpx type port-unreachable`, UDP to another with
#    ICMP / ICMPv6 administratively prohibited, ICMP echo requests of one
#    size with protocol unreachable (IPv4).  The worker must answer each
#    with the build's host-unreachable name (lib.sh expected_unreach) and
#    r1 as responder, never `reply`; the target's own port unreachable
#    and RST still give `reply`.  The same UDP and TCP probes through an
#    unprivileged worker (no raw sockets: errors from the socket error
#    queue) give the same answers.
# D. r1's link towards r2 at MTU 1280: probes of 1400 bytes (sent whole,
#    fragmented by r1: the worker never sets DF) and of 2000 (fragmented
#    by the worker, then again by r1) reach the target (reply) and expire
#    at r2 with ttl 2.
# Every session of the worker must end with status 0 and an empty stderr.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping timeout nft "$HOPPROBE"
lab_up
T=$(mktemp -d /tmp/net_large.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
HOST_UNREACH=$(expected_unreach host)

FAMILIES=(4)
if ((LAB_HAVE_IPV6)); then
	FAMILIES+=(6)
fi
declare -A TARGET=([4]="$LAB_TARGET4" [6]="$LAB_TARGET6")
declare -A R1=([4]="$LAB_R1_4" [6]="$LAB_R1_6")
RTT='round-trip-time [0-9]+'

# session NAME [WRAPPER...]: one worker session in NS_HOST reading
# $T/NAME.req (WRAPPER runs it, e.g. setpriv); replies in $T/NAME.out.
# Checks that it ends with status 0 and says nothing on stderr.
session()
{
	local name=$1 rc

	shift
	in_ns "$NS_HOST" "$@" timeout 60 "${WORKER:-$HOPPROBE}" \
		<"$T/$name.req" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	if ((rc == 0)) && [[ ! -s "$T/$name.err" ]]; then
		ok "$name: worker exits 0, nothing on stderr"
	else
		not_ok "$name: worker exit $rc, stderr: $(head -c 300 "$T/$name.err")"
	fi
}

# expect NAME TOKEN KIND FAMILY ADDRESS DESC: the reply to TOKEN in
# session NAME is KIND from ADDRESS with a round-trip time.
expect()
{
	local name=$1 tok=$2 kind=$3 fam=$4 addr=$5 desc=$6 line

	line=$(grep -E "^$tok " "$T/$name.out" | head -n 1)
	if [[ "$line" =~ ^$tok\ $kind\ ip-$fam\ $(re_escape "$addr")\ $RTT$ ]]; then
		ok "$desc ($line)"
	else
		not_ok "$desc: got '${line:-nothing}', want '$tok $kind ip-$fam $addr $RTT'"
	fi
}

# ---- A and B: large probes, MTU 1500 everywhere ----------------------------

: >"$T/large.req"
declare -A WANT_KIND=() WANT_ADDR=() WANT_FAM=() WHAT=()
tok=100
add()
{
	local fam=$1 args=$2 kind=$3 addr=$4

	tok=$((tok + 1))
	printf '%s send-probe ip-%s %s %s timeout 3\n' "$tok" "$fam" \
		"${TARGET[$fam]}" "$args" >>"$T/large.req"
	WANT_FAM[$tok]=$fam
	WANT_KIND[$tok]=$kind
	WANT_ADDR[$tok]=$addr
	WHAT[$tok]="IPv$fam $args"
}
for proto in icmp udp tcp sctp; do
	for size in 1501 2000 65535; do
		add 4 "protocol $proto size $size ttl 1" ttl-expired "$LAB_R1_4"
		add 4 "protocol $proto size $size ttl 64" reply "$LAB_TARGET4"
	done
	if ((LAB_HAVE_IPV6)); then
		add 6 "protocol $proto size 2000 ttl 1" ttl-expired "$LAB_R1_6"
		add 6 "protocol $proto size 2000 ttl 64" reply "$LAB_TARGET6"
	fi
done
# A control: the same probes at the default size.
add 4 "protocol udp ttl 1" ttl-expired "$LAB_R1_4"
session large
for ((t = 101; t <= tok; t++)); do
	expect large "$t" "${WANT_KIND[$t]}" "${WANT_FAM[$t]}" \
		"${WANT_ADDR[$t]}" "${WHAT[$t]}"
done
check "large: no unexpected-error" \
	bash -c "! grep -E 'unexpected-error|invalid-argument' '$T/large.out'"

# ---- C: a firewall in r1 ----------------------------------------------------
#
# ICMP echo requests of 333 bytes in all (IPv4 total length 333, IPv6
# payload length 293) are refused with protocol unreachable.
in_ns "$NS_R1" nft -f - <<'EOF' 2>"$T/nft.err" ||
table inet hp_large_fw {
	chain forward {
		type filter hook forward priority 0; policy accept;
		udp dport 33001 reject with icmpx type port-unreachable
		tcp dport 33001 reject with icmpx type port-unreachable
		meta nfproto ipv4 udp dport 33002 reject with icmp type admin-prohibited
		meta nfproto ipv6 udp dport 33002 reject with icmpv6 type admin-prohibited
		ip length 333 icmp type echo-request reject with icmp type prot-unreachable
	}
}
EOF
	fail "nft in r1: $(cat "$T/nft.err")"

fw_requests()
{
	local fam t=200

	for fam in "${FAMILIES[@]}"; do
		printf '%s send-probe ip-%s %s protocol udp port 33001 timeout 3\n' \
			$((t + 1)) "$fam" "${TARGET[$fam]}"
		printf '%s send-probe ip-%s %s protocol tcp port 33001 timeout 3\n' \
			$((t + 2)) "$fam" "${TARGET[$fam]}"
		printf '%s send-probe ip-%s %s protocol udp port 33002 timeout 3\n' \
			$((t + 3)) "$fam" "${TARGET[$fam]}"
		# Not refused: the target's own port unreachable and RST.
		printf '%s send-probe ip-%s %s protocol udp port 33434 timeout 3\n' \
			$((t + 4)) "$fam" "${TARGET[$fam]}"
		printf '%s send-probe ip-%s %s protocol tcp port 33003 timeout 3\n' \
			$((t + 5)) "$fam" "${TARGET[$fam]}"
		t=$((t + 10))
	done
}

fw_expect()
{
	local name=$1 fam t=200

	for fam in "${FAMILIES[@]}"; do
		expect "$name" $((t + 1)) "$HOST_UNREACH" "$fam" "${R1[$fam]}" \
			"$name: IPv$fam UDP port unreachable from firewall r1"
		expect "$name" $((t + 2)) "$HOST_UNREACH" "$fam" "${R1[$fam]}" \
			"$name: IPv$fam TCP port unreachable from firewall r1"
		expect "$name" $((t + 3)) "$HOST_UNREACH" "$fam" "${R1[$fam]}" \
			"$name: IPv$fam UDP admin-prohibited from firewall r1"
		expect "$name" $((t + 4)) reply "$fam" "${TARGET[$fam]}" \
			"$name: IPv$fam UDP port unreachable from the target"
		expect "$name" $((t + 5)) reply "$fam" "${TARGET[$fam]}" \
			"$name: IPv$fam TCP RST from the target"
		t=$((t + 10))
	done
}

fw_requests >"$T/firewall.req"
printf '300 send-probe ip-4 %s protocol icmp size 333 timeout 3\n' \
	"$LAB_TARGET4" >>"$T/firewall.req"
printf '301 send-probe ip-4 %s protocol icmp size 334 timeout 3\n' \
	"$LAB_TARGET4" >>"$T/firewall.req"
session firewall
fw_expect firewall
expect firewall 300 "$HOST_UNREACH" 4 "$LAB_R1_4" \
	"firewall: IPv4 ICMP protocol unreachable from firewall r1"
expect firewall 301 reply 4 "$LAB_TARGET4" \
	"firewall: IPv4 ICMP echo of another size answered by the target"
check "firewall: no reply from r1" \
	bash -c "! grep -E ' reply ip-[46] ($(re_escape "$LAB_R1_4")|$LAB_R1_6) ' '$T/firewall.out'"

# The same without privilege, when setpriv is there: a copy of the worker
# with no setuid bit or capability, run as nobody.
if command -v setpriv >/dev/null 2>&1; then
	if ! { mkdir -p "$T/unpriv" && chmod 755 "$T" "$T/unpriv" &&
		cp "$HOPPROBE" "$T/unpriv/hopprobe" &&
		chmod 755 "$T/unpriv/hopprobe"; }; then
		fail "cannot copy the worker"
	fi
	fw_requests >"$T/firewall_unpriv.req"
	WORKER=$T/unpriv/hopprobe session firewall_unpriv \
		setpriv --reuid=65534 --regid=65534 --clear-groups
	fw_expect firewall_unpriv
else
	printf '# setpriv missing: unprivileged firewall checks skipped\n'
fi
in_ns "$NS_R1" nft delete table inet hp_large_fw ||
	fail "cannot remove the firewall"

# ---- D: r1 fragments (its link to r2 at MTU 1280) ---------------------------

ip -n "$NS_R1" link set "$LAB_IF_R1_R2" mtu 1280 || fail "mtu on r1"
ip -n "$NS_R2" link set "$LAB_IF_R2_R1" mtu 1280 || fail "mtu on r2"
: >"$T/mtu1280.req"
t=400
for proto in icmp udp tcp; do
	for size in 1400 2000; do
		printf '%s send-probe ip-4 %s protocol %s size %s timeout 3\n' \
			$((t + 1)) "$LAB_TARGET4" "$proto" "$size" >>"$T/mtu1280.req"
		printf '%s send-probe ip-4 %s protocol %s size %s ttl 2 timeout 3\n' \
			$((t + 2)) "$LAB_TARGET4" "$proto" "$size" >>"$T/mtu1280.req"
		t=$((t + 10))
	done
done
session mtu1280
t=400
for proto in icmp udp tcp; do
	for size in 1400 2000; do
		expect mtu1280 $((t + 1)) reply 4 "$LAB_TARGET4" \
			"MTU 1280 past r1: IPv4 $proto size $size reaches the target"
		expect mtu1280 $((t + 2)) ttl-expired 4 "$LAB_R2_4" \
			"MTU 1280 past r1: IPv4 $proto size $size ttl 2 expires at r2"
		t=$((t + 10))
	done
done

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0))

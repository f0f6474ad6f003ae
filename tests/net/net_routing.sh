#!/bin/bash
#
# net_routing.sh: mark-based policy routing, device binding and source
# selection, checked on the wire.
#
# The lab gets a second link between host and r1:
#
#	host hst-r1b 203.0.113.66/26 2001:db8:64::66/64
#	  r1 r1-hstb 203.0.113.65/26 2001:db8:64::65/64
#
# and the host a policy rule: packets marked 7 use table 100, whose default
# route goes over that second link.  tcpdump on r1's end of each link tells
# which link a probe took; a capture at the target tells its source address.
# Both are decoded by tests/net/pcap_check.py (scapy).  Checked for IPv4
# and IPv6 and every protocol: `mark 7` leaves through the second link with
# that link's source and is answered, the same probe without mark takes the
# first link; `local-device` sends through the named interface even where
# the main table prefers the other one; an unknown device is
# invalid-argument; check-support says mark is supported.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, a python3 with scapy.
# Most helpers run through check(), which shellcheck cannot follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}
PCAP_CHECK=$TESTS_SRCDIR/net/pcap_check.py

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping tcpdump timeout "$PYTHON3_SYSTEM" "$HOPPROBE"
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" scapy.layers.sctp 2>/dev/null; then
	skip "needs scapy for $PYTHON3_SYSTEM (Debian: python3-scapy)"
fi

failures=0
# shellcheck source=wire_lib.sh
. "$TESTS_SRCDIR/net/wire_lib.sh"

# Probes from either of the host's links towards the target; neighbour
# discovery and the target's answers stay out.
CAP_FILTER='(src net 192.0.2.0/26 or src net 203.0.113.64/26 or
	src net 2001:db8:1::/64 or src net 2001:db8:64::/64) and
	(dst host 192.0.2.130 or dst host 2001:db8:3::2)'

# route_field FAMILY FIELD ROUTE-GET-ARGS...: one field (dev, src, via) of
# the kernel's own answer to `ip route get`.
route_field()
{
	local fam=$1 field=$2

	shift 2
	ip -n "$NS_HOST" -"$fam" route get "$@" 2>/dev/null |
		sed -n "s/.* $field \\([^ ]*\\).*/\\1/p" | head -n 1
}

# The length a probe of SIZE comes out at: SCTP pads in 4-byte units and
# may fall up to 3 bytes short.
len_of()
{
	if [[ $1 == sctp ]]; then
		printf '%s..%s\n' $(($2 - 3)) "$2"
	else
		printf '%s\n' "$2"
	fi
}

# ---- the lab and its second link -----------------------------------------

lab_up
T=$(mktemp -d /tmp/net_routing.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
pcap_server_start

IF_HOST2=hst-r1b
IF_R1_2=r1-hstb
MARK=7
TABLE=100
declare -A HOST2=([4]=203.0.113.66 [6]=2001:db8:64::66)
declare -A R1_2=([4]=203.0.113.65 [6]=2001:db8:64::65)
declare -A PLEN2=([4]=26 [6]=64)
declare -A HOST1=([4]="$LAB_HOST4" [6]="$LAB_HOST6")
declare -A R1_1=([4]="$LAB_R1_4" [6]="$LAB_R1_6")
declare -A TARGET=([4]="$LAB_TARGET4" [6]="$LAB_TARGET6")
declare -A TARGET_NET=([4]=192.0.2.128/26 [6]=2001:db8:3::/64)
declare -A REPLY=(
	[4]="reply ip-4 $(re_escape "$LAB_TARGET4") round-trip-time [0-9]+"
	[6]="reply ip-6 $LAB_TARGET6 round-trip-time [0-9]+")

FAMILIES=(4)
if ((LAB_HAVE_IPV6)); then
	FAMILIES+=(6)
fi
PROTOS=(icmp udp tcp sctp)

ip -n "$NS_HOST" link add "$IF_HOST2" type veth peer name "$IF_R1_2" netns "$NS_R1" ||
	fail "cannot add the second host-r1 link"
ip -n "$NS_HOST" link set "$IF_HOST2" up || fail "$IF_HOST2 up"
ip -n "$NS_R1" link set "$IF_R1_2" up || fail "$IF_R1_2 up"
# Answers to the second link's address come back over it while the main
# table points the target's way over the first: no reverse-path filter.
_lab_sysctl "$NS_HOST" net.ipv4.conf.all.rp_filter 0
_lab_sysctl "$NS_HOST" "net.ipv4.conf.$IF_HOST2.rp_filter" 0
for fam in "${FAMILIES[@]}"; do
	nodad=()
	((fam == 6)) && nodad=(nodad)
	ip -n "$NS_HOST" -"$fam" addr add "${HOST2[$fam]}/${PLEN2[$fam]}" \
		dev "$IF_HOST2" "${nodad[@]}" || fail "address ${HOST2[$fam]}"
	ip -n "$NS_R1" -"$fam" addr add "${R1_2[$fam]}/${PLEN2[$fam]}" \
		dev "$IF_R1_2" "${nodad[@]}" || fail "address ${R1_2[$fam]}"
	ip -n "$NS_HOST" -"$fam" rule add fwmark "$MARK" lookup "$TABLE" ||
		fail "IPv$fam rule fwmark $MARK"
	ip -n "$NS_HOST" -"$fam" route add default via "${R1_2[$fam]}" \
		table "$TABLE" || fail "IPv$fam default route in table $TABLE"
done

# Controls: the second link carries traffic, and the kernel itself routes
# mark 7 over it from its address and everything else over the first link.
for fam in "${FAMILIES[@]}"; do
	check "control: IPv$fam ping over the second link to ${R1_2[$fam]}" \
		in_ns "$NS_HOST" ping -"$fam" -c1 -W2 "${R1_2[$fam]}"
	got="$(route_field "$fam" dev "${TARGET[$fam]}" mark "$MARK") $(route_field "$fam" src "${TARGET[$fam]}" mark "$MARK")"
	check "control: IPv$fam kernel routes mark $MARK to ${TARGET[$fam]} via $IF_HOST2 from ${HOST2[$fam]} ($got)" \
		test "$got" == "$IF_HOST2 ${HOST2[$fam]}"
	got="$(route_field "$fam" dev "${TARGET[$fam]}") $(route_field "$fam" src "${TARGET[$fam]}")"
	check "control: IPv$fam kernel routes unmarked traffic via $LAB_IF_HOST from ${HOST1[$fam]} ($got)" \
		test "$got" == "$LAB_IF_HOST ${HOST1[$fam]}"
done

# run_captured RUN NPROBES: hopprobe on RUN.req with captures at the
# target and at r1's end of both links.  Every probe is expected to reach
# the target, one of each pair through each link.
run_captured()
{
	cap_start "$1-target" "$NS_TARGET" "$LAB_IF_TARGET"
	cap_start "$1-link1" "$NS_R1" "$LAB_IF_R1_HOST"
	cap_start "$1-link2" "$NS_R1" "$IF_R1_2"
	hp_run "$1"
	cap_stop "$1-target" "$2"
	cap_stop "$1-link1" $(($2 / 2))
	cap_stop "$1-link2" $(($2 / 2))
}

# check_path RUN DESC FAMILY PROTO LEN LINK SRC: the probe of FAMILY, PROTO
# and length LEN crossed LINK (1 or 2) only and reached the target from SRC.
check_path()
{
	local run=$1 desc=$2 fam=$3 proto=$4 len=$5 link=$6 src=$7 other
	local m=(--match family="$fam" --match proto="$proto" --match len="$len")

	other=$((3 - link))
	check "$desc: reaches the target from $src, checksums correct" \
		pcap "$run-target" "${m[@]}" --count 1 --expect src="$src" \
		--expect checksum=ok
	check "$desc: crosses link $link (seen on r1's end of it)" \
		pcap "$run-link$link" "${m[@]}" --count 1
	check "$desc: not seen on link $other" \
		pcap "$run-link$other" "${m[@]}" --count 0
}

# ---- mark ------------------------------------------------------------------

printf '1 check-support feature mark\n' >"$T/support.req"
hp_run support
check "check-support feature mark is ok (running as root)" \
	reply_matches "$T/support.out" 1 "feature-support support ok"

: >"$T/mark.req"
tok=100
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		{
			printf '%s send-probe ip-%s %s protocol %s mark %s size 100\n' \
				$((tok + 1)) "$fam" "${TARGET[$fam]}" "$proto" "$MARK"
			printf '%s send-probe ip-%s %s protocol %s size 200\n' \
				$((tok + 2)) "$fam" "${TARGET[$fam]}" "$proto"
		} >>"$T/mark.req"
		tok=$((tok + 2))
	done
done
run_captured mark $((tok - 100))
tok=100
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		d="mark: IPv$fam $proto mark $MARK"
		check "$d: answered by the target" \
			reply_matches "$T/mark.out" $((tok + 1)) "${REPLY[$fam]}"
		check_path mark "$d" "$fam" "$proto" "$(len_of "$proto" 100)" 2 "${HOST2[$fam]}"
		d="mark: IPv$fam $proto without mark"
		check "$d: answered by the target" \
			reply_matches "$T/mark.out" $((tok + 2)) "${REPLY[$fam]}"
		check_path mark "$d" "$fam" "$proto" "$(len_of "$proto" 200)" 1 "${HOST1[$fam]}"
		tok=$((tok + 2))
	done
done

# ---- local-device ----------------------------------------------------------
#
# The main table gets two routes to the target's network, the one over
# the first link with the lower metric: only a probe bound to the second
# link's interface should take the other.  (A single route over the second
# link would win over the default route by its longer prefix, whatever
# its metric.)
for fam in "${FAMILIES[@]}"; do
	ip -n "$NS_HOST" -"$fam" route add "${TARGET_NET[$fam]}" \
		via "${R1_1[$fam]}" metric 10 || fail "IPv$fam route, metric 10"
	ip -n "$NS_HOST" -"$fam" route add "${TARGET_NET[$fam]}" \
		via "${R1_2[$fam]}" metric 20 || fail "IPv$fam route, metric 20"
	got="$(route_field "$fam" dev "${TARGET[$fam]}") $(route_field "$fam" dev "${TARGET[$fam]}" oif "$IF_HOST2") $(route_field "$fam" src "${TARGET[$fam]}" oif "$IF_HOST2")"
	check "control: IPv$fam kernel routes to ${TARGET[$fam]} via $LAB_IF_HOST, and with oif $IF_HOST2 via $IF_HOST2 from ${HOST2[$fam]} ($got)" \
		test "$got" == "$LAB_IF_HOST $IF_HOST2 ${HOST2[$fam]}"
done

: >"$T/device.req"
tok=200
nsent=0
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		{
			printf '%s send-probe ip-%s %s protocol %s local-device %s size 300\n' \
				$((tok + 1)) "$fam" "${TARGET[$fam]}" "$proto" "$IF_HOST2"
			printf '%s send-probe ip-%s %s protocol %s size 400\n' \
				$((tok + 2)) "$fam" "${TARGET[$fam]}" "$proto"
			printf '%s send-probe ip-%s %s protocol %s local-device nosuch0 size 500\n' \
				$((tok + 3)) "$fam" "${TARGET[$fam]}" "$proto"
		} >>"$T/device.req"
		tok=$((tok + 3))
		nsent=$((nsent + 2))
	done
done
run_captured device "$nsent"
tok=200
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		d="local-device: IPv$fam $proto local-device $IF_HOST2"
		check "$d: answered by the target" \
			reply_matches "$T/device.out" $((tok + 1)) "${REPLY[$fam]}"
		check_path device "$d" "$fam" "$proto" "$(len_of "$proto" 300)" 2 "${HOST2[$fam]}"
		d="local-device: IPv$fam $proto without local-device"
		check "$d: answered by the target" \
			reply_matches "$T/device.out" $((tok + 2)) "${REPLY[$fam]}"
		check_path device "$d" "$fam" "$proto" "$(len_of "$proto" 400)" 1 "${HOST1[$fam]}"
		check "local-device: IPv$fam $proto local-device nosuch0 (no such interface) is invalid-argument" \
			reply_matches "$T/device.out" $((tok + 3)) "invalid-argument"
		check "local-device: IPv$fam $proto local-device nosuch0 sends nothing" \
			pcap device-target --match family="$fam" --match proto="$proto" \
			--match len="$(len_of "$proto" 500)" --count 0
		tok=$((tok + 3))
	done
done

for cap in mark device; do
	check "checksums: every probe captured at the target in '$cap' has correct checksums" \
		pcap "$cap-target" --min-count 1 --expect checksum=ok
done

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

#!/bin/bash
#
# net_pmtu.sh: dont-fragment probes and packet-too-big (hopprobe(8),
# EXTENSIONS), in the lab of tests/net/lib.sh (host - r1 - r2 - target)
# with r1's link towards r2 at MTU 1280, and through an emulated path.
#
# A. check-support feature dont-fragment is ok for the worker with raw
#    sockets, no for an unprivileged one (which ignores the argument).
# B. dont-fragment probes of every protocol, both families: 1500 and 1281
#    bytes (SCTP: 1284) get packet-too-big from r1 with mtu 1280; 1280 and
#    1200 bytes reach the target; 1500 bytes at ttl 1 still expire at r1
#    (a router checks the TTL first).  A second session sends them all
#    again: once the host has learned the path MTU, the large ones must
#    still go out and be answered by r1, not refused by this host.
# C. Without dont-fragment, 1500-byte probes behave as before: IPv4 ones
#    reach the target (r1 fragments them), IPv6 ones are never answered
#    packet-too-big (the kernel fragments them once it learned the path
#    MTU; until then r1 drops them).
# D. The host's own link at MTU 1400: dont-fragment probes above it are
#    answered at once (a session of 60-second timeouts ends within 20 s)
#    packet-too-big with no responder and mtu 1400, with and without
#    local-device; 1400 bytes leave and get r1's mtu 1280.
# E. The emulated path (pathemu.py): a router that answers every probe
#    with fragmentation needed / packet too big (mtu 1400; an old router's
#    0; MPLS labels beside it).  A dont-fragment probe gets packet-too-big
#    with that router, the MTU and the labels; a probe without gets what
#    it always got: IPv4 the build's host-unreachable name, IPv6 no-reply.
# Expected MTUs and addresses come from this file's own configuration of
# the lab, never from the worker.  Every worker session must end with
# status 0 and an empty stderr.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
# shellcheck source=pathemu_lib.sh
. "$TESTS_SRCDIR/net/pathemu_lib.sh"
require_root_and_tools ip timeout "$HOPPROBE"
lab_up
T=$(mktemp -d /tmp/net_pmtu.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
HOST_UNREACH=$(expected_unreach host)

FAMILIES=(4)
if ((LAB_HAVE_IPV6)); then
	FAMILIES+=(6)
fi
declare -A TARGET=([4]="$LAB_TARGET4" [6]="$LAB_TARGET6")
declare -A R1=([4]="$LAB_R1_4" [6]="$LAB_R1_6")
RTT='round-trip-time [0-9]+'
MIDDLE_MTU=1280		# r1 - r2
HOST_MTU=1400		# host - r1, in part D

# session NAME [WRAPPER...]: one worker session in NS_HOST reading
# $T/NAME.req; replies in $T/NAME.out, its length in microseconds in
# SESSION_US.  Checks that it ends with status 0 and says nothing on stderr.
session()
{
	local name=$1 rc t0

	shift
	t0=$(_lab_now_us)
	in_ns "${SESSION_NS:-$NS_HOST}" "$@" timeout 90 "${WORKER:-$HOPPROBE}" \
		<"$T/$name.req" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	SESSION_US=$(($(_lab_now_us) - t0))
	if ((rc == 0)) && [[ ! -s "$T/$name.err" ]]; then
		ok "$name: worker exits 0, nothing on stderr"
	else
		not_ok "$name: worker exit $rc, stderr: $(head -c 300 "$T/$name.err")"
	fi
}

# expect NAME TOKEN REGEX DESC: session NAME answered TOKEN exactly once,
# with a line matching "TOKEN REGEX".
expect()
{
	local name=$1 tok=$2 regex=$3 desc=$4 why

	if why=$(reply_matches "$T/$name.out" "$tok" "$regex"); then
		ok "$desc ($(grep -E "^$tok " "$T/$name.out"))"
	else
		not_ok "$desc"
		printf '%s\n' "$why" | sed 's/^/#   /'
	fi
}

# from FAMILY ADDRESS: the responder and round trip part of a reply.
from()
{
	printf 'ip-%s %s %s' "$1" "$(re_escape "$2")" "$RTT"
}

# link_mtu NS DEV: the MTU the lab's configuration gave DEV.
link_mtu()
{
	ip -n "$1" -o link show dev "$2" |
		sed -n 's/.* mtu \([0-9][0-9]*\) .*/\1/p'
}

# ---- A: check-support -------------------------------------------------------

printf '1 check-support feature dont-fragment\n' >"$T/support.req"
session support
expect support 1 'feature-support support ok' \
	"check-support feature dont-fragment with raw sockets"

if command -v setpriv >/dev/null 2>&1; then
	if ! { mkdir -p "$T/unpriv" && chmod 755 "$T" "$T/unpriv" &&
		cp "$HOPPROBE" "$T/unpriv/hopprobe" &&
		chmod 755 "$T/unpriv/hopprobe"; }; then
		fail "cannot copy the worker"
	fi
	{
		printf '1 check-support feature dont-fragment\n'
		printf '2 send-probe ip-4 %s protocol udp dont-fragment 1 timeout 3\n' \
			"$LAB_TARGET4"
	} >"$T/support_unpriv.req"
	WORKER=$T/unpriv/hopprobe session support_unpriv \
		setpriv --reuid=65534 --regid=65534 --clear-groups
	expect support_unpriv 1 'feature-support support no' \
		"check-support feature dont-fragment without privilege"
	expect support_unpriv 2 "reply $(from 4 "$LAB_TARGET4")" \
		"without privilege, dont-fragment 1 is ignored"
else
	printf '# setpriv missing: unprivileged check skipped\n'
fi

# ---- B: r1's link towards r2 at MTU 1280 -------------------------------------

ip -n "$NS_R1" link set "$LAB_IF_R1_R2" mtu "$MIDDLE_MTU" || fail "mtu on r1"
ip -n "$NS_R2" link set "$LAB_IF_R2_R1" mtu "$MIDDLE_MTU" || fail "mtu on r2"
[[ "$(link_mtu "$NS_R1" "$LAB_IF_R1_R2")" == "$MIDDLE_MTU" ]] ||
	fail "r1's link did not take MTU $MIDDLE_MTU"

# just_over PROTO: the smallest size above MIDDLE_MTU for PROTO; SCTP
# probes come out up to 3 bytes short of their size (hopprobe(8), size).
just_over()
{
	if [[ "$1" == sctp ]]; then
		printf '%s' $((MIDDLE_MTU + 4))
	else
		printf '%s' $((MIDDLE_MTU + 1))
	fi
}

# Tokens: family * 1000 + protocol * 100 + case.
declare -A PROTO_NUM=([icmp]=1 [udp]=2 [tcp]=3 [sctp]=4)
df_requests()
{
	local fam proto base dst

	for fam in "${FAMILIES[@]}"; do
		dst=${TARGET[$fam]}
		for proto in icmp udp tcp sctp; do
			base=$((fam * 1000 + ${PROTO_NUM[$proto]} * 100))
			printf '%s send-probe ip-%s %s protocol %s size 1500 dont-fragment 1 timeout 3\n' \
				$((base + 1)) "$fam" "$dst" "$proto"
			printf '%s send-probe ip-%s %s protocol %s size %s dont-fragment 1 timeout 3\n' \
				$((base + 2)) "$fam" "$dst" "$proto" "$(just_over "$proto")"
			printf '%s send-probe ip-%s %s protocol %s size %s dont-fragment 1 timeout 3\n' \
				$((base + 3)) "$fam" "$dst" "$proto" "$MIDDLE_MTU"
			printf '%s send-probe ip-%s %s protocol %s size 1200 dont-fragment 1 timeout 3\n' \
				$((base + 4)) "$fam" "$dst" "$proto"
			printf '%s send-probe ip-%s %s protocol %s size 1500 dont-fragment 1 ttl 1 timeout 3\n' \
				$((base + 5)) "$fam" "$dst" "$proto"
		done
	done
}

df_expect()
{
	local name=$1 fam proto base too_big

	for fam in "${FAMILIES[@]}"; do
		too_big="packet-too-big $(from "$fam" "${R1[$fam]}") mtu $MIDDLE_MTU"
		for proto in icmp udp tcp sctp; do
			base=$((fam * 1000 + ${PROTO_NUM[$proto]} * 100))
			expect "$name" $((base + 1)) "$too_big" \
				"$name: IPv$fam $proto 1500 DF: r1 says mtu $MIDDLE_MTU"
			expect "$name" $((base + 2)) "$too_big" \
				"$name: IPv$fam $proto $(just_over "$proto") DF: r1 says mtu $MIDDLE_MTU"
			expect "$name" $((base + 3)) \
				"reply $(from "$fam" "${TARGET[$fam]}")" \
				"$name: IPv$fam $proto $MIDDLE_MTU DF reaches the target"
			expect "$name" $((base + 4)) \
				"reply $(from "$fam" "${TARGET[$fam]}")" \
				"$name: IPv$fam $proto 1200 DF reaches the target"
			expect "$name" $((base + 5)) \
				"ttl-expired $(from "$fam" "${R1[$fam]}")" \
				"$name: IPv$fam $proto 1500 DF ttl 1 expires at r1"
		done
	done
}

df_requests >"$T/df.req"
session df
df_expect df
# The host has now seen r1's answers and may have learned the path MTU.
df_requests >"$T/df_again.req"
session df_again
df_expect df_again

# ---- C: without dont-fragment, as before ---------------------------------------

: >"$T/plain.req"
for proto in icmp udp tcp sctp; do
	printf '%s send-probe ip-4 %s protocol %s size 1500 timeout 3\n' \
		$((4000 + ${PROTO_NUM[$proto]})) "$LAB_TARGET4" "$proto" \
		>>"$T/plain.req"
	if ((LAB_HAVE_IPV6)); then
		printf '%s send-probe ip-6 %s protocol %s size 1500 timeout 3\n' \
			$((6000 + ${PROTO_NUM[$proto]})) "$LAB_TARGET6" "$proto" \
			>>"$T/plain.req"
	fi
done
session plain
for proto in icmp udp tcp sctp; do
	expect plain $((4000 + ${PROTO_NUM[$proto]})) \
		"reply $(from 4 "$LAB_TARGET4")" \
		"plain: IPv4 $proto 1500 without DF reaches the target"
	if ((LAB_HAVE_IPV6)); then
		expect plain $((6000 + ${PROTO_NUM[$proto]})) \
			"(reply $(from 6 "$LAB_TARGET6")|no-reply)" \
			"plain: IPv6 $proto 1500 without DF: reply or no-reply, never packet-too-big"
	fi
done

# ---- D: the host's own link at MTU 1400 ----------------------------------------

ip -n "$NS_HOST" link set "$LAB_IF_HOST" mtu "$HOST_MTU" || fail "mtu on host"
ip -n "$NS_R1" link set "$LAB_IF_R1_HOST" mtu "$HOST_MTU" || fail "mtu on r1"
[[ "$(link_mtu "$NS_HOST" "$LAB_IF_HOST")" == "$HOST_MTU" ]] ||
	fail "the host's link did not take MTU $HOST_MTU"
: >"$T/local.req"
for fam in "${FAMILIES[@]}"; do
	base=$((fam * 1000))
	printf '%s send-probe ip-%s %s protocol udp size 1500 dont-fragment 1 timeout 60\n' \
		$((base + 1)) "$fam" "${TARGET[$fam]}" >>"$T/local.req"
	printf '%s send-probe ip-%s %s protocol icmp size %s dont-fragment 1 timeout 60\n' \
		$((base + 2)) "$fam" "${TARGET[$fam]}" $((HOST_MTU + 1)) >>"$T/local.req"
	printf '%s send-probe ip-%s %s protocol tcp size 1500 dont-fragment 1 local-device %s timeout 60\n' \
		$((base + 3)) "$fam" "${TARGET[$fam]}" "$LAB_IF_HOST" >>"$T/local.req"
	printf '%s send-probe ip-%s %s protocol sctp size %s dont-fragment 1 timeout 60\n' \
		$((base + 4)) "$fam" "${TARGET[$fam]}" "$HOST_MTU" >>"$T/local.req"
done
session local
for fam in "${FAMILIES[@]}"; do
	base=$((fam * 1000))
	expect local $((base + 1)) "packet-too-big mtu $HOST_MTU" \
		"local: IPv$fam udp 1500 DF: this host says mtu $HOST_MTU"
	expect local $((base + 2)) "packet-too-big mtu $HOST_MTU" \
		"local: IPv$fam icmp $((HOST_MTU + 1)) DF: this host says mtu $HOST_MTU"
	expect local $((base + 3)) "packet-too-big mtu $HOST_MTU" \
		"local: IPv$fam tcp 1500 DF through local-device: mtu $HOST_MTU"
	expect local $((base + 4)) \
		"packet-too-big $(from "$fam" "${R1[$fam]}") mtu $MIDDLE_MTU" \
		"local: IPv$fam sctp $HOST_MTU DF leaves and gets r1's mtu $MIDDLE_MTU"
done
if ((SESSION_US < 20000000)); then
	ok "local: answered at once (session of 60 s timeouts took $((SESSION_US / 1000)) ms)"
else
	not_ok "local: the session took $((SESSION_US / 1000)) ms: not at once"
fi

# ---- E: an emulated router's too-big answers -----------------------------------

if ! pathemu_python >/dev/null; then
	printf '# no python3 with scapy: the emulated path is skipped\n'
	printf '# %d checks, %d failed\n' "$checks" "$failures"
	((failures == 0))
	exit
fi
# Three paths, each a router .1 then the too-big router .2, destination
# .3: mtu 1400; mtu 0 (before RFC 1191); mtu 1400 with an MPLS label.
EMU_MTU=1400
EMU_LABELS=16001,0,1,1
cat >"$T/path.json" <<EOF
{
  "paths": [
    {"dst4": "203.0.113.3", "dst6": "2001:db8:e:1::3",
     "hops": [{"addr4": "203.0.113.1", "addr6": "2001:db8:e:1::1"},
              {"addr4": "203.0.113.2", "addr6": "2001:db8:e:1::2",
               "unreach": "too-big", "mtu": $EMU_MTU}]},
    {"dst4": "203.0.113.7",
     "hops": [{"addr4": "203.0.113.5"},
              {"addr4": "203.0.113.6", "unreach": "too-big", "mtu": 0}]},
    {"dst4": "203.0.113.11",
     "hops": [{"addr4": "203.0.113.9"},
              {"addr4": "203.0.113.10", "unreach": "too-big",
               "mtu": $EMU_MTU,
               "ext": {"mpls": $(mpls_json "$EMU_LABELS")}}]}
  ]
}
EOF
pathemu_up "$T/path.json" "$T/pathemu.log"
: >"$T/emu.req"
t=7000
for proto in icmp udp tcp; do
	printf '%s send-probe ip-4 203.0.113.3 protocol %s dont-fragment 1 timeout 3\n' \
		$((t + 1)) "$proto" >>"$T/emu.req"
	printf '%s send-probe ip-4 203.0.113.3 protocol %s timeout 3\n' \
		$((t + 2)) "$proto" >>"$T/emu.req"
	if ((LAB_HAVE_IPV6)); then
		printf '%s send-probe ip-6 2001:db8:e:1::3 protocol %s dont-fragment 1 timeout 3\n' \
			$((t + 3)) "$proto" >>"$T/emu.req"
		printf '%s send-probe ip-6 2001:db8:e:1::3 protocol %s timeout 2\n' \
			$((t + 4)) "$proto" >>"$T/emu.req"
	fi
	t=$((t + 10))
done
printf '7101 send-probe ip-4 203.0.113.7 dont-fragment 1 timeout 3\n' >>"$T/emu.req"
printf '7102 send-probe ip-4 203.0.113.11 dont-fragment 1 timeout 3\n' >>"$T/emu.req"
printf '7103 send-probe ip-4 203.0.113.11 timeout 3\n' >>"$T/emu.req"
SESSION_NS=$PE_NS_HOST session emu
t=7000
for proto in icmp udp tcp; do
	expect emu $((t + 1)) \
		"packet-too-big $(from 4 203.0.113.2) mtu $EMU_MTU" \
		"emu: IPv4 $proto DF: fragmentation needed, mtu $EMU_MTU"
	expect emu $((t + 2)) "$HOST_UNREACH $(from 4 203.0.113.2)" \
		"emu: IPv4 $proto without DF: $HOST_UNREACH, as before"
	if ((LAB_HAVE_IPV6)); then
		expect emu $((t + 3)) \
			"packet-too-big $(from 6 2001:db8:e:1::2) mtu $EMU_MTU" \
			"emu: IPv6 $proto DF: packet too big, mtu $EMU_MTU"
		expect emu $((t + 4)) "no-reply" \
			"emu: IPv6 $proto without DF: no-reply, as before"
	fi
	t=$((t + 10))
done
expect emu 7101 "packet-too-big $(from 4 203.0.113.6) mtu 0" \
	"emu: a router before RFC 1191 gives mtu 0"
expect emu 7102 \
	"packet-too-big $(from 4 203.0.113.10) mtu $EMU_MTU mpls $EMU_LABELS" \
	"emu: labels beside the MTU"
expect emu 7103 "$HOST_UNREACH $(from 4 203.0.113.10) mpls $EMU_LABELS" \
	"emu: without DF, labels as before"

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0))

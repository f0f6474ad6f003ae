#!/bin/bash
#
# net_matrix.sh: every probe protocol (icmp, udp, tcp, sctp) against every
# kind of answer the lab can give, over IPv4 and IPv6.
#
# One hopprobe run per family takes all of that family's requests at once
# (pipelined; the replies come in any order and are matched by token):
#   - the target answers: `reply` from the target with a round-trip-time
#     (ICMP echo reply; UDP port unreachable; TCP RST from a closed port or
#     SYN-ACK from an open one; SCTP: the target's kernel has no SCTP, so
#     ICMP protocol unreachable / ICMPv6 parameter problem);
#   - ttl 1 and ttl 2: `ttl-expired` naming r1 and r2;
#   - r2's black hole with `timeout 1`: `no-reply`, timed from writing the
#     request to reading the reply: no earlier than 1 s, at most 0.5 s
#     later (plus a small allowance for scheduling the test itself);
#   - network unreachable from r1 and host unreachable from r2, with the
#     names of the build (expected_unreach in lib.sh) and the responder.
# TCP to an open port must not complete a handshake: hopprobe only sends
# the SYN, and the host's kernel, which knows no such connection, answers
# the SYN-ACK with RST.  A listener in the target logs every connection it
# accepts.  Also checked: check-support for the standard features.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, the system python3.
# The checking functions are called through check(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping ss timeout "$PYTHON3_SYSTEM" "$HOPPROBE"

# no-reply may come at most 0.5 s after the timeout; the test adds this
# much (microseconds) for its own scheduling and pipe delays.
ALLOWANCE_US=150000
OPEN_PORT=8080
CLOSED_PORT=81

failures=0

# matrix_check.py runs one hopprobe in the lab's host namespace with all
# the requests of a run at once (see there for what $T/NAME.out and
# $T/NAME.out.replies get).

# drive NAME: run the driver on $T/NAME.req into $T/NAME.out.
drive()
{
	timeout 60 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/matrix_check.py" \
		"$NS_HOST" "$HOPPROBE" "$T/$1.req" "$T/$1.out" ||
		not_ok "driver for run '$1' failed (status $?)"
}

# reply_within NAME TOKEN MIN_US MAX_US: the reply to TOKEN in run NAME
# was read between MIN_US and MAX_US after the requests were written.
reply_within()
{
	local us

	us=$(awk -v t="$2" '$1 ~ /^[0-9]+$/ && $2 == t { print $1 }' "$T/$1.out" | head -n1)
	if [[ -z "$us" ]]; then
		printf 'no reply to token %s\n' "$2"
		return 1
	fi
	if ((us < $3 || us > $4)); then
		printf 'reply to token %s after %d us, want %d..%d us\n' \
			"$2" "$us" "$3" "$4"
		return 1
	fi
}

# run_clean NAME COUNT: run NAME exited 0, wrote nothing on stderr and
# exactly COUNT reply lines (so no reply to a token nobody asked about).
run_clean()
{
	local n status

	status=$(sed -n 's/^exit //p' "$T/$1.out")
	if [[ "$status" != 0 ]]; then
		printf 'exit status %s, want 0\n' "${status:-none}"
		return 1
	fi
	if [[ -s "$T/$1.out.err" ]]; then
		printf 'stderr:\n'
		cat "$T/$1.out.err"
		return 1
	fi
	n=$(grep -cv '^exit ' "$T/$1.out")
	if ((n != $2)); then
		printf '%d reply lines, want %d\n' "$n" "$2"
		return 1
	fi
}

# tcp_out_rsts NS: the TCP OutRsts counter of namespace NS (IPv4 and IPv6
# share it).
tcp_out_rsts()
{
	# shellcheck disable=SC2016 # awk, not shell
	in_ns "$1" awk '$1 == "Tcp:" { if (h) { print $i; exit } for (i = 1; i <= NF; i++) if ($i == "OutRsts") break; h = 1 }' /proc/net/snmp
}

# no_established: no TCP connection is established in the target or the
# host namespace.
no_established()
{
	local ns lines rc=0

	for ns in "$NS_TARGET" "$NS_HOST"; do
		lines=$(in_ns "$ns" ss -Htn state established)
		if [[ -n "$lines" ]]; then
			printf 'established in %s:\n%s\n' "$ns" "$lines"
			rc=1
		fi
	done
	return "$rc"
}

# listener_accepted: connections the listener accepted since the control.
listener_accepted()
{
	local n

	n=$(grep -c '^accepted' "$T/listener.log")
	((n == LISTENER_CONTROL)) && return 0
	printf 'the listener accepted %d connection(s) from the probes:\n' \
		"$((n - LISTENER_CONTROL))"
	tail -n "$((n - LISTENER_CONTROL))" "$T/listener.log"
	return 1
}

UNREACH_NET=$(expected_unreach net) || fail "expected_unreach net"
UNREACH_HOST=$(expected_unreach host) || fail "expected_unreach host"

lab_up
T=$(mktemp -d /tmp/net_matrix.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"

FAMILIES=(4)
if ((LAB_HAVE_IPV6)); then
	FAMILIES+=(6)
fi
PROTOS=(icmp udp tcp sctp)

# ---- an open TCP port in the target -------------------------------------
#
# tcp_listener.py logs `listening` once ready and `accepted ADDR` for every
# connection it accepts; one socket takes both families.
tcp_listener_start "$NS_TARGET" "$OPEN_PORT" "$T/listener.log"

# Control: the listener logs what it accepts, here ordinary connections
# from the host (so the path and the port work, and the checks below can
# fail).
TARGETS=("$LAB_TARGET4")
if ((LAB_HAVE_IPV6)); then
	TARGETS+=("$LAB_TARGET6")
fi
for dst in "${TARGETS[@]}"; do
	in_ns "$NS_HOST" timeout 10 "$PYTHON3_SYSTEM" \
		"$TESTS_SRCDIR/net/tcp_connect.py" "$dst" "$OPEN_PORT" || fail "control: the host cannot connect to [$dst]:$OPEN_PORT"
done
NCONTROL=${#TARGETS[@]}
# shellcheck disable=SC2016 # wait_for evaluates it
check "control: the listener logs the host's $NCONTROL ordinary connection(s)" \
	wait_for '(($(grep -c "^accepted" "$T/listener.log") >= NCONTROL))' 5
LISTENER_CONTROL=$(grep -c '^accepted' "$T/listener.log")

# ---- check-support ------------------------------------------------------

VERSION=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$TESTS_SRCDIR/../configure.ac" 2>/dev/null)
VERSION_RE=$(re_escape "${VERSION:-}")
if [[ -z "$VERSION" ]]; then
	# Without configure.ac: at least a dotted version number.
	VERSION_RE='[0-9]+(\.[0-9]+)+[^ ]*'
fi
{
	printf '1 check-support feature version\n'
	tok=1
	for f in send-probe ip-4 ip-6 icmp udp tcp sctp; do
		tok=$((tok + 1))
		printf '%s check-support feature %s\n' "$tok" "$f"
	done
	printf '99 check-support feature no-such-feature-xyz\n'
} >"$T/support.req"
drive support
check "check-support: run exits 0, one reply per request" run_clean support 9
check "check-support: version is $VERSION_RE" \
	reply_matches "$T/support.out.replies" 1 "feature-support support $VERSION_RE"
tok=1
for f in send-probe ip-4 ip-6 icmp udp tcp sctp; do
	tok=$((tok + 1))
	if [[ "$f" == ip-6 ]] && ((!LAB_HAVE_IPV6)); then
		check "check-support: ip-6 is no (this kernel has no IPv6)" \
			reply_matches "$T/support.out.replies" "$tok" "feature-support support no"
		continue
	fi
	check "check-support: $f is ok as root" \
		reply_matches "$T/support.out.replies" "$tok" "feature-support support ok"
done
check "check-support: an unknown feature is no" \
	reply_matches "$T/support.out.replies" 99 "feature-support support no"

# ---- the matrix, one run per family -------------------------------------

# Which answer the SCTP probes get (a `reply` either way).
if in_ns "$NS_TARGET" test -e /proc/net/sctp; then
	printf '# the target kernel has SCTP: INIT gets ABORT\n'
else
	printf '# the target kernel has no SCTP: INIT gets ICMP protocol unreachable / ICMPv6 parameter problem\n'
fi
#
# Tokens: FAMILY * 1000 + PROTOCOL * 100 + CASE, protocol 1..4 as in PROTOS.

# req TOKEN WHAT REGEX ARGS...: append a request to run $run, and remember
# what it checks and the reply it must get.
req()
{
	printf '%s send-probe %s\n' "$1" "${*:4}" >>"$T/$run.req"
	what[$1]=$2
	want[$1]=$3
}

for fam in "${FAMILIES[@]}"; do
	if ((fam == 4)); then
		target=$LAB_TARGET4 r1=$LAB_R1_4 r2=$LAB_R2_4
		blackhole=$LAB_BLACKHOLE4
		unet=$LAB_UNREACH_NET4 uhost=$LAB_UNREACH_HOST4
	else
		target=$LAB_TARGET6 r1=$LAB_R1_6 r2=$LAB_R2_6
		blackhole=$LAB_BLACKHOLE6
		unet=$LAB_UNREACH_NET6 uhost=$LAB_UNREACH_HOST6
	fi
	run=v$fam
	declare -A want=() what=()
	: >"$T/$run.req"
	p=0
	for proto in "${PROTOS[@]}"; do
		p=$((p + 1))
		base=$((fam * 1000 + p * 100))
		a="ip-$fam"
		req $((base + 1)) "$proto: the target answers" \
			"reply $a $(re_escape "$target") round-trip-time [0-9]+" \
			"$a $target protocol $proto timeout 5"
		req $((base + 2)) "$proto: ttl 1 expires at r1" \
			"ttl-expired $a $(re_escape "$r1") round-trip-time [0-9]+" \
			"$a $target protocol $proto ttl 1 timeout 5"
		req $((base + 3)) "$proto: ttl 2 expires at r2" \
			"ttl-expired $a $(re_escape "$r2") round-trip-time [0-9]+" \
			"$a $target protocol $proto ttl 2 timeout 5"
		req $((base + 4)) "$proto: the black hole gives no-reply" \
			"no-reply" \
			"$a $blackhole protocol $proto timeout 1"
		req $((base + 5)) "$proto: network unreachable from r1 is $UNREACH_NET" \
			"$UNREACH_NET $a $(re_escape "$r1") round-trip-time [0-9]+" \
			"$a $unet protocol $proto timeout 5"
		req $((base + 6)) "$proto: host unreachable from r2 is $UNREACH_HOST" \
			"$UNREACH_HOST $a $(re_escape "$r2") round-trip-time [0-9]+" \
			"$a $uhost protocol $proto timeout 5"
		if [[ "$proto" == tcp ]]; then
			req $((base + 7)) "tcp: closed port $CLOSED_PORT (RST) is a reply" \
				"reply $a $(re_escape "$target") round-trip-time [0-9]+" \
				"$a $target protocol tcp port $CLOSED_PORT timeout 5"
			req $((base + 8)) "tcp: open port $OPEN_PORT (SYN-ACK) is a reply" \
				"reply $a $(re_escape "$target") round-trip-time [0-9]+" \
				"$a $target protocol tcp port $OPEN_PORT timeout 5"
		fi
	done

	rsts_before=$(tcp_out_rsts "$NS_HOST")
	drive "$run"

	check "IPv$fam: one run of ${#want[@]} pipelined probes exits 0, one reply each" \
		run_clean "$run" "${#want[@]}"
	while read -r tok; do
		check "IPv$fam ${what[$tok]} (token $tok)" reply_matches "$T/$run.out.replies" "$tok" "${want[$tok]}"
		if [[ "${want[$tok]}" == no-reply ]]; then
			us=$(awk -v t="$tok" '$1 ~ /^[0-9]+$/ && $2 == t { print $1; exit }' "$T/$run.out")
			check "IPv$fam ${what[$tok]%%:*}: timeout 1 gives no-reply after ${us:-?} us (want 1000000 .. $((1500000 + ALLOWANCE_US)))" \
				reply_within "$run" "$tok" 1000000 $((1500000 + ALLOWANCE_US))
		fi
	done < <(printf '%s\n' "${!want[@]}" | sort -n)

	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for '(($(tcp_out_rsts "$NS_HOST") > rsts_before))' 2 || true
	rsts_after=$(tcp_out_rsts "$NS_HOST")
	check "IPv$fam tcp: the host's kernel answered the SYN-ACK with RST (OutRsts $rsts_before -> $rsts_after)" \
		test "$rsts_after" -gt "$rsts_before"
	check "IPv$fam tcp: no connection established (ss, host and target)" no_established
	check "IPv$fam tcp: the listener accepted no connection" listener_accepted
	unset want what
done

if ((failures)); then
	printf '# %d check(s) failed\n' "$failures"
	exit 1
fi
exit 0

#!/bin/bash
#
# net_hostile.sh: the worker's two untrusted inputs, made hostile.
# hostile_drive.py does the driving and the checking, one
# section at a time, each with its own hopprobe in the lab's host
# namespace; this script builds the lab, captures on r1 and counts.
#
# A. The command stream (probes only to 127.0.0.1 and ::1 of the host
#    namespace):
#   - 256 KiB of seeded random bytes: every line answered once, as a model
#     of the protocol's grammar written in the driver says;
#   - NUL bytes anywhere in a line: that line is `0 command-parse-error`
#     and the lines after it are answered at once (no stall, nothing
#     swallowed), also when the newline comes later or never;
#   - CRLF line endings: answered as if LF (a CR is white space), and no CR
#     in any reply;
#   - lines of 4,096 bytes, 64 KiB and 1 MiB (the last one also in pieces
#     of 1 byte to 64 KiB, and once without a newline before end of
#     file): exactly one `0 command-buffer-overflow` each, and no tail of
#     them runs as a request although every tail looks like
#     `99 send-probe ip-4 127.0.0.1 ...` (token 99 never answered); a line
#     of 4,095 bytes is a request;
#   - tokens beyond 31 bits (2147483648 ... 10^201), signed, hex or
#     fractional: `0 command-parse-error`, never a wrapped token;
#     2147483647 and 0 are answered;
#   - every numeric argument (ttl, tos, size, port, local-port,
#     bit-pattern, mark, timeout) negative, huge (2^32, 2^64 + 1, 300
#     digits), malformed or just out of its range: `TOKEN
#     invalid-argument`; the largest allowed value of each is accepted;
#   - 100,000 requests in one burst, half check-support and half
#     send-probe to 127.0.0.1: each answered exactly once;
#   - after each run: exit status 0, nothing on stderr, and the peak
#     memory (VmHWM, sampled every 0.1 s from /proc/PID/status) below
#     64 MiB.
# B. A reader that stops reading: 300,000 check-support requests and
#    50,000 probes to 127.0.0.1 are written to a worker whose stdout nobody
#    reads.  The writer must block (the worker pauses its input: it took
#    only part of the bytes, and none in 2 s more), VmRSS stays below
#    64 MiB and grows by at most 1 MiB in those 2 s, and the paused
#    worker does not spin.  Then everything is read: all 350,000 requests
#    answered exactly once, exit 0 after end of file.
# C. Forged, truncated and unrelated packets from the network.  Probes of
#    every protocol (and family) wait in r2's black hole (timeout 5 s)
#    while r1 sends the host, on raw sockets, packets built with scapy
#    from the probes as tcpdump captured them on r1: ICMP errors quoting
#    random identifiers; quotes that miss by exactly one field (ICMP seq
#    or id + 1, UDP checksum, source or destination port + 1, TCP
#    sequence number + 0x10000 or + 1, ports + 1, SCTP initiate tag + 1,
#    destination address + 1, UDP and TCP swapped in the quoted IP
#    header); quotes of only 7 transport bytes; the exact quote cut at
#    every length from 8 bytes up to (not including) the shortest
#    attributable one, and a near miss cut at every length from 8 to 60;
#    echo replies with random or off-by-one identifiers, or the right ones
#    from the wrong address; TCP RSTs with a wrong ack, wrong ports, from
#    the wrong address or without the ACK flag; SCTP ABORTs with a wrong
#    tag; garbage IP packets (random protocols, ICMP types, IPv4 options,
#    wrong checksums).  All those probes must end as no-reply, exactly
#    once.  The controls, sent last and twice each, are exact forgeries
#    (a time exceeded quoting the whole probe, one quoting the RFC 792
#    minimum, a port unreachable, an echo reply, a RST, an ABORT): those
#    probes must be answered once, ttl-expired from r1 or reply from the
#    black hole's address, which proves the forgeries arrived in time and
#    could have matched.  Exact answers sent after every probe has ended
#    must not be reported.  The worker's raw sockets must have dropped
#    nothing but the ICMPv6 with wrong checksums, and afterwards real
#    probes to the target are answered.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, the system python3
# (with scapy).
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping tcpdump timeout "$PYTHON3_SYSTEM" "$HOPPROBE"
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" scapy.all >/dev/null 2>&1; then
	skip "needs scapy for $PYTHON3_SYSTEM (Debian: python3-scapy)"
fi

DRIVE=$TESTS_SRCDIR/net/hostile_drive.py
# How long the probes of section C wait in the black hole.
HOSTILE_TIMEOUT=5
export HOSTILE_TIMEOUT

failures=0

# section NAME ARG...: run one section of the driver, whose ok / not ok
# lines pass through.  Status 1 means some check failed; any other but 0
# means the driver itself did not finish, which is a failure too.
section()
{
	local name=$1 rc

	shift
	timeout 600 "$PYTHON3_SYSTEM" "$DRIVE" "$name" "$@"
	rc=$?
	case $rc in
	0) ;;
	1) failures=$((failures + 1)) ;;
	*)
		failures=$((failures + 1))
		printf 'not ok - section %s: the driver ended with status %d\n' \
			"$name" "$rc"
		;;
	esac
}

lab_up
T=$(mktemp -d /tmp/net_hostile.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"

printf '# %s\n' "$("$HOPPROBE" --version)"

# ---- A. the command stream --------------------------------------------------
section input "$NS_HOST" "$HOPPROBE" "$T"

# ---- B. a reader that stops reading ------------------------------------------
section stall "$NS_HOST" "$HOPPROBE" "$T"

# ---- C. forged packets from the network --------------------------------------
#
# tcpdump on r1's side of the host link sees every probe on its way to the
# black hole; -Z root because it would otherwise drop to its own user and
# not be able to write into $T.
filter="dst host $LAB_BLACKHOLE4"
if ((LAB_HAVE_IPV6)); then
	filter="$filter or dst host $LAB_BLACKHOLE6"
fi
bg_start "$NS_R1" timeout 300 tcpdump -i "$LAB_IF_R1_HOST" -n -U -s 2048 -B 8192 \
	--immediate-mode -Z root -w "$T/probes.pcap" "$filter" \
	>"$T/tcpdump.out" 2>"$T/tcpdump.err" </dev/null
tcpdump_pid=$(bg_pid)
# wait_for evaluates its condition; the quotes keep it intact.
# shellcheck disable=SC2016
if wait_for 'grep -q "listening on" "$T/tcpdump.err"' 5; then
	section forge "$NS_HOST" "$NS_R1" "$HOPPROBE" "$T/probes.pcap" "$T"
else
	failures=$((failures + 1))
	printf 'not ok - forge: tcpdump did not start on r1\n'
	sed 's/^/#   /' "$T/tcpdump.err"
fi
kill -INT "$tcpdump_pid" 2>/dev/null
wait "$tcpdump_pid" 2>/dev/null

if ((failures)); then
	printf '# %d section(s) with failures\n' "$failures"
	exit 1
fi
exit 0

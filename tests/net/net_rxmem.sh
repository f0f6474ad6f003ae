#!/bin/bash
#
# net_rxmem.sh: what a stopped worker's raw sockets may hold.
#
# A worker installed setuid can be stopped (SIGSTOP) by the user who
# started it, and its receive sockets then fill with whatever they accept.
# So:
#   - every raw socket's receive buffer (rb) stays within the namespace's
#     net.core.rmem_max: the worker may not use SO_RCVBUFFORCE;
#   - the TCP and SCTP receive sockets queue only what can answer a probe:
#     segments to one of the worker's reserved ports with ACK and SYN or
#     RST, SCTP packets to them whose first chunk is INIT-ACK or ABORT.
#
# In the lab's host namespace the worker gets two probes to a blackhole
# with local-port TCP_PORT (TCP) and SCTP_PORT (SCTP), so that those ports
# stay reserved; then it is stopped, and the target sends it a few hundred
# TCP and SCTP packets to ports that are not its own (and data segments
# and SCTP DATA to its own): its TCP and SCTP sockets must queue nothing
# (r = 0), while the host did receive the packets (the kernel's InDelivers
# counters).  Then one SYN-ACK and one ABORT to its own ports in each family
# must be queued (r > 0).  The worker is continued, must still answer, and
# is ended by PID.  Socket memory is read with rxmem_helper.py meminfo
# (getsockopt SO_MEMINFO, the numbers of `ss -m`, which shows them for raw
# sockets only on kernels with raw_diag).
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, a python3 with scapy.
# shellcheck disable=SC2317,SC2016 # functions called through check(); awk programs
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}
HELPER=$TESTS_SRCDIR/net/rxmem_helper.py

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping timeout awk "$PYTHON3_SYSTEM" "$HOPPROBE"
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" scapy.layers.sctp os:pidfd_open 2>/dev/null; then
	skip "needs scapy and os.pidfd_open for $PYTHON3_SYSTEM (Debian: python3-scapy)"
fi

TCP_PORT=41234
SCTP_PORT=41235
# Ports the worker does not hold: below the ephemeral range, so never its
# default ports either, and far from TCP_PORT and SCTP_PORT (the filters
# list a reserved port's aligned block of 64, sockets.c).
OTHER_FIRST=1000
OTHER_COUNT=150
STRAY_COUNT=50
RMEM_WANTED=1048576
failures=0
checks=0

lab_up
T=$(mktemp -d /tmp/net_rxmem.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"

FAMILIES=(4)
((LAB_HAVE_IPV6)) && FAMILIES+=(6)
declare -A HOST=([4]="$LAB_HOST4" [6]="$LAB_HOST6")
declare -A TARGET=([4]="$LAB_TARGET4" [6]="$LAB_TARGET6")
declare -A FAMNAME=([4]=inet [6]=inet6)

# rmem_max: per namespace on kernels that make it so (the file is writable
# there); otherwise the machine's, which this test only reads.
RMEM_FILE=/proc/sys/net/core/rmem_max
mode=$(in_ns "$NS_HOST" stat -c %a "$RMEM_FILE" 2>/dev/null) || mode=444
if [[ "$mode" == *[2367]* ]]; then
	_lab_sysctl "$NS_HOST" net.core.rmem_max "$RMEM_WANTED"
fi
RMEM_MAX=$(in_ns "$NS_HOST" cat "$RMEM_FILE") || fail "cannot read rmem_max"
printf '# rmem_max in %s: %s (file mode %s)\n' "$NS_HOST" "$RMEM_MAX" "$mode"

# The worker reads commands from a FIFO that this script keeps open.
mkfifo "$T/in" || fail "mkfifo"
exec 3<>"$T/in"
# ip netns exec runs the worker in place, so the PID bg_start reports is
# the worker's; the lab's cleanup stops it.  /proc/PID is read only once
# the worker has answered (below), long after its exec.
bg_start "$NS_HOST" "$HOPPROBE" <"$T/in" >"$T/out" 2>"$T/err"
WORKER=$(bg_pid)

# Hold the two ports (probes that stay in flight), then a probe that is
# answered: once its reply is out, the two before it were sent.
printf '%s\n' \
	"1 send-probe ip-4 $LAB_BLACKHOLE4 protocol tcp port 9 local-port $TCP_PORT timeout 30" \
	"2 send-probe ip-4 $LAB_BLACKHOLE4 protocol sctp port 9 local-port $SCTP_PORT timeout 30" \
	"3 send-probe ip-4 $LAB_TARGET4 protocol icmp timeout 5" >&3
# shellcheck disable=SC2016
wait_for 'grep -q "^3 " "$T/out"' 5 || fail "probe 3 unanswered: $(cat "$T/out" "$T/err")"
check "the worker answers its probe to the target" grep -q '^3 reply ' "$T/out"

meminfo()
{
	"$PYTHON3_SYSTEM" "$HELPER" meminfo "$WORKER" >"$T/$1" 2>"$T/$1.err" ||
		fail "meminfo: $(cat "$T/$1.err")"
	sed "s/^/# $1: /" "$T/$1"
}

# ---- receive buffers --------------------------------------------------------

meminfo mem-start
check "the worker has at least six raw sockets" \
	test "$(wc -l <"$T/mem-start")" -ge 6
rb_within()
{
	awk -v max="$RMEM_MAX" '
		{ for (i = 1; i <= NF; i++) if ($i ~ /^rb=/) rb = substr($i, 4) + 0 }
		rb > max { print "over rmem_max " max ": " $0; bad = 1 }
		END { exit bad }' "$T/mem-start"
}
check "every raw socket's receive buffer (rb) is at most rmem_max ($RMEM_MAX)" rb_within

# ---- stopped: nothing that is not an answer is queued ----------------------

# Sum of r over the worker's raw sockets of FAMILY and protocol PROTO.
queued()
{
	awk -v fam="family=$2" -v proto="proto=$3" '
		$2 == fam && $3 == proto { sub(/^r=/, "", $4); sum += $4 }
		END { print sum + 0 }' "$T/$1"
}

# In-delivers: the host's count of packets handed to a protocol or raw
# socket, for the control that the flood did arrive.
indelivers()
{
	if [[ $1 == 4 ]]; then
		in_ns "$NS_HOST" awk '$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
			$1 == "Ip:" { print $col["InDelivers"] }' /proc/net/snmp
	else
		in_ns "$NS_HOST" awk '$1 == "Ip6InDelivers" { print $2 }' /proc/net/snmp6
	fi
}

send_from_target()
{
	in_ns "$NS_TARGET" "$PYTHON3_SYSTEM" "$HELPER" send "$@" >/dev/null ||
		fail "send $*"
}

kill -STOP "$WORKER" || fail "cannot stop the worker"
declare -A before
for fam in "${FAMILIES[@]}"; do
	before[$fam]=$(indelivers "$fam")
	t=${TARGET[$fam]} h=${HOST[$fam]}
	send_from_target "$t" "$h" tcp SA "$OTHER_FIRST" "$OTHER_COUNT" 1
	send_from_target "$t" "$h" tcp RA "$OTHER_FIRST" "$OTHER_COUNT" 1
	send_from_target "$t" "$h" tcp PA "$TCP_PORT" "$STRAY_COUNT" 0
	send_from_target "$t" "$h" tcp S "$TCP_PORT" "$STRAY_COUNT" 0
	send_from_target "$t" "$h" sctp init-ack "$OTHER_FIRST" "$OTHER_COUNT" 1
	send_from_target "$t" "$h" sctp abort "$OTHER_FIRST" "$OTHER_COUNT" 1
	send_from_target "$t" "$h" sctp data "$SCTP_PORT" "$STRAY_COUNT" 0
done
sent=$((4 * OTHER_COUNT + 3 * STRAY_COUNT))
sleep 0.5
meminfo mem-flood
for fam in "${FAMILIES[@]}"; do
	got=$(($(indelivers "$fam") - before[$fam]))
	check "control: the IPv$fam host received the $sent packets (InDelivers +$got)" \
		test "$got" -ge "$sent"
	for proto in 6 132; do
		r=$(queued mem-flood "${FAMNAME[$fam]}" "$proto")
		check "stopped: IPv$fam protocol $proto sockets queued nothing of the flood (r=$r)" \
			test "$r" -eq 0
	done
done

# ---- stopped: answers to the worker's own ports are queued -----------------

for fam in "${FAMILIES[@]}"; do
	t=${TARGET[$fam]} h=${HOST[$fam]}
	send_from_target "$t" "$h" tcp SA "$TCP_PORT" 1 0
	send_from_target "$t" "$h" sctp abort "$SCTP_PORT" 1 0
done
sleep 0.5
meminfo mem-answer
for fam in "${FAMILIES[@]}"; do
	for proto in 6 132; do
		r=$(queued mem-answer "${FAMNAME[$fam]}" "$proto")
		check "stopped: IPv$fam protocol $proto sockets queued the answer to the worker's port (r=$r)" \
			test "$r" -gt 0
	done
done

# ---- continued -------------------------------------------------------------

kill -CONT "$WORKER" || fail "cannot continue the worker"
printf '4 send-probe ip-4 %s protocol tcp port 81 timeout 5\n' "$LAB_TARGET4" >&3
if ((LAB_HAVE_IPV6)); then
	printf '5 send-probe ip-6 %s protocol tcp port 81 local-port 41236 timeout 5\n' "$LAB_TARGET6" >&3
fi
# shellcheck disable=SC2016
wait_for 'grep -q "^4 " "$T/out" && { ((!LAB_HAVE_IPV6)) || grep -q "^5 " "$T/out"; }' 8
check "continued: a TCP probe from the default port is answered" \
	grep -q '^4 reply ' "$T/out"
if ((LAB_HAVE_IPV6)); then
	check "continued: an IPv6 TCP probe from a new local-port is answered" \
		grep -q '^5 reply ' "$T/out"
fi
meminfo mem-end
exec 3>&-
kill -TERM "$WORKER" 2>/dev/null
wait "$WORKER" 2>/dev/null

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

# shellcheck shell=bash
#
# tests/net/wire_lib.sh: what the tests that check probes on the wire share
# (net_params.sh, net_routing.sh), sourced after lib.sh: tcpdump captures
# started and stopped by PID and read with pcap_check.py, one hopprobe run
# per request file.  Replies are matched with reply_matches (lib.sh) on
# $T/RUN.out.
# The sourcing test sets T (its temporary directory), PCAP_CHECK and
# CAP_FILTER (the tcpdump filter of its captures).

# pcap_server_start: start one pcap_check.py --serve for the test (after T
# is set), so that each check costs a line through a FIFO instead of a
# Python start and scapy's import (over half a second each, and these tests
# run a hundred checks).  Without it, pcap runs the script each time.
PCAP_SERVER_PID=
pcap_server_start()
{
	mkfifo "$T/pcap.req" "$T/pcap.ans" || fail "mkfifo in $T"
	# The server opens the request FIFO, then the answer FIFO; this shell
	# opens them in the same order, so neither side waits on the other.
	"$PYTHON3_SYSTEM" "$PCAP_CHECK" --serve "$T/pcap.req" "$T/pcap.ans" &
	PCAP_SERVER_PID=$!
	lab_at_exit kill "$PCAP_SERVER_PID"
	exec {PCAP_TO}>"$T/pcap.req" {PCAP_FROM}<"$T/pcap.ans"
}

# pcap CAPTURE ARGS...: run pcap_check.py's check on $T/CAPTURE.pcap; its
# output on stdout, its status as ours.  Arguments hold no tab or newline.
pcap()
{
	local name=$1 line arg

	shift
	if [[ -z "$PCAP_SERVER_PID" ]]; then
		"$PYTHON3_SYSTEM" "$PCAP_CHECK" "$T/$name.pcap" "$@"
		return
	fi
	line="$T/$name.pcap"
	for arg in "$@"; do
		line+=$'\t'"$arg"
	done
	printf '%s\n' "$line" >&"$PCAP_TO"
	# A bounded wait: a check reads one small capture.
	while IFS= read -r -t 60 -u "$PCAP_FROM" line; do
		if [[ "$line" == "@@status "* ]]; then
			return "${line#@@status }"
		fi
		printf '%s\n' "$line"
	done
	printf '# pcap_check.py --serve gave no answer for %s\n' "$name"
	return 2
}

# ---- capture ------------------------------------------------------------

declare -A CAP_PID=()

# cap_start CAPTURE NS IFACE: capture the test's CAP_FILTER on IFACE in NS into
# $T/CAPTURE.pcap; returns once tcpdump says it is listening.
cap_start()
{
	bg_start "$2" timeout 120 tcpdump --immediate-mode -n -U -s 0 -B 16384 \
		-i "$3" -c 2000 -w "$T/$1.pcap" "$CAP_FILTER" 2>"$T/$1.tcpdump"
	CAP_PID[$1]=$(bg_pid)
	# wait_for evaluates its condition inside its own function, where $1
	# is not ours: hence the global.
	CAP_NAME=$1
	# shellcheck disable=SC2016
	wait_for 'grep -q "listening on" "$T/$CAP_NAME.tcpdump"' 5 ||
		fail "tcpdump on $2/$3 did not start: $(cat "$T/$1.tcpdump")"
}

cap_count()
{
	tcpdump -n -r "$T/$1.pcap" 2>/dev/null | wc -l
}

# cap_stop CAPTURE WANT: wait (at most 5 s) for WANT packets in the
# capture, then stop its tcpdump by PID.
cap_stop()
{
	# shellcheck disable=SC2034 # read by the wait_for condition
	CAP_NAME=$1 CAP_WANT=$2
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for '(($(cap_count "$CAP_NAME") >= CAP_WANT))' 5 || true
	kill -INT "${CAP_PID[$1]}" 2>/dev/null
	wait "${CAP_PID[$1]}" 2>/dev/null
	# A capture that lost packets proves nothing either way.
	if grep -q '^[1-9][0-9]* packets dropped' "$T/$1.tcpdump"; then
		not_ok "capture '$1' lost packets: $(grep dropped "$T/$1.tcpdump")"
	fi
}

# hp_run RUN: hopprobe in the host namespace, requests from $T/RUN.req,
# replies into $T/RUN.out.  It exits once every probe has its reply.
hp_run()
{
	timeout 30 ip netns exec "$NS_HOST" "$HOPPROBE" \
		<"$T/$1.req" >"$T/$1.out" 2>"$T/$1.err"
	local rc=$?

	if ((rc != 0)); then
		not_ok "hopprobe run '$1' exited with status $rc"
		sed 's/^/#   stderr: /' "$T/$1.err"
	fi
}

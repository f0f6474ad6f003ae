#!/bin/bash
#
# tests/net/net_mtr.sh: the real mtr client (Debian's mtr-tiny) driving
# hopprobe through MTR_PACKET, inside the namespace lab.
#
# For every probe mode mtr offers (ICMP, UDP, TCP to a closed and to an open
# port, SCTP, and ICMP with the MPLS display) and both address families, the
# report must list exactly three hops -- r1, r2, the target, as lib.sh
# builds them -- each with 0.0% loss over two cycles, and mtr must exit 0
# with nothing on stderr (the worker shares mtr's stderr and must stay
# silent).  A report looks the same whatever protocol the worker really
# sent, so a capture on the host's link proves that each mode put its own
# protocol on the wire.  Finally the ICMP IPv4 report is compared with one
# made by Debian's own mtr-packet, which shows the lab path is what we
# expect from an independent worker.
#
# TCP: mtr -T probes port 80 unless -P says otherwise.  Both TCP answers
# count as a reply, so both are tested: `-T -P 81` reaches a closed port
# (the target's kernel answers RST), and plain `-T` reaches port 80 where a
# listener runs in the target (the kernel answers SYN-ACK).
#
# Every mtr run has -n (no name look-ups in a namespace without DNS) and
# runs under `timeout 60`.

set -u

. "$TESTS_SRCDIR/net/lib.sh"

require_root_and_tools ip ping tcpdump timeout ss mtr

if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi
PY3=${PYTHON3_SYSTEM:-/usr/bin/python3}
if [[ ! -x "$PY3" ]]; then
	skip "needs $PY3 for the TCP listener"
fi

# note MSG...: diagnostic output, TAP style.
note()
{
	printf '# %s\n' "$*"
}

# note_file FILE: show a file as diagnostic lines.
note_file()
{
	local line

	while IFS= read -r line; do
		printf '#   %s\n' "$line"
	done <"$1"
}

printf '# mtr: %s; worker: %s\n' "$(mtr --version 2>&1 | head -n1)" \
	"$("$HOPPROBE" --version 2>&1 | head -n1)"

tmp=$(mktemp -d /tmp/net_mtr.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$tmp"

lab_up

# mtr 0.95 does not list --sctp in --help; it accepts it when built with
# SCTP support.  An unknown option makes mtr print usage on stderr.
have_sctp=0
if mtr --sctp --version >/dev/null 2>"$tmp/sctp.err" && [[ ! -s "$tmp/sctp.err" ]]; then
	have_sctp=1
else
	note "this mtr does not accept --sctp: SCTP runs skipped"
fi

# A listener on the target's port 80 for plain `mtr -T`: the kernel
# answers the SYNs with SYN-ACK.
tcp_listener_start "$NS_TARGET" 80 "$tmp/listener.log"

# One capture on the host's link for the whole test; -Z root because
# tcpdump would otherwise drop to its own user and not be able to write
# into our private directory.
bg_start "$NS_HOST" tcpdump -i "$LAB_IF_HOST" -n -U -Z root -w "$tmp/cap.pcap" \
	>"$tmp/tcpdump.out" 2>"$tmp/tcpdump.err"
tcpdump_pid=$(bg_pid)
# shellcheck disable=SC2016 # evaluated by wait_for
wait_for 'grep -q "listening on" "$tmp/tcpdump.err"' 5 ||
	fail "tcpdump did not start: $(cat "$tmp/tcpdump.err")"

# expected_hops 4|6: the three hops of the lab path, from lib.sh's
# topology, in the form parse_hops prints.
expected_hops()
{
	if [[ $1 == 4 ]]; then
		printf '1 %s 0.0%% 2\n2 %s 0.0%% 2\n3 %s 0.0%% 2\n' \
			"$LAB_R1_4" "$LAB_R2_4" "$LAB_TARGET4"
	else
		printf '1 %s 0.0%% 2\n2 %s 0.0%% 2\n3 %s 0.0%% 2\n' \
			"$LAB_R1_6" "$LAB_R2_6" "$LAB_TARGET6"
	fi
}

# parse_hops REPORT: one line per hop of an mtr report: number, address,
# Loss%, Snt.  Report hop lines look like `  1.|-- 192.0.2.1  0.0%  2 ...`.
parse_hops()
{
	awk '$1 ~ /^[0-9]+\.\|--$/ { n = $1; sub(/\..*/, "", n); print n, $2, $3, $4 }' "$1"
}

# run_mtr NAME FAMILY WORKER MTR-ARGS...: run mtr in the host namespace
# against the target of FAMILY (4 or 6) with WORKER as MTR_PACKET ("" for
# Debian's own mtr-packet).  The report lands in $tmp/NAME.out, stderr in
# $tmp/NAME.err; returns mtr's exit status.
run_mtr()
{
	local name=$1 family=$2 worker=$3 target

	shift 3
	if [[ $family == 4 ]]; then
		target=$LAB_TARGET4
	else
		target=$LAB_TARGET6
		set -- -6 "$@"
	fi
	if [[ -n "$worker" ]]; then
		timeout 60 ip netns exec "$NS_HOST" env MTR_PACKET="$worker" \
			mtr --report -c 2 -n "$@" "$target" \
			>"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	else
		timeout 60 ip netns exec "$NS_HOST" env -u MTR_PACKET \
			mtr --report -c 2 -n "$@" "$target" \
			>"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	fi
}

# check_mtr NAME FAMILY MTR-ARGS...: run mtr with hopprobe and check exit
# status, silence on stderr and the three hops.
check_mtr()
{
	local name=$1 family=$2 rc desc

	shift 2
	if [[ $family == 4 ]]; then
		desc="mtr --report -c 2 -n${*:+ $*} $LAB_TARGET4"
	else
		desc="mtr --report -c 2 -n -6${*:+ $*} $LAB_TARGET6"
	fi
	run_mtr "$name" "$family" "$HOPPROBE" "$@"
	rc=$?
	if ((rc == 0)) && [[ ! -s "$tmp/$name.err" ]]; then
		ok "$desc: exit 0, nothing on stderr"
	else
		not_ok "$desc: exit $rc (124 = timed out), stderr:"
		note_file "$tmp/$name.err"
	fi
	if [[ "$(parse_hops "$tmp/$name.out")" == "$(expected_hops "$family")" ]]; then
		ok "$desc: hops r1, r2, target, each 0.0% loss of 2"
	else
		not_ok "$desc: hops are not r1, r2, target with 0.0% loss of 2; expected:"
		expected_hops "$family" | sed 's/^/#   /'
		note "report:"
		note_file "$tmp/$name.out"
	fi
}

check_mtr icmp4 4
check_mtr udp4 4 -u
check_mtr tcp_closed4 4 -T -P 81
check_mtr tcp_open4 4 -T
if ((have_sctp)); then
	check_mtr sctp4 4 --sctp
fi
check_mtr mpls4 4 -e
if ((LAB_HAVE_IPV6)); then
	check_mtr icmp6 6
	check_mtr udp6 6 -u
	check_mtr tcp_closed6 6 -T -P 81
	check_mtr tcp_open6 6 -T
	if ((have_sctp)); then
		check_mtr sctp6 6 --sctp
	fi
else
	note "no IPv6 in this kernel: IPv6 runs skipped"
fi

# The same ICMP IPv4 trace with Debian's mtr-packet.  It must show the same
# three addresses; if it cannot run here at all, that is the reference's
# problem, not ours: say why and go on.
if run_mtr debian4 4 ""; then
	debian_hops=$(parse_hops "$tmp/debian4.out" | awk '{ print $1, $2 }')
	ours_hops=$(parse_hops "$tmp/icmp4.out" | awk '{ print $1, $2 }')
	if [[ "$debian_hops" == "$(expected_hops 4 | awk '{ print $1, $2 }')" &&
		"$ours_hops" == "$debian_hops" ]]; then
		ok "Debian's mtr-packet and hopprobe show the same hops r1, r2, target (IPv4 ICMP)"
	else
		not_ok "Debian's mtr-packet and hopprobe differ, or not the lab path; Debian's report:"
		note_file "$tmp/debian4.out"
		note "hopprobe's report:"
		note_file "$tmp/icmp4.out"
	fi
else
	note "Debian's mtr-packet did not run in the namespace (exit $?):"
	note_file "$tmp/debian4.err"
	ok "comparison with Debian's mtr-packet # SKIP it did not run here"
fi

# Stop the capture (SIGINT makes tcpdump flush and close the file).
kill -INT "$tcpdump_pid" 2>/dev/null
for ((i = 0; i < 50; i++)); do
	kill -0 "$tcpdump_pid" 2>/dev/null || break
	sleep 0.1
done
wait "$tcpdump_pid" 2>/dev/null

# check_wire DESC FILTER: at least one packet of the capture matches the
# pcap FILTER.
check_wire()
{
	local desc=$1 filter=$2 n

	n=$(tcpdump -n -r "$tmp/cap.pcap" "$filter" 2>/dev/null | wc -l)
	if ((n > 0)); then
		ok "wire: $desc ($n packets)"
	else
		not_ok "wire: $desc: no packet matches '$filter'"
	fi
}

if [[ ! -s "$tmp/cap.pcap" ]]; then
	not_ok "wire: the capture is empty; tcpdump said:"
	note_file "$tmp/tcpdump.err"
else
	check_wire "mtr -u sent UDP to $LAB_TARGET4" "ip and udp and dst host $LAB_TARGET4"
	check_wire "mtr -T -P 81 sent TCP SYN to $LAB_TARGET4 port 81" \
		"ip and dst host $LAB_TARGET4 and tcp dst port 81 and tcp[tcpflags] & tcp-syn != 0"
	check_wire "$LAB_TARGET4 answered RST from the closed port 81" \
		"ip and src host $LAB_TARGET4 and tcp src port 81 and tcp[tcpflags] & tcp-rst != 0"
	check_wire "mtr -T sent TCP SYN to $LAB_TARGET4 port 80" \
		"ip and dst host $LAB_TARGET4 and tcp dst port 80 and tcp[tcpflags] & tcp-syn != 0"
	check_wire "$LAB_TARGET4 answered SYN-ACK from the listening port 80" \
		"ip and src host $LAB_TARGET4 and tcp src port 80 and tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)"
	if ((have_sctp)); then
		check_wire "mtr --sctp sent SCTP to $LAB_TARGET4" "ip proto 132 and dst host $LAB_TARGET4"
	fi
	if ((LAB_HAVE_IPV6)); then
		check_wire "mtr -6 -u sent UDP to $LAB_TARGET6" "ip6 and udp and dst host $LAB_TARGET6"
		check_wire "mtr -6 -T -P 81 sent TCP to $LAB_TARGET6 port 81" \
			"ip6 and dst host $LAB_TARGET6 and tcp dst port 81"
		check_wire "mtr -6 -T sent TCP to $LAB_TARGET6 port 80" \
			"ip6 and dst host $LAB_TARGET6 and tcp dst port 80"
		if ((have_sctp)); then
			check_wire "mtr -6 --sctp sent SCTP to $LAB_TARGET6" \
				"ip6 proto 132 and dst host $LAB_TARGET6"
		fi
	fi
fi

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

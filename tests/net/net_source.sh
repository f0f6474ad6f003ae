#!/bin/bash
#
# net_source.sh: a probe never leaves with a source address that is not a
# unicast address of this host (hopprobe(8), local-ip-4).
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
# out.  Each run is made three ways: the worker as built run by root, and
# setuid-root and file-capability copies run by uid 65534, the user who
# could abuse a forged source.
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
require_root_and_tools ip tcpdump timeout setpriv setcap findmnt "$HOPPROBE"

failures=0
# shellcheck source=wire_lib.sh
. "$TESTS_SRCDIR/net/wire_lib.sh"

# Every IPv4 or IPv6 packet but neighbour discovery and MLD.
CAP_FILTER='(ip and not arp) or (ip6 and not (icmp6 and (ip6[40] >= 130 and ip6[40] <= 143)) and not (ip6 and ip6[6] == 0))'

T=$(mktemp -d /tmp/net_source.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
chmod 755 "$T" || fail "chmod $T"
NOBODY=65534
STARTS=(root)
case ",$(findmnt -no OPTIONS -T "$T")," in
*,nosuid,*) printf '# %s is mounted nosuid: root start only\n' "$T" ;;
*)
	for copy in suid fcaps; do
		cp "$HOPPROBE" "$T/hopprobe-$copy" || fail "cp"
		chown root:root "$T/hopprobe-$copy" && chmod 755 "$T/hopprobe-$copy" ||
			fail "chown/chmod"
	done
	chmod 4755 "$T/hopprobe-suid" || fail "chmod 4755"
	if setcap cap_net_raw+ep "$T/hopprobe-fcaps"; then
		STARTS+=(suid fcaps)
	else
		STARTS+=(suid)
	fi
	;;
esac

# run_as START RUN: like hp_run, for one way of starting the worker.
run_as()
{
	local start=$1 run=$2 rc
	local -a cmd=("$HOPPROBE")

	if [[ "$start" != root ]]; then
		cmd=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups
			"$T/hopprobe-$start")
	fi
	timeout 30 ip netns exec "$NS_HOST" "${cmd[@]}" \
		<"$T/$run.req" >"$T/$run-$start.out" 2>"$T/$run-$start.err"
	rc=$?
	if ((rc != 0)); then
		not_ok "$start: hopprobe run '$run' exited with status $rc"
		sed 's/^/#   stderr: /' "$T/$run-$start.err"
	fi
}

lab_up
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

for start in "${STARTS[@]}"; do
	cap_start "forged-$start" "$NS_R1" "$LAB_IF_R1_HOST"
	run_as "$start" forged
	# Nothing is expected: give stray packets a moment to show up.
	sleep 0.5
	cap_stop "forged-$start" 0
	for ((t = 1; t <= last_forged; t++)); do
		check "$start: local source ${WHAT[$t]}: address-not-available" \
			reply_matches "$T/forged-$start.out" "$t" "address-not-available"
	done
	n=$(cap_count "forged-$start")
	if ((n == 0)); then
		ok "$start: no packet left the host for any forged source"
	else
		not_ok "$start: $n packets left the host with forged sources:"
		tcpdump -n -r "$T/forged-$start.pcap" 2>/dev/null | head -20 |
			sed 's/^/#   /'
	fi
done

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
for start in "${STARTS[@]}"; do
	cap_start "own-$start" "$NS_R1" "$LAB_IF_R1_HOST"
	run_as "$start" own
	cap_stop "own-$start" $((lo4 - 1))
	for ((t = 1; t < lo4; t++)); do
		fam=4
		[[ "${WHAT[$t]}" == ip-6* ]] && fam=6
		target=$LAB_TARGET4
		((fam == 6)) && target=$LAB_TARGET6
		check "$start: own source, ${WHAT[$t]}: reply from the target" \
			reply_matches "$T/own-$start.out" "$t" "reply ip-$fam $(re_escape "$target") round-trip-time [0-9]+"
	done
	check "$start: 127.0.0.1 to 127.0.0.1: reply" \
		reply_matches "$T/own-$start.out" "$lo4" "reply ip-4 127\\.0\\.0\\.1 round-trip-time [0-9]+"
	n=$(cap_count "own-$start")
	if ((n >= lo4 - 1)); then
		ok "$start: the control probes were seen on the wire ($n packets)"
	else
		not_ok "$start: only $n of $((lo4 - 1)) control probes were captured"
	fi
done

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

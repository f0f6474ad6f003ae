#!/bin/bash
#
# net_params.sh: every send-probe parameter, checked on the wire.
#
# hopprobe runs in the lab's host namespace; tcpdump captures what arrives
# at the target (two routers away) and tests/net/pcap_check.py decodes the
# capture with scapy, an implementation independent of the worker's own
# builders and checksums.  Checked for IPv4 and IPv6 and for each protocol
# the parameter applies to: ttl, tos, size (default, minimums, raised
# minimum, large), bit-pattern, port and local-port (defaults too, and the
# default source port held while the worker runs), checksums, the TCP SYN
# and SCTP INIT headers, local-ip-4/6.
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

# Captures in the target namespace: everything the host's link
# (192.0.2.0/26, 2001:db8:1::/64) sends there.
CAP_FILTER='src net 192.0.2.0/26 or src net 2001:db8:1::/64'

# Replies from the target, by family.
REPLY4="reply ip-4 $(re_escape "$LAB_TARGET4") round-trip-time [0-9]+"
REPLY6="reply ip-6 $LAB_TARGET6 round-trip-time [0-9]+"

lab_up
T=$(mktemp -d /tmp/net_params.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
pcap_server_start

FAMILIES=(4)
if ((LAB_HAVE_IPV6)); then
	FAMILIES+=(6)
fi
PROTOS=(icmp udp tcp sctp)

# Per family: destination argument, target, the host's own source.
declare -A DST=([4]="ip-4 $LAB_TARGET4" [6]="ip-6 $LAB_TARGET6")
declare -A SRC=([4]="$LAB_HOST4" [6]="$LAB_HOST6")
declare -A REPLY=([4]="$REPLY4" [6]="$REPLY6")
# Smallest probe per family and protocol, IP header included (hopprobe(8),
# size):
# headers only, except that UDP carries two bytes to steer its checksum.
declare -A MIN=([4icmp]=28 [4udp]=30 [4tcp]=40 [4sctp]=52
	[6icmp]=48 [6udp]=50 [6tcp]=60 [6sctp]=72)

# The lab itself must leave TTL and TOS alone for the checks to mean
# anything: iputils ping, set the same way, is the control.
cap_start control "$NS_TARGET" "$LAB_IF_TARGET"
in_ns "$NS_HOST" ping -c1 -W2 -t 5 -Q 0x48 -s 200 "$LAB_TARGET4" >/dev/null 2>&1
if ((LAB_HAVE_IPV6)); then
	in_ns "$NS_HOST" ping -6 -c1 -W2 -t 5 -Q 0x48 -s 200 "$LAB_TARGET6" >/dev/null 2>&1
fi
cap_stop control "${#FAMILIES[@]}"
for fam in "${FAMILIES[@]}"; do
	check "control: ping -t 5 -Q 0x48 over IPv$fam arrives with ttl 3, tos 0x48" \
		pcap control --match family="$fam" --match proto=icmp \
		--count 1 --expect ttl=3 --expect tos=0x48
done

# ---- defaults -----------------------------------------------------------
#
# Three probes per family and protocol with nothing but the destination,
# plus one into r2's blackhole that keeps the worker running while other
# programs try to bind its default source ports.
: >"$T/defaults.req"
tok=100
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		for i in 1 2 3; do
			tok=$((tok + 1))
			printf '%s send-probe %s protocol %s\n' "$tok" \
				"${DST[$fam]}" "$proto" >>"$T/defaults.req"
		done
	done
done
ndefault=$((tok - 100))
printf '99 send-probe ip-4 %s protocol udp timeout 8\n' "$LAB_BLACKHOLE4" >>"$T/defaults.req"

cap_start defaults "$NS_TARGET" "$LAB_IF_TARGET"
bg_start "$NS_HOST" timeout 30 "$HOPPROBE" <"$T/defaults.req" >"$T/defaults.out" 2>"$T/defaults.err"
HP_PID=$(bg_pid)
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '(($(wc -l <"$T/defaults.out") >= ndefault))' 10 ||
	not_ok "defaults: only $(wc -l <"$T/defaults.out") of $ndefault replies came"
cap_stop defaults "$ndefault"

# The default source ports, read from the capture while the worker still
# waits for its blackhole probe.
declare -A DEFAULT_PORT=()
for proto in udp tcp sctp; do
	DEFAULT_PORT[$proto]=$(pcap defaults --match proto="$proto" --values sport)
done
in_use=$(printf 'EADDRINUSE %.0s' "${FAMILIES[@]}")
in_use=${in_use% }
bound=$(printf 'bound %.0s' "${FAMILIES[@]}")
bound=${bound% }
for proto in udp tcp; do
	port=${DEFAULT_PORT[$proto]}
	if [[ ! "$port" =~ ^[0-9]+$ ]]; then
		not_ok "default $proto source port held while hopprobe runs (no single port in the capture: '$port')"
		continue
	fi
	alive_before=0
	kill -0 "$HP_PID" 2>/dev/null && alive_before=1
	got=$(in_ns "$NS_HOST" "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/port_bind.py" "$proto" "$port" "${FAMILIES[@]}")
	if ! kill -0 "$HP_PID" 2>/dev/null || ((!alive_before)); then
		not_ok "default $proto source port $port held while hopprobe runs (the worker ended too early to tell)"
	elif [[ "$got" == "$in_use" ]]; then
		ok "default $proto source port $port held while hopprobe runs: bind gives $got"
	else
		not_ok "default $proto source port $port held while hopprobe runs: bind gives '$got', want '$in_use'"
	fi
done
wait "$HP_PID"
rc=$?
check "defaults: hopprobe exits 0 once every probe is answered (status $rc)" test "$rc" -eq 0
check "defaults: blackhole probe keeping the worker busy ends in no-reply" \
	reply_matches "$T/defaults.out" 99 "no-reply"
for proto in udp tcp; do
	port=${DEFAULT_PORT[$proto]}
	[[ "$port" =~ ^[0-9]+$ ]] || continue
	got=$(in_ns "$NS_HOST" "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/port_bind.py" "$proto" "$port" "${FAMILIES[@]}")
	check "control: $proto port $port free again once hopprobe exits ($got)" \
		test "$got" == "$bound"
done

tok=100
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		for i in 1 2 3; do
			tok=$((tok + 1))
			check "defaults: IPv$fam $proto probe $i answered by the target" \
				reply_matches "$T/defaults.out" "$tok" "${REPLY[$fam]}"
		done
		m=(--match family="$fam" --match proto="$proto")
		len=64
		((len < MIN[$fam$proto])) && len=${MIN[$fam$proto]}
		check "defaults: IPv$fam $proto: 3 probes on the wire, ttl 253 (255 less two routers), tos 0, length $len, source ${SRC[$fam]}, checksums correct" \
			pcap defaults "${m[@]}" --count 3 --expect ttl=253 \
			--expect tos=0 --expect len="$len" \
			--expect src="${SRC[$fam]}" --expect checksum=ok
		# The default fill byte is 0; SCTP over IPv6 at its minimum
		# of 72 bytes has no room for padding.
		if [[ "$fam$proto" != 6sctp ]]; then
			check "defaults: IPv$fam $proto: payload filled with 0x00" \
				pcap defaults "${m[@]}" --min-count 1 --expect pattern=0
		fi
		case $proto in
		udp)
			check "defaults: IPv$fam udp: destination port in 33434..33533" \
				pcap defaults "${m[@]}" --min-count 1 --expect dport=33434..33533
			;;
		tcp)
			check "defaults: IPv$fam tcp: destination port 80, a bare SYN" \
				pcap defaults "${m[@]}" --min-count 1 --expect dport=80 \
				--expect tcp_flags=S
			;;
		sctp)
			check "defaults: IPv$fam sctp: destination port 80, one INIT chunk, verification tag 0, non-zero initiate tag" \
				pcap defaults "${m[@]}" --min-count 1 --expect dport=80 \
				--expect sctp_chunk=1 --expect sctp_vtag=0 \
				--expect sctp_itag!=0
			;;
		esac
	done
done
for proto in udp tcp sctp; do
	check "defaults: one source port for every $proto probe of the run (${DEFAULT_PORT[$proto]//$'\n'/ })" \
		pcap defaults --match proto="$proto" --min-count 3 --same sport
done

# ---- ttl, tos, size 100, bit-pattern, port, local-port -------------------
: >"$T/params.req"
tok=200
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		tok=$((tok + 1))
		ports=""
		[[ $proto != icmp ]] && ports="port 4242 local-port 40001"
		printf '%s send-probe %s protocol %s ttl 5 tos 72 size 100 bit-pattern 165 %s\n' \
			"$tok" "${DST[$fam]}" "$proto" "$ports" >>"$T/params.req"
	done
done
cap_start params "$NS_TARGET" "$LAB_IF_TARGET"
hp_run params
cap_stop params $((tok - 200))
tok=200
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		tok=$((tok + 1))
		check "params: IPv$fam $proto ttl 5 tos 72 size 100 bit-pattern 165 answered by the target" \
			reply_matches "$T/params.out" "$tok" "${REPLY[$fam]}"
		m=(--match family="$fam" --match proto="$proto")
		len=(--expect len=100)
		[[ $proto == sctp ]] && len=(--expect len=97..100 --expect len_mod4=0)
		check "params: IPv$fam $proto: arrives with ttl 3, tos 0x48, length 100, payload all 0xa5, checksums correct" \
			pcap params "${m[@]}" --count 1 --expect ttl=3 --expect tos=0x48 \
			"${len[@]}" --expect pattern=0xa5 --expect checksum=ok
		if [[ $proto != icmp ]]; then
			check "params: IPv$fam $proto: port 4242 local-port 40001 on the wire" \
				pcap params "${m[@]}" --count 1 --expect dport=4242 \
				--expect sport=40001
		fi
	done
done
check "params: TCP probes are bare SYNs" \
	pcap params --match proto=tcp --min-count 1 --expect tcp_flags=S
check "params: SCTP probes are INITs, verification tag 0, initiate tag non-zero" \
	pcap params --match proto=sctp --min-count 1 --expect sctp_chunk=1 \
	--expect sctp_vtag=0 --expect sctp_itag!=0

# ---- sizes ----------------------------------------------------------------
#
# Per family and protocol: 20 (below every minimum: raised to it), the
# minimum itself, 1000, 1400, and for SCTP 99, which its 4-byte parameter
# units bring down to 96.
: >"$T/sizes.req"
tok=300
nsizes=0
declare -A SIZE_TOKENS=()
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		sizes=(20 "${MIN[$fam$proto]}" 1000 1400)
		[[ $proto == sctp ]] && sizes+=(99)
		for size in "${sizes[@]}"; do
			tok=$((tok + 1))
			nsizes=$((nsizes + 1))
			SIZE_TOKENS[$tok]="$fam $proto $size"
			printf '%s send-probe %s protocol %s size %s bit-pattern 90\n' \
				"$tok" "${DST[$fam]}" "$proto" "$size" >>"$T/sizes.req"
		done
	done
done
cap_start sizes "$NS_TARGET" "$LAB_IF_TARGET"
hp_run sizes
cap_stop sizes "$nsizes"
for ((t = 301; t <= tok; t++)); do
	read -r fam proto size <<<"${SIZE_TOKENS[$t]}"
	check "sizes: IPv$fam $proto size $size answered by the target" \
		reply_matches "$T/sizes.out" "$t" "${REPLY[$fam]}"
done
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		min=${MIN[$fam$proto]}
		m=(--match family="$fam" --match proto="$proto")
		check "sizes: IPv$fam $proto size 20 and size $min both come out at the minimum, $min bytes" \
			pcap sizes "${m[@]}" --match len="$min" --count 2 \
			--expect checksum=ok
		for size in 1000 1400; do
			check "sizes: IPv$fam $proto size $size is $size bytes on the wire, payload 0x5a, checksums correct" \
				pcap sizes "${m[@]}" --match len="$size" --count 1 \
				--expect pattern=0x5a --expect checksum=ok
		done
		if [[ $proto == sctp ]]; then
			check "sizes: IPv$fam sctp size 99 is 96 to 99 bytes, a multiple of 4" \
				pcap sizes "${m[@]}" --match len=96..99 --count 1 \
				--expect len_mod4=0 --expect checksum=ok
		fi
		n=4
		[[ $proto == sctp ]] && n=5
		check "sizes: IPv$fam $proto: $n probes on the wire, no others" \
			pcap sizes "${m[@]}" --count "$n"
	done
done

# ---- a local-port another program holds ---------------------------------
bg_start "$NS_HOST" timeout 90 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/port_hold.py" 40002 >"$T/hold.out" 2>&1
HOLD_PID=$(bg_pid)
# shellcheck disable=SC2016 # wait_for evaluates it
if wait_for 'grep -q held "$T/hold.out"' 5; then
	: >"$T/inuse.req"
	tok=400
	for fam in "${FAMILIES[@]}"; do
		for proto in udp tcp; do
			tok=$((tok + 1))
			printf '%s send-probe %s protocol %s local-port 40002\n' \
				"$tok" "${DST[$fam]}" "$proto" >>"$T/inuse.req"
		done
	done
	hp_run inuse
	tok=400
	for fam in "${FAMILIES[@]}"; do
		for proto in udp tcp; do
			tok=$((tok + 1))
			check "address-in-use: IPv$fam $proto local-port 40002, held by another program" \
				reply_matches "$T/inuse.out" "$tok" "address-in-use"
		done
	done
else
	not_ok "address-in-use: the program holding port 40002 did not start: $(cat "$T/hold.out")"
fi
kill -TERM "$HOLD_PID" 2>/dev/null
wait "$HOLD_PID" 2>/dev/null

# ---- local-ip ----------------------------------------------------------------
declare -A ALT=([4]=192.0.2.3 [6]=2001:db8:1::3)
declare -A FOREIGN=([4]=192.0.2.60 [6]=2001:db8:1::60)
ip -n "$NS_HOST" addr add "${ALT[4]}/26" dev "$LAB_IF_HOST" ||
	fail "cannot add ${ALT[4]} to the host"
if ((LAB_HAVE_IPV6)); then
	ip -n "$NS_HOST" -6 addr add "${ALT[6]}/64" dev "$LAB_IF_HOST" nodad ||
		fail "cannot add ${ALT[6]} to the host"
fi
# Which source the kernel itself picks now that there are two.
declare -A ROUTE_SRC=()
for fam in "${FAMILIES[@]}"; do
	target=${DST[$fam]#ip-? }
	ROUTE_SRC[$fam]=$(ip -n "$NS_HOST" -"$fam" route get "$target" |
		sed -n 's/.* src \([^ ]*\).*/\1/p')
done

: >"$T/localip.req"
tok=500
nsent=0
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		{
			printf '%s send-probe %s protocol %s local-ip-%s %s size 200\n' \
				$((tok + 1)) "${DST[$fam]}" "$proto" "$fam" "${ALT[$fam]}"
			printf '%s send-probe %s protocol %s local-ip-%s %s size 300\n' \
				$((tok + 2)) "${DST[$fam]}" "$proto" "$fam" "${FOREIGN[$fam]}"
			printf '%s send-probe %s protocol %s size 400\n' \
				$((tok + 3)) "${DST[$fam]}" "$proto"
		} >>"$T/localip.req"
		tok=$((tok + 3))
		nsent=$((nsent + 2))
	done
done
cap_start localip "$NS_TARGET" "$LAB_IF_TARGET"
hp_run localip
cap_stop localip "$nsent"
tok=500
for fam in "${FAMILIES[@]}"; do
	for proto in "${PROTOS[@]}"; do
		m=(--match family="$fam" --match proto="$proto")
		check "local-ip: IPv$fam $proto local-ip-$fam ${ALT[$fam]} answered by the target" \
			reply_matches "$T/localip.out" $((tok + 1)) "${REPLY[$fam]}"
		check "local-ip: IPv$fam $proto local-ip-$fam ${ALT[$fam]} arrives from ${ALT[$fam]}, checksums correct" \
			pcap localip "${m[@]}" --match len=197..200 --count 1 \
			--expect src="${ALT[$fam]}" --expect checksum=ok
		check "local-ip: IPv$fam $proto local-ip-$fam ${FOREIGN[$fam]} (not the host's) gets address-not-available" \
			reply_matches "$T/localip.out" $((tok + 2)) "address-not-available"
		check "local-ip: IPv$fam $proto nothing sent with the foreign source ${FOREIGN[$fam]}" \
			pcap localip "${m[@]}" --match src="${FOREIGN[$fam]}" --count 0
		check "local-ip: IPv$fam $proto without local-ip answered by the target" \
			reply_matches "$T/localip.out" $((tok + 3)) "${REPLY[$fam]}"
		check "local-ip: IPv$fam $proto without local-ip leaves from ${ROUTE_SRC[$fam]}, the kernel's route choice" \
			pcap localip "${m[@]}" --match len=397..400 --count 1 \
			--expect src="${ROUTE_SRC[$fam]}" --expect checksum=ok
		tok=$((tok + 3))
	done
done

# ---- every probe captured --------------------------------------------------
for cap in defaults params sizes localip; do
	check "checksums: every probe captured in '$cap' has correct IP, ICMP, UDP, TCP checksums and SCTP CRC32c" \
		pcap "$cap" --min-count 1 --expect checksum=ok
done

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

#!/bin/bash
#
# tests/net/net_hoptrace_ext.sh: hoptrace's use of the worker's extensions
# (hoptrace(1): --pmtu, --rate, --ns, -e and the marks of reply-details,
# --flow against a worker without it).  Paris traceroute itself is
# net_hoptrace_ecmp.sh's.
#
# A. --pmtu in lib.sh's lab (host - r1 - r2 - target) with r1's link to r2
#    at MTU 1280, per family, ICMP and UDP: hop 1 shows the host's own link
#    MTU, "[mtu 1500]", hop 2 "[mtu 1280, down from 1500]", hop 3
#    "[mtu 1280]", the trace reaches the target; JSON (valid) gives the
#    hops' mtu 1500, 1280, 1280 and pmtu true.  With the host's link at
#    1400: 1400, then 1280 down from 1400.  With --psize 1300: 1300, then
#    1280 down from 1300.  The MTUs are this file's own configuration,
#    read back from the links.
# B. Debian's mtr-packet as the worker (no flow, no dont-fragment):
#    --pmtu and --flow 7 exit 3 naming the missing feature; the default
#    --flow auto quietly traces without a flow (no "flow" in the header).
# C. --rate 50 with 30 probes (-q 10 to a target at hop 3): the run lasts
#    at least 0.5 s (29 gaps of 20 ms, less the 10 ms burst), all 30 are
#    answered, JSON's rate_pps is 50.
# D. --ns: every time on the text lines has six decimals; in JSON every
#    answered probe has a positive rtt_ns, and not all of them are whole
#    microseconds.
# E. An emulated path (pathemu.py, scapy): a router with an RFC 5837
#    interface object (index, address, name, MTU), a rewritten quoted TOS
#    and a chosen reply TTL; routers that answer administratively
#    prohibited, fragmentation needed (next-hop MTU 1400) and protocol
#    unreachable.  Text with -e shows the interface line and each ICMP
#    line under its hop, and the marks !X, !F-1400 and !P; JSON carries
#    every field as the emulator sent it.
# F. --fail-on, with the target dropping every second echo request from
#    the host (nftables numgen inc, so exactly 5 of -q 10): dest.loss>40%
#    exits 1 and says "dest loss 50.0% > 40% at hop 3"; dest.loss>50%
#    exits 0; hop[2].rtt<10s exits 1; dest.rtt>10s exits 0; unreached to
#    the black hole exits 1 and says so; a bad expression exits 2.
# G. --replay: a lab run recorded with --jsonl (both families, --flows 2,
#    -e, -c 2) replayed as --jsonl is the recording byte for byte; as -j
#    it is valid and has the recording's hops; as -r a row per hop with
#    the recorded responders; cut after its 5th line it renders what it
#    has and exits 1 saying the run was cut short; a line that is not a
#    record exits 2 naming the line.
#
# Environment (exported by `make check`): HOPTRACE, HOPPROBE, TESTS_SRCDIR,
# PYTHON3_SYSTEM.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
# shellcheck source=pathemu_lib.sh
. "$TESTS_SRCDIR/net/pathemu_lib.sh"
require_root_and_tools ip nft timeout "$PYTHON3_SYSTEM"
if [[ -z "${HOPTRACE:-}" || ! -x "$HOPTRACE" ]]; then
	skip "HOPTRACE is not set to an executable hoptrace"
fi
if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi
VALIDATE=$TESTS_SRCDIR/unit/validate_output.py
SCHEMA=$TESTS_SRCDIR/../schema/hoptrace.schema.json
have_jsonschema=1
"$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" jsonschema 2>/dev/null ||
	have_jsonschema=0

lab_up
T=$(mktemp -d /tmp/net_hoptrace_ext.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf -- "$T"
printf -v WORKER '%q' "$HOPPROBE"

FAMILIES=(4)
if ((LAB_HAVE_IPV6)); then
	FAMILIES+=(6)
fi
declare -A TARGET=([4]="$LAB_TARGET4" [6]="$LAB_TARGET6")
declare -A R1=([4]="$LAB_R1_4" [6]="$LAB_R1_6")
declare -A R2=([4]="$LAB_R2_4" [6]="$LAB_R2_6")

# run NAME NS [WORKER] -- ARGS...: hoptrace in NS with ARGS; stdout in
# $T/NAME.out, stderr in $T/NAME.err, exit status in $T/NAME.rc, its
# length in ms in $T/NAME.ms.
run()
{
	local name=$1 ns=$2 worker=$WORKER t0 rc

	shift 2
	if [[ "$1" != -- ]]; then
		worker=$1
		shift
	fi
	shift
	t0=$(_lab_now_us)
	in_ns "$ns" timeout 60 "$HOPTRACE" --worker "$worker" "$@" \
		>"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	printf '%s\n' "$rc" >"$T/$name.rc"
	printf '%s\n' $((($(_lab_now_us) - t0) / 1000)) >"$T/$name.ms"
}

# show NAME: what run NAME wrote, for a failed check.
show()
{
	printf 'exit %s; stdout:\n' "$(cat "$T/$1.rc")"
	sed 's/^/  /' "$T/$1.out"
	printf 'stderr:\n'
	sed 's/^/  /' "$T/$1.err"
}

# exits NAME STATUS: run NAME exited STATUS (and, for 0, said nothing on
# stderr).
exits()
{
	if [[ "$(cat "$T/$1.rc")" != "$2" ]] ||
		{ [[ "$2" == 0 ]] && [[ -s "$T/$1.err" ]]; }; then
		show "$1"
		return 1
	fi
}

# line NAME REGEX...: each REGEX (extended, whole line) matches a line of
# run NAME's output, in that order.
line()
{
	local name=$1 re n=0 at

	shift
	for re in "$@"; do
		# grep, not awk: mawk has no {n} intervals.
		at=$(tail -n +$((n + 1)) "$T/$name.out" | grep -nxE -m1 -- "$re")
		if [[ -z "$at" ]]; then
			printf 'no line matches (after the previous): %s\n' "$re"
			show "$name"
			return 1
		fi
		n=$((n + ${at%%:*}))
	done
}

# json KIND NAME ARGS...: hoptrace_ext_check.py's check KIND of run NAME's
# JSON document.
json()
{
	local kind=$1 name=$2

	shift 2
	"$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/hoptrace_ext_check.py" "$kind" \
		"$T/$name.out" "$@"
}

valid_json()
{
	((have_jsonschema)) || return 0
	"$PYTHON3_SYSTEM" "$VALIDATE" json "$T/$1.out" "$SCHEMA"
}

# link_mtu NS DEV: the MTU of DEV in NS.
link_mtu()
{
	ip -n "$1" -o link show dev "$2" |
		sed -n 's/.* mtu \([0-9][0-9]*\) .*/\1/p'
}

RT='[0-9]+\.[0-9]{3} ms'	# a round-trip time
A='[0-9a-f.:]+'		# an address

# ---- A: --pmtu --------------------------------------------------------------

MIDDLE_MTU=1280
ip -n "$NS_R1" link set "$LAB_IF_R1_R2" mtu "$MIDDLE_MTU" || fail "mtu on r1"
ip -n "$NS_R2" link set "$LAB_IF_R2_R1" mtu "$MIDDLE_MTU" || fail "mtu on r2"
HOST_MTU=$(link_mtu "$NS_HOST" "$LAB_IF_HOST")
[[ "$HOST_MTU" =~ ^[0-9]+$ ]] || fail "cannot read the host link's MTU"

# pmtu_case NAME FAM FIRST ARGS...: --pmtu ARGS to the target of FAM shows
# FIRST at hop 1, MIDDLE_MTU down from FIRST at hop 2 and MIDDLE_MTU at the
# target, in text and JSON.
pmtu_case()
{
	local name=$1 fam=$2 first=$3 tgt

	shift 3
	tgt=${TARGET[$fam]}
	run "$name" "$NS_HOST" -- -n --pmtu -q 2 -w 2 "$@" "$tgt"
	check "$name: IPv$fam --pmtu $*: exit 0" exits "$name" 0
	check "$name: hop 1 [mtu $first], hop 2 [mtu $MIDDLE_MTU, down from $first], hop 3 the target [mtu $MIDDLE_MTU]" \
		line "$name" \
		" 1  $(re_escape "${R1[$fam]}")  $RT  $RT  \[mtu $first\]" \
		" 2  $(re_escape "${R2[$fam]}")  $RT  $RT  \[mtu $MIDDLE_MTU, down from $first\]" \
		" 3  $(re_escape "$tgt")  $RT  $RT  \[mtu $MIDDLE_MTU\]" \
		"reached $(re_escape "$tgt") .* at hop 3, ended .*"
	run "$name-j" "$NS_HOST" -- -n --pmtu -q 2 -w 2 -j "$@" "$tgt"
	check "$name-j: exit 0, valid JSON" eval 'exits "$name-j" 0 && valid_json "$name-j"'
	check "$name-j: pmtu true, hop mtu $first, $MIDDLE_MTU, $MIDDLE_MTU, probe sizes the same" \
		json pmtu "$name-j" "$first" "$MIDDLE_MTU"
}

for fam in "${FAMILIES[@]}"; do
	pmtu_case "pmtu-icmp$fam" "$fam" "$HOST_MTU"
	pmtu_case "pmtu-udp$fam" "$fam" "$HOST_MTU" -U
	pmtu_case "pmtu-psize$fam" "$fam" 1300 --psize 1300
done
ip -n "$NS_HOST" link set "$LAB_IF_HOST" mtu 1400 || fail "mtu on host"
ip -n "$NS_R1" link set "$LAB_IF_R1_HOST" mtu 1400 || fail "mtu on r1"
for fam in "${FAMILIES[@]}"; do
	pmtu_case "pmtu-host$fam" "$fam" 1400 -T
done
ip -n "$NS_HOST" link set "$LAB_IF_HOST" mtu "$HOST_MTU" || fail "mtu on host"
ip -n "$NS_R1" link set "$LAB_IF_R1_HOST" mtu "$HOST_MTU" || fail "mtu on r1"
ip -n "$NS_R1" link set "$LAB_IF_R1_R2" mtu "$HOST_MTU" || fail "mtu on r1"
ip -n "$NS_R2" link set "$LAB_IF_R2_R1" mtu "$HOST_MTU" || fail "mtu on r2"

# ---- B: a worker without the extensions -------------------------------------

MTR_PACKET=$(command -v mtr-packet || true)
if [[ -n "$MTR_PACKET" ]]; then
	printf -v OLD '%q' "$MTR_PACKET"
	run old-pmtu "$NS_HOST" "$OLD" -- -n --pmtu "$LAB_TARGET4"
	check "mtr-packet --pmtu: exit 3, the message names dont-fragment" \
		eval 'exits old-pmtu 3 && grep -q "dont-fragment" "$T/old-pmtu.err"'
	run old-flow "$NS_HOST" "$OLD" -- -n --flow 7 "$LAB_TARGET4"
	check "mtr-packet --flow 7: exit 3, the message names flow" \
		eval 'exits old-flow 3 && grep -q "check-support flow" "$T/old-flow.err"'
	run old-auto "$NS_HOST" "$OLD" -- -n -q 1 "$LAB_TARGET4"
	check "mtr-packet, --flow auto: exit 0, no flow in the header, reached" \
		line old-auto \
		"hoptrace .* to $(re_escape "$LAB_TARGET4") .*, icmp, 30 hops max, .*" \
		"reached .* at hop 3, ended .*"
else
	printf '# no mtr-packet here: part B left out\n'
fi

# ---- C: --rate --------------------------------------------------------------

run rate "$NS_HOST" -- -n -j --rate 50 -q 10 -w 2 -m 3 "$LAB_TARGET4"
check "--rate 50, 30 probes: exit 0" exits rate 0
check "--rate 50, 30 probes: took at least 500 ms ($(cat "$T/rate.ms") ms)" \
	test "$(cat "$T/rate.ms")" -ge 500
check "--rate 50: rate_pps 50, all 30 probes answered" json rate rate 50 30

# ---- D: --ns ----------------------------------------------------------------

for fam in "${FAMILIES[@]}"; do
	tgt=${TARGET[$fam]}
	NS6='[0-9]+\.[0-9]{6} ms'
	run "ns$fam" "$NS_HOST" -- -n --ns "$tgt"
	check "IPv$fam --ns: exit 0, every time with six decimals" line "ns$fam" \
		" 1  $(re_escape "${R1[$fam]}")  $NS6  $NS6  $NS6" \
		" 2  $(re_escape "${R2[$fam]}")  $NS6  $NS6  $NS6" \
		" 3  $(re_escape "$tgt")  $NS6  $NS6  $NS6"
	run "ns$fam-j" "$NS_HOST" -- -n --ns -j -q 5 "$tgt"
	check "IPv$fam --ns -j: every answered probe has rtt_ns > 0, not all whole microseconds" \
		json ns "ns$fam-j" 15
done

# ---- F: --fail-on -----------------------------------------------------------

printf 'table inet hp_half {\n\tchain input {\n\t\ttype filter hook input priority 0;\n\t\tip saddr %s icmp type echo-request numgen inc mod 2 == 0 drop\n\t}\n}\n' \
	"$LAB_HOST4" >"$T/half.nft"
in_ns "$NS_TARGET" nft -f "$T/half.nft" || fail "nftables on the target"
# fail_on NAME STATUS WHY EXPR...: --fail-on EXPR... to the target exits
# STATUS; WHY (a fixed string, may be empty) is on stderr.
fail_on()
{
	local name=$1 status=$2 why=$3 args=() e

	shift 3
	for e in "$@"; do
		args+=(--fail-on "$e")
	done
	run "$name" "$NS_HOST" -- -n -q 10 -m 3 -w 1 "${args[@]}" \
		"${FAIL_TARGET:-$LAB_TARGET4}"
	[[ "$(cat "$T/$name.rc")" == "$status" ]] || { show "$name"; return 1; }
	if [[ -n "$why" ]] && ! grep -qF -- "$why" "$T/$name.err"; then
		printf 'stderr lacks: %s\n' "$why"
		show "$name"
		return 1
	fi
}
check "--fail-on 'dest.loss>40%' (5 of 10 lost): exit 1, says why" \
	fail_on fo1 1 "--fail-on 'dest.loss > 40%' holds: dest loss 50.0% > 40% at hop 3" 'dest.loss>40%'
check "--fail-on 'dest.loss>50%': exit 0" fail_on fo2 0 "" 'dest.loss>50%'
check "--fail-on 'dest.rtt>10s' --fail-on 'hop[2].rtt<10s': exit 1 for the second" \
	fail_on fo3 1 "--fail-on 'hop[2].rtt < 10s' holds" 'dest.rtt>10s' 'hop[2].rtt<10s'
check "--fail-on 'dest.rtt>10s': exit 0" fail_on fo4 0 "" 'dest.rtt>10s'
FAIL_TARGET=$LAB_BLACKHOLE4
check "--fail-on unreached, the black hole: exit 1, says so" \
	fail_on fo5 1 "--fail-on 'unreached' holds" unreached
FAIL_TARGET=
check "--fail-on 'dest.rtt>10': exit 2, the value needs a unit" \
	fail_on fo6 2 "needs a unit" 'dest.rtt>10'
in_ns "$NS_TARGET" nft delete table inet hp_half || fail "nftables on the target"

# ---- G: --replay ------------------------------------------------------------

targets=("$LAB_TARGET4")
((LAB_HAVE_IPV6)) && targets+=("$LAB_TARGET6")
run rec "$NS_HOST" -- -n --jsonl --flows 2 -e -c 2 -i 0.1 "${targets[@]}"
check "--jsonl recording: exit 0" exits rec 0
cp "$T/rec.out" "$T/rec.jsonl"
replay()
{
	local name=$1

	shift
	"$HOPTRACE" "$@" >"$T/$name.out" 2>"$T/$name.err"
	printf '%s\n' "$?" >"$T/$name.rc"
}
replay rp-l --replay "$T/rec.jsonl" --jsonl
check "--replay --jsonl: exit 0, the recording byte for byte" \
	eval 'exits rp-l 0 && cmp "$T/rec.jsonl" "$T/rp-l.out"'
replay rp-j --replay "$T/rec.jsonl" -j
check "--replay -j: exit 0, valid, the recording's hops and responders" \
	eval 'exits rp-j 0 && valid_json rp-j &&
		"$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/hoptrace_ext_check.py" samehops "$T/rec.jsonl" "$T/rp-j.out"'
replay rp-r --replay - -r <"$T/rec.jsonl"
check "--replay - -r: exit 0, rows r1, r2, target and a path line under each" \
	line rp-r " 1\.\|-- $(re_escape "$LAB_R1_4") .*" "   \| > $(re_escape "$LAB_R1_4") .*  flows [0-9]+,[0-9]+" \
		" 2\.\|-- $(re_escape "$LAB_R2_4") .*" " 3\.\|-- $(re_escape "$LAB_TARGET4") .*" \
		"reached $(re_escape "$LAB_TARGET4") .* at hop 3, ended .*"
head -n 5 "$T/rec.jsonl" >"$T/cut.jsonl"
replay rp-cut --replay "$T/cut.jsonl"
check "--replay of a recording cut after 5 lines: exit 1, says it was cut short" \
	eval 'exits rp-cut 1 && grep -q "the run was cut short" "$T/rp-cut.err"'
{ head -n 3 "$T/rec.jsonl"; printf '{"schema_version":2,"type":"probe"}\n'; } >"$T/bad.jsonl"
replay rp-bad --replay "$T/bad.jsonl"
check "--replay of a bad line 4: exit 2, the message names line 4" \
	eval 'exits rp-bad 2 && grep -q "line 4: " "$T/rp-bad.err"'

# ---- E: what routers say (pathemu) ------------------------------------------

py=$(pathemu_python) || py=
if [[ -z "$py" || ! -c /dev/net/tun ]]; then
	printf '# no scapy or no /dev/net/tun: part E left out\n'
else
	# Path K: routers 203.0.113.(4K+1), (4K+2) / 2001:db8:e:K::1, ::2 in
	# front of the destination 4K+3 / ::3, which never answers; the
	# second router answers with its error instead of time exceeded.
	cat >"$T/path.json" <<'EOF'
{
  "lifetime": 120,
  "paths": [
    {"hops": [
      {"addr4": "203.0.113.1", "addr6": "2001:db8:e::1",
       "reply_ttl": 200, "quoted_tos": 32,
       "ext": {"form": "rfc4884", "checksum": "good", "objects": [
         {"ifinfo": {"role": 2, "index": 7, "ip4": "192.0.2.77",
                     "name": "ge-0/0/1", "mtu": 1500}}]}},
      {"addr4": "203.0.113.2", "addr6": "2001:db8:e::2",
       "error4": {"type": 3, "code": 13},
       "error6": {"type": 1, "code": 1}},
      {"addr4": "203.0.113.3", "addr6": "2001:db8:e::3", "loss": 1.0}]},
    {"hops": [
      {"addr4": "203.0.113.5", "addr6": "2001:db8:e:1::1"},
      {"addr4": "203.0.113.6", "addr6": "2001:db8:e:1::2",
       "error4": {"type": 3, "code": 4, "mtu": 1400},
       "error6": {"type": 1, "code": 3}},
      {"addr4": "203.0.113.7", "addr6": "2001:db8:e:1::3", "loss": 1.0}]},
    {"hops": [
      {"addr4": "203.0.113.9", "addr6": "2001:db8:e:2::1"},
      {"addr4": "203.0.113.10", "addr6": "2001:db8:e:2::2",
       "error4": {"type": 3, "code": 2},
       "error6": {"type": 1, "code": 0}},
      {"addr4": "203.0.113.11", "addr6": "2001:db8:e:2::3", "loss": 1.0}]}
  ]
}
EOF
	pathemu_up "$T/path.json" "$T/pathemu.log" 120
	declare -A E_DST=([4,0]=203.0.113.3 [6,0]=2001:db8:e::3
		[4,1]=203.0.113.7 [6,1]=2001:db8:e:1::3
		[4,2]=203.0.113.11 [6,2]=2001:db8:e:2::3)
	declare -A E_HOP=([4,0]=203.0.113.1 [6,0]=2001:db8:e::1
		[4,1]=203.0.113.5 [6,1]=2001:db8:e:1::1
		[4,2]=203.0.113.9 [6,2]=2001:db8:e:2::1)
	declare -A E_END=([4,0]=203.0.113.2 [6,0]=2001:db8:e::2
		[4,1]=203.0.113.6 [6,1]=2001:db8:e:1::2
		[4,2]=203.0.113.10 [6,2]=2001:db8:e:2::2)
	# The mark and -e line each path's second router gives, per family.
	declare -A E_MARK=([4,0]='!X' [6,0]='!X' [4,1]='!F-1400' [6,1]='!H'
		[4,2]='!P' [6,2]='!N')
	declare -A E_LINE=(
		[4,0]='\[ICMP 3/13: communication administratively prohibited\]'
		[6,0]='\[ICMPv6 1/1: administratively prohibited\]'
		[4,1]='\[ICMP 3/4: fragmentation needed, next-hop MTU 1400\]'
		[6,1]='\[ICMPv6 1/3: address unreachable\]'
		[4,2]='\[ICMP 3/2: protocol unreachable\]'
		[6,2]='\[ICMPv6 1/0: no route to destination\]')
	IFLINE='     \[interface: index 7, 192\.0\.2\.77, name "ge-0/0/1", mtu 1500\]'
	for fam in "${FAMILIES[@]}"; do
		for k in 0 1 2; do
			m=$(re_escape "${E_MARK[$fam,$k]}")
			hop1=" 1  $(re_escape "${E_HOP[$fam,$k]}")  $RT  $RT"
			lines=("$hop1")
			((k == 0)) && lines+=("$IFLINE")
			lines+=(" 2  $(re_escape "${E_END[$fam,$k]}")  $RT $m  $RT $m"
				"     ${E_LINE[$fam,$k]}"
				"not reached: .*")
			run "emu$fam-$k" "$PE_NS_HOST" -- -n -e -q 2 -w 1 -m 4 \
				"${E_DST[$fam,$k]}"
			extra=
			((k == 0)) && extra=", and the interface line of hop 1"
			check "emu IPv$fam path $k -e: exit 1 (not reached), hop 2 marked ${E_MARK[$fam,$k]} with its ICMP line$extra" \
				eval 'exits "emu$fam-$k" 1 && line "emu$fam-$k" "${lines[@]}"'
			run "emu$fam-$k-plain" "$PE_NS_HOST" -- -n -q 2 -w 1 -m 4 \
				"${E_DST[$fam,$k]}"
			check "emu IPv$fam path $k without -e: the marks, no detail lines" \
				eval 'line "emu$fam-$k-plain" "$hop1" " 2  $(re_escape "${E_END[$fam,$k]}")  $RT $m  $RT $m" "not reached: .*" &&
					! grep -q "^     \[" "$T/emu$fam-$k-plain.out"'
		done
		run "emu$fam-j" "$PE_NS_HOST" -- -n -j -q 2 -w 1 -m 4 \
			"${E_DST[$fam,0]}"
		if [[ $fam == 4 ]]; then
			icmp=(11 0 3 13)
		else
			icmp=(3 0 1 1)
		fi
		check "emu IPv$fam -j: valid JSON" valid_json "emu$fam-j"
		check "emu IPv$fam -j: hop 1's reply_ttl 200, quoted_tos 32, time exceeded, interface 7/192.0.2.77/ge-0/0/1/1500; hop 2 the unreachable's type and code" \
			json emu "emu$fam-j" "${icmp[@]}"
	done
fi

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0))

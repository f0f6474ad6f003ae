#!/bin/bash
#
# tests/net/net_hoptrace.sh: the hoptrace client end to end in the namespace
# lab (lib.sh), with a real DNS server in the host namespace.
#
# Debian's dnsmasq listens on 127.0.0.1:53 inside the host namespace, which
# gets its own /etc/resolv.conf and /etc/hosts through /etc/netns/$NS_HOST/.
# It serves, for every lab address on the path, A/AAAA and PTR records
# (rN.lab.example, target.lab.example) and TXT records of the Team Cymru
# form in origin.asn.cymru.com / origin6.asn.cymru.com and in the lab's own
# zones origin.asn.lab.example / origin6.asn.lab.example, with AS numbers
# chosen here, so that every expected name and AS comes from this file and
# the lab's topology, never from hoptrace's output.  dnsmasq answers only
# from those records (--local), so any other name is NXDOMAIN.
#
# Checked, in numbered groups:
#   [1] names in the text format, and their cost in wall time
#   [2] -n: no names, and no PTR query reaches the server
#   [3] -z AS numbers, --asn-zone with one and with two zones, CSV asn
#   [4] a dead name server (packets to the lab's black hole): traces of
#       addresses finish within the --dns-timeout; a name target fails
#   [5] report, JSON, JSON Lines and CSV agree with the topology, with and
#       without names, both families (validate_output.py for the schema)
#   [6] icmp, udp, tcp (open port 80 and closed 81), sctp, both families
#   [7] exit statuses 1, 2 and 3 and their messages
#   [8] the worker killed by SIGKILL in the middle of a trace
#   [9] several targets at once, output in argument order
#   [10] /etc/hosts wins over DNS, also with no working name server
#
# Environment (exported by `make check`): HOPTRACE, HOPPROBE, TESTS_SRCDIR,
# PYTHON3_SYSTEM.  hoptrace runs as root here, so HOPTRACE_WORKER would be
# ignored: every run names its worker with --worker.
# The checking functions are called through check(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPTRACE:?HOPTRACE must name the hoptrace executable}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
if [[ "$(id -u)" -eq 0 ]] && ! command -v dnsmasq >/dev/null 2>&1; then
	skip "needs dnsmasq (Debian's dnsmasq-base) as the lab's name server"
fi
require_root_and_tools ip ping timeout getent dnsmasq "$PYTHON3_SYSTEM" \
	"$HOPTRACE" "$HOPPROBE"
if ! "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/py_has.py" jsonschema 2>/dev/null; then
	skip "needs python3-jsonschema for validate_output.py"
fi

CHECKER=$TESTS_SRCDIR/net/hoptrace_check.py
VALIDATE=$TESTS_SRCDIR/unit/validate_output.py
SCHEMA=$TESTS_SRCDIR/../schema/hoptrace.schema.json
[[ -r "$SCHEMA" ]] || fail "no schema at $SCHEMA"

# Numbered results: "ok N - ..." / "not ok N - ..." (lib.sh's check()
# calls these).
ok()
{
	checks=$((checks + 1))
	printf 'ok %d - %s\n' "$checks" "$*"
}

not_ok()
{
	checks=$((checks + 1))
	failures=$((failures + 1))
	printf 'not ok %d - %s\n' "$checks" "$*"
}

note()
{
	printf '# %s\n' "$*"
}

# The worker as a /bin/sh word.
WORKER=$(printf '%q' "$HOPPROBE")

# Names and AS numbers this test serves.  r1 answers the unrouted
# address with ICMP network unreachable (code 0), which hoptrace marks !N
# from the code the reply gives (reply-details), whatever the build's
# reply name for it (lib.sh's expected_unreach).
UNREACH_NET=$(expected_unreach net) || fail "expected_unreach net"
MARK_NET='!N'

lab_up
T=$(mktemp -d /tmp/net_hoptrace.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"

# The host namespace's own resolv.conf and hosts (ip netns exec mounts
# them over /etc/resolv.conf and /etc/hosts).
NSD=/etc/netns/$NS_HOST
[[ ! -e "$NSD" ]] || fail "$NSD exists already"
mkdir -p "$NSD" || fail "mkdir $NSD"
lab_at_exit rm -rf "$NSD"

# set_resolver ADDR: the host namespace's one name server.
set_resolver()
{
	printf 'nameserver %s\n' "$1" >"$NSD/resolv.conf" ||
		fail "cannot write $NSD/resolv.conf"
}

# set_hosts LINE...: the host namespace's /etc/hosts.
set_hosts()
{
	{
		printf '127.0.0.1 localhost\n::1 localhost\n'
		printf '%s\n' "$@"
	} >"$NSD/hosts" || fail "cannot write $NSD/hosts"
}

set_resolver 127.0.0.1
set_hosts

nib()
{
	"$PYTHON3_SYSTEM" "$CHECKER" nibbles "$1" || fail "nibbles $1"
}

NIB_R1=$(nib "$LAB_R1_6")
NIB_R2=$(nib "$LAB_R2_6")
NIB_TARGET=$(nib "$LAB_TARGET6")

# txt NAME ASNS PREFIX: a TXT record in the Team Cymru form.
dns_args=()
txt()
{
	dns_args+=("--txt-record=$1,$2 | $3 | ZZ | test | 2026-01-01")
}

dns_args+=(
	"--host-record=r1.lab.example,$LAB_R1_4,$LAB_R1_6"
	"--host-record=r1-next.lab.example,$LAB_R1_NEXT4,$LAB_R1_NEXT6"
	"--host-record=r2.lab.example,$LAB_R2_4,$LAB_R2_6"
	"--host-record=r2-next.lab.example,$LAB_R2_NEXT4,$LAB_R2_NEXT6"
	"--host-record=target.lab.example,$LAB_TARGET4,$LAB_TARGET6"
)
# The default zones.
txt 1.2.0.192.origin.asn.cymru.com 64501 192.0.2.0/26
txt 66.2.0.192.origin.asn.cymru.com 64502 192.0.2.64/26
txt 130.2.0.192.origin.asn.cymru.com 64500 192.0.2.128/26
txt "$NIB_R1.origin6.asn.cymru.com" 64601 2001:db8:1::/64
txt "$NIB_R2.origin6.asn.cymru.com" 64602 2001:db8:2::/64
txt "$NIB_TARGET.origin6.asn.cymru.com" 64600 2001:db8:3::/64
# The lab's zone (r2 announced by two AS), which also holds IPv6 names for
# `--asn-zone ZONE` alone; and a second lab zone for ZONE4,ZONE6.
txt 1.2.0.192.origin.asn.lab.example 64511 192.0.2.0/26
txt 66.2.0.192.origin.asn.lab.example "64512 64513" 192.0.2.64/26
txt 130.2.0.192.origin.asn.lab.example 64510 192.0.2.128/26
txt "$NIB_R1.origin.asn.lab.example" 64521 2001:db8:1::/64
txt "$NIB_R2.origin.asn.lab.example" 64522 2001:db8:2::/64
txt "$NIB_TARGET.origin.asn.lab.example" 64520 2001:db8:3::/64
txt "$NIB_R1.origin6.asn.lab.example" 64531 2001:db8:1::/64
txt "$NIB_R2.origin6.asn.lab.example" 64532 2001:db8:2::/64
txt "$NIB_TARGET.origin6.asn.lab.example" 64530 2001:db8:3::/64

bg_start "$NS_HOST" dnsmasq --no-daemon --keep-in-foreground --no-resolv \
	--no-hosts --conf-file=/dev/null --user=root --group=root --pid-file= \
	--listen-address=127.0.0.1 --bind-interfaces --port 53 \
	--local=/lab.example/ --local=/cymru.com/ \
	--local=/2.0.192.in-addr.arpa/ --local=/8.b.d.0.1.0.0.2.ip6.arpa/ \
	--log-queries --log-facility="$T/dnsmasq.log" "${dns_args[@]}" \
	</dev/null >"$T/dnsmasq.out" 2>&1
# shellcheck disable=SC2034 # used in wait_for's condition
DNSMASQ_PID=$(bg_pid)

dns_ready()
{
	in_ns "$NS_HOST" "$PYTHON3_SYSTEM" "$CHECKER" dns-ready "$@"
}

# shellcheck disable=SC2016 # wait_for evaluates it
if ! wait_for 'kill -0 "$DNSMASQ_PID" 2>/dev/null && dns_ready 127.0.0.1 r1.lab.example' 10; then
	cat "$T/dnsmasq.out" >&2
	fail "dnsmasq in $NS_HOST does not answer within 10 s"
fi
note "dnsmasq $(dnsmasq --version | head -n1 | awk '{print $3}') answers on 127.0.0.1:53 in $NS_HOST"

# ---- running hoptrace ------------------------------------------------------

# run_w NAME WORKER ARG...: hoptrace in the host namespace with worker
# WORKER; $T/NAME.out, .err, .rc, and .ms (wall time in milliseconds).
run_w()
{
	local name=$1 worker=$2 t0 t1 rc

	shift 2
	t0=$(_lab_now_us)
	in_ns "$NS_HOST" timeout 60 "$HOPTRACE" --worker "$worker" "$@" \
		</dev/null >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	t1=$(_lab_now_us)
	printf '%s\n' "$rc" >"$T/$name.rc"
	printf '%s\n' "$(((t1 - t0) / 1000))" >"$T/$name.ms"
	printf '%s\n' "$*" >"$T/$name.cmd"
}

# run NAME ARG...: the same with the worker under test.
run()
{
	local name=$1

	shift
	run_w "$name" "$WORKER" "$@"
}

# run_nw NAME ARG...: hoptrace without a default --worker (for the usage
# and worker checks, which give their own or none).
run_nw()
{
	local name=$1 t0 t1

	shift
	t0=$(_lab_now_us)
	in_ns "$NS_HOST" timeout 60 "$HOPTRACE" "$@" \
		</dev/null >"$T/$name.out" 2>"$T/$name.err"
	printf '%s\n' "$?" >"$T/$name.rc"
	t1=$(_lab_now_us)
	printf '%s\n' "$(((t1 - t0) / 1000))" >"$T/$name.ms"
	printf '%s\n' "$*" >"$T/$name.cmd"
}

show()
{
	local f

	printf 'command: hoptrace %s\n' "$(cat "$T/$1.cmd")"
	for f in out err; do
		if [[ -s "$T/$1.$f" ]]; then
			printf 'std%s:\n' "$f"
			sed 's/^/  /' "$T/$1.$f" | head -n 40
		fi
	done
}

# outcome NAME RC [STDERR]: exit status RC; STDERR "quiet" (the default):
# nothing on stderr; "any": not looked at; else an extended regex the
# stderr must match.
outcome()
{
	local name=$1 want=$2 err=${3:-quiet} rc

	rc=$(cat "$T/$name.rc")
	if [[ "$rc" != "$want" ]]; then
		printf 'exit status %s, want %s\n' "$rc" "$want"
		show "$name"
		return 1
	fi
	case "$err" in
	quiet)
		if [[ -s "$T/$name.err" ]]; then
			printf 'stderr is not empty\n'
			show "$name"
			return 1
		fi
		;;
	any) ;;
	*)
		if ! grep -qE -- "$err" "$T/$name.err"; then
			printf 'stderr does not match /%s/\n' "$err"
			show "$name"
			return 1
		fi
		;;
	esac
}

# text_is NAME RC BLOCK...: outcome NAME RC, and the text output as
# hoptrace_check.py text describes it.
text_is()
{
	local name=$1 rc=$2

	shift 2
	outcome "$name" "$rc" || return 1
	if ! "$PYTHON3_SYSTEM" "$CHECKER" text "$T/$name.out" "$@"; then
		show "$name"
		return 1
	fi
}

# faster NAME MS: NAME took less than MS milliseconds.
faster()
{
	local ms

	ms=$(cat "$T/$1.ms")
	if ((ms >= $2)); then
		printf 'took %d ms, want under %d ms\n' "$ms" "$2"
		show "$1"
		return 1
	fi
}

all()
{
	local cmd rc=0

	for cmd in "$@"; do
		eval "$cmd" || rc=1
	done
	return "$rc"
}

ms()
{
	cat "$T/$1.ms"
}

# Hop specifications (hoptrace_check.py): the lab path, per family, with
# and without names.
H4=("addr=$LAB_R1_4" "addr=$LAB_R2_4" "addr=$LAB_TARGET4")
H6=("addr=$LAB_R1_6" "addr=$LAB_R2_6" "addr=$LAB_TARGET6")
N4=("addr=$LAB_R1_4 name=r1.lab.example" "addr=$LAB_R2_4 name=r2.lab.example"
	"addr=$LAB_TARGET4 name=target.lab.example")
N6=("addr=$LAB_R1_6 name=r1.lab.example" "addr=$LAB_R2_6 name=r2.lab.example"
	"addr=$LAB_TARGET6 name=target.lab.example")

# hops SPEC...: --hop SPEC for each.
hops()
{
	local s

	for s in "$@"; do
		printf '%s\0' --hop "$s"
	done
}

# trace4/trace6 TARGET [more]: the --trace spec of a reached lab trace.
trace4()
{
	printf '%s\0' --trace "target=$1 addr=$LAB_TARGET4 source=$LAB_HOST4 proto=${2:-icmp} end=reached"
}
trace6()
{
	printf '%s\0' --trace "target=$1 addr=$LAB_TARGET6 source=$LAB_HOST6 proto=${2:-icmp} end=reached"
}

S=() Hs=() S4=() S6=() Hs4=() Hs6=()

# spec NAME...: read NUL-separated words into the array NAME (the rest of
# the arguments are a command producing them).
spec()
{
	local -n _arr=$1

	shift
	mapfile -d '' -t _arr < <("$@")
}

# ---- [1] names in the text format -----------------------------------------

run c1 -4 target.lab.example
spec S trace4 target.lab.example
spec Hs hops "${N4[@]}"
check "[1] -4 target.lab.example: exit 0, nothing on stderr, header target.lab.example (192.0.2.130) from 192.0.2.2, hops r1/r2/target.lab.example with their addresses and 3 RTTs each" \
	text_is c1 0 "${S[@]}" "${Hs[@]}"
check "[1] -4 target.lab.example with names took $(ms c1) ms (< 5000)" faster c1 5000

run c1b target.lab.example
check "[1] target.lab.example (any family): exit 0, nothing on stderr" outcome c1b 0
# Without -4/-6 the name is traced at its first address; the system
# resolver's order (getent ahosts, glibc's RFC 6724 sort) is the reference.
first=$(in_ns "$NS_HOST" getent ahosts target.lab.example | awk 'NR == 1 { print $1 }')
if [[ "$first" == "$LAB_TARGET6" || "$first" == "$LAB_TARGET4" ]]; then
	if [[ "$first" == "$LAB_TARGET6" ]]; then
		spec S trace6 target.lab.example
		spec Hs hops "${N6[@]}"
	else
		spec S trace4 target.lab.example
		spec Hs hops "${N4[@]}"
	fi
	check "[1] target.lab.example without -4/-6 is traced at the system resolver's first address $first, with the names of that family's hops" \
		text_is c1b 0 "${S[@]}" "${Hs[@]}"
else
	note "getent ahosts target.lab.example in $NS_HOST gave '${first}': the default family is not compared"
fi
check "[1] target.lab.example with names took $(ms c1b) ms (< 5000)" faster c1b 5000

run c1c 2001:db8:3::2
spec S trace6 2001:db8:3::2
spec Hs hops "${N6[@]}"
check "[1] 2001:db8:3::2: the IPv6 hops get their names from the PTR records" \
	text_is c1c 0 "${S[@]}" "${Hs[@]}"

# ---- [2] -n ----------------------------------------------------------------

ptr_before=$(grep -c 'query\[PTR\]' "$T/dnsmasq.log")
run c2 -n -4 target.lab.example
run c2b -n 2001:db8:3::2
ptr_after=$(grep -c 'query\[PTR\]' "$T/dnsmasq.log")
spec S trace4 target.lab.example
spec Hs hops "${H4[@]}"
check "[2] -n -4 target.lab.example: addresses only, no names, nothing on stderr" \
	text_is c2 0 "${S[@]}" "${Hs[@]}"
spec S trace6 2001:db8:3::2
spec Hs hops "${H6[@]}"
check "[2] -n 2001:db8:3::2: addresses only, no names, nothing on stderr" \
	text_is c2b 0 "${S[@]}" "${Hs[@]}"
check "[2] -n sends no PTR query to the name server (dnsmasq logged $ptr_before before, $ptr_after after)" \
	test "$ptr_before" -eq "$ptr_after"

# ---- [3] AS numbers ---------------------------------------------------------

run c3 -z -4 target.lab.example
spec S trace4 target.lab.example
spec Hs hops "${N4[0]} asn=64501" "${N4[1]} asn=64502" "${N4[2]} asn=64500"
check "[3] -z -4 target.lab.example: [AS64501] r1, [AS64502] r2, [AS64500] target (origin.asn.cymru.com)" \
	text_is c3 0 "${S[@]}" "${Hs[@]}"

run c3b -z -n 2001:db8:3::2
spec S trace6 2001:db8:3::2
spec Hs hops "${H6[0]} asn=64601" "${H6[1]} asn=64602" "${H6[2]} asn=64600"
check "[3] -z -n 2001:db8:3::2: AS64601, AS64602, AS64600 (nibble names in origin6.asn.cymru.com)" \
	text_is c3b 0 "${S[@]}" "${Hs[@]}"

run c3c -z -n --asn-zone origin.asn.lab.example 192.0.2.130
spec S trace4 192.0.2.130
spec Hs hops "${H4[0]} asn=64511" "${H4[1]} asn=64512+64513" "${H4[2]} asn=64510"
check "[3] --asn-zone origin.asn.lab.example 192.0.2.130: AS64511, AS64512 and AS64513, AS64510 from the lab zone" \
	text_is c3c 0 "${S[@]}" "${Hs[@]}"

run c3d -z -n --asn-zone origin.asn.lab.example 2001:db8:3::2
spec S trace6 2001:db8:3::2
spec Hs hops "${H6[0]} asn=64521" "${H6[1]} asn=64522" "${H6[2]} asn=64520"
check "[3] --asn-zone origin.asn.lab.example (one zone for both families) 2001:db8:3::2: AS64521, AS64522, AS64520" \
	text_is c3d 0 "${S[@]}" "${Hs[@]}"

run c3e -z -n --asn-zone origin.asn.lab.example,origin6.asn.lab.example 2001:db8:3::2
spec Hs hops "${H6[0]} asn=64531" "${H6[1]} asn=64532" "${H6[2]} asn=64530"
check "[3] --asn-zone origin.asn.lab.example,origin6.asn.lab.example 2001:db8:3::2: AS64531, AS64532, AS64530" \
	text_is c3e 0 "${S[@]}" "${Hs[@]}"

run c3f -z -C --asn-zone origin.asn.lab.example -4 target.lab.example
csv_asn()
{
	outcome c3f 0 || return 1
	"$PYTHON3_SYSTEM" "$CHECKER" csv "$T/c3f.out" target.lab.example \
		"$LAB_TARGET4" "${N4[0]} asn=64511" "${N4[1]} asn=64512+64513" \
		"${N4[2]} asn=64510" || { show c3f; return 1; }
}
check "[3] -z -C --asn-zone origin.asn.lab.example: the asn column has 64511, 64512 and 64513, 64510" csv_asn

# ---- [4] a dead name server ---------------------------------------------------

set_resolver "$LAB_BLACKHOLE4"
run c4 --dns-timeout 1 -w 1 192.0.2.130
spec S trace4 192.0.2.130
spec Hs hops "${H4[@]}"
check "[4] dead name server ($LAB_BLACKHOLE4), --dns-timeout 1 -w 1 192.0.2.130: exit 0, all three hops as addresses" \
	text_is c4 0 "${S[@]}" "${Hs[@]}"
# Three hops waiting for their names one after the other would take 3 s.
check "[4] ... and it took $(ms c4) ms (< 1 + 1 + 0.8 s: no hop waited for another's name)" \
	faster c4 2800

run c4b target.lab.example
not_reached_named()
{
	outcome c4b 1 'target\.lab\.example' || return 1
	grep -qiE 'resolve|resolv' "$T/c4b.err" ||
		{ printf 'stderr does not say the name did not resolve\n'; show c4b; return 1; }
	grep -q '^not reached: .*target\.lab\.example' "$T/c4b.out" ||
		{ printf 'stdout has no "not reached: ... target.lab.example" line\n'; show c4b; return 1; }
}
check "[4] dead name server, target.lab.example: exit 1, stderr says target.lab.example did not resolve" \
	not_reached_named
check "[4] ... within $(ms c4b) ms (< default --dns-timeout 2 s + 1.5 s)" faster c4b 3500
set_resolver 127.0.0.1

# ---- [5] the formats agree ------------------------------------------------------

# fmt_ok NAME KIND TARGET ADDR HOP...: exit 0, quiet, valid, and the hops.
fmt_ok()
{
	local name=$1 kind=$2 target=$3 addr=$4 rc=0

	shift 4
	outcome "$name" 0 || return 1
	if [[ "$kind" == report ]]; then
		"$PYTHON3_SYSTEM" "$CHECKER" report "$T/$name.out" 5 "$@" || rc=1
	else
		"$PYTHON3_SYSTEM" "$VALIDATE" "$kind" "$T/$name.out" "$SCHEMA" >"$T/$name.val" ||
			{ sed 's/^/# /' "$T/$name.val"; rc=1; }
		"$PYTHON3_SYSTEM" "$CHECKER" "$kind" "$T/$name.out" "$target" "$addr" "$@" || rc=1
	fi
	((rc == 0)) || show "$name"
	return "$rc"
}

n=0
for fam in 4 6; do
	if ((fam == 4)); then
		addr=$LAB_TARGET4
	else
		addr=$LAB_TARGET6
	fi
	for names in off on; do
		if [[ "$names" == off ]]; then
			dns=(-n)
			if ((fam == 4)); then hs=("${H4[@]}"); else hs=("${H6[@]}"); fi
			what="-n"
		else
			dns=()
			if ((fam == 4)); then hs=("${N4[@]}"); else hs=("${N6[@]}"); fi
			what="names"
		fi
		for kind in report json jsonl csv; do
			n=$((n + 1))
			case "$kind" in
			report) opts=(--report -c 5 -i 0.1) desc="--report -c 5 -i 0.1: Snt 5, Loss% 0.0, Best <= Avg <= Wrst" ;;
			json) opts=(--json) desc="--json: schema valid, schema_version 3, reached, exit_status 0, numbers as numbers, integer rtt_us" ;;
			jsonl) opts=(--jsonl) desc="--jsonl: schema valid, hop records 1-3, run-end exit_status 0" ;;
			csv) opts=(--csv) desc="--csv: valid RFC 4180, one row per hop" ;;
			esac
			run "c5_$n" "${dns[@]}" "${opts[@]}" "$addr"
			check "[5] $addr $what $desc; hops 1-3 ${hs[*]}" \
				fmt_ok "c5_$n" "$kind" "$addr" "$addr" "${hs[@]}"
		done
	done
done

# ---- [6] every protocol, both families --------------------------------------------

tcp_listener_start "$NS_TARGET" 80 "$T/listener.log"
for p in icmp udp tcp tcp81 sctp; do
	case "$p" in
	icmp) popt=() proto=icmp what="icmp (the default)" ;;
	udp) popt=(-U) proto=udp what="-U" ;;
	tcp) popt=(-T) proto=tcp what="-T (port 80, a listener: SYN-ACK)" ;;
	tcp81) popt=(-T -p 81) proto=tcp what="-T -p 81 (closed: RST)" ;;
	sctp) popt=(-S) proto=sctp what="-S (no SCTP in the target: ICMP unreachable)" ;;
	esac
	run "c6_${p}_4" -n "${popt[@]}" -4 "$LAB_TARGET4"
	spec S trace4 "$LAB_TARGET4" "$proto"
	spec Hs hops "${H4[@]}"
	check "[6] $what -4 $LAB_TARGET4: exit 0, hops r1, r2, the target last" \
		text_is "c6_${p}_4" 0 "${S[@]}" "${Hs[@]}"
	if ((LAB_HAVE_IPV6)); then
		run "c6_${p}_6" -n "${popt[@]}" "$LAB_TARGET6"
		spec S trace6 "$LAB_TARGET6" "$proto"
		spec Hs hops "${H6[@]}"
		check "[6] $what $LAB_TARGET6: exit 0, hops r1, r2, the target last" \
			text_is "c6_${p}_6" 0 "${S[@]}" "${Hs[@]}"
	fi
done

# ---- [7] exit statuses ----------------------------------------------------------------

run c7a -n -m 5 -w 1 "$LAB_BLACKHOLE4"
spec Hs hops "addr=$LAB_R1_4" "*"
check "[7] black hole -m 5 -w 1: exit 1, hop 1 r1, hop 2 silent, says not reached" \
	text_is c7a 1 --trace "target=$LAB_BLACKHOLE4 addr=$LAB_BLACKHOLE4 source=$LAB_HOST4 proto=icmp end=not" "${Hs[@]}"

run c7b -n "$LAB_UNREACH_NET4"
check "[7] unrouted $LAB_UNREACH_NET4: exit 1, hop 1 r1 with $MARK_NET ($UNREACH_NET) on every probe, not reached" \
	text_is c7b 1 --trace "target=$LAB_UNREACH_NET4 addr=$LAB_UNREACH_NET4 source=$LAB_HOST4 proto=icmp end=not" \
	--hop "addr=$LAB_R1_4 mark=$MARK_NET"

usage_error()
{
	outcome "$1" 2 "$2" || return 1
	if [[ -s "$T/$1.out" ]]; then
		printf 'a usage error wrote to stdout\n'
		show "$1"
		return 1
	fi
}
run c7c -m 300 "$LAB_TARGET4"
check "[7] -m 300: exit 2, the message names -m/--max-ttl" usage_error c7c '(-m|--max-ttl)'
run c7d -s 1400 "$LAB_TARGET4"
check "[7] -s 1400: exit 2, the message names -s/--source" usage_error c7d '(-s|--source)'
run c7e -n
check "[7] no target: exit 2, the message says no target" usage_error c7e 'target'
run c7f --no-such-option "$LAB_TARGET4"
check "[7] unknown option --no-such-option: exit 2, the message names it" \
	usage_error c7f '--no-such-option'
run c7f2 -Y "$LAB_TARGET4"
check "[7] unknown option -Y: exit 2, the message names it" usage_error c7f2 '-Y'

run_nw c7g --worker /nonexistent/hopprobe "$LAB_TARGET4"
check "[7] --worker /nonexistent/hopprobe: exit 3, the message names the worker" \
	outcome c7g 3 '/nonexistent/hopprobe'
run_nw c7h --worker 'echo oops >&2; exit 1' "$LAB_TARGET4"
check "[7] a worker that exits at once: exit 3, stderr shows its 'oops'" \
	outcome c7h 3 'oops'
check "[7] ... and says how it exited (status 1)" \
	outcome c7h 3 'status 1'

# ---- [8] the worker killed mid-trace -------------------------------------------------

# icmp_in NAME: a counter of the host namespace's Icmp line.
icmp_in()
{
	# shellcheck disable=SC2016 # awk, not shell
	in_ns "$NS_HOST" awk -v k="$1" '$1 == "Icmp:" { if (h) { print $i; exit } for (i = 1; i <= NF; i++) if ($i == k) break; h = 1 }' /proc/net/snmp
}

# kill_run NAME FORMAT-OPTION...: trace the black hole with -w 30 through
# a wrapper worker that records its PID; once the PID is known and r1's
# answer to hop 1 has come in (the host's ICMP InTimeExcds grew), kill the
# worker with SIGKILL.  $T/NAME.after: milliseconds from the kill to
# hoptrace's exit ("hung" if it did not end within 5 s).
kill_run()
{
	local name=$1 pidfile=$T/$1.pid before hp t0 t1 wpid

	shift
	# shellcheck disable=SC2034 # used in wait_for's condition
	before=$(icmp_in InTimeExcds)
	in_ns "$NS_HOST" timeout 50 "$HOPTRACE" -n -w 30 -m 5 "$@" \
		--worker "echo \$\$ > $(printf '%q' "$pidfile"); exec $WORKER" \
		"$LAB_BLACKHOLE4" </dev/null >"$T/$name.out" 2>"$T/$name.err" &
	hp=$!
	printf '%s\n' "-n -w 30 -m 5 $* --worker 'echo \$\$ > PIDFILE; exec hopprobe' $LAB_BLACKHOLE4 (worker killed with SIGKILL mid-trace)" >"$T/$name.cmd"
	# shellcheck disable=SC2016 # wait_for evaluates it
	if ! wait_for '[[ -s "$pidfile" ]] && (($(icmp_in InTimeExcds) > before))' 10; then
		kill -TERM "$hp" 2>/dev/null
		wait "$hp"
		printf '%s\n' "$?" >"$T/$name.rc"
		printf 'started\n' >"$T/$name.after"
		return
	fi
	wpid=$(cat "$pidfile")
	t0=$(_lab_now_us)
	kill -KILL "$wpid"
	# shellcheck disable=SC2016 # wait_for evaluates it
	if wait_for '! kill -0 "$hp" 2>/dev/null' 5; then
		t1=$(_lab_now_us)
		printf '%s\n' "$(((t1 - t0) / 1000))" >"$T/$name.after"
	else
		printf 'hung\n' >"$T/$name.after"
		kill -TERM "$hp" 2>/dev/null
	fi
	wait "$hp"
	printf '%s\n' "$?" >"$T/$name.rc"
}

ended_soon()
{
	local after

	after=$(cat "$T/$1.after")
	case "$after" in
	started)
		printf 'the trace did not start within 10 s (no worker PID, or no answer from r1)\n'
		show "$1"
		return 1
		;;
	hung)
		printf 'hoptrace still running 5 s after the worker was killed\n'
		show "$1"
		return 1
		;;
	esac
	if ((after >= 3000)); then
		printf 'hoptrace ended %d ms after the kill, want under 3000\n' "$after"
		return 1
	fi
}

kill_run c8
check "[8] worker killed with SIGKILL mid-trace: hoptrace ends within 3 s ($(cat "$T/c8.after") ms)" \
	ended_soon c8
check "[8] ... exit 3, stderr names the worker" outcome c8 3 'worker .*hopprobe'
check "[8] ... and the signal (9 / SIGKILL)" outcome c8 3 '(signal 9|SIGKILL|KILL)'

kill_run c8j --json
check "[8] --json, worker killed: hoptrace ends within 3 s ($(cat "$T/c8j.after") ms)" \
	ended_soon c8j
json_failed()
{
	outcome c8j 3 any || return 1
	"$PYTHON3_SYSTEM" "$VALIDATE" json "$T/c8j.out" "$SCHEMA" >"$T/c8j.val" ||
		{ sed 's/^/# /' "$T/c8j.val"; show c8j; return 1; }
	"$PYTHON3_SYSTEM" "$CHECKER" json-failed "$T/c8j.out" || { show c8j; return 1; }
}
check "[8] --json, worker killed: exit 3, the document is valid JSON (schema) with exit_status 3, reason worker-lost" \
	json_failed

# ---- [9] several targets ---------------------------------------------------------------

run c9 -n "$LAB_TARGET4" "$LAB_TARGET6" "$LAB_BLACKHOLE4" -w 1 -m 4
spec S4 trace4 "$LAB_TARGET4"
spec S6 trace6 "$LAB_TARGET6"
spec Hs4 hops "${H4[@]}"
spec Hs6 hops "${H6[@]}"
check "[9] -n $LAB_TARGET4 $LAB_TARGET6 $LAB_BLACKHOLE4 -w 1 -m 4: exit 1, in argument order, the two lab targets reached, the black hole not" \
	text_is c9 1 "${S4[@]}" "${Hs4[@]}" "${S6[@]}" "${Hs6[@]}" \
	--trace "target=$LAB_BLACKHOLE4 addr=$LAB_BLACKHOLE4 source=$LAB_HOST4 proto=icmp end=not" \
	--hop "addr=$LAB_R1_4" --hop "*"

# ---- [10] /etc/hosts -------------------------------------------------------------------

set_hosts "$LAB_TARGET4 hosts-only.lab.example"
dns_unknown()
{
	if dns_ready 127.0.0.1 hosts-only.lab.example; then
		printf 'the name server knows hosts-only.lab.example\n'
		return 1
	fi
	dns_ready 127.0.0.1 target.lab.example ||
		{ printf 'the name server does not answer\n'; return 1; }
}
check "[10] control: the name server answers, but not for hosts-only.lab.example" dns_unknown

run c10 hosts-only.lab.example
spec S trace4 hosts-only.lab.example
spec Hs hops "${N4[0]}" "${N4[1]}" "addr=$LAB_TARGET4 name=hosts-only.lab.example"
check "[10] hosts-only.lab.example (only in /etc/hosts): exit 0, traced at 192.0.2.130, hop 3 named from /etc/hosts" \
	text_is c10 0 "${S[@]}" "${Hs[@]}"

# Nothing listens on 127.0.0.2:53 (dnsmasq is bound to 127.0.0.1 only):
# what a stopped server looks like to a client.
set_resolver 127.0.0.2
run c10b --dns-timeout 1 hosts-only.lab.example
spec Hs hops "${H4[0]}" "${H4[1]}" "addr=$LAB_TARGET4 name=hosts-only.lab.example"
check "[10] no name server listening (127.0.0.2): hosts-only.lab.example still resolves, hops 1-2 as addresses" \
	text_is c10b 0 "${S[@]}" "${Hs[@]}"
check "[10] ... within $(ms c10b) ms (< 2500)" faster c10b 2500

set_resolver "$LAB_BLACKHOLE4"
run c10c -n hosts-only.lab.example
spec Hs hops "${H4[@]}"
check "[10] dead name server ($LAB_BLACKHOLE4), -n hosts-only.lab.example: exit 0, reached" \
	text_is c10c 0 "${S[@]}" "${Hs[@]}"
check "[10] ... within $(ms c10c) ms (< 1500: /etc/hosts needs no name server)" faster c10c 1500
set_resolver 127.0.0.1

note "$checks checks, $failures failed"
if ((failures)); then
	exit 1
fi
exit 0

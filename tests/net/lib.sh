# shellcheck shell=bash
#
# tests/net/lib.sh: the namespace lab shared by the network tests and by
# `packaging/quickstart demo`.  Source it from bash (not sh):
#
#	. "$TESTS_SRCDIR/net/lib.sh"
#	require_root_and_tools tcpdump
#	lab_up
#	in_ns "$NS_HOST" ping -c1 "$LAB_TARGET4"
#
# lab_up builds four network namespaces in a line, all addresses taken from
# the documentation ranges (RFC 5737, RFC 3849):
#
#	host --(link1)-- r1 --(link2)-- r2 --(link3)-- target
#
#	link1  192.0.2.0/26    2001:db8:1::/64  host .2  ::2   r1 .1   ::1
#	link2  192.0.2.64/26   2001:db8:2::/64  r1 .65   ::1   r2 .66  ::2
#	link3  192.0.2.128/26  2001:db8:3::/64  r2 .129  ::1   target .130 ::2
#
# Special destinations, all reached through r1 from the host:
#	LAB_BLACKHOLE4/6     r2 drops them silently (blackhole route): no-reply
#	LAB_UNREACH_HOST4/6  r2 answers ICMP host unreachable (v4: an
#	                     `unreachable` route) or ICMPv6 address unreachable
#	                     (v6: an on-link neighbour that never answers)
#	LAB_NOROUTE6_R2      r2 answers ICMPv6 no-route (an `unreachable` route)
#	LAB_UNREACH_NET4/6   r1 has no route: ICMP network unreachable / ICMPv6
#	                     no-route from r1
#
# ICMP rate limiting is switched off in every namespace (per-peer limit and
# rate mask), so a burst of 1000 probes gets 1000 time-exceeded errors, in
# both families, and 1000 ICMPv6 no-route errors.  Two kernel limits remain
# that no per-namespace setting lifts, so do not send bursts there:
#   - IPv4 errors for unrouted and `unreachable`-route destinations
#     (LAB_UNREACH_NET4, LAB_UNREACH_HOST4) come from the routing code's own
#     token bucket per source address (the global sysctls
#     net.ipv4.route.error_burst/error_cost): 5 at once, then 1 a second.
#   - errors for a failed neighbour (LAB_UNREACH_HOST6) are produced all at
#     once when resolution fails, and the router's ICMP socket buffer
#     carries about 150 of them per burst.
#
# Everything lab_up creates, and every process started with bg_start, is
# removed by a trap on EXIT, INT and TERM, so cleanup happens however the
# test ends.  (bash runs a trap only once the foreground command in progress
# has finished: keep foreground commands short, or wait on bg_start PIDs.)
# Tests must not install their own EXIT/INT/TERM traps; they add work to the
# cleanup with lab_at_exit.

if [[ -n "${HP_LAB_LIB_LOADED:-}" ]]; then
	return 0
fi
HP_LAB_LIB_LOADED=1

# State of this process's lab.  The counter makes namespace names unique
# when one test builds several labs in turn.
_lab_namespaces=()
_lab_pids=()
_lab_at_exit=()
_lab_counter=0
_lab_owner=""
_lab_is_up=0
LAB_LAST_PID=""

# Fixed addresses of the topology above.
LAB_HOST4=192.0.2.2
LAB_HOST6=2001:db8:1::2
LAB_R1_4=192.0.2.1
LAB_R1_6=2001:db8:1::1
LAB_R1_NEXT4=192.0.2.65
LAB_R1_NEXT6=2001:db8:2::1
LAB_R2_4=192.0.2.66
LAB_R2_6=2001:db8:2::2
LAB_R2_NEXT4=192.0.2.129
LAB_R2_NEXT6=2001:db8:3::1
LAB_TARGET4=192.0.2.130
LAB_TARGET6=2001:db8:3::2
LAB_BLACKHOLE4=203.0.113.1
LAB_BLACKHOLE6=2001:db8:ff::1
LAB_UNREACH_HOST4=203.0.113.2
LAB_UNREACH_HOST6=2001:db8:ff::2
LAB_NOROUTE6_R2=2001:db8:ff::3
LAB_UNREACH_NET4=198.51.100.9
LAB_UNREACH_NET6=2001:db8:ee::9

# Interface names; each lives in its own namespace, so the names never
# clash with the machine's or another lab's.
LAB_IF_HOST=hst-r1
LAB_IF_R1_HOST=r1-hst
LAB_IF_R1_R2=r1-r2
LAB_IF_R2_R1=r2-r1
LAB_IF_R2_TARGET=r2-tgt
LAB_IF_TARGET=tgt-r2
LAB_IF_R2_VOID=r2-void
LAB_IF_VOID=void-r2

export LAB_HOST4 LAB_HOST6 LAB_R1_4 LAB_R1_6 LAB_R1_NEXT4 LAB_R1_NEXT6 \
	LAB_R2_4 LAB_R2_6 LAB_R2_NEXT4 LAB_R2_NEXT6 LAB_TARGET4 LAB_TARGET6 \
	LAB_BLACKHOLE4 LAB_BLACKHOLE6 LAB_UNREACH_HOST4 LAB_UNREACH_HOST6 \
	LAB_NOROUTE6_R2 LAB_UNREACH_NET4 LAB_UNREACH_NET6 \
	LAB_IF_HOST LAB_IF_R1_HOST LAB_IF_R1_R2 LAB_IF_R2_R1 LAB_IF_R2_TARGET \
	LAB_IF_TARGET LAB_IF_R2_VOID LAB_IF_VOID

# fail MSG...: report a test failure on stderr and exit 1 (the trap cleans up).
fail()
{
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

# skip MSG...: report why the test cannot run here and exit 77, which
# automake counts as SKIP.
skip()
{
	printf 'SKIP: %s\n' "$*"
	exit 77
}

# require_root_and_tools TOOL...: skip unless we are root and every TOOL is
# on PATH (or is an executable path).
require_root_and_tools()
{
	local tool

	if [[ "${HOPPROBE_NET_TESTS:-yes}" == no ]]; then
		skip "network tests disabled (configure --disable-net-tests, as make distcheck does)"
	fi
	if [[ "$(id -u)" -ne 0 ]]; then
		skip "needs root to create network namespaces"
	fi
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			skip "needs $tool"
		fi
	done
}

# in_ns NS CMD...: run CMD inside namespace NS.
in_ns()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# unprivileged_worker: after lab_up, a copy of $HOPPROBE that uid 65534 can
# run and that carries no privilege (no setuid bit, no file capability),
# in a directory removed at exit; its path in UNPRIVILEGED_HOPPROBE.  The
# host namespace's ping_group_range then admits every group, so that the
# copy, run through setpriv --reuid=65534, probes ICMP with ping sockets.
unprivileged_worker()
{
	local dir

	dir=$(mktemp -d /tmp/hp_unpriv.XXXXXX) || fail "mktemp"
	lab_at_exit rm -rf "$dir"
	chmod 755 "$dir"
	if ! cp "$HOPPROBE" "$dir/hopprobe" || ! chmod 755 "$dir/hopprobe"; then
		fail "cannot copy $HOPPROBE"
	fi
	in_ns "$NS_HOST" sysctl -q -w net.ipv4.ping_group_range="0 2147483647" ||
		fail "cannot set ping_group_range"
	export UNPRIVILEGED_HOPPROBE=$dir/hopprobe
}

# lab_at_exit CMD...: run CMD (one word list, not evaluated) during cleanup,
# before the background processes are stopped.
lab_at_exit()
{
	local quoted

	printf -v quoted '%q ' "$@"
	_lab_at_exit+=("$quoted")
	_lab_install_trap
}

# bg_start NS CMD...: start CMD in namespace NS in the background and record
# its PID so that cleanup stops it.  Redirections given to bg_start apply to
# CMD, stdin included (bash would otherwise give a background command
# /dev/null, hence the explicit <&0); without one, CMD shares the test's
# stdin.  `ip netns exec` executes CMD in place, so the recorded PID is CMD's.
bg_start()
{
	local ns=$1

	shift
	_lab_install_trap
	ip netns exec "$ns" "$@" <&0 &
	LAB_LAST_PID=$!
	_lab_pids+=("$LAB_LAST_PID")
}

# bg_pid: print the PID of the process bg_start started last.
bg_pid()
{
	printf '%s\n' "$LAB_LAST_PID"
}

# _lab_now_us: the wall clock in microseconds (bash 5 EPOCHREALTIME).
_lab_now_us()
{
	local t=${EPOCHREALTIME/[.,]/}

	printf '%s\n' "$((10#$t))"
}

# _lab_seconds_to_us SECONDS: "5" or "0.25" to microseconds.
_lab_seconds_to_us()
{
	local s=$1 whole frac

	if [[ ! "$s" =~ ^([0-9]{1,6})(\.([0-9]{1,6}))?$ ]]; then
		fail "bad timeout '$s' (seconds, e.g. 5 or 0.5)"
	fi
	whole=${BASH_REMATCH[1]}
	frac=${BASH_REMATCH[3]}000000
	printf '%s\n' "$((10#$whole * 1000000 + 10#${frac:0:6}))"
}

# wait_for COND TIMEOUT: evaluate the shell command string COND every 0.1 s
# until it succeeds (return 0) or TIMEOUT seconds have passed (return 1).
# Both the number of tries and the elapsed time are bounded.
wait_for()
{
	local cond=$1 timeout_us deadline tries max_tries

	timeout_us=$(_lab_seconds_to_us "$2")
	deadline=$(($(_lab_now_us) + timeout_us))
	max_tries=$((timeout_us / 100000 + 2))
	for ((tries = 0; tries < max_tries; tries++)); do
		if eval "$cond"; then
			return 0
		fi
		if (($(_lab_now_us) >= deadline)); then
			break
		fi
		sleep 0.1
	done
	return 1
}

# _lab_install_trap: clean up on every way out of the test.  A signal turns
# into an ordinary exit with the conventional status, and the EXIT trap does
# the work once.
_lab_install_trap()
{
	if [[ -n "$_lab_owner" ]]; then
		return 0
	fi
	_lab_owner=$BASHPID
	trap _lab_on_exit EXIT
	trap '_lab_on_signal 130' INT
	trap '_lab_on_signal 143' TERM
	trap '_lab_on_signal 129' HUP
}

_lab_on_signal()
{
	trap - INT TERM HUP
	exit "$1"
}

_lab_on_exit()
{
	local rc=$?

	# A subshell does not inherit the trap, but guard anyway: only the
	# process that built the lab may tear it down.
	if [[ "$BASHPID" == "$_lab_owner" ]]; then
		lab_down
	fi
	return "$rc"
}

# lab_down: run the lab_at_exit commands, stop the processes started with
# bg_start (by PID: TERM, a bounded wait, then KILL) and delete every
# namespace this process created.  Safe to call more than once.
lab_down()
{
	local cmd pid ns i alive

	for cmd in "${_lab_at_exit[@]}"; do
		eval "$cmd" >/dev/null 2>&1 || true
	done
	_lab_at_exit=()

	for pid in "${_lab_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for ((i = 0; i < 20; i++)); do
		alive=0
		for pid in "${_lab_pids[@]}"; do
			if kill -0 "$pid" 2>/dev/null; then
				alive=1
			fi
		done
		((alive)) || break
		sleep 0.1
	done
	for pid in "${_lab_pids[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	_lab_pids=()

	for ns in "${_lab_namespaces[@]}"; do
		ip netns delete "$ns" 2>/dev/null || true
	done
	_lab_namespaces=()
	_lab_is_up=0
}

# _lab_sysctl NS KEY VALUE [optional]: set a sysctl inside NS by writing
# /proc/sys directly (no procps needed).  An optional key that this kernel
# lacks is left alone.
_lab_sysctl()
{
	local ns=$1 key=$2 value=$3 optional=${4:-}
	local path=/proc/sys/${key//.//}

	if ! ip netns exec "$ns" test -e "$path"; then
		[[ -n "$optional" ]] && return 0
		fail "lab: sysctl $key does not exist"
	fi
	# shellcheck disable=SC2016 # expanded by the inner bash
	ip netns exec "$ns" bash -c 'printf "%s\n" "$2" > "$1"' _ "$path" "$value" ||
		fail "lab: cannot set $key=$value in $ns"
}

# _lab_ns_add NAME: create a namespace and remember it before anything can
# fail, so that cleanup always knows about it.
_lab_ns_add()
{
	if ! ip netns add "$1" 2>/dev/null; then
		if ((${#_lab_namespaces[@]} == 0)); then
			skip "cannot create network namespaces here"
		fi
		fail "lab: cannot create namespace $1"
	fi
	_lab_namespaces+=("$1")
}

# _lab_ns_common NS: what every namespace gets: loopback up, IPv6 on, and
# no ICMP rate limiting (per-peer limit off, and an empty rate mask so that
# the global limit does not apply either).
_lab_ns_common()
{
	local ns=$1

	ip -n "$ns" link set lo up || fail "lab: lo up in $ns"
	_lab_sysctl "$ns" net.ipv4.icmp_ratelimit 0
	_lab_sysctl "$ns" net.ipv4.icmp_ratemask 0 optional
	_lab_sysctl "$ns" net.ipv4.icmp_msgs_per_sec 100000 optional
	_lab_sysctl "$ns" net.ipv4.icmp_msgs_burst 100000 optional
	if ((LAB_HAVE_IPV6)); then
		_lab_sysctl "$ns" net.ipv6.conf.all.disable_ipv6 0
		_lab_sysctl "$ns" net.ipv6.conf.default.disable_ipv6 0
		# Link-local addresses too must be usable at once: neighbour
		# discovery needs them before the first packet can cross.
		_lab_sysctl "$ns" net.ipv6.conf.all.accept_dad 0
		_lab_sysctl "$ns" net.ipv6.conf.default.accept_dad 0
		_lab_sysctl "$ns" net.ipv6.icmp.ratelimit 0
		_lab_sysctl "$ns" net.ipv6.icmp.ratemask "" optional
	fi
}

# _lab_link NS_A IF_A NS_B IF_B: a veth pair from NS_A to NS_B, both up.
_lab_link()
{
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" ||
		fail "lab: veth $1/$2 - $3/$4"
	ip -n "$1" link set "$2" up || fail "lab: $1/$2 up"
	ip -n "$3" link set "$4" up || fail "lab: $3/$4 up"
}

# _lab_addr NS IF ADDR/LEN: add an address; IPv6 ones skip duplicate
# address detection so that they are usable at once.
_lab_addr()
{
	if [[ "$3" == *:* ]]; then
		((LAB_HAVE_IPV6)) || return 0
		ip -n "$1" -6 addr add "$3" dev "$2" nodad ||
			fail "lab: address $3 on $1/$2"
	else
		ip -n "$1" addr add "$3" dev "$2" ||
			fail "lab: address $3 on $1/$2"
	fi
}

# _lab_route NS ROUTE...: add a route (IPv6 when it mentions a colon).
_lab_route()
{
	local ns=$1

	shift
	if [[ "$*" == *:* ]]; then
		((LAB_HAVE_IPV6)) || return 0
		ip -n "$ns" -6 route add "$@" || fail "lab: route $* in $ns"
	else
		ip -n "$ns" route add "$@" || fail "lab: route $* in $ns"
	fi
}

# lab_up: build the lab described at the top of this file and wait (at
# most 5 s) until the target answers ping from the host, over IPv4 and, when
# the kernel has IPv6, over IPv6.  Sets NS_HOST, NS_R1, NS_R2, NS_TARGET and
# LAB_HAVE_IPV6 (1 or 0).
lab_up()
{
	local prefix n ns

	require_root_and_tools ip ping
	if ((_lab_is_up)); then
		fail "lab_up called twice without lab_down"
	fi
	_lab_install_trap

	# Names unique to this process; skip any left behind by an earlier
	# process that had the same PID.
	for ((n = 0; n < 100; n++)); do
		_lab_counter=$((_lab_counter + 1))
		prefix=hp$$x$_lab_counter
		if [[ ! -e "/run/netns/${prefix}host" && ! -e "/run/netns/${prefix}r1" &&
			! -e "/run/netns/${prefix}r2" && ! -e "/run/netns/${prefix}tgt" ]]; then
			break
		fi
	done
	NS_HOST=${prefix}host
	NS_R1=${prefix}r1
	NS_R2=${prefix}r2
	NS_TARGET=${prefix}tgt
	export NS_HOST NS_R1 NS_R2 NS_TARGET
	_lab_is_up=1

	LAB_HAVE_IPV6=0
	if [[ -d /proc/sys/net/ipv6 ]]; then
		LAB_HAVE_IPV6=1
	fi
	export LAB_HAVE_IPV6

	for ns in "$NS_HOST" "$NS_R1" "$NS_R2" "$NS_TARGET"; do
		_lab_ns_add "$ns"
		_lab_ns_common "$ns"
	done
	for ns in "$NS_R1" "$NS_R2"; do
		_lab_sysctl "$ns" net.ipv4.ip_forward 1
		if ((LAB_HAVE_IPV6)); then
			_lab_sysctl "$ns" net.ipv6.conf.all.forwarding 1
		fi
	done

	_lab_link "$NS_HOST" "$LAB_IF_HOST" "$NS_R1" "$LAB_IF_R1_HOST"
	_lab_link "$NS_R1" "$LAB_IF_R1_R2" "$NS_R2" "$LAB_IF_R2_R1"
	_lab_link "$NS_R2" "$LAB_IF_R2_TARGET" "$NS_TARGET" "$LAB_IF_TARGET"

	_lab_addr "$NS_HOST" "$LAB_IF_HOST" "$LAB_HOST4/26"
	_lab_addr "$NS_HOST" "$LAB_IF_HOST" "$LAB_HOST6/64"
	_lab_addr "$NS_R1" "$LAB_IF_R1_HOST" "$LAB_R1_4/26"
	_lab_addr "$NS_R1" "$LAB_IF_R1_HOST" "$LAB_R1_6/64"
	_lab_addr "$NS_R1" "$LAB_IF_R1_R2" "$LAB_R1_NEXT4/26"
	_lab_addr "$NS_R1" "$LAB_IF_R1_R2" "$LAB_R1_NEXT6/64"
	_lab_addr "$NS_R2" "$LAB_IF_R2_R1" "$LAB_R2_4/26"
	_lab_addr "$NS_R2" "$LAB_IF_R2_R1" "$LAB_R2_6/64"
	_lab_addr "$NS_R2" "$LAB_IF_R2_TARGET" "$LAB_R2_NEXT4/26"
	_lab_addr "$NS_R2" "$LAB_IF_R2_TARGET" "$LAB_R2_NEXT6/64"
	_lab_addr "$NS_TARGET" "$LAB_IF_TARGET" "$LAB_TARGET4/26"
	_lab_addr "$NS_TARGET" "$LAB_IF_TARGET" "$LAB_TARGET6/64"

	# host and target: everything through their one router.
	_lab_route "$NS_HOST" default via "$LAB_R1_4"
	_lab_route "$NS_HOST" default via "$LAB_R1_6"
	_lab_route "$NS_TARGET" default via "$LAB_R2_NEXT4"
	_lab_route "$NS_TARGET" default via "$LAB_R2_NEXT6"

	# r1 knows only what lies behind r2; anything else (198.51.100.0/24,
	# 2001:db8:ee::/48) gets network unreachable from r1.
	_lab_route "$NS_R1" 192.0.2.128/26 via "$LAB_R2_4"
	_lab_route "$NS_R1" 203.0.113.0/24 via "$LAB_R2_4"
	_lab_route "$NS_R1" 2001:db8:3::/64 via "$LAB_R2_6"
	_lab_route "$NS_R1" 2001:db8:ff::/48 via "$LAB_R2_6"

	# r2: default back through r1, plus the special destinations.
	_lab_route "$NS_R2" default via "$LAB_R1_NEXT4"
	_lab_route "$NS_R2" default via "$LAB_R1_NEXT6"
	_lab_route "$NS_R2" blackhole "$LAB_BLACKHOLE4"
	_lab_route "$NS_R2" blackhole "$LAB_BLACKHOLE6"
	_lab_route "$NS_R2" unreachable "$LAB_UNREACH_HOST4"
	_lab_route "$NS_R2" unreachable "$LAB_NOROUTE6_R2"

	# An `unreachable` route makes Linux send ICMPv6 no-route, not address
	# unreachable; that one comes only when neighbour discovery fails.  So
	# LAB_UNREACH_HOST6 is on-link behind a veth whose other end (also in
	# r2) holds no address: the solicitation goes unanswered and r2
	# reports address unreachable after one 100 ms try.
	if ((LAB_HAVE_IPV6)); then
		_lab_link "$NS_R2" "$LAB_IF_R2_VOID" "$NS_R2" "$LAB_IF_VOID"
		_lab_sysctl "$NS_R2" "net.ipv6.neigh.$LAB_IF_R2_VOID.retrans_time_ms" 100
		_lab_sysctl "$NS_R2" "net.ipv6.neigh.$LAB_IF_R2_VOID.mcast_solicit" 1
		_lab_sysctl "$NS_R2" "net.ipv6.conf.$LAB_IF_VOID.disable_ipv6" 1
		_lab_route "$NS_R2" "$LAB_UNREACH_HOST6" dev "$LAB_IF_R2_VOID"
	fi

	# wait_for evaluates its condition; the quotes keep it intact.
	# shellcheck disable=SC2016
	wait_for 'ip netns exec "$NS_HOST" ping -c1 -W1 "$LAB_TARGET4" >/dev/null 2>&1' 5 ||
		fail "lab: $LAB_TARGET4 does not answer ping from the host"
	if ((LAB_HAVE_IPV6)); then
		# shellcheck disable=SC2016
		wait_for 'ip netns exec "$NS_HOST" ping -6 -c1 -W1 "$LAB_TARGET6" >/dev/null 2>&1' 5 ||
			fail "lab: $LAB_TARGET6 does not answer ping from the host"
	fi
}

# expected_unreach net|host: print the reply name the worker under test
# ($HOPPROBE) gives for an ICMP network or host unreachable from a router.
# The names are chosen when building: `--version` says "(reply names of
# mtr 0.95)", where both are `no-route`, or "(... mtr 0.96)", where they
# are `no-route-network` and `no-route-host`.
expected_unreach()
{
	local kind=$1 version

	[[ "$kind" == net || "$kind" == host ]] ||
		fail "expected_unreach: net or host, not '$kind'"
	version=$("$HOPPROBE" --version 2>/dev/null) ||
		fail "$HOPPROBE --version failed"
	case "$version" in
	*"reply names of mtr 0.95)"*)
		printf 'no-route\n'
		;;
	*"reply names of mtr 0.96)"*)
		printf 'no-route-%s\n' "${kind/net/network}"
		;;
	*)
		fail "cannot tell the reply names from: $version"
		;;
	esac
}

# re_escape TEXT: TEXT with every character that is special in an
# extended regular expression escaped, so that it matches only itself
# (an address, a version) inside a larger pattern.
re_escape()
{
	local text=$1 out="" c i
	local special='\.[]()*+?{}|^$'

	for ((i = 0; i < ${#text}; i++)); do
		c=${text:i:1}
		if [[ "$special" == *"$c"* ]]; then
			out+="\\$c"
		else
			out+=$c
		fi
	done
	printf '%s' "$out"
}

# reply_matches FILE TOKEN REGEX: FILE (the worker's reply lines, one a
# line, nothing else) holds exactly one reply to TOKEN, and that whole
# line is "TOKEN " followed by a match of the extended REGEX.  Prints what
# it found when not.
reply_matches()
{
	local file=$1 token=$2 regex=$3 lines

	lines=$(grep -E "^$token " "$file")
	if [[ $(printf '%s' "$lines" | grep -c .) -ne 1 ]]; then
		printf 'want exactly one reply to token %s, got:\n%s\n' "$token" "$lines"
		return 1
	fi
	if [[ ! "$lines" =~ ^$token\ $regex$ ]]; then
		printf 'reply: %s\nwant:  %s %s\n' "$lines" "$token" "$regex"
		return 1
	fi
}

# ---- test reporting ----------------------------------------------------------
# One line per check, "ok - ..." or "not ok - ..."; a test counts its
# failures (and its checks) and exits 1 if there were any.  A test may define its own ok and
# not_ok after sourcing this file (to count checks, say).
failures=0
checks=0

ok()
{
	checks=$((checks + 1))
	printf 'ok - %s\n' "$*"
}

not_ok()
{
	checks=$((checks + 1))
	failures=$((failures + 1))
	printf 'not ok - %s\n' "$*"
}

# check DESC CMD...: ok when CMD succeeds; its output is shown on failure.
check()
{
	local desc=$1 out

	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		[[ -n "$out" ]] && printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}

# tcp_listener_start NS PORT LOG: a TCP listener (tcp_listener.py) in NS
# on PORT, dual stack when the lab has IPv6, logging to LOG; returns once
# it listens.  Stopped by the lab's cleanup like any bg_start process.
tcp_listener_start()
{
	bg_start "$1" "${PYTHON3_SYSTEM:-/usr/bin/python3}" \
		"$TESTS_SRCDIR/net/tcp_listener.py" "$3" "$2" \
		"${LAB_HAVE_IPV6:-1}" </dev/null 2>"$3.err"
	_lab_listener_log=$3
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for 'grep -q "^listening" "$_lab_listener_log" 2>/dev/null' 5 ||
		fail "TCP listener on port $2 did not start: $(cat "$3.err")"
}

# Names of the lab's addresses, as lab_dns_up serves them (A, AAAA and PTR).
LAB_NAME_HOST=host.lab.example
LAB_NAME_R1=r1.lab.example
LAB_NAME_R2=r2.lab.example
LAB_NAME_TARGET=target.lab.example
export LAB_NAME_HOST LAB_NAME_R1 LAB_NAME_R2 LAB_NAME_TARGET

# lab_dns_up [DNSMASQ-ARG...]: a DNS server (Debian's dnsmasq) inside
# NS_HOST on 127.0.0.1:53 serving the names above for every address of the
# lab, and NS_HOST's own resolv.conf pointing at it (ip netns exec
# bind-mounts /etc/netns/NS_HOST/resolv.conf over /etc/resolv.conf).  It
# asks no other server (--no-resolv) and reads no hosts file.  Extra
# arguments go to dnsmasq, e.g. --txt-record=NAME,TEXT.  Returns once the
# server answers; the server and the directory go with the lab.
lab_dns_up()
{
	local dnsmasq dir

	dnsmasq=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
	[[ -x "$dnsmasq" ]] || skip "needs dnsmasq (Debian: dnsmasq-base)"
	dir=/etc/netns/$NS_HOST
	mkdir -p "$dir" || fail "lab: cannot create $dir"
	lab_at_exit rm -rf -- "$dir"
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' \
		>"$dir/resolv.conf"
	bg_start "$NS_HOST" "$dnsmasq" --keep-in-foreground --no-resolv \
		--no-hosts --no-poll --user=root --pid-file= \
		--listen-address=127.0.0.1 --bind-interfaces --port=53 \
		--log-facility=- --conf-file=/dev/null \
		"--host-record=$LAB_NAME_HOST,$LAB_HOST4,$LAB_HOST6" \
		"--host-record=$LAB_NAME_R1,$LAB_R1_4,$LAB_R1_6" \
		"--host-record=$LAB_NAME_R1,$LAB_R1_NEXT4,$LAB_R1_NEXT6" \
		"--host-record=$LAB_NAME_R2,$LAB_R2_4,$LAB_R2_6" \
		"--host-record=$LAB_NAME_R2,$LAB_R2_NEXT4,$LAB_R2_NEXT6" \
		"--host-record=$LAB_NAME_TARGET,$LAB_TARGET4,$LAB_TARGET6" \
		"$@" </dev/null >/dev/null 2>&1
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for 'in_ns "$NS_HOST" getent ahostsv4 "$LAB_NAME_TARGET" >/dev/null 2>&1' 5 ||
		fail "lab: dnsmasq does not answer in $NS_HOST"
}

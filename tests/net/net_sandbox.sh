#!/bin/bash
#
# net_sandbox.sh: the worker runs its event loop under the seccomp filter
# (probe/sandbox.c), and everything still works there.
#
# For each way of starting it, the worker is given a FIFO as stdin and
# nothing written to it; then:
#   - /proc/PID/status must show `Seccomp: 2` (filter mode) and
#     `Seccomp_filters: 1` before the first byte of input is written;
#   - the requests follow: every protocol (SCTP where the worker says it
#     is supported) in both families, to the target (reply) and with
#     ttl 1 (ttl-expired from r1); a mark; local-device, and an unknown
#     device (invalid-argument: the name lookup runs under the filter);
#     local-port, twice the same and one for TCP; a timeout into the
#     black hole (no-reply); local-ip-4; check-support.  Each must be
#     answered as without the filter;
#   - at end of input the worker must exit 0: a call outside the list
#     would have killed it with SIGSYS (status 159), which is reported
#     together with the kernel's record of the call when dmesg shows it.
# The ways: root (raw sockets), setuid root and file capabilities started
# by uid 65534 (raw sockets, privilege dropped), and a plain copy started
# by uid 65534 (no privilege: per-probe sockets, see net_unprivileged.sh).
# Last, SIGTERM to a confined worker ends it with status 143, not SIGSYS,
# and a call outside the list, made inside the running worker by gdb,
# kills it with SIGSYS.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping setpriv setcap findmnt "$HOPPROBE"

NOBODY=65534
RTT='round-trip-time [0-9]+'

T=$(mktemp -d /tmp/net_sandbox.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
chmod 755 "$T" || fail "chmod $T"
SUID_OK=1
case ",$(findmnt -no OPTIONS -T "$T")," in
*,nosuid,*) SUID_OK=0 ;;
esac
for copy in suid fcaps plain; do
	cp "$HOPPROBE" "$T/hopprobe-$copy" || fail "cp $HOPPROBE"
	chown root:root "$T/hopprobe-$copy" || fail "chown"
	chmod 755 "$T/hopprobe-$copy" || fail "chmod"
done
chmod 4755 "$T/hopprobe-suid" || fail "chmod 4755"
setcap cap_net_raw,cap_net_admin+ep "$T/hopprobe-fcaps" || SUID_OK=0
setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups \
	test -x "$T/hopprobe-plain" || skip "uid $NOBODY cannot execute files in $T"

lab_up
# ICMP without privilege needs the user in ping_group_range.
in_ns "$NS_HOST" sh -c "echo '$NOBODY $NOBODY' > /proc/sys/net/ipv4/ping_group_range" ||
	fail "cannot set ping_group_range in $NS_HOST"

FAMILIES=(4)
((LAB_HAVE_IPV6)) && FAMILIES+=(6)
declare -A TARGET=([4]="$LAB_TARGET4" [6]="$LAB_TARGET6")
declare -A R1=([4]="$LAB_R1_4" [6]="$LAB_R1_6")
declare -A BLACKHOLE=([4]="$LAB_BLACKHOLE4" [6]="$LAB_BLACKHOLE6")
PROTOS=(icmp udp tcp sctp)

# proc_field PID FIELD: a field of /proc/PID/status, or nothing.
proc_field()
{
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null
}

# exited PID: the process is gone or a zombie waiting to be reaped.
# (Called from wait_for's conditions, which shellcheck does not follow.)
# shellcheck disable=SC2317
exited()
{
	[[ ! -e /proc/$1/status ]] || [[ "$(proc_field "$1" State)" == Z* ]]
}

# session NAME USER BINARY REQFILE: start BINARY as USER (root or nobody)
# in the host namespace with a FIFO as stdin, check the filter before any
# input, feed REQFILE, close stdin and collect the replies in $T/NAME.out
# and the exit status in $T/NAME.rc.
session()
{
	local name=$1 user=$2 binary=$3 req=$4 fifo=$T/$1.fifo pid w rc
	local -a as=()

	[[ "$user" == nobody ]] &&
		as=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups)
	mkfifo -m 644 "$fifo" || fail "mkfifo"
	# The child opens the FIFO itself, so it holds no write end of it;
	# each step execs in place, so the PID is the worker's.
	# shellcheck disable=SC2016 # expanded by the inner bash
	bg_start "$NS_HOST" bash -c 'exec "$@" <"$0"' "$fifo" "${as[@]}" \
		"$binary" >"$T/$name.out" 2>"$T/$name.err" </dev/null
	pid=$(bg_pid)
	exec {w}<>"$fifo"
	# shellcheck disable=SC2016 # wait_for evaluates it
	if wait_for '[[ "$(proc_field "$pid" Seccomp)" == 2 ]] || exited "$pid"' 5 &&
		[[ "$(proc_field "$pid" Seccomp)" == 2 ]]; then
		ok "$name: Seccomp: 2 before any input ($(proc_field "$pid" Name), uid $(proc_field "$pid" Uid | cut -f1))"
	else
		not_ok "$name: Seccomp is '$(proc_field "$pid" Seccomp)', not 2, before any input"
	fi
	check "$name: Seccomp_filters: 1" \
		test "$(proc_field "$pid" Seccomp_filters)" == 1
	cat "$req" >&"$w"
	exec {w}>&-
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for 'exited "$pid"' 30 || kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	printf '%s\n' "$rc" >"$T/$name.rc"
	if ((rc == 128 + 31)); then
		not_ok "$name: the worker was killed by SIGSYS: a call outside the allow-list"
		dmesg 2>/dev/null | grep "pid=$pid .*type=1326\|type=1326.*pid=$pid " |
			tail -n 3 | sed 's/^/#   /'
	fi
	check "$name: exits 0 after end of input (status $rc)" test "$rc" == 0
	check "$name: nothing on stderr" test ! -s "$T/$name.err"
	sed "s/^/# $name: /" "$T/$name.out"
}

# reply_to NAME TOKEN: the reply to TOKEN in session NAME, without it.
reply_to()
{
	sed -n "s/^$2 //p" "$T/$1.out" | head -n 1
}

# expect NAME TOKEN REGEX DESC: the reply to TOKEN matches REGEX.
expect()
{
	local got

	got=$(reply_to "$1" "$2")
	if [[ "$got" =~ ^$3$ ]]; then
		ok "$1: $4 ($got)"
	else
		not_ok "$1: $4: got '${got:-nothing}', want '$3'"
	fi
}

# requests FILE PRIVILEGED: write the request set (tokens fixed, see
# check_answers).
requests()
{
	local fam p i

	{
		printf '1 check-support feature version\n'
		printf '2 check-support feature sctp\n'
		printf '3 check-support feature mark\n'
		printf '4 check-support feature ip-6\n'
		for fam in "${FAMILIES[@]}"; do
			for i in "${!PROTOS[@]}"; do
				p=${PROTOS[$i]}
				printf '%d send-probe ip-%s %s protocol %s\n' \
					$((fam * 100 + i)) "$fam" "${TARGET[$fam]}" "$p"
				printf '%d send-probe ip-%s %s protocol %s ttl 1\n' \
					$((fam * 100 + 10 + i)) "$fam" "${TARGET[$fam]}" "$p"
			done
			printf '%d send-probe ip-%s %s mark 7\n' \
				$((fam * 100 + 20)) "$fam" "${TARGET[$fam]}"
			printf '%d send-probe ip-%s %s protocol udp local-device %s\n' \
				$((fam * 100 + 21)) "$fam" "${TARGET[$fam]}" "$LAB_IF_HOST"
			printf '%d send-probe ip-%s %s local-device nosuch0\n' \
				$((fam * 100 + 22)) "$fam" "${TARGET[$fam]}"
			printf '%d send-probe ip-%s %s protocol udp local-port 40001\n' \
				$((fam * 100 + 23)) "$fam" "${TARGET[$fam]}"
			printf '%d send-probe ip-%s %s protocol udp local-port 40001\n' \
				$((fam * 100 + 24)) "$fam" "${TARGET[$fam]}"
			printf '%d send-probe ip-%s %s protocol tcp local-port 40002\n' \
				$((fam * 100 + 25)) "$fam" "${TARGET[$fam]}"
			printf '%d send-probe ip-%s %s timeout 1 protocol udp\n' \
				$((fam * 100 + 26)) "$fam" "${BLACKHOLE[$fam]}"
		done
		printf '27 send-probe ip-4 %s local-ip-4 %s protocol udp\n' \
			"$LAB_TARGET4" "$LAB_HOST4"
	} >"$1"
}

# check_answers NAME PRIVILEGED: the answers of session NAME.
check_answers()
{
	local name=$1 priv=$2 fam i p t sctp

	expect "$name" 1 "feature-support support [0-9.]+" "check-support version"
	sctp=$(reply_to "$name" 2)
	if ((priv)); then
		expect "$name" 3 "feature-support support ok" "check-support mark: ok"
	else
		expect "$name" 2 "feature-support support no" "check-support sctp: no"
		expect "$name" 3 "feature-support support no" "check-support mark: no"
	fi
	for fam in "${FAMILIES[@]}"; do
		for i in "${!PROTOS[@]}"; do
			p=${PROTOS[$i]}
			t=$((fam * 100 + i))
			if [[ $p == sctp && "$sctp" != "feature-support support ok" ]]; then
				if ((priv)); then
					ok "$name: IPv$fam sctp not supported here ($sctp)"
				else
					expect "$name" "$t" "permission-denied" "IPv$fam sctp: permission-denied"
					expect "$name" $((t + 10)) "permission-denied" "IPv$fam sctp ttl 1: permission-denied"
				fi
				continue
			fi
			expect "$name" "$t" "reply ip-$fam $(re_escape "${TARGET[$fam]}") $RTT" \
				"IPv$fam $p: reply from the target"
			expect "$name" $((t + 10)) "ttl-expired ip-$fam $(re_escape "${R1[$fam]}") $RTT" \
				"IPv$fam $p ttl 1: ttl-expired from r1"
		done
		t=$((fam * 100))
		if ((priv)); then
			expect "$name" $((t + 20)) "reply ip-$fam $(re_escape "${TARGET[$fam]}") $RTT" \
				"IPv$fam mark 7: reply"
		else
			expect "$name" $((t + 20)) "permission-denied" "IPv$fam mark 7: permission-denied"
		fi
		expect "$name" $((t + 21)) "reply ip-$fam $(re_escape "${TARGET[$fam]}") $RTT" \
			"IPv$fam local-device $LAB_IF_HOST: reply"
		expect "$name" $((t + 22)) "invalid-argument" "IPv$fam local-device nosuch0: invalid-argument"
		expect "$name" $((t + 23)) "reply ip-$fam $(re_escape "${TARGET[$fam]}") $RTT" \
			"IPv$fam udp local-port 40001: reply"
		expect "$name" $((t + 24)) "reply ip-$fam $(re_escape "${TARGET[$fam]}") $RTT" \
			"IPv$fam udp local-port 40001 again: reply"
		expect "$name" $((t + 25)) "reply ip-$fam $(re_escape "${TARGET[$fam]}") $RTT" \
			"IPv$fam tcp local-port 40002: reply"
		expect "$name" $((t + 26)) "no-reply" "IPv$fam black hole, timeout 1: no-reply"
	done
	expect "$name" 27 "reply ip-4 $(re_escape "$LAB_TARGET4") $RTT" "local-ip-4 $LAB_HOST4: reply"
}

requests "$T/probes.req"

# ---- root: raw sockets ------------------------------------------------------
session root root "$HOPPROBE" "$T/probes.req"
check_answers root 1

# ---- setuid root and file capabilities, started by uid 65534 -----------------
if ((SUID_OK)); then
	session suid nobody "$T/hopprobe-suid" "$T/probes.req"
	check_answers suid 1
	session fcaps nobody "$T/hopprobe-fcaps" "$T/probes.req"
	check_answers fcaps 1
else
	printf '# %s is on a nosuid mount or setcap failed: no setuid or file capability runs\n' "$T"
fi

# ---- no privilege: uid 65534, a plain copy -----------------------------------
session unprivileged nobody "$T/hopprobe-plain" "$T/probes.req"
check_answers unprivileged 0

# ---- SIGTERM on the loop -------------------------------------------------------
# The handler's calls (eventfd write, sigreturn, the restore of stdin's
# flags and of the dispositions) are allowed: the worker exits 128 + 15.
mkfifo -m 644 "$T/term.fifo" || fail "mkfifo"
# shellcheck disable=SC2016 # expanded by the inner bash
bg_start "$NS_HOST" bash -c 'exec "$0" <"$1"' "$HOPPROBE" "$T/term.fifo" \
	>"$T/term.out" 2>"$T/term.err" </dev/null
pid=$(bg_pid)
exec {w}<>"$T/term.fifo"
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[[ "$(proc_field "$pid" Seccomp)" == 2 ]] || exited "$pid"' 5
check "SIGTERM: the worker is confined before the signal" \
	test "$(proc_field "$pid" Seccomp)" == 2
kill -TERM "$pid"
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for 'exited "$pid"' 10 || kill -KILL "$pid" 2>/dev/null
wait "$pid"
rc=$?
exec {w}>&-
check "SIGTERM: the worker exits 143, not by SIGSYS (status $rc)" test "$rc" == 143

# ---- a call outside the list kills the worker itself ------------------------
# gdb (root may trace the non-dumpable worker) makes the running, confined
# worker call getuid(2), which is on no list (not even the sanitizer
# build's): the kernel must kill it with SIGSYS (status 128 + 31).  The filter's own tests
# (tests/unit/test_sandbox.c) go through many more calls; this one shows
# that the filter they test is the one the worker runs under.
if command -v gdb >/dev/null 2>&1; then
	mkfifo -m 644 "$T/gdb.fifo" || fail "mkfifo"
	# shellcheck disable=SC2016 # expanded by the inner bash
	bg_start "$NS_HOST" bash -c 'exec "$0" <"$1"' "$HOPPROBE" "$T/gdb.fifo" \
		>"$T/gdb.out" 2>"$T/gdb.err" </dev/null
	pid=$(bg_pid)
	exec {w}<>"$T/gdb.fifo"
	echo "1 check-support feature version" >&"$w"
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for 'grep -q "^1 " "$T/gdb.out" || exited "$pid"' 5
	check "gdb: the worker answers and is confined before the call" \
		test "$(proc_field "$pid" Seccomp)" == 2
	timeout 60 gdb -q -p "$pid" -batch -ex 'call (long)getuid()' \
		>"$T/gdb.log" 2>&1
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for 'exited "$pid"' 10 || kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	exec {w}>&-
	check "gdb: getuid() inside the worker kills it with SIGSYS (status $rc, want 159)" \
		test "$rc" == 159
else
	printf '# no gdb: the in-worker SIGSYS check is left to test_sandbox\n'
fi

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

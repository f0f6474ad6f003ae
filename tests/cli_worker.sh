#!/bin/bash
#
# cli_worker.sh: the worker's request parsing, without a lab and without
# root.  Every expected reply is the one hopprobe(8) documents (PROTOCOL,
# COMMANDS, REPLIES):
#   - lines answered "0 command-parse-error": a token that is not plain
#     decimal digits or is above 2147483647, an empty or blank line, fewer
#     than two tokens, an argument name without a value (also ahead of an
#     unknown command), a NUL byte;
#   - "TOKEN unknown-command" for a well-formed line with another command
#     (names are case-sensitive);
#   - check-support: version (from configure.ac), send-probe, an unknown
#     name, a missing feature argument, the last of two values, any run of
#     white space between tokens; mark and sctp by privilege;
#   - send-probe values out of range, signed, hexadecimal, fractional or
#     absurdly long: invalid-argument; a missing destination and an unknown
#     protocol with their reasons; a value error ahead of a missing
#     destination; addresses of the wrong family; a bad interface name;
#   - a line of 4095 bytes is a request, one of 4096 is answered
#     "0 command-buffer-overflow" once, as soon as its 4096th byte arrives
#     (the test waits for that reply before it sends the newline), and the
#     rest of it is never taken as a request;
#   - a last line without its newline is answered; at end of input the
#     worker exits 0 and writes nothing on stderr.
# Each malformed line goes to a worker of its own, followed by a good
# request, so that one bad line cannot hide another's reply and the good
# one shows that the worker read on.  The only probes are UDP to
# 127.0.0.1, which an unprivileged worker can send too.
#
# It runs the worker as the user running the test; run by root, once as
# root (raw sockets) and once more as uid 65534 through setpriv (the
# unprivileged mode), when that user can execute the worker.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, the system python3.
# The checking functions are called through check(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

TESTS_SRCDIR=${TESTS_SRCDIR:-$(cd "$(dirname "$0")" && pwd)}
HOPPROBE=${HOPPROBE:-$TESTS_SRCDIR/../probe/hopprobe}
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}
NOBODY=65534

# shellcheck source=net/lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
[[ -x "$HOPPROBE" ]] || skip "no worker at $HOPPROBE"
command -v "$PYTHON3_SYSTEM" >/dev/null || skip "needs $PYTHON3_SYSTEM"
command -v timeout >/dev/null || skip "needs timeout"

T=$(mktemp -d /tmp/cli_worker.XXXXXX) || fail "mktemp"
trap 'rm -rf "$T"' EXIT

VERSION=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$TESTS_SRCDIR/../configure.ac" 2>/dev/null)
VERSION_RE=$(re_escape "${VERSION:-}")
if [[ -z "$VERSION" ]]; then
	# Without configure.ac: at least a dotted version number.
	VERSION_RE='[0-9]+(\.[0-9]+)+[^ ]*'
fi
RTT='round-trip-time [0-9]+'
LO_REPLY="reply ip-4 127\\.0\\.0\\.1 $RTT"
GOOD='1 check-support feature send-probe\n'
GOOD_RE='1=feature-support support ok'

# run NAME STEP...: queue a worker run with worker_script.py's steps; its
# replies go to $T/NAME.  flush runs the queue, in one worker_script.py,
# then the checks queued with later.
run()
{
	local name=$1 step

	shift
	for step in "$@"; do
		printf '%s\t%s\n' "$name" "$step" >>"$T/script"
	done
}

# later CMD...: run CMD (a check) once flush has run the workers.
later()
{
	PENDING+=("$(printf '%q ' "$@")")
}

flush()
{
	local cmd

	timeout 300 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/worker_script.py" \
		"$T" "$T/script" -- "${AS[@]}" "$HOPPROBE" ||
		not_ok "$MODE: worker_script.py failed (status $?)"
	for cmd in "${PENDING[@]}"; do
		eval "$cmd"
	done
	PENDING=()
	: >"$T/script"
}

# clean_run NAME N: run NAME got N reply lines and no partial line,
# exited 0 with nothing on stderr, and no wait ran out.
clean_run()
{
	local name=$1 n rc=0

	n=$(grep -c '' "$T/$name" 2>/dev/null)
	if ((n != $2)); then
		printf '%s reply line(s), want %d:\n' "${n:-no}" "$2"
		sed 's/^/  /' "$T/$name" 2>/dev/null
		rc=1
	fi
	if [[ -s "$T/$name.tail" ]]; then
		printf 'partial reply line: %s\n' "$(cat "$T/$name.tail")"
		rc=1
	fi
	if [[ "$(cat "$T/$name.status" 2>/dev/null)" != 0 ]]; then
		printf 'exit status, waits: %s\n' "$(cat "$T/$name.status" 2>/dev/null)"
		rc=1
	fi
	if [[ -s "$T/$name.err" ]]; then
		printf 'stderr:\n'
		head -n 5 "$T/$name.err"
		rc=1
	fi
	return "$rc"
}

# replies_are NAME TOKEN=REGEX...: run NAME ended cleanly with exactly
# these replies, one to each TOKEN (reply_matches).
replies_are()
{
	local name=$1 want rc=0

	shift
	clean_run "$name" "$#" || rc=1
	for want in "$@"; do
		reply_matches "$T/$name" "${want%%=*}" "${want#*=}" || rc=1
	done
	return "$rc"
}

# overflows_then_good NAME N: run NAME got N lines "0 command-buffer-overflow"
# and the good request's reply, nothing else.
overflows_then_good()
{
	local n other

	n=$(grep -cx '0 command-buffer-overflow' "$T/$1")
	other=$(grep -vx '0 command-buffer-overflow' "$T/$1")
	if ((n != $2)); then
		printf '%d overflow replies, want %d\n' "$n" "$2"
		return 1
	fi
	if [[ "$other" != "${GOOD_RE%%=*} ${GOOD_RE#*=}" ]]; then
		printf 'other replies: %s\n' "${other:-none}"
		return 1
	fi
}

# one DESC REQUEST TOKEN=REGEX...: REQUEST (worker_script.py escapes, a
# newline added) alone in a worker, then the good request; the replies
# must be exactly the ones given and the good one.
one()
{
	local desc=$1 req=$2

	shift 2
	CASE=$((CASE + 1))
	run "c$CASE" "write:$req\\n$GOOD" eof
	later check "$MODE: $desc" replies_are "c$CASE" "$@" "$GOOD_RE"
}

# add DESC REST REGEX: one more request "TOKEN REST" (a fresh token) in
# the batch run $BATCH, whose reply must be "TOKEN " and a match of REGEX.
# Requests answered with their own token can share a worker.
add()
{
	TOK=$((TOK + 1))
	BATCH_REQ+="$TOK $2\\n"
	BATCH_N=$((BATCH_N + 1))
	later check "$MODE: $1" reply_matches "$T/$BATCH" "$TOK" "$3"
}

# batch NAME: start a batch; batch_end: queue its run and the check that
# it got one reply per request and ended cleanly.
batch()
{
	BATCH=$1 BATCH_REQ="" BATCH_N=0
}

batch_end()
{
	run "$BATCH" "write:$BATCH_REQ" eof
	later check "$MODE: $BATCH: $BATCH_N replies, exit 0, nothing on stderr" \
		clean_run "$BATCH" "$BATCH_N"
}

# checks PRIVILEGED: every check, for a worker that holds privilege (1) or
# runs unprivileged (0).
checks()
{
	local priv=$1 long v

	# ---- parse errors ----------------------------------------------------
	one "a token of letters is a parse error" \
		'abc check-support feature version' '0=command-parse-error'
	one "a signed token is a parse error" \
		'-1 check-support feature version' '0=command-parse-error'
	one "a token with a plus sign is a parse error" \
		'+1 check-support feature version' '0=command-parse-error'
	one "a hexadecimal token is a parse error" \
		'0x1 check-support feature version' '0=command-parse-error'
	one "a fractional token is a parse error" \
		'1.5 check-support feature version' '0=command-parse-error'
	one "token 2147483648 is a parse error" \
		'2147483648 check-support feature version' '0=command-parse-error'
	one "a 30-digit token is a parse error" \
		'999999999999999999999999999999 check-support feature version' \
		'0=command-parse-error'
	one "an empty line is a parse error" '' '0=command-parse-error'
	one "a line of blanks is a parse error" ' \t \t' '0=command-parse-error'
	one "a lone token is a parse error" '5' '0=command-parse-error'
	one "an argument name without a value is a parse error" \
		'6 send-probe ip-4 127.0.0.1 timeout' '0=command-parse-error'
	one "a parse error comes before an unknown command" \
		'7 frobnicate ttl' '0=command-parse-error'
	one "a NUL byte inside a value is a parse error" \
		'8 check-support feature send\x00probe' '0=command-parse-error'
	one "a NUL byte at the start of a line is a parse error" \
		'\x009 check-support feature send-probe' '0=command-parse-error'

	# ---- tokens and commands ---------------------------------------------
	one "token 2147483647 is accepted" \
		'2147483647 check-support feature send-probe' \
		'2147483647=feature-support support ok'
	one "token 0 is accepted" '0 check-support feature send-probe' \
		'0=feature-support support ok'
	batch commands
	add "an unknown command" 'frobnicate' 'unknown-command'
	add "command names are case-sensitive (CHECK-SUPPORT)" \
		'CHECK-SUPPORT feature version' 'unknown-command'
	add "command names are case-sensitive (Send-Probe)" \
		'Send-Probe ip-4 127.0.0.1' 'unknown-command'

	# ---- check-support ---------------------------------------------------
	add "check-support feature version is the package version" \
		'check-support feature version' "feature-support support $VERSION_RE"
	add "check-support: an unknown feature is no" \
		'check-support feature no-such-feature' 'feature-support support no'
	add "check-support without a feature is invalid-argument" \
		'check-support' 'invalid-argument'
	add "check-support: of two feature arguments the last counts" \
		'check-support feature no-such-feature feature send-probe' \
		'feature-support support ok'
	add "tabs, runs of spaces, a vertical tab, a form feed and CR separate tokens" \
		'\tcheck-support  \t feature\x0b\x0csend-probe\r' \
		'feature-support support ok'
	add "check-support feature udp is ok" \
		'check-support feature udp' 'feature-support support ok'
	if ((priv)); then
		v=ok
	else
		v=no
	fi
	if [[ -n "$priv" ]]; then
		add "check-support feature mark is $v" 'check-support feature mark' \
			"feature-support support $v"
		add "check-support feature sctp is $v" 'check-support feature sctp' \
			"feature-support support $v"
	fi

	# ---- send-probe values -----------------------------------------------
	local bad
	for bad in 'ttl 0' 'ttl 256' 'ttl -1' 'ttl +5' 'ttl 0x10' 'ttl 1.5' \
		'ttl 5x' 'ttl 99999999999999999999999999999' 'tos 256' \
		'size 65536' 'bit-pattern 256' 'timeout 86401' 'timeout -1' \
		'port 0' 'port 65536' 'local-port 1023' 'local-port 65536' \
		'mark 4294967296' 'mark 99999999999999999999'; do
		add "send-probe $bad is invalid-argument" \
			"send-probe ip-4 127.0.0.1 protocol udp timeout 1 $bad" \
			'invalid-argument'
	done
	for bad in 'ip-4 localhost' 'ip-4 ::1' 'ip-6 127.0.0.1' \
		'ip-4 127.0.0.1 ip-6 ::1' 'ip-4 127.0.0.1 local-ip-6 ::1' \
		'ip-4 127.0.0.1 local-ip-4 127.0.0.1 local-ip-6 ::1' \
		'ip-4 127.0.0.1 local-device abcdefghijklmnop' \
		'ip-4 127.0.0.1 local-device no-such-if0'; do
		add "send-probe $bad is invalid-argument" \
			"send-probe $bad protocol udp timeout 1" 'invalid-argument'
	done
	add "send-probe without a destination: reason ip-version-not-supported" \
		'send-probe protocol udp timeout 1' \
		'invalid-argument reason ip-version-not-supported'
	add "a value error is reported before a missing destination" \
		'send-probe protocol udp ttl 0' 'invalid-argument'
	add "an unknown protocol: reason protocol-not-supported" \
		'send-probe ip-4 127.0.0.1 protocol frob timeout 1' \
		'invalid-argument reason protocol-not-supported'
	add "UDP to 127.0.0.1 with leading zeros and an unknown argument is answered" \
		'send-probe ip-4 127.0.0.1 protocol udp ttl 064 no-such-argument 1 timeout 5' \
		"$LO_REPLY"
	add "ttl 255 is in range" \
		'send-probe ip-4 127.0.0.1 protocol udp ttl 255 timeout 5' "$LO_REPLY"
	add "ttl 1 is in range" \
		'send-probe ip-4 127.0.0.1 protocol udp ttl 1 timeout 5' "$LO_REPLY"
	if [[ "$priv" == 0 ]]; then
		add "mark 5 without privilege is permission-denied" \
			'send-probe ip-4 127.0.0.1 protocol udp mark 5 timeout 5' \
			'permission-denied'
	fi
	batch_end

	# ---- line length -----------------------------------------------------
	CASE=$((CASE + 1))
	run "c$CASE" 'pad:4095:40 send-probe ip-4 127.0.0.1 protocol udp timeout 5 pad ' \
		"write:\\n$GOOD" eof
	later check "$MODE: a line of 4095 bytes is a request" \
		replies_are "c$CASE" "40=$LO_REPLY" "$GOOD_RE"
	CASE=$((CASE + 1))
	run "c$CASE" 'pad:4096:41 check-support feature send-probe pad ' \
		"write:\\n$GOOD" eof
	later check "$MODE: a line of 4096 bytes is command-buffer-overflow" \
		replies_are "c$CASE" '0=command-buffer-overflow' "$GOOD_RE"
	CASE=$((CASE + 1))
	long=$(printf 'x%.0s' {1..4100})
	run "c$CASE" "write:42 check-support feature version pad $long 43 check-support feature send-probe\\n$GOOD" eof
	later check "$MODE: the rest of an over-long line is never a request" \
		replies_are "c$CASE" '0=command-buffer-overflow' "$GOOD_RE"
	CASE=$((CASE + 1))
	run "c$CASE" "write:44 check-support feature send-probe $long $long\\n45 $long\\n$GOOD" eof
	later check "$MODE: two over-long lines are answered once each, the next request too" \
		overflows_then_good "c$CASE" 2
	CASE=$((CASE + 1))
	run "c$CASE" 'pad:4096:46 check-support feature version pad ' replies:1 \
		"write:xx\\n$GOOD" eof
	later check "$MODE: the overflow is answered before the line's newline is sent" \
		replies_are "c$CASE" '0=command-buffer-overflow' "$GOOD_RE"

	# ---- end of input ----------------------------------------------------
	CASE=$((CASE + 1))
	run "c$CASE" "write:${GOOD}50 check-support feature send-probe" eof
	later check "$MODE: a last line without newline is answered (check-support)" \
		replies_are "c$CASE" "$GOOD_RE" '50=feature-support support ok'
	CASE=$((CASE + 1))
	run "c$CASE" "write:${GOOD}51 send-probe ip-4 127.0.0.1 protocol udp timeout 5" eof
	later check "$MODE: a last line without newline is answered (send-probe)" \
		replies_are "c$CASE" "$GOOD_RE" "51=$LO_REPLY"
	CASE=$((CASE + 1))
	run "c$CASE" eof
	later check "$MODE: empty input: no reply, exit 0, nothing on stderr" \
		replies_are "c$CASE"
}

# ---- options ----------------------------------------------------------------
out=$(timeout 10 "$HOPPROBE" --version 2>&1)
check "--version prints 'hopprobe VERSION (reply names of mtr X)'" \
	test -n "$(printf '%s\n' "$out" | grep -xE "hopprobe $VERSION_RE \(reply names of mtr [0-9.]+\)")"
timeout 10 "$HOPPROBE" --no-such-option </dev/null >"$T/usage.out" 2>"$T/usage.err"
rc=$?
check "an unknown option exits 2 (status $rc)" test "$rc" -eq 2
check "an unknown option prints the usage on stderr" \
	grep -q '^usage: hopprobe' "$T/usage.err"

CASE=0
TOK=100
PENDING=()
: >"$T/script"
if (($(id -u) == 0)); then
	AS=()
	MODE=root
	checks 1
	flush
	if command -v setpriv >/dev/null &&
		setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups \
			test -x "$HOPPROBE" 2>/dev/null; then
		AS=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups)
		MODE="uid $NOBODY"
		checks 0
		flush
	else
		printf '# uid %s cannot run %s: the unprivileged mode is not checked\n' \
			"$NOBODY" "$HOPPROBE"
	fi
else
	AS=()
	MODE="uid $(id -u)"
	# A copy with file capabilities or the setuid bit holds privilege even
	# when run by this user; then the privilege-dependent answers are left
	# out.
	priv=0
	if [[ -u "$HOPPROBE" ]] ||
		{ command -v getcap >/dev/null && [[ -n "$(getcap "$HOPPROBE" 2>/dev/null)" ]]; }; then
		priv=""
	fi
	checks "$priv"
	flush
fi

# checks and failures are lib.sh's counters.
# shellcheck disable=SC2154
printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0))

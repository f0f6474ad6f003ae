#!/bin/bash
#
# net_eof.sh: end of file on stdin (protocol: "When stdin reaches end of
# file the worker keeps running until every outstanding probe has been
# answered, then exits with status 0").
#
#   - 5 probes into r2's black hole with `timeout 2` and 1 to the target,
#     then stdin closed at once: the target's reply comes first, the 5
#     no-reply after 2 s (at most 0.5 s later), and the worker exits 0
#     only after the last of them.  While it waits, between 0.3 s and
#     1.8 s after the end of file, its CPU time (utime + stime from
#     /proc/PID/stat), sampled twice 1 s apart, may grow by 2 clock ticks
#     at most: waiting must not be a busy loop (a loop spinning on the
#     readable end of file would burn the whole second).
#   - end of file with nothing outstanding: exit 0 at once (within 1 s),
#     for empty input and after a probe has been answered;
#   - a last line without its newline is still a request and is answered.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, the system python3.
# The checking functions are called through check(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping timeout awk getconf "$PYTHON3_SYSTEM" "$HOPPROBE"

# no-reply may come at most 0.5 s after the timeout; the test adds this
# much (microseconds) for its own scheduling and pipe delays.
ALLOWANCE_US=150000
# Most clock ticks the waiting worker may use in 1 s.
MAX_TICKS=2

failures=0

# eof_check.py runs one hopprobe in the lab's host namespace (see there
# for what it writes to $T/NAME.out and $T/NAME.out.replies).

# drive NAME CLOSE_AFTER SAMPLES: run the driver on $T/NAME.req.
drive()
{
	timeout 40 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/eof_check.py" \
		"$NS_HOST" "$HOPPROBE" "$T/$1.req" "$T/$1.out" "$2" "$3" ||
		not_ok "driver for run '$1' failed (status $?)"
}

# field NAME KEY N: field N of the first line of run NAME starting KEY.
field()
{
	awk -v k="$2" -v n="$3" '$1 == k { print $n; exit }' "$T/$1.out"
}

# reply_at NAME TOKEN: microseconds at which TOKEN was answered.
reply_at()
{
	awk -v t="$2" '$1 ~ /^[0-9]+$/ && $2 == t { print $1; exit }' "$T/$1.out"
}

# replies NAME: the reply lines of run NAME, without the times.
replies()
{
	awk '$1 ~ /^[0-9]+$/ { $1 = ""; print substr($0, 2) }' "$T/$1.out"
}

# between VALUE MIN MAX WHAT: MIN <= VALUE <= MAX (integers).
between()
{
	if [[ ! "$1" =~ ^[0-9]+$ ]]; then
		printf '%s: no value\n' "$4"
		return 1
	fi
	if (($1 < $2 || $1 > $3)); then
		printf '%s: %d, want %d .. %d\n' "$4" "$1" "$2" "$3"
		return 1
	fi
}

# exited_clean NAME: status 0 and nothing on stderr.
exited_clean()
{
	local status

	status=$(field "$1" exit 2)
	if [[ "$status" != 0 ]]; then
		printf 'exit status %s, want 0\n' "${status:-none}"
		return 1
	fi
	if [[ -s "$T/$1.out.err" ]]; then
		printf 'stderr:\n'
		head -n 5 "$T/$1.out.err"
		return 1
	fi
}

lab_up
T=$(mktemp -d /tmp/net_eof.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"

TARGET_RE="reply ip-4 $(re_escape "$LAB_TARGET4") round-trip-time [0-9]+"

# ---- probes outstanding at end of file ----------------------------------
#
# Five into the black hole (each protocol, and IPv6 when there is some),
# one to the target, stdin closed right after the write.
{
	printf '11 send-probe ip-4 %s protocol icmp timeout 2\n' "$LAB_BLACKHOLE4"
	printf '12 send-probe ip-4 %s protocol udp timeout 2\n' "$LAB_BLACKHOLE4"
	printf '13 send-probe ip-4 %s protocol tcp timeout 2\n' "$LAB_BLACKHOLE4"
	printf '14 send-probe ip-4 %s protocol sctp timeout 2\n' "$LAB_BLACKHOLE4"
	if ((LAB_HAVE_IPV6)); then
		printf '15 send-probe ip-6 %s protocol icmp timeout 2\n' "$LAB_BLACKHOLE6"
	else
		printf '15 send-probe ip-4 %s protocol udp timeout 2\n' "$LAB_BLACKHOLE4"
	fi
	printf '20 send-probe ip-4 %s timeout 5\n' "$LAB_TARGET4"
} >"$T/pending.req"
drive pending 0 0.4,1.4

eof=$(field pending eof 2)
check "pending: the worker was found (pid $(field pending worker 2), $(field pending worker 3))" \
	test "$(field pending worker 3)" == "$(basename "$HOPPROBE" | cut -c1-15)"
check "pending: the target answers token 20 after end of file" \
	reply_matches "$T/pending.out.replies" 20 "$TARGET_RE"
t20=$(reply_at pending 20)
check "pending: the target's reply comes first (after ${t20:-?} us)" \
	between "${t20:-}" 0 999999 "reply to 20 (us)"
last=0
for tok in 11 12 13 14 15; do
	t=$(reply_at pending "$tok")
	check "pending: token $tok gets no-reply" reply_matches "$T/pending.out.replies" "$tok" no-reply
	check "pending: no-reply to $tok after ${t:-?} us (timeout 2: 2000000 .. $((2500000 + ALLOWANCE_US)))" \
		between "${t:-}" 2000000 $((2500000 + ALLOWANCE_US)) "no-reply to $tok (us)"
	if [[ "${t:-}" =~ ^[0-9]+$ ]] && ((t > last)); then
		last=$t
	fi
done
check "pending: exactly 6 replies" test "$(replies pending | grep -c .)" -eq 6
check "pending: exits 0 with nothing on stderr" exited_clean pending
ex=$(field pending exit 3)
check "pending: exits after the last reply (exit at ${ex:-?} us, last reply at $last us)" \
	between "${ex:-}" "$last" $((last + 500000)) "exit (us)"

# CPU time while waiting: two samples 1 s apart, both inside 0.3 .. 1.8 s
# after the end of file, with the worker still running (not a zombie).
mapfile -t samples < <(awk '$1 == "cpu" { print $2, $3, $4 }' "$T/pending.out")
cpu_ok()
{
	local s1 t1 st1 s2 t2 st2

	if ((${#samples[@]} != 2)); then
		printf 'want 2 samples, got %d\n' "${#samples[@]}"
		return 1
	fi
	read -r s1 t1 st1 <<<"${samples[0]}"
	read -r s2 t2 st2 <<<"${samples[1]}"
	between "$((s1 - eof))" 300000 1800000 "first sample after end of file (us)" &&
		between "$((s2 - eof))" 300000 1800000 "second sample after end of file (us)" &&
		between "$((s2 - s1))" 900000 1100000 "between the samples (us)" || return 1
	if [[ ! "$st1$st2" =~ ^[RSD]{2}$ ]]; then
		printf 'worker state %s then %s: not running while waiting\n' "$st1" "$st2"
		return 1
	fi
	between "$((t2 - t1))" 0 "$MAX_TICKS" "CPU ticks in 1 s" || return 1
}
CLK_TCK=$(getconf CLK_TCK)
check "pending: waiting costs at most $MAX_TICKS ticks of CPU a second (ticks of 1/$CLK_TCK s; samples: ${samples[*]:-none}, end of file at $eof us)" \
	cpu_ok

# ---- nothing outstanding --------------------------------------------------

: >"$T/empty.req"
drive empty 0 -
ex=$(field empty exit 3)
eof=$(field empty eof 2)
check "empty input: exits 0, nothing on stderr" exited_clean empty
check "empty input: no reply at all" test "$(replies empty | grep -c .)" -eq 0
check "empty input: exits within 1 s of end of file ($((${ex:-0} - ${eof:-0})) us)" \
	between "$((${ex:-0} - ${eof:-0}))" 0 1000000 "exit after end of file (us)"

# One probe, answered while stdin is still open; then end of file.
printf '30 send-probe ip-4 %s timeout 5\n' "$LAB_TARGET4" >"$T/answered.req"
drive answered 1 -
ex=$(field answered exit 3)
eof=$(field answered eof 2)
check "answered, then end of file: the probe is answered" \
	reply_matches "$T/answered.out.replies" 30 "$TARGET_RE"
check "answered, then end of file: exits 0, nothing on stderr" exited_clean answered
check "answered, then end of file: exits within 1 s ($((${ex:-0} - ${eof:-0})) us)" \
	between "$((${ex:-0} - ${eof:-0}))" 0 1000000 "exit after end of file (us)"

# ---- a last line without its newline --------------------------------------

printf '40 send-probe ip-4 %s timeout 5\n41 send-probe ip-4 %s protocol udp ttl 1 timeout 5' \
	"$LAB_TARGET4" "$LAB_TARGET4" >"$T/nonl.req"
drive nonl 0 -
check "no final newline: the earlier line is answered" reply_matches "$T/nonl.out.replies" 40 "$TARGET_RE"
check "no final newline: the last line is answered" \
	reply_matches "$T/nonl.out.replies" 41 "ttl-expired ip-4 $(re_escape "$LAB_R1_4") round-trip-time [0-9]+"
check "no final newline: exactly 2 replies" test "$(replies nonl | grep -c .)" -eq 2
check "no final newline: exits 0, nothing on stderr" exited_clean nonl

printf '42 check-support feature send-probe' >"$T/nonl2.req"
drive nonl2 0 -
check "no final newline: a lone check-support line is answered" \
	reply_matches "$T/nonl2.out.replies" 42 "feature-support support ok"
check "no final newline: exits 0, nothing on stderr (check-support)" exited_clean nonl2

if ((failures)); then
	printf '# %d check(s) failed\n' "$failures"
	exit 1
fi
exit 0

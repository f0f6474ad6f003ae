#!/bin/bash
#
# cli_rate.sh: the set-rate command and the check-support names of
# timeout-ms and rate, on the wire, without a lab and without root
# (hopprobe(8), EXTENSIONS):
#   - check-support feature rate and timeout-ms: ok;
#   - set-rate pps N is answered "TOKEN rate-set pps N" for 0, 1, 1000 and
#     100000000 (the largest accepted), leading zeros read as decimal;
#   - set-rate without pps, with another argument instead, or with a value
#     that is not a plain decimal number from 0 to 100000000: "TOKEN
#     invalid-argument"; "pps" without a value: "0 command-parse-error";
#   - the worker built with a ceiling of 500 (tests/hopprobe_maxrate500, as
#     ./configure --with-max-rate=500 builds it) grants 500 for 1000, 501
#     and 0 (no limit), and what is asked for 1, 300 and 500;
#   - both exit 0 at end of input with nothing on stderr.
# No probe is sent.  Each worker runs as the user running the test (the
# unprivileged mode when that is not root).
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# HOPPROBE_MAXRATE500, the same built with the ceiling; TESTS_SRCDIR.
# shellcheck disable=SC2317
set -u

TESTS_SRCDIR=${TESTS_SRCDIR:-$(cd "$(dirname "$0")" && pwd)}
HOPPROBE=${HOPPROBE:-$TESTS_SRCDIR/../probe/hopprobe}
HOPPROBE_MAXRATE500=${HOPPROBE_MAXRATE500:-$TESTS_SRCDIR/hopprobe_maxrate500}

# shellcheck source=net/lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
[[ -x "$HOPPROBE" ]] || skip "no worker at $HOPPROBE"
command -v timeout >/dev/null || skip "needs timeout"

T=$(mktemp -d /tmp/cli_rate.XXXXXX) || fail "mktemp"
trap 'rm -rf "$T"' EXIT
failures=0

# session NAME WORKER: run WORKER on $T/NAME.req; replies to $T/NAME.out.
session()
{
	timeout 20 "$2" <"$T/$1.req" >"$T/$1.out" 2>"$T/$1.err"
	printf '%s\n' "$?" >"$T/$1.status"
}

# exited_clean NAME: status 0, nothing on stderr.
exited_clean()
{
	if [[ "$(cat "$T/$1.status")" != 0 ]]; then
		printf 'exit status %s, want 0\n' "$(cat "$T/$1.status")"
		return 1
	fi
	if [[ -s "$T/$1.err" ]]; then
		head -n 5 "$T/$1.err"
		return 1
	fi
}

# expect NAME TOKEN REPLY...: the one reply to TOKEN is exactly REPLY.
expect()
{
	local name=$1 token=$2 want

	shift 2
	want="$*"
	check "$name: $token ${REQ[$name:$token]} -> $token $want" \
		reply_matches "$T/$name.out" "$token" "$(re_escape "$want")"
}

# request NAME TOKEN TEXT: add "TOKEN TEXT" to run NAME.
declare -A REQ
request()
{
	REQ[$1:$2]=$3
	printf '%s %s\n' "$2" "$3" >>"$T/$1.req"
}

for name in plain ceiling; do
	request "$name" 1 "check-support feature rate"
	request "$name" 2 "check-support feature timeout-ms"
	request "$name" 10 "set-rate pps 1000"
	request "$name" 11 "set-rate pps 0"
	request "$name" 12 "set-rate pps 1"
	request "$name" 13 "set-rate pps 100000000"
	request "$name" 14 "set-rate pps 0300"
	request "$name" 15 "set-rate pps 500"
	request "$name" 16 "set-rate pps 501"
	request "$name" 20 "set-rate"
	request "$name" 21 "set-rate pps x"
	request "$name" 22 "set-rate pps -1"
	request "$name" 23 "set-rate pps +5"
	request "$name" 24 "set-rate pps 1.5"
	request "$name" 25 "set-rate pps 100000001"
	request "$name" 26 "set-rate pps 0x10"
	request "$name" 27 "set-rate rate 5"
	request "$name" 28 "set-rate PPS 5"
	# The last, so that the parse error's token 0 is not mistaken.
	request "$name" 29 "set-rate pps"
done

session plain "$HOPPROBE"
if [[ -x "$HOPPROBE_MAXRATE500" ]]; then
	session ceiling "$HOPPROBE_MAXRATE500"
else
	not_ok "no worker with a ceiling at $HOPPROBE_MAXRATE500 (built by make check)"
	: >"$T/ceiling.out"
	echo 1 >"$T/ceiling.status"
fi

for name in plain ceiling; do
	expect "$name" 1 feature-support support ok
	expect "$name" 2 feature-support support ok
	for t in 20 21 22 23 24 25 26 27 28; do
		expect "$name" "$t" invalid-argument
	done
	check "$name: '29 set-rate pps' -> 0 command-parse-error" \
		reply_matches "$T/$name.out" 0 command-parse-error
	check "$name: 19 replies in all" \
		test "$(grep -c . "$T/$name.out")" -eq 19
	check "$name: exits 0, nothing on stderr" exited_clean "$name"
done

expect plain 10 rate-set pps 1000
expect plain 11 rate-set pps 0
expect plain 12 rate-set pps 1
expect plain 13 rate-set pps 100000000
expect plain 14 rate-set pps 300
expect plain 15 rate-set pps 500
expect plain 16 rate-set pps 501

expect ceiling 10 rate-set pps 500
expect ceiling 11 rate-set pps 500
expect ceiling 12 rate-set pps 1
expect ceiling 13 rate-set pps 500
expect ceiling 14 rate-set pps 300
expect ceiling 15 rate-set pps 500
expect ceiling 16 rate-set pps 500

if ((failures)); then
	printf '# %d check(s) failed\n' "$failures"
	exit 1
fi
exit 0

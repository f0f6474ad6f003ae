#!/bin/bash
#
# net_rate.sh: set-rate (hopprobe(8), EXTENSIONS, rate) in the lab, with
# probes to the lab's target, which answers every one at once
# (tests/net/rate_check.py says how the rate is judged: by the times the
# answers are read):
#   - set-rate pps 1000, then 5,000 probes written at once: all answered,
#     the last 4.99 s after the write (+-10%), no second above the rate,
#     in the order written; with raw sockets (root), and 1,000 probes at
#     500 a second in the unprivileged mode (uid 65534);
#   - the worker built with a ceiling of 500 (tests/hopprobe_maxrate500):
#     500 a second without any set-rate, and set-rate pps 1000 answered
#     rate-set pps 500 and held to it;
#   - set-rate pps 0 while probes wait: they all go at once;
#   - end of input while probes wait: all still answered, then exit 0;
#   - SIGTERM while probes wait: exit 143 at once, without them.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# HOPPROBE_MAXRATE500, the same built with a ceiling of 500; TESTS_SRCDIR,
# the tests/ directory; PYTHON3_SYSTEM, the system python3.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
: "${HOPPROBE_MAXRATE500:?HOPPROBE_MAXRATE500 must name the worker built with a ceiling}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip setpriv sysctl timeout "$PYTHON3_SYSTEM" \
	"$HOPPROBE" "$HOPPROBE_MAXRATE500"
lab_up

unprivileged_worker

failures=0
# run DESC SCENARIO ARGS...: one run of the driver.
run()
{
	printf '# %s\n' "$1"
	shift
	timeout 60 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/rate_check.py" \
		"$NS_HOST" "$1" "$LAB_HAVE_IPV6" "${@:2}" ||
		failures=$((failures + 1))
}

run "raw sockets: 5000 probes at 1000 a second" steady 5000 1000 "$HOPPROBE"
run "unprivileged: 1000 probes at 500 a second" steady 1000 500 \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$UNPRIVILEGED_HOPPROBE"
run "a ceiling of 500" ceiling "$HOPPROBE_MAXRATE500"
run "set-rate pps 0 releases the waiting" lift "$HOPPROBE"
run "end of input" eof "$HOPPROBE"
run "SIGTERM" sigterm "$HOPPROBE"

if ((failures)); then
	printf '# %d run(s) failed\n' "$failures"
	exit 1
fi
exit 0

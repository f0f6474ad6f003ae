#!/bin/bash
#
# net_timeout_ms.sh: timeout-ms (hopprobe(8), EXTENSIONS): millisecond
# timeouts, winning over `timeout`, in both backends.
#
# tests/net/timeout_ms_check.py writes probes into the lab's black holes
# (r2 drops them silently, LAB_BLACKHOLE4/6) and times each no-reply from
# the moment the requests were written: timeout-ms 300 must give no-reply
# after 300 to 450 ms, v4 and v6, ICMP and UDP, also with `timeout 5`
# beside it; timeout-ms 1, 301, 700 and 1200 (with `timeout 0`) and
# `timeout 1` alone their own windows, answered in the order of their
# timeouts where those are 50 ms or more apart.  Run once with raw
# sockets (root) and once as uid 65534 in the unprivileged mode (ping
# sockets admitted by ping_group_range).
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, the system python3.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip setpriv sysctl timeout "$PYTHON3_SYSTEM" "$HOPPROBE"
lab_up

unprivileged_worker

failures=0
printf '# raw sockets (root)\n'
timeout 60 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/timeout_ms_check.py" \
	"$NS_HOST" "$LAB_HAVE_IPV6" "$HOPPROBE" || failures=$((failures + 1))
printf '# unprivileged mode (uid 65534)\n'
timeout 60 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/timeout_ms_check.py" \
	"$NS_HOST" "$LAB_HAVE_IPV6" setpriv --reuid=65534 --regid=65534 \
	--clear-groups "$UNPRIVILEGED_HOPPROBE" || failures=$((failures + 1))

if ((failures)); then
	printf '# %d run(s) failed\n' "$failures"
	exit 1
fi
exit 0

#!/bin/bash
#
# net_flood.sh: a flood of unrelated ICMP cannot starve the worker's input,
# timers or output (hopprobe(8), LIMITS).  The target namespace floods the
# host with echo replies nobody asked for (tests/net/icmp_flood.c, raw
# sendmmsg, bounded in time), which pass the worker's ICMP filter and
# must each be read and found not to be ours; meanwhile flood_check.py
# asks the worker for check-support (answer within 200 ms) and sends
# timeout-1 probes that must end as no-reply on time.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; ICMP_FLOOD, the flooder.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
: "${ICMP_FLOOD:?ICMP_FLOOD must name the icmp_flood program}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip timeout "$PYTHON3_SYSTEM" "$HOPPROBE" "$ICMP_FLOOD"

lab_up

# Two flooders: one alone (about 300,000 a second here) is less than
# the worker can read as built.  flood_check.py starts them once the worker
# is up, and stops them by PID.
FLOOD=(ip netns exec "$NS_TARGET" timeout 30 "$ICMP_FLOOD" 4 "$LAB_HOST4" 20 100000000)
rc=0
printf '# the worker as built\n'
timeout 60 ip netns exec "$NS_HOST" "$PYTHON3_SYSTEM" \
	"$TESTS_SRCDIR/net/flood_check.py" "$HOPPROBE" "$LAB_BLACKHOLE4" 4 \
	2 "${FLOOD[@]}" || rc=1
# The same worker slowed down several times by valgrind's instrumentation
# (tool none: no checking), so that the flood outruns it on any machine:
# only a receive loop with a budget per wake-up stays responsive then.
# Not for a sanitizer build (valgrind cannot run ASan binaries).
if command -v valgrind >/dev/null 2>&1 && ! ldd "$HOPPROBE" | grep -q libasan; then
	printf '# the worker under valgrind --tool=none\n'
	timeout 60 ip netns exec "$NS_HOST" "$PYTHON3_SYSTEM" \
		"$TESTS_SRCDIR/net/flood_check.py" \
		"valgrind -q --tool=none --vgdb=no $HOPPROBE" "$LAB_BLACKHOLE4" 4 \
		2 "${FLOOD[@]}" || rc=1
else
	printf '# no valgrind run (not installed, or a sanitizer build)\n'
fi
exit $rc

#!/bin/bash
#
# net_descriptors.sh: see tests/net/lifecycle_check.py (descriptors), run in the lab's
# host namespace (hopprobe(8), LIMITS).
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip timeout "$PYTHON3_SYSTEM" "$HOPPROBE"

lab_up
rc=0
# A soft limit of 64 with room above it: the worker must raise it.
timeout 120 ip netns exec "$NS_HOST" "$PYTHON3_SYSTEM" \
	"$TESTS_SRCDIR/net/lifecycle_check.py" descriptors "$HOPPROBE" \
	"$LAB_BLACKHOLE4" 64 4096 1201 || rc=1
# No room at all: what does not fit is probes-exhausted, not an error.
timeout 120 ip netns exec "$NS_HOST" "$PYTHON3_SYSTEM" \
	"$TESTS_SRCDIR/net/lifecycle_check.py" descriptors "$HOPPROBE" \
	"$LAB_BLACKHOLE4" 64 64 300 || rc=1
exit $rc

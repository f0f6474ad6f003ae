#!/bin/bash
#
# net_signals.sh: see tests/net/lifecycle_check.py (signals), run in the lab's
# host namespace (hopprobe(8), EXIT STATUS).
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
timeout 120 ip netns exec "$NS_HOST" "$PYTHON3_SYSTEM" \
	"$TESTS_SRCDIR/net/lifecycle_check.py" signals "$HOPPROBE" \
	"$LAB_BLACKHOLE4"

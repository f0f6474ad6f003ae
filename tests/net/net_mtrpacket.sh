#!/bin/bash
#
# tests/net/net_mtrpacket.sh: hopprobe as the worker of the Python library
# mtrpacket 1.0.1, an independent client of the mtr-packet protocol.
#
# The library is vendored unmodified outside the project, in
# shared/vendor/mtrpacket-py beside the source tree; it is used from there
# through PYTHONPATH and never copied in.  Without it the test is skipped.
# mtrpacket_drive.py does the work inside the lab's host namespace: feature
# checks, probes of every protocol to the target and to r1/r2 by TTL, the
# blackhole's no-reply, 200 concurrent probes, and the library's example
# programs (see that script).

set -u

. "$TESTS_SRCDIR/net/lib.sh"

require_root_and_tools ip ping timeout

if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi
PY3=${PYTHON3_SYSTEM:-/usr/bin/python3}
if [[ ! -x "$PY3" ]]; then
	skip "needs $PY3"
fi
vendor=${MTRPACKET_DIR:-$TESTS_SRCDIR/../../shared/vendor/mtrpacket-py}
if [[ ! -f "$vendor/mtrpacket/__init__.py" ]]; then
	skip "the vendored mtrpacket library is not at $vendor (shared/vendor/mtrpacket-py beside the source tree)"
fi
vendor=$(cd "$vendor" && pwd) || fail "cannot enter $vendor"
driver=$TESTS_SRCDIR/net/mtrpacket_drive.py
[[ -f "$driver" ]] || fail "missing $driver"

printf '# worker: %s; library: %s\n' "$("$HOPPROBE" --version 2>&1 | head -n1)" "$vendor"

lab_up

# The driver bounds every group of probes itself; this is the outer bound.
timeout 300 ip netns exec "$NS_HOST" env PYTHONPATH="$vendor" \
	MTR_PACKET="$HOPPROBE" "$PY3" "$driver" </dev/null
rc=$?
case $rc in
0) exit 0 ;;
124) fail "mtrpacket_drive.py did not finish within 300 s" ;;
*) exit 1 ;;
esac

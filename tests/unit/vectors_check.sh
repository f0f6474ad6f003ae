#!/usr/bin/env bash
# Checks that the scapy-built test vectors checked in between the GENERATED
# markers of tests/unit/*.c are exactly what their generators
# (tests/unit/vectors/*.py) print today, with a diff when they are not.
# The unit tests themselves need no scapy; this test does, and skips
# (exit 77) without it.  Then it changes one byte of a copy of a file and
# checks that the comparison notices, so that this test can fail.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${TESTS_SRCDIR:-$here/..}
top=$(cd "$srcdir/.." && pwd)
py=${PYTHON3_SYSTEM:-/usr/bin/python3}
sync=$top/tests/unit/vectors/sync_vectors.py

if ! "$py" "$srcdir/net/py_has.py" scapy.all; then
	echo "SKIP: needs scapy for $py (Debian: python3-scapy)"
	exit 77
fi

rc=0
"$py" "$sync" --top "$top" || rc=1
if [ $rc -ne 0 ]; then
	echo "not ok - generated vectors differ from their generators;"
	echo "         rewrite them with: $py $sync --update"
fi

# The check must be able to fail: one byte changed in a copy of a block.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
victim=$top/tests/unit/test_icmp_ext.c
# The first byte of the first array after the BEGIN marker.
awk '/BEGIN GENERATED/ { inside = 1 }
	inside && !done && sub(/0x[0-9a-f][0-9a-f]/, "0xzz") { done = 1 }
	{ print }' "$victim" >"$tmp/test_icmp_ext.c"
if cmp -s "$victim" "$tmp/test_icmp_ext.c"; then
	echo "not ok - could not alter a copy of $victim"
	rc=1
elif "$py" "$sync" --top "$top" "$tmp/test_icmp_ext.c" >"$tmp/out" 2>&1; then
	echo "not ok - a changed byte went unnoticed"
	rc=1
elif ! grep -q '^-.*0xzz' "$tmp/out"; then
	echo "not ok - the diff does not show the changed byte:"
	cat "$tmp/out"
	rc=1
else
	echo "ok - a changed byte is reported with a diff"
fi
exit $rc

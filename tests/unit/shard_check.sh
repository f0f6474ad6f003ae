#!/usr/bin/env bash
# --shard without a lab or root: the built hoptrace's --list-targets for
# 1 to 8 shards and two seeds over names and a prefix, checked by
# shard_check.py (disjoint, the whole list together, the same twice, and
# one split against an independent SipHash-2-4 model of the order).
set -u
here=$(cd "$(dirname "$0")" && pwd)
srcdir=${TESTS_SRCDIR:-$here/..}
ht=${HOPTRACE:-src/hoptrace}
py=${PYTHON3_SYSTEM:-/usr/bin/python3}
if [ ! -x "$ht" ]; then
	echo "not ok - $ht not built (set HOPTRACE)"
	exit 1
fi
exec timeout 300 "$py" "$srcdir/unit/shard_check.py" "$ht"

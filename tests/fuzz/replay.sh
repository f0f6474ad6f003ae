#!/usr/bin/env bash
# Replays every fuzz corpus through its harness (built without libFuzzer,
# with whatever sanitizers the build uses).  Run by `make check`.
set -u
dir=${FUZZ_BUILDDIR:-tests/fuzz}
src=${TESTS_SRCDIR:-$(dirname "$0")/..}/fuzz/corpus
rc=0
for h in command decode4 decode6 icmp_ext errqueue reply dgram roundtrip txstamp netlink jsonl; do
	if ! "$dir/replay_$h" "$src/$h"; then
		echo "not ok - replaying corpus $h"
		rc=1
	else
		echo "ok - replaying corpus $h"
	fi
done
exit $rc

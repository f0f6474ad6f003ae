#!/bin/bash
#
# tests/bench/bench_quick_test.sh: `make check` proves that the bench builds
# and that its quick mode runs to the end.  It asserts no timing: figures
# depend on the machine; only that every part produced its rows and that
# hopprobe answered.  Skips (77) when not root.
set -u

if [[ "${HOPPROBE_NET_TESTS:-yes}" == no ]]; then
	echo "SKIP: network tests disabled (configure --disable-net-tests, as make distcheck does)"
	exit 77
fi
if [[ "$(id -u)" -ne 0 ]]; then
	echo "SKIP: the bench needs root (network namespaces, raw sockets)"
	exit 77
fi
: "${HOPPROBE:?set HOPPROBE to the worker}"
: "${TESTS_SRCDIR:?set TESTS_SRCDIR to the tests directory}"

# The bench programs sit in the build tree beside the worker's directory.
top_build=$(cd "$(dirname "$HOPPROBE")/.." && pwd)
HOPBENCH=${HOPBENCH:-$top_build/tests/bench/hopbench}
CEILING=${CEILING:-$top_build/tests/bench/ceiling}
export HOPPROBE HOPBENCH CEILING TESTS_SRCDIR

failed=0
check()
{
	local what=$1

	shift
	if "$@"; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		failed=1
	fi
}

for prog in "$HOPBENCH" "$CEILING"; do
	if [[ ! -x "$prog" ]]; then
		echo "not ok - $prog is built"
		exit 1
	fi
done
"$HOPBENCH" -H | grep -q '^section,worker,' || {
	echo "not ok - hopbench prints its CSV header"
	exit 1
}

out=$(mktemp -d /tmp/bench-check.XXXXXX) || exit 1
timeout -k 5 150 bash "$TESTS_SRCDIR/bench/run-bench.sh" --quick --no-install \
	--out "$out" >"$out/stdout" 2>&1
rc=$?
if ((rc == 77)); then
	cat "$out/stdout"
	rm -rf "$out"
	exit 77
fi
check "run-bench.sh --quick exits 0 (was $rc)" test "$rc" -eq 0
csv=$out/bench.csv
check "the CSV has its header" grep -q '^section,worker,proto,' "$csv"

# rows SECTION WORKER: how many rows of that part and worker have status ok
# and at least one good answer.
rows_ok()
{
	awk -F, -v s="$1" -v w="$2" \
		'$1 == s && $2 == w && $8 == "ok" && $10 > 0 { n++ } END { print n + 0 }' "$csv"
}
rows_all()
{
	awk -F, -v s="$1" -v w="$2" '$1 == s && $2 == w { n++ } END { print n + 0 }' "$csv"
}
n=$(rows_all throughput hopprobe)
check "hopprobe throughput rows present ($n)" test "$n" -ge 10
check "every hopprobe throughput row is ok with replies" \
	test "$(rows_ok throughput hopprobe)" -eq "$n"
n=$(rows_all throughput ceiling)
check "ceiling throughput rows present ($n)" test "$n" -ge 10
check "every ceiling row is ok with replies" \
	test "$(rows_ok throughput ceiling)" -eq "$n"
n=$(awk -F, '$1 == "startup" && $2 == "hopprobe" && $8 == "ok" && $23 > 0 { n++ }
	END { print n + 0 }' "$csv")
check "start-up measured" test "$n" -eq 1
check "round-trip times measured" test "$(rows_ok rtt hopprobe)" -ge 1
check "the kernel's round-trip times at the same pace measured" \
	test "$(rows_ok rtt ceiling)" -ge 1
check "the report compares round trips with the kernel's" \
	grep -q 'above the kernel.s at the same pace' "$out/report.txt"
check "memory per probe measured" test "$(rows_ok hold hopprobe)" -ge 1
# set-rate 1000 with 1000 probes: all answered, the last one held back by
# the rate for about a second (at least 0.9 s: never early).
n=$(awk -F, '$1 == "rate" && $2 == "hopprobe" && $8 == "ok" && $10 == $9 &&
	$16 >= 0.9 { n++ } END { print n + 0 }' "$csv")
check "set-rate measured: every probe answered, the last after 0.9 s or more" test "$n" -eq 1
check "the report shows set-rate" grep -q '^set-rate' "$out/report.txt"
check "peers measured for hopprobe" test "$(rows_ok peers hopprobe)" -ge 1
# The peers are optional: present, each has its rows; absent, the table
# says n/a in their place (checked on a copy of the CSV without them).
for peer in fping scamper; do
	var=${peer^^}
	if [[ -n "${!var:-}" ]]; then
		path=${!var}
		[[ -x "$path" ]] || path=""
	else
		path=$(command -v "$peer" || true)
	fi
	if [[ -n "$path" ]]; then
		check "$peer rows present" test "$(rows_all peers "$peer")" -ge 1
	else
		check "no $peer, no $peer rows" test "$(rows_all peers "$peer")" -eq 0
	fi
done
awk -F, '$2 != "fping" && $2 != "scamper"' "$csv" >"$out/nopeers.csv"
bash "$TESTS_SRCDIR/bench/run-bench.sh" --report "$out/nopeers.csv" \
	>"$out/nopeers.txt" 2>&1
# shellcheck disable=SC2016 # an awk program, not shell
check "without the peers their columns say n/a" awk '
	/^Peers:/ { t = 1 }
	t && /^$/ { t = 0 }
	t && /^(loop|reply) / { rows++; if ($0 !~ /n\/a \/     n\/a \| +n\/a \/     n\/a \|/) bad++ }
	END { exit !(rows > 0 && bad == 0) }' "$out/nopeers.txt"
check "the report has its table" grep -q '^Throughput' "$out/report.txt"
check "the report shows the ceiling's CPU per probe" grep -q 'cpuCeil' "$out/report.txt"
check "the report has the peers" grep -q '^Peers:' "$out/report.txt"
check "the report checks the targets" grep -q '^Targets' "$out/report.txt"

if ((failed)); then
	echo "# output kept in $out"
	sed 's/^/# /' "$out/stdout" | tail -n 40
	exit 1
fi
rm -rf "$out"
exit 0

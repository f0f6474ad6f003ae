#!/bin/bash
# tests/fuzz/run_fuzz.sh: `make fuzz`'s work. Builds every libFuzzer target
# and fuzzes each for FUZZ_SECONDS from its seed corpus, JOBS at a time.
#
# The code under test is compiled once per set of flags (not once per
# target, as eleven targets sharing one core would be), with
# -fsanitize=fuzzer-no-link so that only the harnesses carry libFuzzer's
# main. The targets then run side by side: each runs for a fixed time, so
# running them JOBS at a time divides the wall time by JOBS and changes
# nothing else. New inputs go to OUT/corpus_TARGET, logs to OUT/TARGET.log.
#
# Environment, set by Makefile.am's fuzz rule:
#   FUZZ_CC FUZZ_FLAGS FUZZ_SANITIZE FUZZ_SECONDS FUZZ_JOBS FUZZ_TARGETS
#   SRCDIR (top source directory) OUT (the run directory)
#   PROBE_CORE JSONL_CORE (source files relative to SRCDIR)
# Exit status: 0 when every target ran clean, 1 when one found a problem or
# did not build.
set -u

: "${FUZZ_CC:?}" "${FUZZ_SECONDS:?}" "${FUZZ_TARGETS:?}" "${SRCDIR:?}" "${OUT:?}"
FUZZ_JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
SAN=${FUZZ_SANITIZE:-address,undefined}
# Word splitting is the interface for the flag lists.
# shellcheck disable=SC2206
FLAGS=(${FUZZ_FLAGS:-} -I"$SRCDIR/probe")
SRC_FLAGS=(-D_GNU_SOURCE -I"$SRCDIR/src")

# harness TARGET: its source file, its extra flags and its object set.
harness()
{
	case $1 in
	command) echo "fuzz_command.c||probe" ;;
	decode4) echo "fuzz_decode.c|-DFUZZ_TARGET=1|probe" ;;
	decode6) echo "fuzz_decode.c|-DFUZZ_TARGET=2|probe" ;;
	icmp_ext) echo "fuzz_decode.c|-DFUZZ_TARGET=3|probe" ;;
	errqueue) echo "fuzz_decode.c|-DFUZZ_TARGET=4|probe" ;;
	txstamp) echo "fuzz_decode.c|-DFUZZ_TARGET=5|probe" ;;
	reply) echo "fuzz_reply.c|src|wire" ;;
	dgram) echo "fuzz_dgram.c||probe" ;;
	roundtrip) echo "fuzz_roundtrip.c||probe" ;;
	netlink) echo "fuzz_netlink.c||probe" ;;
	jsonl) echo "fuzz_jsonl.c|src|jsonl" ;;
	*) return 1 ;;
	esac
}

# compile_set SET FILES...: each .c file once into OUT/obj/SET/, in parallel.
compile_set()
{
	local set=$1 f flags=("${FLAGS[@]}")

	shift
	[[ $set == probe ]] || flags+=("${SRC_FLAGS[@]}")
	mkdir -p "$OUT/obj/$set"
	for f in "$@"; do
		[[ $f == *.c ]] && printf '%s\n' "$f"
	done | xargs -r -P "$FUZZ_JOBS" -I{} sh -c '
		set -e; src=$1; shift; out=$1; shift
		obj=$out/$(printf %s "$src" | tr / _ | sed "s/\.c\$/.o/")
		exec "$@" -c -o "$obj" "$SRCDIR/$src"' sh {} "$OUT/obj/$set" \
		"$FUZZ_CC" "${flags[@]}" -fsanitize=fuzzer-no-link,"$SAN"
}

mkdir -p "$OUT"
rm -rf "$OUT/obj"
# shellcheck disable=SC2086 # lists of file names
{
	compile_set probe $PROBE_CORE &&
		compile_set wire src/wire.c &&
		compile_set jsonl $JSONL_CORE
} || { echo "fuzz: the code under test did not build" >&2; exit 1; }

for t in $FUZZ_TARGETS; do
	IFS='|' read -r src extra set <<<"$(harness "$t")" ||
		{ echo "fuzz: no harness for target '$t'" >&2; exit 1; }
	flags=("${FLAGS[@]}")
	case $extra in
	src) flags+=("${SRC_FLAGS[@]}") ;;
	?*) flags+=("$extra") ;;
	esac
	libs=()
	[[ $set == jsonl ]] && libs=(-lm)
	"$FUZZ_CC" "${flags[@]}" -fsanitize=fuzzer,"$SAN" -o "$OUT/fuzz_$t" \
		"$SRCDIR/tests/fuzz/$src" "$OUT/obj/$set"/*.o "${libs[@]}" ||
		{ echo "fuzz: target $t did not build" >&2; exit 1; }
	mkdir -p "$OUT/corpus_$t"
done

# Each target runs for its time; its status goes to OUT/TARGET.status.
printf '%s\n' $FUZZ_TARGETS | xargs -P "$FUZZ_JOBS" -I{} sh -c '
	t=$1
	"$OUT/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		"$OUT/corpus_$t" "$SRCDIR/tests/fuzz/corpus/$t" 2>"$OUT/$t.log"
	echo $? >"$OUT/$t.status"' sh {}

rc=0
for t in $FUZZ_TARGETS; do
	echo "fuzz: $t for $FUZZ_SECONDS s"
	if [[ "$(cat "$OUT/$t.status" 2>/dev/null)" != 0 ]]; then
		tail -n 40 "$OUT/$t.log"
		rc=1
		continue
	fi
	grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units)' "$OUT/$t.log"
done
exit "$rc"

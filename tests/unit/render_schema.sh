#!/usr/bin/env bash
# Renders the recorded event sequences of render_fixtures.c as JSON, JSON
# Lines and CSV (render_dump) and checks every file with
# validate_output.py: JSON and JSONL against schema/hoptrace.schema.json
# with python3-jsonschema, CSV with Python's csv module, and all of them
# for report-like consistency.  Then it breaks a few files on purpose and
# checks that the validator notices, so that this test can fail.  Last,
# recordings of schema 2 (unit/recordings, written by the hoptrace before
# schema 3) replay into valid schema 3 output, the same text as the
# fixtures' own, and hoptrace diff reads them.
#
# Skips (exit 77) when python3-jsonschema is not installed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${TESTS_SRCDIR:-$here/..}
py=${PYTHON3_SYSTEM:-/usr/bin/python3}
schema=$srcdir/../schema/hoptrace.schema.json
validate=$srcdir/unit/validate_output.py

dump=${RENDER_DUMP:-}
if [ -z "$dump" ]; then
	for d in tests/unit/render_dump "$here/render_dump"; do
		if [ -x "$d" ]; then
			dump=$d
			break
		fi
	done
fi
if [ -z "$dump" ] || [ ! -x "$dump" ]; then
	echo "not ok - render_dump not built (set RENDER_DUMP)"
	exit 1
fi
if ! command -v "$py" >/dev/null 2>&1; then
	echo "SKIP: no $py"
	exit 77
fi
if ! "$py" "$srcdir/net/py_has.py" jsonschema; then
	echo "SKIP: python3-jsonschema is not installed for $py" \
	     "(apt-get install python3-jsonschema)"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out" "$tmp/bad"

if ! "$dump" "$tmp/out"; then
	echo "not ok - render_dump failed"
	exit 1
fi

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
notok() { fail=$((fail + 1)); echo "not ok - $*"; }

n=0
for f in "$tmp"/out/*.json "$tmp"/out/*.jsonl "$tmp"/out/*.csv; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	mode=${f##*.}
	if out=$("$py" "$validate" "$mode" "$f" "$schema" 2>&1); then
		ok "valid $mode: $(basename "$f")"
	else
		notok "valid $mode: $(basename "$f")"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
done
# 13 sequences, each with and without -n, in three formats.
if [ "$n" -ne 78 ]; then
	notok "expected 78 files to check, found $n"
fi

# Each broken file must be rejected (exit 1), naming the problem.
expect_invalid() {
	local what=$1 mode=$2 file=$3 pattern=$4 out rc
	out=$("$py" "$validate" "$mode" "$file" "$schema" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -q -- "$pattern"; then
		ok "rejects $what"
	else
		notok "rejects $what (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}

sed 's/"schema_version":3,"type":"hoptrace"/"schema_version":2,"type":"hoptrace"/' \
	"$tmp/out/small.json" >"$tmp/bad/version.json"
expect_invalid "schema_version 2" json "$tmp/bad/version.json" "schema"

sed '3s/"schema_version":3,/"schema_version":2,/' "$tmp/out/small.jsonl" \
	>"$tmp/bad/version.jsonl"
expect_invalid "a JSONL record of schema 2" jsonl "$tmp/bad/version.jsonl" \
	"schema"

sed '3s/"collector_wall_clock":"[^"]*",//' "$tmp/out/small.jsonl" \
	>"$tmp/bad/clock.jsonl"
expect_invalid "a record without collector_wall_clock" jsonl \
	"$tmp/bad/clock.jsonl" "'collector_wall_clock' is a required property"

sed '3s/"run":"fx-run.1"/"run":"fx-run.2"/' "$tmp/out/small.jsonl" \
	>"$tmp/bad/run.jsonl"
expect_invalid "a record of another run" jsonl "$tmp/bad/run.jsonl" \
	"run 'fx-run.2', the run-start's is 'fx-run.1'"

sed '3s/"target":"gw.example"/"target":"other.example"/' \
	"$tmp/out/small.jsonl" >"$tmp/bad/target.jsonl"
expect_invalid "a probe naming another target" jsonl \
	"$tmp/bad/target.jsonl" "target 'other.example', its trace-start's"

sed 's/"type":"worker-lost","run":"sweep7:3","collector_wall_clock":"\([^"]*\)","worker":"lab2"/"type":"worker-lost","run":"sweep7:3","collector_wall_clock":"\1","worker":"lab3"/' \
	"$tmp/out/shipping.jsonl" >"$tmp/bad/lost.jsonl"
expect_invalid "a worker-lost of a worker the run does not have" jsonl \
	"$tmp/bad/lost.jsonl" "worker 'lab3' is not one of the run-start's"

sed 's/"seed":18446744073709551615/"seed":-1/' "$tmp/out/shipping.jsonl" \
	>"$tmp/bad/seed.jsonl"
expect_invalid "a negative seed" jsonl "$tmp/bad/seed.jsonl" "schema"

sed 's/"result":"worker-lost"/"result":"worker-failed"/' \
	"$tmp/out/shipping.jsonl" >"$tmp/bad/failed.jsonl"
expect_invalid "schema 2's worker-failed in schema 3" jsonl \
	"$tmp/bad/failed.jsonl" "schema"

sed 's/"best_us":150/"best_us":900/' "$tmp/out/small.json" \
	>"$tmp/bad/best.json"
expect_invalid "best_us above avg_us" json "$tmp/bad/best.json" "best_us"

sed 's/"received":1,/"received":3,/' "$tmp/out/small.json" \
	>"$tmp/bad/received.json"
expect_invalid "received above sent" json "$tmp/bad/received.json" \
	"received 3 > sent 2"

sed 's/"rtt_us":150/"rtt_us":"150"/' "$tmp/out/small.json" \
	>"$tmp/bad/string.json"
expect_invalid "a number as a string" json "$tmp/bad/string.json" "schema"

sed 's/"type":"name",/"type":"name","extra":1,/' "$tmp/out/small.jsonl" \
	>"$tmp/bad/extra.jsonl"
expect_invalid "an unknown field" jsonl "$tmp/bad/extra.jsonl" \
	"Additional properties"

sed '1d' "$tmp/out/small.jsonl" >"$tmp/bad/nostart.jsonl"
expect_invalid "JSONL without run-start" jsonl "$tmp/bad/nostart.jsonl" \
	"run-start"

sed '2s/,\r$/\r/' "$tmp/out/small.csv" >"$tmp/bad/short.csv"
expect_invalid "a CSV row short of a field" csv "$tmp/bad/short.csv" \
	"20 fields, expected 21"

sed '2s/,sweep7:3,lab1\r$/,sweep8,lab1\r/' "$tmp/out/shipping.csv" \
	>"$tmp/bad/run.csv"
expect_invalid "CSV rows of two runs" csv "$tmp/bad/run.csv" \
	"run 'sweep7:3', the first row's is 'sweep8'"

sed '2s/,150,150\.0,150,150,/,150,150.0,150,90,/' "$tmp/out/small.csv" \
	>"$tmp/bad/worst.csv"
expect_invalid "a CSV worst below best" csv "$tmp/bad/worst.csv" \
	"does not hold"

# hoptrace diff -j of recorded runs: the same target traced differently
# (address, reached, responders, rtt), and different targets (only-a,
# only-b).
if [ -n "${HOPTRACE:-}" ] && [ -x "$HOPTRACE" ]; then
	"$HOPTRACE" diff -j "$tmp/out/reached.jsonl" "$tmp/out/extensions.jsonl" \
		>"$tmp/out/diff-same.djson"
	"$HOPTRACE" diff -j "$tmp/out/small.jsonl" "$tmp/out/reached.jsonl" \
		>"$tmp/out/diff-other.djson"
	for f in "$tmp"/out/*.djson; do
		if out=$("$py" "$validate" diff "$f" "$schema" 2>&1); then
			ok "valid diff: $(basename "$f")"
		else
			notok "valid diff: $(basename "$f")"
			printf '%s\n' "$out" | sed 's/^/#   /'
		fi
	done
	for k in address reached responders rtt; do
		if grep -q "\"kind\":\"$k\"" "$tmp/out/diff-same.djson"; then
			ok "diff -j of reached and extensions has a $k difference"
		else
			notok "diff -j of reached and extensions has a $k difference"
		fi
	done
	sed 's/"kind":"reached","vanished":\[\],"appeared":\[\],"flow":null,"a":true/"kind":"reached","vanished":[],"appeared":[],"flow":null,"a":"yes"/' \
		"$tmp/out/diff-same.djson" >"$tmp/bad/reached.djson"
	expect_invalid "a diff's reached side as a string" diff \
		"$tmp/bad/reached.djson" "schema"
	sed 's/"only_a":1,/"only_a":2,/' "$tmp/out/diff-other.djson" \
		>"$tmp/bad/only.djson"
	expect_invalid "a diff's only_a not counting its differences" diff \
		"$tmp/bad/only.djson" "only_a 2 but 1"
	sed 's/"kind":"rtt","vanished"/"kind":"silent","vanished"/' \
		"$tmp/out/diff-same.djson" >"$tmp/bad/silent.djson"
	expect_invalid "a diff's silent difference with a/b values" diff \
		"$tmp/bad/silent.djson" "schema"
else
	notok "HOPTRACE is not set to an executable hoptrace (for diff -j)"
fi

# Recordings of schema 2: replayed, the records are schema 3 (run and
# collector_wall_clock null: they recorded none), JSON and CSV valid, and
# the text the same as the same sequence's in schema 3.
rec=$srcdir/unit/recordings
if [ -n "${HOPTRACE:-}" ] && [ -x "$HOPTRACE" ]; then
	for name in unreachable two_reverse; do
		v2=$rec/v2_$name.jsonl
		for mode in jsonl json csv; do
			case $mode in
			jsonl) opt=--jsonl ;;
			json) opt=-j ;;
			csv) opt=-C ;;
			esac
			"$HOPTRACE" --replay "$v2" $opt -e -z \
				>"$tmp/out/v2-$name.$mode" 2>"$tmp/err"
			if out=$("$py" "$validate" "$mode" \
				"$tmp/out/v2-$name.$mode" "$schema" 2>&1); then
				ok "schema 2 $name replayed as valid $mode"
			else
				notok "schema 2 $name replayed as valid $mode"
				printf '%s\n' "$out" | sed 's/^/#   /'
			fi
		done
		if grep -q '"run":null,"collector_wall_clock":null' \
			"$tmp/out/v2-$name.jsonl" &&
			! grep -q '"collector_wall_clock":"' \
				"$tmp/out/v2-$name.jsonl"; then
			ok "schema 2 $name: run and collector_wall_clock null"
		else
			notok "schema 2 $name: run and collector_wall_clock null"
		fi
		"$HOPTRACE" --replay "$v2" -e -z >"$tmp/out/v2-$name.txt"
		if cmp -s "$tmp/out/v2-$name.txt" "$tmp/out/$name.txt"; then
			ok "schema 2 $name replays to the same text"
		else
			notok "schema 2 $name replays to the same text"
			diff "$tmp/out/$name.txt" "$tmp/out/v2-$name.txt" |
				sed 's/^/#   /'
		fi
		if "$HOPTRACE" diff "$v2" "$tmp/out/$name.jsonl" \
			>"$tmp/out/v2-$name.diff" 2>&1 &&
			grep -q '^no differences' "$tmp/out/v2-$name.diff"; then
			ok "hoptrace diff: schema 2 and 3 $name the same"
		else
			notok "hoptrace diff: schema 2 and 3 $name the same"
			sed 's/^/#   /' "$tmp/out/v2-$name.diff"
		fi
	done
	if grep -q '"result":"worker-lost"' "$tmp/out/v2-unreachable.jsonl" &&
		! grep -q 'worker-failed' "$tmp/out/v2-unreachable.jsonl" &&
		grep -q '"result":"worker-failed"' "$rec/v2_unreachable.jsonl"; then
		ok "schema 2's worker-failed replays as worker-lost"
	else
		notok "schema 2's worker-failed replays as worker-lost"
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

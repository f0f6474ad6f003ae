#!/usr/bin/env bash
# hoptrace as a command, without a lab: help and version, usage errors
# (exit 2, a message naming the option), a missing or failing worker
# (exit 3), and several workers of which one dies mid-run: its probes go
# to the other and every target is still reached (exit 0).  Probes go to
# 127.0.0.1 and 127.0.0.2 only, over UDP, which the worker can send
# unprivileged too.
set -u
ht=${HOPTRACE:-src/hoptrace}
hp=${HOPPROBE:-probe/hopprobe}
fake=${FAKE_WORKER:-tests/unit/fake_worker}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

# expect NAME STATUS STDERR-REGEX CMD...: run CMD (bounded by timeout(1)),
# check its exit status and that its stderr matches ("": is empty).
expect()
{
	local name=$1 want=$2 re=$3 rc=0

	shift 3
	n=$((n + 1))
	timeout 30 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	if [[ $rc -eq $want ]] &&
		{ [[ -z "$re" && ! -s "$tmp/err" ]] ||
			{ [[ -n "$re" ]] && grep -Eq -- "$re" "$tmp/err"; }; }; then
		echo "ok $n - $name (exit $rc)"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: exit $rc (want $want); stderr:"
		sed 's/^/#   /' "$tmp/err"
	fi
}

expect "--help exits 0" 0 '' "$ht" --help
grep -q -- '--max-inflight' "$tmp/out" || { failed=$((failed + 1)); echo "not ok - --help lists the options"; }
expect "--version exits 0" 0 '' "$ht" --version
grep -qx 'hoptrace [0-9.]*' "$tmp/out" || { failed=$((failed + 1)); echo "not ok - --version prints the version"; }
expect "no target" 2 'no target' "$ht"
expect "max ttl out of range" 2 '-m/--max-ttl.*300.*1-255' "$ht" -m 300 127.0.0.1
expect "mtr's -s" 2 'use --psize 1400' "$ht" -s 1400 127.0.0.1
expect "unknown option" 2 "unknown option '--frobnicate'" "$ht" --frobnicate 127.0.0.1
expect "two formats" 2 'cannot be combined' "$ht" -j -C 127.0.0.1
expect "no such interface" 2 "no interface 'nosuch0'" "$ht" -I nosuch0 127.0.0.1
expect "unreadable --file" 2 "--file $tmp/none" "$ht" --file "$tmp/none"
expect "missing worker" 3 "worker '/nonexistent/hopprobe'.*(status 127|not found)" \
	"$ht" -n -U --worker /nonexistent/hopprobe 127.0.0.1
expect "worker failing at start" 3 'exited with status 1.*oops' \
	"$ht" -n -U --worker 'echo oops >&2; exit 1' 127.0.0.1
expect "worker answering nonsense" 3 'nonsense' \
	"$ht" -n -U --worker "$fake --garbage-after 1" 127.0.0.1
# One of two workers dies after 5 probes; the other takes its probes.  The
# dying one comes first: the library gives probes to the first worker
# with room in its window.
expect "one of two workers dies" 0 'dying on purpose.*going on with the others' \
	"$ht" -n -U -w 2 --worker "$fake --die-after 5" --worker "$hp" \
	127.0.0.1 127.0.0.2
if [[ $(grep -c '^reached' "$tmp/out") -ne 2 ]]; then
	failed=$((failed + 1))
	echo "not ok - both targets reached with one worker left:"
	sed 's/^/#   /' "$tmp/out"
fi

# Named workers, --each and --split, with fake workers (they answer from
# their own rules: ttl 1 and 2 from 192.0.2.1-2, the target at ttl 3; see
# tests/unit/fake_worker.c), so nothing leaves the machine.
# want_lines NAME COUNT REGEX: the last run's stdout has COUNT such lines.
want_lines()
{
	local got

	got=$(grep -Ec -- "$3" "$tmp/out")
	if [[ $got -ne $2 ]]; then
		failed=$((failed + 1))
		echo "not ok - $1: $got lines match '$3', want $2:"
		sed 's/^/#   /' "$tmp/out"
	fi
}
expect "two workers named alike" 2 "two workers are named 'a'" \
	"$ht" -n --worker "a=$fake" --worker "a=$fake" 127.0.0.1
# --each: a at once, b dies reading its third probe (before answering
# any: every probe of a cycle goes out at once), so a's trace reaches
# the target and b's ends where b was lost: exit 4, partial.
expect "--each, one worker lost" 4 \
	"dying on purpose.*its traces end there; going on with the others" \
	"$ht" -n -U -w 2 --each --worker "a=$fake" \
	--worker "b=$fake --die-after 2 --delay-ms 200" 127.0.0.1
want_lines "--each: side by side" 1 '^hoptrace .* to 127\.0\.0\.1, side by side: a, b, '
want_lines "--each: a reached" 1 '^  a: udp from 127\.0\.0\.1, reached 127\.0\.0\.1 \(127\.0\.0\.1\) at hop 3'
want_lines "--each: b lost" 1 "^  b: udp from 127\.0\.0\.1, not reached: the worker b was lost: it exited with status 3; its stderr said: fake: dying on purpose \\(29 silent hops after hop 1 not shown\\), ended "
want_lines "--each: the table's hop 1" 1 '^  1  192\.0\.2\.1 +0\.0% +0\.1 +\?\?\? +100\.0% +-$'
want_lines "--each: b's verdict" 1 '^b: lost its worker before any hop answered, a reaches the target at hop 3$'
expect "--each, both answer" 0 '' \
	"$ht" -n -U -w 2 -r -c 2 --each --worker "a=$fake" --worker "$fake" \
	127.0.0.1
want_lines "--each -r: a report per worker" 2 '^hoptrace .* to 127\.0\.0\.1 \(127\.0\.0\.1\) from 127\.0\.0\.1, udp, worker ('"$(hostname)"'|a)$'
want_lines "--each -r: then the merged view" 1 '^verdict: every worker reaches the target at hop 3$'
want_lines "--each -r: each report's HOST is its worker" 1 '^HOST: a +Loss%'
# A recording of --each replays to the same side-by-side view.
expect "--each --record" 0 '' \
	"$ht" -n -U -w 2 --each --record "$tmp/each.jsonl" --worker "a=$fake" \
	--worker "b=$fake" 127.0.0.1
cp "$tmp/out" "$tmp/each.live"
expect "--each: the recording replayed" 0 '' "$ht" --replay "$tmp/each.jsonl"
if ! cmp -s "$tmp/out" "$tmp/each.live"; then
	failed=$((failed + 1))
	echo "not ok - --each: the replay differs from the live run:"
	diff "$tmp/each.live" "$tmp/out" | sed 's/^/#   /'
fi
want_lines "--each replayed: the workers' names" 1 ', side by side: a, b, started'
# --split: four targets over two workers, two each; the least busy first.
expect "--split" 0 '' \
	"$ht" -n -U -w 2 --split --worker "a=$fake" --worker "b=$fake" \
	127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4
want_lines "--split: a has two" 2 ', worker a, 30 hops max'
want_lines "--split: b has two" 2 ', worker b, 30 hops max'
# A worker whose table is full (probes-exhausted to every third probe, and
# a window of 4 each) is backed off and its probes sent again: every
# trace still completes, none moves to the other worker.
expect "--split, a worker answering probes-exhausted" 0 '' \
	"$ht" -n -U -w 2 --split --worker-window 4 --worker "a=$fake --exhaust-every 3" \
	--worker "b=$fake" 127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4
want_lines "--split, exhausted: every trace reached" 4 '^reached 127\.0\.0\.[1-4] '
want_lines "--split, exhausted: a kept its two" 2 ', worker a, 30 hops max'
expect "--split, one worker lost" 4 'dying on purpose.*its traces end there' \
	"$ht" -n -U -w 2 --split --worker "a=$fake" \
	--worker "b=$fake --die-after 2 --delay-ms 200" 127.0.0.1 127.0.0.2
want_lines "--split: one reached" 1 '^reached 127\.0\.0\.1 '
want_lines "--split: one lost" 1 '^not reached: the worker b was lost'
# --record and hoptrace diff without a lab.  An unwritable --record FILE is
# a usage error found before any worker starts (the worker here would
# leave a mark).
expect "--record with --replay" 2 '--record writes a live run' \
	"$ht" --replay "$tmp/none.jsonl" --record "$tmp/r.jsonl"
expect "--record -" 2 "option --record: '-' would be standard output" \
	"$ht" --record - 127.0.0.1
expect "unwritable --record" 2 "^hoptrace: --record $tmp/nodir/r.jsonl: No such file or directory\$" \
	"$ht" -n -U --record "$tmp/nodir/r.jsonl" \
	--worker "touch $tmp/started; exec $hp" 127.0.0.1
if [[ -e "$tmp/started" ]]; then
	failed=$((failed + 1))
	echo "not ok - an unwritable --record started the worker"
fi
# A run to 127.0.0.1 (one hop, the target) shown as text and recorded.
expect "--record beside text" 0 '' \
	"$ht" -n -U -q 1 -w 2 --record "$tmp/r.jsonl" --worker "$hp" 127.0.0.1
cp "$tmp/out" "$tmp/r.txt"
expect "--replay of the record" 0 '' "$ht" -n --replay "$tmp/r.jsonl"
if ! cmp -s "$tmp/out" "$tmp/r.txt" || ! grep -q '^reached' "$tmp/r.txt"; then
	failed=$((failed + 1))
	echo "not ok - the record replays as the text shown live"
fi
expect "--replay --fail-on that holds" 1 \
	"^hoptrace: 127.0.0.1: --fail-on 'hop\\[1\\].loss >= 0%' holds: hop\\[1\\] loss 0.0% >= 0%\$" \
	"$ht" --replay "$tmp/r.jsonl" --fail-on 'hop[1].loss>=0%'
expect "diff of a record with itself" 0 '' "$ht" diff "$tmp/r.jsonl" "$tmp/r.jsonl"
grep -qx 'no differences, 1 trace compared' "$tmp/out" || {
	failed=$((failed + 1))
	echo "not ok - diff A A says no differences"
}
expect "diff --help" 0 '' "$ht" diff --help
expect "diff with one file" 2 'two recordings wanted' "$ht" diff "$tmp/r.jsonl"
expect "diff of a missing file" 2 "$tmp/none.jsonl: No such file" \
	"$ht" diff "$tmp/r.jsonl" "$tmp/none.jsonl"
printf 'not a record\n' >"$tmp/bad.jsonl"
expect "diff of a file that is not a recording" 2 "bad.jsonl: line 1: not JSON" \
	"$ht" diff "$tmp/bad.jsonl" "$tmp/r.jsonl"
: >"$tmp/empty.jsonl"
expect "diff of an empty file" 2 "empty.jsonl: not a recording: no run-start" \
	"$ht" diff "$tmp/empty.jsonl" "$tmp/r.jsonl"

# --shard and its company: usage errors, and an empty shard.
expect "--shard without --seed" 2 '--shard needs --seed S' \
	"$ht" --list-targets --shard 0/2 127.0.0.1
expect "--shard-from, the variable unset" 2 \
	'the environment variable HT_TEST_SHARD is not set' \
	env -u HT_TEST_SHARD "$ht" --list-targets --shard-from HT_TEST_SHARD/2 \
	--seed 1 127.0.0.1
expect "--shard-from, not a number" 2 \
	"the environment variable HT_TEST_SHARD is 'one', not a shard index from 0 to 1" \
	env HT_TEST_SHARD=one "$ht" --list-targets --shard-from HT_TEST_SHARD/2 \
	--seed 1 127.0.0.1
expect "--shard-from, the index" 0 '' \
	env HT_TEST_SHARD=1 "$ht" --list-targets --shard-from HT_TEST_SHARD/2 \
	--seed 1 127.0.0.1 127.0.0.2 127.0.0.3
if [[ $(wc -l <"$tmp/out") -lt 1 ]]; then
	failed=$((failed + 1))
	echo "not ok - shard 1 of 2 of three targets lists some"
fi
expect "a prefix of too many addresses" 2 \
	"target '2001:db8::/96' holds more than 65536 addresses" \
	"$ht" --list-targets 2001:db8::/96
expect "a prefix with host bits" 2 'the host part is not zero' \
	"$ht" --list-targets 203.0.113.5/24
expect "a prefix in --file" 2 'line 2: target .203.0.113.5/24.: the host part' \
	"$ht" --list-targets --file <(printf '192.0.2.1\n203.0.113.5/24\n')
expect "--list-targets of a prefix" 0 '' "$ht" --list-targets 192.0.2.4/30
if [[ $(tr '\n' ' ' <"$tmp/out") != "192.0.2.4 192.0.2.5 192.0.2.6 192.0.2.7 " ]]; then
	failed=$((failed + 1))
	echo "not ok - 192.0.2.4/30 lists its four addresses in order"
fi
expect "--run-id with a space" 2 "option --run-id: 'a b' is not a run id" \
	"$ht" --run-id 'a b' 127.0.0.1
# One target in 4 shards: shard 0 is empty (positions [0, 0)); it traces
# nothing, writes its records and exits 0, without waiting.
expect "an empty shard" 0 '' \
	"$ht" -n -U --jsonl --run-id empty.shard --shard 0/4 --seed 7 \
	--worker "$fake" 127.0.0.1
if [[ $(wc -l <"$tmp/out") -ne 2 ]] ||
	! head -n 1 "$tmp/out" | grep -q '"type":"run-start","run":"empty.shard",.*"target_count":0,.*"shard":{"index":0,"count":4,"seed":7}' ||
	! tail -n 1 "$tmp/out" | grep -q '"type":"run-end","run":"empty.shard",.*"exit_status":0'; then
	failed=$((failed + 1))
	echo "not ok - the empty shard's records are a run-start and a run-end"
	sed 's/^/#   /' "$tmp/out"
fi

echo "# $n runs, $failed failed"
((failed == 0))

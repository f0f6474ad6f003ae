#!/bin/bash
#
# net_many.sh: 1,000 probes in flight at once, every one answered exactly
# once, none lost, none answered twice or under a token nobody sent.
#
# For IPv4 and IPv6, three kinds of burst through the lab:
#   icmp  1,000 echo requests to the target          -> reply from the target
#   udp   1,000 UDP probes with ttl 1                -> ttl-expired from r1
#   tcp   1,000 TCP SYNs to a closed port (81)       -> reply (RST) from the target
# Each burst is written with one write(2) of all 1,000 lines (the pipe is
# made large enough to take them) before any reply is read.  Each burst is
# run twice: once with stdin left open until the 1,000th reply has been
# read (then closed: the worker must exit 0 without another line), and
# once with stdin closed right after the write, so that the worker sees
# end of file with 1,000 probes outstanding and must answer them all
# before it exits 0.
#
# lib.sh switches off the ICMP rate limits in the lab; the destinations
# used here (target, ttl-expired) are not subject to the limits it cannot
# lift.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory; PYTHON3_SYSTEM, the system python3.
# The checking functions are called through check(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip ping timeout awk "$PYTHON3_SYSTEM" "$HOPPROBE"

N=1000
CLOSED_PORT=81

failures=0

# many_check.py runs one hopprobe in the lab's host namespace and writes
# a whole burst with one write(2) (see there for what $T/NAME.out gets).

# burst FAMILY KIND MODE: write the requests, run the driver, check.
burst()
{
	local fam=$1 kind=$2 mode=$3 a="ip-$1" target r1 args regex name base

	if ((fam == 4)); then
		target=$LAB_TARGET4 r1=$LAB_R1_4
	else
		target=$LAB_TARGET6 r1=$LAB_R1_6
	fi
	case "$kind" in
	icmp)
		args="$a $target timeout 5"
		regex="reply $a $(re_escape "$target") round-trip-time [0-9]+"
		;;
	udp)
		args="$a $target protocol udp ttl 1 timeout 5"
		regex="ttl-expired $a $(re_escape "$r1") round-trip-time [0-9]+"
		;;
	tcp)
		args="$a $target protocol tcp port $CLOSED_PORT timeout 5"
		regex="reply $a $(re_escape "$target") round-trip-time [0-9]+"
		;;
	esac
	name=v$fam-$kind-$mode
	# Tokens of each run differ; the last run reaches the largest token
	# the protocol allows.
	RUN=$((RUN + 1))
	base=$((2147483647 - N - (NRUNS - RUN) * 10000000))
	awk -v b="$base" -v n="$N" -v args="$args" \
		'BEGIN { for (i = 1; i <= n; i++) printf "%d send-probe %s\n", b + i, args }' \
		>"$T/$name.req"
	timeout 60 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/many_check.py" \
		"$NS_HOST" "$HOPPROBE" "$T/$name.req" "$T/$name.out" "$mode" "$N" ||
		not_ok "driver for run $name failed (status $?)"

	local desc="IPv$fam $kind, $N probes in one write"
	if [[ "$mode" == eof ]]; then
		desc+=", stdin closed at once"
	fi
	check "$desc: the write took all $(wc -c <"$T/$name.req") bytes" \
		grep -qx "write \([0-9]*\) \1" "$T/$name.out"
	local summary

	if summary=$(tally "$name" "$base" "$regex"); then
		ok "$desc: every token answered exactly once, as '$regex' (${summary##*$'\n'})"
	else
		not_ok "$desc: every token answered exactly once, as '$regex'"
		printf '%s\n' "$summary" | sed 's/^/#   /'
	fi
	if [[ "$mode" == open ]]; then
		check "$desc: all answered while stdin was open" \
			grep -qx "closed-after $N" "$T/$name.out"
	fi
	check "$desc: exits 0, nothing on stderr" exited_clean "$name"
}

# tally NAME BASE REGEX: in run NAME, tokens BASE+1 .. BASE+N each got
# exactly one reply, every reply matches REGEX, and no other line came.
tally()
{
	awk -v b="$2" -v n="$N" -v re="^[0-9]+ $3\$" '
		/^(write|closed-after|exit) / { next }
		{
			t = $1 + 0
			if ($0 !~ re) {
				bad++
				names[$2]++
				if (bad <= 3)
					print "unexpected: " $0
			}
			if ($1 !~ /^[0-9]+$/ || t <= b || t > b + n) {
				stray++
				if (stray <= 3)
					print "stray: " $0
				next
			}
			seen[t]++
		}
		END {
			for (i = b + 1; i <= b + n; i++) {
				if (!(i in seen))
					missing++
				else if (seen[i] > 1)
					dup++
			}
			for (k in names)
				print "reply name " k ": " names[k]
			printf "%d answered, %d missing, %d more than once, %d stray, %d unexpected\n", \
				length(seen), missing, dup, stray, bad
			exit (missing || dup || stray || bad) ? 1 : 0
		}' "$T/$1.out"
}

# exited_clean NAME: run NAME ended with status 0 and an empty stderr.
exited_clean()
{
	if ! grep -qx 'exit 0' "$T/$1.out"; then
		grep '^exit ' "$T/$1.out"
		return 1
	fi
	if [[ -s "$T/$1.out.err" ]]; then
		printf 'stderr:\n'
		head -n 5 "$T/$1.out.err"
		return 1
	fi
}

lab_up
T=$(mktemp -d /tmp/net_many.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"

FAMILIES=(4)
if ((LAB_HAVE_IPV6)); then
	FAMILIES+=(6)
fi

RUN=0
NRUNS=$((${#FAMILIES[@]} * 6))
for fam in "${FAMILIES[@]}"; do
	for kind in icmp udp tcp; do
		for mode in open eof; do
			burst "$fam" "$kind" "$mode"
		done
	done
done

if ((failures)); then
	printf '# %d check(s) failed\n' "$failures"
	exit 1
fi
exit 0

# shellcheck shell=bash
#
# tests/net/run_lib.sh: running hoptrace offline and judging its outcome,
# for the tests that compare runs (net_hoptrace_diff.sh,
# net_hoptrace_compare.sh).  Source it after lib.sh; the caller sets T (a
# scratch directory) and HOPTRACE.

# offline NAME ARGS...: hoptrace ARGS without the network (a replay or a
# diff), stdout to $T/NAME.out, stderr to $T/NAME.err, the status in RC.
offline()
{
	local name=$1

	shift
	RC=0
	timeout 30 "$HOPTRACE" "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null ||
		RC=$?
}

# rc_is WANT NAME: the last run exited WANT (its stderr shown if not).
rc_is()
{
	if [[ "$RC" != "$1" ]]; then
		printf 'exit %s, want %s; stderr:\n' "$RC" "$1"
		cat "$T/$2.err"
		return 1
	fi
}

# same_file A B: A and B are the same bytes (the first differences shown
# if not).
same_file()
{
	cmp "$1" "$2" || { diff "$1" "$2" | head -20 || true; return 1; }
}

#!/bin/bash
#
# net_identity.sh: two workers sharing a network namespace never take each
# other's replies (hopprobe(8), MATCHING).
#
# Both run in PID namespaces of their own, so both are pid 1 (containers
# with host networking): an ICMP identifier derived from the PID is the
# same for both.  Worker A sends 33,000 ttl-1 probes to the target, which
# stay in flight for their 3 s (r1's time-exceeded messages are dropped by
# nftables), worker B at the same time 33,000 probes the target answers
# with echo replies.  With 33,000 of 65,536 sequence numbers each, A's and B's
# in-flight sequence numbers overlap whatever their starting points, so
# with one identifier for both A would report B's echo replies as its own
# `reply`.  Every identifier is reserved with the kernel here (the host
# namespace's ping_group_range admits root), so A must report no `reply`
# at all, and B its own.  The same for IPv6.
#
# Environment (exported by `make check`): HOPPROBE, the worker to test;
# TESTS_SRCDIR, the tests/ directory.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip nft unshare timeout "$HOPPROBE"

COUNT=33000
lab_up
T=$(mktemp -d /tmp/net_identity.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
in_ns "$NS_HOST" sysctl -qw net.ipv4.ping_group_range="0 2147483647" ||
	fail "cannot set ping_group_range"
in_ns "$NS_R1" nft -f - <<'NFT' || fail "nft in r1"
table inet quiet {
	chain out {
		type filter hook output priority 0;
		icmp type time-exceeded drop
		icmpv6 type time-exceeded drop
	}
}
NFT

FAMILIES=(4)
((LAB_HAVE_IPV6)) && FAMILIES+=(6)
declare -A TARGET=([4]=$LAB_TARGET4 [6]=$LAB_TARGET6)

for fam in "${FAMILIES[@]}"; do
	for ((i = 1; i <= COUNT; i++)); do
		echo "$i send-probe ip-$fam ${TARGET[$fam]} ttl 1 timeout 3"
	done >"$T/a$fam.req"
	for ((i = 1; i <= COUNT; i++)); do
		echo "$i send-probe ip-$fam ${TARGET[$fam]} timeout 3"
	done >"$T/b$fam.req"
	bg_start "$NS_HOST" timeout 60 unshare --pid --fork "$HOPPROBE" \
		<"$T/a$fam.req" >"$T/a$fam.out" 2>"$T/a$fam.err"
	pid_a=$(bg_pid)
	bg_start "$NS_HOST" timeout 60 unshare --pid --fork "$HOPPROBE" \
		<"$T/b$fam.req" >"$T/b$fam.out" 2>"$T/b$fam.err"
	pid_b=$(bg_pid)
	wait "$pid_a"
	rc_a=$?
	wait "$pid_b"
	rc_b=$?
	check "IPv$fam: both workers exit 0 (A $rc_a, B $rc_b)" \
		test "$rc_a" -eq 0 -a "$rc_b" -eq 0
	lines_a=$(wc -l <"$T/a$fam.out")
	lines_b=$(wc -l <"$T/b$fam.out")
	check "IPv$fam: every probe answered once (A $lines_a, B $lines_b of $COUNT)" \
		test "$lines_a" -eq "$COUNT" -a "$lines_b" -eq "$COUNT"
	stolen=$(grep -c ' reply ' "$T/a$fam.out")
	printf '# IPv%s: A (ttl 1): %s\n' "$fam" \
		"$(cut -d' ' -f2 "$T/a$fam.out" | sort | uniq -c | tr '\n' ' ')"
	printf '# IPv%s: B (ttl 64): %s\n' "$fam" \
		"$(cut -d' ' -f2 "$T/b$fam.out" | sort | uniq -c | tr '\n' ' ')"
	check "IPv$fam: r1 stays silent: A gets no ttl-expired" \
		test "$(grep -c ttl-expired "$T/a$fam.out")" -eq 0
	check "IPv$fam: worker A reports none of B's echo replies as its own ($stolen)" \
		test "$stolen" -eq 0
	own=$(grep -c ' reply ' "$T/b$fam.out")
	check "IPv$fam: worker B gets its own replies ($own of $COUNT)" \
		test "$own" -ge $((COUNT * 9 / 10))
done

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

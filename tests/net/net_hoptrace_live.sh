#!/bin/bash
#
# tests/net/net_hoptrace_live.sh: the live view for real, in a detached
# tmux session of its own (private socket) on the namespace lab (lib.sh):
# every hop of the lab shows, Snt grows, `p` holds it, `q` exits 0 with
# the terminal sane (icanon, echo back, no alternate screen left), and
# Ctrl-C leaves it sane as well.  Bounded polls of capture-pane only.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPTRACE:?HOPTRACE must name the hoptrace executable}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"
require_root_and_tools ip tmux "$HOPTRACE" "$HOPPROBE"

SOCK=hb-live-$$
OUT=$(mktemp -d) || fail "mktemp"
# lib.sh's exit trap runs these, then deletes the namespaces.
lab_at_exit tmux -L "$SOCK" kill-server
lab_at_exit rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
lab_at_exit rm -rf "$OUT"
lab_up

export HOPTRACE_WORKER=$HOPPROBE
run_in_tmux()	# NAME: hoptrace in the lab, then its status and stty -a
{
	tmux -L "$SOCK" new-session -d -s "$1" -x 120 -y 40 \
		"ip netns exec $NS_HOST sh -c '\"$HOPTRACE\" -n --worker \"$HOPPROBE\" $LAB_TARGET4; echo EXIT=\$?; stty -a; sleep 60'"
}
cap() { tmux -L "$SOCK" capture-pane -p -t "$1"; }
# The Snt column of hop 1 (the 4th field from the right is Avg...): field
# after Loss%.
snt() { cap "$1" | awk '$1 == "1." { print $4; exit }'; }

run_in_tmux q
ok=0
for _ in $(seq 1 40); do
	c=$(cap q)
	if grep -q "^  1\. $LAB_R1_4 " <<<"$c" && grep -q "^  2\. $LAB_R2_4 " <<<"$c" &&
	   grep -q "^  3\. $LAB_TARGET4 " <<<"$c"; then ok=1; break; fi
	sleep 0.5
done
cap q >"$OUT/screen.txt"
cat "$OUT/screen.txt"
[[ $ok == 1 ]] || fail "the lab's hops did not all show within 20 s"
a=$(snt q); sleep 2.5; b=$(snt q)
[[ -n $a && -n $b && $b -gt $a ]] || fail "Snt did not grow ($a -> $b)"
echo "ok 1 - every hop shows, Snt grows ($a -> $b)"
tmux -L "$SOCK" send-keys -t q p; sleep 1.5
a=$(snt q); sleep 2.5; b=$(snt q)
[[ $a == "$b" ]] || fail "Snt grew while paused ($a -> $b)"
cap q | grep -q '\[paused\]' || fail "no [paused] in the header"
echo "ok 2 - p holds the cycles (Snt $a -> $b)"
tmux -L "$SOCK" send-keys -t q p; sleep 0.5
tmux -L "$SOCK" send-keys -t q q
for _ in $(seq 1 20); do cap q | grep -q '^EXIT=' && break; sleep 0.5; done
c=$(cap q)
grep -q '^EXIT=0$' <<<"$c" || fail "q: not EXIT=0: $(grep EXIT= <<<"$c")"
grep -qw -- '-icanon' <<<"$c" && fail "q: icanon not restored"
grep -qw -- '-echo' <<<"$c" && fail "q: echo not restored"
grep -qw icanon <<<"$c" || fail "q: no stty output"
[[ $(tmux -L "$SOCK" display -p -t q '#{alternate_on}') == 0 ]] ||
	fail "q: the alternate screen is still on"
echo "ok 3 - q exits 0, terminal sane"

run_in_tmux c
for _ in $(seq 1 40); do cap c | grep -q "^  1\. " && break; sleep 0.5; done
tmux -L "$SOCK" send-keys -t c C-c
for _ in $(seq 1 20); do cap c | grep -q '^EXIT=' && break; sleep 0.5; done
c=$(cap c)
grep -q '^EXIT=[01]$' <<<"$c" || fail "Ctrl-C: no exit status"
grep -qw -- '-icanon' <<<"$c" && fail "Ctrl-C: icanon not restored"
grep -qw -- '-echo' <<<"$c" && fail "Ctrl-C: echo not restored"
[[ $(tmux -L "$SOCK" display -p -t c '#{alternate_on}') == 0 ]] ||
	fail "Ctrl-C: the alternate screen is still on"
echo "ok 4 - Ctrl-C: $(grep EXIT= <<<"$c"), terminal sane"
exit 0

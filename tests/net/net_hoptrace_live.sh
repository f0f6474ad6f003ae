#!/bin/bash
#
# tests/net/net_hoptrace_live.sh: the live view for real, in a detached
# tmux session of its own (private socket) on the namespace lab (lib.sh):
# every hop of the lab shows, Snt grows, `p` holds it, `q` exits 0 with
# the terminal sane (icanon, echo back, no alternate screen left), and
# Ctrl-C leaves it sane as well.  Then: -c 3 ends by itself after three
# cycles with the last screen left on the normal screen; with --flows 4,
# `d` shows the paths display and back, a smaller window is redrawn to
# fit, `r` starts the counts again; a worker killed under the view ends
# it with exit 3, the terminal sane and the reason on stderr; and with r1
# dropping 30% of the host's packets and r2 half of its own time-exceeded
# errors, the view says hop 1's loss carries on to the destination and
# hop 2's does not.  Bounded polls of capture-pane only.
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
# run_in_tmux NAME [WORKER [OPTION...]]: hoptrace in the lab (WORKER, by
# default the worker under test; OPTIONs without quotes or spaces), then
# its status and stty -a.
run_in_tmux()
{
	local name=$1 worker=${2:-$HOPPROBE}

	shift
	shift || true
	tmux -L "$SOCK" new-session -d -s "$name" -x 120 -y 40 \
		"ip netns exec $NS_HOST sh -c '\"$HOPTRACE\" -n --worker \"$worker\" $* $LAB_TARGET4; echo EXIT=\$?; stty -a; sleep 60'"
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

# wait_screen NAME PATTERN SECONDS: until a line of the screen matches
# the extended regular expression PATTERN, polled every 0.5 s.
wait_screen()
{
	local i

	for ((i = 0; i < $3 * 2; i++)); do
		cap "$1" | grep -Eq "$2" && return 0
		sleep 0.5
	done
	return 1
}
# sane NAME WHAT: the run in NAME has ended with the terminal restored.
sane()
{
	local c

	c=$(cap "$1")
	grep -qw -- '-icanon' <<<"$c" && fail "$2: icanon not restored"
	grep -qw -- '-echo' <<<"$c" && fail "$2: echo not restored"
	grep -qw icanon <<<"$c" || fail "$2: no stty output"
	[[ $(tmux -L "$SOCK" display -p -t "$1" '#{alternate_on}') == 0 ]] ||
		fail "$2: the alternate screen is still on"
}

run_in_tmux n "$HOPPROBE" -c 3 -i 0.2
wait_screen n '^EXIT=' 20 || fail "-c 3: the view did not end by itself"
cap n >"$OUT/count.txt"
grep -q '^EXIT=0$' "$OUT/count.txt" || fail "-c 3: not EXIT=0: $(grep EXIT= "$OUT/count.txt")"
sane n "-c 3"
for ttl in 1 2 3; do
	# shellcheck disable=SC2016 # awk, not shell
	got=$(awk -v t="$ttl." '$1 == t { print $4; exit }' "$OUT/count.txt")
	[[ $got == 3 ]] || fail "-c 3: hop $ttl's Snt on the normal screen is '$got', want 3"
done
echo "ok 5 - -c 3 ends by itself (EXIT=0), the last screen stays with Snt 3 at every hop"

run_in_tmux m "$HOPPROBE" --flows 4 -i 0.2
wait_screen m "^  3\. $LAB_TARGET4 " 20 || fail "--flows 4: the target did not show"
tmux -L "$SOCK" send-keys -t m d
wait_screen m 'd display \(paths\)' 10 || fail "d: the header does not say paths"
wait_screen m '\[flows [0-9,]+\]' 10 || fail "d: no path rows with their flows"
tmux -L "$SOCK" send-keys -t m d
wait_screen m 'd display \(stats\)' 10 || fail "d d: not back to the statistics"
echo "ok 6 - d: the paths display (rows with [flows ...]) and back to stats"
# At 120 columns StDev ends past column 100; tmux alone would cut the
# old lines at 70, so a column header that ends in StDev within 70 is the
# view's own redraw at the new size.
tmux -L "$SOCK" resize-window -t m -x 70 -y 15
wait_screen m '^ +Host +Loss% +Snt +Last +Avg +Best +Wrst +StDev$' 20 ||
	fail "resized to 70x15: the columns were not redrawn to fit"
wait_screen m "^  1\. $LAB_R1_4 +[0-9.]+%" 10 || fail "resized: hop 1 is not shown"
cap m >"$OUT/small.txt"
sed 's/^/# /' "$OUT/small.txt"
echo "ok 7 - a 70x15 window is redrawn to fit"
# r while paused: nothing new is sent, so hop 1's Snt can only be what
# was still in flight (at most 1), or no row at all.
tmux -L "$SOCK" send-keys -t m p
wait_screen m '\[paused\]' 10 || fail "p before r: no [paused]"
before=$(snt m)
tmux -L "$SOCK" send-keys -t m r
started_again()
{
	local n

	n=$(snt m)
	[[ -z $n || $n -le 1 ]]
}
ok=0
for _ in $(seq 1 40); do
	if started_again; then ok=1; break; fi
	sleep 0.25
done
after=$(snt m)
((ok)) || fail "r: hop 1's Snt did not start again ($before -> $after)"
echo "ok 8 - r starts the counts again (Snt $before -> ${after:-no row})"
tmux -L "$SOCK" send-keys -t m p
tmux -L "$SOCK" send-keys -t m q
wait_screen m '^EXIT=' 10 || fail "q after the modes: no exit"
sane m "q after the modes"

# A worker that dies under the view: a wrapper that says its PID, then
# becomes the worker.
printf '#!/bin/sh\necho $$ >"%s/wpid"\nexec "%s" "$@"\n' "$OUT" "$HOPPROBE" \
	>"$OUT/worker.sh"
chmod +x "$OUT/worker.sh"
run_in_tmux w "$OUT/worker.sh"
wait_screen w "^  1\. $LAB_R1_4 " 20 || fail "worker wrapper: hop 1 did not show"
wpid=$(cat "$OUT/wpid")
[[ $wpid =~ ^[0-9]+$ ]] || fail "worker wrapper: no PID"
kill -9 "$wpid"
wait_screen w '^EXIT=' 10 || fail "worker killed: the view did not end"
cap w >"$OUT/died.txt"
grep -q '^EXIT=3$' "$OUT/died.txt" || fail "worker killed: not EXIT=3: $(grep EXIT= "$OUT/died.txt")"
grep -q '^hoptrace: .*worker' "$OUT/died.txt" || fail "worker killed: no reason on stderr"
sane w "worker killed"
echo "ok 9 - a killed worker ends the view: EXIT=3, $(grep -m1 '^hoptrace: ' "$OUT/died.txt")"

# Loss that carries on, and loss that does not.
printf 'table inet hp_live_drop {\n\tchain pre {\n\t\ttype filter hook prerouting priority -300;\n\t\tip saddr %s numgen random mod 10 < 3 drop\n\t}\n}\n' \
	"$LAB_HOST4" >"$OUT/r1.nft"
printf 'table inet hp_live_own {\n\tchain out {\n\t\ttype filter hook output priority 0;\n\t\ticmp type time-exceeded numgen random mod 2 < 1 drop\n\t}\n}\n' \
	>"$OUT/r2.nft"
in_ns "$NS_R1" nft -f "$OUT/r1.nft" || fail "nftables on r1"
in_ns "$NS_R2" nft -f "$OUT/r2.nft" || fail "nftables on r2"
run_in_tmux v "$HOPPROBE" -q 3 -i 0.1
ok=0
for _ in $(seq 1 90); do
	c=$(cap v)
	if grep -Eq '^hop 1: [0-9.]+% lost, carried on to the destination \([0-9.]+% lost there\)$' <<<"$c" &&
	   grep -Eq '^hop 2: [0-9.]+% lost, not carried on \(destination lost [0-9.]+%\): own answers only$' <<<"$c"; then
		ok=1
		break
	fi
	sleep 0.5
done
cap v >"$OUT/verdict.txt"
sed 's/^/# /' "$OUT/verdict.txt"
[[ $ok == 1 ]] || fail "the loss lines for hop 1 (carried on) and hop 2 (not) did not show within 45 s"
echo "ok 10 - the view says hop 1's loss carries on and hop 2's does not"
tmux -L "$SOCK" send-keys -t v q
wait_screen v '^EXIT=' 10 || fail "q with loss: no exit"
exit 0

#!/bin/bash
#
# tests/net/net_hoptrace_vantage.sh: hoptrace run at a collector, driving
# workers at three vantage points with stock tools, in the lab of
# vantage_lib.sh (each vantage has a path of its own to the target; the
# collector reaches vp1 and vp2 by ssh and vp3 not at all, vp3 being behind
# NAT).  hoptrace always runs inside the collector's namespace.
#
# Checked, in numbered groups:
#   [1] every vantage, both families, through `ip netns exec vpN hopprobe`,
#       through ssh (vp1, vp2, to their IPv4 and IPv6 management
#       addresses) and through the NAT recipe (vp3: socat on a
#       unix socket starting hopprobe with only what hopprobe@.service
#       gives it, `ssh -R` from vp3 to the collector, `socat -
#       UNIX-CONNECT:` as the worker): the hops are that vantage's own
#       and the target is reached
#   [2] RTTs through ssh agree with a local worker in the same namespace,
#       with the ssh connection delayed (delay_proxy.py) so that a
#       transport time counted as RTT would show
#   [3] a worker that cannot be reached (closed port, refused key): exit
#       status 3 and ssh's own message
#   [4] the JSON Lines shipped through NATS (nats-server, the publisher of
#       packaging/examples/nats_publish.py, a subscriber of our own): every
#       record arrives, byte for byte and in order; multi-byte UTF-8 and
#       empty lines keep their byte counts; an idle publisher answers the
#       server's PINGs and keeps its connection
#   [5] --each from the three vantages at once (vp1, vp2 by ssh, vp3 by
#       the NAT recipe), named: one trace per target and worker, each
#       worker's hops its own, in JSON, side by side in text, a report
#       per worker and the merged view with -r
#   [6] --each with vp2's worker (its ssh client) killed while its probes
#       past the routers to a silent address are out: those probes are
#       worker-lost records, its trace ends there, one worker-lost record
#       counts them, vp1 and vp3 finish as the lab says, exit status 4
#
# Environment (exported by `make check`): HOPTRACE, HOPPROBE, TESTS_SRCDIR,
# PYTHON3_SYSTEM.  hoptrace runs as root here, so every run names its
# worker with --worker.
# The checking functions are called through expect(), which shellcheck
# does not follow.
# shellcheck disable=SC2317
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"
: "${HOPTRACE:?HOPTRACE must name the hoptrace executable}"
: "${HOPPROBE:?HOPPROBE must name the hopprobe executable}"
PYTHON3_SYSTEM=${PYTHON3_SYSTEM:-/usr/bin/python3}
NATS_SERVER=${NATS_SERVER:-nats-server}

# shellcheck source=vantage_lib.sh
. "$TESTS_SRCDIR/net/vantage_lib.sh"
vantage_require
require_root_and_tools "$HOPTRACE" "$PYTHON3_SYSTEM" cmp tee
command -v "$NATS_SERVER" >/dev/null 2>&1 ||
	skip "needs nats-server (Debian's nats-server) for the NATS recipe"

CHECK=$TESTS_SRCDIR/net/vantage_check.py
SUBSCRIBE=$TESTS_SRCDIR/net/nats_subscribe.py
PUBLISH=$TESTS_SRCDIR/../packaging/examples/nats_publish.py
PORT_BIND=$TESTS_SRCDIR/net/port_bind.py
[[ -r "$PUBLISH" ]] || fail "no publisher at $PUBLISH"

checks=0
failures=0

ok()
{
	checks=$((checks + 1))
	printf 'ok %d - %s\n' "$checks" "$*"
}

not_ok()
{
	checks=$((checks + 1))
	failures=$((failures + 1))
	printf 'not ok %d - %s\n' "$checks" "$*"
}

note()
{
	printf '# %s\n' "$*"
}

# expect DESCRIPTION CMD...: ok when CMD succeeds.
expect()
{
	local what=$1

	shift
	if "$@"; then
		ok "$what"
	else
		not_ok "$what"
	fi
}

# checker ARGS...: run vantage_check.py and turn its lines into results.
checker()
{
	local status text out

	out=$("$PYTHON3_SYSTEM" "$CHECK" "$@" 2>&1) || {
		not_ok "vantage_check.py $1 failed: $out"
		return
	}
	while IFS=$'\t' read -r status text; do
		case "$status" in
		ok) ok "$text" ;;
		not-ok) not_ok "$text" ;;
		'#') note "$text" ;;
		*) not_ok "vantage_check.py said: $status $text" ;;
		esac
	done <<<"$out"
}

# at_col NAME WORKER ARGS...: hoptrace ARGS in the collector's namespace
# with WORKER, bounded by timeout(1); stdout in $T/NAME.out, stderr in
# $T/NAME.err, the status in RC.
at_col()
{
	local name=$1 worker=$2

	shift 2
	RC=0
	timeout 60 ip netns exec "$VP_COL" "$HOPTRACE" --worker "$worker" "$@" \
		>"$T/$name.out" 2>"$T/$name.err" </dev/null || RC=$?
}

# rc_is WANT NAME: the last run exited WANT (its stderr shown if not).
rc_is()
{
	if [[ "$RC" != "$1" ]]; then
		printf '# exit %s, want %s; stderr:\n' "$RC" "$1"
		sed 's/^/#   /' "$T/$2.err"
		return 1
	fi
}

target_of()
{
	if [[ $1 == 4 ]]; then
		printf '%s\n' "$VP_TARGET4"
	else
		printf '%s\n' "$VP_TARGET6"
	fi
}

vantage_up
vantage_nat_up
T=$VP_DIR/t
mkdir -p "$T" || fail "mkdir $T"

# ---- [1] every vantage's own path, by every way of reaching it ---------
note "[1] each vantage's hops through ip netns exec, ssh and the NAT recipe"
for p in 1 2 3; do
	kinds=(local)
	((p <= 2)) && kinds+=(ssh ssh6)
	((p == 3)) && kinds+=(nat)
	for kind in "${kinds[@]}"; do
		case $kind in
		local) worker=$(vantage_local_worker "$p") ;;
		ssh) worker=$(vantage_ssh_worker "$p") ;;
		# The same over the management network's IPv6.
		ssh6) worker=$(vantage_ssh_worker "$p" 22 client "${VP_MGMT6[$p]}") ;;
		nat) worker=$(vantage_nat_worker) ;;
		esac
		for fam in 4 6; do
			name=path_vp${p}_${kind}_$fam
			mapfile -t hops < <(vantage_hops "$p" "$fam")
			at_col "$name" "$worker" -"$fam" -n -j -q 2 -w 2 "$(target_of "$fam")"
			expect "[1] vp$p by $kind, IPv$fam: exit 0" rc_is 0 "$name"
			checker path "[1] vp$p by $kind, IPv$fam" "$T/$name.out" "$fam" "${hops[@]}"
		done
		# The text output once per vantage and way, for people
		# reading the log.
		at_col "text_vp${p}_$kind" "$worker" -n --no-live -q 2 -w 2 \
			"$VP_TARGET4" "$VP_TARGET6"
		expect "[1] vp$p by $kind, text of both families: exit 0" \
			rc_is 0 "text_vp${p}_$kind"
		note "vp$p by $kind: hoptrace --worker '$worker' -n $VP_TARGET4 $VP_TARGET6"
		sed 's/^/#   /' "$T/text_vp${p}_$kind.out"
	done
done

# ---- [2] RTTs are the worker's own ------------------------------------
# The RTT is measured by the worker, between its send and its receive, so
# the way to the worker does not enter it.  To make a transport time that
# did enter it visible, the ssh connection goes through delay_proxy.py (a
# ProxyCommand; this kernel may have no netem), which holds every chunk
# 25 ms each way: a request and its reply take 50 ms longer while the
# probes' links stay undelayed (tens of microseconds).  The bound, 20 ms
# between the per-hop medians of 3 cycles x 3 probes, is far below those
# 50 ms and far above what separates two runs on an idle lab; it leaves
# room for the shared machine delaying a worker's wake-up by a few
# milliseconds in either run.
note "[2] RTT through ssh (delayed 25 ms each way) agrees with a local worker"
RTT_BOUND_US=20000
DELAY_PROXY=$TESTS_SRCDIR/net/delay_proxy.py
for p in 1 2; do
	at_col "rtt_vp${p}_local" "$(vantage_local_worker "$p")" \
		-4 -n -j -c 3 -i 0.2 -q 3 -w 3 "$VP_TARGET4"
	expect "[2] vp$p local run: exit 0" rc_is 0 "rtt_vp${p}_local"
	VP_SSH_PROXY="$(printf '%q %q 25 %%h %%p' "$PYTHON3_SYSTEM" "$DELAY_PROXY")"
	delayed=$(vantage_ssh_worker "$p")
	unset VP_SSH_PROXY
	start_us=$(_lab_now_us)
	at_col "rtt_vp${p}_ssh" "$delayed" -4 -n -j -c 3 -i 0.2 -q 3 -w 3 "$VP_TARGET4"
	took_ms=$((($(_lab_now_us) - start_us) / 1000))
	expect "[2] vp$p delayed ssh run: exit 0" rc_is 0 "rtt_vp${p}_ssh"
	# The delay is really there: ssh's handshake alone takes several
	# round trips of at least 50 ms each.
	expect "[2] vp$p: the delayed ssh run took at least 250 ms (took $took_ms ms)" \
		test "$took_ms" -ge 250
	checker rtt "[2] vp$p ssh vs local" "$T/rtt_vp${p}_local.out" "$T/rtt_vp${p}_ssh.out" "$RTT_BOUND_US"
done

# ---- [3] a worker that cannot be reached ------------------------------
note "[3] unreachable workers: exit status 3 and ssh's message"
# Port 2 of vp1: nothing listens there.
closed=$(vantage_ssh_worker 1 2)
at_col unreach_port "$closed" -4 -n -w 1 "$VP_TARGET4"
expect "[3] closed port: exit 3" rc_is 3 unreach_port
expect "[3] closed port: the message names the worker and its status 255" \
	grep -qF "worker '$closed' exited with status 255" "$T/unreach_port.err"
expect "[3] closed port: the message carries ssh's 'Connection refused'" \
	grep -qE "connect to host ${VP_MGMT4[1]//./\\.} port 2: Connection refused" "$T/unreach_port.err"
# vp2 with the NAT key, which its authorized_keys does not hold.
refused=$(vantage_ssh_worker 2 22 nat)
at_col unreach_key "$refused" -4 -n -w 1 "$VP_TARGET4"
expect "[3] refused key: exit 3" rc_is 3 unreach_key
expect "[3] refused key: the message carries ssh's 'Permission denied (publickey)'" \
	grep -qF "Permission denied (publickey)" "$T/unreach_key.err"
# vp1 with a known_hosts that does not list it: the host key check is on
# (BatchMode, no StrictHostKeyChecking=no), so ssh refuses, never asks.
grep -v "^${VP_MGMT4[1]}," "$VP_DIR/known_hosts" >"$T/known_hosts.other" ||
	fail "cannot write $T/known_hosts.other"
untrusted=$(vantage_ssh_worker 1 22 client "${VP_MGMT4[1]}" "$T/known_hosts.other")
at_col unreach_hostkey "$untrusted" -4 -n -w 1 "$VP_TARGET4"
expect "[3] unknown host key: exit 3" rc_is 3 unreach_hostkey
expect "[3] unknown host key: the message carries ssh's 'Host key verification failed'" \
	grep -qF "Host key verification failed" "$T/unreach_hostkey.err"

# ---- [4] JSON Lines through NATS ---------------------------------------
note "[4] JSON Lines shipped through nats-server"
# A port free in the collector's namespace (where the server runs, on
# 127.0.0.1): try a few, checked with a bind.
nats_port=""
for ((i = 0; i < 20; i++)); do
	port=$((20000 + (RANDOM % 30000)))
	if [[ $(in_ns "$VP_COL" "$PYTHON3_SYSTEM" "$PORT_BIND" tcp "$port" 4) == bound ]]; then
		nats_port=$port
		break
	fi
done
[[ -n "$nats_port" ]] || fail "no free TCP port found for nats-server"
# The server PINGs each client every second and drops one that leaves 2
# unanswered ("Stale Connection", about 3 s after it connected): a
# publisher or subscriber that ignored PINGs would be cut off within the
# hoptrace run below (5 cycles, 1 s apart: over 4 s).
printf '%s\n' "listen: 127.0.0.1:$nats_port" 'ping_interval: "1s"' 'ping_max: 2' \
	>"$T/nats.conf"
bg_start "$VP_COL" "$NATS_SERVER" -c "$T/nats.conf" </dev/null >"$T/nats.log" 2>&1
# shellcheck disable=SC2016 # evaluated by wait_for
wait_for 'in_ns "$VP_COL" socat -u /dev/null TCP:127.0.0.1:$nats_port,connect-timeout=1 2>/dev/null' 10 ||
	fail "nats-server does not listen on 127.0.0.1:$nats_port: $(cat "$T/nats.log")"

# nats_round NAME SUBJECT: start a subscriber to SUBJECT (ready when its
# file appears), ending on SUBJECT.end; sets SUB_PID.
nats_round()
{
	local name=$1 subject=$2

	rm -f "$T/$name.ready"
	bg_start "$VP_COL" "$PYTHON3_SYSTEM" "$SUBSCRIBE" "$nats_port" "$subject" \
		"$subject.end" "$T/$name.got" "$T/$name.ready" 60 \
		</dev/null 2>"$T/$name.sub.err"
	SUB_PID=$(bg_pid)
	# shellcheck disable=SC2016 # evaluated by wait_for
	wait_for '[[ -e "$T/$name.ready" ]]' 10 ||
		fail "the NATS subscriber did not get ready: $(cat "$T/$name.sub.err")"
}

# nats_end NAME SUBJECT: publish the end marker and wait for the
# subscriber (bounded); its status in SUB_RC.
nats_end()
{
	local name=$1 subject=$2 i

	printf 'end\n' | in_ns "$VP_COL" timeout 30 "$PYTHON3_SYSTEM" "$PUBLISH" \
		--server "127.0.0.1:$nats_port" "$subject.end" ||
		not_ok "[4] the end marker could not be published"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$SUB_PID" 2>/dev/null || break
		sleep 0.1
	done
	SUB_RC=0
	wait "$SUB_PID" || SUB_RC=$?
}

nats_round jsonl hoptrace.traces
# The documented recipe: hoptrace --jsonl | nats_publish.py SUBJECT, here
# with tee keeping the very bytes hoptrace wrote.
timeout 60 ip netns exec "$VP_COL" "$HOPTRACE" --worker "$(vantage_ssh_worker 1)" \
	--jsonl -n -c 5 -i 1 -q 1 -w 2 "$VP_TARGET4" "$VP_TARGET6" </dev/null 2>"$T/nats_hoptrace.err" |
	tee "$T/jsonl.sent" |
	in_ns "$VP_COL" timeout 60 "$PYTHON3_SYSTEM" "$PUBLISH" --server "127.0.0.1:$nats_port" \
		hoptrace.traces 2>"$T/nats_publish.err"
statuses=("${PIPESTATUS[@]}")
expect "[4] hoptrace exit 0 (got ${statuses[0]})" test "${statuses[0]}" = 0
expect "[4] nats_publish.py exit 0 (got ${statuses[2]}): $(cat "$T/nats_publish.err")" \
	test "${statuses[2]}" = 0
nats_end jsonl hoptrace.traces
expect "[4] the subscriber ended on the end marker (status $SUB_RC): $(cat "$T/jsonl.sub.err")" \
	test "$SUB_RC" = 0
sent_lines=$(wc -l <"$T/jsonl.sent")
got_lines=$(wc -l <"$T/jsonl.got" 2>/dev/null || echo 0)
note "hoptrace wrote $sent_lines records ($(wc -c <"$T/jsonl.sent") bytes); the subscriber got $got_lines"
# 2 traces x (trace-start, 2+ hops, probes, trace-end) + run-start/end.
expect "[4] hoptrace wrote a run's worth of records (at least 12, got $sent_lines)" \
	test "$sent_lines" -ge 12
expect "[4] the subscriber got every record, byte for byte, in order" \
	cmp "$T/jsonl.sent" "$T/jsonl.got"

# Byte counts are bytes: multi-byte UTF-8, an empty line, a line longer
# than one read, and a last line without its newline.
nats_round utf8 hoptrace.utf8
{
	printf '{"note":"caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x9b\xb0"}\n'
	printf '\n'
	head -c 150000 /dev/zero | tr '\0' 'x'
	printf '\n'
	printf '{"last":"no newline \xc3\xa9"}'
} >"$T/utf8.sent"
in_ns "$VP_COL" timeout 30 "$PYTHON3_SYSTEM" "$PUBLISH" --server "127.0.0.1:$nats_port" \
	hoptrace.utf8 <"$T/utf8.sent" 2>"$T/utf8_publish.err"
publish_rc=$?
expect "[4] nats_publish.py of UTF-8 lines: exit 0 (got $publish_rc) $(cat "$T/utf8_publish.err")" \
	test "$publish_rc" = 0
nats_end utf8 hoptrace.utf8
printf '\n' >>"$T/utf8.sent"
expect "[4] UTF-8, empty and long lines arrive byte for byte (the last one with a newline added)" \
	cmp "$T/utf8.sent" "$T/utf8.got"

# PINGs: the server does not PING a client that keeps sending, so the
# run above may not have drawn any.  An idle producer does: first a
# client that never answers, which the server must cut off as stale
# (the control: this server enforces it), then the publisher with 4 s of
# silence on its input between two lines (the sleep is the stimulus, not
# a wait for an event), which must keep its connection and deliver both.
(
	printf 'CONNECT {"verbose":false}\r\n'
	sleep 5
) | in_ns "$VP_COL" timeout 10 socat - "TCP:127.0.0.1:$nats_port" >"$T/silent.out" 2>&1
expect "[4] control: a client that never answers PING is cut off as stale" \
	grep -q "Stale Connection" "$T/silent.out"
nats_round idle hoptrace.idle
{
	printf '{"first":1}\n'
	sleep 4
	printf '{"second":2}\n'
} | in_ns "$VP_COL" timeout 30 "$PYTHON3_SYSTEM" "$PUBLISH" --server "127.0.0.1:$nats_port" \
	hoptrace.idle 2>"$T/idle_publish.err"
publish_rc=$?
expect "[4] nats_publish.py with an idle input answers PINGs: exit 0 (got $publish_rc) $(cat "$T/idle_publish.err")" \
	test "$publish_rc" = 0
nats_end idle hoptrace.idle
printf '{"first":1}\n{"second":2}\n' >"$T/idle.sent"
expect "[4] both lines around the idle time arrive" cmp "$T/idle.sent" "$T/idle.got"

# ---- [5] every target from every vantage (--each) ----------------------
note "[5] --each: the three vantages side by side"
each_workers=(--worker "vp1=$(vantage_ssh_worker 1)"
	--worker "vp2=$(vantage_ssh_worker 2)" --worker "vp3=$(vantage_nat_worker)")
for fam in 4 6; do
	specs=()
	for p in 1 2 3; do
		mapfile -t hops < <(vantage_hops "$p" "$fam")
		specs+=("vp$p=$(IFS=,; printf '%s' "${hops[*]}")")
	done
	RC=0
	timeout 60 ip netns exec "$VP_COL" "$HOPTRACE" "${each_workers[@]}" \
		--each -n -j -q 2 -w 2 "$(target_of "$fam")" \
		>"$T/each_$fam.out" 2>"$T/each_$fam.err" </dev/null || RC=$?
	expect "[5] --each, IPv$fam: exit 0" rc_is 0 "each_$fam"
	checker each "[5] --each, IPv$fam" "$T/each_$fam.out" "$fam" "${specs[@]}"
done
for fmt in text report; do
	fopt=(--no-live)
	[[ $fmt == report ]] && fopt=(-r -c 3)
	RC=0
	timeout 60 ip netns exec "$VP_COL" "$HOPTRACE" "${each_workers[@]}" \
		--each -n "${fopt[@]}" -q 2 -w 2 "$VP_TARGET4" \
		>"$T/each_$fmt.out" 2>"$T/each_$fmt.err" </dev/null || RC=$?
	expect "[5] --each, $fmt: exit 0" rc_is 0 "each_$fmt"
	note "--each ($fmt) from vp1, vp2, vp3:"
	sed 's/^/#   /' "$T/each_$fmt.out"
done
expect "[5] --each text: side by side, a column per vantage" \
	grep -qE "^hoptrace .* to ${VP_TARGET4//./\\.}, side by side: vp1, vp2, vp3, started " "$T/each_text.out"
expect "[5] --each text: each vantage reaches the target at its own hop (2, 3, 4)" \
	test "$(grep -cE '^  vp1: .*reached .* at hop 2,|^  vp2: .*reached .* at hop 3,|^  vp3: .*reached .* at hop 4,' "$T/each_text.out")" = 3
expect "[5] --each -r: a report per vantage, then the merged view" \
	test "$(grep -cE '^hoptrace .*, icmp( flow [0-9]+)?, worker vp[123]$' "$T/each_report.out")" = 3
expect "[5] --each -r: the verdict names where each stops" \
	grep -qE '^vp2: reaches the target at hop 3, vp1 reaches the target at hop 2$' "$T/each_report.out"

# ---- [6] a vantage lost mid-run ----------------------------------------
note "[6] --each with vp2's worker killed while its probes are out"
pidfile=$T/vp2.pid
RC=0
timeout 60 ip netns exec "$VP_COL" "$HOPTRACE" --worker "vp1=$(vantage_ssh_worker 1)" \
	--worker "vp2=echo \$\$ > $(printf '%q' "$pidfile"); exec $(vantage_ssh_worker 2)" \
	--worker "vp3=$(vantage_nat_worker)" --each -n --jsonl -q 2 -w 4 -m 6 \
	"$VP_TARGET4" "$VP_SILENT4" >"$T/lost.out" 2>"$T/lost.err" </dev/null &
ht_pid=$!
# vp2's probes are out once its first router's answer to its trace of the
# silent address is in: every ttl of a cycle goes out at once.
# shellcheck disable=SC2016 # evaluated by wait_for
if wait_for '[[ -s "$pidfile" ]] && grep "\"type\":\"hop\"" "$T/lost.out" 2>/dev/null | grep "\"worker\":\"vp2\"" | grep -q "\"target\":\"$VP_SILENT4\""' 20; then
	kill -KILL "$(cat "$pidfile")"
	wait "$ht_pid" || RC=$?
	expect "[6] exit status 4 (partial)" rc_is 4 lost
	expect "[6] stderr: vp2's worker was killed, the run goes on" \
		grep -qE "signal 9.*its traces end there; going on with the others" "$T/lost.err"
	specs=()
	for p in 1 2 3; do
		mapfile -t hops < <(vantage_hops "$p" 4)
		specs+=("vp$p=$(IFS=,; printf '%s' "${hops[*]}")")
	done
	checker lost "[6] vp2 lost" "$T/lost.out" vp2 "$VP_TARGET4" "$VP_SILENT4" "${specs[@]}"
	# The recording as people read it; its exit status stays 4.
	RC=0
	timeout 30 "$HOPTRACE" --replay "$T/lost.out" >"$T/lost_text.out" \
		2>"$T/lost_text.err" </dev/null || RC=$?
	expect "[6] the recording replayed: exit 4, as recorded" rc_is 4 lost_text
	expect "[6] ... side by side, vp2 lost its worker after its first routers" \
		grep -qE '^vp2: lost its worker after hop [12], vp1 no answer beyond hop 1$' "$T/lost_text.out"
	note "the run with vp2 killed, replayed as text:"
	sed 's/^/#   /' "$T/lost_text.out"
else
	kill -TERM "$ht_pid" 2>/dev/null
	wait "$ht_pid"
	not_ok "[6] vp2's probes to $VP_SILENT4 never went out: $(cat "$T/lost.err")"
fi

printf '1..%d\n' "$checks"
if ((failures)); then
	printf '# %d of %d checks failed\n' "$failures" "$checks"
	exit 1
fi
exit 0

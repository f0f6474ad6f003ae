#!/bin/bash
#
# tests/net/net_hoptrace_priv.sh: hoptrace's privilege model (hoptrace(1),
# PRIVILEGE and ENVIRONMENT), seen from outside, in the lab's host
# namespace.
#
# 1. hoptrace with privilege of its own refuses to run, with exit status 3
#    and a message that says so, before it starts any worker or sends
#    anything: copies of it in a temporary directory under /tmp (the work
#    tree need not be reachable by other users) that are
#      suid   root:root, mode 4755
#      sgid   root:root, mode 2755
#      fcap   file capabilities cap_net_raw+ep
#    run by uid 65534 (setpriv, no groups), and a plain copy run by a uid
#    65534 that holds cap_net_raw as an ambient capability.  The worker
#    given (once with --worker, once through HOPTRACE_WORKER) is
#    `touch MARKER; exec hopprobe`: no MARKER may appear, and the host
#    namespace's IPv4 OutRequests counter must not move (a run that does
#    probe moves it: the control).  (In an AddressSanitizer build the
#    setgid copy exits 1 from LeakSanitizer's fatal error at exit, which is
#    accepted there only: see SANITIZED below.)
# 2. Run by root, hoptrace works: 127.0.0.1 and the lab target, both
#    families, exit 0, reached at the known distance.  HOPTRACE_WORKER is
#    ignored when hoptrace runs as root ("It is ignored when hoptrace runs
#    with elevated privilege (for example as root)"; --help: "$HOPTRACE_
#    WORKER when not privileged"): a marker worker in it must not run.
# 3. uid 65534 with a worker copy that has file capabilities
#    cap_net_raw,cap_net_admin+ep: `hoptrace --worker COPY` and
#    `HOPTRACE_WORKER=COPY hoptrace` both exit 0 and reach 127.0.0.1 and
#    the lab target with ICMP, and a UDP trace with --mark works.  The
#    namespace's net.ipv4.ping_group_range is "1 0" (nobody may open ping
#    sockets), so ICMP can only work through the copy's raw sockets: a
#    fallback to an unprivileged worker would fail.
# 4. uid 65534 with a plain worker copy (hopprobe's unprivileged mode,
#    hopprobe(8)): -S (SCTP) and --mark exit 3 with a message naming the
#    feature the worker cannot do (its check-support answer); ICMP outside
#    ping_group_range likewise exits 3; UDP works, and ICMP too once
#    ping_group_range admits the user.
#
# Environment (exported by `make check`): HOPTRACE, HOPPROBE, TESTS_SRCDIR.
set -u

: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests directory}"

# shellcheck source=lib.sh
. "$TESTS_SRCDIR/net/lib.sh"

require_root_and_tools ip ping timeout setpriv setcap getcap findmnt
if [[ -z "${HOPTRACE:-}" || ! -x "$HOPTRACE" ]]; then
	skip "HOPTRACE is not set to an executable hoptrace"
fi
if [[ -z "${HOPPROBE:-}" || ! -x "$HOPPROBE" ]]; then
	skip "HOPPROBE is not set to an executable worker"
fi

NOBODY=65534
AS_NOBODY=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups)
AS_NOBODY_CAPS=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups
	--inh-caps=+net_raw --ambient-caps=+net_raw)

note()
{
	printf '# %s\n' "$*"
}

note_file()
{
	local line n=0

	while IFS= read -r line && ((n++ < ${2:-12})); do
		printf '#   %s\n' "$line"
	done <"$1"
}

T=$(mktemp -d /tmp/net_hoptrace_priv.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
chmod 755 "$T" || fail "chmod $T"
case ",$(findmnt -no OPTIONS -T "$T")," in
*,nosuid,*) skip "$T is on a nosuid mount: setuid and file capabilities do not apply" ;;
esac
if ! "${AS_NOBODY[@]}" test -x "$T"; then
	skip "uid $NOBODY cannot reach $T"
fi

# The copies.  bin/ holds hoptrace alone, so that a hoptrace there finds
# no worker beside it: a fallback to a default worker fails visibly.
mkdir "$T/bin" "$T/workers" "$T/marks" || fail "mkdir"
chmod 755 "$T/bin" "$T/workers" || fail "chmod"
chmod 1777 "$T/marks" || fail "chmod"
for v in plain suid sgid fcap; do
	cp "$HOPTRACE" "$T/bin/hoptrace-$v" || fail "cp $HOPTRACE"
	chown root:root "$T/bin/hoptrace-$v" || fail "chown"
	chmod 755 "$T/bin/hoptrace-$v" || fail "chmod"
done
chmod 4755 "$T/bin/hoptrace-suid" || fail "chmod 4755"
chmod 2755 "$T/bin/hoptrace-sgid" || fail "chmod 2755"
setcap cap_net_raw+ep "$T/bin/hoptrace-fcap" ||
	skip "setcap does not work on $T"
for v in plain fcap; do
	cp "$HOPPROBE" "$T/workers/hopprobe-$v" || fail "cp $HOPPROBE"
	chown root:root "$T/workers/hopprobe-$v" || fail "chown"
	chmod 755 "$T/workers/hopprobe-$v" || fail "chmod"
done
setcap cap_net_raw,cap_net_admin+ep "$T/workers/hopprobe-fcap" ||
	skip "setcap does not work on $T"
note "copies: $(stat -c '%n %U:%G %A' "$T"/bin/* "$T"/workers/* | sed "s|$T/||g" | paste -sd ';' -)"
note "file capabilities: $(getcap "$T/bin/hoptrace-fcap" "$T/workers/hopprobe-fcap" | sed "s|$T/||g" | paste -sd ';' -)"

lab_up
# Nobody may open ping sockets in the host namespace (the kernel's default,
# set here explicitly).
_lab_sysctl "$NS_HOST" net.ipv4.ping_group_range "1 0"

# ht NAME AS... -- ARGS...: run a hoptrace in the host namespace as AS
# (a command prefix, maybe empty); output in $T/NAME.out and .err, status
# in RC.
ht()
{
	local name=$1
	local -a as=()

	shift
	while (($# > 0)) && [[ "$1" != -- ]]; do
		as+=("$1")
		shift
	done
	shift
	timeout 30 ip netns exec "$NS_HOST" "${as[@]}" "$@" \
		>"$T/$name.out" 2>"$T/$name.err" </dev/null
	RC=$?
}

# status_is NAME WANT DESC: the last run's status is WANT.
status_is()
{
	if ((RC == $2)); then
		ok "$3: exit $2"
	else
		not_ok "$3: exit $RC, want $2"
		note "stdout:"
		note_file "$T/$1.out"
		note "stderr:"
		note_file "$T/$1.err"
	fi
}

# An AddressSanitizer build's LeakSanitizer cannot run at exit in a
# setgid process (it cannot ptrace a non-dumpable process without
# CAP_SYS_PTRACE, and ASAN_OPTIONS is not read there to switch it off): it
# reports "LeakSanitizer has encountered a fatal error" and exits 1 instead
# of hoptrace's own status.  Only then, and only for such a build, is exit 1
# taken for the refusal's 3.
SANITIZED=0
if grep -qa __asan_init "$HOPTRACE"; then
	SANITIZED=1
	note "$HOPTRACE is an AddressSanitizer build"
fi

# refusal_status NAME DESC: the last run exited 3 (see SANITIZED above).
refusal_status()
{
	if ((RC != 3 && RC == 1 && SANITIZED)) &&
		grep -q 'LeakSanitizer has encountered a fatal error' "$T/$1.err"; then
		ok "$2: exit 1 from LeakSanitizer's fatal error at exit (an ASan build: hoptrace's own status is not visible)"
	else
		status_is "$1" 3 "$2"
	fi
}

# reached NAME DESC TARGET HOPS: the text output ends TARGET's trace
# "reached TARGET (TARGET) at hop HOPS" and shows hop HOPS as TARGET.
reached()
{
	local name=$1 desc=$2 target=$3 hops=$4

	if grep -qxF "reached $target ($target) at hop $hops, ended" \
		<(sed -E 's/ended [0-9TZ:.-]+$/ended/' "$T/$name.out") &&
		grep -qE "^ *$hops  $(re_escape "$target")  " "$T/$name.out"; then
		ok "$desc: $target reached at hop $hops"
	else
		not_ok "$desc: $target reached at hop $hops"
		note_file "$T/$name.out"
	fi
}

# out_requests: the host namespace's IPv4 OutRequests counter.
out_requests()
{
	# shellcheck disable=SC2016 # awk's own $
	ip netns exec "$NS_HOST" awk '$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) f[$i] = i; h = 1; next }
		$1 == "Ip:" { print $f["OutRequests"]; exit }' /proc/net/snmp
}

# ---------------------------------------------------------------------
# 1. Privilege of its own: refused, nothing started, nothing sent.

marker_worker()
{
	printf 'touch %q; exec %q' "$T/marks/$1" "$HOPPROBE"
}

before=$(out_requests)
for v in suid sgid fcap ambient; do
	case $v in
	ambient) as=("${AS_NOBODY_CAPS[@]}") bin=$T/bin/hoptrace-plain
		what="a plain copy run by uid $NOBODY holding ambient cap_net_raw" ;;
	suid) as=("${AS_NOBODY[@]}") bin=$T/bin/hoptrace-suid
		what="setuid root copy run by uid $NOBODY" ;;
	sgid) as=("${AS_NOBODY[@]}") bin=$T/bin/hoptrace-sgid
		what="setgid root copy run by uid $NOBODY" ;;
	fcap) as=("${AS_NOBODY[@]}") bin=$T/bin/hoptrace-fcap
		what="copy with cap_net_raw+ep run by uid $NOBODY" ;;
	esac
	ht "$v-opt" "${as[@]}" -- "$bin" -n --worker "$(marker_worker "$v-opt")" \
		"$LAB_TARGET4" 127.0.0.1
	refusal_status "$v-opt" "$what, --worker"
	if grep -qi 'refus' "$T/$v-opt.err"; then
		ok "$what: the message says it refuses ($(head -c 100 "$T/$v-opt.err")...)"
	else
		not_ok "$what: the message says it refuses"
		note_file "$T/$v-opt.err"
	fi
	if [[ -e "$T/marks/$v-opt" ]]; then
		not_ok "$what: no worker was started (--worker)"
	else
		ok "$what: no worker was started (--worker)"
	fi
	if [[ -s "$T/$v-opt.out" ]]; then
		not_ok "$what: nothing on stdout"
		note_file "$T/$v-opt.out"
	else
		ok "$what: nothing on stdout"
	fi

	ht "$v-env" "${as[@]}" env HOPTRACE_WORKER="$(marker_worker "$v-env")" -- \
		"$bin" -n "$LAB_TARGET4"
	refusal_status "$v-env" "$what, HOPTRACE_WORKER"
	if [[ -e "$T/marks/$v-env" ]]; then
		not_ok "$what: no worker was started (HOPTRACE_WORKER)"
	else
		ok "$what: no worker was started (HOPTRACE_WORKER)"
	fi
done
after=$(out_requests)
if [[ -n "$before" && "$before" == "$after" ]]; then
	ok "no packet left the host namespace during the refused runs (IPv4 OutRequests $before)"
else
	not_ok "no packet left the host namespace during the refused runs (IPv4 OutRequests $before -> $after)"
fi

# ---------------------------------------------------------------------
# 2. Run by root.

printf -v WORKER '%q' "$HOPPROBE"
before=$(out_requests)
ht root4 -- "$HOPTRACE" -n --worker "$WORKER" 127.0.0.1 "$LAB_TARGET4"
status_is root4 0 "root, 127.0.0.1 and $LAB_TARGET4"
reached root4 "root" 127.0.0.1 1
reached root4 "root" "$LAB_TARGET4" 3
after=$(out_requests)
if [[ -n "$before" && -n "$after" ]] && ((after > before)); then
	ok "control: a probing run moves IPv4 OutRequests ($before -> $after)"
else
	not_ok "control: a probing run moves IPv4 OutRequests ($before -> $after)"
fi
if ((LAB_HAVE_IPV6)); then
	ht root6 -- "$HOPTRACE" -n --worker "$WORKER" ::1 "$LAB_TARGET6"
	status_is root6 0 "root, ::1 and $LAB_TARGET6"
	reached root6 "root" ::1 1
	reached root6 "root" "$LAB_TARGET6" 3
fi
# The setuid copy run by root has no privilege beyond root's own.
ht root-suid -- "$T/bin/hoptrace-suid" -n --worker "$WORKER" 127.0.0.1
status_is root-suid 0 "root running the setuid root copy"

# HOPTRACE_WORKER is read with secure_getenv(3): root started it as
# itself (no privilege gained at exec), so root's environment counts, as
# the test suite itself relies on.  The setuid and file-capability copies
# above never reach it: they refuse first (their marker stays absent).
ht root-env env HOPTRACE_WORKER="$(marker_worker root-env)" -- \
	"$HOPTRACE" -n 127.0.0.1
status_is root-env 0 "root with HOPTRACE_WORKER set"
if [[ -e "$T/marks/root-env" ]]; then
	ok "root: HOPTRACE_WORKER is honoured (hoptrace(1), ENVIRONMENT)"
else
	not_ok "root: HOPTRACE_WORKER is honoured (hoptrace(1), ENVIRONMENT); the marker worker did not run"
fi

# ---------------------------------------------------------------------
# 3. An unprivileged user with a capable worker.

FCAP=$T/workers/hopprobe-fcap
ht nobody-fcap-opt "${AS_NOBODY[@]}" -- "$T/bin/hoptrace-plain" \
	--worker "$FCAP" -n 127.0.0.1
status_is nobody-fcap-opt 0 "uid $NOBODY, --worker $FCAP (cap_net_raw,cap_net_admin+ep)"
reached nobody-fcap-opt "uid $NOBODY, --worker with capabilities" 127.0.0.1 1

ht nobody-fcap-env "${AS_NOBODY[@]}" env HOPTRACE_WORKER="$FCAP" -- \
	"$T/bin/hoptrace-plain" -n 127.0.0.1
status_is nobody-fcap-env 0 "uid $NOBODY, HOPTRACE_WORKER=$FCAP"
reached nobody-fcap-env "uid $NOBODY, HOPTRACE_WORKER with capabilities" 127.0.0.1 1

ht nobody-fcap-lab "${AS_NOBODY[@]}" env HOPTRACE_WORKER="$FCAP" -- \
	"$T/bin/hoptrace-plain" -n "$LAB_TARGET4"
status_is nobody-fcap-lab 0 "uid $NOBODY, worker with capabilities, ICMP to $LAB_TARGET4"
reached nobody-fcap-lab "uid $NOBODY, worker with capabilities" "$LAB_TARGET4" 3

ht nobody-fcap-mark "${AS_NOBODY[@]}" -- "$T/bin/hoptrace-plain" \
	--worker "$FCAP" -n -U -M 5 "$LAB_TARGET4"
status_is nobody-fcap-mark 0 "uid $NOBODY, worker with cap_net_admin, UDP with --mark 5"
reached nobody-fcap-mark "uid $NOBODY, --mark" "$LAB_TARGET4" 3

# ---------------------------------------------------------------------
# 4. An unprivileged user with an unprivileged worker.

PLAIN=$T/workers/hopprobe-plain

# refused_for NAME FEATURE DESC: exit 3, a message naming FEATURE and
# saying the worker cannot do it, and no hop shown.
refused_for()
{
	status_is "$1" 3 "$3"
	if grep -qi "cannot" "$T/$1.err" && grep -qiw "$2" "$T/$1.err"; then
		ok "$3: the message says the worker cannot do $2 ($(head -n1 "$T/$1.err"))"
	else
		not_ok "$3: the message says the worker cannot do $2"
		note_file "$T/$1.err"
	fi
	if grep -qE '^ *[0-9]+  ' "$T/$1.out"; then
		not_ok "$3: no hop shown"
		note_file "$T/$1.out"
	else
		ok "$3: no hop shown"
	fi
}

ht nobody-sctp "${AS_NOBODY[@]}" -- "$T/bin/hoptrace-plain" \
	--worker "$PLAIN" -n -S "$LAB_TARGET4"
refused_for nobody-sctp sctp "uid $NOBODY, unprivileged worker, -S"

ht nobody-mark "${AS_NOBODY[@]}" -- "$T/bin/hoptrace-plain" \
	--worker "$PLAIN" -n -U -M 5 "$LAB_TARGET4"
refused_for nobody-mark mark "uid $NOBODY, unprivileged worker, --mark"

ht nobody-icmp "${AS_NOBODY[@]}" -- "$T/bin/hoptrace-plain" \
	--worker "$PLAIN" -n "$LAB_TARGET4"
refused_for nobody-icmp icmp "uid $NOBODY, unprivileged worker, ICMP outside ping_group_range"

ht nobody-udp "${AS_NOBODY[@]}" -- "$T/bin/hoptrace-plain" \
	--worker "$PLAIN" -n -U "$LAB_TARGET4"
status_is nobody-udp 0 "uid $NOBODY, unprivileged worker, UDP"
reached nobody-udp "uid $NOBODY, unprivileged worker, UDP" "$LAB_TARGET4" 3

_lab_sysctl "$NS_HOST" net.ipv4.ping_group_range "0 2147483647"
ht nobody-icmp-range "${AS_NOBODY[@]}" -- "$T/bin/hoptrace-plain" \
	--worker "$PLAIN" -n "$LAB_TARGET4"
status_is nobody-icmp-range 0 "uid $NOBODY, unprivileged worker, ICMP inside ping_group_range"
reached nobody-icmp-range "uid $NOBODY, unprivileged worker, ICMP" "$LAB_TARGET4" 3

printf '# %d checks, %d failed\n' "$checks" "$failures"
((failures == 0)) || exit 1
exit 0

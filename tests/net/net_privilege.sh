#!/bin/bash
#
# net_privilege.sh: the worker's privilege model, observed from outside
# in each way it can be started (hopprobe(8), PRIVILEGE AND SECURITY):
#
#   root     run by root
#   suid     setuid root (root:root, mode 4755), started by uid 65534
#   fcaps    file capabilities cap_net_raw,cap_net_admin+ep, started by
#            uid 65534
#   ambient  a plain copy started by a uid 65534 that holds cap_net_raw
#            and cap_net_admin as ambient capabilities
#   none     a plain copy started by uid 65534 without any capability: the
#            worker runs unprivileged (per-probe sockets; what it can do is
#            net_unprivileged.sh's business, here only its privilege state)
#
# suid and fcaps are each started twice: by a plain uid 65534 (no
# capabilities, no supplementary groups), and by a "hostile" uid 65534
# that holds cap_net_raw and cap_net_admin itself (inheritable and
# ambient) and belongs to group 100.  The hostile starter matters for the
# attack below: the kernel refuses ptrace and pidfd_getfd(2) to a caller
# whose permitted capabilities are not a superset of the target's, so
# against a worker that keeps cap_net_raw|cap_net_admin permitted a
# capability-less attacker fails whatever the worker does.  An attacker
# with the same capabilities and the same uid is stopped only by the
# worker being non-dumpable.  For suid and fcaps the kernel itself makes
# the process non-dumpable at exec (fs.suid_dumpable 0); for ambient and
# none nothing does but the worker's own PR_SET_DUMPABLE 0, so those two
# starts are the ones that pin it.  One more start, suid with
# LIBEV_FLAGS=1 in the environment (libev's variable, which would select
# select(2)), must still use epoll: the worker creates its loop with
# EVFLAG_NOENV (after the drop uid == euid, so libev's own setuid check
# would no longer ignore the variable).
#
# For every start, once the worker has answered its first line (so
# privilege has been dropped), the test reads /proc/PID/status and
# asserts: Uid and Gid (all four fields) the real user (for a root start:
# nobody, the configured --with-user), CapEff, CapInh and CapAmb
# 0, CapPrm exactly cap_net_raw (0x2000; cap_net_raw|cap_net_admin, 0x3000,
# on kernels older than 5.17, where SO_MARK needs cap_net_admin; 0 for
# none), NoNewPrivs 1; CapBnd the same for root and suid (a root start may
# shrink it; otherwise it is only reported); Groups empty for root and suid
# (the worker clears them, here even the hostile starter's group 100; for
# fcaps and ambient it cannot).  Non-dumpable shows in /proc:
# the kernel makes /proc/PID/status owned by root for a non-dumpable
# process, by its euid otherwise.  Every descriptor in /proc/PID/fd is a
# socket, a pipe or an anonymous inode (epoll, eventfd): the worker opens
# no files.
#
# The attack: the process that starts the worker (the "launcher", running
# as the starting user) is the worker's parent, so that Yama's
# ptrace_scope 1 does not stand in the way.  Against every start by uid
# 65534 it tries pidfd_open + pidfd_getfd (syscall 438) on one of the
# worker's sockets, and ptrace(PTRACE_ATTACH); both must fail with EPERM.
# As a control, the same launcher runs a `sleep` of its own (same uid,
# same capabilities) and both calls must succeed against it, so the
# attack code is known to work.
#
# Then, in each start: `send-probe ip-4 127.0.0.1` gets a reply; with
# `mark 5` too, and `check-support feature mark` says ok, where
# capabilities are kept (permission-denied and no without them); a UDP
# probe with ttl 1 to the lab target gets ttl-expired from r1, ::1
# answers over IPv6; after stdin is closed the worker exits 0 with nothing
# on stderr.  The /proc status lines of every start are printed as
# comments.
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
require_root_and_tools ip ping timeout awk setpriv setcap findmnt \
	"$PYTHON3_SYSTEM" "$HOPPROBE"

NOBODY=65534
# Linux 5.17 accepts cap_net_raw for SO_MARK; older kernels need
# cap_net_admin, which the worker then keeps.
CAPS_NET=0000000000002000
if ! printf '%s\n' "$(uname -r)" | awk -F. '{ exit !($1 > 5 || ($1 == 5 && $2 + 0 >= 17)) }'; then
	CAPS_NET=0000000000003000
fi
CAPS_NONE=0000000000000000

failures=0

# privilege_check.py (the driver, root, outside the lab) starts
# privilege_launcher.py (the launcher, as the starting user, in the lab's
# host namespace), which starts the worker; see both for what they do and
# what $T/NAME.out gets.  The launcher runs from a copy in $T, which every
# starting user can read, like the worker copies.

# run NAME BINARY USER ATTACK REQ [NAME=VALUE...]: start BINARY as USER
# (root, nobody, or hostile) in the lab's host namespace and record what
# the driver saw in $T/NAME.out.
run()
{
	local name=$1 binary=$2 user=$3 attack=$4 req=$5
	local -a as

	shift 5
	case "$user" in
	root) as=() ;;
	nobody)
		as=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups)
		;;
	hostile)
		# shellcheck disable=SC2054 # the commas belong to setpriv
		as=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --groups=100
			--inh-caps=+net_raw,+net_admin
			--ambient-caps=+net_raw,+net_admin)
		;;
	esac
	timeout 90 "$PYTHON3_SYSTEM" "$TESTS_SRCDIR/net/privilege_check.py" \
		"$T/$name.out" "$req" "$attack" "$NS_HOST" \
		"${as[@]}" "$PYTHON3_SYSTEM" "$T/privilege_launcher.py" \
		@CTL@ @RES@ "$binary" "$@" ||
		not_ok "$name: driver failed (status $?)"
	if ! grep -q '^done$' "$T/$name.out" 2>/dev/null; then
		not_ok "$name: driver did not finish"
	fi
	grep '^timeout ' "$T/$name.out" | sed "s/^/# $name: /"
	# The worker's replies alone, for reply_matches (lib.sh).
	awk '$1 == "reply" { $1 = ""; print substr($0, 2) }' "$T/$name.out" \
		>"$T/$name.replies"
}

# get NAME KEY...: the rest of the first line of run NAME that starts with
# the words KEY...
get()
{
	local name=$1

	shift
	awk -v k="$*" 'index($0, k " ") == 1 { print substr($0, length(k) + 2); exit }' \
		"$T/$name.out"
}

# equals WHAT GOT WANT
equals()
{
	if [[ "$2" != "$3" ]]; then
		printf '%s: got "%s", want "%s"\n' "$1" "$2" "$3"
		return 1
	fi
}

# fds_ok NAME: every descriptor of the worker is a socket, a pipe or an
# anonymous inode, and one of them is an epoll instance.
fds_ok()
{
	local bad epoll

	if ! grep -q '^fd ' "$T/$1.out"; then
		printf 'no descriptors recorded\n'
		return 1
	fi
	bad=$(awk '$1 == "fd" && $3 !~ /^(socket:\[[0-9]+\]|pipe:\[[0-9]+\]|anon_inode:)/' \
		"$T/$1.out")
	epoll=$(awk '$1 == "fd" && $3 == "anon_inode:[eventpoll]"' "$T/$1.out")
	if [[ -n "$bad" ]]; then
		printf 'not a socket, pipe or anonymous inode:\n%s\n' "$bad"
		return 1
	fi
	if [[ -z "$epoll" ]]; then
		printf 'no anon_inode:[eventpoll] among the descriptors\n'
		return 1
	fi
}

# show_status NAME: the worker's /proc status lines, as comments.
show_status()
{
	printf '# %s: /proc/PID/status of the running worker:\n' "$1"
	awk '$1 == "status" && $2 == "worker" { $1 = ""; $2 = ""; print "#   " substr($0, 3) }' \
		"$T/$1.out"
	printf '#   /proc/PID/status owned by uid %s\n' "$(get "$1" owner worker)"
}

# check_started NAME UID PRM BND GROUPS ATTACK: the assertions for a
# start.  PRM is the CapPrm wanted: $CAPS_NET, or $CAPS_NONE for a worker
# without privilege (which then must refuse marks).  BND is the CapBnd
# wanted ("" to report only), GROUPS the Groups line wanted ("-" to report
# only), ATTACK 1 for the non-dumpable checks and the attack.
check_started()
{
	local name=$1 uid=$2 prm=$3 bnd=$4 groups=$5 attack=$6 key v a b

	show_status "$name"
	check "$name: answers its first line (privilege dropped by then)" \
		reply_matches "$T/$name.replies" 100 'feature-support support [^ ]+'
	check "$name: Uid all $uid" equals Uid "$(get "$name" status worker Uid)" \
		"$uid $uid $uid $uid"
	check "$name: Gid all $uid" equals Gid "$(get "$name" status worker Gid)" \
		"$uid $uid $uid $uid"
	for key in CapEff CapInh CapAmb; do
		check "$name: $key $CAPS_NONE" equals "$key" \
			"$(get "$name" status worker "$key")" "$CAPS_NONE"
	done
	check "$name: CapPrm $prm" equals CapPrm \
		"$(get "$name" status worker CapPrm)" "$prm"
	check "$name: NoNewPrivs 1" equals NoNewPrivs \
		"$(get "$name" status worker NoNewPrivs)" 1
	v=$(get "$name" status worker CapBnd)
	if [[ -n "$bnd" ]]; then
		check "$name: CapBnd $bnd" equals CapBnd "$v" "$bnd"
	else
		printf '# %s: CapBnd %s (reported only: without CAP_SETPCAP it cannot shrink)\n' \
			"$name" "$v"
	fi
	v=$(get "$name" status worker Groups)
	if [[ "$groups" != - ]]; then
		check "$name: Groups '$groups'" equals Groups "$v" "$groups"
	fi
	check "$name: descriptors are sockets, pipes and anonymous inodes only, epoll among them" \
		fds_ok "$name"
	awk '$1 == "fd" { printf "#   fd %s %s\n", $2, $3 }' "$T/$name.out"
	if ((attack)); then
		check "$name: not dumpable (/proc/PID/status owned by root)" equals owner \
			"$(get "$name" owner worker)" 0
		check "$name: control: a sleep of the same user is dumpable (/proc/PID/status owned by $NOBODY)" \
			equals owner "$(get "$name" owner control)" "$NOBODY"
		v=$(get "$name" status control CapPrm)
		printf '# %s: attacker and control hold CapPrm %s\n' "$name" "$v"
		a=$(get "$name" res attack "$(get "$name" res worker)")
		b=$(get "$name" res attack "$(get "$name" res control)")
		if ((YAMA_SCOPE >= 2)); then
			ok "$name: attack # SKIP kernel.yama.ptrace_scope $YAMA_SCOPE forbids it anyway ($a)"
		else
			check "$name: same-user pidfd_getfd and PTRACE_ATTACH on the worker fail with EPERM" \
				equals attack "$a" "getfd=EPERM ptrace=EPERM"
			check "$name: control: both succeed against the same user's sleep" \
				equals attack "${b%% stolen=*}" "getfd=OK ptrace=OK"
		fi
	fi
	check "$name: send-probe ip-4 127.0.0.1 -> reply" \
		reply_matches "$T/$name.replies" 1 'reply ip-4 127\.0\.0\.1 round-trip-time [0-9]+'
	if [[ "$prm" == "$CAPS_NET" ]]; then
		check "$name: send-probe ip-4 127.0.0.1 mark 5 -> reply" \
			reply_matches "$T/$name.replies" 2 'reply ip-4 127\.0\.0\.1 round-trip-time [0-9]+'
		check "$name: check-support feature mark -> ok" \
			reply_matches "$T/$name.replies" 3 'feature-support support ok'
	else
		check "$name: send-probe ip-4 127.0.0.1 mark 5 -> permission-denied" \
			reply_matches "$T/$name.replies" 2 'permission-denied'
		check "$name: check-support feature mark -> no" \
			reply_matches "$T/$name.replies" 3 'feature-support support no'
	fi
	check "$name: udp ttl 1 to the target -> ttl-expired from r1" \
		reply_matches "$T/$name.replies" 4 "ttl-expired ip-4 $(re_escape "$LAB_R1_4") round-trip-time [0-9]+"
	if ((LAB_HAVE_IPV6)); then
		check "$name: send-probe ip-6 ::1 -> reply" \
			reply_matches "$T/$name.replies" 5 'reply ip-6 ::1 round-trip-time [0-9]+'
	fi
	check "$name: exits 0 after end of file" equals exit "$(get "$name" res exit)" 0
	check "$name: nothing on stderr" equals stderr "$(get "$name" stderr)" ""
	check "$name: nothing else from the launcher" equals launcher \
		"$(awk '$1 == "res" && $2 !~ /^(worker|control|attack|exit)$/' "$T/$name.out")" ""
}

YAMA_SCOPE=0
if [[ -r /proc/sys/kernel/yama/ptrace_scope ]]; then
	YAMA_SCOPE=$(cat /proc/sys/kernel/yama/ptrace_scope)
fi

T=$(mktemp -d /tmp/net_privilege.XXXXXX) || fail "mktemp"
lab_at_exit rm -rf "$T"
chmod 755 "$T" || fail "chmod $T"
cp "$TESTS_SRCDIR/net/privilege_launcher.py" "$T/" || fail "cannot copy the launcher"
chmod 644 "$T/privilege_launcher.py" || fail "chmod the launcher"
case ",$(findmnt -no OPTIONS -T "$T")," in
*,nosuid,*) skip "$T is on a nosuid mount: setuid and file capabilities do not apply" ;;
esac

for copy in root suid fcaps none; do
	cp "$HOPPROBE" "$T/hopprobe-$copy" || fail "cp $HOPPROBE"
	chown root:root "$T/hopprobe-$copy" || fail "chown"
	chmod 755 "$T/hopprobe-$copy" || fail "chmod"
done
chmod 4755 "$T/hopprobe-suid" || fail "chmod 4755"
setcap cap_net_raw,cap_net_admin+ep "$T/hopprobe-fcaps" ||
	skip "setcap does not work on $T"
if ! setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups \
	test -x "$T/hopprobe-none"; then
	skip "uid $NOBODY cannot execute files in $T"
fi

lab_up

{
	printf '1 send-probe ip-4 127.0.0.1 timeout 5\n'
	printf '2 send-probe ip-4 127.0.0.1 mark 5 timeout 5\n'
	printf '3 check-support feature mark\n'
	printf '4 send-probe ip-4 %s protocol udp ttl 1 timeout 5\n' "$LAB_TARGET4"
	if ((LAB_HAVE_IPV6)); then
		printf '5 send-probe ip-6 ::1 timeout 5\n'
	fi
} >"$T/probes.req"

# ---- (a) root --------------------------------------------------------------
run root "$T/hopprobe-root" root 0 "$T/probes.req"
check_started root "$NOBODY" "$CAPS_NET" "$CAPS_NET" "" 0

# ---- (b) setuid root, started by uid 65534 ----------------------------------
run suid "$T/hopprobe-suid" nobody 1 "$T/probes.req"
check_started suid "$NOBODY" "$CAPS_NET" "$CAPS_NET" "" 1
run suid-hostile "$T/hopprobe-suid" hostile 1 "$T/probes.req"
check_started suid-hostile "$NOBODY" "$CAPS_NET" "$CAPS_NET" "" 1

# ---- (c) file capabilities, started by uid 65534 ------------------------------
run fcaps "$T/hopprobe-fcaps" nobody 1 "$T/probes.req"
check_started fcaps "$NOBODY" "$CAPS_NET" "" - 1
run fcaps-hostile "$T/hopprobe-fcaps" hostile 1 "$T/probes.req"
check_started fcaps-hostile "$NOBODY" "$CAPS_NET" "" - 1

# ---- libev's environment variable is ignored ---------------------------------
run suid-libev "$T/hopprobe-suid" nobody 0 "$T/probes.req" LIBEV_FLAGS=1
check_started suid-libev "$NOBODY" "$CAPS_NET" "$CAPS_NET" "" 0

# ---- ambient capabilities ---------------------------------------------------------
#
# The plain copy started by the hostile user inherits cap_net_raw and
# cap_net_admin as ambient capabilities.  Nothing about this exec is
# "secure" to the kernel (no setuid bit, no file capability), so the
# process starts dumpable: only the worker's own PR_SET_DUMPABLE 0 keeps
# the attacker, who holds the same capabilities, out.
run ambient "$T/hopprobe-none" hostile 1 "$T/probes.req"
check_started ambient "$NOBODY" "$CAPS_NET" "" - 1

# ---- (d) no privilege at all ------------------------------------------------------
#
# The worker runs unprivileged (per-probe sockets, see net_unprivileged.sh
# for what it can do); here only its privilege state, the descriptors and
# dumpability matter.  ICMP needs the user in the lab host's
# net.ipv4.ping_group_range (a per-namespace setting).
in_ns "$NS_HOST" sh -c "echo '$NOBODY $NOBODY' > /proc/sys/net/ipv4/ping_group_range" ||
	fail "cannot set ping_group_range in $NS_HOST"
run none "$T/hopprobe-none" nobody 1 "$T/probes.req"
check_started none "$NOBODY" "$CAPS_NONE" "" "" 1

if ((failures)); then
	printf '# %d check(s) failed\n' "$failures"
	exit 1
fi
exit 0

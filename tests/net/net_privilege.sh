#!/bin/bash
#
# net_privilege.sh: the worker's privilege model, observed from outside
# in each way it can be started (issue 6):
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
# nobody, the configured --with-user; issue 10), CapEff, CapInh and CapAmb
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

# The launcher runs as the starting user, inside the lab's host namespace.
# argv: CTL_FD RES_FD WORKER [NAME=VALUE...].  It starts WORKER with its
# own stdin, stdout and stderr (pipes of the driver) and the extra
# environment, and a `sleep` as the control, and writes
#   worker PID / control PID
# on RES_FD.  Then it obeys lines on CTL_FD:
#   attack PID FD   pidfd_getfd(FD) and PTRACE_ATTACH against PID, answered
#                   "attack PID getfd=OK|ERRNO ptrace=OK|ERRNO [stolen=..]"
#   wait            wait (at most 15 s) for the worker, answer "exit STATUS"
#                   and leave
# Its own errors go to RES_FD too, never to the worker's stderr.
# shellcheck disable=SC2016 # python, not shell
LAUNCHER='
import ctypes, errno, os, subprocess, sys
ctl_fd, res_fd, worker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
res = os.fdopen(res_fd, "w", buffering=1)
sys.stderr = res
ctl = os.fdopen(ctl_fd, "r")
env = dict(os.environ)
for kv in sys.argv[4:]:
    k, v = kv.split("=", 1)
    env[k] = v
w = subprocess.Popen([worker], env=env)
c = subprocess.Popen(["sleep", "60"], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# Only the worker keeps the driver pipes; the launcher holds none of them.
null = os.open("/dev/null", os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
res.write("worker %d\ncontrol %d\n" % (w.pid, c.pid))

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.ptrace.restype = ctypes.c_long
SYS_PIDFD_GETFD = 438
PTRACE_ATTACH, PTRACE_DETACH = 16, 17
WALL = 0x40000000

def err(e):
    return errno.errorcode.get(e, str(e))

def attack(pid, fd):
    try:
        pfd = os.pidfd_open(pid)
    except OSError as e:
        return "pidfd_open=" + err(e.errno)
    r = libc.syscall(ctypes.c_long(SYS_PIDFD_GETFD), ctypes.c_int(pfd),
                     ctypes.c_int(fd), ctypes.c_uint(0))
    stolen = ""
    if r >= 0:
        getfd = "OK"
        stolen = " stolen=" + os.readlink("/proc/self/fd/%d" % r)
        os.close(r)
    else:
        getfd = err(ctypes.get_errno())
    os.close(pfd)
    r = libc.ptrace(ctypes.c_int(PTRACE_ATTACH), ctypes.c_long(pid),
                    ctypes.c_void_p(0), ctypes.c_void_p(0))
    if r == 0:
        ptrace = "OK"
        # Let the tracee go on as before: wait for its stop, detach.
        os.waitpid(pid, WALL)
        libc.ptrace(ctypes.c_int(PTRACE_DETACH), ctypes.c_long(pid),
                    ctypes.c_void_p(0), ctypes.c_void_p(0))
    else:
        ptrace = err(ctypes.get_errno())
    return "getfd=%s ptrace=%s%s" % (getfd, ptrace, stolen)

for line in ctl:
    f = line.split()
    if f[:1] == ["attack"]:
        res.write("attack %s %s\n" % (f[1], attack(int(f[1]), int(f[2]))))
    elif f[:1] == ["wait"]:
        try:
            rc = w.wait(timeout=15)
        except subprocess.TimeoutExpired:
            w.kill()
            rc = "killed"
        res.write("exit %s\n" % rc)
        break
c.kill()
c.wait()
'

# The driver runs as root outside the lab.  argv: OUT REQ ATTACK CMD...;
# CMD starts the launcher and holds @CTL@ and @RES@ where the launcher's
# control descriptors go.  It writes "100 check-support feature version"
# and waits for the answer: privilege is dropped by then.  It reads
# /proc/PID/status, the owner of /proc/PID/status and /proc/PID/fd of the
# worker (and the same of the control), has the launcher attack (ATTACK
# 1), writes REQ and
# waits until every token in it is answered, closes stdin and has the
# launcher wait for the exit.  OUT gets:
#   status worker|control KEY VALUE...   /proc/PID/status lines
#   owner worker|control UID             owner of /proc/PID/status
#   fd N TARGET                          the worker's descriptors
#   res LINE                             the launcher's lines
#   reply LINE / stderr LINE             the worker's output
#   timeout STEP                         a step that did not finish
# Bounded: every step has a deadline; stragglers are killed by PID.
# shellcheck disable=SC2016 # python, not shell
DRIVER='
import os, select, signal, subprocess, sys, time
out, req, attack = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
cmd = sys.argv[4:]
ctl_r, ctl_w = os.pipe()
res_r, res_w = os.pipe()
cmd = [str(ctl_r) if a == "@CTL@" else str(res_w) if a == "@RES@" else a
       for a in cmd]
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, pass_fds=(ctl_r, res_w),
                     bufsize=0)
os.close(ctl_r)
os.close(res_w)
o = open(out, "w", buffering=1)
streams = {p.stdout.fileno(): ["reply", b"", []],
           p.stderr.fileno(): ["stderr", b"", []],
           res_r: ["res", b"", []]}
open_fds = set(streams)

def pump(done, seconds, step):
    deadline = time.monotonic() + seconds
    while not done():
        left = deadline - time.monotonic()
        if left <= 0 or not open_fds:
            if not done():
                o.write("timeout %s\n" % step)
            return False
        r, _, _ = select.select(list(open_fds), [], [], left)
        for fd in r:
            chunk = os.read(fd, 65536)
            s = streams[fd]
            if not chunk:
                open_fds.discard(fd)
                if s[1]:
                    s[2].append(s[1].decode("ascii", "replace"))
                    s[1] = b""
                continue
            s[1] += chunk
            while b"\n" in s[1]:
                line, s[1] = s[1].split(b"\n", 1)
                s[2].append(line.decode("ascii", "replace"))
    return True

replies = streams[p.stdout.fileno()][2]
results = streams[res_r][2]

def res_value(key):
    for line in results:
        f = line.split()
        if f[:1] == [key] and len(f) > 1:
            return f[1]
    return None

def answered(tokens):
    return lambda: tokens <= set(line.split(" ", 1)[0] for line in replies)

def ctl(line):
    os.write(ctl_w, (line + "\n").encode())

def send(data):
    try:
        p.stdin.write(data)
    except BrokenPipeError:
        o.write("timeout write (broken pipe)\n")

pump(lambda: res_value("worker") and res_value("control"), 10, "launch")
wpid, cpid = res_value("worker"), res_value("control")
if wpid:
    send(b"100 check-support feature version\n")
    if pump(answered({"100"}), 10, "first answer"):
        for who, pid in (("worker", wpid), ("control", cpid)):
            try:
                for line in open("/proc/%s/status" % pid):
                    k = line.split(":")[0]
                    if k in ("Uid", "Gid", "Groups", "CapInh", "CapPrm",
                             "CapEff", "CapBnd", "CapAmb", "NoNewPrivs"):
                        o.write("status %s %s %s\n" % (who, k,
                                " ".join(line.split()[1:])))
                o.write("owner %s %d\n" % (who, os.stat("/proc/%s/status" % pid).st_uid))
            except OSError as e:
                o.write("status %s error %s\n" % (who, e))
        first_socket = None
        for n in sorted(os.listdir("/proc/%s/fd" % wpid), key=int):
            try:
                t = os.readlink("/proc/%s/fd/%s" % (wpid, n))
            except OSError as e:
                t = "error:%s" % e.strerror
            o.write("fd %s %s\n" % (n, t))
            if first_socket is None and t.startswith("socket:"):
                first_socket = n
        if attack:
            for pid, fd in ((wpid, first_socket or "0"), (cpid, "0")):
                ctl("attack %s %s" % (pid, fd))
                pump(lambda: any(l.startswith("attack %s " % pid)
                                 for l in results), 10, "attack " + pid)
        data = open(req, "rb").read()
        tokens = set(l.split()[0].decode() for l in data.splitlines() if l.split())
        send(data)
        pump(answered(tokens | {"100"}), 15, "replies")
p.stdin.close()
ctl("wait")
pump(lambda: res_value("exit") is not None, 20, "exit")
pump(lambda: not open_fds, 5, "end of output")
for pid in (wpid, cpid):
    if pid:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass
try:
    p.wait(timeout=5)
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
for kind in ("res", "reply", "stderr"):
    for s in streams.values():
        if s[0] == kind:
            for line in s[2]:
                o.write("%s %s\n" % (kind, line))
o.write("done\n")
'

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
	timeout 90 "$PYTHON3_SYSTEM" -c "$DRIVER" "$T/$name.out" "$req" "$attack" \
		ip netns exec "$NS_HOST" "${as[@]}" "$PYTHON3_SYSTEM" -c "$LAUNCHER" \
		@CTL@ @RES@ "$binary" "$@" ||
		not_ok "$name: driver failed (status $?)"
	if ! grep -q '^done$' "$T/$name.out" 2>/dev/null; then
		not_ok "$name: driver did not finish"
	fi
	grep '^timeout ' "$T/$name.out" | sed "s/^/# $name: /"
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

# reply_is NAME TOKEN REGEX: exactly one reply to TOKEN, matching REGEX.
reply_is()
{
	local lines

	lines=$(awk -v t="$2" '$1 == "reply" && $2 == t { $1 = ""; print substr($0, 2) }' \
		"$T/$1.out")
	if [[ $(printf '%s' "$lines" | grep -c .) -ne 1 ]]; then
		printf 'want exactly one reply to token %s, got:\n%s\n' "$2" "$lines"
		return 1
	fi
	if [[ ! "$lines" =~ ^$2\ $3$ ]]; then
		printf 'reply: %s\nwant:  %s %s\n' "$lines" "$2" "$3"
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
		reply_is "$name" 100 'feature-support support [^ ]+'
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
		reply_is "$name" 1 'reply ip-4 127\.0\.0\.1 round-trip-time [0-9]+'
	if [[ "$prm" == "$CAPS_NET" ]]; then
		check "$name: send-probe ip-4 127.0.0.1 mark 5 -> reply" \
			reply_is "$name" 2 'reply ip-4 127\.0\.0\.1 round-trip-time [0-9]+'
		check "$name: check-support feature mark -> ok" \
			reply_is "$name" 3 'feature-support support ok'
	else
		check "$name: send-probe ip-4 127.0.0.1 mark 5 -> permission-denied" \
			reply_is "$name" 2 'permission-denied'
		check "$name: check-support feature mark -> no" \
			reply_is "$name" 3 'feature-support support no'
	fi
	check "$name: udp ttl 1 to the target -> ttl-expired from r1" \
		reply_is "$name" 4 "ttl-expired ip-4 ${LAB_R1_4//./\\.} round-trip-time [0-9]+"
	if ((LAB_HAVE_IPV6)); then
		check "$name: send-probe ip-6 ::1 -> reply" \
			reply_is "$name" 5 'reply ip-6 ::1 round-trip-time [0-9]+'
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

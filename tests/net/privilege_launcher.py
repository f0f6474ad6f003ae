"""The launcher of net_privilege.sh: the worker's parent, as the starter.

argv: CTL_FD RES_FD WORKER [NAME=VALUE...].  It runs as the starting user
inside the lab's host namespace (net_privilege.sh puts setpriv in front
of it), so that the worker it starts is its child and Yama's ptrace_scope
1 does not stand in the way of the attack.  It starts WORKER with its own
stdin, stdout and stderr (pipes of privilege_check.py) and the extra
environment, and a `sleep` as the control, and writes
  worker PID / control PID
on RES_FD: the PIDs of the processes it started, the only way the driver
knows them.  Then it obeys lines on CTL_FD:
  attack PID FD   pidfd_getfd(FD) and PTRACE_ATTACH against PID, answered
                  "attack PID getfd=OK|ERRNO ptrace=OK|ERRNO [stolen=..]"
  wait            wait (at most 15 s) for the worker, answer "exit STATUS"
                  and leave
Its own errors go to RES_FD too, never to the worker's stderr.
"""
import ctypes
import errno
import os
import subprocess
import sys

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
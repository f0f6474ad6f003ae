"""The driver of net_privilege.sh: start a worker through the launcher,
look at it in /proc, attack it, probe with it.

argv: OUT REQ ATTACK NS CMD...  CMD (run in namespace NS) starts
privilege_launcher.py and holds @CTL@ and @RES@ where the launcher's
control descriptors go.  The driver writes "100 check-support feature
version" and waits for the answer: privilege is dropped by then.  It reads
/proc/PID/status, the owner of /proc/PID/status and /proc/PID/fd of the
worker (and the same of the control), both by the PIDs the launcher
reports for what it started, has the launcher attack (ATTACK 1), writes
REQ and waits until every token in it is answered, closes stdin and has
the launcher wait for the exit.  OUT gets:
  status worker|control KEY VALUE...   /proc/PID/status lines
  owner worker|control UID             owner of /proc/PID/status
  fd N TARGET                          the worker's descriptors
  res LINE                             the launcher's lines
  reply LINE / stderr LINE             the worker's output
  timeout STEP                         a step that did not finish
Bounded: every step has a deadline; stragglers are killed by PID.
"""
import os
import signal
import subprocess
import sys

import workerdrive

STATUS_KEYS = ("Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff",
               "CapBnd", "CapAmb", "NoNewPrivs")


def main(argv):
    out, req, attack, ns = argv[1], argv[2], argv[3] == "1", argv[4]
    ctl_r, ctl_w = os.pipe()
    res_r, res_w = os.pipe()
    cmd = [str(ctl_r) if a == "@CTL@" else str(res_w) if a == "@RES@" else a
           for a in argv[5:]]
    w = workerdrive.Worker(cmd, ns=ns, stderr=subprocess.PIPE,
                           pass_fds=(ctl_r, res_w))
    os.close(ctl_r)
    os.close(res_w)
    res = w.add_stream(res_r, "res")
    o = open(out, "w", buffering=1)

    def pump(done, seconds, step):
        if w.pump(done, seconds):
            return True
        o.write("timeout %s\n" % step)
        return False

    def res_value(key):
        for line in res.lines:
            f = line.split()
            if f[:1] == [key] and len(f) > 1:
                return f[1]
        return None

    def ctl(line):
        os.write(ctl_w, (line + "\n").encode())

    def send(data):
        if w.write(data) < len(data):
            o.write("timeout write (broken pipe)\n")

    pump(lambda: res_value("worker") and res_value("control"), 10, "launch")
    wpid, cpid = res_value("worker"), res_value("control")
    if wpid:
        send(b"100 check-support feature version\n")
        if pump(w.answered({"100"}), 10, "first answer"):
            for who, pid in (("worker", wpid), ("control", cpid)):
                try:
                    with open("/proc/%s/status" % pid) as f:
                        for line in f:
                            k = line.split(":")[0]
                            if k in STATUS_KEYS:
                                o.write("status %s %s %s\n" % (
                                    who, k, " ".join(line.split()[1:])))
                    o.write("owner %s %d\n" % (
                        who, os.stat("/proc/%s/status" % pid).st_uid))
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
                    prefix = "attack %s " % pid
                    pump(lambda: any(line.startswith(prefix)
                                     for line in res.lines),
                         10, "attack " + pid)
            with open(req, "rb") as f:
                data = f.read()
            tokens = set(line.split()[0].decode()
                         for line in data.splitlines() if line.split())
            send(data)
            pump(w.answered(tokens | {"100"}), 15, "replies")
    w.close_stdin()
    ctl("wait")
    pump(lambda: res_value("exit") is not None, 20, "exit")
    pump(None, 5, "end of output")
    for pid in (wpid, cpid):
        if pid:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
    w.finish(5)
    # A last line without its newline still counts as a line here.
    for s in (res, w.out, w.err):
        tail = [s.tail()] if s.partial else []
        for line in s.lines + tail:
            o.write("%s %s\n" % (s.name, line))
    o.write("done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

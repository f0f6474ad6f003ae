"""Drive one hopprobe worker from a test program.

The network tests all do the same things to a worker: start it (inside a
lab namespace, through a launcher, as another user), write requests, read
reply lines until something has happened or a deadline has passed, match
replies to their tokens, and wait for the exit with a deadline.  This
module does those things once.

The worker is found only by the PID this module started.  Namespaces are
entered with setns(2) in the child between fork and exec, so no wrapper
(ip netns exec, timeout) sits in between: the PID that Popen returns is
the worker's, and Popen returns only once the worker's exec has succeeded,
so /proc/PID already shows the worker and not a wrapper still about to
exec it.  A command given as a launcher (setpriv, a launcher program) is
still exec'd in place or reports the PID of what it starts; see
privilege_launcher.py.

Every wait has a deadline; the worker is stopped by PID (SIGTERM, then
SIGKILL) when it outlives its deadline, and it is killed if this process
dies first (PR_SET_PDEATHSIG), so nothing outlives a test.
"""
import ctypes
import fcntl
import os
import select
import signal
import subprocess
import time

CLONE_NEWNET = 0x40000000
F_SETPIPE_SZ = 1031
PR_SET_PDEATHSIG = 1

_libc = ctypes.CDLL(None, use_errno=True)


def enter_netns(name):
    """Move this (single-threaded) process into network namespace `name`."""
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def _child_setup(ns_fd):
    """What the child does between fork and exec: enter the namespace
    (opened by the parent, so that nothing but a system call is left for
    the child) and ask to be killed if the test dies first."""
    def setup():
        if ns_fd is not None and _libc.setns(ns_fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns")
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    return setup


def cpu_ticks(pid):
    """utime + stime (clock ticks) and the state letter of process pid,
    or (None, "gone") once it has been reaped."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return None, "gone"
    # The command name may hold spaces and parentheses: split after the last.
    f = st[st.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12]), f[0]


def comm(pid):
    """The command name of process pid, or None when it is gone."""
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


class Stream:
    """Lines read from one descriptor, each with the monotonic time at
    which the chunk holding its newline was read."""

    def __init__(self, fd, name):
        self.fd = fd
        self.name = name
        self.lines = []
        self.times = []
        self.partial = b""
        self.eof = False

    def feed(self, chunk, now):
        if not chunk:
            self.eof = True
            return 0
        parts = (self.partial + chunk).split(b"\n")
        self.partial = parts.pop()
        for line in parts:
            self.lines.append(line.decode("ascii", "replace"))
            self.times.append(now)
        return len(parts)

    def tail(self):
        """What came after the last newline, decoded ("" for nothing)."""
        return self.partial.decode("ascii", "replace")


class Worker:
    """One worker (or launcher) with pipes on stdin and stdout.

    argv runs as it is, in network namespace ns when one is named.
    stderr: a file object, None to share ours, or subprocess.PIPE to read
    it as the stream "stderr".  pass_fds go to the child as they are.
    pipe_size, when given, enlarges both pipes (F_SETPIPE_SZ) so that one
    write of that many bytes cannot block on the worker.
    """

    def __init__(self, argv, ns=None, env=None, stderr=None, pass_fds=(),
                 pipe_size=None):
        ns_fd = None
        if ns is not None:
            ns_fd = os.open("/run/netns/" + ns, os.O_RDONLY)
        try:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=stderr, env=env, pass_fds=tuple(pass_fds),
                preexec_fn=_child_setup(ns_fd), bufsize=0)
        finally:
            if ns_fd is not None:
                os.close(ns_fd)
        self.pid = self.proc.pid
        self.stdin_fd = self.proc.stdin.fileno()
        if pipe_size:
            for fd in (self.stdin_fd, self.proc.stdout.fileno()):
                try:
                    fcntl.fcntl(fd, F_SETPIPE_SZ, pipe_size)
                except OSError:
                    pass
        self.streams = {}
        self.out = self.add_stream(self.proc.stdout.fileno(), "reply")
        self.err = None
        if stderr == subprocess.PIPE:
            self.err = self.add_stream(self.proc.stderr.fileno(), "stderr")
        self.stdin_closed_at = None
        self.rc = None

    def add_stream(self, fd, name):
        """Read descriptor fd too, as lines of stream `name`."""
        s = Stream(fd, name)
        self.streams[fd] = s
        return s

    # ---- input ------------------------------------------------------------

    def write(self, data, once=False):
        """Write data to the worker's stdin: with once, in one write(2)
        whose count is returned; otherwise all of it.  A worker that has
        closed its stdin counts as having taken nothing more."""
        if once:
            return os.write(self.stdin_fd, data)
        done = 0
        try:
            while done < len(data):
                done += os.write(self.stdin_fd, data[done:])
        except BrokenPipeError:
            pass
        return done

    def close_stdin(self):
        """End of file for the worker; remembers when (monotonic)."""
        if self.stdin_closed_at is None:
            self.proc.stdin.close()
            self.stdin_closed_at = time.monotonic()
        return self.stdin_closed_at

    # ---- output -----------------------------------------------------------

    def open_streams(self):
        return [fd for fd, s in self.streams.items() if not s.eof]

    def read(self, wait):
        """Wait at most `wait` seconds for output, read what is there;
        returns the number of new lines (0 also at end of file)."""
        fds = self.open_streams()
        if not fds:
            return 0
        ready, _, _ = select.select(fds, [], [], max(0.0, wait))
        new = 0
        for fd in ready:
            chunk = os.read(fd, 65536)
            new += self.streams[fd].feed(chunk, time.monotonic())
        return new

    def pump(self, until=None, seconds=30.0, on_lines=None):
        """Read until until() holds, every stream is at end of file (when
        until is None), or `seconds` pass.  on_lines() runs after each read
        that brought lines.  True when the condition was met."""
        deadline = time.monotonic() + seconds
        while True:
            if until is not None and until():
                return True
            if not self.open_streams():
                return until is None or until()
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self.read(min(left, 0.5)) and on_lines is not None:
                on_lines()

    @property
    def replies(self):
        return self.out.lines

    def replies_to(self, token):
        """The reply lines for token (a string or a number)."""
        key = "%s " % token
        return [line for line in self.out.lines if line.startswith(key)]

    def answered(self, tokens):
        """A condition for pump(): every token in tokens has a reply."""
        tokens = set(str(t) for t in tokens)
        return lambda: tokens <= set(
            line.split(" ", 1)[0] for line in self.out.lines)

    # ---- the end ----------------------------------------------------------

    def finish(self, seconds=20.0):
        """Wait at most `seconds` for the exit; a worker still running then
        is stopped by its PID (SIGTERM, 2 s, SIGKILL).  Returns the exit
        status, or "killed"."""
        try:
            self.rc = self.proc.wait(timeout=max(0.1, seconds))
        except subprocess.TimeoutExpired:
            self.stop()
            self.rc = "killed"
        return self.rc

    def stop(self):
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

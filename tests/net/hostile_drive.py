#!/usr/bin/python3
"""hostile_drive.py: hostile input for hopprobe, driven and checked here.

net_hostile.sh builds the namespace lab and runs one section of this script
at a time; each section starts hopprobe in the lab's host namespace (with
workerdrive.py, which knows it by the PID it started), feeds it, reads what comes back and prints one 'ok - ...' or
'not ok - ...' line per check, with '#' lines for diagnostics.  The exit
status is 0 when every check passed and 1 when one did not; anything else
means the driver itself broke.

	hostile_drive.py input NS HOPPROBE TMPDIR
	    the command stream: garbage, NUL bytes, CRLF, over-long lines,
	    a burst of 100,000 commands, tokens beyond 31 bits, negative and
	    huge numbers, the worker's peak memory
	hostile_drive.py stall NS HOPPROBE TMPDIR
	    a reader that stops reading, then reads everything
	hostile_drive.py forge NS_HOST NS_R1 HOPPROBE PCAP TMPDIR
	    forged, truncated and unrelated ICMP (and TCP, SCTP, garbage)
	    sent from the router r1 while probes wait in r2's black hole;
	    PCAP is a running tcpdump's capture of the probes on r1

Expected replies come from the protocol (hopprobe(8)) and from the
lab's addresses (lib.sh exports them as LAB_* variables), never from the
worker's own answers; the probes' identifiers are read back from the
capture by scapy.
"""

import collections
import fcntl
import os
import random
import re
import select
import socket
import struct
import subprocess
import sys
import time

import workerdrive

# Bounds of the memory the worker may use.
RSS_LIMIT_KB = 64 * 1024
STALL_GROWTH_KB = 1024

REPLY_OK = b"feature-support support ok"
PARSE_ERROR = b"0 command-parse-error"
OVERFLOW = b"0 command-buffer-overflow"
MAX_LINE = 4095


class Checks:
    """Counts and prints the results of the checks, TAP style."""

    def __init__(self):
        self.failed = 0

    def check(self, cond, desc, detail=None):
        if cond:
            print("ok - " + desc)
        else:
            self.failed += 1
            print("not ok - " + desc)
            if detail:
                for line in str(detail).splitlines()[:40]:
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def note(self, text):
        for line in str(text).splitlines():
            print("# " + line)
        sys.stdout.flush()


def set_nonblocking(fd):
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)


def proc_status(pid):
    """VmRSS, VmHWM (kB) and the state letter of a process, or Nones."""
    fields = {}
    if pid is None:
        return None, None, None
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.split()
    except OSError:
        return None, None, None
    try:
        return (int(fields["VmRSS"][0]), int(fields["VmHWM"][0]),
                fields["State"][0])
    except (KeyError, IndexError, ValueError):
        return None, None, None


class Worker:
    """One hopprobe in namespace ns, fed and read without blocking.

    Input is queued with write() and written as the pipe takes it; the
    output is collected as whole lines.  Memory is sampled every 0.1 s
    while pump() runs.  Everything is bounded: each pump() by its own
    deadline, and finish() stops the worker by its PID when it must.
    """

    def __init__(self, ns, hopprobe, err_path):
        self.err = open(err_path, "wb")
        self.err_path = err_path
        # workerdrive starts the worker itself in the namespace: the PID
        # it reports is the worker's, with no wrapper to look under.
        self.driver = workerdrive.Worker([hopprobe], ns=ns, stderr=self.err)
        self.proc = self.driver.proc
        self.pid = self.proc.pid
        self.in_fd = self.proc.stdin.fileno()
        self.out_fd = self.proc.stdout.fileno()
        set_nonblocking(self.in_fd)
        set_nonblocking(self.out_fd)
        self.pending = bytearray()
        self.closing = False
        self.stdin_open = True
        self.written = 0
        self.partial = b""
        self.raw = bytearray()
        self.lines = []
        self.eof = False
        self.max_rss = 0
        self.hwm = 0
        self.last_sample = 0.0
        self.rc = None

    def write(self, data):
        self.pending += data

    def close_input(self):
        self.closing = True

    def sample(self):
        if self.pid is None:
            return
        rss, hwm, _ = proc_status(self.pid)
        if rss is not None:
            self.max_rss = max(self.max_rss, rss)
            self.hwm = max(self.hwm, hwm)

    def _flush_input(self):
        while self.pending and self.stdin_open:
            try:
                n = os.write(self.in_fd, self.pending[:1 << 20])
            except BlockingIOError:
                return
            except BrokenPipeError:
                self.pending.clear()
                return
            del self.pending[:n]
            self.written += n
        if self.closing and not self.pending and self.stdin_open:
            self.proc.stdin.close()
            self.stdin_open = False

    def _read_output(self):
        while not self.eof:
            try:
                chunk = os.read(self.out_fd, 1 << 20)
            except BlockingIOError:
                return
            if not chunk:
                self.eof = True
                if self.partial:
                    self.lines.append(b"UNTERMINATED " + self.partial)
                    self.partial = b""
                return
            self.raw += chunk
            parts = (self.partial + chunk).split(b"\n")
            self.partial = parts.pop()
            self.lines.extend(parts)

    def step(self, wait, read=True):
        """One round: wait at most `wait` s for the pipes, then move data."""
        rfds = [self.out_fd] if read and not self.eof else []
        wfds = [self.in_fd] if self.pending and self.stdin_open else []
        if rfds or wfds:
            select.select(rfds, wfds, [], wait)
        else:
            time.sleep(wait)
        self._flush_input()
        if read:
            self._read_output()
        now = time.monotonic()
        if now - self.last_sample >= 0.1:
            self.last_sample = now
            self.sample()

    def pump(self, until, seconds, read=True):
        """Move data until until() holds or `seconds` pass; True if it held."""
        deadline = time.monotonic() + seconds
        while True:
            if until():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.step(min(0.05, left), read)

    def replies_for(self, token):
        key = b"%d " % token
        return [ln for ln in self.lines if ln.startswith(key)]

    def finish(self, seconds=30):
        """Close stdin once everything is written, read to EOF, reap."""
        self.close_input()
        self.pump(lambda: self.eof, seconds)
        try:
            self.rc = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            self.rc = "killed"
        self.err.close()
        return self.rc

    def kill(self):
        self.driver.stop()

    def stderr_text(self):
        try:
            with open(self.err_path, "rb") as f:
                return f.read().decode("ascii", "replace")
        except OSError:
            return ""


def exit_checks(c, w, name):
    c.check(w.rc == 0, "%s: the worker exits 0 after end of file" % name,
            "exit status %r" % (w.rc,))
    err = w.stderr_text()
    c.check(err == "", "%s: nothing on stderr" % name, err)
    c.check(0 < w.hwm < RSS_LIMIT_KB,
            "%s: peak memory VmHWM %d kB (largest VmRSS seen %d kB), "
            "below %d kB" % (name, w.hwm, w.max_rss, RSS_LIMIT_KB))


def lines_text(lines, limit=20):
    out = [ln.decode("ascii", "replace") for ln in lines[:limit]]
    if len(lines) > limit:
        out.append("... %d more" % (len(lines) - limit))
    return "\n".join(out)


def multiset_diff(got, want):
    """Describe how two lists of reply lines differ as multisets."""
    g = collections.Counter(got)
    w = collections.Counter(want)
    missing = list((w - g).elements())
    extra = list((g - w).elements())
    if not missing and not extra:
        return None
    return ("missing:\n%s\nunexpected:\n%s"
            % (lines_text(missing) or "(none)", lines_text(extra) or "(none)"))


# ---- a model of the request grammar --------------------------------------
#
# Written from hopprobe(8), for lines of garbage: what the worker
# must answer to one request line (newline stripped).  None when the
# answer depends on the host (send-probe, check-support of a real
# feature).

KNOWN_FEATURES = {b"version", b"send-probe", b"ip-4", b"ip-6", b"icmp",
                  b"udp", b"tcp", b"sctp", b"mark"}


def model_reply(line):
    if len(line) > MAX_LINE:
        return OVERFLOW
    if b"\0" in line:
        return PARSE_ERROR
    # bytes.split() cuts at runs of ASCII white space: space, \t, \n, \r,
    # \v, \f ("any run of white space" in the protocol).
    toks = line.split()
    if len(toks) < 2 or not re.fullmatch(rb"[0-9]+", toks[0]) or \
            int(toks[0]) > 2147483647 or len(toks) % 2:
        return PARSE_ERROR
    token = int(toks[0])
    args = dict(zip(toks[2::2], toks[3::2]))
    if toks[1] == b"check-support":
        if b"feature" not in args:
            return b"%d invalid-argument" % token
        if args[b"feature"] in KNOWN_FEATURES:
            return None
        return b"%d feature-support support no" % token
    if toks[1] == b"send-probe":
        return None
    return b"%d unknown-command" % token


def model_replies(data):
    """Replies to a whole input (stdin closed after it), as a list."""
    lines = data.split(b"\n")
    last = lines.pop()
    if last:
        lines.append(last)
    return [model_reply(ln) for ln in lines]


# ---- section A: the command stream ---------------------------------------


def structured_garbage(rng, n):
    """n seeded lines made of the protocol's own words, mostly wrong.

    Random bytes alone are nearly all parse errors; these lines also reach
    unknown-command, invalid-argument, feature-support no and the length
    bound, with every kind of white space.  No line is a send-probe or asks
    about a real feature, so the model knows every answer.
    """
    def sep():
        return b"".join(rng.choice([b" ", b"\t", b"\r", b"\v", b"\f"])
                        for _ in range(rng.choice([1, 1, 1, 2, 5])))

    def number():
        return b"%d" % rng.choice([
            rng.randrange(1, 2147483648), rng.randrange(1, 1000),
            2147483647, 2147483648, rng.randrange(2 ** 31, 2 ** 70)])

    def word():
        return rng.choice([
            b"check-support", b"Check-Support", b"check-support", b"frob",
            b"feature", b"ttl", b"ip-4", b"-1", b"99999999999999999999",
            b"\x80\xff", b"send-probe-x", number(),
            bytes(rng.choice(b"abcdefghijklmnop-0123456789")
                  for _ in range(rng.randrange(1, 40)))])

    lines = []
    while len(lines) < n:
        toks = [number() if rng.random() < 0.9 else word(), word()]
        for _ in range(rng.randrange(0, 8)):
            toks += [word(), rng.choice([b"nope", b"IP-4", b"x" * 40,
                                         word()])]
        if rng.random() < 0.1:
            toks.pop()
        line = sep().join(toks)
        if rng.random() < 0.3:
            line = sep() + line + sep()
        if rng.random() < 0.03:
            line += b"\0"
        if rng.random() < 0.02:
            line += b" " * rng.choice([4096 - len(line), 5000, 70000])
        if rng.random() < 0.02:
            line = line[:rng.randrange(0, len(line) + 1)]
        if model_reply(line) is not None:
            lines.append(line + b"\n")
    return b"".join(lines)


def run_garbage(c, ns, hp, tmp):
    rng = random.Random(20240606)
    data = bytes(rng.getrandbits(8) for _ in range(256 * 1024)) + b"\n"
    data += structured_garbage(rng, 5000)
    want = model_replies(data)
    if any(r is None for r in want):
        c.check(False, "garbage: the seeded garbage holds no real request")
        return
    # Then one normal line.
    data += b"77 check-support feature send-probe\n"
    want.append(b"77 " + REPLY_OK)
    w = Worker(ns, hp, tmp + "/garbage.err")
    try:
        w.write(data)
        w.pump(lambda: len(w.lines) >= len(want), 30)
        w.finish()
    finally:
        w.kill()
    kinds = collections.Counter(
        r.split(b" ", 1)[1].split(b" ")[0].decode() for r in want)
    c.note("garbage: %d bytes, %d lines, expected replies: %s"
           % (len(data), len(want), dict(kinds)))
    c.check(multiset_diff(w.lines, want) is None,
            "garbage: 256 KiB of seeded random bytes and 5,000 lines of "
            "seeded word salad: every line answered once, as the protocol "
            "says (%d replies, want %d)"
            % (len(w.lines), len(want)), multiset_diff(w.lines, want))
    # The garbage may use token 77 too, but never asks about a feature
    # that exists.
    c.check(w.lines.count(b"77 " + REPLY_OK) == 1,
            "garbage: the line after the garbage is answered normally",
            lines_text(w.replies_for(77)))
    exit_checks(c, w, "garbage")


def run_nul(c, ns, hp, tmp):
    """NUL bytes: the line is a parse error, the next lines are answered.

    Each step is written alone and its replies must arrive before the next
    step is written: a NUL must not make the worker wait for more input.
    """
    ok = REPLY_OK
    steps = [
        ("a NUL at the end of a line",
         b"1 check-support feature send-probe\0\n", [PARSE_ERROR]),
        ("a line that is only a NUL, then a normal line",
         b"\0\n2 check-support feature send-probe\n",
         [PARSE_ERROR, b"2 " + ok]),
        ("a NUL between tokens, then two normal lines in the same write",
         b"3 check-support\0feature send-probe\n"
         b"4 check-support feature send-probe\n"
         b"5 check-support feature icmp\n",
         [PARSE_ERROR, b"4 " + ok, b"5 " + ok]),
        ("a NUL inside a token",
         b"6 check-sup\0port feature send-probe\n"
         b"7 check-support feature send-probe\n",
         [PARSE_ERROR, b"7 " + ok]),
        ("a NUL at the start of a line",
         b"\x008 check-support feature send-probe\n"
         b"9 check-support feature send-probe\n",
         [PARSE_ERROR, b"9 " + ok]),
        ("4,000 NUL bytes in one line (short enough to be a line)",
         b"\0" * 4000 + b"\n10 check-support feature send-probe\n",
         [PARSE_ERROR, b"10 " + ok]),
        ("5,000 NUL bytes in one line (over-long)",
         b"\0" * 5000 + b"\n11 check-support feature send-probe\n",
         [OVERFLOW, b"11 " + ok]),
        ("a NUL line between probes to 127.0.0.1",
         b"12 send-probe ip-4 127.0.0.1 timeout 2\n\0\0\0\n"
         b"13 send-probe ip-4 127.0.0.1 timeout 2\n",
         [PARSE_ERROR, re.compile(rb"12 reply ip-4 127\.0\.0\.1 "
                                  rb"round-trip-time [0-9]+"),
          re.compile(rb"13 reply ip-4 127\.0\.0\.1 round-trip-time [0-9]+")]),
    ]
    w = Worker(ns, hp, tmp + "/nul.err")
    try:
        for desc, data, want in steps:
            before = len(w.lines)
            w.write(data)
            got_all = w.pump(lambda: len(w.lines) - before >= len(want), 3)
            w.pump(lambda: False, 0.2)
            got = w.lines[before:]
            c.check(got_all and matches_all(got, want),
                    "NUL: %s: answered at once (%d replies)"
                    % (desc, len(got)), "got:\n%s" % lines_text(got))
        # A NUL line cut short by a pause, then its newline.
        before = len(w.lines)
        w.write(b"14 check-support feature send-probe\0")
        w.pump(lambda: False, 0.5)
        early = w.lines[before:]
        w.write(b"\n15 check-support feature send-probe\n")
        w.pump(lambda: len(w.lines) - before >= 2, 3)
        got = w.lines[before:]
        c.check(early == [] and matches_all(got, [PARSE_ERROR, b"15 " + ok]),
                "NUL: a line with a NUL whose newline comes 0.5 s later is "
                "one parse error, and the next line is answered",
                "before the newline:\n%s\nall:\n%s"
                % (lines_text(early), lines_text(got)))
        # The last line, with a NUL and without a newline, at end of file.
        before = len(w.lines)
        w.write(b"16 check-support feature send-probe\0")
        w.finish()
        got = w.lines[before:]
        c.check(got == [PARSE_ERROR],
                "NUL: a last line with a NUL and no newline is a parse error "
                "at end of file", lines_text(got))
    finally:
        w.kill()
    exit_checks(c, w, "NUL")


def matches_all(got, want):
    """Every reply in got matches one pattern of want, one to one."""
    if len(got) != len(want):
        return False
    left = list(want)
    for line in got:
        for i, pat in enumerate(left):
            if (isinstance(pat, bytes) and line == pat) or \
                    (not isinstance(pat, bytes) and pat.fullmatch(line)):
                del left[i]
                break
        else:
            return False
    return True


def run_crlf(c, ns, hp, tmp, have_ipv6):
    ok = REPLY_OK
    reply4 = rb" reply ip-4 127\.0\.0\.1 round-trip-time [0-9]+"
    cases = [
        (b"20 check-support feature send-probe\r\n", b"20 " + ok),
        (b"21 send-probe ip-4 127.0.0.1 timeout 2\r\n",
         re.compile(b"21" + reply4)),
        (b"22 send-probe ip-4 127.0.0.1 ttl 64\r\n",
         re.compile(b"22" + reply4)),
        (b"23 send-probe ip-4 127.0.0.1 protocol udp port 33434 "
         b"timeout 2\r\n", re.compile(b"23" + reply4)),
        (b"24 check-support feature ip-4\r\n", b"24 " + ok),
        (b"25 check-support\tfeature\r\r send-probe \r\n", b"25 " + ok),
        (b"26 frobnicate\r\n", b"26 unknown-command"),
        (b"27 check-support feature\r\n", PARSE_ERROR),
        (b"\r\n", PARSE_ERROR),
        (b"28 send-probe ip-4 127.0.0.1 ttl 256\r\n",
         b"28 invalid-argument"),
    ]
    if have_ipv6:
        cases.append((b"29 send-probe ip-6 ::1 protocol udp port 33434 "
                      b"timeout 2\r\n",
                      re.compile(rb"29 reply ip-6 ::1 round-trip-time "
                                 rb"[0-9]+")))
    w = Worker(ns, hp, tmp + "/crlf.err")
    try:
        for line, _ in cases:
            w.write(line)
        w.pump(lambda: len(w.lines) >= len(cases), 10)
        w.finish()
    finally:
        w.kill()
    for line, want in cases:
        name = line.split(b" ", 1)[0]
        if re.fullmatch(rb"[0-9]+", name):
            got = w.replies_for(int(name))
            if want == PARSE_ERROR:
                # Parse errors carry token 0; counted below.
                c.check(got == [], "CRLF: %r: no reply under token %s"
                        % (line, name.decode()), lines_text(got))
                continue
        else:
            continue
        c.check(len(got) == 1 and matches_all(got, [want]),
                "CRLF: %r is answered as if it ended in LF" % line,
                "got:\n%s" % lines_text(got))
    want_pe = sum(1 for _, want in cases if want == PARSE_ERROR)
    got_pe = w.lines.count(PARSE_ERROR)
    c.check(got_pe == want_pe,
            "CRLF: %d parse errors (an argument without a value, an empty "
            "line), got %d" % (want_pe, got_pe))
    c.check(len(w.lines) == len(cases),
            "CRLF: %d replies in all, got %d" % (len(cases), len(w.lines)),
            lines_text(w.lines))
    c.check(b"\r" not in w.raw, "CRLF: the replies contain no CR")
    exit_checks(c, w, "CRLF")


def long_line(length, seed):
    """A line of `length` bytes whose tails look like requests.

    The line repeats '99 send-probe ip-4 127.0.0.1 timeout 1 ' and ends
    on it, so that a worker that took up parsing again at the start of
    any piece, or at the last one, would send a probe under token 99 (the
    whole line too is a valid send-probe request); one that took it up
    elsewhere would answer something, which the checks count as well.  A
    seeded amount of white space in front shifts where the pieces fall.
    """
    unit = b"99 send-probe ip-4 127.0.0.1 timeout 1 "
    tail = unit.rstrip()
    body = b" " * (seed % len(unit)) + unit * (length // len(unit) + 2)
    # End on a complete request too.
    return body[:length - len(tail) - 1] + b" " + tail


def run_long_lines(c, ns, hp, tmp):
    ok = REPLY_OK
    rng = random.Random(4096)
    w = Worker(ns, hp, tmp + "/long.err")
    exact = b"30 check-support feature send-probe"
    exact = exact[:2] + b" " * (MAX_LINE - len(exact)) + exact[2:]
    over = b"31 check-support feature send-probe"
    over = over[:2] + b" " * (MAX_LINE + 1 - len(over)) + over[2:]
    line64 = long_line(64 * 1024, 7)
    line1m = long_line(1024 * 1024, 11)
    assert len(exact) == MAX_LINE and len(over) == MAX_LINE + 1
    assert len(line64) == 64 * 1024 and len(line1m) == 1024 * 1024
    try:
        # 64 KiB in one write, then a normal line.
        w.write(line64 + b"\n20 check-support feature send-probe\n")
        w.pump(lambda: w.replies_for(20), 10)
        # 1 MiB in seeded pieces of 1 byte to 64 KiB with short pauses,
        # so that the worker sees the line across many reads.
        data = line1m + b"\n21 check-support feature send-probe\n"
        pos = 0
        while pos < len(data):
            n = rng.choice((1, 7, 100, 4095, 4096, 4097, 65536))
            w.write(data[pos:pos + n])
            pos += n
            w.pump(lambda: not w.pending, 5)
            if rng.random() < 0.05:
                w.pump(lambda: False, 0.01)
        w.pump(lambda: w.replies_for(21), 10)
        # The bound itself: 4,095 bytes are a line, 4,096 are too many.
        w.write(exact + b"\n" + over + b"\n22 check-support feature "
                b"send-probe\n")
        w.pump(lambda: w.replies_for(22), 10)
        w.finish()
    finally:
        w.kill()
    want = [OVERFLOW, b"20 " + ok, OVERFLOW, b"21 " + ok, b"30 " + ok,
            OVERFLOW, b"22 " + ok]
    diff = multiset_diff(w.lines, want)
    c.check(w.lines.count(OVERFLOW) == 3,
            "long lines: exactly one command-buffer-overflow each for 64 KiB, "
            "1 MiB and 4,096 bytes (got %d)" % w.lines.count(OVERFLOW))
    c.check(w.replies_for(99) == [],
            "long lines: no tail of a long line runs as a request (token 99 "
            "never answered)", lines_text(w.replies_for(99)))
    c.check(w.replies_for(31) == [],
            "long lines: the 4,096-byte request (token 31) is not run",
            lines_text(w.replies_for(31)))
    c.check(w.replies_for(30) == [b"30 " + ok],
            "long lines: a 4,095-byte request is answered",
            lines_text(w.replies_for(30)))
    c.check(diff is None, "long lines: the lines after each long line are "
            "answered, and nothing else comes", diff)
    exit_checks(c, w, "long lines")

    # A 1 MiB line that never ends: one overflow, exit 0 at end of file.
    w = Worker(ns, hp, tmp + "/long_eof.err")
    try:
        w.write(long_line(1024 * 1024, 3))
        w.pump(lambda: not w.pending, 10)
        w.pump(lambda: False, 0.5)
        early = list(w.lines)
        w.finish()
    finally:
        w.kill()
    c.note("long line without newline: before end of file the worker had "
           "answered: %s" % (lines_text(early) or "(nothing)"))
    c.check(w.lines == [OVERFLOW],
            "long line without newline: one command-buffer-overflow and "
            "nothing else", lines_text(w.lines))
    exit_checks(c, w, "long line without newline")


def run_burst(c, ns, hp, tmp):
    """100,000 requests written as fast as the pipe takes them."""
    n = 100000
    parts = []
    for t in range(1, n + 1):
        if t % 2:
            parts.append(b"%d check-support feature send-probe\n" % t)
        else:
            parts.append(b"%d send-probe ip-4 127.0.0.1 timeout 1\n" % t)
    data = b"".join(parts)
    w = Worker(ns, hp, tmp + "/burst.err")
    t0 = time.monotonic()
    try:
        w.write(data)
        w.pump(lambda: len(w.lines) >= n, 90)
        took = time.monotonic() - t0
        w.pump(lambda: False, 1.6)
        w.finish()
    finally:
        w.kill()
    probe_re = re.compile(rb"([0-9]+) (reply ip-4 127\.0\.0\.1 "
                          rb"round-trip-time [0-9]+|no-reply)")
    seen = collections.Counter()
    bad = []
    kinds = collections.Counter()
    for line in w.lines:
        tok = line.split(b" ", 1)[0]
        if not tok.isdigit():
            bad.append(line)
            continue
        t = int(tok)
        seen[t] += 1
        if t % 2 and 1 <= t <= n:
            if line != b"%d " % t + REPLY_OK:
                bad.append(line)
            kinds["check-support"] += 1
        else:
            m = probe_re.fullmatch(line)
            if not m or not 1 <= t <= n:
                bad.append(line)
            else:
                kinds[m.group(2).split(b" ")[0].decode()] += 1
    missing = [t for t in range(1, n + 1) if seen[t] == 0]
    twice = [t for t, k in seen.items() if k > 1]
    c.note("burst: %d replies in %.2f s: %s" % (len(w.lines), took,
                                                  dict(kinds)))
    c.check(not missing, "burst: all 100,000 requests answered (%d missing)"
            % len(missing), "first missing tokens: %s" % missing[:20])
    c.check(not twice, "burst: none answered twice (%d)" % len(twice),
            "tokens: %s" % twice[:20])
    c.check(not bad, "burst: every reply is the one the request asks for "
            "(check-support ok; reply from 127.0.0.1 or no-reply)",
            lines_text(bad))
    exit_checks(c, w, "burst")


def run_tokens(c, ns, hp, tmp):
    ok = REPLY_OK
    cases = [
        (b"2147483647 check-support feature send-probe",
         b"2147483647 " + ok),
        (b"0 check-support feature send-probe", b"0 " + ok),
        (b"2147483648 check-support feature send-probe", PARSE_ERROR),
        (b"4294967295 check-support feature send-probe", PARSE_ERROR),
        (b"4294967296 check-support feature send-probe", PARSE_ERROR),
        (b"4294967297 check-support feature send-probe", PARSE_ERROR),
        (b"9223372036854775807 check-support feature send-probe",
         PARSE_ERROR),
        (b"18446744073709551617 check-support feature send-probe",
         PARSE_ERROR),
        (b"99999999999999999999 check-support feature send-probe",
         PARSE_ERROR),
        (b"1" + b"0" * 200 + b"3 check-support feature send-probe",
         PARSE_ERROR),
        (b"2147483648 send-probe ip-4 127.0.0.1 timeout 1", PARSE_ERROR),
        (b"4294967299 send-probe ip-4 127.0.0.1 timeout 1", PARSE_ERROR),
        (b"2147483648 frobnicate", PARSE_ERROR),
        (b"-1 check-support feature send-probe", PARSE_ERROR),
        (b"-2147483648 check-support feature send-probe", PARSE_ERROR),
        (b"+5 check-support feature send-probe", PARSE_ERROR),
        (b"0x10 check-support feature send-probe", PARSE_ERROR),
        (b"1e3 check-support feature send-probe", PARSE_ERROR),
        (b"3.0 check-support feature send-probe", PARSE_ERROR),
        (b"7 check-support feature send-probe", b"7 " + ok),
    ]
    w = Worker(ns, hp, tmp + "/tokens.err")
    try:
        w.write(b"".join(line + b"\n" for line, _ in cases))
        w.pump(lambda: len(w.lines) >= len(cases), 10)
        w.pump(lambda: False, 1.5)
        w.finish()
    finally:
        w.kill()
    want = [r for _, r in cases]
    diff = multiset_diff(w.lines, want)
    c.check(diff is None, "tokens: 2147483647 and 0 are answered; %d tokens "
            "beyond 31 bits, signed, hex or fractional are each one "
            "command-parse-error, never wrapped"
            % want.count(PARSE_ERROR), diff)
    for wrapped in (1, 3, 2147483647 - 1):
        c.check(w.replies_for(wrapped) == [],
                "tokens: nothing answered under the wrapped token %d"
                % wrapped, lines_text(w.replies_for(wrapped)))
    exit_checks(c, w, "tokens")


# Values no numeric argument may take, and those out of one's range.
BAD_NUMBERS = [b"-1", b"-0", b"+1", b"1.5", b"0x10", b"1e3", b"10s",
               b"4294967296", b"4294967297", b"18446744073709551616",
               b"18446744073709551617", b"99999999999999999999",
               b"9" * 300]
OUT_OF_RANGE = {
    b"ttl": [b"0", b"256", b"65536", b"65537"],
    b"tos": [b"256", b"65536"],
    b"size": [b"65536", b"65537", b"131072"],
    b"port": [b"0", b"65536", b"65537"],
    b"local-port": [b"1023", b"65536", b"65537"],
    b"bit-pattern": [b"256", b"65536"],
    b"mark": [b"4294967296", b"8589934592"],
    b"timeout": [b"86401", b"2147483648"],
}
# The largest value of each, which must be accepted (the controls); for
# size a middling one, as the largest packets are net_params.sh's concern.
IN_RANGE = {
    b"ttl": b"255", b"tos": b"255", b"size": b"1000", b"port": b"65535",
    b"local-port": b"65535", b"bit-pattern": b"255",
    b"mark": b"4294967295", b"timeout": b"86400",
}


def run_numbers(c, ns, hp, tmp):
    reqs = []
    token = 1000
    for arg, extra in OUT_OF_RANGE.items():
        proto = b" protocol udp" if b"port" in arg else b""
        for value in BAD_NUMBERS + extra:
            token += 1
            if arg == b"timeout":
                line = b"%d send-probe ip-4 127.0.0.1 timeout %s" % (
                    token, value)
            else:
                line = b"%d send-probe ip-4 127.0.0.1%s %s %s timeout 1" % (
                    token, proto, arg, value)
            reqs.append((token, arg, value, line))
    controls = []
    for arg, value in IN_RANGE.items():
        token += 1
        proto = b" protocol udp" if b"port" in arg else b""
        if arg == b"timeout":
            line = b"%d send-probe ip-4 127.0.0.1 timeout %s" % (token, value)
        else:
            line = b"%d send-probe ip-4 127.0.0.1%s %s %s timeout 2" % (
                token, proto, arg, value)
        controls.append((token, arg, value, line))
    w = Worker(ns, hp, tmp + "/numbers.err")
    n = len(reqs) + len(controls)
    try:
        w.write(b"".join(r[3] + b"\n" for r in reqs + controls))
        w.pump(lambda: len(w.lines) >= n, 10)
        # A probe wrongly sent with timeout 1 would answer within 1.5 s.
        w.pump(lambda: False, 1.6)
        w.finish()
    finally:
        w.kill()
    by_arg = collections.defaultdict(list)
    for tok, arg, value, line in reqs:
        got = w.replies_for(tok)
        if got != [b"%d invalid-argument" % tok]:
            by_arg[arg].append("%s: %s" % (line.decode(),
                                            lines_text(got) or "(nothing)"))
    for arg in OUT_OF_RANGE:
        values = [v.decode() for _, a, v, _ in reqs if a == arg]
        c.check(not by_arg[arg],
                "numbers: %s with each of %d negative, huge or malformed "
                "values is 'TOKEN invalid-argument' (%s)"
                % (arg.decode(), len(values), ", ".join(
                    v if len(v) < 24 else v[:10] + "..." for v in values)),
                "\n".join(by_arg[arg]))
    reply4 = re.compile(rb"[0-9]+ reply ip-4 127\.0\.0\.1 round-trip-time "
                        rb"[0-9]+")
    for tok, arg, value, line in controls:
        got = w.replies_for(tok)
        c.check(len(got) == 1 and reply4.fullmatch(got[0]),
                "numbers: control: %s %s is accepted and answered from "
                "127.0.0.1" % (arg.decode(), value.decode()),
                "%s -> %s" % (line.decode(), lines_text(got)))
    c.check(len(w.lines) == n, "numbers: exactly %d replies, got %d"
            % (n, len(w.lines)))
    exit_checks(c, w, "numbers")


def section_input(ns, hp, tmp):
    c = Checks()
    have_ipv6 = os.environ.get("LAB_HAVE_IPV6", "0") == "1"
    run_garbage(c, ns, hp, tmp)
    run_nul(c, ns, hp, tmp)
    run_crlf(c, ns, hp, tmp, have_ipv6)
    run_long_lines(c, ns, hp, tmp)
    run_tokens(c, ns, hp, tmp)
    run_numbers(c, ns, hp, tmp)
    run_burst(c, ns, hp, tmp)
    return c


# ---- section B: a reader that stops reading -------------------------------


def section_stall(ns, hp, tmp):
    c = Checks()
    n_support, n_probe = 300000, 50000
    parts = []
    kinds = {}
    for t in range(1, n_support + n_probe + 1):
        # Every seventh request is a probe: 50,000 of 350,000.
        if t % 7 == 0:
            parts.append(b"%d send-probe ip-4 127.0.0.1 timeout 1\n" % t)
            kinds[t] = "probe"
        else:
            parts.append(b"%d check-support feature send-probe\n" % t)
            kinds[t] = "support"
    data = b"".join(parts)
    total = len(data)
    w = Worker(ns, hp, tmp + "/stall.err")
    try:
        w.write(data)
        # Phase 1: never read.  Write until no byte has gone in for 2 s.
        t0 = time.monotonic()
        last_progress, last_written = t0, -1
        while time.monotonic() - t0 < 60:
            w.step(0.05, read=False)
            if w.written != last_written:
                last_written, last_progress = w.written, time.monotonic()
            elif time.monotonic() - last_progress >= 2.0 or not w.pending:
                break
        stalled_at = w.written
        rss0, hwm0, state0 = proc_status(w.pid)
        w.pump(lambda: False, 2.0, read=False)
        rss1, hwm1, state1 = proc_status(w.pid)
        later = w.written
        c.note("stall: %d of %d bytes written before the writer blocked; "
               "%d after 2 s more; VmRSS %s kB then %s kB (VmHWM %s kB), "
               "state %s/%s" % (stalled_at, total, later, rss0, rss1, hwm1,
                                state0, state1))
        c.check(stalled_at < total,
                "stall: the worker stops taking input while nobody reads "
                "(the writer blocked after %d of %d bytes)"
                % (stalled_at, total))
        c.check(later == stalled_at,
                "stall: its input stays paused (no byte taken in 2 s more)")
        c.check(rss1 is not None and rss1 < RSS_LIMIT_KB,
                "stall: VmRSS %s kB while stalled, below %d kB"
                % (rss1, RSS_LIMIT_KB))
        c.check(rss0 is not None and rss1 is not None and
                rss1 - rss0 <= STALL_GROWTH_KB,
                "stall: VmRSS stops growing (%s -> %s kB in 2 s, at most "
                "+%d kB)" % (rss0, rss1, STALL_GROWTH_KB))
        c.check(state1 in ("S", "R"),
                "stall: the worker is alive while stalled (state %s)"
                % state1)
        cpu0 = proc_cpu(w.pid)
        w.pump(lambda: False, 1.0, read=False)
        cpu1 = proc_cpu(w.pid)
        c.check(cpu0 is not None and cpu1 is not None and cpu1 - cpu0 <= 5,
                "stall: the paused worker does not spin (%s clock ticks of "
                "CPU in 1 s)" % (None if cpu0 is None or cpu1 is None
                                  else cpu1 - cpu0))
        # Phase 2: read everything, then end of file.
        want = n_support + n_probe
        w.pump(lambda: len(w.lines) >= want, 90)
        w.finish()
    finally:
        w.kill()
    seen = collections.Counter()
    bad = []
    probe_re = re.compile(rb"[0-9]+ (reply ip-4 127\.0\.0\.1 round-trip-time "
                          rb"[0-9]+|no-reply)")
    for line in w.lines:
        tok = line.split(b" ", 1)[0]
        t = int(tok) if tok.isdigit() else -1
        seen[t] += 1
        kind = kinds.get(t)
        if kind == "support" and line == b"%d " % t + REPLY_OK:
            continue
        if kind == "probe" and probe_re.fullmatch(line):
            continue
        bad.append(line)
    missing = [t for t in kinds if seen[t] == 0]
    twice = [t for t, k in seen.items() if k > 1]
    c.check(not missing, "stall: after reading resumes, all %d requests are "
            "answered (%d missing)" % (len(kinds), len(missing)),
            "first: %s" % missing[:20])
    c.check(not twice, "stall: none answered twice (%d)" % len(twice),
            "tokens: %s" % twice[:20])
    c.check(not bad, "stall: every reply is the one its request asks for",
            lines_text(bad))
    exit_checks(c, w, "stall")
    return c


def proc_cpu(pid):
    if pid is None:
        return None
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return None
    f = st[st.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])


# ---- section C: forged packets from the network ----------------------------

def inet_checksum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def add_be(buf, offset, width, delta):
    """Add delta to the big-endian field of width bytes at offset (wraps)."""
    fmt = {1: "!B", 2: "!H", 4: "!I"}[width]
    (v,) = struct.unpack_from(fmt, buf, offset)
    struct.pack_into(fmt, buf, offset, (v + delta) % (1 << (8 * width)))


class Probe:
    """One probe as captured on r1: its raw IP packet and identity."""

    def __init__(self, family, proto, token, size, role):
        self.family = family
        self.proto = proto
        self.token = token
        self.size = size
        self.role = role
        self.pkt = None

    @property
    def ihl(self):
        return (self.pkt[0] & 0x0f) * 4 if self.family == 4 else 40

    @property
    def transport(self):
        return self.pkt[self.ihl:]

    def field(self, name):
        t = self.transport
        if name == "sport":
            return struct.unpack_from("!H", t, 0)[0]
        if name == "dport":
            return struct.unpack_from("!H", t, 2)[0]
        if name == "icmp_id":
            return struct.unpack_from("!H", t, 4)[0]
        if name == "icmp_seq":
            return struct.unpack_from("!H", t, 6)[0]
        if name == "tcp_seq":
            return struct.unpack_from("!I", t, 4)[0]
        if name == "sctp_itag":
            return struct.unpack_from("!I", t, 16)[0]
        raise KeyError(name)


# Offsets of the identifying fields, from the start of the transport header
# (ICMP echo id/seq, UDP ports and checksum, TCP ports and sequence number,
# the SCTP INIT's initiate tag after the 12-byte common header and the
# chunk's type, flags and length).
FIELDS = {
    "icmp_id": (4, 2), "icmp_seq": (6, 2),
    "sport": (0, 2), "dport": (2, 2), "udp_cksum": (6, 2),
    "tcp_seq": (4, 4), "sctp_itag": (16, 4),
}


def quote_identity(family, quote):
    """What identifies the probe a quote stands for (None: no identity).

    Written from the protocol: the destination, the protocol and the fields
    of the first 8 transport bytes the worker chose (20 for SCTP).
    """
    if family == 4:
        if len(quote) < 20 or quote[0] >> 4 != 4:
            return None
        ihl = (quote[0] & 0x0f) * 4
        proto, dst = quote[9], bytes(quote[16:20])
    else:
        if len(quote) < 40 or quote[0] >> 4 != 6:
            return None
        ihl, proto, dst = 40, quote[6], bytes(quote[24:40])
    t = quote[ihl:]
    need = 20 if proto == 132 else 8
    if len(t) < need:
        return None
    if proto in (1, 58):
        return (family, proto, dst, bytes(t[4:8]))
    if proto == 17:
        return (family, proto, dst, bytes(t[0:4]) + bytes(t[6:8]))
    if proto == 6:
        return (family, proto, dst, bytes(t[0:8]))
    if proto == 132:
        return (family, proto, dst, bytes(t[0:4]) + bytes(t[16:20]))
    return None


class Forger:
    """Builds packets with scapy and sends them from r1 on raw sockets."""

    def __init__(self, c, lab, scapy):
        self.c = c
        self.lab = lab
        self.s = scapy
        self.sock4 = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                   socket.IPPROTO_RAW)
        self.sock6 = None
        if lab["have_ipv6"]:
            self.sock6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                                       socket.IPPROTO_RAW)
        self.sent = collections.Counter()
        self.errors = collections.Counter()
        self.count = 0

    def send(self, family, pkt, what):
        """Send one whole IP packet (bytes) to the host; pace the burst."""
        try:
            if family == 4:
                self.sock4.sendto(pkt, (self.lab["host4"], 0))
            else:
                self.sock6.sendto(pkt, (self.lab["host6"], 0))
            self.sent[what] += 1
        except OSError as e:
            self.errors["%s: %s" % (what, e.strerror)] += 1
        self.count += 1
        # The worker's receive buffer is large; pacing keeps every queue
        # on the way (veth, backlog) from dropping what it must see.
        if self.count % 8 == 0:
            time.sleep(0.0005)

    # -- builders -----------------------------------------------------------

    def ip(self, family, src, proto, payload, **kw):
        s = self.s
        if family == 4:
            return bytes(s.IP(src=src, dst=self.lab["host4"], proto=proto,
                              ttl=64, **kw) / s.Raw(payload))
        return bytes(s.IPv6(src=src, dst=self.lab["host6"], nh=proto,
                            hlim=64) / s.Raw(payload))

    def icmp(self, family, src, itype, code, rest, body, cut=None,
             bad_cksum=False):
        """An ICMP(v6) message with a correct checksum, cut to `cut` bytes."""
        msg = bytearray(struct.pack("!BBH", itype, code, 0) + rest + body)
        if cut is not None:
            del msg[cut:]
        if family == 4:
            ck = inet_checksum(bytes(msg))
            proto = 1
        else:
            # RFC 8200 section 8.1: the pseudo-header, then the message.
            pseudo = (socket.inet_pton(socket.AF_INET6, src) +
                      socket.inet_pton(socket.AF_INET6, self.lab["host6"]) +
                      struct.pack("!I3xB", len(msg), 58))
            ck = inet_checksum(pseudo + bytes(msg))
            proto = 58
        if bad_cksum:
            ck ^= 0x5a5a
        struct.pack_into("!H", msg, 2, ck)
        return self.ip(family, src, proto, bytes(msg))

    def time_exceeded(self, family, quote, cut=None):
        src = self.lab["r1_4"] if family == 4 else self.lab["r1_6"]
        return self.icmp(family, src, 11 if family == 4 else 3, 0,
                         b"\0\0\0\0", quote, cut)

    def port_unreach(self, family, quote, cut=None):
        src = self.lab["blackhole4"] if family == 4 else self.lab["blackhole6"]
        if family == 4:
            return self.icmp(4, src, 3, 3, b"\0\0\0\0", quote, cut)
        return self.icmp(6, src, 1, 4, b"\0\0\0\0", quote, cut)

    def echo_reply(self, family, src, ident, seq, data=b"hopprobe"):
        rest = struct.pack("!HH", ident, seq)
        return self.icmp(family, src, 0 if family == 4 else 129, 0, rest,
                         data)

    def tcp(self, family, src, sport, dport, seq, ack, flags):
        s = self.s
        seg = s.TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags,
                    window=0)
        if family == 4:
            return bytes(s.IP(src=src, dst=self.lab["host4"], ttl=64) / seg)
        return bytes(s.IPv6(src=src, dst=self.lab["host6"], hlim=64) / seg)

    def sctp_abort(self, family, src, sport, dport, vtag):
        s = self.s
        pkt = s.SCTP(sport=sport, dport=dport, tag=vtag) / s.SCTPChunkAbort()
        if family == 4:
            return bytes(s.IP(src=src, dst=self.lab["host4"], ttl=64) / pkt)
        return bytes(s.IPv6(src=src, dst=self.lab["host6"], hlim=64) / pkt)


# The probes of each family: (protocol, role).  Each role names what is
# forged against that probe; "control-*" probes must be answered, all
# others must end as no-reply.
ROLES = {
    "icmp": ["quote-icmp-seq+1", "quote-icmp-id+1", "quote-dst+1",
             "quote-7-bytes", "cut-exact", "cut-near-miss",
             "unreach-icmp-seq+1", "echo-seq+1", "echo-id+1",
             "echo-from-r1", "untouched", "control-te-whole",
             "control-echo"],
    "udp": ["quote-udp-checksum+1", "quote-udp-dport+1",
            "quote-udp-sport+1", "quote-dst+1", "quote-7-bytes",
            "cut-exact", "cut-near-miss", "unreach-udp-checksum+1",
            "quote-other-protocol", "untouched", "control-te-rfc792",
            "control-unreach"],
    "tcp": ["quote-tcp-seq+0x10000", "quote-tcp-seq+1",
            "quote-tcp-dport+1", "quote-tcp-sport+1", "quote-dst+1",
            "quote-7-bytes", "quote-other-protocol", "cut-exact",
            "rst-ack=seq", "rst-ack+0x10000", "rst-sport+1", "rst-dport+1",
            "rst-from-r1", "rst-no-ack-flag", "syn-without-ack",
            "untouched", "control-rst"],
    "sctp": ["quote-sctp-tag+1", "quote-dst+1", "cut-exact",
             "abort-vtag+1", "untouched", "control-abort"],
}


def section_forge(ns_host, ns_r1, hp, pcap, tmp):
    import logging
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    import scapy.all as scapy  # noqa: E402  (slow: before any timing)

    c = Checks()
    env = os.environ
    lab = {
        "have_ipv6": env.get("LAB_HAVE_IPV6", "0") == "1",
        "host4": env["LAB_HOST4"], "host6": env.get("LAB_HOST6"),
        "r1_4": env["LAB_R1_4"], "r1_6": env.get("LAB_R1_6"),
        "blackhole4": env["LAB_BLACKHOLE4"],
        "blackhole6": env.get("LAB_BLACKHOLE6"),
        "target4": env["LAB_TARGET4"], "target6": env.get("LAB_TARGET6"),
    }
    timeout = int(env.get("HOSTILE_TIMEOUT", "5"))

    w = Worker(ns_host, hp, tmp + "/forge.err")
    try:
        return forge_run(c, w, lab, scapy, ns_r1, pcap, timeout)
    finally:
        w.kill()


def forge_run(c, w, lab, scapy, ns_r1, pcap, timeout):
    w.write(b"1 check-support feature sctp\n2 check-support feature ip-6\n")
    w.pump(lambda: len(w.lines) >= 2, 5)
    have_sctp = w.replies_for(1) == [b"1 " + REPLY_OK]
    families = [4]
    if lab["have_ipv6"] and w.replies_for(2) == [b"2 " + REPLY_OK]:
        families.append(6)
    protos = ["icmp", "udp", "tcp"] + (["sctp"] if have_sctp else [])
    c.note("forge: families %s, protocols %s, probe timeout %d s"
           % (families, protos, timeout))

    # Probes in round-robin order over family and protocol, so that the
    # worker's consecutive identities never fall on two probes of the same
    # family and protocol: a near miss of one probe is then no other
    # probe's identity either (checked below all the same).  Each probe
    # has its own size, which tells its token in the capture.
    probes = []
    queues = {(f, p): list(ROLES[p]) for f in families for p in protos}
    token, size = 100, 100
    while any(queues.values()):
        for f in families:
            for p in protos:
                if queues[(f, p)]:
                    role = queues[(f, p)].pop(0)
                    probes.append(Probe(f, p, token, size, role))
                    token += 1
                    size += 4
    lines = []
    for pr in probes:
        dst = lab["blackhole4"] if pr.family == 4 else lab["blackhole6"]
        lines.append(b"%d send-probe ip-%d %s protocol %s size %d "
                     b"timeout %d\n" % (pr.token, pr.family, dst.encode(),
                                        pr.proto.encode(), pr.size, timeout))
    w.write(b"".join(lines))
    t_sent = time.monotonic()

    # The capture on r1 tells each probe's identifiers.
    by_key = {(pr.family, pr.size): pr for pr in probes}

    def read_capture():
        # Ethernet frames from the veth: the type, then the IP packet.
        reader = None
        try:
            reader = scapy.RawPcapReader(pcap)
            for frame, _ in reader:
                etype = struct.unpack_from("!H", frame, 12)[0]
                raw = frame[14:]
                if etype == 0x0800 and len(raw) >= 20:
                    key = (4, struct.unpack_from("!H", raw, 2)[0])
                elif etype == 0x86dd and len(raw) >= 40:
                    key = (6, struct.unpack_from("!H", raw, 4)[0] + 40)
                else:
                    continue
                raw = raw[:key[1]]
                pr = by_key.get(key)
                if pr is not None and pr.pkt is None and len(raw) == pr.size:
                    pr.pkt = bytearray(raw)
        except (OSError, EOFError, struct.error, scapy.Scapy_Exception):
            pass    # a record still being written: read again
        finally:
            if reader is not None:
                reader.close()
        return all(pr.pkt is not None for pr in probes)

    deadline = time.monotonic() + 3
    while not read_capture() and time.monotonic() < deadline:
        w.step(0.05)
    lost = [pr for pr in probes if pr.pkt is None]
    c.check(not lost, "forge: all %d probes captured on r1 (by their sizes)"
            % len(probes), "\n".join("token %d (%s %s size %d)"
                                     % (p.token, p.proto, p.family, p.size)
                                     for p in lost))
    if lost:
        return c

    identities = set()
    for pr in probes:
        identities.add(quote_identity(pr.family, pr.pkt))

    workerdrive.enter_netns(ns_r1)
    fg = Forger(c, lab, scapy)
    rng = random.Random(6)
    collisions = []

    def quote(pr, fields=(), length=None, dst_plus=0, proto=None):
        """The probe's packet with some fields changed, cut to length."""
        q = bytearray(pr.pkt)
        if proto is not None:
            q[9 if pr.family == 4 else 6] = proto
        for name, delta in fields:
            off, width = FIELDS[name]
            add_be(q, pr.ihl + off, width, delta)
        if dst_plus:
            add_be(q, 19 if pr.family == 4 else 39, 1, dst_plus)
        if length is not None:
            del q[length:]
        if fields or dst_plus or proto is not None:
            ident = quote_identity(pr.family, q)
            if ident in identities:
                collisions.append("token %d %s" % (pr.token, pr.role))
        return bytes(q)

    near_fields = {
        "quote-icmp-seq+1": [("icmp_seq", 1)],
        "quote-icmp-id+1": [("icmp_id", 1)],
        "quote-udp-checksum+1": [("udp_cksum", 1)],
        "quote-udp-dport+1": [("dport", 1)],
        "quote-udp-sport+1": [("sport", 1)],
        "quote-tcp-seq+0x10000": [("tcp_seq", 0x10000)],
        "quote-tcp-seq+1": [("tcp_seq", 1)],
        "quote-tcp-dport+1": [("dport", 1)],
        "quote-tcp-sport+1": [("sport", 1)],
        "quote-sctp-tag+1": [("sctp_itag", 1)],
    }
    blackhole = {4: lab["blackhole4"], 6: lab["blackhole6"]}
    r1 = {4: lab["r1_4"], 6: lab["r1_6"]}

    for f in families:
        hdr = 20 if f == 4 else 40
        # (1) Errors quoting probes to the black hole with random
        # identifiers: every protocol, 16 each.
        for pr in [p for p in probes if p.family == f and p.role ==
                   "untouched"]:
            for _ in range(16):
                q = bytearray(pr.pkt)
                t0 = pr.ihl
                for i in range(t0, min(len(q), t0 + 24)):
                    q[i] = rng.getrandbits(8)
                # Keep the ICMP type an echo request, so that only the
                # identifiers are wrong.
                if pr.proto == "icmp":
                    q[t0] = 8 if f == 4 else 128
                if quote_identity(f, q) in identities:
                    continue
                fg.send(f, fg.time_exceeded(f, bytes(q)), "random-ids")
                fg.send(f, fg.port_unreach(f, bytes(q)), "random-ids")
        for pr in [p for p in probes if p.family == f]:
            role = pr.role
            need = hdr + (20 if pr.proto == "sctp" else 8)
            if role in near_fields:
                fg.send(f, fg.time_exceeded(f, quote(pr, near_fields[role])),
                        "near-miss")
                fg.send(f, fg.time_exceeded(
                    f, quote(pr, near_fields[role], length=need)),
                    "near-miss")
            elif role == "quote-dst+1":
                fg.send(f, fg.time_exceeded(f, quote(pr, dst_plus=1)),
                        "near-miss")
                fg.send(f, fg.port_unreach(f, quote(pr, dst_plus=1)),
                        "near-miss")
            elif role == "quote-other-protocol":
                # The quoted IP header names the other of UDP and TCP.
                other = 6 if pr.proto == "udp" else 17
                fg.send(f, fg.time_exceeded(f, quote(pr, proto=other)),
                        "near-miss")
            elif role == "quote-7-bytes":
                # (2) Every identifier right, but only 7 transport bytes.
                fg.send(f, fg.time_exceeded(f, quote(pr, length=hdr + 7)),
                        "7-byte quote")
                fg.send(f, fg.port_unreach(f, quote(pr, length=hdr + 7)),
                        "7-byte quote")
            elif role == "cut-exact":
                # (3) The exact quote, cut at every length from 8 up to
                # 60 or the shortest attributable message, whichever
                # comes first.
                for cut in range(8, min(61, 8 + need)):
                    fg.send(f, fg.time_exceeded(f, quote(pr), cut=cut),
                            "truncated")
                    fg.send(f, fg.port_unreach(f, quote(pr), cut=cut),
                            "truncated")
            elif role == "cut-near-miss":
                for cut in range(8, 61):
                    fg.send(f, fg.time_exceeded(f, quote(pr, dst_plus=1),
                                                cut=cut), "truncated")
            elif role.startswith("unreach-"):
                key = role[len("unreach-"):]
                fld = near_fields["quote-" + key]
                fg.send(f, fg.port_unreach(f, quote(pr, fld)), "near-miss")
            elif role in ("echo-seq+1", "echo-id+1", "echo-from-r1"):
                # (4) Echo replies that miss by one field.
                ident = pr.field("icmp_id")
                seq = pr.field("icmp_seq")
                src = blackhole[f]
                if role == "echo-seq+1":
                    seq = (seq + 1) & 0xffff
                elif role == "echo-id+1":
                    ident = (ident + 1) & 0xffff
                else:
                    src = r1[f]
                fg.send(f, fg.echo_reply(f, src, ident, seq), "echo near-miss")
            elif pr.proto == "tcp" and role.startswith(("rst-", "syn-")):
                # (5) RSTs (and a SYN-ACK-less SYN) that miss.
                sport, dport = pr.field("sport"), pr.field("dport")
                seq = pr.field("tcp_seq")
                src, ack, flags = blackhole[f], (seq + 1) & 0xffffffff, "RA"
                if role == "rst-ack=seq":
                    ack = seq
                elif role == "rst-ack+0x10000":
                    ack = (seq + 1 + 0x10000) & 0xffffffff
                elif role == "rst-sport+1":
                    dport = (dport + 1) & 0xffff
                elif role == "rst-dport+1":
                    sport = (sport + 1) & 0xffff
                elif role == "rst-from-r1":
                    src = r1[f]
                elif role == "rst-no-ack-flag":
                    flags = "R"
                elif role == "syn-without-ack":
                    flags = "S"
                fg.send(f, fg.tcp(f, src, dport, sport, 12345, ack, flags),
                        "tcp near-miss")
            elif role == "abort-vtag+1":
                fg.send(f, fg.sctp_abort(
                    f, blackhole[f], pr.field("dport"), pr.field("sport"),
                    (pr.field("sctp_itag") + 1) & 0xffffffff),
                    "sctp near-miss")
        # (4) Echo replies with random identifiers from the black hole.
        ours = {(p.field("icmp_id"), p.field("icmp_seq"))
                for p in probes if p.family == f and p.proto == "icmp"}
        for _ in range(64):
            ident, seq = rng.getrandbits(16), rng.getrandbits(16)
            if (ident, seq) not in ours:
                fg.send(f, fg.echo_reply(f, blackhole[f], ident, seq,
                                         rng.randbytes(rng.randrange(0, 64))),
                        "random echo reply")
        # (6) Garbage: random protocols and payloads, random ICMP types,
        # IPv4 options, some ICMP checksums wrong.
        for i in range(200):
            src = rng.choice([blackhole[f], r1[f]])
            payload = rng.randbytes(rng.randrange(0, 120))
            kind = i % 4
            if kind == 0:
                proto = rng.choice([6, 17, 132, 0, 41, 47, 50, 253, 255]
                                   if f == 4 else [6, 17, 132, 59, 253])
                fg.send(f, fg.ip(f, src, proto, payload), "garbage")
            elif kind in (1, 2):
                itype = rng.choice([0, 3, 11, 5, 12, rng.getrandbits(8)]
                                   if f == 4 else
                                   [129, 1, 3, 4, 2, rng.getrandbits(8)])
                bad = i % 16 == 1
                fg.send(f, fg.icmp(f, src, itype, rng.getrandbits(8),
                                   rng.randbytes(4), payload,
                                   bad_cksum=bad),
                        "garbage, bad ICMPv%d checksum" % f if bad
                        else "garbage")
            elif f == 4:
                opts = [scapy.IPOption_NOP()] * (4 * rng.randrange(1, 11))
                fg.send(4, fg.ip(4, src, rng.choice([1, 6, 132]), payload,
                                 options=opts), "garbage")
            else:
                fg.send(6, fg.icmp(6, src, 3, 0, b"\0" * 4, payload),
                        "garbage")

    # The controls, last: exact forgeries that must be attributed, which
    # proves the forgeries above reached the worker in time and could have
    # matched had they been right.  Each goes twice: only the first answer
    # to a probe may be reported.
    controls = {}
    sends = []
    for pr in probes:
        made = control_forgery(fg, pr, quote, blackhole, r1)
        if made:
            sends.append((pr.family, made[0]))
            controls[pr.token] = made[1]
    for f, pkt in sends + sends:
        fg.send(f, pkt, "control (each twice)")
    t_forged = time.monotonic() - t_sent
    c.note("forge: sent %d packets in %.2f s after the probes: %s"
           % (sum(fg.sent.values()), t_forged, dict(fg.sent)))
    c.check(not fg.errors, "forge: every forged packet was sent",
            "\n".join("%s (x%d)" % kv for kv in fg.errors.items()))
    c.check(not collisions, "forge: no near miss is another probe's identity",
            "\n".join(collisions))
    c.check(t_forged < timeout - 0.5,
            "forge: all forgeries sent while the probes were outstanding "
            "(%.2f s of the %d s timeout)" % (t_forged, timeout))

    # Everything ends within timeout + 0.5 s.
    w.pump(lambda: all(w.replies_for(p.token) for p in probes),
           timeout + 3 - (time.monotonic() - t_sent))
    # Late answers: exact forgeries for every probe, now that all have
    # ended; none may be reported.
    for pr in probes:
        made = control_forgery(fg, pr, quote, blackhole, r1, any_role=True)
        fg.send(pr.family, made[0], "late exact answer")
    w.pump(lambda: False, 0.5)
    c.note("forge: then %d exact answers after the probes had ended"
           % fg.sent["late exact answer"])
    # The kernel drops ICMPv6 with a wrong checksum (counted as drops on
    # the socket); anything beyond those was lost for lack of room, and
    # would make the checks below weaker than they look.
    drops, detail = raw_drops(w.pid)
    bad6 = fg.sent["garbage, bad ICMPv6 checksum"]
    c.check(drops is not None and drops <= bad6,
            "forge: the worker's raw sockets dropped %s packets, at most the "
            "%d ICMPv6 sent with a wrong checksum" % (drops, bad6), detail)
    for pr in probes:
        got = w.replies_for(pr.token)
        want = controls.get(pr.token)
        desc = "%s probe (token %d, IPv%d, %s)" % (pr.proto, pr.token,
                                                    pr.family, pr.role)
        if want is not None:
            c.check(len(got) == 1 and want.fullmatch(got[0]),
                    "forge: control: %s is answered: %s" % (
                        desc, want.pattern.decode()),
                    "got:\n%s" % (lines_text(got) or "(nothing)"))
        else:
            c.check(got == [b"%d no-reply" % pr.token],
                    "forge: %s ends as no-reply" % desc,
                    "got:\n%s" % (lines_text(got) or "(nothing)"))
    tokens = {p.token for p in probes} | {1, 2}
    others = [ln for ln in w.lines
              if not ln.split(b" ", 1)[0].isdigit()
              or int(ln.split(b" ", 1)[0]) not in tokens]
    c.check(not others, "forge: no reply under a token nobody sent",
            lines_text(others))

    # The worker still works: real probes through the lab.
    after = [(9001, b"9001 send-probe ip-4 %s timeout 5\n"
              % lab["target4"].encode(),
              re.compile(b"9001 reply ip-4 %s round-trip-time [0-9]+"
                         % re.escape(lab["target4"].encode()))),
             (9002, b"9002 send-probe ip-4 %s protocol udp ttl 1 "
              b"timeout 5\n" % lab["target4"].encode(),
              re.compile(b"9002 ttl-expired ip-4 %s round-trip-time [0-9]+"
                         % re.escape(lab["r1_4"].encode())))]
    if 6 in families:
        after.append((9003, b"9003 send-probe ip-6 %s timeout 5\n"
                      % lab["target6"].encode(),
                      re.compile(b"9003 reply ip-6 %s round-trip-time [0-9]+"
                                 % re.escape(lab["target6"].encode()))))
    alive = proc_status(w.pid)[2]
    c.check(alive in ("S", "R"), "forge: the worker is still alive (state %s)"
            % alive)
    for _, line, _ in after:
        w.write(line)
    w.pump(lambda: all(w.replies_for(t) for t, _, _ in after), 10)
    for t, line, want in after:
        got = w.replies_for(t)
        c.check(len(got) == 1 and want.fullmatch(got[0]),
                "forge: afterwards, %s is answered normally"
                % line.decode().strip(), lines_text(got) or "(nothing)")
    w.finish()
    exit_checks(c, w, "forge")
    return c


def control_forgery(fg, pr, quote, blackhole, r1, any_role=False):
    """The exact answer to a control probe: (packet, reply it must get).

    With any_role, an exact answer for any probe (a time exceeded quoting
    it whole, or for TCP and SCTP probes a RST or ABORT).
    """
    f = pr.family
    hdr = 20 if f == 4 else 40
    rtt = rb" round-trip-time [0-9]+"
    ttl_expired = re.compile(b"%d ttl-expired ip-%d %s" % (
        pr.token, f, re.escape(r1[f].encode())) + rtt)
    reply = re.compile(b"%d reply ip-%d %s" % (
        pr.token, f, re.escape(blackhole[f].encode())) + rtt)
    role = pr.role
    if any_role:
        role = {"tcp": "control-rst", "sctp": "control-abort"}.get(
            pr.proto, "control-te-whole")
    if role == "control-te-whole":
        return fg.time_exceeded(f, quote(pr)), ttl_expired
    if role == "control-te-rfc792":
        return fg.time_exceeded(f, quote(pr, length=hdr + 8)), ttl_expired
    if role == "control-unreach":
        return fg.port_unreach(f, quote(pr, length=hdr + 8)), reply
    if role == "control-echo":
        return fg.echo_reply(f, blackhole[f], pr.field("icmp_id"),
                             pr.field("icmp_seq")), reply
    if role == "control-rst":
        return fg.tcp(f, blackhole[f], pr.field("dport"), pr.field("sport"),
                      0, (pr.field("tcp_seq") + 1) & 0xffffffff, "RA"), reply
    if role == "control-abort":
        return fg.sctp_abort(f, blackhole[f], pr.field("dport"),
                             pr.field("sport"), pr.field("sctp_itag")), reply
    return None


def raw_drops(pid):
    """Total drops on the raw sockets of process pid, and the details."""
    inodes = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            m = re.fullmatch(r"socket:\[([0-9]+)\]", link)
            if m:
                inodes.add(m.group(1))
    except OSError:
        return None, "cannot read /proc/%d/fd" % pid
    total, out = 0, []
    for table in ("raw", "raw6"):
        try:
            with open("/proc/%d/net/%s" % (pid, table)) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            col = row.split()
            # The columns end in: uid timeout inode ref pointer drops.
            if len(col) >= 6 and col[-4] in inodes:
                proto = int(col[1].split(":")[1], 16)
                total += int(col[-1])
                out.append("%s proto %d: drops %s" % (table, proto, col[-1]))
    return total, "\n".join(out)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    section = argv[1]
    sections = {
        ("input", 5): section_input,
        ("stall", 5): section_stall,
        ("forge", 7): section_forge,
    }
    run = sections.get((section, len(argv)))
    if run is None:
        print(__doc__)
        return 2
    try:
        c = run(*argv[2:])
    except Exception:   # the driver broke: say where, and not as a failure
        import traceback
        for line in traceback.format_exc().splitlines():
            print("# " + line)
        return 3
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The driver of net_rate.sh: set-rate on the wire, one scenario a run.

argv: NS SCENARIO V6 WORKER... .  Runs WORKER (the worker, or a launcher
and the worker) in namespace NS; probes go to the lab's target
(LAB_TARGET4, and LAB_TARGET6 for every other probe when V6 is 1), which
answers each within a millisecond.  Scenarios:

  steady N PPS   set-rate pps PPS, then N probes written at once
  ceiling        no set-rate: 500 probes; then set-rate pps 1000 and 1000
                 probes (a worker built with a ceiling of 500)
  lift           set-rate pps 2, 20 probes; after two answers set-rate
                 pps 0: the 18 left go at once
  eof            set-rate pps 100, 100 probes, stdin closed at once: all
                 answered, then exit 0
  sigterm        set-rate pps 1, 10 probes; SIGTERM after the first
                 answer: exit 143 at once, the waiting ones unanswered

The rate is judged by when the answers are read: on the lab's veth links
an answer is back within a millisecond of its probe, and the worker writes
each in the loop iteration that reads it, so the answers trail the sends
by far less than the 10% allowed; a packet capture would add its own
buffering to the times instead.  N probes at PPS take (N - burst) / PPS
seconds after the write, the burst being PPS/100 (at least 1); the last
answer must come within 10% of that.  No second may carry more than the
rate plus 10%.  Prints one "ok - " or "not ok - " line per check and exits
1 when one failed; every wait is bounded.
"""
import os
import signal
import sys
import time

import workerdrive

failures = 0


def report(good, text):
    global failures
    print("%s - %s" % ("ok" if good else "not ok", text))
    sys.stdout.flush()
    failures += 0 if good else 1


class Session:
    def __init__(self, ns, cmd, v6):
        self.w = workerdrive.Worker(cmd, ns=ns,
                                    stderr=workerdrive.subprocess.PIPE,
                                    pipe_size=1 << 20)
        self.v6 = v6
        self.t4 = os.environ["LAB_TARGET4"]
        self.t6 = os.environ["LAB_TARGET6"]
        self.next_token = 100

    def probes(self, n):
        """n probes to the target; returns their tokens and the text."""
        tokens, lines = [], []
        for k in range(n):
            t = self.next_token
            self.next_token += 1
            if self.v6 and k % 2:
                lines.append("%d send-probe ip-6 %s timeout 5\n" % (t, self.t6))
            else:
                lines.append("%d send-probe ip-4 %s timeout 5\n" % (t, self.t4))
            tokens.append(t)
        return tokens, "".join(lines)

    def send(self, n):
        """Write n probes at once; their tokens and when the write began."""
        tokens, text = self.probes(n)
        t0 = time.monotonic()
        self.w.write(text.encode())
        return tokens, t0

    def command(self, token, text, want, seconds=5):
        """Write one command and check its one reply."""
        self.w.write(("%d %s\n" % (token, text)).encode())
        self.w.pump(until=self.w.answered([token]), seconds=seconds)
        got = self.w.replies_to(token)
        report(got == ["%d %s" % (token, want)],
               "%d %s -> %s" % (token, text, got[0] if got else "nothing"))

    def reply_times(self, tokens):
        """token -> (reply line, monotonic time read) for those answered."""
        want = set("%d" % t for t in tokens)
        out = {}
        for line, t in zip(self.w.out.lines, self.w.out.times):
            tok = line.split(" ", 1)[0]
            if tok in want and tok not in out:
                out[tok] = (line, t)
        return out

    def check_answers(self, tokens, what):
        """Every probe answered once, by the target."""
        seen = {}
        for line in self.w.out.lines:
            tok = line.split(" ", 1)[0]
            seen[tok] = seen.get(tok, 0) + 1
        bad = []
        for t in tokens:
            lines = self.w.replies_to(t)
            target = self.t6 if self.v6 and (t - tokens[0]) % 2 else self.t4
            fam = "6" if target == self.t6 else "4"
            prefix = "%d reply ip-%s %s round-trip-time " % (t, fam, target)
            if len(lines) != 1 or not lines[0].startswith(prefix):
                bad.append((t, lines))
        report(not bad, "%s: all %d probes answered once by the target%s"
               % (what, len(tokens), "; not: %r" % bad[:5] if bad else ""))
        if tokens:
            first = self.w.replies_to(tokens[0])
            print("#   e.g. %d send-probe ... -> %s"
                  % (tokens[0], first[0] if first else "nothing"))

    def check_rate(self, tokens, t0, pps, what):
        """The answers' times: spread as the rate says, in order."""
        times = self.reply_times(tokens)
        if len(times) != len(tokens):
            report(False, "%s: only %d of %d answered"
                   % (what, len(times), len(tokens)))
            return
        burst = max(1, pps // 100)
        want = (len(tokens) - burst) / pps
        last = max(t for _, t in times.values()) - t0
        report(abs(last - want) <= want * 0.10,
               "%s: the last answer %.3f s after the write, want %.3f s "
               "+-10%%" % (what, last, want))
        stamps = sorted(t for _, t in times.values())
        most, j = 0, 0
        for i in range(len(stamps)):
            while stamps[i] - stamps[j] >= 1.0:
                j += 1
            most = max(most, i - j + 1)
        report(most <= pps * 1.10 + burst,
               "%s: at most %d answers in any second (%d)"
               % (what, int(pps * 1.10 + burst), most))
        # Probes leave in the order written; answers read in one chunk may
        # share a time, so order is judged between reads 20 ms apart.
        late = 0
        for a, b in zip(tokens, tokens[1:]):
            if times["%d" % a][1] > times["%d" % b][1] + 0.020:
                late += 1
        report(late == 0, "%s: answered in the order written (%d out of "
               "order)" % (what, late))

    def finish(self, want_rc=0):
        self.w.close_stdin()
        rc = self.w.finish(10)
        report(rc == want_rc, "the worker exits %s (%s)" % (want_rc, rc))
        errs = self.w.err.lines
        report(not errs and not self.w.err.partial,
               "nothing on stderr %r" % errs[:3])


def steady(s, n, pps):
    s.command(1, "set-rate pps %d" % pps, "rate-set pps %d" % pps)
    tokens, t0 = s.send(n)
    limit = 1.5 * (n / pps) + 5
    s.w.pump(until=s.w.answered(tokens), seconds=limit)
    s.check_answers(tokens, "%d probes at %d a second" % (n, pps))
    s.check_rate(tokens, t0, pps, "%d probes at %d a second" % (n, pps))
    s.finish()


def ceiling(s):
    tokens, t0 = s.send(500)
    s.w.pump(until=s.w.answered(tokens), seconds=10)
    s.check_answers(tokens, "without set-rate, 500 probes")
    s.check_rate(tokens, t0, 500, "without set-rate, the ceiling: 500 probes")
    s.command(1, "set-rate pps 1000", "rate-set pps 500")
    tokens, t0 = s.send(1000)
    s.w.pump(until=s.w.answered(tokens), seconds=10)
    s.check_answers(tokens, "set-rate pps 1000 capped, 1000 probes")
    s.check_rate(tokens, t0, 500, "set-rate pps 1000 capped at 500: "
                 "1000 probes")
    s.finish()


def lift(s):
    s.command(1, "set-rate pps 2", "rate-set pps 2")
    tokens, t0 = s.send(20)
    s.w.pump(until=lambda: len(s.reply_times(tokens)) >= 2, seconds=5)
    times = s.reply_times(tokens)
    second = sorted(t for _, t in times.values())[1:2]
    report(second and second[0] - t0 >= 0.45 and len(times) == 2,
           "at 2 a second the second answer comes 0.5 s after the first "
           "(%s s after the write; %d answered)"
           % ("%.3f" % (second[0] - t0) if second else "-", len(times)))
    t1 = time.monotonic()
    s.command(2, "set-rate pps 0", "rate-set pps 0")
    s.w.pump(until=s.w.answered(tokens), seconds=5)
    s.check_answers(tokens, "set-rate pps 0 while 18 wait")
    times = s.reply_times(tokens)
    last = max(t for _, t in times.values()) - t1 if times else 99
    report(len(times) == 20 and last <= 0.5,
           "after set-rate pps 0 the 18 waiting are answered within 0.5 s "
           "(%.3f s)" % last)
    s.finish()


def eof(s):
    s.command(1, "set-rate pps 100", "rate-set pps 100")
    tokens, t0 = s.send(100)
    s.w.close_stdin()
    s.w.pump(seconds=10)
    s.check_answers(tokens, "end of input with 99 waiting")
    s.check_rate(tokens, t0, 100, "end of input, 100 probes at 100 a second")
    rc = s.w.finish(5)
    report(rc == 0, "exits 0 once all are answered (%s)" % rc)
    report(not s.w.err.lines, "nothing on stderr %r" % s.w.err.lines[:3])


def sigterm(s):
    s.command(1, "set-rate pps 1", "rate-set pps 1")
    tokens, _ = s.send(10)
    s.w.pump(until=lambda: len(s.reply_times(tokens)) >= 1, seconds=5)
    t1 = time.monotonic()
    os.kill(s.w.pid, signal.SIGTERM)
    rc = s.w.finish(5)
    took = time.monotonic() - t1
    report(rc == 143 and took < 1.0,
           "SIGTERM with 9 waiting: exit 143 at once (%s after %.3f s)"
           % (rc, took))
    n = len(s.reply_times(tokens))
    report(1 <= n <= 2, "the waiting probes are not answered (%d of 10 "
           "answered)" % n)


def main(argv):
    ns, scenario, v6 = argv[1], argv[2], argv[3] == "1"
    rest = argv[4:]
    if scenario == "steady":
        n, pps, cmd = int(rest[0]), int(rest[1]), rest[2:]
    else:
        cmd = rest
    s = Session(ns, cmd, v6)
    try:
        if scenario == "steady":
            steady(s, n, pps)
        elif scenario == "ceiling":
            ceiling(s)
        elif scenario == "lift":
            lift(s)
        elif scenario == "eof":
            eof(s)
        elif scenario == "sigterm":
            sigterm(s)
        else:
            report(False, "unknown scenario %s" % scenario)
    finally:
        s.w.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

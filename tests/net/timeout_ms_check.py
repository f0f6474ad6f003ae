"""The driver of net_timeout_ms.sh: timeout-ms on the wire.

argv: NS V6 WORKER... .  Runs WORKER (a command: the worker, or a launcher
and the worker) in namespace NS and writes, all at once, send-probe
requests (once the worker has answered a check-support for timeout-ms
with ok) into the lab's black holes (LAB_BLACKHOLE4/6 from the
environment; IPv6 too when V6 is 1), which never answer: each must be
answered no-reply no earlier than its timeout after the write and at most
150 ms later (hopprobe(8) promises at most 0.5 s; in the lab it comes
within a few ms).  The timeouts: timeout-ms 1, 300, 301 and 700; 300 with
`timeout 5` (timeout-ms wins); 1200 with `timeout 0`; `timeout 1` alone,
whole seconds as before.  The no-reply answers must then come in the
order of their timeouts, where those differ by 50 ms or more.  Prints one "ok - " or "not ok - " line per
check (with the request and reply seen) and exits 1 when one failed.
Bounded: 10 s of reading, then the worker is stopped by its PID.
"""
import os
import sys
import time

import workerdrive

SLACK = 0.150
# Timeouts at least this far apart must be answered in their order.
ORDER_GAP = 0.050


def main(argv):
    ns, v6, cmd = argv[1], argv[2] == "1", argv[3:]
    bh4 = os.environ["LAB_BLACKHOLE4"]
    bh6 = os.environ["LAB_BLACKHOLE6"]
    # token: (request arguments, timeout in seconds)
    probes = {
        1: ("ip-4 %s timeout-ms 300" % bh4, 0.300),
        2: ("ip-4 %s protocol udp timeout 5 timeout-ms 300" % bh4, 0.300),
        3: ("ip-4 %s timeout-ms 700" % bh4, 0.700),
        4: ("ip-4 %s timeout 0 timeout-ms 1200" % bh4, 1.200),
        5: ("ip-4 %s timeout 1" % bh4, 1.000),
        6: ("ip-4 %s timeout-ms 1" % bh4, 0.001),
        7: ("ip-4 %s protocol udp timeout-ms 301" % bh4, 0.301),
    }
    if v6:
        probes[11] = ("ip-6 %s timeout-ms 300" % bh6, 0.300)
        probes[12] = ("ip-6 %s protocol udp timeout 5 timeout-ms 300" % bh6,
                      0.300)
        probes[13] = ("ip-6 %s timeout-ms 700" % bh6, 0.700)
    failures = 0

    def report(good, text):
        nonlocal failures
        print("%s - %s" % ("ok" if good else "not ok", text))
        failures += 0 if good else 1

    w = workerdrive.Worker(cmd, ns=ns, stderr=workerdrive.subprocess.PIPE)
    # The worker's start-up is not the timeout's: time from its first
    # answer on.
    w.write(b"99 check-support feature timeout-ms\n")
    w.pump(until=w.answered([99]), seconds=10)
    report(w.replies_to(99) == ["99 feature-support support ok"],
           "99 check-support feature timeout-ms -> %s" % w.replies_to(99))
    data = "".join("%d send-probe %s\n" % (t, a)
                   for t, (a, _) in sorted(probes.items()))
    t0 = time.monotonic()
    w.write(data.encode())
    w.pump(until=w.answered(probes), seconds=10)
    w.close_stdin()
    rc = w.finish(5)

    at = {}
    for token, (args, timeout) in sorted(probes.items()):
        lines = w.replies_to(token)
        req = "%d send-probe %s" % (token, args)
        if len(lines) != 1:
            report(False, "%s: want one reply, got %r" % (req, lines))
            continue
        i = w.out.lines.index(lines[0])
        at[token] = w.out.times[i] - t0
        report(lines[0] == "%d no-reply" % token,
               "%s -> %s" % (req, lines[0]))
        report(timeout <= at[token] <= timeout + SLACK,
               "%s: answered after %.1f ms, want %.0f .. %.0f ms"
               % (req, at[token] * 1e3, timeout * 1e3,
                  (timeout + SLACK) * 1e3))
    # Answers read in one chunk share a time: only a later read of a
    # shorter timeout is out of order.  Each deadline runs from when the
    # worker took its request, and the requests of one write may be
    # taken a few ms apart (the IPv6 ones last), so timeouts closer than
    # ORDER_GAP (300 and 301) have no order to keep.
    late = [(a, b) for a in at for b in at
            if probes[a][1] + ORDER_GAP <= probes[b][1] and at[a] > at[b]]
    report(not late, "no-reply in the order of the timeouts: tokens %s%s"
           % (sorted(at, key=lambda t: at[t]),
              "; out of order: %r" % late if late else ""))
    report(rc == 0, "the worker exits 0 (%s)" % rc)
    errs = w.err.lines if w.err else []
    report(not errs and not (w.err and w.err.partial),
           "nothing on stderr %r" % errs[:3])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The driver of net_eof.sh: one worker, its stdin closed early.

argv: NS HOPPROBE REQ OUT CLOSE_AFTER SAMPLES.  Runs HOPPROBE in namespace
NS, writes all of file REQ at once and closes stdin after reading
CLOSE_AFTER reply lines (0: right after the write).  SAMPLES is a
comma-separated list of seconds after the end of file at which the
worker's CPU time is read ("-": none).  OUT gets, with microseconds since
just before the write:
  US REPLY-LINE            each reply
  eof US                   when stdin was closed
  cpu US TICKS STATE       a sample: utime + stime, process state
  worker PID COMM          the worker this driver started
  exit STATUS US           when the worker had exited
and OUT.replies the reply lines alone.  The worker's stderr goes to
OUT.err.  Bounded: 20 s of reading, then the worker is stopped by PID.
"""
import sys
import time

import workerdrive


def main(argv):
    ns, hp, req, out, close_after, samples = argv[1:7]
    close_after = int(close_after)
    samples = [] if samples == "-" else [float(x) for x in samples.split(",")]
    with open(req, "rb") as f:
        data = f.read()
    err = open(out + ".err", "wb")
    res = open(out, "w", buffering=1)
    w = workerdrive.Worker([hp], ns=ns, stderr=err)
    res.write("worker %d %s\n" % (w.pid, workerdrive.comm(w.pid)))

    t0 = time.monotonic()

    def us(t):
        return int((t - t0) * 1e6)

    if data:
        w.write(data, once=True)
    if close_after == 0:
        res.write("eof %d\n" % us(w.close_stdin()))
    written = 0
    deadline = t0 + 20
    while w.open_streams() and time.monotonic() < deadline:
        wait = 0.5
        eof = w.stdin_closed_at
        if eof is not None and samples:
            wait = max(0, min(wait, eof + samples[0] - time.monotonic()))
            if wait == 0:
                samples.pop(0)
                ticks, state = workerdrive.cpu_ticks(w.pid)
                res.write("cpu %d %s %s\n" % (us(time.monotonic()), ticks,
                                              state))
                continue
        if not w.read(wait):
            continue
        for line, t in zip(w.out.lines[written:], w.out.times[written:]):
            res.write("%d %s\n" % (us(t), line))
        written = len(w.out.lines)
        if w.stdin_closed_at is None and written >= close_after:
            res.write("eof %d\n" % us(w.close_stdin()))
    if w.out.partial:
        res.write("%d UNTERMINATED %s\n" % (us(time.monotonic()),
                                            w.out.tail()))
    rc = w.finish(max(1, deadline - time.monotonic()))
    res.write("exit %s %d\n" % (rc, us(time.monotonic())))
    with open(out + ".replies", "w") as f:
        f.writelines(line + "\n" for line in w.replies)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The driver of net_matrix.sh: pipelined requests, replies timed.

argv: NS HOPPROBE REQ OUT.  Runs HOPPROBE in namespace NS with the
requests of file REQ, all written at once (one write), then closes its
stdin.  OUT gets one line per reply: microseconds from just before the
write to reading the line, then the line; and last `exit STATUS`.
OUT.replies gets the reply lines alone.  The worker's stderr goes to
OUT.err.  Bounded: 40 s of reading, then the worker is stopped by PID.
"""
import sys
import time

import workerdrive


def main(argv):
    ns, hp, req, out = argv[1:5]
    with open(req, "rb") as f:
        data = f.read()
    err = open(out + ".err", "wb")
    w = workerdrive.Worker([hp], ns=ns, stderr=err)
    t0 = time.monotonic()
    w.write(data, once=True)
    w.close_stdin()
    w.pump(seconds=40)
    with open(out, "w") as res:
        for line, t in zip(w.out.lines, w.out.times):
            res.write("%d %s\n" % ((t - t0) * 1e6, line))
        if w.out.partial:
            res.write("%d UNTERMINATED %s\n" % ((time.monotonic() - t0) * 1e6,
                                                w.out.tail()))
        rc = w.finish(max(1, t0 + 40 - time.monotonic()))
        res.write("exit %s\n" % rc)
    with open(out + ".replies", "w") as f:
        f.writelines(line + "\n" for line in w.replies)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The driver of net_many.sh: a burst of requests in one write(2).

argv: NS HOPPROBE REQ OUT MODE WANT.  Runs HOPPROBE in namespace NS and
writes all of file REQ with one write(2); both pipes are first enlarged
so that the write cannot block on the worker.  MODE `open`: read WANT
reply lines (waiting 15 s at most), then close stdin and read on to end
of file; MODE `eof`: close stdin right after the write.  OUT gets the
reply lines, then `closed-after COUNT` (lines read when stdin was closed),
`write WRITTEN TOTAL` and `exit STATUS`.  The worker's stderr goes to
OUT.err.  Bounded: 45 s of reading, then the worker is stopped by PID.
"""
import sys
import time

import workerdrive


def main(argv):
    ns, hp, req, out, mode, want = argv[1:7]
    want = int(want)
    with open(req, "rb") as f:
        data = f.read()
    err = open(out + ".err", "wb")
    w = workerdrive.Worker([hp], ns=ns, stderr=err, pipe_size=1 << 20)
    written = w.write(data, once=True)
    tail = ["write %d %d" % (written, len(data))]
    if mode == "eof":
        w.close_stdin()
        tail.append("closed-after 0")
    start = time.monotonic()
    if mode != "eof":
        if w.pump(lambda: len(w.replies) >= want, 15):
            tail.append("closed-after %d" % len(w.replies))
        elif w.open_streams():
            tail.append("closed-after %d (gave up waiting)" % len(w.replies))
        else:
            tail.append("closed-after never")
        w.close_stdin()
    w.pump(seconds=max(1, start + 45 - time.monotonic()))
    with open(out, "w") as res:
        for line in w.replies:
            res.write(line + "\n")
        if w.out.partial:
            res.write("UNTERMINATED " + w.out.tail() + "\n")
        rc = w.finish(max(1, start + 45 - time.monotonic()))
        tail.append("exit %s" % rc)
        res.write("\n".join(tail) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

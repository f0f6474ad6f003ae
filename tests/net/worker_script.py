"""worker_script.py DIR SCRIPT -- WORKER-COMMAND...: run workers through
scripts of steps, one after the other, for tests that need no lab
(tests/cli_worker.sh).  One interpreter runs them all, so that a test of
many short runs does not pay for starting Python each time.

SCRIPT has one line per step, "NAME<TAB>STEP"; the steps of each NAME run
in their order, in a worker of their own, NAMEs in the order they first
appear.  Steps:
  write:TEXT   write TEXT to the worker's stdin; TEXT takes Python's
               backslash escapes (\\n, \\t, \\r, \\x00), so any byte can
               be sent
  pad:N:TEXT   write TEXT (escapes as above), then as many "x" as make
               N bytes in all; no newline is added
  replies:N    wait (at most 10 s) until N reply lines have come
  eof          close the worker's stdin
After the last step stdin is closed and the output read to its end
(30 s at most).  DIR/NAME gets the reply lines, one a line, DIR/NAME.tail
what came after the last newline (if anything), DIR/NAME.status the exit
status (or "killed") and one "timeout STEP" line per wait that ran out,
and DIR/NAME.err the worker's stderr.
"""
import codecs
import os
import sys

import workerdrive


def run(out, steps, cmd):
    err = open(out + ".err", "wb")
    w = workerdrive.Worker(cmd, stderr=err)
    notes = []
    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "write":
            w.write(codecs.escape_decode(arg.encode())[0])
        elif kind == "pad":
            n, _, text = arg.partition(":")
            data = codecs.escape_decode(text.encode())[0]
            w.write(data + b"x" * (int(n) - len(data)))
        elif kind == "replies":
            want = int(arg)
            if not w.pump(lambda: len(w.replies) >= want, 10):
                notes.append("timeout " + step)
        elif kind == "eof":
            w.close_stdin()
        else:
            raise SystemExit("worker_script.py: unknown step " + step)
    w.close_stdin()
    if not w.pump(seconds=30):
        notes.append("timeout end of output")
    rc = w.finish(5)
    err.close()
    with open(out, "w") as f:
        f.writelines(line + "\n" for line in w.replies)
    with open(out + ".tail", "w") as f:
        f.write(w.out.tail())
    with open(out + ".status", "w") as f:
        f.write("%s\n" % rc)
        f.writelines(n + "\n" for n in notes)


def main(argv):
    sep = argv.index("--")
    outdir, script, cmd = argv[1], argv[2], argv[sep + 1:]
    runs = {}
    with open(script) as f:
        for line in f:
            name, _, step = line.rstrip("\n").partition("\t")
            runs.setdefault(name, []).append(step)
    for name, steps in runs.items():
        run(os.path.join(outdir, name), steps, cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Checks of the worker's life cycle, run inside the lab's host namespace.

signals WORKER BLACKHOLE4: for SIGTERM, SIGINT and SIGHUP, a worker with a
probe in flight (to an address that never answers, timeout 30 s) exits
within 5 s of the signal with status 128 + the signal's number, and leaves
the descriptors it shared with us (its stdin and stdout pipes) with the
flags they had: not O_NONBLOCK.

descriptors WORKER BLACKHOLE4 SOFT HARD COUNT: a worker started with
RLIMIT_NOFILE SOFT:HARD gets COUNT UDP probes, each with a distinct
local-port (one reserving socket each), to an address that never answers.
Every answer must be no-reply or probes-exhausted, never an error; with a
hard limit above what COUNT needs, none may be probes-exhausted (the
worker raised its soft limit).  Prints a summary line.
"""
import fcntl
import os
import resource
import select
import signal
import subprocess
import sys
import time


def nonblocking(fd):
    return bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)


def read_line(fd, deadline):
    buf = b""
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1)
        if not chunk:
            return None
        buf += chunk
    return buf.decode()


def check_signals(worker, blackhole):
    failures = 0
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        proc = subprocess.Popen([worker], stdin=in_r, stdout=out_w)
        os.write(in_w, ("1 send-probe ip-4 %s timeout 30\n"
                        "2 check-support feature send-probe\n"
                        % blackhole).encode())
        line = read_line(out_r, time.monotonic() + 10)
        if line != "2 feature-support support ok\n":
            print("not ok - %s: no check-support answer (%r)"
                  % (sig.name, line))
            failures += 1
            proc.kill()
            proc.wait()
            continue
        sent = time.monotonic()
        proc.send_signal(sig)
        try:
            status = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            print("not ok - %s: worker still running 5 s after the signal"
                  % sig.name)
            failures += 1
            proc.kill()
            proc.wait()
            continue
        took = time.monotonic() - sent
        want = 128 + sig.value
        if status == want:
            print("ok - %s: exit status %d after %.3f s"
                  % (sig.name, status, took))
        else:
            print("not ok - %s: exit status %d, want %d"
                  % (sig.name, status, want))
            failures += 1
        left = [name for name, fd in (("stdin", in_r), ("stdout", out_w))
                if nonblocking(fd)]
        if left:
            print("not ok - %s: %s left O_NONBLOCK" % (sig.name,
                                                         ", ".join(left)))
            failures += 1
        else:
            print("ok - %s: stdin and stdout flags restored" % sig.name)
        for fd in (in_r, in_w, out_r, out_w):
            os.close(fd)
    return failures


def check_descriptors(worker, blackhole, soft, hard, count):
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    requests = "".join(
        "%d send-probe ip-4 %s protocol udp local-port %d timeout 2\n"
        % (i + 1, blackhole, 20000 + i) for i in range(count))
    proc = subprocess.run([worker], input=requests.encode(),
                          stdout=subprocess.PIPE, timeout=60,
                          preexec_fn=limit)
    kinds = {}
    for line in proc.stdout.decode().splitlines():
        words = line.split()
        kinds[words[1]] = kinds.get(words[1], 0) + 1
    answered = sum(kinds.values())
    print("# limit %d:%d, %d probes: %s, exit %d"
          % (soft, hard, count, kinds, proc.returncode))
    failures = 0
    if answered != count or proc.returncode != 0:
        print("not ok - %d answers for %d probes, exit status %d"
              % (answered, count, proc.returncode))
        failures += 1
    bad = {k: v for k, v in kinds.items()
           if k not in ("no-reply", "probes-exhausted")}
    if bad:
        print("not ok - answers other than no-reply/probes-exhausted: %s"
              % bad)
        failures += 1
    else:
        print("ok - limit %d:%d: only no-reply and probes-exhausted"
              % (soft, hard))
    if hard >= count + 64:
        if kinds.get("no-reply", 0) == count:
            print("ok - limit %d:%d: all %d probes sent (soft limit raised)"
                  % (soft, hard, count))
        else:
            print("not ok - limit %d:%d: %d of %d probes sent"
                  % (soft, hard, kinds.get("no-reply", 0), count))
            failures += 1
    elif kinds.get("probes-exhausted", 0) == 0:
        print("not ok - limit %d:%d: no probes-exhausted although %d "
              "descriptors cannot hold %d ports" % (soft, hard, hard, count))
        failures += 1
    return failures


def main():
    what = sys.argv[1]
    if what == "signals":
        failures = check_signals(sys.argv[2], sys.argv[3])
    else:
        failures = check_descriptors(sys.argv[2], sys.argv[3],
                                     int(sys.argv[4]), int(sys.argv[5]),
                                     int(sys.argv[6]))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

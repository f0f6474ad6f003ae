"""The worker stays responsive while unrelated ICMP floods the host.

flood_check.py WORKER BLACKHOLE ROUNDS FLOODERS FLOOD_CMD...: starts WORKER
(a command line), waits until it answers a first check-support, starts
FLOOD_CMD FLOODERS times (each a flooder bounded in time), and after
0.5 s, ROUNDS times (0.5 s apart) sends `check-support feature version` together with a probe
to BLACKHOLE (never answered) with timeout 1, and measures how long the
check-support answer takes (at most 200 ms) and when the probe's no-reply
comes (1 s after it was sent, at most 0.5 s late: the protocol's own
timeout, with a generous allowance).  The flooders must still be running
when the rounds end (else the flood proved nothing); they are then
stopped by PID and their counts printed.  Exits 1 on any miss.
"""
import os
import shlex
import select
import subprocess
import sys
import time

SUPPORT_BOUND = 0.200
# The flooders started, for the clean-up after an error.
FLOODS = []
TIMEOUT_LATE_BOUND = 0.5


def main():
    worker, blackhole, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    flooders, flood_cmd = int(sys.argv[4]), sys.argv[5:]
    proc = subprocess.Popen(shlex.split(worker), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, bufsize=0)
    out = proc.stdout.fileno()
    pending = b""
    failures = 0
    sent_at = {}
    answered = {}
    deadline = time.monotonic() + rounds * 0.5 + 10

    def read_lines(until):
        nonlocal pending
        lines = []
        while time.monotonic() < until:
            ready, _, _ = select.select([out], [], [],
                                        max(0, until - time.monotonic()))
            if not ready:
                break
            chunk = os.read(out, 65536)
            if not chunk:
                break
            now = time.monotonic()
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                lines.append((now, line.decode()))
            if lines:
                break
        return lines

    # Measure only once the worker is up (valgrind takes a while to start).
    proc.stdin.write(b"999999 check-support feature version\n")
    ready = time.monotonic() + 30
    while time.monotonic() < ready and not any(
            line.startswith("999999 ") for _, line in read_lines(ready)):
        pass
    floods = FLOODS
    floods.extend(subprocess.Popen(flood_cmd, stdout=subprocess.PIPE)
                  for _ in range(flooders))
    time.sleep(0.5)
    for r in range(rounds):
        probe_tok, support_tok = 2 * r + 1, 2 * r + 2
        now = time.monotonic()
        sent_at[probe_tok] = sent_at[support_tok] = now
        proc.stdin.write(("%d send-probe ip-4 %s timeout 1\n"
                          "%d check-support feature version\n"
                          % (probe_tok, blackhole, support_tok)).encode())
        until = now + 0.5
        while time.monotonic() < until:
            for at, line in read_lines(until):
                answered[int(line.split()[0])] = (at, line)
    while len(answered) < 2 * rounds and time.monotonic() < deadline:
        for at, line in read_lines(deadline):
            answered[int(line.split()[0])] = (at, line)
    still = sum(f.poll() is None for f in floods)
    for f in floods:
        if f.poll() is None:
            f.terminate()
    counts = [f.communicate(timeout=10)[0].decode().strip() for f in floods]
    print("# flooders sent %s echo replies" % " and ".join(counts))
    if still == flooders:
        print("ok - the flood lasted until the rounds were over")
    else:
        print("not ok - %d of %d flooders had ended before the rounds did"
              % (flooders - still, flooders))
        failures += 1
    proc.stdin.close()
    status = proc.wait(timeout=10)

    for r in range(rounds):
        probe_tok, support_tok = 2 * r + 1, 2 * r + 2
        if support_tok not in answered:
            print("not ok - round %d: check-support never answered" % r)
            failures += 1
        else:
            took = answered[support_tok][0] - sent_at[support_tok]
            if took <= SUPPORT_BOUND:
                print("ok - round %d: check-support answered in %.1f ms"
                      % (r, took * 1000))
            else:
                print("not ok - round %d: check-support took %.1f ms "
                      "(bound %.0f ms)" % (r, took * 1000,
                                           SUPPORT_BOUND * 1000))
                failures += 1
        if probe_tok not in answered:
            print("not ok - round %d: the timeout-1 probe never ended" % r)
            failures += 1
        else:
            at, line = answered[probe_tok]
            late = at - sent_at[probe_tok] - 1.0
            if line.split()[1] == "no-reply" and -0.05 <= late <= \
                    TIMEOUT_LATE_BOUND:
                print("ok - round %d: no-reply %.1f ms after its 1 s "
                      "timeout" % (r, late * 1000))
            else:
                print("not ok - round %d: %r, %.1f ms after its 1 s "
                      "timeout" % (r, line, late * 1000))
                failures += 1
    if status != 0:
        print("not ok - worker exit status %d" % status)
        failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    try:
        main()
    except (OSError, subprocess.SubprocessError) as err:
        # A worker that died early: say so, and leave no flooder behind
        # (the flooders are bounded in time anyway).
        print("not ok - %s: %s" % (type(err).__name__, err))
        for child in FLOODS:
            if child.poll() is None:
                child.terminate()
                child.wait(timeout=10)
        sys.exit(1)

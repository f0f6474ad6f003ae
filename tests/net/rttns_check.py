"""The driver of net_rttns.sh: rtt-ns, round trips from kernel timestamps.

argv: NS HOPPROBE UNPRIV_COPY TARGET4 TARGET6 R1_4 R1_6 BLACKHOLE4 HAVE_V6.
Runs the worker in namespace NS (the lab's host), with privilege (the raw
backend) and as nobody through setpriv (UNPRIV_COPY, the unprivileged
backend), and checks hopprobe(8)'s promises for `rtt-ns 1`:

- check-support feature rtt-ns is `ok` for the raw backend exactly when
  the kernel is Linux 6.13 or later (SCM_TS_OPT_ID), and for the
  unprivileged one on any kernel this test runs on;
- a probe without rtt-ns gets the reply it always got (no new word);
- on loopback, 200 probes one after the other: every reply carries
  round-trip-time-ns N with 0 < N <= round-trip-time * 1000 + 500 (the
  kernel's stamps lie within the span the worker times, which starts just
  before its send call; the microseconds are rounded), at least 90 % of
  them are not whole microseconds, and their median is at most 2 us above
  the median of ping's own figures over the same path in the same run
  (ping -i 0.01: it times from user space, so ours may be below it);
- through the lab's veth links, for every protocol and both families, the
  answers of the target and the ttl-expired of the first router carry it
  (veth stamps its transmissions);
- in a burst of probes, those that asked carry it and the others do not;
  a no-reply is unchanged.

Prints one `ok - ...` or `not ok - ...` line per check, and `# > request`,
`# < reply` for the examples; exits 1 on any failure, 77 when the kernel
is too old for the raw backend's rtt-ns (after checking that it says so).
"""
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import workerdrive

FAILURES = []
REPLY_RE = re.compile(
    r"^(\d+) (reply|ttl-expired) ip-(4|6) (\S+) round-trip-time (\d+)"
    r"(?: round-trip-time-ns (\d+))?$")


def ok(desc):
    print("ok - %s" % desc)


def not_ok(desc):
    FAILURES.append(desc)
    print("not ok - %s" % desc)


def check(cond, desc):
    if cond:
        ok(desc)
    else:
        not_ok(desc)
    return cond


def show(request, reply):
    print("# > %s" % request)
    print("# < %s" % reply)


def kernel_has_keys():
    """Linux 6.13 added SCM_TS_OPT_ID, which the raw backend needs."""
    m = re.match(r"(\d+)\.(\d+)", platform.release())
    return bool(m) and (int(m.group(1)), int(m.group(2))) >= (6, 13)


class Session:
    """One worker; requests written one at a time or in bursts."""

    def __init__(self, argv, ns):
        self.w = workerdrive.Worker(argv, ns=ns, stderr=subprocess.DEVNULL,
                                    pipe_size=1 << 20)
        self.token = 0

    def ask(self, request, seconds=10.0):
        self.token += 1
        t = self.token
        self.w.write(("%d %s\n" % (t, request)).encode())
        self.w.pump(lambda: self.w.replies_to(t), seconds)
        got = self.w.replies_to(t)
        return t, (got[0] if got else "")

    def burst(self, requests, seconds=15.0):
        tokens = []
        data = []
        for r in requests:
            self.token += 1
            tokens.append(self.token)
            data.append("%d %s\n" % (self.token, r))
        self.w.write("".join(data).encode(), once=True)
        self.w.pump(self.w.answered(tokens), seconds)
        return [(self.w.replies_to(t) or [""])[0] for t in tokens]

    def close(self):
        self.w.close_stdin()
        self.w.pump(seconds=10)
        return self.w.finish(10)


def parse(line):
    """(kind, responder, us, ns or None), or None when not an answer."""
    m = REPLY_RE.match(line)
    if not m:
        return None
    ns = int(m.group(6)) if m.group(6) is not None else None
    return m.group(2), m.group(4), int(m.group(5)), ns


def ping_median_us(ns, family, addr, count):
    cmd = ["ip", "netns", "exec", ns, "ping", "-n", "-c", str(count),
           "-i", "0.01", "-W", "2"]
    if family == 6:
        cmd.append("-6")
    cmd.append(addr)
    out = subprocess.run(cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, timeout=60,
                         check=False).stdout.decode()
    times = [float(t) * 1000.0 for t in re.findall(r"time=([0-9.]+) ms", out)]
    return statistics.median(times) if len(times) >= count // 2 else None


def loopback(s, ns, family, addr, label):
    """200 sequential rtt-ns probes to addr, against ping's median."""
    count = 200
    replies = []
    for _ in range(count):
        _, line = s.ask("send-probe ip-%d %s rtt-ns 1" % (family, addr))
        replies.append(line)
    show("%d send-probe ip-%d %s rtt-ns 1" % (s.token, family, addr),
         replies[-1])
    parsed = [parse(r) for r in replies]
    good = [p for p in parsed if p and p[0] == "reply" and p[1] == addr]
    check(len(good) == count,
          "%s: %d of %d probes answered `reply`" % (label, len(good), count))
    with_ns = [p for p in good if p[3] is not None]
    check(len(with_ns) == len(good),
          "%s: %d of %d replies carry round-trip-time-ns"
          % (label, len(with_ns), len(good)))
    if not with_ns:
        return
    bad = [p for p in with_ns if not 0 < p[3] <= p[2] * 1000 + 500]
    check(not bad, "%s: 0 < ns <= round-trip-time * 1000 + 500 for each "
          "(first exception: %s)" % (label, bad[0] if bad else "none"))
    fractional = sum(1 for p in with_ns if p[3] % 1000 != 0)
    check(fractional * 10 >= len(with_ns) * 9,
          "%s: %d of %d are not whole microseconds"
          % (label, fractional, len(with_ns)))
    ours = statistics.median(p[3] for p in with_ns)
    ping = ping_median_us(ns, family, addr, count)
    if ping is None:
        not_ok("%s: ping gave no usable times" % label)
        return
    check(ours <= ping * 1000 + 2000,
          "%s: median %.0f ns, ping's median %.0f us (at most 2 us above)"
          % (label, ours, ping))


def lab(s, args, label, fams):
    """Every protocol to the target, and ttl 1, through veth links."""
    dst = {4: args["target4"], 6: args["target6"]}
    r1 = {4: args["r1_4"], 6: args["r1_6"]}
    for fam in fams:
        for proto in ("icmp", "udp", "tcp", "sctp"):
            req = "send-probe ip-%d %s protocol %s rtt-ns 1" % (
                fam, dst[fam], proto)
            _, line = s.ask(req)
            if proto == "icmp":
                show("%d %s" % (s.token, req), line)
            p = parse(line)
            check(p is not None and p[0] == "reply" and p[1] == dst[fam] and
                  p[3] is not None and 0 < p[3] <= p[2] * 1000 + 500,
                  "%s: IPv%d %s to the target: %s" % (label, fam, proto, line))
        req = "send-probe ip-%d %s ttl 1 rtt-ns 1" % (fam, dst[fam])
        _, line = s.ask(req)
        show("%d %s" % (s.token, req), line)
        p = parse(line)
        check(p is not None and p[0] == "ttl-expired" and p[1] == r1[fam] and
              p[3] is not None and 0 < p[3] <= p[2] * 1000 + 500,
              "%s: IPv%d ttl 1: ttl-expired from r1 with ns: %s"
              % (label, fam, line))


def burst(s, args, label):
    reqs = []
    for k in range(64):
        reqs.append("send-probe ip-4 %s%s" % (
            args["target4"], " rtt-ns 1" if k % 2 == 0 else ""))
    replies = s.burst(reqs)
    right = 0
    for k, line in enumerate(replies):
        p = parse(line)
        if p is None or p[0] != "reply":
            continue
        if k % 2 == 0 and p[3] is not None and p[3] > 0:
            right += 1
        elif k % 2 == 1 and p[3] is None:
            right += 1
    check(right == len(reqs),
          "%s: a burst of 64, every other one with rtt-ns: %d of 64 "
          "answered as asked" % (label, right))
    show("%d %s" % (s.token - 63, reqs[0]), replies[0])
    show("%d %s" % (s.token - 62, reqs[1]), replies[1])


def main(argv):
    keys = ("ns", "hopprobe", "unpriv", "target4", "target6", "r1_4",
            "r1_6", "blackhole4", "have_v6")
    args = dict(zip(keys, argv[1:]))
    fams = [4, 6] if args["have_v6"] == "1" else [4]
    ns = args["ns"]
    deadline = time.monotonic() + 240

    # ---- with privilege: the raw backend ---------------------------------
    s = Session([args["hopprobe"]], ns)
    _, sup = s.ask("check-support feature rtt-ns")
    show("%d check-support feature rtt-ns" % s.token, sup)
    want = "ok" if kernel_has_keys() else "no"
    check(sup.endswith(" feature-support support " + want),
          "raw: check-support rtt-ns says %s on Linux %s"
          % (want, platform.release()))
    t, line = s.ask("send-probe ip-4 127.0.0.1")
    check(re.match(r"^%d reply ip-4 127\.0\.0\.1 round-trip-time \d+$" % t,
                   line) is not None,
          "raw: without rtt-ns the reply is as before: %s" % line)
    if want == "ok":
        loopback(s, ns, 4, "127.0.0.1", "raw loopback IPv4")
        if 6 in fams:
            loopback(s, ns, 6, "::1", "raw loopback IPv6")
        lab(s, args, "raw lab", fams)
        burst(s, args, "raw")
        req = "send-probe ip-4 %s timeout 1 rtt-ns 1" % args["blackhole4"]
        t, line = s.ask(req, 5)
        show("%d %s" % (t, req), line)
        check(line == "%d no-reply" % t, "raw: no-reply unchanged: %s" % line)
    rc = s.close()
    check(rc == 0, "raw worker exits 0 (%s)" % rc)

    # ---- without privilege: one socket per probe -------------------------
    s = Session(["setpriv", "--reuid=65534", "--regid=65534",
                 "--clear-groups", args["unpriv"]], ns)
    _, sup = s.ask("check-support feature rtt-ns")
    show("%d check-support feature rtt-ns" % s.token, sup)
    check(sup.endswith(" feature-support support ok"),
          "unprivileged: check-support rtt-ns says ok")
    t, line = s.ask("send-probe ip-4 127.0.0.1")
    check(re.match(r"^%d reply ip-4 127\.0\.0\.1 round-trip-time \d+$" % t,
                   line) is not None,
          "unprivileged: without rtt-ns the reply is as before: %s" % line)
    loopback(s, ns, 4, "127.0.0.1", "unprivileged loopback IPv4")
    for fam in fams:
        dst = args["target%d" % fam]
        for extra, kind, who in (("", "reply", dst),
                                 (" protocol udp", "reply", dst),
                                 (" ttl 1", "ttl-expired",
                                  args["r1_%d" % fam])):
            req = "send-probe ip-%d %s%s rtt-ns 1" % (fam, dst, extra)
            t, line = s.ask(req)
            show("%d %s" % (t, req), line)
            p = parse(line)
            check(p is not None and p[0] == kind and p[1] == who and
                  p[3] is not None and 0 < p[3] <= p[2] * 1000 + 500,
                  "unprivileged: IPv%d%s: %s" % (fam, extra, line))
        req = "send-probe ip-%d %s protocol tcp rtt-ns 1" % (fam, dst)
        t, line = s.ask(req)
        show("%d %s" % (t, req), line)
        p = parse(line)
        check(p is not None and p[0] == "reply" and p[3] is None,
              "unprivileged: IPv%d TCP (a connect, no stamp): no ns: %s"
              % (fam, line))
    rc = s.close()
    check(rc == 0, "unprivileged worker exits 0 (%s)" % rc)
    check(time.monotonic() < deadline, "finished within 240 s")

    if FAILURES:
        return 1
    if want == "no":
        print("SKIP: the raw backend's rtt-ns needs Linux 6.13 "
              "(SCM_TS_OPT_ID); this is %s" % platform.release())
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

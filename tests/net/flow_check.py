"""The driver and checker of net_flow.sh: flow probes through two paths.

argv: NS_HOST HOPPROBE FAMILY TARGET R2A R2B NS_R1 NS_R2A NS_R2B PROTOS
      NOFLOW_PROTOS.
Runs one worker in namespace NS_HOST and, for each protocol of PROTOS
(comma-separated), sends to TARGET (of FAMILY, 4 or 6):
  one flow   200 probes of flow ONE_FLOW, ttl 1 to 5 in turn: every probe
             that passed r1 (ttl 2 and more, 160) crossed one middle router
             and none the other, by the counters net_flow.sh put on r2a and
             r2b (packets from the host of that protocol); every ttl-2
             probe was answered ttl-expired by that same router; every
             probe was answered.  IPv6: r1 counted all 200 with the flow
             label 0x80000 + ONE_FLOW (a counter of its own).
  16 flows   flows 0 to 15, 10 probes each, ttl 2 to 6 twice: each flow's
             ttl-2 probes were answered by one router; both routers
             answered some flow; the counters add up to the 160 probes.
and for each protocol of NOFLOW_PROTOS the 200 probes again without flow
(today's behaviour): both middle routers counted some of them.  Prints
`ok - ...` or `not ok - ...` per check and the first request and reply of
each batch at ttl 2 and 3 as `# pair: ...`; exit status 1 when a check
failed.  Bounded:
each batch waits 30 s at most for its replies, the worker is stopped by
PID at the end.
"""
import subprocess
import sys

import workerdrive

ONE_FLOW = 1000
FLOWS = 16
PER_FLOW = 10
PROBES = 200
TIMEOUT = 3

failures = 0


def check(ok, what, detail=""):
    global failures
    if ok:
        print("ok - %s" % what)
    else:
        failures += 1
        print("not ok - %s%s" % (what, (": " + detail) if detail else ""))


def counter(ns, name):
    """Packets counted by named counter `name` of table inet hpflow."""
    out = subprocess.run(
        ["ip", "netns", "exec", ns, "nft", "list", "counter", "inet",
         "hpflow", name], capture_output=True, text=True, timeout=10,
        check=True).stdout.split()
    return int(out[out.index("packets") + 1])


class Batch:
    """One batch of requests, written at once, and their replies."""

    next_token = 1

    def __init__(self, worker, requests):
        self.worker = worker
        self.tokens = []
        lines = []
        for args in requests:
            token = Batch.next_token
            Batch.next_token += 1
            self.tokens.append(token)
            lines.append("%d send-probe %s\n" % (token, args))
        self.lines = [line.strip() for line in lines]
        worker.write("".join(lines).encode())
        self.complete = worker.pump(worker.answered(self.tokens), 30)
        self.replies = {}
        for t in self.tokens:
            got = worker.replies_to(t)
            self.replies[t] = got[0].split(" ") if got else None

    def reply(self, i):
        return self.replies[self.tokens[i]]

    def pairs(self, indexes):
        """Print the request and reply of the probes at indexes."""
        for i in indexes:
            words = self.reply(i)
            print("# pair: %s -> %s" % (self.lines[i], " ".join(words)
                                       if words else None))


def responder(words, family):
    """The responder address of a reply's words, or None."""
    key = "ip-%s" % family
    if words and key in words:
        return words[words.index(key) + 1]
    return None


def main(argv):
    (ns_host, hp, family, target, r2a, r2b, ns_r1, ns_r2a, ns_r2b,
     protos, noflow) = argv[1:12]
    protos = [p for p in protos.split(",") if p]
    noflow = [p for p in noflow.split(",") if p]
    dest = "ip-%s %s" % (family, target)
    err = open("/dev/null", "wb")
    w = workerdrive.Worker([hp], ns=ns_host, stderr=err)

    w.write(b"1000000 check-support feature flow\n")
    w.pump(w.answered([1000000]), 10)
    got = w.replies_to(1000000)
    check(got == ["1000000 feature-support support ok"],
          "IPv%s: check-support feature flow is ok" % family, repr(got))

    def middle(proto):
        name = "%s%s" % (proto, family)
        return counter(ns_r2a, name), counter(ns_r2b, name)

    for proto in protos:
        what = "IPv%s %s" % (family, proto)
        # One flow, every ttl.
        a0, b0 = middle(proto)
        l0 = counter(ns_r1, "label6") if family == "6" else 0
        reqs = ["%s protocol %s ttl %d timeout %d flow %d" %
                (dest, proto, 1 + i % 5, TIMEOUT, ONE_FLOW)
                for i in range(PROBES)]
        b = Batch(w, reqs)
        a1, b1 = middle(proto)
        crossed = PROBES - PROBES // 5
        b.pairs((1, 2))
        print("# %s flow %d: r2a counted %d, r2b %d" %
              (what, ONE_FLOW, a1 - a0, b1 - b0))
        check(b.complete, "%s flow %d: all %d probes answered" %
              (what, ONE_FLOW, PROBES))
        check(sorted((a1 - a0, b1 - b0)) == [0, crossed],
              "%s flow %d: the %d probes past r1 all crossed one middle "
              "router" % (what, ONE_FLOW, crossed),
              "r2a %d, r2b %d" % (a1 - a0, b1 - b0))
        at2 = set()
        for i in range(PROBES):
            if 1 + i % 5 == 2:
                words = b.reply(i)
                at2.add((words[1] if words else None,
                         responder(words, family)))
        want = r2a if a1 - a0 else r2b
        check(at2 == {("ttl-expired", want)},
              "%s flow %d: every ttl-2 probe answered ttl-expired by %s" %
              (what, ONE_FLOW, want), repr(sorted(at2, key=str)))
        if family == "6":
            l1 = counter(ns_r1, "label6")
            check(l1 - l0 == PROBES,
                  "%s flow %d: r1 saw all %d probes with flow label 0x%x" %
                  (what, ONE_FLOW, PROBES, 0x80000 + ONE_FLOW),
                  "%d" % (l1 - l0))

        # Sixteen flows.
        a0, b0 = middle(proto)
        reqs = []
        for f in range(FLOWS):
            for k in range(PER_FLOW):
                reqs.append("%s protocol %s ttl %d timeout %d flow %d" %
                            (dest, proto, 2 + k % 5, TIMEOUT, f))
        b = Batch(w, reqs)
        a1, b1 = middle(proto)
        per_flow = {}
        for i in range(len(reqs)):
            if i % PER_FLOW % 5 == 0:
                words = b.reply(i)
                per_flow.setdefault(i // PER_FLOW, set()).add(
                    responder(words, family))
        used = set()
        single = True
        for f, who in sorted(per_flow.items()):
            if len(who) != 1 or not who <= {r2a, r2b}:
                single = False
                print("# flow %d: ttl-2 answers from %r" % (f, who))
            used |= who
        print("# %s 16 flows: r2a counted %d, r2b %d; ttl-2 responders %s"
              % (what, a1 - a0, b1 - b0, sorted(x for x in used if x)))
        check(b.complete, "%s 16 flows: all %d probes answered" %
              (what, len(reqs)))
        check(single, "%s 16 flows: each flow's ttl-2 probes answered by "
              "one middle router" % what)
        check(used == {r2a, r2b}, "%s 16 flows: both %s and %s answered "
              "some flow" % (what, r2a, r2b), repr(sorted(used, key=str)))
        check(a1 - a0 + b1 - b0 == len(reqs),
              "%s 16 flows: the middle routers counted all %d probes" %
              (what, len(reqs)), "%d" % (a1 - a0 + b1 - b0))

    for proto in noflow:
        what = "IPv%s %s without flow" % (family, proto)
        a0, b0 = middle(proto)
        reqs = ["%s protocol %s ttl %d timeout %d" %
                (dest, proto, 1 + i % 5, TIMEOUT) for i in range(PROBES)]
        b = Batch(w, reqs)
        a1, b1 = middle(proto)
        b.pairs((1, 2))
        print("# %s: r2a counted %d, r2b %d" % (what, a1 - a0, b1 - b0))
        check(b.complete, "%s: all %d probes answered" % (what, PROBES))
        check(a1 - a0 > 0 and b1 - b0 > 0,
              "%s: the probes of one trace crossed both middle routers" %
              what, "r2a %d, r2b %d" % (a1 - a0, b1 - b0))

    w.close_stdin()
    w.pump(seconds=15)
    rc = w.finish(5)
    check(rc == 0, "IPv%s: the worker exited 0" % family, repr(rc))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

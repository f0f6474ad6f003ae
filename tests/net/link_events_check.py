"""The driver of net_link_events.sh: links taken down under probes in flight.

argv: KEY=VALUE words (net_link_events.sh names them): the namespaces
ns_host and ns_r1, the worker hopprobe, the unprivileged copy and the
launcher words that run it (unpriv, a path; priv_drop, words separated by
commas), the links (down_if, host side of the link taken down
administratively; alt_if, host side of the other link, alt_peer, its far
end in r1), and the destinations behind each link, silent for their
timeouts (down4, down6, alt4, alt6; the 6 ones empty without IPv6).

pyroute2 takes the links down, as an application would: its netlink
sockets are opened in r1's and the host's namespaces before anything
else, then every action is one call, and each delay is measured from the
moment that call returned (time.monotonic()) to the moment the reply line
was read.  The phases:

A. Two workers at once, the raw one (root) and an unprivileged one (run
   by nobody: one socket per probe).  Into each: probes with link-events 1
   and a 30 s timeout through down_if (the raw one 100, of every protocol
   and both families), probes with link-events 1 and a 3 s timeout through
   alt_if, probes without link-events through down_if (3 s), probes with
   link-events 1 to loopback, and last `check-support feature
   link-events`, whose answer says that everything before it has been
   sent.  Then down_if is set down.  Every probe through it that asked is
   answered `network-down device DOWN_IF` within 100 ms; the others are
   answered `no-reply` no earlier than their 3 s; loopback probes get
   their usual replies.
B. The raw worker again: probes with link-events 1 through alt_if, then
   its far end alt_peer is set down in r1, so that alt_if loses its
   carrier (it stays administratively up: IFF_RUNNING goes, IFF_UP stays,
   and its routes stay).  Those probes are answered `network-down device
   ALT_IF` within 100 ms; a probe sent afterwards with link-events 1 at
   once, without a wait for a timeout; one without link-events as before
   (no-reply at its 1 s).

Prints one line per check ("ok - ..." or "not ok - ..."), then the
request/reply pairs seen ("pair: REQUEST => REPLY"); exits 1 when a check
failed.  Every wait has a deadline; the workers are stopped by PID.
"""
import os
import select
import sys
import time

from pyroute2 import IPRoute

import workerdrive

# hopprobe(8) promises an answer "at once"; this is the bound the test
# holds it to, from the call that took the link down to the reply read.
DOWN_WITHIN = 0.100
PROTOS = ("icmp", "udp", "tcp", "sctp")


class Checks:
    def __init__(self):
        self.failed = 0
        self.pairs = []

    def check(self, cond, desc, detail=""):
        if cond:
            print("ok - %s" % desc)
        else:
            self.failed += 1
            print("not ok - %s" % desc)
            if detail:
                for line in str(detail).splitlines()[:12]:
                    print("#   %s" % line)
        sys.stdout.flush()


def pump_all(workers, until, seconds):
    """Read every worker's output until until() holds or `seconds` pass;
    lines are timed when read (Stream.times, monotonic)."""
    deadline = time.monotonic() + seconds
    while not until():
        fds = {}
        for w in workers:
            for fd in w.open_streams():
                fds[fd] = w
        left = deadline - time.monotonic()
        if not fds or left <= 0:
            return until()
        ready, _, _ = select.select(list(fds), [], [], min(left, 0.2))
        for fd in ready:
            chunk = os.read(fd, 65536)
            fds[fd].streams[fd].feed(chunk, time.monotonic())
    return True


def reply_of(w, token):
    """(line, time read) of the one reply to token, or (None, None) when
    there is none; a second reply to one token is returned as 'DUPLICATE'."""
    found = [(l, t) for l, t in zip(w.out.lines, w.out.times)
             if l.split(" ", 1)[0] == str(token)]
    if not found:
        return None, None
    if len(found) > 1:
        return "DUPLICATE " + " | ".join(l for l, _ in found), found[0][1]
    return found[0]


class Session:
    """The requests written to one worker, by token."""

    def __init__(self, name, worker):
        self.name = name
        self.w = worker
        self.requests = {}

    def add(self, token, text):
        self.requests[token] = "%d %s" % (token, text)

    def write(self, tokens):
        """Write the requests; returns the time just before the write,
        before which none of them can have been sent."""
        data = "".join(self.requests[t] + "\n" for t in tokens)
        before = time.monotonic()
        self.w.write(data.encode("ascii"))
        return before


def probe_args(fam, dst, proto, extra):
    return "send-probe ip-%s %s protocol %s %s" % (fam, dst, proto, extra)


def families(cfg):
    fams = [("4", cfg["down4"], cfg["alt4"])]
    if cfg.get("down6"):
        fams.append(("6", cfg["down6"], cfg["alt6"]))
    return fams


def spread(fams, protos, k):
    """The k-th probe's family, destinations and protocol: families
    alternate, each family going through every protocol in turn."""
    fam, dst, alt = fams[k % len(fams)]
    return fam, dst, alt, protos[(k // len(fams)) % len(protos)]


def plan_phase_a(s, cfg, protos, n_down, n_other):
    """Tokens: 1000+ watched through down_if, 2000+ watched through
    alt_if, 3000+ unwatched through down_if, 6000+ loopback, 9000 the
    check-support marker.  Returns the token groups."""
    fams = families(cfg)
    groups = {"down": [], "alt": [], "plain": [], "loop": []}
    for k in range(n_down):
        fam, dst, _, proto = spread(fams, protos, k)
        t = 1000 + k
        s.add(t, probe_args(fam, dst, proto, "link-events 1 timeout 30"))
        groups["down"].append(t)
    for k in range(n_other):
        fam, dst, alt, proto = spread(fams, protos, k)
        t = 2000 + k
        s.add(t, probe_args(fam, alt, proto, "link-events 1 timeout 3"))
        groups["alt"].append(t)
        t = 3000 + k
        s.add(t, probe_args(fam, dst, proto, "timeout 3"))
        groups["plain"].append(t)
    s.add(6000, "send-probe ip-4 127.0.0.1 link-events 1 timeout 5")
    groups["loop"].append(6000)
    if len(fams) > 1:
        s.add(6001, "send-probe ip-6 ::1 protocol udp link-events 1 "
              "timeout 5")
        groups["loop"].append(6001)
    s.add(9000, "check-support feature link-events")
    return groups


def check_down(c, s, tokens, ifname, t_down, label):
    """Every token answered network-down device IFNAME within DOWN_WITHIN
    of t_down."""
    want = "network-down device %s" % ifname
    bad, late, worst = [], [], 0.0
    for t in tokens:
        line, at = reply_of(s.w, t)
        if line != "%d %s" % (t, want):
            bad.append("%s => %s" % (s.requests[t], line))
            continue
        delay = at - t_down
        worst = max(worst, delay)
        if delay > DOWN_WITHIN:
            late.append("%d after %.1f ms" % (t, delay * 1000))
    c.check(not bad, "%s: all %d probes answered '%s'"
            % (label, len(tokens), want), "\n".join(bad))
    c.check(not bad and not late,
            "%s: within %d ms of the call that took the link down "
            "(slowest %.1f ms)" % (label, DOWN_WITHIN * 1000, worst * 1000),
            "\n".join(late))
    if tokens and not bad:
        t = tokens[0]
        c.pairs.append("%s: %s => %s" % (s.name, s.requests[t],
                                          reply_of(s.w, t)[0]))


def check_no_reply(c, s, tokens, t_sent, timeout, label):
    """Every token answered no-reply, no earlier than its timeout."""
    bad, early = [], []
    for t in tokens:
        line, at = reply_of(s.w, t)
        if line != "%d no-reply" % t:
            bad.append("%s => %s" % (s.requests[t], line))
        elif at - t_sent < timeout:
            early.append("%d after %.3f s" % (t, at - t_sent))
    c.check(not bad, "%s: all %d answered no-reply" % (label, len(tokens)),
            "\n".join(bad))
    c.check(not bad and not early,
            "%s: none before its %g s timeout" % (label, timeout),
            "\n".join(early))


def check_stray(c, s):
    known = set(str(t) for t in s.requests)
    stray = [l for l in s.w.out.lines if l.split(" ", 1)[0] not in known]
    c.check(not stray, "%s: no reply under a token nobody sent" % s.name,
            "\n".join(stray))


def phase_a(c, cfg, ipr_host, sessions):
    plans = {}
    for s in sessions:
        if s.name == "raw":
            plans[s.name] = plan_phase_a(s, cfg, PROTOS, 100, 20)
        else:
            # Unprivileged: no SCTP (it needs raw sockets).
            plans[s.name] = plan_phase_a(s, cfg, PROTOS[:3], 40, 10)
    sent = {}
    for s in sessions:
        sent[s.name] = s.write(sorted(s.requests))
    workers = [s.w for s in sessions]
    ok = pump_all(workers, lambda: all(s.w.answered([9000])()
                                       for s in sessions), 15)
    for s in sessions:
        line, _ = reply_of(s.w, 9000)
        c.check(line == "9000 feature-support support ok",
                "%s: check-support feature link-events is ok" % s.name,
                "got %s" % line)
        if s.name == "raw":
            c.pairs.append("%s: %s => %s" % (s.name, s.requests[9000], line))
        early = [l for l in s.w.out.lines
                 if int(l.split(" ", 1)[0]) in plans[s.name]["down"]]
        c.check(ok and not early,
                "%s: nothing answered through %s before it went down"
                % (s.name, cfg["down_if"]), "\n".join(early))
    index = ipr_host.link_lookup(ifname=cfg["down_if"])[0]
    ipr_host.link("set", index=index, state="down")
    t_down = time.monotonic()

    def downs_answered():
        return all(s.w.answered(plans[s.name]["down"])() for s in sessions)

    pump_all(workers, downs_answered, 5)
    for s in sessions:
        check_down(c, s, plans[s.name]["down"], cfg["down_if"], t_down,
                   "%s, %s set down" % (s.name, cfg["down_if"]))

    def rest_answered():
        return all(s.w.answered(plans[s.name]["alt"] +
                                plans[s.name]["plain"] +
                                plans[s.name]["loop"])()
                   for s in sessions)

    pump_all(workers, rest_answered, 15)
    for s in sessions:
        check_no_reply(c, s, plans[s.name]["alt"], sent[s.name], 3,
                       "%s, link-events probes through %s (still up)"
                       % (s.name, cfg["alt_if"]))
        check_no_reply(c, s, plans[s.name]["plain"], sent[s.name], 3,
                       "%s, probes without link-events through %s"
                       % (s.name, cfg["down_if"]))
        if s.name == "raw":
            t = plans[s.name]["plain"][0]
            c.pairs.append("%s: %s => %s" % (s.name, s.requests[t],
                                              reply_of(s.w, t)[0]))
        for t in plans[s.name]["loop"]:
            line, _ = reply_of(s.w, t)
            fam = s.requests[t].split()[2]
            addr = s.requests[t].split()[3]
            good = line is not None and line.startswith(
                "%d reply %s %s round-trip-time " % (t, fam, addr)) and \
                line.split()[-1].isdigit() and len(line.split()) == 6
            c.check(good, "%s: link-events 1 to %s gets the usual reply"
                    % (s.name, addr), "got %s" % line)


def phase_b(c, cfg, ipr_r1, s):
    fams = families(cfg)
    tokens = []
    for k in range(20):
        fam, _, alt, proto = spread(fams, PROTOS, k)
        s.add(4000 + k, probe_args(fam, alt, proto, "link-events 1 timeout 30"))
        tokens.append(4000 + k)
    s.add(9001, "check-support feature link-events")
    s.write(tokens + [9001])
    ok = pump_all([s.w], s.w.answered([9001]), 10)
    c.check(ok and reply_of(s.w, 9001)[0] == "9001 feature-support support ok",
            "raw: phase B's probes sent")
    index = ipr_r1.link_lookup(ifname=cfg["alt_peer"])[0]
    ipr_r1.link("set", index=index, state="down")
    t_down = time.monotonic()
    pump_all([s.w], s.w.answered(tokens), 5)
    check_down(c, s, tokens, cfg["alt_if"], t_down,
               "raw, carrier of %s lost (%s set down)"
               % (cfg["alt_if"], cfg["alt_peer"]))

    # Sent through the link now known to be down.
    fam, _, alt = fams[-1]
    s.add(5000, probe_args(fam, alt, "udp", "link-events 1 timeout 30"))
    s.add(5001, probe_args(fam, alt, "udp", "timeout 1"))
    t_sent = s.write([5000, 5001])
    pump_all([s.w], s.w.answered([5000, 5001]), 10)
    line, at = reply_of(s.w, 5000)
    want = "5000 network-down device %s" % cfg["alt_if"]
    c.check(line == want and at - t_sent < 1.0,
            "raw, a probe sent with link-events 1 through %s while it is "
            "down: '%s' at once" % (cfg["alt_if"], want),
            "got %s after %s s" % (line, None if at is None else
                                    "%.3f" % (at - t_sent)))
    if line == want:
        c.pairs.append("%s: %s => %s" % (s.name, s.requests[5000], line))
    check_no_reply(c, s, [5001], t_sent, 1,
                   "raw, without link-events through %s while it is down"
                   % cfg["alt_if"])


def main(argv):
    cfg = dict(a.split("=", 1) for a in argv[1:])
    c = Checks()
    # pyroute2's sockets, one per namespace, opened before any worker.
    workerdrive.enter_netns(cfg["ns_r1"])
    ipr_r1 = IPRoute()
    workerdrive.enter_netns(cfg["ns_host"])
    ipr_host = IPRoute()

    out_dir = cfg["out"]
    raw_err = open(os.path.join(out_dir, "raw.err"), "wb")
    dgram_err = open(os.path.join(out_dir, "dgram.err"), "wb")
    raw = Session("raw", workerdrive.Worker([cfg["hopprobe"]], ns=cfg["ns_host"],
                                            stderr=raw_err))
    launcher = cfg["priv_drop"].split(",") + [cfg["unpriv"]]
    dgram = Session("unprivileged",
                    workerdrive.Worker(launcher, ns=cfg["ns_host"],
                                       stderr=dgram_err))
    try:
        phase_a(c, cfg, ipr_host, [raw, dgram])
        phase_b(c, cfg, ipr_r1, raw)
        for s in (raw, dgram):
            check_stray(c, s)
            s.w.close_stdin()
            s.w.pump(seconds=10)
            rc = s.w.finish(10)
            c.check(rc == 0, "%s: exits 0 at end of input" % s.name,
                    "exit %s" % rc)
    finally:
        for s in (raw, dgram):
            s.w.stop()
        raw_err.close()
        dgram_err.close()
        ipr_r1.close()
        ipr_host.close()
    for name in ("raw.err", "dgram.err"):
        size = os.path.getsize(os.path.join(out_dir, name))
        c.check(size == 0, "%s: nothing on stderr" % name)
    for p in c.pairs:
        print("pair: %s" % p)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""reply-details checks (hopprobe(8), EXTENSIONS), run by net_details.sh.

    details_check.py config FILE
        write the path emulator's configuration (pathemu.py) for the
        emulated cases below to FILE.
    details_check.py emulated WORKER NS FAMILIES NET HOST
        run every emulated case through one worker in namespace NS (where
        pathemu_lib.sh put the emulator's device), for the families in
        FAMILIES ("4 6" or "4"); NET and HOST are the build's names of the
        unreachable replies (lib.sh expected_unreach).
    details_check.py lab WORKER NS FAMILIES TTLS
        the real kernel's answers in lib.sh's lab; TTLS is "R1_4 R2_4 T_4
        R1_6 R2_6 T_6", the TTL and hop limit each node gives what it sends
        towards the host, read by the caller from the lab's sysctls.
    details_check.py unprivileged WORKER NS FAMILIES TTLS
        the same lab, the worker (a copy without privilege) run as nobody.

Every case states what the responder sends (the emulator's configuration
is generated here from the same values) and the reply is expected to say
exactly that: nothing expected comes from the worker.  Each probe is sent
twice, with reply-details 1 and without, and the reply without must be the
reply of old, word for word: the same line minus the details.  A line "ok -
..." or "not ok - ..." per check; the real request/reply pairs are printed
as comments ("# >" request, "# <" reply).  Exit status 1 when a check
failed.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workerdrive  # noqa: E402

FAILURES = []


def ok(cond, what):
    print("%s - %s" % ("ok" if cond else "not ok", what))
    if not cond:
        FAILURES.append(what)


# ---- the emulated paths ---------------------------------------------------

def addr(family, k, j):
    """Router j of path k (pathemu_lib.sh routes these prefixes)."""
    if family == 4:
        return "203.0.113.%d" % (4 * k + j)
    return "2001:db8:e:%x::%x" % (k, j)


ICMP_TE = {4: (11, 0), 6: (3, 0)}
ECHO_REPLY = {4: (0, 0), 6: (129, 0)}
PORT_UNREACH = {4: (3, 3), 6: (1, 4)}
IF_ADDR4, IF_ADDR6 = "192.0.2.77", "2001:db8::77"
TOS = 40                # the probes' TOS / traffic class


class Case:
    """One path whose second router (or destination) answers as told."""

    def __init__(self, desc, hop2=None, hop3=None, protos=("icmp",),
                 ttl=2, want=None):
        self.desc = desc
        self.hop2 = hop2 or {}
        self.hop3 = hop3 or {}
        self.protos = protos
        self.ttl = ttl
        # want(family, proto) -> (reply name key, responder j, mpls text
        # or None, [detail words]); the name key is resolved per build.
        self.want = want
        self.k = None


def details(icmp=None, reply_ttl=None, quoted=None, mtu=None, ifinfo=None):
    """The reply-details words in their fixed order (hopprobe(8))."""
    words = []
    if icmp is not None:
        words += ["icmp-type", str(icmp[0]), "icmp-code", str(icmp[1])]
    if reply_ttl is not None:
        words += ["reply-ttl", str(reply_ttl)]
    if quoted is not None:
        words += ["quoted-ttl", str(quoted[0]), "quoted-tos", str(quoted[1])]
    if mtu is not None:
        words += ["next-hop-mtu", str(mtu)]
    for key, word in (("index", "interface-index"), ("ip", None),
                      ("name", "interface-name"), ("mtu", "interface-mtu")):
        if ifinfo and key in ifinfo:
            value = ifinfo[key]
            if key == "ip":
                word = "interface-ip-6" if ":" in value else "interface-ip-4"
            words += [word, str(value)]
    return words


def ifinfo_ext(objects, form="rfc4884", checksum="good", malformed=None):
    ext = {"form": form, "checksum": checksum, "objects": objects}
    if malformed:
        ext["malformed"] = malformed
    return ext


def router_case(desc, reply_ttl, ext=None, ifinfo=None, mpls=None,
                quoted_tos=None, protos=("icmp",)):
    """Router 2 answers time exceeded; ifinfo: what must be reported."""
    hop2 = {"reply_ttl": reply_ttl, "quoted_ttl": 1}
    if quoted_tos is not None:
        hop2["quoted_tos"] = quoted_tos
    if ext is not None:
        hop2["ext"] = ext
    tos = TOS if quoted_tos is None else quoted_tos
    return Case(desc, hop2=hop2, protos=protos, want=lambda f, p: (
        "ttl-expired", 2, mpls,
        details(ICMP_TE[f], reply_ttl, (1, tos), None, ifinfo)))


def error_case(desc, err4, err6, name4, name6, mtu4=None):
    """Router 2 answers the ICMP error chosen for each family."""
    hop2 = {"reply_ttl": 123, "quoted_ttl": 1, "error4": err4,
            "error6": err6}

    def want(family, proto):
        err = err4 if family == 4 else err6
        return (name4 if family == 4 else name6, 2, None,
                details((err["type"], err["code"]), 123, (1, TOS),
                        mtu4 if family == 4 else None))
    return Case(desc, hop2=hop2, protos=("icmp", "udp"), want=want)


def cases():
    c = []
    c.append(router_case("time exceeded: reply TTL, quoted TTL and TOS "
                         "rewritten (bleached)", 201, quoted_tos=0,
                         protos=("icmp", "udp", "tcp", "sctp")))
    c.append(router_case("time exceeded: our TOS quoted as sent", 250))
    # Every unreachable kind hoptrace names, and some more.
    c.append(error_case("net unreachable / no route",
                        {"type": 3, "code": 0}, {"type": 1, "code": 0},
                        "net", "net"))
    c.append(error_case("host unreachable / address unreachable",
                        {"type": 3, "code": 1}, {"type": 1, "code": 3},
                        "host", "host"))
    c.append(error_case("fragmentation needed, next-hop MTU 1400 / "
                        "administratively prohibited",
                        {"type": 3, "code": 4, "mtu": 1400},
                        {"type": 1, "code": 1}, "host", "host", mtu4=1400))
    c.append(error_case("fragmentation needed without an MTU (RFC 792) / "
                        "source address failed policy",
                        {"type": 3, "code": 4, "mtu": 0},
                        {"type": 1, "code": 5}, "host", "host"))
    c.append(error_case("communication administratively prohibited / "
                        "reject route",
                        {"type": 3, "code": 13}, {"type": 1, "code": 6},
                        "host", "host"))
    c.append(error_case("port unreachable from a router (a firewall)",
                        {"type": 3, "code": 3}, {"type": 1, "code": 4},
                        "host", "host"))
    c.append(error_case("protocol unreachable from a router / beyond scope",
                        {"type": 3, "code": 2}, {"type": 1, "code": 2},
                        "host", "host"))
    c.append(error_case("network prohibited / time exceeded chosen",
                        {"type": 3, "code": 9}, {"type": 3, "code": 0},
                        "net", "ttl-expired"))
    c.append(error_case("host unreachable for TOS / param problem code 1",
                        {"type": 3, "code": 12}, {"type": 4, "code": 1},
                        "host", "host"))

    # Every combination of the interface information fields.
    for flags in range(16):
        obj = {"role": flags % 4}
        want = {}
        if flags & 8:
            obj["index"] = want["index"] = 1000 + flags
        if flags & 4:
            ip = IF_ADDR4 if flags & 1 else IF_ADDR6
            obj["ip4" if flags & 1 else "ip6"] = want["ip"] = ip
        if flags & 2:
            obj["name"] = want["name"] = "if-%d" % flags
        if flags & 1:
            obj["mtu"] = want["mtu"] = 1400 + flags
        c.append(router_case("interface information, fields %s" % (
            "+".join(n for b, n in ((8, "index"), (4, "address"),
                                    (2, "name"), (1, "mtu")) if flags & b)
            or "none"), 60 + flags, ext=ifinfo_ext([{"ifinfo": obj}]),
            ifinfo=want))
    long_name = "ge-0/0/1.100:" + "x" * 50
    c.append(router_case("interface name of 63 bytes", 70,
                         ext=ifinfo_ext([{"ifinfo": {"index": 4,
                                                     "name": long_name}}]),
                         ifinfo={"index": 4, "name": long_name}))
    for desc, spec in (("a space", {"name": "eth 0"}),
                       ("byte 0xff", {"name_hex": "657468ff"}),
                       ("byte 0x1b", {"name_hex": "1b5b306d"}),
                       ("nothing but padding", {"name": ""})):
        spec = dict(spec, index=5, mtu=1500)
        c.append(router_case("interface name with %s: left out, the rest "
                             "kept" % desc, 71,
                             ext=ifinfo_ext([{"ifinfo": spec}]),
                             ifinfo={"index": 5, "mtu": 1500}))
    malformed = (
        ("name length 5", [{"ifinfo": {"index": 6, "name": "eth",
                                       "name_len": 5}}], {}),
        ("name length 68", [{"ifinfo": {"index": 6, "name": "eth",
                                        "name_len": 68}}], {}),
        ("name length beyond the object",
         [{"ifinfo": {"index": 6, "name": "eth", "name_len": 64}}], {}),
        ("unknown address family 3",
         [{"ifinfo": {"index": 6, "afi": 3}}], {}),
        ("bytes after the fields",
         [{"ifinfo": {"index": 6, "extra": "00000000"}}], {}),
        ("index cut to 2 bytes",
         [{"class": 2, "ctype": 8, "hex": "0000"}], {}),
        ("structure with a bad checksum",
         [{"ifinfo": {"index": 6}}], {"checksum": "bad"}),
        ("structure cut short", [{"ifinfo": {"index": 6, "mtu": 1500}}],
         {"malformed": "truncated"}),
        ("object length 0", [{"ifinfo": {"index": 6}}],
         {"malformed": "zero-length"}),
        ("object length beyond the message", [{"ifinfo": {"index": 6}}],
         {"malformed": "oversize"}),
        ("structure version 1", [{"ifinfo": {"index": 6}}],
         {"malformed": "version"}),
        ("malformed first object, good second",
         [{"ifinfo": {"index": 6, "extra": "0000"}},
          {"ifinfo": {"index": 7}}], {}),
    )
    for desc, objects, how in malformed:
        c.append(router_case("malformed: %s: no interface words" % desc, 72,
                             ext=ifinfo_ext(objects, **how)))
    c.append(router_case("two objects: only the first reported", 73,
                         ext=ifinfo_ext([{"ifinfo": {"index": 1}},
                                         {"ifinfo": {"index": 2,
                                                     "mtu": 1500}}]),
                         ifinfo={"index": 1}))
    c.append(router_case("MPLS and interface information together", 74,
                         ext=ifinfo_ext([{"mpls": [[24001, 5, 1, 254]]},
                                         {"ifinfo": {"index": 9,
                                                     "name": "xe-1"}}]),
                         ifinfo={"index": 9, "name": "xe-1"},
                         mpls="24001,5,1,254", protos=("icmp", "udp")))
    c.append(router_case("interface information, pre-RFC 4884 form", 75,
                         ext=ifinfo_ext([{"ifinfo": {"index": 5,
                                                     "mtu": 9000}}],
                                        form="old"),
                         ifinfo={"index": 5, "mtu": 9000}))

    # The destination's own answers: ICMP ones with their type, TCP and
    # SCTP ones with their TTL alone.
    def dest_want(f, p):
        if p == "icmp":
            return "reply", 3, None, details(ECHO_REPLY[f], 77)
        if p == "udp":
            return "reply", 3, None, details(PORT_UNREACH[f], 77, (9, 8),
                                             None, {"index": 3})
        return "reply", 3, None, details(None, 77)
    c.append(Case("the destination's answers", hop3={
        "reply_ttl": 77, "quoted_ttl": 9, "quoted_tos": 8,
        "ext": ifinfo_ext([{"ifinfo": {"index": 3}}])},
        protos=("icmp", "udp", "tcp", "sctp"), ttl=None, want=dest_want))
    for k, case in enumerate(c, start=1):
        case.k = k
    if len(c) > 62:
        raise SystemExit("too many paths for 203.0.113.0/24")
    return c


def write_config(path):
    paths = []
    for case in cases():
        hops = []
        for j, extra in ((1, {}), (2, case.hop2), (3, case.hop3)):
            hop = {"addr4": addr(4, case.k, j), "addr6": addr(6, case.k, j)}
            hop.update(extra)
            hops.append(hop)
        paths.append({"hops": hops})
    with open(path, "w") as f:
        json.dump({"lifetime": 300, "paths": paths}, f, indent=1)


# ---- running a session ----------------------------------------------------

RTT = re.compile(r" round-trip-time [0-9]+")


def run(worker_argv, ns, requests, seconds=60.0):
    """Send every request line; the replies by token."""
    w = workerdrive.Worker(worker_argv, ns=ns)
    for line in requests:
        print("# > " + line)
    w.write(("\n".join(requests) + "\n").encode())
    tokens = [line.split(" ", 1)[0] for line in requests]
    done = w.pump(until=w.answered(tokens), seconds=seconds)
    w.close_stdin()
    w.pump(seconds=10.0)
    rc = w.finish(10.0)
    for line in w.replies:
        print("# < " + line)
    ok(done, "every request answered")
    ok(rc == 0, "the worker exits with status 0 (%s)" % rc)
    ok(len(w.replies) == len(requests),
       "one line per request (%d for %d)" % (len(w.replies), len(requests)))
    return {t: w.replies_to(t) for t in tokens}


def compare(desc, got, want):
    """One reply line against the expected one, RTT normalised."""
    if len(got) != 1:
        ok(False, "%s: %d lines: %r" % (desc, len(got), got))
        return
    line = RTT.sub(" round-trip-time RTT", got[0])
    ok(line == want, "%s%s" % (desc, "" if line == want else
                               ": got '%s', want '%s'" % (line, want)))


def emulated(worker_path, ns, families, net, host):
    names = {"net": net, "host": host}
    rows = []
    for family in families:
        for case in cases():
            for proto in case.protos:
                name, j, mpls, words = case.want(family, proto)
                args = "ip-%d %s protocol %s tos %d timeout 3" % (
                    family, addr(family, case.k, 3), proto, TOS)
                if case.ttl:
                    args += " ttl %d" % case.ttl
                rows.append(("v%d %s %s" % (family, proto, case.desc), args,
                             names.get(name, name), addr(family, case.k, j),
                             mpls, words))
    session([worker_path], ns, rows, 1,
            ["1 check-support feature reply-details"],
            ["1 feature-support support ok"])


def lab(worker_path, ns, families, ttls):
    r1_4, r2_4, t_4, r1_6, r2_6, t_6 = ttls
    env = os.environ
    rows = []
    for family in families:
        v4 = family == 4
        r1 = env["LAB_R1_4" if v4 else "LAB_R1_6"]
        r2 = env["LAB_R2_4" if v4 else "LAB_R2_6"]
        tgt = env["LAB_TARGET4" if v4 else "LAB_TARGET6"]
        r1_ttl, r2_ttl, t_ttl = (r1_4, r2_4, t_4) if v4 else (r1_6, r2_6, t_6)
        te, pu, er = ICMP_TE[family], PORT_UNREACH[family], ECHO_REPLY[family]
        base = "ip-%d %s tos %d timeout 5" % (family, tgt, TOS)
        # r1 is the host's neighbour: its answer arrives with the TTL it
        # gave; r2's and the target's pass one and two routers.  A probe
        # sent with TTL 255 (the default) reaches the target with 253.
        rows += [
            ("v%d r1's time exceeded" % family, base + " ttl 1",
             "ttl-expired", r1, None, details(te, r1_ttl, (1, TOS))),
            ("v%d r2's time exceeded" % family, base + " ttl 2",
             "ttl-expired", r2, None, details(te, r2_ttl - 1, (1, TOS))),
            ("v%d the target's echo reply" % family, base,
             "reply", tgt, None, details(er, t_ttl - 2)),
            ("v%d the target's port unreachable" % family,
             base + " protocol udp", "reply", tgt, None,
             details(pu, t_ttl - 2, (253, TOS))),
            ("v%d the target's TCP RST" % family,
             base + " protocol tcp port 9", "reply", tgt, None,
             details(None, t_ttl - 2)),
        ]
    session([worker_path], ns, rows, 100)


def unprivileged(worker_argv, ns, families, ttls):
    """
    The unprivileged mode: only the ICMP type and code and the reply TTL
    (hopprobe(8)), from the error queue and the sockets' control messages.
    """
    r1_4, _, t_4, r1_6, _, t_6 = ttls
    env = os.environ
    rows = []
    for family in families:
        v4 = family == 4
        r1 = env["LAB_R1_4" if v4 else "LAB_R1_6"]
        tgt = env["LAB_TARGET4" if v4 else "LAB_TARGET6"]
        r1_ttl, t_ttl = (r1_4, t_4) if v4 else (r1_6, t_6)
        base = "ip-%d %s timeout 5" % (family, tgt)
        rows += [
            ("v%d unprivileged: r1's time exceeded" % family,
             base + " protocol udp ttl 1", "ttl-expired", r1, None,
             details(ICMP_TE[family], r1_ttl)),
            ("v%d unprivileged: the target's echo reply" % family, base,
             "reply", tgt, None, details(ECHO_REPLY[family], t_ttl - 2)),
            ("v%d unprivileged: the target's port unreachable" % family,
             base + " protocol udp", "reply", tgt, None,
             details(PORT_UNREACH[family], t_ttl - 2)),
            ("v%d unprivileged: a TCP connection refused" % family,
             base + " protocol tcp port 9", "reply", tgt, None, []),
        ]
    session(worker_argv, ns, rows, 200)


def session(worker_argv, ns, rows, token, requests=(), replies=()):
    """
    rows: (description, send-probe arguments, reply name, responder, MPLS
    argument or None, reply-details words), each sent with reply-details
    and without, token after token; requests and their replies: lines
    sent first, each answered exactly so.
    """
    requests = list(requests)
    expect = [("%s: %s" % (r, a), a) for r, a in zip(requests, replies)]
    for desc, args, name, responder, mpls, words in rows:
        old = "%s ip-%s %s round-trip-time RTT" % (
            name, "6" if ":" in responder else "4", responder)
        if mpls:
            old += " mpls " + mpls
        token += 1
        requests.append("%d send-probe %s reply-details 1" % (token, args))
        expect.append((desc, "%d %s" % (token, " ".join([old] + words))))
        token += 1
        requests.append("%d send-probe %s" % (token, args))
        expect.append((desc + " (without reply-details: as before)",
                       "%d %s" % (token, old)))
    got = run(worker_argv, ns, requests)
    for (desc, want), line in zip(expect, requests):
        compare(desc, got[line.split(" ", 1)[0]], want)


def main(argv):
    if len(argv) == 3 and argv[1] == "config":
        write_config(argv[2])
        return 0
    if len(argv) == 7 and argv[1] == "emulated":
        emulated(argv[2], argv[3], [int(f) for f in argv[4].split()],
                 argv[5], argv[6])
    elif len(argv) == 6 and argv[1] == "lab":
        lab(argv[2], argv[3], [int(f) for f in argv[4].split()],
            [int(t) for t in argv[5].split()])
    elif len(argv) == 6 and argv[1] == "unprivileged":
        # The worker as nobody, through setpriv (exec'd in place).
        unprivileged(["setpriv", "--reuid=65534", "--regid=65534",
                      "--clear-groups", argv[2]], argv[3],
                     [int(f) for f in argv[4].split()],
                     [int(t) for t in argv[5].split()])
    else:
        print(__doc__)
        return 2
    print("# %d checks failed" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

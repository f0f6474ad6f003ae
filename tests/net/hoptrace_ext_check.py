#!/usr/bin/python3
"""hoptrace_ext_check.py: the JSON checks of net_hoptrace_ext.sh.

    hoptrace_ext_check.py pmtu DOC FIRST MIDDLE
        --pmtu: pmtu true; hops 1, 2, 3 with mtu FIRST, MIDDLE, MIDDLE and
        every probe of each hop sent at that size.
    hoptrace_ext_check.py rate DOC PPS ANSWERED
        rate_pps is PPS and ANSWERED probes were answered in all.
    hoptrace_ext_check.py ns DOC ANSWERED
        ANSWERED probes have an address, each a positive integer rtt_ns,
        not all of them whole microseconds.
    hoptrace_ext_check.py emu DOC TYPE CODE UTYPE UCODE
        the emulated path 0: hop 1's probes are ICMP TYPE/CODE with reply
        TTL 200, quoted TOS 32 and the interface 7/192.0.2.77/ge-0/0/1/1500;
        hop 2's are UTYPE/UCODE without an interface.
    hoptrace_ext_check.py samehops JSONL DOC
        the JSON document has the hops (trace, ttl, responders) of the
        recorded JSONL's hop records.

Each check of the first trace of the document DOC (hoptrace -j); prints
what is wrong and exits 1, or exits 0.
"""
import json
import sys


def trace_of(path):
    return json.load(open(path))["traces"][0]


def pmtu(doc, first, middle):
    t = trace_of(doc)
    want = [int(first), int(middle), int(middle)]
    if t["pmtu"] is not True:
        return "pmtu %r" % t["pmtu"]
    got = [h["mtu"] for h in t["hops"]]
    if got != want:
        return "hop mtus %r, want %r" % (got, want)
    for h, w in zip(t["hops"], want):
        sizes = [p["size"] for p in h["probes"]]
        if any(s != w for s in sizes):
            return "hop %d sizes %r, want %d" % (h["ttl"], sizes, w)
    return None


def rate(doc, pps, answered):
    t = trace_of(doc)
    if t["rate_pps"] != float(pps):
        return "rate_pps %r, want %s" % (t["rate_pps"], pps)
    n = sum(h["received"] for h in t["hops"])
    if n != int(answered):
        return "%d answered, want %s" % (n, answered)
    return None


def ns(doc, answered):
    t = trace_of(doc)
    v = [p["rtt_ns"] for h in t["hops"] for p in h["probes"] if p["address"]]
    if len(v) != int(answered):
        return "%d answered probes, want %s" % (len(v), answered)
    if not all(isinstance(x, int) and x > 0 for x in v):
        return "rtt_ns %r" % v
    if all(x % 1000 == 0 for x in v):
        return "all whole microseconds: %r" % v
    return None


def emu(doc, typ, code, utyp, ucode):
    t = trace_of(doc)
    h1, h2 = t["hops"][0], t["hops"][1]
    want = (int(typ), int(code), 200, 32,
            {"index": 7, "address": "192.0.2.77", "name": "ge-0/0/1",
             "mtu": 1500})
    for p in h1["probes"]:
        got = (p["icmp_type"], p["icmp_code"], p["reply_ttl"],
               p["quoted_tos"], p["interface"])
        if got != want:
            return "hop 1 probe: %r, want %r" % (got, want)
    for p in h2["probes"]:
        if (p["icmp_type"], p["icmp_code"]) != (int(utyp), int(ucode)) or \
                p["interface"] is not None:
            return "hop 2 probe: %r" % p
    return None


def samehops(jsonl, doc):
    rec = [json.loads(line) for line in open(jsonl)]
    d = json.load(open(doc))
    want = sorted((r["trace"], r["ttl"], [x["address"] for x in r["responders"]])
                  for r in rec if r["type"] == "hop")
    got = sorted((t["index"], h["ttl"], [x["address"] for x in h["responders"]])
                 for t in d["traces"] for h in t["hops"])
    if got != want:
        return "hops %r, want %r" % (got, want)
    return None


CHECKS = {"pmtu": (pmtu, 3), "rate": (rate, 3), "ns": (ns, 2),
          "emu": (emu, 5), "samehops": (samehops, 2)}


def main(argv):
    if len(argv) < 2 or argv[1] not in CHECKS or \
            len(argv) - 2 != CHECKS[argv[1]][1]:
        sys.exit(__doc__)
    fn, _ = CHECKS[argv[1]]
    why = fn(*argv[2:])
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

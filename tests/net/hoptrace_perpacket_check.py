#!/usr/bin/python3
"""hoptrace_perpacket_check.py: the checks of net_hoptrace_perpacket.sh on
hoptrace's JSON and report output (stdlib only).

    hoptrace_perpacket_check.py json FILE FLOWS PER_FLOW BAL_TTL A B \\
        CTRL_TTL C
        FILE: one trace of --flows FLOWS -q PER_FLOW -c 1 through a path
        whose hop BAL_TTL answers from A and B in turn, per packet, and
        whose hop CTRL_TTL answers from C alone.  Hop BAL_TTL: per_packet
        names one of the trace's flows and exactly A and B; A and B
        answered half of the hop's probes each (the emulator alternates),
        all of them answered; no path lost anything.  Hop CTRL_TTL and
        every other hop: per_packet null; CTRL_TTL has C alone, one path
        with every flow.

    hoptrace_perpacket_check.py report FILE BAL_TTL A B
        FILE: --report output of the same.  Exactly one line says
        "per-packet balancing", under hop BAL_TTL's row (before the next
        hop's), naming a flow of the trace ("N flows from F" in the header)
        and A and B; the hop's path lines show no loss and list flows.
"""
import json
import re
import sys


def fail(*lines):
    for line in lines:
        print(line)
    sys.exit(1)


def check_json(path, flows, per_flow, bal_ttl, a, b, ctrl_ttl, c):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if len(doc["traces"]) != 1:
        fail("want one trace, got %d" % len(doc["traces"]))
    tr = doc["traces"][0]
    problems = []
    if tr["flows"] != flows:
        problems.append("flows %r, want %d" % (tr["flows"], flows))
    trace_flows = set(range(tr["flow"], tr["flow"] + flows))
    hops = {h["ttl"]: h for h in tr["hops"]}
    sent = flows * per_flow
    for ttl in (bal_ttl, ctrl_ttl):
        if ttl not in hops:
            fail("no hop %d" % ttl, "hops: %r" % sorted(hops))
        if hops[ttl]["sent"] != sent or hops[ttl]["received"] != sent:
            problems.append("hop %d: sent %r received %r, want %d of %d"
                            % (ttl, hops[ttl]["sent"],
                               hops[ttl]["received"], sent, sent))

    bal = hops[bal_ttl]
    pp = bal["per_packet"]
    if pp is None:
        problems.append("hop %d: per_packet null, want flow and %s, %s"
                        % (bal_ttl, a, b))
    else:
        if sorted(pp["addresses"]) != sorted([a, b]):
            problems.append("hop %d: per_packet addresses %r, want %s and "
                            "%s" % (bal_ttl, pp["addresses"], a, b))
        if pp["flow"] not in trace_flows:
            problems.append("hop %d: per_packet flow %r is not one of the "
                            "trace's %r" % (bal_ttl, pp["flow"],
                                            sorted(trace_flows)))
    got = {r["address"]: r["answers"] for r in bal["responders"]}
    want = {a: sent // 2, b: sent - sent // 2}
    if got != want:
        problems.append("hop %d: responders %r, want %r (the emulator "
                        "alternates)" % (bal_ttl, got, want))
    for p in bal["paths"]:
        if p["address"] is None or p["received"] != p["sent"]:
            problems.append("hop %d: path %r lost probes (sent %r, "
                            "received %r): nothing was lost"
                            % (bal_ttl, p["address"], p["sent"],
                               p["received"]))

    for ttl, h in sorted(hops.items()):
        if ttl != bal_ttl and h["per_packet"] is not None:
            problems.append("hop %d: per_packet %r, want null"
                            % (ttl, h["per_packet"]))
    ctrl = hops[ctrl_ttl]
    got = {r["address"]: r["answers"] for r in ctrl["responders"]}
    if got != {c: sent}:
        problems.append("hop %d: responders %r, want {%r: %d}"
                        % (ctrl_ttl, got, c, sent))
    paths = [(p["address"], sorted(p["flows"])) for p in ctrl["paths"]]
    if paths != [(c, sorted(trace_flows))]:
        problems.append("hop %d: paths %r, want %s with flows %r"
                        % (ctrl_ttl, paths, c, sorted(trace_flows)))
    if problems:
        fail(*problems)


def check_report(path, bal_ttl, a, b):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = [m for m in (re.search(r" (\d+) flows from (\d+)\b", l)
                          for l in lines) if m]
    if len(header) != 1:
        fail("want one header naming the flows, got %d" % len(header),
             *lines)
    first = int(header[0].group(2))
    flows = set(range(first, first + int(header[0].group(1))))
    rows = [i for i, l in enumerate(lines) if re.match(r"^ *\d+\.\|", l)]
    mine = [i for i in rows if lines[i].lstrip().startswith("%d." % bal_ttl)]
    said = [i for i, l in enumerate(lines) if "per-packet balancing" in l]
    if len(mine) != 1 or len(said) != 1:
        fail("want one row for hop %d and one per-packet line, got %d and "
             "%d" % (bal_ttl, len(mine), len(said)), *lines)
    after = [i for i in rows if i > mine[0]]
    end = after[0] if after else len(lines)
    if not mine[0] < said[0] < end:
        fail("the per-packet line is not under hop %d's row" % bal_ttl,
             *lines)
    # The hop's path lines: nothing was lost, and each lists flows.
    for line in lines[mine[0] + 1:end]:
        if re.match(r"^ *\| > ", line) and not re.search(
                r" 0\.0% .*  flows [0-9]+(,[0-9]+)*$", line):
            fail("hop %d's path line shows a loss or no flows: %r"
                 % (bal_ttl, line), *lines)
    m = re.match(r"^ *\|   per-packet balancing: flow (\d+) reached (\S+) "
                 r"and (\S+)$", lines[said[0]])
    if not m:
        fail("per-packet line: %r" % lines[said[0]],
             "want: ' |   per-packet balancing: flow N reached A and B'")
    if int(m.group(1)) not in flows or sorted(m.group(2, 3)) != sorted([a, b]):
        fail("per-packet line %r: want a flow of %r reaching %s and %s"
             % (lines[said[0]], sorted(flows), a, b))


def main(argv):
    if len(argv) == 9 and argv[0] == "json":
        check_json(argv[1], int(argv[2]), int(argv[3]), int(argv[4]),
                   argv[5], argv[6], int(argv[7]), argv[8])
        return 0
    if len(argv) == 5 and argv[0] == "report":
        check_report(argv[1], int(argv[2]), argv[3], argv[4])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""hoptrace_ecmp_check.py: the parsers and checkers of hoptrace's output
formats for net_hoptrace_ecmp.sh (stdlib only).

Usage: hoptrace_ecmp_check.py KIND FILE ARG...
"""
import csv, json, math, re, sys

def die(msg, *more):
    print(msg)
    for m in more:
        print(m)
    sys.exit(1)

def parse_pairs(args):
    """LABEL=COUNT arguments as a dict (label -> count)."""
    want = {}
    for a in args:
        label, _, count = a.rpartition("=")
        want[label] = int(count)
    return want

def text(path, hop, args):
    """hop HOP of the text output: every responder shown ("NAME (ADDR)"
    or "ADDR") with how many round-trip times follow it, as LABEL=COUNT;
    the line must hold exactly the expected ones, and no "*"."""
    want = parse_pairs(args)
    lines = open(path, encoding="utf-8").read().splitlines()
    mine = [l for l in lines if re.match(r"^ *%d  " % hop, l)]
    if len(mine) != 1:
        die("want one line for hop %d, got %d:" % (hop, len(mine)), *lines)
    line = mine[0]
    tok = line.split()[1:]
    got, order, cur, i, stars = {}, [], None, 0, 0
    while i < len(tok):
        t = tok[i]
        if t == "*":
            stars += 1
            i += 1
        elif i + 1 < len(tok) and tok[i + 1] == "ms" and re.match(r"^[0-9]+\.[0-9]{3}$", t):
            if cur is None:
                die("a time before any responder: " + line)
            got[cur] = got.get(cur, 0) + 1
            i += 2
        elif i + 1 < len(tok) and tok[i + 1].startswith("(") and tok[i + 1].endswith(")"):
            cur = "%s %s" % (t, tok[i + 1])
            got.setdefault(cur, 0)
            order.append(cur)
            i += 2
        else:
            cur = t
            got.setdefault(cur, 0)
            order.append(cur)
            i += 1
    if got != want or stars:
        die("hop %d: responders and their answers %r, %d *; want %r" % (hop, got, stars, want),
            "line: " + line)

def hop_of(path, hop):
    d = json.load(open(path, encoding="utf-8"))
    if len(d["traces"]) != 1:
        die("want one trace, got %d" % len(d["traces"]))
    tr = d["traces"][0]
    hops = [h for h in tr["hops"] if h["ttl"] == hop]
    if len(hops) != 1:
        die("want one hop %d, got %d" % (hop, len(hops)))
    return d, tr, hops[0]

def jsonhop(path, hop, sent, args):
    """hop HOP of the JSON document: sent and received as given, exactly
    the responders ADDR=ANSWERS given, answers summing to received."""
    want = parse_pairs(args)
    _, _, h = hop_of(path, hop)
    got = {r["address"]: r["answers"] for r in h["responders"]}
    problems = []
    if len(h["responders"]) != len(got):
        problems.append("a responder listed twice: %r" % h["responders"])
    if got != want:
        problems.append("responders and answers %r, want %r" % (got, want))
    if h["sent"] != sent or h["received"] != sent:
        problems.append("sent %r received %r, want %d of %d" % (h["sent"], h["received"], sent, sent))
    total = sum(r["answers"] for r in h["responders"])
    if total != h["received"]:
        problems.append("answers sum to %d, received is %r" % (total, h["received"]))
    if problems:
        die("hop %d:" % hop, *problems)

def jsonpaths(path, hop, flows, args):
    """--flows: hop HOP's paths are exactly the responders ADDR=RECEIVED
    given (RECEIVED: how many of its flows' probes it answered, from the
    router's own counter), their flows FLOWS distinct numbers in all, each
    flow in one path; a path's sent is its flows' probes (the hop's sent
    over FLOWS each), its loss (sent - received) / sent; the paths' sent
    and received sum to the hop's; no per-packet flow."""
    want = parse_pairs(args)
    _, _, h = hop_of(path, hop)
    problems = []
    paths = h["paths"]
    got = {p["address"]: p["received"] for p in paths}
    if got != want:
        problems.append("paths and received %r, want %r" % (got, want))
    all_flows = [f for p in paths for f in p["flows"]]
    if len(all_flows) != flows or len(set(all_flows)) != flows:
        problems.append("flows %r, want %d distinct, each in one path"
                        % (all_flows, flows))
    per_flow = h["sent"] // flows
    for p in paths:
        if p["sent"] != per_flow * len(p["flows"]):
            problems.append("path %s: sent %d, want %d (%d flows x %d)"
                            % (p["address"], p["sent"],
                               per_flow * len(p["flows"]), len(p["flows"]),
                               per_flow))
        # Halves up, as hoptrace writes them (Python's round() would take
        # 26.25 to 26.2).
        loss = math.floor(1000.0 * (p["sent"] - p["received"]) / p["sent"]
                          + 0.5) / 10
        if abs(p["loss_pct"] - loss) > 0.051:
            problems.append("path %s: loss %r, want %.1f"
                            % (p["address"], p["loss_pct"], loss))
    if sum(p["sent"] for p in paths) != h["sent"]:
        problems.append("the paths' sent sum to %d, the hop's is %d"
                        % (sum(p["sent"] for p in paths), h["sent"]))
    if sum(p["received"] for p in paths) != h["received"]:
        problems.append("the paths' received sum to %d, the hop's is %d"
                        % (sum(p["received"] for p in paths), h["received"]))
    if h["per_packet"] is not None:
        problems.append("per_packet %r, want null" % (h["per_packet"],))
    if problems:
        die("hop %d:" % hop, *problems)

def pathloss(path, hop, addr, pct, sigmas):
    """the loss of ADDR's path at HOP is within SIGMAS standard
    deviations of PCT percent, for as many probes as it sent."""
    _, _, h = hop_of(path, hop)
    p = [p for p in h["paths"] if p["address"] == addr]
    if len(p) != 1:
        die("hop %d: no path %s in %r" % (hop, addr, h["paths"]))
    n = p[0]["sent"]
    q = pct / 100.0
    sd = 100.0 * (q * (1 - q) / n) ** 0.5
    if abs(p[0]["loss_pct"] - pct) > sigmas * sd + 0.051:
        die("hop %d path %s: loss %.1f%% of %d, want %.0f%% +- %.1f"
            % (hop, addr, p[0]["loss_pct"], n, pct, sigmas * sd))

def flowheld(path):
    """--flow auto: the trace has one flow, 28232-32767, and every probe
    has it."""
    d, tr, _ = hop_of(path, 1)
    f = tr["flow"]
    if not isinstance(f, int) or not 28232 <= f <= 32767:
        die("trace flow %r, want 28232-32767" % (f,))
    bad = [(h["ttl"], p["flow"]) for h in tr["hops"] for p in h["probes"]
           if p["flow"] != f]
    if bad:
        die("probes with another flow than %d: %r" % (f, bad[:5]))

def jsontrace(path, hops, target):
    """the trace reached TARGET at distance HOPS, listing hops 1..HOPS."""
    d, tr, _ = hop_of(path, 1)
    ttls = [h["ttl"] for h in tr["hops"]]
    problems = []
    if ttls != list(range(1, hops + 1)):
        problems.append("hops %r, want 1..%d" % (ttls, hops))
    for k, v in (("reached", True), ("reason", "reached"), ("distance", hops),
                 ("address", target), ("protocol", "udp")):
        if tr.get(k) != v:
            problems.append("%s is %r, want %r" % (k, tr.get(k), v))
    if d.get("exit_status") != 0:
        problems.append("exit_status %r" % d.get("exit_status"))
    if problems:
        die(*problems)

def csvhop(path, hop, sent, addrs):
    """the CSV row of hop HOP: responders holds exactly ADDRS (any order),
    responder is the first of them, sent and received as given."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["hop"] == str(hop)]
    if len(rows) != 1:
        die("want one row for hop %d, got %d" % (hop, len(rows)))
    r = rows[0]
    listed = r["responders"].split(" ")
    problems = []
    if sorted(listed) != sorted(addrs):
        problems.append("responders %r, want %r" % (r["responders"], " ".join(addrs)))
    if r["responder"] != listed[0]:
        problems.append("responder %r is not the first of responders %r" % (r["responder"], r["responders"]))
    if r["sent"] != str(sent) or r["received"] != str(sent):
        problems.append("sent %r received %r, want %d of %d" % (r["sent"], r["received"], sent, sent))
    if r["reached"] != "true":
        problems.append("reached %r" % r["reached"])
    if problems:
        die("hop %d:" % hop, *problems, "row: %r" % r)

def report(path, hop, sent, labels):
    """the report: hop HOP names one of LABELS, the line after it the
    other (mtr style "|  `|-- LABEL"), no third, then hop HOP+1; and hop
    HOP sent SENT with no loss."""
    lines = open(path, encoding="utf-8").read().splitlines()
    idx = [i for i, l in enumerate(lines) if re.match(r"^ *%d\.\|-- " % hop, l)]
    if len(idx) != 1:
        die("want one report line for hop %d, got %d:" % (hop, len(idx)), *lines)
    i = idx[0]
    first = lines[i]
    m = re.match(r"^ *%d\.\|-- (.+?) +([0-9.]+)%% +([0-9]+) " % hop, first)
    if not m:
        die("cannot read hop %d: %s" % (hop, first), *lines)
    shown = [m.group(1)]
    problems = []
    if m.group(2) != "0.0" or m.group(3) != str(sent):
        problems.append("loss %s%%, sent %s; want 0.0%%, %d" % (m.group(2), m.group(3), sent))
    j = i + 1
    while j < len(lines):
        m2 = re.match(r"^ +\|  `\|-- (.+?) *$", lines[j])
        if not m2:
            break
        shown.append(m2.group(1))
        j += 1
    if sorted(shown) != sorted(labels):
        problems.append("hop %d shows %r, want %r (first on the hop line, the other below)" % (hop, shown, labels))
    if j >= len(lines) or not re.match(r"^ *%d\.\|-- " % (hop + 1), lines[j]):
        problems.append("hop %d does not follow the responders of hop %d" % (hop + 1, hop))
    if problems:
        die(*problems, *lines)

def verdict(path, hop, addr, want, dest_ttl, lost):
    """the JSON's loss verdict for ADDR's path at HOP is WANT ("carries",
    "own"), compared with the destination at DEST_TTL over the path's
    own probe count; LOST, unless "-", is how many of the path's probes
    it says were lost, and for "own" the destination lost none."""
    _, tr, h = hop_of(path, hop)
    p = [p for p in h["paths"] if p["address"] == addr]
    if len(p) != 1:
        die("hop %d: no path %s in %r" % (hop, addr, h["paths"]))
    v = [v for v in tr.get("loss_verdicts", [])
         if v["ttl"] == hop and v["path"] == addr]
    if len(v) != 1:
        die("want one verdict for hop %d path %s, got:" % (hop, addr),
            json.dumps(tr.get("loss_verdicts")))
    v = v[0]
    problems = []
    if v["verdict"] != want:
        problems.append("verdict %r, want %r" % (v["verdict"], want))
    if v["sent"] != p[0]["sent"] or v["lost"] != p[0]["sent"] - p[0]["received"]:
        problems.append("sent %d lost %d, the path's JSON says %d and %d"
                        % (v["sent"], v["lost"], p[0]["sent"],
                           p[0]["sent"] - p[0]["received"]))
    if lost != "-" and v["lost"] != int(lost):
        problems.append("lost %d, the router dropped %s" % (v["lost"], lost))
    c = v["compared_with"]
    if c["ttl"] != dest_ttl or c["destination"] is not True:
        problems.append("compared with %r, want the destination at %d"
                        % (c, dest_ttl))
    if c["sent"] != v["sent"]:
        problems.append("the destination's probes of the same flows: %d, "
                        "want %d as at the hop" % (c["sent"], v["sent"]))
    if want == "own" and c["lost"] != 0:
        problems.append("the destination lost %d, want 0" % c["lost"])
    if problems:
        die("hop %d path %s:" % (hop, addr), *problems, json.dumps(v))

kind, path = sys.argv[1], sys.argv[2]
a = sys.argv[3:]
if kind == "text":
    text(path, int(a[0]), a[1:])
elif kind == "jsonhop":
    jsonhop(path, int(a[0]), int(a[1]), a[2:])
elif kind == "jsonpaths":
    jsonpaths(path, int(a[0]), int(a[1]), a[2:])
elif kind == "pathloss":
    pathloss(path, int(a[0]), a[1], float(a[2]), float(a[3]))
elif kind == "flowheld":
    flowheld(path)
elif kind == "jsontrace":
    jsontrace(path, int(a[0]), a[1])
elif kind == "csvhop":
    csvhop(path, int(a[0]), int(a[1]), a[2:])
elif kind == "report":
    report(path, int(a[0]), int(a[1]), a[2:])
elif kind == "verdict":
    verdict(path, int(a[0]), a[1], a[2], int(a[3]), a[4])
else:
    die("unknown check " + kind)

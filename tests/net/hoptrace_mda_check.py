#!/usr/bin/python3
"""hoptrace_mda_check.py: the MDA stopping rule, computed on its own, and
the checks of hoptrace --mda's JSON for net_hoptrace_mda.sh (stdlib only).

    hoptrace_mda_check.py stops CONFIDENCE K
        print n_1 .. n_K at CONFIDENCE percent, one a line

    hoptrace_mda_check.py runs CONFIDENCE LABEL WAYS HOPSPEC... -- FILE...
        check every FILE (the -j output of one run each), then print "# "
        lines with the flows the runs used (min/median/max) and how many
        found every next hop.  HOPSPEC is TTL=ADDR,ADDR,...: the next
        hops behind one balancer, all of which that hop must show in a
        complete run, and none but which in any run.  WAYS is the
        balancers' widths, "4,2": the lab's, hashed independently.

    hoptrace_mda_check.py atleast FILE OTHER...
        the run in FILE used at least as many flows as each run in OTHER

The stopping points (Veitch, Augustin, Friedman, Teixeira, "Failure
control in multipath route tracing", INFOCOM 2009; the MDA's n_k): with k
next hops seen, the hypothesis is that there are k+1, over which flows
spread evenly; n_k is the least number of flows after which the chance
that some one of the k+1 is still unseen is at most 1 - confidence.
This file gets that chance by walking the number of distinct next hops
seen, flow by flow, as a Markov chain in exact fractions (a flow finds a
new one with probability (m - j) / m when j of m are seen), not by the
inclusion-exclusion sum that src/mda.c evaluates in doubles; and it checks
its own result against the table the MDA papers print for 95%.

The flows a run may use: the rule starts with n_1 flows at every hop and
adds, whenever the first cycle's answers are in, what the neediest hop
lacks (a hop with K responders and A answered flows lacks n_K - A).  A
run whose busiest hop shows K responders ends with at least n_K flows
(that hop must have n_K answered flows) and with no more than n_K plus
the flows some one hop left unanswered (each lost flow is replaced once);
without loss, exactly n_K.  In this lab K is at most 4 (r1's balancer):
no run may use more than n_4 flows plus its losses.

"Every next hop in 20 runs out of 20" is more than the rule promises: at
95% a hop with k next hops seen stops at n_k, and with k+1 there that
leaves one unseen with chance up to 5%.  Behind r1's four next hops a run
stops at n_3 = 16 flows with three of them seen with chance about 4%, so
20 complete runs of 20 happen in less than half of all series.  The runs
check therefore holds every run to the rule (no address that is not a
next hop, the flows exactly where the rule stops for what it saw) and
the number of incomplete runs to what the rule's own miss chance allows:
the exact chance that the rule, run on this lab's balancers with flows
spread evenly, stops before it has seen every next hop (miss_probability
below) gives the most misses that 20 runs show with chance 1 - 1e-4.
"""
import json
import statistics
import sys
from fractions import Fraction
from math import comb

# The published stopping points for 95% (Augustin, Friedman, Teixeira,
# "Multipath tracing with Paris traceroute", E2EMON 2007, table 1), to
# catch a mistake in the computation below.
PUBLISHED_95 = [6, 11, 16, 21, 27, 33, 38, 44, 51, 57, 63]

# Beyond any budget a run has (64 flows): the search gives up there.
MAX_FLOWS = 2000


def miss_chance(flows, hops):
    """The chance that FLOWS flows, each to one of HOPS next hops with
    equal probability, leave at least one of them unseen (exact)."""
    # seen[j]: the chance that exactly j distinct next hops have been seen.
    seen = [Fraction(0)] * (hops + 1)
    seen[0] = Fraction(1)
    for _ in range(flows):
        nxt = [Fraction(0)] * (hops + 1)
        for j, p in enumerate(seen):
            if not p:
                continue
            nxt[j] += p * Fraction(j, hops)
            if j < hops:
                nxt[j + 1] += p * Fraction(hops - j, hops)
        seen = nxt
    return 1 - seen[hops]


def stop_points(confidence, kmax):
    """n_1 .. n_kmax at CONFIDENCE percent."""
    alpha = 1 - Fraction(confidence, 100)
    out = []
    n = 1
    for k in range(1, kmax + 1):
        # n_k grows with k: start the search at n_(k-1).
        while miss_chance(n, k + 1) > alpha:
            n += 1
            if n > MAX_FLOWS:
                raise SystemExit("no stopping point for k=%d below %d"
                                 % (k, MAX_FLOWS))
        out.append(n)
    return out


def coverage_step(dist, ways, flows):
    """DIST (distinct next hops seen -> chance) after FLOWS more flows
    over WAYS even next hops."""
    for _ in range(flows):
        nxt = {}
        for seen, p in dist.items():
            nxt[seen] = nxt.get(seen, 0) + p * Fraction(seen, ways)
            if seen < ways:
                nxt[seen + 1] = (nxt.get(seen + 1, 0) +
                                 p * Fraction(ways - seen, ways))
        dist = nxt
    return dist


def miss_probability(ways, confidence, budget=64):
    """The chance that hoptrace's rule (start with n_1 flows at every
    hop; whenever they are in, go on to n_K for the largest K any hop
    shows, until that many are in) stops before every balancer of WAYS
    (their widths, hashed independently, no loss) has shown all its next
    hops."""
    stops = stop_points(confidence, max(ways))
    start = stops[0]
    # State: (flows sent, next hops seen behind each balancer) -> chance;
    # first the joint distribution after the first n_1 flows.
    combos = [((), Fraction(1))]
    for w in ways:
        step = coverage_step({0: Fraction(1)}, w, start)
        combos = [(c + (k,), p * q) for c, p in combos
                  for k, q in step.items()]
    states = {}
    for c, p in combos:
        key = (start,) + c
        states[key] = states.get(key, 0) + p
    miss = Fraction(0)
    while states:
        nxt = {}
        for key, p in states.items():
            flows, seen = key[0], key[1:]
            want = min(stops[max(seen) - 1], budget)
            if want <= flows:
                if any(k < w for k, w in zip(seen, ways)):
                    miss += p
                continue
            combos = [((), p)]
            for k, w in zip(seen, ways):
                step = coverage_step({k: Fraction(1)}, w, want - flows)
                combos = [(c + (k2,), q * r) for c, q in combos
                          for k2, r in step.items()]
            for c, q in combos:
                nkey = (want,) + c
                nxt[nkey] = nxt.get(nkey, 0) + q
        states = nxt
    return miss


def most_misses(runs, p, tail=Fraction(1, 10000)):
    """The least M such that RUNS runs, each missing with chance P, miss
    more than M times with chance at most TAIL."""
    above = Fraction(1)
    for m in range(runs + 1):
        above -= comb(runs, m) * p ** m * (1 - p) ** (runs - m)
        if above <= tail:
            return m
    return runs


def self_check():
    got = stop_points(95, len(PUBLISHED_95))
    if got != PUBLISHED_95:
        raise SystemExit("the computed 95%% stopping points %r differ from "
                         "the published %r" % (got, PUBLISHED_95))


def load_trace(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    traces = doc.get("traces", [])
    if len(traces) != 1:
        raise ValueError("want one trace, got %d" % len(traces))
    return traces[0]


def responders(hop):
    return sorted(r["address"] for r in hop["responders"])


def unanswered_flows(hop):
    """Flows of the hop none of whose probes was answered."""
    return sum(len(p["flows"]) for p in hop["paths"]
               if p["address"] is None)


def check_run(path, confidence, want_hops, stops):
    """The problems of one run (a list, empty when fine), its flows, and
    whether it showed every next hop."""
    problems = []
    tr = load_trace(path)
    flows = tr.get("mda_flows")
    if tr.get("mda") != confidence:
        problems.append("mda %r, want %d" % (tr.get("mda"), confidence))
    if not tr.get("reached"):
        problems.append("not reached: %s" % tr.get("detail"))
    if tr.get("mda_capped") is not False:
        problems.append("mda_capped %r, want false" % tr.get("mda_capped"))
    if not isinstance(flows, int):
        return problems + ["no mda_flows: %r" % flows], None, False
    hops = {h["ttl"]: h for h in tr["hops"]}
    complete = True
    for ttl, want in sorted(want_hops.items()):
        if ttl not in hops:
            problems.append("no hop %d" % ttl)
            continue
        got = responders(hops[ttl])
        if not got or not set(got) <= set(want):
            problems.append("hop %d: responders %r, want some of %r and "
                            "nothing else" % (ttl, got, sorted(want)))
        elif got != sorted(want):
            complete = False
            print("# %s: hop %d shows %d of its %d next hops, %s; "
                  "lacking %s" % (path.rsplit("/", 1)[-1], ttl, len(got),
                                  len(want), " ".join(got),
                                  " ".join(sorted(set(want) - set(got)))))
    lost = 0
    widest = 1
    for ttl, h in sorted(hops.items()):
        # Every hop up to the target probed the same flows, once each
        # (-q 1 -c 1), each flow in one path.
        if h["sent"] != flows:
            problems.append("hop %d: sent %r, want the %d flows"
                            % (ttl, h["sent"], flows))
        in_paths = [f for p in h["paths"] for f in p["flows"]]
        if len(in_paths) != flows or len(set(in_paths)) != flows:
            problems.append("hop %d: the paths' flows %r, want %d distinct"
                            % (ttl, in_paths, flows))
        if h["per_packet"] is not None:
            problems.append("hop %d: per_packet %r, want null (the lab "
                            "balances per flow)" % (ttl, h["per_packet"]))
        lost = max(lost, unanswered_flows(h))
        widest = max(widest, len(h["responders"]))
    if widest > len(stops):
        problems.append("a hop with %d responders: more than any balancer"
                        % widest)
        return problems, flows, complete
    low = stops[widest - 1]
    high = low + lost
    if not low <= flows <= high:
        problems.append("mda_flows %d outside the rule's bound [%d, %d] "
                        "(%d responders at one hop: n_%d = %d; %d flows "
                        "lost at one hop at most)"
                        % (flows, low, high, widest, widest, low, lost))
    return problems, flows, complete


def parse_hopspecs(args):
    want = {}
    for spec in args:
        ttl, _, addrs = spec.partition("=")
        want[int(ttl)] = [a for a in addrs.split(",") if a]
    return want


def cmd_runs(argv):
    confidence, label = int(argv[0]), argv[1]
    ways = [int(w) for w in argv[2].split(",")]
    rest = argv[3:]
    if "--" not in rest:
        raise SystemExit("runs: HOPSPEC... -- FILE...")
    cut = rest.index("--")
    want_hops = parse_hopspecs(rest[:cut])
    files = rest[cut + 1:]
    stops = stop_points(confidence, max(ways))
    p_miss = miss_probability(ways, confidence)
    allowed = most_misses(len(files), p_miss)
    bad = 0
    counts = []
    incomplete = 0
    for path in files:
        try:
            problems, flows, complete = check_run(path, confidence,
                                                  want_hops, stops)
        except (OSError, ValueError, KeyError, TypeError) as err:
            problems, flows, complete = ["unreadable: %r" % err], None, False
        if flows is not None:
            counts.append(flows)
        if not complete:
            incomplete += 1
        if problems:
            bad += 1
            print("%s: %s" % (path, "; ".join(problems)))
    if counts:
        print("# %s: flows used min/median/max %d/%g/%d over %d runs "
              "(the rule's bound: n_K for the most responders K a hop "
              "showed, at most n_%d = %d, plus lost flows)"
              % (label, min(counts), statistics.median(counts), max(counts),
                 len(counts), max(ways), stops[max(ways) - 1]))
    print("# %s: %d of %d runs found every next hop; the rule misses one "
          "here with chance %.2f%% a run, so up to %d of %d may miss"
          % (label, len(files) - incomplete, len(files),
             100 * float(p_miss), allowed, len(files)))
    if incomplete > allowed:
        print("%d runs missed a next hop, more than the %d the rule allows"
              % (incomplete, allowed))
        return 1
    return 1 if bad or not files else 0


def cmd_atleast(argv):
    path, others = argv[0], argv[1:]
    most = 0
    for other in others:
        flows = load_trace(other).get("mda_flows")
        if not isinstance(flows, int):
            print("%s: no mda_flows" % other)
            return 1
        most = max(most, flows)
    flows = load_trace(path).get("mda_flows")
    if not isinstance(flows, int) or flows < most:
        print("%s: mda_flows %r, fewer than the %d of a run in %s"
              % (path, flows, most, " ".join(others)))
        return 1
    print("# %s: %d flows, the most of the %d other runs %d"
          % (path.rsplit("/", 1)[-1], flows, len(others), most))
    return 0


def main(argv):
    self_check()
    if len(argv) == 3 and argv[0] == "miss":
        ways = [int(w) for w in argv[2].split(",")]
        print("%.6f" % float(miss_probability(ways, int(argv[1]))))
        return 0
    if len(argv) >= 3 and argv[0] == "stops":
        for n in stop_points(int(argv[1]), int(argv[2])):
            print(n)
        return 0
    if len(argv) >= 4 and argv[0] == "runs":
        return cmd_runs(argv[1:])
    if len(argv) >= 3 and argv[0] == "atleast":
        return cmd_atleast(argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

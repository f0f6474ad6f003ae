#!/usr/bin/python3
"""vantage_check.py: checks of hoptrace -j output for net_hoptrace_vantage.sh.

Each command prints one line per check, "ok<TAB>DESCRIPTION" or
"not-ok<TAB>DESCRIPTION", and notes as "#<TAB>TEXT"; the calling script
turns them into its own numbered results.  Every expected value comes
from the command line (the lab's topology in vantage_lib.sh), never from
hoptrace's output.

    vantage_check.py path LABEL FILE FAMILY HOP...
        FILE: hoptrace -j output of one trace.  The trace is of FAMILY
        (4 or 6), reached its target at distance len(HOP), and the hop at
        ttl K was answered by HOP number K alone (the last HOP is the
        target).

    vantage_check.py each LABEL FILE FAMILY NAME=HOP,HOP,... ...
        FILE: hoptrace --each -j output of one target from the workers
        NAME..., in that order.  One trace per worker, named so in its
        "worker", in --worker order, and each as `path` says for its HOPs.

    vantage_check.py lost LABEL FILE LOST TARGET SILENT NAME=HOPS ...
        FILE: hoptrace --each --jsonl output of TARGET and SILENT from the
        workers NAME... (in --worker order), the worker LOST killed while
        its probes to SILENT were out.  LOST's trace to SILENT ends with
        its worker lost, holding worker-lost probes, one record per probe,
        as many as the one worker-lost record counts; every other worker
        reaches TARGET along its HOPS and ends at SILENT with no answer,
        its routers (the HOPS but the last) answering; exit status 4.

    vantage_check.py rtt LABEL LOCAL REMOTE BOUND_US
        LOCAL, REMOTE: hoptrace -j output of the same trace through two
        workers in one namespace.  For every ttl the median of the probes'
        rtt_us differs by at most BOUND_US between the two.
"""

import json
import statistics
import sys


def say(status, text):
    print("%s\t%s" % (status, text.replace("\n", " ")))


def check(cond, text):
    say("ok" if cond else "not-ok", text)
    return cond


def load_one_trace(label, path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    traces = doc.get("traces", [])
    if not check(len(traces) == 1, "%s: one trace in %s (got %d)"
                 % (label, path, len(traces))):
        return None
    return traces[0]


def cmd_path(label, path, family, hops):
    trace = load_one_trace(label, path)
    if trace is None:
        return
    check(trace.get("family") == int(family), "%s: family %s (got %s)"
          % (label, family, trace.get("family")))
    check(trace.get("reached") is True and trace.get("distance") == len(hops),
          "%s: reached at hop %d (got reached=%s distance=%s)"
          % (label, len(hops), trace.get("reached"), trace.get("distance")))
    seen = {}
    for hop in trace.get("hops", []):
        seen[hop["ttl"]] = sorted(r["address"] for r in hop.get("responders", []))
    got = [seen.get(ttl) for ttl in range(1, len(hops) + 1)]
    want = [[h] for h in hops]
    check(got == want, "%s: responders per ttl %s (got %s)"
          % (label, want, got))


def responders(trace):
    seen = {}
    for hop in trace.get("hops", []):
        seen[hop["ttl"]] = sorted(r["address"] for r in hop.get("responders", []))
    return seen


def parse_named(specs):
    out = []
    for spec in specs:
        name, _, hops = spec.partition("=")
        out.append((name, [h for h in hops.split(",") if h]))
    return out


def cmd_each(label, path, family, specs):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    want = parse_named(specs)
    traces = doc.get("traces", [])
    if not check(len(traces) == len(want), "%s: %d traces (got %d)"
                 % (label, len(want), len(traces))):
        return
    check([w["name"] for w in doc.get("workers", [])] == [n for n, _ in want],
          "%s: the document lists the workers %s (got %s)"
          % (label, [n for n, _ in want], doc.get("workers")))
    for trace, (name, hops) in zip(traces, want):
        where = "%s, %s" % (label, name)
        check(trace.get("worker") == name, "%s: the trace says worker %s "
              "(got %r)" % (where, name, trace.get("worker")))
        check(trace.get("family") == int(family) and
              trace.get("reached") is True and
              trace.get("distance") == len(hops),
              "%s: IPv%s, reached at hop %d (got family %s reached %s "
              "distance %s)" % (where, family, len(hops), trace.get("family"),
                                trace.get("reached"), trace.get("distance")))
        seen = responders(trace)
        got = [seen.get(ttl) for ttl in range(1, len(hops) + 1)]
        check(got == [[h] for h in hops], "%s: responders per ttl %s (got "
              "%s)" % (where, [[h] for h in hops], got))


def cmd_lost(label, path, lost, target, silent, specs):
    want = parse_named(specs)
    names = [n for n, _ in want]
    recs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            recs.append(json.loads(line))
    starts = {r["trace"]: r for r in recs if r.get("type") == "trace-start"}
    ends = {r["trace"]: r for r in recs if r.get("type") == "trace-end"}
    hops = {}
    probes = {}
    for r in recs:
        if r.get("type") == "hop":
            hops.setdefault(r["trace"], {})[r["ttl"]] = sorted(
                x["address"] for x in r.get("responders", []))
        elif r.get("type") == "probe":
            probes.setdefault(r["trace"], []).append(r)
    by = {(s.get("target"), s.get("worker")): i for i, s in starts.items()}
    for name, path_hops in want:
        for dest in (target, silent):
            if not check((dest, name) in by, "%s: a trace of %s from %s"
                         % (label, dest, name)):
                return
    for name, path_hops in want:
        if name == lost:
            continue
        t, s = by[(target, name)], by[(silent, name)]
        got = [hops.get(t, {}).get(k) for k in range(1, len(path_hops) + 1)]
        check(ends.get(t, {}).get("reason") == "reached" and
              got == [[h] for h in path_hops],
              "%s: %s reaches %s along its own hops (got %s, %s)"
              % (label, name, target, ends.get(t, {}).get("reason"), got))
        routers = path_hops[:-1]
        got = [hops.get(s, {}).get(k) for k in range(1, len(routers) + 1)]
        check(ends.get(s, {}).get("reason") == "no-answer" and
              got == [[h] for h in routers],
              "%s: %s ends at %s with no answer past its routers (got %s, "
              "%s)" % (label, name, silent, ends.get(s, {}).get("reason"), got))
        check(not [p for p in probes.get(s, []) + probes.get(t, [])
                   if p.get("result") == "worker-lost"],
              "%s: no probe of %s is worker-lost" % (label, name))
    s = by[(silent, lost)]
    end = ends.get(s, {})
    check(end.get("reason") == "worker-lost" and
          lost in (end.get("detail") or ""),
          "%s: %s's trace to %s ends with its worker lost (got %s: %s)"
          % (label, lost, silent, end.get("reason"), end.get("detail")))
    gone = [p for t in (by[(target, lost)], s) for p in probes.get(t, [])
            if p.get("result") == "worker-lost"]
    records = [r for r in recs if r.get("type") == "worker-lost"]
    check(len(records) == 1 and records[0].get("worker") == lost,
          "%s: one worker-lost record, for %s (got %s)" % (label, lost,
                                                           records))
    check(len(gone) > 0 and records and
          records[0].get("probes_lost") == len(gone),
          "%s: %s's probes out became worker-lost records, as many as the "
          "worker-lost record counts (%d records, it says %s)"
          % (label, lost, len(gone),
             records[0].get("probes_lost") if records else None))
    say("#", "%s: %d probes of %s lost with it" % (label, len(gone), lost))
    ends_run = [r for r in recs if r.get("type") == "run-end"]
    check(len(ends_run) == 1 and ends_run[0].get("exit_status") == 4,
          "%s: the run-end says exit status 4 (got %s)" % (label, ends_run))


def medians(trace):
    out = {}
    for hop in trace.get("hops", []):
        rtts = [p["rtt_us"] for p in hop.get("probes", [])
                if p.get("rtt_us") is not None]
        if rtts:
            out[hop["ttl"]] = statistics.median(rtts)
    return out


def cmd_rtt(label, local_path, remote_path, bound_us):
    local = load_one_trace(label + " (local)", local_path)
    remote = load_one_trace(label + " (remote)", remote_path)
    if local is None or remote is None:
        return
    ml, mr = medians(local), medians(remote)
    if not check(ml and sorted(ml) == sorted(mr),
                 "%s: both answered at the same ttls (%s, %s)"
                 % (label, sorted(ml), sorted(mr))):
        return
    for ttl in sorted(ml):
        say("#", "%s: ttl %d median rtt local %.0f us, remote %.0f us"
            % (label, ttl, ml[ttl], mr[ttl]))
        check(abs(ml[ttl] - mr[ttl]) <= bound_us,
              "%s: ttl %d medians within %d us (local %.0f, remote %.0f)"
              % (label, ttl, bound_us, ml[ttl], mr[ttl]))


def main(argv):
    if len(argv) >= 5 and argv[1] == "path":
        cmd_path(argv[2], argv[3], argv[4], argv[5:])
    elif len(argv) >= 6 and argv[1] == "each":
        cmd_each(argv[2], argv[3], argv[4], argv[5:])
    elif len(argv) >= 8 and argv[1] == "lost":
        cmd_lost(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7:])
    elif len(argv) == 6 and argv[1] == "rtt":
        cmd_rtt(argv[2], argv[3], argv[4], int(argv[5]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Checks of net_hoptrace_workers.sh on hoptrace's JSON and JSON Lines.

  workers_check.py isolation DOC.json NAMES TARGET=NAME=ADDR,... ...
      DOC is a --each -j run of the workers NAMES (comma separated, in
      --worker order).  For each TARGET, the lab's hops: ttl 1 is the
      first NAME=ADDR, ttl 2 the second, ...; a target listed among its
      own hops answers with a reply there, anything past the listed hops
      is silent.  Every probe of every trace must be answered exactly as
      the lab says (time exceeded from the hop's router, the target's
      reply, or nothing), and each (target, worker) traced once.  NAMES
      "-": a run of one worker, its traces unnamed.
  workers_check.py split DOC.json NAME=COUNT,...
      DOC is a --split -j run: each worker traced COUNT targets, and
      every trace reached its target.
  workers_check.py killed RUN.jsonl LOST KEPT TARGET BLACKHOLE
      RUN is a --each --jsonl run of the workers KEPT and LOST (in that
      order) to TARGET and BLACKHOLE, LOST killed while its probes to
      BLACKHOLE were out: LOST's trace to BLACKHOLE ends with its worker
      lost and holds worker-lost probes (one probe record each, as many
      as the worker-lost record counts); KEPT reaches TARGET and ends at
      BLACKHOLE with no answer; the run's exit status is 4.

Exit status 0 when all holds; otherwise the problems on stdout, exit 1.
"""
import json
import sys

LOST_RESULTS = ("worker-lost", "worker-failed")
LOST_REASONS = ("worker-lost", "worker-failed")


def worker_of(trace, names, each):
    """The worker a trace went to: its record's, else --each's order."""
    if names == [None]:
        return None
    if trace.get("worker") is not None:
        return trace["worker"]
    if each:
        return names[trace["index"] % len(names)]
    return None


def parse_paths(specs):
    paths = {}
    for spec in specs:
        target, _, hops = spec.partition("=")
        paths[target] = [h.partition("=")[2] for h in hops.split(",") if h]
    return paths


def isolation(path, names, specs):
    problems = []
    names = names.split(",") if names != "-" else [None]
    paths = parse_paths(specs)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    seen = {}
    for trace in doc.get("traces", []):
        who = worker_of(trace, names, True)
        target = trace.get("target")
        key = (target, who)
        seen[key] = seen.get(key, 0) + 1
        hops = paths.get(target)
        if hops is None:
            problems.append("trace %s: target %r not in the lab"
                            % (trace.get("index"), target))
            continue
        where = "%s from %s" % (target, who)
        for hop in trace.get("hops", []):
            ttl = hop["ttl"]
            want = hops[ttl - 1] if ttl <= len(hops) else None
            for probe in hop.get("probes", []):
                got, res = probe.get("address"), probe.get("result")
                if want is None:
                    ok = res == "no-reply" and got is None
                    what = "silent"
                elif want == target:
                    ok = res == "reply" and got == want
                    what = "reply from %s" % want
                else:
                    ok = res == "ttl-expired" and got == want
                    what = "ttl-expired from %s" % want
                if not ok:
                    problems.append("%s: ttl %d cycle %s query %s: %s from "
                                    "%s, want %s" % (where, ttl,
                                                     probe.get("cycle"),
                                                     probe.get("query"),
                                                     res, got, what))
        sent = sum(h.get("sent", 0) for h in trace.get("hops", []))
        if sent == 0:
            problems.append("%s: no probe recorded" % where)
    for target in paths:
        for who in names:
            if seen.get((target, who), 0) != 1:
                problems.append("%s from %s traced %d times, want 1"
                                % (target, who, seen.get((target, who), 0)))
    return problems


def split(path, spec):
    problems = []
    want = {}
    for part in spec.split(","):
        name, _, count = part.partition("=")
        want[name] = int(count)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    got = {}
    for trace in doc.get("traces", []):
        who = trace.get("worker")
        got[who] = got.get(who, 0) + 1
        if trace.get("reached") is not True:
            problems.append("trace %s to %s (%s) not reached: %s"
                            % (trace.get("index"), trace.get("target"), who,
                               trace.get("detail")))
    if got != want:
        problems.append("traces per worker %r, want %r" % (got, want))
    return problems


def killed(path, lost, kept, target, blackhole):
    problems = []
    records = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                records.append(json.loads(line))
            except ValueError as e:
                problems.append("line %d is not JSON: %s" % (n, e))
    names = [kept, lost]
    starts, ends, probes, lost_recs = {}, {}, {}, []
    run_end = None
    for r in records:
        kind = r.get("type")
        if kind == "trace-start":
            starts[r["trace"]] = r
        elif kind == "trace-end":
            ends[r["trace"]] = r
        elif kind == "probe":
            probes.setdefault(r["trace"], []).append(r)
        elif kind == "worker-lost":
            lost_recs.append(r)
        elif kind == "run-end":
            run_end = r
    by = {}
    for index, start in starts.items():
        trace = dict(start, index=index)
        by[(start.get("target"), worker_of(trace, names, True))] = index
    for key in ((target, kept), (blackhole, kept), (target, lost),
                (blackhole, lost)):
        if key not in by:
            problems.append("no trace of %s from %s" % key)
    if problems:
        return problems

    def end_of(key):
        return ends.get(by[key], {})

    if end_of((target, kept)).get("reason") != "reached":
        problems.append("%s from %s: %r, want reached" % (
            target, kept, end_of((target, kept)).get("reason")))
    if end_of((blackhole, kept)).get("reason") != "no-answer":
        problems.append("%s from %s: %r, want no-answer" % (
            blackhole, kept, end_of((blackhole, kept)).get("reason")))
    for key in ((target, kept), (blackhole, kept)):
        bad = [p for p in probes.get(by[key], [])
               if p.get("result") in LOST_RESULTS]
        if bad:
            problems.append("%s from %s: %d probes lost with a worker"
                            % (key[0], key[1], len(bad)))
    end = end_of((blackhole, lost))
    if end.get("reason") not in LOST_REASONS:
        problems.append("%s from %s: reason %r, want its worker lost"
                        % (blackhole, lost, end.get("reason")))
    elif lost not in (end.get("detail") or ""):
        problems.append("%s from %s: detail %r does not name the worker"
                        % (blackhole, lost, end.get("detail")))
    gone = [p for p in probes.get(by[(blackhole, lost)], [])
            if p.get("result") in LOST_RESULTS]
    if not gone:
        problems.append("%s from %s: no worker-lost probe" % (blackhole,
                                                              lost))
    # Its trace to the target finished before the kill, or was cut too.
    if end_of((target, lost)).get("reason") not in ("reached",) + \
            LOST_REASONS:
        problems.append("%s from %s: %r" % (target, lost,
                                            end_of((target, lost))))
    cut = [p for key in ((target, lost), (blackhole, lost))
           for p in probes.get(by[key], []) if p.get("result") in
           LOST_RESULTS]
    if lost_recs:
        if len(lost_recs) != 1 or lost_recs[0].get("worker") != lost:
            problems.append("worker-lost records %r, want one for %s"
                            % (lost_recs, lost))
        elif lost_recs[0].get("probes_lost") != len(cut):
            problems.append("worker-lost says %r probes, %d probe records "
                            "say worker-lost"
                            % (lost_recs[0].get("probes_lost"), len(cut)))
    if run_end is None or run_end.get("exit_status") != 4:
        problems.append("run-end %r, want exit_status 4" % (run_end,))
    return problems


def main(argv):
    if len(argv) >= 4 and argv[1] == "isolation":
        problems = isolation(argv[2], argv[3], argv[4:])
    elif len(argv) == 4 and argv[1] == "split":
        problems = split(argv[2], argv[3])
    elif len(argv) == 7 and argv[1] == "killed":
        problems = killed(*argv[2:])
    else:
        sys.stderr.write(__doc__)
        return 2
    for p in problems[:40]:
        print(p)
    if len(problems) > 40:
        print("... and %d more" % (len(problems) - 40))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

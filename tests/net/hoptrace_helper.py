#!/usr/bin/python3
"""hoptrace_helper.py: checks and measurements for hoptrace's network tests.

Used by tests/net/net_hoptrace_scale.sh and tests/bench/hoptrace_bench.sh.
The check commands (given --label TEXT first, every description starts
with TEXT) read hoptrace's output and print one line per check,
"ok<TAB>DESCRIPTION" or "not-ok<TAB>DESCRIPTION", and notes as
"#<TAB>TEXT"; the calling script turns them into its own ok/not_ok lines,
so that it keeps the count.  Every expected value comes from the command
line (the lab's known topology), never from hoptrace's output.

    hoptrace_helper.py [--label TEXT] scale-jsonl FILE TARGETS EXIT HOPS
        FILE: hoptrace --jsonl output; TARGETS: the target file given to
        hoptrace (one address a line); EXIT: the expected exit status;
        HOPS: the routers before the target, per family, as
        "4=192.0.2.1,192.0.2.66;6=2001:db8:1::1,2001:db8:2::2".  Every
        target must be traced exactly once, reached at distance
        len(routers) + 1, hop i answered by router i only and the last hop
        by the target itself.

    hoptrace_helper.py [--label TEXT] scale-csv FILE TARGETS HOPS
        The same for hoptrace --csv output (one row per hop).

    hoptrace_helper.py [--label TEXT] mpls-json FILE TARGET RESPONDERS STACKS
        FILE: hoptrace -j output of one trace to TARGET; RESPONDERS: the
        addresses of hops 1.. (comma separated, the last the target);
        STACKS: the label stack each hop must carry in every probe, as
        "l,tc,s,ttl,...", separated by ";" (empty: no labels).

    hoptrace_helper.py worker-rusage OUT -- CMD...
        A worker wrapper for the benchmark: runs CMD (the worker), copies
        standard input to it counting the send-probe requests, passes
        SIGTERM on, and when CMD has ended writes to OUT (JSON) CMD's own
        CPU time (from wait4), this wrapper's CPU time including CMD's
        (self + children) and the number of requests, then exits with
        CMD's status.

    hoptrace_helper.py measure OUT -- CMD...
        Runs CMD (hoptrace) and writes to OUT (JSON) its wall time, exit
        status and CPU time from wait4 (which includes its reaped
        children: the worker wrapper above).

    hoptrace_helper.py bench-report DIR RUNS
        Prints the benchmark's numbers for the instrumented runs 1..RUNS
        in DIR (measure.K.json, worker.K.json, out.K.jsonl), one row a
        run and a row of medians: probes (probe records in the JSONL) and
        requests the worker got, wall time, hoptrace's own CPU (measure
        minus the whole worker wrapper) and the worker's CPU (wait4 of
        hopprobe), per probe record and per request, and their ratio.

    hoptrace_helper.py median RUNS TIMEOUT OUT -- CMD...
        Runs CMD RUNS times (output to /dev/null, each bounded by TIMEOUT
        seconds) and prints "MEDIAN_S MIN_S MAX_S STATUSES".
"""

import collections
import csv
import json
import os
import resource
import signal
import subprocess
import sys
import time


def say(status, text):
    print("%s\t%s" % (status, text.replace("\n", " ")))


def ok(text):
    say("ok", text)


def not_ok(text):
    say("not-ok", text)


def note(text):
    say("#", text)


LABEL = ""


def check(cond, text, detail=""):
    """One verdict; DETAIL is shown only when the check fails."""
    text = LABEL + text
    if cond:
        ok(text)
    else:
        not_ok(text + (": " + detail if detail else ""))
    return bool(cond)


def read_targets(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


def family_of(addr):
    return 6 if ":" in addr else 4


def parse_hops(spec):
    """"4=a,b;6=c,d" -> {4: [a, b], 6: [c, d]}."""
    hops = {}
    for part in spec.split(";"):
        if not part:
            continue
        fam, addrs = part.split("=", 1)
        hops[int(fam)] = [a for a in addrs.split(",") if a]
    return hops


def shown(items, limit=5):
    items = list(items)
    text = ", ".join(str(i) for i in items[:limit])
    if len(items) > limit:
        text += ", ... (%d in all)" % len(items)
    return text


# ---- scale-jsonl -------------------------------------------------------------

def scale_jsonl(path, targets_path, want_exit, hops_spec):
    targets = read_targets(targets_path)
    hops = parse_hops(hops_spec)
    want = set(targets)
    n = len(targets)
    records = []
    bad = 0
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                records.append(json.loads(raw))
            except ValueError:
                bad += 1
                if bad <= 3:
                    note("line %d is not JSON: %r" % (lineno, raw[:120]))
    check(bad == 0 and records, "every line is a JSON record (%d)"
          % len(records), "%d bad" % bad)

    by_type = {}
    for r in records:
        by_type.setdefault(r.get("type"), []).append(r)
    note(LABEL + "record types: %s" % ", ".join(
        "%s %d" % (t, len(v)) for t, v in sorted(by_type.items(),
                                                  key=lambda x: str(x[0]))))

    starts = by_type.get("run-start", [])
    check(len(starts) == 1 and starts[0].get("target_count") == n,
          "one run-start with target_count %d" % n,
          "got %s" % [s.get("target_count") for s in starts])

    # trace-start: one per target, indexes 0..n-1, addresses = targets.
    tstarts = by_type.get("trace-start", [])
    index_of = {}
    dup_index = []
    for r in tstarts:
        i = r.get("trace")
        if i in index_of:
            dup_index.append(i)
        index_of[i] = r
    check(len(tstarts) == n and not dup_index
          and set(index_of) == set(range(n)),
          "%d trace-start records, indexes 0..%d once each" % (n, n - 1),
          "got %d, duplicated: %s" % (len(tstarts), shown(dup_index)))
    addrs = [r.get("address") for r in tstarts]
    dup_addr = sorted(a for a, c in collections.Counter(addrs).items()
                      if c > 1)
    check(set(addrs) == want and not dup_addr,
          "the traces' addresses are exactly the %d targets, none twice" % n,
          "missing: %s; extra: %s; twice: %s"
          % (shown(sorted(want - set(addrs))),
             shown(sorted(set(addrs) - want)), shown(dup_addr)))
    in_order = all(index_of.get(i, {}).get("target") == targets[i]
                   for i in range(n))
    check(in_order, "trace i is the i-th target of the file")

    # trace-end: one per trace, reached at the known distance.
    ends = by_type.get("trace-end", [])
    end_of = {}
    dup_end = []
    for r in ends:
        i = r.get("trace")
        if i in end_of:
            dup_end.append(i)
        end_of[i] = r
    check(len(ends) == n and not dup_end and set(end_of) == set(range(n)),
          "%d trace-end records, one per trace, none duplicated" % n,
          "got %d; duplicated: %s; missing: %s"
          % (len(ends), shown(dup_end),
             shown(sorted(set(range(n)) - set(end_of)))))
    wrong = []
    for i, r in sorted(end_of.items(), key=lambda x: str(x[0])):
        addr = index_of.get(i, {}).get("address", "?")
        dist = len(hops.get(family_of(addr), [])) + 1
        if not (r.get("reached") is True and r.get("reason") == "reached"
                and r.get("distance") == dist and r.get("last_ttl") == dist):
            wrong.append("%s: reached %r reason %r distance %r last_ttl %r "
                         "(want distance %d)"
                         % (addr, r.get("reached"), r.get("reason"),
                            r.get("distance"), r.get("last_ttl"), dist))
    check(not wrong and end_of,
          "every trace-end says reached, reason reached, distance and "
          "last_ttl the lab's hop count",
          "%d wrong: %s" % (len(wrong), shown(wrong, 3)))

    # hop records: hops 1..distance once each, the known responders.
    hop_seen = {}
    wrong = []
    lost = 0
    for r in by_type.get("hop", []):
        i = r.get("trace")
        addr = index_of.get(i, {}).get("address", "?")
        path = hops.get(family_of(addr), []) + [addr]
        ttl = r.get("ttl")
        key = (i, ttl)
        hop_seen[key] = hop_seen.get(key, 0) + 1
        if not isinstance(ttl, int) or not 1 <= ttl <= len(path):
            wrong.append("%s: hop %r beyond the target" % (addr, ttl))
            continue
        resp = [x.get("address") for x in r.get("responders", [])]
        if r.get("received", 0) > 0 and resp != [path[ttl - 1]]:
            wrong.append("%s hop %d: responders %s, want %s"
                         % (addr, ttl, resp, path[ttl - 1]))
        lost += r.get("sent", 0) - r.get("received", 0)
    missing = []
    twice = []
    for i, r in index_of.items():
        addr = r.get("address", "?")
        for ttl in range(1, len(hops.get(family_of(addr), [])) + 2):
            c = hop_seen.get((i, ttl), 0)
            if c == 0:
                missing.append("%s hop %d" % (addr, ttl))
            elif c > 1:
                twice.append("%s hop %d" % (addr, ttl))
    check(not missing and not twice,
          "one hop record for every hop of every trace",
          "missing: %s; more than once: %s" % (shown(missing, 3),
                                               shown(twice, 3)))
    check(not wrong,
          "every hop answered by the lab's router at that distance (r1, r2, "
          "then the target itself), no hop beyond",
          "%d wrong: %s" % (len(wrong), shown(wrong, 3)))
    note(LABEL + "%d probes of the shown hops were lost" % lost)

    # probe records: only the known responders, only up to the target.
    wrong = []
    results = {}
    for r in by_type.get("probe", []):
        i = r.get("trace")
        addr = index_of.get(i, {}).get("address", "?")
        path = hops.get(family_of(addr), []) + [addr]
        ttl = r.get("ttl")
        res = r.get("result")
        results[res] = results.get(res, 0) + 1
        if not isinstance(ttl, int) or not 1 <= ttl <= len(path):
            wrong.append("%s: probe at ttl %r" % (addr, ttl))
        elif res == "no-reply":
            continue
        elif ttl < len(path):
            if res != "ttl-expired" or r.get("address") != path[ttl - 1]:
                wrong.append("%s ttl %d: %s from %s" % (addr, ttl, res,
                                                        r.get("address")))
        elif res != "reply" or r.get("address") != addr:
            wrong.append("%s ttl %d: %s from %s" % (addr, ttl, res,
                                                    r.get("address")))
    note(LABEL + "probe results: %s" % ", ".join(
        "%s %d" % kv for kv in sorted(results.items(), key=str)))
    check(not wrong and by_type.get("probe"),
          "every probe record is ttl-expired from the router at its ttl, "
          "or reply from the target at the last hop (or no-reply)",
          "%d wrong: %s" % (len(wrong), shown(wrong, 3)))

    ends = by_type.get("run-end", [])
    check(len(ends) == 1 and ends[0].get("exit_status") == want_exit
          and ends[0].get("reached") == n and ends[0].get("not_reached") == 0,
          "one run-end, exit_status %d, reached %d, not_reached 0"
          % (want_exit, n),
          "got %s" % [(e.get("exit_status"), e.get("reached"),
                       e.get("not_reached")) for e in ends])
    check(records and records[0].get("type") == "run-start"
          and records[-1].get("type") == "run-end",
          "run-start first, run-end last")


# ---- scale-csv ---------------------------------------------------------------

def scale_csv(path, targets_path, hops_spec):
    targets = read_targets(targets_path)
    hops = parse_hops(hops_spec)
    with open(path, newline="") as f:
        data = f.read()
    rows = list(csv.DictReader(data.splitlines()))
    check(data.endswith("\r\n") and "\n" not in data.replace("\r\n", ""),
          "every line ends with CRLF")
    by_target = {}
    for row in rows:
        by_target.setdefault(row.get("address"), []).append(row)
    want = set(targets)
    check(set(by_target) == want,
          "rows for exactly the %d targets" % len(want),
          "missing: %s; extra: %s"
          % (shown(sorted(want - set(by_target))),
             shown(sorted(set(by_target) - want))))
    wrong = []
    for addr, rs in by_target.items():
        path = hops.get(family_of(addr), []) + [addr]
        got = [r.get("hop") for r in rs]
        if got != [str(i) for i in range(1, len(path) + 1)]:
            wrong.append("%s: hops %s" % (addr, shown(got, 8)))
            continue
        for r in rs:
            h = int(r["hop"])
            if r.get("responder") != path[h - 1] \
                    or r.get("responders") != path[h - 1] \
                    or r.get("reached") != "true" or r.get("target") != addr:
                wrong.append("%s hop %d: responder %r responders %r "
                             "reached %r" % (addr, h, r.get("responder"),
                                             r.get("responders"),
                                             r.get("reached")))
    check(not wrong,
          "each target has one row for each hop up to itself, answered by r1, "
          "r2 and the target, reached true",
          "%d wrong: %s" % (len(wrong), shown(wrong, 3)))
    order = []
    for row in rows:
        if not order or order[-1] != row.get("address"):
            order.append(row.get("address"))
    check(order == targets,
          "the traces' rows come in the order of the target file, each "
          "trace's rows together")
    fams = {}
    for a in by_target:
        fams[family_of(a)] = fams.get(family_of(a), 0) + 1
    note(LABEL + "%d rows; targets per family: %s" % (len(rows), fams))


# ---- mpls-json ---------------------------------------------------------------

def parse_stack(text):
    if not text:
        return []
    v = [int(x) for x in text.split(",")]
    if len(v) % 4:
        raise SystemExit("bad stack %r" % text)
    return [{"label": v[i], "tc": v[i + 1], "s": v[i + 2], "ttl": v[i + 3]}
            for i in range(0, len(v), 4)]


def mpls_json(path, target, responders, stacks):
    want_resp = responders.split(",")
    want_stacks = [parse_stack(s) for s in stacks.split(";")]
    if len(want_stacks) != len(want_resp):
        raise SystemExit("one stack per responder, please")
    with open(path) as f:
        doc = json.load(f)
    traces = doc.get("traces", [])
    if not check(len(traces) == 1 and traces[0].get("address") == target,
                 "one trace, to %s" % target,
                 "got %s" % [x.get("address") for x in traces]):
        return
    t = traces[0]
    check(t.get("reached") is True and t.get("distance") == len(want_resp),
          "reached at distance %d" % len(want_resp),
          "reached %r, distance %r" % (t.get("reached"), t.get("distance")))
    hops = t.get("hops", [])
    check([h.get("ttl") for h in hops] == list(range(1, len(want_resp) + 1)),
          "hops 1..%d" % len(want_resp),
          "got %s" % [h.get("ttl") for h in hops])
    for h in hops:
        ttl = h.get("ttl")
        if not isinstance(ttl, int) or not 1 <= ttl <= len(want_resp):
            continue
        stack = want_stacks[ttl - 1]
        probes = h.get("probes", [])
        got = [p.get("mpls") for p in probes]
        addrs = [p.get("address") for p in probes]
        check(probes and all(g == stack for g in got)
              and all(a == want_resp[ttl - 1] for a in addrs),
              "every probe of hop %d (%d) answered by %s with mpls %s"
              % (ttl, len(probes), want_resp[ttl - 1],
                 json.dumps(stack, separators=(",", ":"))),
              "got %s from %s" % (json.dumps(got, separators=(",", ":")),
                                  addrs))


# ---- the benchmark's wrappers ------------------------------------------------

def rusage_dict(ru):
    return {"user_s": ru.ru_utime, "sys_s": ru.ru_stime}


def worker_rusage(out, cmd):
    child = subprocess.Popen(cmd, stdin=subprocess.PIPE, bufsize=0)

    def on_term(signum, frame):
        try:
            child.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    requests = 0
    tail = b""
    fd = child.stdin.fileno()
    while True:
        try:
            chunk = os.read(0, 65536)
        except OSError:
            break
        if not chunk:
            break
        data = tail + chunk
        requests += data.count(b" send-probe ")
        tail = data[-11:]
        # A request split after its first 11 bytes is not counted twice:
        # the tail is shorter than " send-probe ".
        try:
            view = memoryview(chunk)
            while view:
                n = os.write(fd, view)
                view = view[n:]
        except OSError:
            break
    try:
        child.stdin.close()
    except OSError:
        pass
    while True:
        try:
            _, status, ru = os.wait4(child.pid, 0)
            break
        except ChildProcessError:
            status, ru = 0, None
            break
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    rec = {
        "worker": rusage_dict(ru) if ru else None,
        "wrapper_self": rusage_dict(me),
        "wrapper_children": rusage_dict(kids),
        "requests": requests,
        "status": status,
    }
    with open(out, "w") as f:
        json.dump(rec, f)
    code = os.waitstatus_to_exitcode(status) if ru else 1
    os._exit(code if code >= 0 else 128 - code)


def measure(out, cmd):
    t0 = time.monotonic()
    child = subprocess.Popen(cmd)
    _, status, ru = os.wait4(child.pid, 0)
    wall = time.monotonic() - t0
    with open(out, "w") as f:
        json.dump({"wall_s": wall, "status": status,
                   "exit": os.waitstatus_to_exitcode(status),
                   "cpu": rusage_dict(ru)}, f)
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def bench_run(d, k):
    """The numbers of instrumented run K in directory D."""
    with open(os.path.join(d, "measure.%d.json" % k)) as f:
        m = json.load(f)
    with open(os.path.join(d, "worker.%d.json" % k)) as f:
        w = json.load(f)
    probes = 0
    with open(os.path.join(d, "out.%d.jsonl" % k), "rb") as f:
        for raw in f:
            if b'"type":"probe"' in raw:
                probes += 1
    total = m["cpu"]["user_s"] + m["cpu"]["sys_s"]
    wrapper = (w["wrapper_self"]["user_s"] + w["wrapper_self"]["sys_s"] +
               w["wrapper_children"]["user_s"] +
               w["wrapper_children"]["sys_s"])
    worker = w["worker"]["user_s"] + w["worker"]["sys_s"]
    own = total - wrapper
    return {
        "run": k, "exit": m["exit"], "probes": probes,
        "requests": w["requests"], "wall": m["wall_s"],
        "own": own, "worker": worker,
        "own_us": 1e6 * own / probes if probes else float("nan"),
        "worker_us": 1e6 * worker / probes if probes else float("nan"),
        "own_req_us": 1e6 * own / w["requests"] if w["requests"]
        else float("nan"),
        "worker_req_us": 1e6 * worker / w["requests"] if w["requests"]
        else float("nan"),
        "ratio": own / worker if worker > 0 else float("nan"),
    }


def bench_report(d, runs):
    rows = [bench_run(d, k) for k in range(1, runs + 1)]
    cols = [("run", "%3s", "%3d"), ("exit", "%4s", "%4d"),
            ("probes", "%7s", "%7d"), ("requests", "%8s", "%8d"),
            ("wall_s", "%7s", "%7.3f"), ("ht_cpu_s", "%8s", "%8.3f"),
            ("wk_cpu_s", "%8s", "%8.3f"), ("ht_us/probe", "%11s", "%11.2f"),
            ("wk_us/probe", "%11s", "%11.2f"), ("ht_us/req", "%9s", "%9.2f"),
            ("wk_us/req", "%9s", "%9.2f"), ("ratio", "%5s", "%5.2f")]
    keys = ["run", "exit", "probes", "requests", "wall", "own", "worker",
            "own_us", "worker_us", "own_req_us", "worker_req_us", "ratio"]
    print(" ".join(h % name for name, h, _ in cols))
    for r in rows:
        print(" ".join(fmt % r[k] for (_, _, fmt), k in zip(cols, keys)))
    med = {}
    for k in keys[1:]:
        v = sorted(r[k] for r in rows)
        med[k] = v[len(v) // 2]
    med["run"] = 0
    line = " ".join(fmt % med[k] for (_, _, fmt), k in zip(cols, keys))
    print("med" + line[3:])


def median(runs, timeout, out, cmd):
    walls = []
    statuses = []
    for _ in range(runs):
        t0 = time.monotonic()
        try:
            r = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=timeout)
            statuses.append(str(r.returncode))
        except subprocess.TimeoutExpired:
            statuses.append("timeout")
        walls.append(time.monotonic() - t0)
    s = sorted(walls)
    with open(out, "w") as f:
        json.dump({"walls": walls, "statuses": statuses}, f)
    print("%.4f %.4f %.4f %s" % (s[len(s) // 2], s[0], s[-1],
                                 ",".join(statuses)))


def split_cmd(argv):
    if "--" not in argv:
        raise SystemExit("missing -- CMD")
    i = argv.index("--")
    return argv[:i], argv[i + 1:]


def main(argv):
    global LABEL
    if len(argv) > 3 and argv[1] == "--label":
        LABEL = argv[2] + ": "
        argv = argv[:1] + argv[3:]
    if len(argv) < 2:
        raise SystemExit(__doc__)
    what = argv[1]
    if what == "scale-jsonl" and len(argv) == 6:
        scale_jsonl(argv[2], argv[3], int(argv[4]), argv[5])
    elif what == "scale-csv" and len(argv) == 5:
        scale_csv(argv[2], argv[3], argv[4])
    elif what == "mpls-json" and len(argv) == 6:
        mpls_json(argv[2], argv[3], argv[4], argv[5])
    elif what == "worker-rusage":
        args, cmd = split_cmd(argv[2:])
        worker_rusage(args[0], cmd)
    elif what == "measure":
        args, cmd = split_cmd(argv[2:])
        return measure(args[0], cmd)
    elif what == "bench-report" and len(argv) == 4:
        bench_report(argv[2], int(argv[3]))
    elif what == "median":
        args, cmd = split_cmd(argv[2:])
        median(int(args[0]), float(args[1]), args[2], cmd)
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

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
    elif len(argv) == 6 and argv[1] == "rtt":
        cmd_rtt(argv[2], argv[3], argv[4], int(argv[5]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

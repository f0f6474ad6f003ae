#!/usr/bin/python3
"""diff_flows_check.py A.jsonl B.jsonl DIFF.json TTL: the document of
`hoptrace diff -j A B` (file DIFF.json) names, at hop TTL, exactly the
flows whose responder there differs between the two recordings, as the
recordings' own probe records say, each as a difference of kind "flow"
with A's responder as "a" and B's as "b".  Other kinds of difference are
not looked at.  The expected flows come from the raw probe records
(type "probe": trace, ttl, flow, address), not from hoptrace diff.

Prints "# N flows changed responder at hop TTL" and exits 0 when it all
holds; 1 with a message when not.
"""
import json
import sys


def responders(path, ttl):
    """{(target, flow): the address that answered the flow at TTL, or
    None}, from the probe records of one recording."""
    targets, seen = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["type"] == "trace-start":
                targets[rec["trace"]] = rec["target"]
            elif rec["type"] == "probe" and rec["ttl"] == ttl:
                key = (targets[rec["trace"]], rec["flow"])
                if rec["address"] is not None or key not in seen:
                    seen[key] = rec["address"]
    return seen


def main():
    a_path, b_path, diff_path, ttl = sys.argv[1:5]
    ttl = int(ttl)
    a, b = responders(a_path, ttl), responders(b_path, ttl)
    want = {}
    for key in sorted(set(a) & set(b)):
        if a[key] != b[key]:
            want[key] = (a[key], b[key])
    with open(diff_path, encoding="utf-8") as f:
        doc = json.load(f)
    got = {}
    for d in doc["differences"]:
        if d["kind"] != "flow" or d["ttl"] != ttl:
            continue
        key = (d["target"], d["flow"])
        if key in got:
            print("flow %r twice" % (key,))
            return 1
        got[key] = (d["a"], d["b"])
    if got != want:
        print("flow differences at hop %d: %r\nwant (from the recordings): %r"
              % (ttl, got, want))
        return 1
    print("# %d flows changed responder at hop %d" % (len(want), ttl))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""demo_jsonl_summary.py: read hoptrace --jsonl on stdin, parse every record
as JSON and print the hops and the end of each trace; fails (a traceback,
exit 1) on a line that is not a record of schema version 3.  Used by
`packaging/quickstart demo`.
"""
import json, sys
kinds = {}
for n, line in enumerate(sys.stdin, 1):
    rec = json.loads(line)
    assert rec["schema_version"] == 3, "line %d: not schema_version 3" % n
    kinds[rec["type"]] = kinds.get(rec["type"], 0) + 1
    if rec["type"] == "hop":
        who = ", ".join("%s (%s)" % (r["name"] or "-", r["address"])
                        for r in rec["responders"]) or "*"
        print("  trace %d (%s) hop %d: %s" % (rec["trace"], rec["target"],
                                              rec["ttl"], who))
    if rec["type"] == "trace-end":
        print("  trace %d: reached=%s reason=%s distance=%s" % (
            rec["trace"], rec["reached"], rec["reason"], rec["distance"]))
print("  records: " + ", ".join("%s %d" % kv for kv in sorted(kinds.items())))

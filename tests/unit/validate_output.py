#!/usr/bin/python3
"""Check hoptrace's machine-readable output.

    validate_output.py json|jsonl|csv|diff FILE SCHEMA

json, jsonl and diff (hoptrace diff -j) are validated against SCHEMA
(schema/hoptrace.schema.json)
with python3-jsonschema; csv is parsed with the csv module (SCHEMA is then
not read, and may be any path).  Beyond the
schema, every hop must be self-consistent the way a report is: received <=
sent, loss_pct matching them, best_us <= avg_us <= worst_us, last_us
between best and worst, and (where the probes are listed) the statistics
matching the probes; in JSON Lines every record must name the run-start's
run, a trace's records its trace-start's worker and target and the run's
shard, and a worker its run-start lists; a diff document's only_a and only_b must count its
only-a and only-b differences, and a difference naming a hop must not be
of a whole-trace kind.  Used by tests/unit/render_schema.sh on recorded
sequences and by the network tests on real runs.

Exit status: 0 valid, 1 invalid (each problem printed), 2 usage or
unreadable input, 77 when python3-jsonschema is missing (a test skip).
"""

import csv
import io
import json
import re
import sys

CSV_COLUMNS = [
    "schema_version", "target", "address", "protocol", "port", "hop",
    "responder", "name", "asn", "responders", "sent", "received",
    "loss_pct", "last_us", "avg_us", "best_us", "worst_us", "stdev_us",
    "reached",
]
# --compare adds the item of each row's trace; run and worker end every
# row (schema 3).
CSV_COMPARE_COLUMNS = CSV_COLUMNS + ["compare", "run", "worker"]
CSV_COLUMNS = CSV_COLUMNS + ["run", "worker"]
RUN_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
COMPARE_LABEL = re.compile(r"^((icmp|udp|tcp|sctp)(:[1-9][0-9]{0,4})?(/[46])?|[46])$")

# Results that count as received: some responder answered (stats.h).
ANSWERED = {"reply", "ttl-expired", "no-route", "no-route-network",
            "no-route-host"}


class Problems:
    def __init__(self, path):
        self.path = path
        self.items = []

    def add(self, where, what):
        self.items.append("%s: %s: %s" % (self.path, where, what))


def check_stats(p, where, sent, received, loss, last, avg, best, worst,
                stdev):
    """The report-like consistency of one hop's numbers."""
    if received > sent:
        p.add(where, "received %d > sent %d" % (received, sent))
    if sent > 0:
        want = 100.0 * (sent - received) / sent
        if loss is None or abs(loss - want) > 0.051:
            p.add(where, "loss_pct %r, expected %.1f" % (loss, want))
    elif loss not in (0, None):
        p.add(where, "loss_pct %r with nothing sent" % (loss,))
    timed = [v for v in (last, avg, best, worst, stdev) if v is not None]
    if timed and len(timed) != 5:
        p.add(where, "some of last/avg/best/worst/stdev are missing")
        return
    if not timed:
        return
    if received == 0:
        p.add(where, "round-trip times without any answer")
    # avg is rounded to 0.1 us; allow for it.
    if not best <= avg + 0.05 or not avg <= worst + 0.05:
        p.add(where, "best_us %r <= avg_us %r <= worst_us %r does not hold"
              % (best, avg, worst))
    if not best <= last <= worst:
        p.add(where, "last_us %r is not between best_us %r and worst_us %r"
              % (last, best, worst))
    if stdev < 0 or stdev > (worst - best) / 2.0 + 0.05:
        p.add(where, "stdev_us %r impossible for the range %r..%r"
              % (stdev, best, worst))


def check_hop(p, where, hop):
    check_stats(p, where, hop["sent"], hop["received"], hop["loss_pct"],
                hop["last_us"], hop["avg_us"], hop["best_us"],
                hop["worst_us"], hop["stdev_us"])
    probes = hop["probes"]
    if hop["sent"] != len(probes):
        p.add(where, "sent %d but %d probes" % (hop["sent"], len(probes)))
    answered = [q for q in probes
                if q["result"] in ANSWERED and q["address"] is not None]
    if hop["received"] != len(answered):
        p.add(where, "received %d but %d answered probes"
              % (hop["received"], len(answered)))
    rtts = [q["rtt_us"] for q in answered if q["rtt_us"] is not None]
    if rtts:
        if hop["best_us"] != min(rtts) or hop["worst_us"] != max(rtts):
            p.add(where, "best/worst %r/%r, probes say %r/%r"
                  % (hop["best_us"], hop["worst_us"], min(rtts), max(rtts)))
        mean = sum(rtts) / len(rtts)
        if hop["avg_us"] is None or abs(hop["avg_us"] - mean) > 0.051:
            p.add(where, "avg_us %r, probes say %.3f" % (hop["avg_us"], mean))
    elif hop["best_us"] is not None:
        p.add(where, "times given but no answered probe has one")
    addrs = [r["address"] for r in hop["responders"]]
    if len(set(addrs)) != len(addrs):
        p.add(where, "a responder is listed twice")
    for q in answered:
        if q["address"] not in addrs:
            p.add(where, "probe answered by %s, not a listed responder"
                  % q["address"])


def check_trace(p, where, t):
    last_ttl = None
    for i, hop in enumerate(t["hops"]):
        w = "%s hop %d" % (where, hop["ttl"])
        check_hop(p, w, hop)
        if last_ttl is not None and hop["ttl"] <= last_ttl:
            p.add(w, "ttl %d after %d" % (hop["ttl"], last_ttl))
        last_ttl = hop["ttl"]
        if not t["first_ttl"] <= hop["ttl"] <= t["max_ttl"]:
            p.add(w, "ttl outside %d..%d" % (t["first_ttl"], t["max_ttl"]))
    check_end(p, where, t)


def check_end(p, where, t):
    if t["reason"] is not None and t["reached"] != (t["reason"] == "reached"):
        p.add(where, "reached %r with reason %r" % (t["reached"], t["reason"]))
    if t["reached"] and t["distance"] is None:
        p.add(where, "reached without a distance")


# The $defs entry each record type is checked against.
TYPE_DEFS = {
    "hoptrace": "document", "run-start": "run_start",
    "trace-start": "trace_start", "probe": "probe_record",
    "name": "name_record", "asn": "asn_record", "hop": "hop_record",
    "trace-end": "trace_end_record", "run-end": "run_end_record",
    "worker-lost": "worker_lost_record",
}


class Validator:
    """The schema, applied through the definition the record's type names,
    so that an error says what is wrong with that record rather than that
    it matches none of the schema's alternatives."""

    def __init__(self, schema_path):
        try:
            import jsonschema
        except ImportError:
            print("SKIP: python3-jsonschema is not installed "
                  "(apt-get install python3-jsonschema)")
            sys.exit(77)
        with open(schema_path, encoding="utf-8") as f:
            self.schema = json.load(f)
        self.cls = jsonschema.validators.validator_for(self.schema)
        self.cls.check_schema(self.schema)
        self.whole = self.cls(self.schema)
        self.by_type = {}

    def errors(self, value):
        name = TYPE_DEFS.get(value.get("type")) if isinstance(value, dict) \
            else None
        v = self.whole
        if name and name in self.schema.get("$defs", {}):
            if name not in self.by_type:
                sub = {k: x for k, x in self.schema.items() if k != "oneOf"}
                sub["$ref"] = "#/$defs/" + name
                self.by_type[name] = self.cls(sub)
            v = self.by_type[name]
        out = []
        for e in v.iter_errors(value):
            out.append(("/".join(str(x) for x in e.absolute_path),
                        e.message))
        return sorted(out)


def schema_errors(p, where, validator, value):
    for path, message in validator.errors(value):
        p.add(where, "schema: at /%s: %s" % (path, message))


def load_document(p, text, validator, kind):
    """The document in TEXT when it is JSON, valid against the schema and
    of type KIND; else None, the problems added to P."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        p.add("document", "not JSON: %s" % e)
        return None
    before = len(p.items)
    schema_errors(p, "document", validator, doc)
    if len(p.items) > before:
        return None
    if doc.get("type") != kind:
        p.add("document", "type %r, not %r" % (doc.get("type"), kind))
        return None
    return doc


def worker_names(p, where, workers):
    """The names of a run's workers, each once."""
    names = [w["name"] for w in workers]
    if len(set(names)) != len(names):
        p.add(where, "a worker's name is listed twice: %r" % (names,))
    return set(names)


def check_json(p, text, validator):
    doc = load_document(p, text, validator, "hoptrace")
    if doc is None:
        return
    names = worker_names(p, "document", doc["workers"])
    index = -1
    for t in doc["traces"]:
        if t["worker"] is not None and t["worker"] not in names:
            p.add("trace %d" % t["index"], "worker %r is not one of the "
                  "run's" % t["worker"])
        if t["index"] <= index:
            p.add("trace %d" % t["index"], "not in argument order")
        index = t["index"]
        check_trace(p, "trace %d" % t["index"], t)
    reached = sum(1 for t in doc["traces"] if t["reached"])
    if doc["reached"] != reached:
        p.add("document", "reached %d but %d traces reached"
              % (doc["reached"], reached))


# The kinds of difference that are about a whole trace, not one hop.
TRACE_KINDS = {"only-a", "only-b", "address", "reached", "distance",
               "paths-not-comparable"}


def check_diff(p, text, validator):
    doc = load_document(p, text, validator, "diff")
    if doc is None:
        return
    for side in ("a", "b"):
        n = sum(1 for d in doc["differences"] if d["kind"] == "only-" + side)
        if doc["only_" + side] != n:
            p.add("document", "only_%s %d but %d only-%s differences"
                  % (side, doc["only_" + side], n, side))
    for i, d in enumerate(doc["differences"]):
        if (d["ttl"] is None) != (d["kind"] in TRACE_KINDS):
            p.add("difference %d" % i, "kind %s with ttl %r"
                  % (d["kind"], d["ttl"]))


def check_jsonl(p, text, validator):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        p.add("end", "the last record has no newline")
    started = {}
    ended = set()
    kinds = []
    run = None
    for n, line in enumerate(lines, 1):
        where = "line %d" % n
        try:
            rec = json.loads(line)
        except ValueError as e:
            p.add(where, "not JSON: %s" % e)
            continue
        before = len(p.items)
        schema_errors(p, where, validator, rec)
        if len(p.items) > before:
            continue
        kind = rec["type"]
        kinds.append(kind)
        if kind == "hoptrace":
            p.add(where, "a whole document in JSON Lines")
            continue
        if kind == "run-start":
            run = rec
            run["names"] = worker_names(p, where, rec["workers"])
        elif run is not None:
            # Every record says which run, and a trace's records which
            # shard, as the run-start did: each can be read alone.
            if rec["run"] != run["run"]:
                p.add(where, "run %r, the run-start's is %r"
                      % (rec["run"], run["run"]))
            if "shard" in rec and rec["shard"] != run["shard"]:
                p.add(where, "shard %r, the run-start's is %r"
                      % (rec["shard"], run["shard"]))
        if kind in ("trace-start", "worker-lost") and run is not None and \
                rec["worker"] is not None and \
                rec["worker"] not in run["names"]:
            p.add(where, "worker %r is not one of the run-start's"
                  % rec["worker"])
        if kind == "trace-start":
            if rec["trace"] in started:
                p.add(where, "trace %d started twice" % rec["trace"])
            started[rec["trace"]] = rec
        elif kind in ("probe", "hop", "trace-end"):
            t = rec["trace"]
            if t not in started:
                p.add(where, "%s of trace %d before its start" % (kind, t))
            else:
                for k in ("worker", "target"):
                    if rec[k] != started[t][k]:
                        p.add(where, "%s %r, its trace-start's is %r"
                              % (k, rec[k], started[t][k]))
            if t in ended:
                p.add(where, "%s of trace %d after its end" % (kind, t))
            if kind == "hop":
                check_hop(p, "%s (trace %d hop %d)" % (where, t, rec["ttl"]),
                          rec)
            if kind == "trace-end":
                ended.add(t)
                check_end(p, where, rec)
    if kinds and kinds[0] != "run-start":
        p.add("line 1", "the first record is %r, not run-start" % kinds[0])
    if kinds and kinds[-1] != "run-end":
        p.add("line %d" % len(lines), "the last record is %r, not run-end"
              % kinds[-1])
    if kinds.count("run-start") > 1 or kinds.count("run-end") > 1:
        p.add("records", "more than one run-start or run-end")


def number(p, where, text, kind):
    if text == "":
        return None
    try:
        return kind(text)
    except ValueError:
        p.add(where, "%r is not a number" % text)
        return None


def check_csv(p, raw):
    if b"\r\n" not in raw and raw:
        p.add("file", "lines do not end with CRLF (RFC 4180)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        p.add("file", "not UTF-8: %s" % e)
        return
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows:
        p.add("file", "empty: no header row")
        return
    if rows[0] not in (CSV_COLUMNS, CSV_COMPARE_COLUMNS):
        p.add("row 1", "header %r" % (rows[0],))
        return
    columns = rows[0]
    for n, row in enumerate(rows[1:], 2):
        where = "row %d" % n
        if len(row) != len(columns):
            p.add(where, "%d fields, expected %d" % (len(row),
                                                       len(columns)))
            continue
        f = dict(zip(columns, row))
        if "compare" in f and not COMPARE_LABEL.match(f["compare"]):
            p.add(where, "compare %r is not a --compare item"
                  % f["compare"])
        if f["schema_version"] != "3":
            p.add(where, "schema_version %r" % f["schema_version"])
        if f["run"] and not RUN_ID.match(f["run"]):
            p.add(where, "run %r is not a run id" % f["run"])
        if n > 2 and f["run"] != rows[1][columns.index("run")]:
            p.add(where, "run %r, the first row's is %r"
                  % (f["run"], rows[1][columns.index("run")]))
        if f["reached"] not in ("true", "false", ""):
            p.add(where, "reached %r" % f["reached"])
        if f["protocol"] not in ("icmp", "udp", "tcp", "sctp", ""):
            p.add(where, "protocol %r" % f["protocol"])
        for k in ("port", "hop", "sent", "received"):
            number(p, where, f[k], int)
        sent = number(p, where, f["sent"], int)
        received = number(p, where, f["received"], int)
        if sent is None or received is None:
            p.add(where, "sent and received are required")
            continue
        responders = f["responders"].split(" ") if f["responders"] else []
        if f["responder"] and (not responders or
                               responders[0] != f["responder"]):
            p.add(where, "responder %r is not the first of %r"
                  % (f["responder"], f["responders"]))
        if received > 0 and not responders:
            p.add(where, "answers but no responder")
        check_stats(p, where, sent, received,
                    number(p, where, f["loss_pct"], float),
                    number(p, where, f["last_us"], int),
                    number(p, where, f["avg_us"], float),
                    number(p, where, f["best_us"], int),
                    number(p, where, f["worst_us"], int),
                    number(p, where, f["stdev_us"], float))


def main(argv):
    if len(argv) != 4 or argv[1] not in ("json", "jsonl", "csv", "diff"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    mode, path, schema_path = argv[1:]
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        sys.stderr.write("validate_output: %s\n" % e)
        return 2
    p = Problems(path)
    if mode == "csv":
        check_csv(p, raw)
    else:
        validator = Validator(schema_path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            p.add("file", "not UTF-8: %s" % e)
            text = None
        if text is not None:
            if mode == "json":
                check_json(p, text, validator)
            elif mode == "diff":
                check_diff(p, text, validator)
            else:
                check_jsonl(p, text, validator)
    for item in p.items:
        print(item)
    if p.items:
        return 1
    print("ok - %s %s" % (mode, path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

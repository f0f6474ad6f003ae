#!/usr/bin/python3
"""hoptrace_check.py: read back hoptrace's output for tests/net/net_hoptrace.sh.

Every expected value comes from the caller (the lab's known topology and
the DNS records the test serves), never from hoptrace's output.  Each
subcommand prints one '#' line per problem and exits 0 when everything
holds, 1 when something does not, 2 on a usage error.

  dns-ready SERVER NAME
      one DNS query for NAME's A record to SERVER port 53 (0.3 s): exit 0
      when the answer is NOERROR with at least one answer record.

  text FILE BLOCK...
      the text format.  A BLOCK is one trace, in the order given:
        --trace "target=T addr=A source=S proto=P end=reached|not"
        --hop "addr=A [name=N] [asn=64500[+64501]|asn=?] [mark=!U]"
        --hop "*"                                (a silent hop)
      Hops are numbered from 1 in the order given.  A hop without name=
      must show no name, one without asn= no AS.  proto=P: the header's
      protocol field is P, optionally followed by " port N".  end=reached:
      the last line says the target was reached at the last hop given;
      end=not: it starts with "not reached:" and names the target.

  report FILE SENT HOP...      (--report; HOP as for text, without asn)
  json FILE TARGET ADDR HOP...
  jsonl FILE TARGET ADDR HOP...
  csv FILE TARGET ADDR HOP...
      every listed hop, and no other, with the responder (and name, or
      none) given; the formats' own rules (numbers as numbers, reached,
      exit status 0, schema_version 3).

  nibbles ADDRESS
      the 32 reversed hexadecimal digits of an IPv6 address, dotted, as
      origin6.asn.cymru.com names them (from Python's ipaddress).

  json-failed FILE
      a JSON document (one line) with exit_status 3, nothing reached, and
      its trace ended with reason "worker-lost".
"""

import csv
import io
import ipaddress
import json
import re
import socket
import struct
import sys


class Problems:
    def __init__(self):
        self.items = []

    def add(self, what):
        self.items.append(what)

    def finish(self):
        for item in self.items:
            print("# %s" % item)
        return 1 if self.items else 0


def parse_spec(text):
    """'key=value key=value' (or '*') to a dict."""
    if text.strip() == "*":
        return {"silent": True}
    spec = {}
    for word in text.split():
        if "=" not in word:
            raise SystemExit("hoptrace_check: bad spec word %r" % word)
        k, v = word.split("=", 1)
        spec[k] = v
    return spec


def asn_set(text):
    """'64500+64501' or '64500' to a set of ints; '?' to None."""
    if text == "?":
        return None
    return {int(x) for x in text.split("+")}


# ---- dns-ready -------------------------------------------------------------

def dns_ready(server, name):
    qid = 0x4854
    packet = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        packet += bytes([len(label)]) + label.encode("ascii")
    packet += b"\x00" + struct.pack("!HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.3)
    try:
        s.sendto(packet, (server, 53))
        data, _ = s.recvfrom(4096)
    except OSError:
        return 1
    finally:
        s.close()
    if len(data) < 12:
        return 1
    rid, flags, _, ancount, _, _ = struct.unpack("!HHHHHH", data[:12])
    if rid != qid or flags & 0x8000 == 0 or flags & 0x000F != 0:
        return 1
    return 0 if ancount >= 1 else 1


# ---- text ------------------------------------------------------------------

HEADER_RE = re.compile(
    r"^hoptrace (\S+) to (\S+) \((\S+)\) from (\S+), ([^,]+), (\d+) hops max, "
    r"(\d+) probes? per hop, started (\S+Z)$")
SILENT_RE = re.compile(r"^ ?(\d+)  \* \* \*$")
HOP_RE = re.compile(
    r"^ ?(\d+)  (?:\[([^\]]*)\] )?(?:(\S+) \(([0-9a-fA-F.:]+)\)|([0-9a-fA-F.:]+))"
    r"((?:  \d+\.\d{3} ms(?: ![A-Z]\S*)?)+)$")
RTT_RE = re.compile(r"  (\d+\.\d{3}) ms(?: (![A-Z]\S*))?")
REACHED_RE = re.compile(r"^reached (\S+) \((\S+)\) at hop (\d+), ended (\S+Z)$")


def check_text_hop(p, where, n, line, spec):
    if spec.get("silent"):
        m = SILENT_RE.match(line)
        if not m:
            p.add("%s: %r is not silent hop %d ('%d  * * *')"
                  % (where, line, n, n))
        elif int(m.group(1)) != n:
            p.add("%s: silent hop numbered %s, want %d" % (where, m.group(1), n))
        return
    m = HOP_RE.match(line)
    if not m:
        p.add("%s: %r is not a hop line with one responder and its round-trip "
              "times" % (where, line))
        return
    num, asn, name, addr_named, addr_bare, rtts = m.groups()
    addr = addr_named or addr_bare
    if int(num) != n:
        p.add("%s: hop numbered %s, want %d" % (where, num, n))
    if addr != spec["addr"]:
        p.add("%s: responder %s, want %s" % (where, addr, spec["addr"]))
    want_name = spec.get("name")
    if want_name is None and name is not None:
        p.add("%s: shows the name %r, want no name (address %s only)"
              % (where, name, addr))
    elif want_name is not None and name != want_name:
        p.add("%s: name %r, want %r" % (where, name, want_name))
    if "asn" in spec:
        if asn is None:
            p.add("%s: no [AS...], want AS %s" % (where, spec["asn"]))
        else:
            want = asn_set(spec["asn"])
            if want is None:
                if asn != "AS?":
                    p.add("%s: [%s], want [AS?]" % (where, asn))
            else:
                if not re.fullmatch(r"AS\d+(?:[/ ,]AS\d+)*", asn):
                    p.add("%s: [%s] is not a list of AS numbers" % (where, asn))
                got = {int(x) for x in re.findall(r"\d+", asn)}
                if got != want:
                    p.add("%s: [%s], want AS %s" % (where, asn,
                                                    " and ".join(
                                                        str(x) for x in
                                                        sorted(want))))
    elif asn is not None:
        p.add("%s: shows [%s], want no AS" % (where, asn))
    times = RTT_RE.findall(rtts)
    if len(times) != 3:
        p.add("%s: %d round-trip times, want 3" % (where, len(times)))
    want_mark = spec.get("mark")
    for t, mark in times:
        if want_mark is None and mark:
            p.add("%s: annotation %s after %s ms, want none" % (where, mark, t))
        elif want_mark is not None and mark != want_mark:
            p.add("%s: annotation %r after %s ms, want %s"
                  % (where, mark, t, want_mark))


def check_text_block(p, index, lines, trace, hops):
    where = "trace %d (%s)" % (index + 1, trace["target"])
    if not lines:
        p.add("%s: missing" % where)
        return
    m = HEADER_RE.match(lines[0])
    if not m:
        p.add("%s: header %r is not 'hoptrace V to T (A) from S, PROTO, N hops "
              "max, Q probes per hop, started TIME'" % (where, lines[0]))
    else:
        _, tgt, addr, src, proto = m.groups()[:5]
        if tgt != trace["target"]:
            p.add("%s: header names target %r, want %r" % (where, tgt,
                                                           trace["target"]))
        if addr != trace["addr"]:
            p.add("%s: header address %s, want %s" % (where, addr,
                                                     trace["addr"]))
        if "source" in trace and src != trace["source"]:
            p.add("%s: header source %s, want %s" % (where, src,
                                                    trace["source"]))
        if "proto" in trace and not re.fullmatch(
                re.escape(trace["proto"]) + r"(?: port \d+)?(?: flow \d+)?",
                proto):
            p.add("%s: header protocol %r, want %s" % (where, proto,
                                                       trace["proto"]))
    body = lines[1:-1]
    if len(body) != len(hops):
        p.add("%s: %d hop lines, want %d: %r" % (where, len(body), len(hops),
                                                  body))
    for n, spec in enumerate(hops, 1):
        if n - 1 < len(body):
            check_text_hop(p, "%s hop %d" % (where, n), n, body[n - 1], spec)
    last = lines[-1] if len(lines) > 1 else ""
    if trace.get("end", "reached") == "reached":
        m = REACHED_RE.match(last)
        if not m:
            p.add("%s: last line %r is not 'reached T (A) at hop N, ended "
                  "TIME'" % (where, last))
        else:
            if m.group(1) != trace["target"] or m.group(2) != trace["addr"]:
                p.add("%s: last line names %s (%s), want %s (%s)"
                      % (where, m.group(1), m.group(2), trace["target"],
                         trace["addr"]))
            if int(m.group(3)) != len(hops):
                p.add("%s: reached at hop %s, want %d" % (where, m.group(3),
                                                         len(hops)))
    else:
        if not last.startswith("not reached:"):
            p.add("%s: last line %r does not start with 'not reached:'"
                  % (where, last))
        elif trace["target"] not in last:
            p.add("%s: last line %r does not name %s" % (where, last,
                                                        trace["target"]))


def cmd_text(path, args):
    p = Problems()
    blocks = []
    i = 0
    while i < len(args):
        opt = args[i]
        if i + 1 >= len(args):
            raise SystemExit("hoptrace_check: %s needs a value" % opt)
        val = args[i + 1]
        i += 2
        if opt == "--trace":
            blocks.append((parse_spec(val), []))
        elif opt == "--hop":
            if not blocks:
                raise SystemExit("hoptrace_check: --hop before --trace")
            blocks[-1][1].append(parse_spec(val))
        else:
            raise SystemExit("hoptrace_check: unknown %s" % opt)
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if not text.endswith("\n"):
        p.add("the output does not end with a newline")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    # Traces are separated by one empty line.
    parts = [[]]
    for line in lines:
        if line == "":
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) != len(blocks):
        p.add("%d trace(s) in the output, want %d" % (len(parts), len(blocks)))
    for index, (trace, hops) in enumerate(blocks):
        check_text_block(p, index, parts[index] if index < len(parts) else [],
                         trace, hops)
    return p.finish()


# ---- report ----------------------------------------------------------------

REPORT_ROW_RE = re.compile(
    r"^ *(\d+)\.\|-- (\S+(?: \([^)]*\))?)\s+(\d+\.\d)%\s+(\d+)\s+(\d+\.\d)\s+"
    r"(\d+\.\d)\s+(\d+\.\d)\s+(\d+\.\d)\s+(\d+\.\d)$")
REPORT_COLUMNS = ["Loss%", "Snt", "Last", "Avg", "Best", "Wrst", "StDev"]


def cmd_report(path, sent, hops):
    p = Problems()
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    heads = [line for line in lines if line.startswith("HOST: ")]
    if len(heads) != 1:
        p.add("%d 'HOST:' column header lines, want 1" % len(heads))
    elif heads[0].split()[2:] != REPORT_COLUMNS:
        p.add("column header %r, want %s" % (heads[0],
                                              " ".join(REPORT_COLUMNS)))
    rows = [line for line in lines if re.match(r"^ *\d+\.\|--", line)]
    if len(rows) != len(hops):
        p.add("%d hop rows, want %d: %r" % (len(rows), len(hops), rows))
    for n, spec in enumerate(hops, 1):
        if n - 1 >= len(rows):
            break
        row = rows[n - 1]
        where = "hop %d" % n
        m = REPORT_ROW_RE.match(row)
        if not m:
            p.add("%s: row %r does not parse as HOP.|-- HOST Loss%% Snt Last "
                  "Avg Best Wrst StDev" % (where, row))
            continue
        num, host, loss, snt, last, avg, best, wrst, stdev = m.groups()
        want_host = spec.get("name", spec["addr"])
        if int(num) != n:
            p.add("%s: numbered %s" % (where, num))
        if host != want_host:
            p.add("%s: host %r, want %r" % (where, host, want_host))
        if float(loss) != 0.0:
            p.add("%s: Loss%% %s, want 0.0 on a lab hop" % (where, loss))
        if int(snt) != sent:
            p.add("%s: Snt %s, want %d" % (where, snt, sent))
        last, avg, best, wrst, stdev = (float(x) for x in
                                        (last, avg, best, wrst, stdev))
        if not best <= avg <= wrst:
            p.add("%s: Best %.1f <= Avg %.1f <= Wrst %.1f does not hold"
                  % (where, best, avg, wrst))
        if not best <= last <= wrst:
            p.add("%s: Last %.1f not between Best %.1f and Wrst %.1f"
                  % (where, last, best, wrst))
        if stdev < 0:
            p.add("%s: StDev %.1f" % (where, stdev))
    return p.finish()


# ---- JSON, JSON Lines, CSV -------------------------------------------------

def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return (isinstance(v, (int, float)) and not isinstance(v, bool))


def check_json_hop(p, where, hop, n, spec, probes_expected, last):
    if not is_int(hop.get("ttl")) or hop.get("ttl") != n:
        p.add("%s: ttl %r, want %d" % (where, hop.get("ttl"), n))
    for k in ("sent", "received"):
        if not is_int(hop.get(k)):
            p.add("%s: %s %r is not an integer" % (where, k, hop.get(k)))
    for k in ("loss_pct", "avg_us", "stdev_us"):
        if not is_num(hop.get(k)):
            p.add("%s: %s %r is not a number" % (where, k, hop.get(k)))
    for k in ("last_us", "best_us", "worst_us"):
        if not is_int(hop.get(k)):
            p.add("%s: %s %r is not an integer" % (where, k, hop.get(k)))
    if hop.get("sent") != probes_expected or hop.get("received") != \
            probes_expected:
        p.add("%s: sent %r received %r, want %d and %d" % (
            where, hop.get("sent"), hop.get("received"), probes_expected,
            probes_expected))
    if hop.get("loss_pct") != 0:
        p.add("%s: loss_pct %r, want 0" % (where, hop.get("loss_pct")))
    resp = hop.get("responders") or []
    addrs = [r.get("address") for r in resp]
    if addrs != [spec["addr"]]:
        p.add("%s: responders %r, want only %s" % (where, addrs, spec["addr"]))
    elif resp[0].get("name") != spec.get("name"):
        p.add("%s: responder name %r, want %r" % (where, resp[0].get("name"),
                                                  spec.get("name")))
    if "probes" in hop:
        probes = hop["probes"]
        if len(probes) != probes_expected:
            p.add("%s: %d probes, want %d" % (where, len(probes),
                                              probes_expected))
        for q in probes:
            if not is_int(q.get("rtt_us")):
                p.add("%s: probe rtt_us %r is not an integer"
                      % (where, q.get("rtt_us")))
            if q.get("address") != spec["addr"]:
                p.add("%s: probe answered by %r, want %s"
                      % (where, q.get("address"), spec["addr"]))
            want_result = "reply" if last else "ttl-expired"
            if q.get("result") != want_result:
                p.add("%s: probe result %r, want %s" % (where, q.get("result"),
                                                        want_result))



def check_trace_common(p, where, t, target, addr):
    if t.get("target") != target:
        p.add("%s: target %r, want %r" % (where, t.get("target"), target))
    if t.get("address") != addr:
        p.add("%s: address %r, want %r" % (where, t.get("address"), addr))
    want_family = 6 if ":" in addr else 4
    if t.get("family") != want_family:
        p.add("%s: family %r, want %d" % (where, t.get("family"), want_family))


def check_trace_end(p, where, t, nhops):
    if t.get("reached") is not True:
        p.add("%s: reached %r, want true" % (where, t.get("reached")))
    if t.get("reason") != "reached":
        p.add("%s: reason %r, want reached" % (where, t.get("reason")))
    if t.get("distance") != nhops or not is_int(t.get("distance")):
        p.add("%s: distance %r, want %d" % (where, t.get("distance"), nhops))


def cmd_json(path, target, addr, hops):
    p = Problems()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    if len(lines) != 2 or lines[1] != "":
        p.add("the document is not one line ending with a newline")
    try:
        doc = json.loads(text)
    except ValueError as e:
        p.add("not JSON: %s" % e)
        return p.finish()
    if doc.get("schema_version") != 3 or not is_int(doc.get("schema_version")):
        p.add("schema_version %r, want the number 3" % doc.get("schema_version"))
    if doc.get("exit_status") != 0 or not is_int(doc.get("exit_status")):
        p.add("exit_status %r, want 0" % doc.get("exit_status"))
    if doc.get("reached") != 1 or doc.get("not_reached") != 0:
        p.add("reached %r not_reached %r, want 1 and 0"
              % (doc.get("reached"), doc.get("not_reached")))
    traces = doc.get("traces") or []
    if len(traces) != 1:
        p.add("%d traces, want 1" % len(traces))
        return p.finish()
    t = traces[0]
    check_trace_common(p, "trace", t, target, addr)
    check_trace_end(p, "trace", t, len(hops))
    got = [h.get("ttl") for h in t.get("hops") or []]
    if got != list(range(1, len(hops) + 1)):
        p.add("hops %r, want %r" % (got, list(range(1, len(hops) + 1))))
    per_hop = t.get("queries", 0) * t.get("count", 0)
    if per_hop != 3:
        p.add("queries %r x count %r, want 3 probes a hop"
              % (t.get("queries"), t.get("count")))
    for n, (hop, spec) in enumerate(zip(t.get("hops") or [], hops), 1):
        check_json_hop(p, "hop %d" % n, hop, n, spec, 3, n == len(hops))
    return p.finish()


def cmd_jsonl(path, target, addr, hops):
    p = Problems()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    recs = []
    for n, line in enumerate(text.split("\n")[:-1], 1):
        try:
            recs.append(json.loads(line))
        except ValueError as e:
            p.add("line %d not JSON: %s" % (n, e))
    if not text.endswith("\n"):
        p.add("the last record has no newline")
    for r in recs:
        if r.get("schema_version") != 3 or not is_int(r.get("schema_version")):
            p.add("%s record: schema_version %r" % (r.get("type"),
                                                    r.get("schema_version")))
    # Schema 3: every record names the run-start's run and has the
    # collector's clock; a trace's records name its target.
    run = recs[0].get("run") if recs else None
    if not isinstance(run, str) or not re.fullmatch(r"[0-9a-f]{32}", run):
        p.add("run-start run %r, want 32 hexadecimal digits" % (run,))
    for r in recs:
        if r.get("run") != run:
            p.add("%s record: run %r, want %r" % (r.get("type"),
                                                 r.get("run"), run))
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",
                            str(r.get("collector_wall_clock"))):
            p.add("%s record: collector_wall_clock %r" % (
                r.get("type"), r.get("collector_wall_clock")))
        if r.get("type") in ("probe", "hop", "trace-end") and \
                r.get("target") != target:
            p.add("%s record: target %r, want %r" % (r.get("type"),
                                                    r.get("target"), target))
    starts = [r for r in recs if r.get("type") == "trace-start"]
    if len(starts) != 1:
        p.add("%d trace-start records, want 1" % len(starts))
    else:
        check_trace_common(p, "trace-start", starts[0], target, addr)
    ends = [r for r in recs if r.get("type") == "trace-end"]
    if len(ends) != 1:
        p.add("%d trace-end records, want 1" % len(ends))
    else:
        check_trace_end(p, "trace-end", ends[0], len(hops))
    run_end = [r for r in recs if r.get("type") == "run-end"]
    if len(run_end) != 1 or run_end[0].get("exit_status") != 0 or \
            not is_int(run_end[0].get("exit_status")):
        p.add("run-end %r, want one with exit_status 0" % (run_end,))
    hop_recs = [r for r in recs if r.get("type") == "hop"]
    got = [h.get("ttl") for h in hop_recs]
    if got != list(range(1, len(hops) + 1)):
        p.add("hop records for ttl %r, want %r"
              % (got, list(range(1, len(hops) + 1))))
    for n, (hop, spec) in enumerate(zip(hop_recs, hops), 1):
        check_json_hop(p, "hop %d" % n, hop, n, spec, 3, n == len(hops))
    probe_recs = [r for r in recs if r.get("type") == "probe"]
    if len(probe_recs) != 3 * len(hops):
        p.add("%d probe records, want %d" % (len(probe_recs), 3 * len(hops)))
    for q in probe_recs:
        if not is_int(q.get("rtt_us")):
            p.add("probe record rtt_us %r is not an integer" % q.get("rtt_us"))
    names = {r.get("address"): r.get("name") for r in recs
             if r.get("type") == "name"}
    for spec in hops:
        if "name" in spec and names.get(spec["addr"]) != spec["name"]:
            p.add("name record for %s: %r, want %r"
                  % (spec["addr"], names.get(spec["addr"]), spec["name"]))
    if not any("name" in s for s in hops) and names:
        p.add("name records %r with names off" % (names,))
    return p.finish()


def cmd_csv(path, target, addr, hops):
    p = Problems()
    with open(path, "rb") as f:
        raw = f.read()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""),
                               strict=True))
    got = [r.get("hop") for r in rows]
    want = [str(n) for n in range(1, len(hops) + 1)]
    if got != want:
        p.add("rows for hops %r, want %r" % (got, want))
    for n, (r, spec) in enumerate(zip(rows, hops), 1):
        where = "row of hop %d" % n
        for k, v in (("schema_version", "3"), ("target", target),
                     ("address", addr), ("responder", spec["addr"]),
                     ("responders", spec["addr"]),
                     ("name", spec.get("name", "")), ("sent", "3"),
                     ("received", "3"), ("reached", "true")):
            if r.get(k) != v:
                p.add("%s: %s %r, want %r" % (where, k, r.get(k), v))
        if "asn" in spec:
            want_asn = asn_set(spec["asn"])
            got_asn = {int(x) for x in re.findall(r"\d+", r.get("asn") or "")}
            if want_asn is None:
                if r.get("asn"):
                    p.add("%s: asn %r, want empty" % (where, r.get("asn")))
            elif got_asn != want_asn:
                p.add("%s: asn %r, want %s" % (where, r.get("asn"),
                                              sorted(want_asn)))
        for k in ("last_us", "best_us", "worst_us"):
            if not re.fullmatch(r"\d+", r.get(k) or ""):
                p.add("%s: %s %r is not an integer" % (where, k, r.get(k)))
        for k in ("loss_pct", "avg_us", "stdev_us"):
            if not re.fullmatch(r"\d+(?:\.\d+)?", r.get(k) or ""):
                p.add("%s: %s %r is not a number" % (where, k, r.get(k)))
    return p.finish()


def cmd_json_failed(path):
    p = Problems()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = json.loads(text)
    except ValueError as e:
        p.add("not JSON (%s): %r" % (e, text[-200:]))
        return p.finish()
    if doc.get("exit_status") != 3:
        p.add("exit_status %r, want 3" % doc.get("exit_status"))
    if doc.get("reached") != 0:
        p.add("reached %r, want 0" % doc.get("reached"))
    traces = doc.get("traces") or []
    if len(traces) != 1:
        p.add("%d traces, want 1" % len(traces))
    elif traces[0].get("reason") != "worker-lost" or \
            traces[0].get("reached") is not False:
        p.add("trace reason %r reached %r, want worker-lost and false"
              % (traces[0].get("reason"), traces[0].get("reached")))
    return p.finish()


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "dns-ready" and len(args) == 2:
        return dns_ready(*args)
    if cmd == "text" and args:
        return cmd_text(args[0], args[1:])
    if cmd == "report" and len(args) >= 2:
        return cmd_report(args[0], int(args[1]),
                          [parse_spec(a) for a in args[2:]])
    if cmd in ("json", "jsonl", "csv") and len(args) >= 3:
        fn = {"json": cmd_json, "jsonl": cmd_jsonl, "csv": cmd_csv}[cmd]
        return fn(args[0], args[1], args[2], [parse_spec(a) for a in args[3:]])
    if cmd == "nibbles" and len(args) == 1:
        rp = ipaddress.IPv6Address(args[0]).reverse_pointer
        print(rp[:-len(".ip6.arpa")])
        return 0
    if cmd == "json-failed" and len(args) == 1:
        return cmd_json_failed(args[0])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

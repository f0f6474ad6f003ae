#!/usr/bin/python3
"""compare_check.py: checks of hoptrace --compare's output for
net_hoptrace_compare.sh, from the lab's own values given on the command
line (never from hoptrace's output).

  compare_check.py cell FILE BLOCK TTL LABEL HOST
      In side-by-side block BLOCK (from 1) of the text or report FILE, the
      row of hop TTL shows HOST in LABEL's group ("???": nobody answered,
      "": no such hop for that item).
  compare_check.py labels FILE BLOCK LABEL...
      Block BLOCK's groups are LABEL... in that order.
  compare_check.py verdict FILE BLOCK LINE...
      Block BLOCK's verdict is exactly LINE... (the lines after the table).
  compare_check.py verdict-like FILE BLOCK START END
      Block BLOCK's verdict is one line starting with START and ending
      with END.
  compare_check.py json FILE 'LABEL|PROTO|PORT|REACHED|ADDR'...
      The JSON document FILE (-j) has one trace per argument, in order,
      with that "compare", "protocol", "port" ("-" for null), "reached"
      (true/false) and "address" ("-" for null).
  compare_check.py jsonl FILE ITEMS 'LABEL|FAMILY|ADDR'...
      The JSON Lines FILE's run-start says compare_items ITEMS and its
      trace-start records, by trace index, have these labels, families
      and addresses.

Exit 0 when the check holds, 1 with the reason on stdout otherwise.
"""

import json
import re
import sys

ROW = re.compile(r"^\s*(\d+)(\s|$)")


def blocks_of(path):
    """The side-by-side blocks: lists of lines, each from its headline."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, cur = [], None
    for line in lines:
        if line.startswith("hoptrace ") and ", side by side:" in line:
            cur = []
            blocks.append(cur)
        if cur is not None:
            cur.append(line)
    return blocks


class Block:
    def __init__(self, path, number):
        blocks = blocks_of(path)
        if number < 1 or number > len(blocks):
            raise ValueError("%s has %d side-by-side blocks, not %d"
                             % (path, len(blocks), number))
        self.lines = blocks[number - 1]
        self.header = None
        for i, line in enumerate(self.lines):
            if line.startswith("Hop "):
                self.header = i
                break
        if self.header is None:
            raise ValueError("block %d has no 'Hop' line" % number)
        self.rows = {}
        i = self.header + 2
        while i < len(self.lines) and ROW.match(self.lines[i]):
            self.rows[int(ROW.match(self.lines[i]).group(1))] = \
                self.lines[i]
            i += 1
        self.after = []
        while i < len(self.lines) and self.lines[i] != "":
            self.after.append(self.lines[i])
            i += 1

    def groups(self):
        """(label, start column) of each group, from the header line:
        labels are words separated by at least two spaces."""
        head = self.lines[self.header]
        out = []
        for m in re.finditer(r"(?<=  )(\S+)", head):
            out.append((m.group(1), m.start()))
        return out

    def cell(self, ttl, label):
        groups = self.groups()
        for n, (name, start) in enumerate(groups):
            if name != label:
                continue
            end = groups[n + 1][1] if n + 1 < len(groups) else None
            row = self.rows.get(ttl)
            if row is None:
                return None
            words = row[start:end].split()
            return words[0] if words else ""
        raise ValueError("no group %r in %r" % (label, groups))


def check_cell(path, block, ttl, label, host):
    b = Block(path, int(block))
    got = b.cell(int(ttl), label)
    if got is None:
        return "block %s has no row for hop %s:\n%s" % (
            block, ttl, "\n".join(b.lines))
    if got != host:
        return "hop %s, %s: %r, want %r:\n%s" % (
            ttl, label, got, host, "\n".join(b.lines))
    return None


def check_labels(path, block, labels):
    b = Block(path, int(block))
    got = [g[0] for g in b.groups()]
    if got != labels:
        return "groups %r, want %r" % (got, labels)
    return None


def check_verdict(path, block, want):
    b = Block(path, int(block))
    if b.after != want:
        return "verdict %r, want %r" % (b.after, want)
    return None


def check_verdict_like(path, block, start, end):
    b = Block(path, int(block))
    if len(b.after) != 1 or not b.after[0].startswith(start) or \
            not b.after[0].endswith(end):
        return "verdict %r, want one line %r...%r" % (b.after, start, end)
    return None


def check_json(path, specs):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    traces = doc.get("traces", [])
    if len(traces) != len(specs):
        return "%d traces, want %d" % (len(traces), len(specs))
    for i, (t, spec) in enumerate(zip(traces, specs)):
        label, proto, port, reached, addr = spec.split("|", 4)
        want = {
            "compare": label,
            "protocol": proto,
            "port": None if port == "-" else int(port),
            "reached": reached == "true",
            "address": None if addr == "-" else addr,
        }
        got = {k: t.get(k) for k in want}
        if got != want:
            return "trace %d: %r, want %r" % (i, got, want)
        if t.get("index") != i:
            return "trace %d has index %r" % (i, t.get("index"))
    return None


def check_jsonl(path, items, specs):
    starts = {}
    run_start = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("type") == "run-start":
                run_start = r
            elif r.get("type") == "trace-start":
                starts[r["trace"]] = r
    if run_start is None or run_start.get("compare_items") != int(items):
        return "run-start %r, want compare_items %s" % (run_start, items)
    if sorted(starts) != list(range(len(specs))):
        return "trace-start records for %r, want 0..%d" % (
            sorted(starts), len(specs) - 1)
    for i, spec in enumerate(specs):
        label, family, addr = spec.split("|", 2)
        r = starts[i]
        want = (label, None if family == "-" else int(family),
                None if addr == "-" else addr)
        got = (r.get("compare"), r.get("family"), r.get("address"))
        if got != want:
            return "trace-start %d: %r, want %r" % (i, got, want)
    return None


def main(argv):
    if len(argv) < 3:
        sys.stdout.write(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "cell" and len(args) == 5:
            why = check_cell(*args)
        elif cmd == "labels" and len(args) >= 3:
            why = check_labels(args[0], args[1], args[2:])
        elif cmd == "verdict" and len(args) >= 2:
            why = check_verdict(args[0], args[1], args[2:])
        elif cmd == "verdict-like" and len(args) == 4:
            why = check_verdict_like(*args)
        elif cmd == "json" and len(args) >= 2:
            why = check_json(args[0], args[1:])
        elif cmd == "jsonl" and len(args) >= 3:
            why = check_jsonl(args[0], args[1], args[2:])
        else:
            sys.stdout.write(__doc__)
            return 2
    except (OSError, ValueError, KeyError) as e:
        why = str(e)
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

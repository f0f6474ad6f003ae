#!/usr/bin/python3
"""diff_check.py JSON WANT: the document of `hoptrace diff -j` (file JSON)
says what the plain lines of WANT say.

WANT holds lines "TARGET hop TTL: V vanished, A appeared", one address
each, then the summary "N difference(s), M trace(s) compared".  Each line
must be one difference of kind "responders" with that target, ttl,
vanished [V] and appeared [A], in that order and nothing else; compared
must be M.  Exit 0 when it all holds, 1 with a message when not.
"""
import json
import re
import sys

LINE = re.compile(r"^(\S+) hop (\d+): (\S+) vanished, (\S+) appeared$")
SUMMARY = re.compile(r"^(\d+) differences?, (\d+) traces? compared$")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        want = [l.rstrip("\n") for l in f if l.strip()]
    rows, compared = [], None
    for line in want:
        m = LINE.match(line)
        if m:
            rows.append((m.group(1), int(m.group(2)), [m.group(3)],
                         [m.group(4)], line))
            continue
        m = SUMMARY.match(line)
        if not m:
            print("cannot read the expected line: %r" % line)
            return 1
        compared = int(m.group(2))
    got = doc.get("differences")
    if not isinstance(got, list) or len(got) != len(rows):
        print("want %d differences, got: %r" % (len(rows), got))
        return 1
    for (target, ttl, vanished, appeared, line), d in zip(rows, got):
        seen = (d.get("target"), d.get("ttl"), d.get("kind"),
                d.get("vanished"), d.get("appeared"), d.get("text"))
        expect = (target, ttl, "responders", vanished, appeared, line)
        if seen != expect:
            print("difference %r\n want %r" % (seen, expect))
            return 1
    if doc.get("compared") != compared or doc.get("type") != "diff":
        print("compared %r (want %r), type %r" % (doc.get("compared"),
                                                   compared, doc.get("type")))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

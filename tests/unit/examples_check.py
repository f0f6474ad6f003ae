#!/usr/bin/python3
"""examples_check.py SRCDIR: cheap checks of packaging/examples/ and
packaging/systemd/, which no test runs (see packaging/examples/README).

  - every IPv4 and IPv6 address in those files is from the documentation
    ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)
    or loopback; every host name ends in example.net, example.com or
    example (the project's network rule, for examples too);
  - with python3-yaml installed, every Kubernetes YAML file parses, each
    document has apiVersion, kind and metadata.name; the DaemonSet has a
    tracing and a shipping container; the Indexed Job's completions equal
    the shard count its --shard-from names.  Without python3-yaml these are
    reported as skipped.

Prints "ok - ..." / "not ok - ..." lines and a "1..N" plan; exit status 1
when a check failed, 0 otherwise.
"""

import ipaddress
import os
import re
import sys

ALLOWED = [ipaddress.ip_network(n) for n in (
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "127.0.0.0/8",
    "2001:db8::/32", "::1/128")]
V4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w.])")
V6 = re.compile(r"(?<![\w:])([0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w:])")
HOST = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:net|com|org|io))\b")

results = []


def check(cond, text):
    results.append((bool(cond), text))


def files(srcdir):
    for sub in ("packaging/examples", "packaging/systemd"):
        top = os.path.join(srcdir, sub)
        for dirpath, _, names in os.walk(top):
            for name in sorted(names):
                if name.endswith((".pyc",)):
                    continue
                yield os.path.join(dirpath, name)


def check_addresses(path, text):
    rel = path
    bad = []
    for m in V4.finditer(text):
        try:
            addr = ipaddress.ip_address(m.group(1))
        except ValueError:
            continue
        if not any(addr in n for n in ALLOWED):
            bad.append(m.group(1))
    for m in V6.finditer(text):
        try:
            addr = ipaddress.ip_address(m.group(1))
        except ValueError:
            continue
        if not any(addr in n for n in ALLOWED):
            bad.append(m.group(1))
    check(not bad, "%s: addresses only from the documentation ranges%s"
          % (rel, " (not: %s)" % ", ".join(bad) if bad else ""))
    hosts = [h for h in HOST.findall(text)
             if not re.search(r"(^|\.)example\.(net|com|org)$", h)
             and not h.endswith((".kubernetes.io", ".py", ".service"))
             and h not in ("app.kubernetes.io", "kubernetes.io")]
    check(not hosts, "%s: host names only under example.net/.com%s"
          % (rel, " (not: %s)" % ", ".join(sorted(set(hosts))) if hosts else ""))


def check_yaml(path, text, yaml):
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        check(False, "%s: parses as YAML (%s)" % (path, e))
        return
    check(docs, "%s: parses as YAML, %d documents" % (path, len(docs)))
    for doc in docs:
        name = (doc.get("metadata") or {}).get("name")
        check(doc.get("apiVersion") and doc.get("kind") and name,
              "%s: %s %s has apiVersion, kind and metadata.name"
              % (path, doc.get("kind"), name))
        spec = doc.get("spec") or {}
        pod = ((spec.get("template") or {}).get("spec")) or {}
        if doc.get("kind") == "DaemonSet":
            names = [c.get("name") for c in pod.get("containers", [])]
            check(len(names) >= 2, "%s: the DaemonSet has a tracer and a shipper (%s)"
                  % (path, names))
        if doc.get("kind") == "Job":
            args = " ".join(" ".join(c.get("args", []) + c.get("command", []))
                            for c in pod.get("containers", []))
            m = re.search(r"--shard-from\s+JOB_COMPLETION_INDEX/(\d+)", args)
            check(spec.get("completionMode") == "Indexed" and m
                  and int(m.group(1)) == spec.get("completions"),
                  "%s: an Indexed Job whose completions (%s) equal its shard count (%s)"
                  % (path, spec.get("completions"), m.group(1) if m else None))


def main(argv):
    srcdir = argv[1] if len(argv) > 1 else "."
    try:
        import yaml
    except ImportError:
        yaml = None
    paths = list(files(srcdir))
    check(paths, "examples found under %s" % srcdir)
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        check_addresses(os.path.relpath(path, srcdir), text)
        if path.endswith((".yaml", ".yml")):
            if yaml is None:
                print("# %s: not parsed, python3-yaml is not installed"
                      % os.path.relpath(path, srcdir))
            else:
                check_yaml(os.path.relpath(path, srcdir), text, yaml)
    failed = 0
    for n, (good, text) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if good else "not ok", n, text))
        failed += not good
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""mtrpacket_drive.py: drive hopprobe through the mtrpacket Python library.

mtrpacket (vendored unmodified in shared/vendor/mtrpacket-py, found through
PYTHONPATH) is an independent client of the mtr-packet protocol: it starts
the worker named by MTR_PACKET through /bin/sh, numbers its own tokens,
splits replies on single spaces and matches them to many concurrent
requests.  net_mtrpacket.sh runs this script inside the lab's host
namespace; the lab's addresses come from lib.sh through the environment
(LAB_TARGET4, LAB_R1_4, ...), never from the worker's answers.

Prints one 'ok - ...' or 'not ok - ...' line per check and '#' lines for
diagnostics; exits 0 when every check passed, 1 otherwise.
"""

import asyncio
import os
import re
import shlex
import subprocess
import sys
import time

import mtrpacket

# Generous bounds: the lab answers in well under a millisecond.
PROBE_TIMEOUT = 5
GROUP_DEADLINE = 60
EXAMPLE_DEADLINE = 90

PROTOCOLS = ("icmp", "udp", "tcp", "sctp")


class Checks:
    """Counts and prints the results of the checks, TAP style."""

    def __init__(self):
        self.total = 0
        self.failed = 0

    def report(self, passed, desc, details=()):
        """Print one result line, and the details of a failure."""
        self.total += 1
        if passed:
            print("ok - " + desc, flush=True)
            return
        self.failed += 1
        print("not ok - " + desc, flush=True)
        for line in details:
            print("#   " + str(line), flush=True)


def lab():
    """The lab's addresses, from lib.sh's exported variables."""
    names = ("TARGET4", "TARGET6", "R1_4", "R1_6", "R2_4", "R2_6",
             "BLACKHOLE4", "BLACKHOLE6")
    env = {}
    for name in names:
        value = os.environ.get("LAB_" + name)
        if not value:
            sys.exit("mtrpacket_drive.py: LAB_%s is not set" % name)
        env[name] = value
    env["families"] = (4, 6) if os.environ.get("LAB_HAVE_IPV6") == "1" else (4,)
    return env


def hop_address(addrs, family, ttl):
    """Who answers a probe with this TTL: r1, r2, then the target."""
    suffix = "4" if family == 4 else "6"
    return addrs[("R1_", "R2_", "TARGET")[ttl - 1] + suffix]


def expected_result(addrs, family, ttl):
    """The (result, responder) the lab gives for a probe to the target."""
    return ("reply" if ttl >= 3 else "ttl-expired",
            hop_address(addrs, family, min(ttl, 3)))


def describe(result):
    """A ProbeResult as text for failure details."""
    return "result=%s responder=%s time_ms=%s mpls=%s" % (
        result.result, result.responder, result.time_ms, result.mpls)


def answered_well(result, want_result, want_responder):
    """True when a probe result is exactly what the lab must give."""
    return (result.result == want_result
            and result.responder == want_responder
            and result.success == (want_result == "reply")
            and isinstance(result.time_ms, float)
            and 0.0 <= result.time_ms < PROBE_TIMEOUT * 1000.0
            and result.mpls == [])


async def check_features(mtr, checks):
    """check_support must say yes to everything the lab tests use."""
    for feature in ("send-probe", "ip-4", "ip-6", "udp", "tcp", "sctp"):
        supported = await mtr.check_support(feature)
        checks.report(supported is True,
                      "check_support(%r) is True" % feature,
                      ["got %r" % supported])
    # A name nobody supports must be refused, or the answers above mean
    # nothing.
    supported = await mtr.check_support("no-such-feature-xyz")
    checks.report(supported is False,
                  "check_support('no-such-feature-xyz') is False",
                  ["got %r" % supported])


async def check_single(mtr, addrs, checks):
    """One probe at a time: target reached, ttl 1 and 2 expire at r1, r2."""
    for family in addrs["families"]:
        target = addrs["TARGET%d" % family]
        for protocol in PROTOCOLS:
            for ttl in (255, 1, 2):
                want, responder = expected_result(addrs, family, ttl)
                result = await mtr.probe(target, ip_version=family,
                                         protocol=protocol, ttl=ttl,
                                         timeout=PROBE_TIMEOUT)
                checks.report(
                    answered_well(result, want, responder),
                    "IPv%d %s ttl %d to %s: %s from %s"
                    % (family, protocol, ttl, target, want, responder),
                    [describe(result)])


async def timed_probe(mtr, host, **args):
    """A probe and how long the library waited for it, in seconds."""
    start = time.monotonic()
    result = await mtr.probe(host, **args)
    return result, time.monotonic() - start


async def check_blackhole(mtr, addrs, checks):
    """Probes into r2's blackhole route: no-reply after 1 s, not before.

    The protocol allows no-reply at most 0.5 s after the timeout; 0.5 s
    more is left for the Python side's scheduling.
    """
    jobs = []
    for family in addrs["families"]:
        for protocol in ("icmp", "udp"):
            jobs.append((family, protocol, timed_probe(
                mtr, addrs["BLACKHOLE%d" % family], ip_version=family,
                protocol=protocol, timeout=1)))
    outcomes = await asyncio.gather(*(job[2] for job in jobs))
    for (family, protocol, _), (result, elapsed) in zip(jobs, outcomes):
        good = (result.result == "no-reply" and not result.success
                and result.responder is None and result.time_ms is None
                and 1.0 <= elapsed <= 2.0)
        checks.report(good,
                      "IPv%d %s to the blackhole %s with timeout 1: no-reply"
                      " after 1.0-2.0 s" % (family, protocol,
                                           addrs["BLACKHOLE%d" % family]),
                      [describe(result), "elapsed %.3f s" % elapsed])


async def check_concurrent(mtr, addrs, checks, count=200):
    """count probes in flight at once over ttl 1..3, both families and
    every protocol; each must come back with its own hop's answer."""
    plan = []
    families = addrs["families"]
    for i in range(count):
        family = families[i % len(families)]
        ttl = 1 + (i // len(families)) % 3
        protocol = PROTOCOLS[(i // (3 * len(families))) % len(PROTOCOLS)]
        plan.append((family, ttl, protocol))
    results = await asyncio.gather(*(
        mtr.probe(addrs["TARGET%d" % family], ip_version=family, ttl=ttl,
                  protocol=protocol, timeout=PROBE_TIMEOUT)
        for family, ttl, protocol in plan))
    wrong = []
    for (family, ttl, protocol), result in zip(plan, results):
        want, responder = expected_result(addrs, family, ttl)
        if not answered_well(result, want, responder):
            wrong.append("IPv%d %s ttl %d: want %s from %s, got %s"
                         % (family, protocol, ttl, want, responder,
                            describe(result)))
    checks.report(not wrong,
                  "%d concurrent probes (ttl 1-3, IPv%s, %s): every one"
                  " answered by its hop" % (count, "/".join(map(str, families)),
                                             "/".join(PROTOCOLS)),
                  ["%d wrong, e.g.:" % len(wrong)] + wrong[:10])


async def run_checks(addrs, checks):
    """Every check that shares one library session (one worker)."""
    command = shlex.quote(os.environ["MTR_PACKET"])
    try:
        mtr = await mtrpacket.MtrPacket(command).open()
    except mtrpacket.ProcessError as err:
        checks.report(False, "the library opens a session with the worker",
                      [repr(err)])
        return
    checks.report(True, "the library opens a session with the worker "
                  "(its check-support send-probe)")
    try:
        for name, coro in (
                ("features", check_features(mtr, checks)),
                ("single probes", check_single(mtr, addrs, checks)),
                ("blackhole", check_blackhole(mtr, addrs, checks)),
                ("concurrent", check_concurrent(mtr, addrs, checks))):
            try:
                await asyncio.wait_for(coro, GROUP_DEADLINE)
            except (asyncio.TimeoutError, mtrpacket.ProcessError) as err:
                checks.report(False, "%s: finished without error" % name,
                              [repr(err)])
    finally:
        await mtr.close()


def run_example(name, host):
    """Run one of the library's examples; (exit status, stdout, stderr)."""
    examples = os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(mtrpacket.__file__))), "examples")
    try:
        done = subprocess.run([sys.executable, os.path.join(examples, name),
                               host], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True,
                              timeout=EXAMPLE_DEADLINE, check=False)
    except subprocess.TimeoutExpired as err:
        return None, err.stdout or "", err.stderr or ""
    return done.returncode, done.stdout, done.stderr


def show_stderr(name, stderr):
    """The examples may warn (e.g. about asyncio.get_event_loop); show it."""
    for line in stderr.splitlines():
        print("# %s stderr: %s" % (name, line))


# trace-sequential.py prints one line per TTL:
#   "<ttl>.[ <float>ms] <result>[ from <address>]"
TRACE_LINE = re.compile(r"^(\d+)\.(?: [0-9.]+ms)? (\S+)(?: from (\S+))?$")


def check_examples(addrs, checks):
    """The library's own example programs against the target.

    trace-sequential.py and ping.py take the address as their argument.
    trace-concurrent.py is left out: it draws with curses on a terminal
    and runs until SPACE is pressed, so it cannot run unattended.
    """
    print("# examples/trace-concurrent.py not run: curses program that"
          " waits for SPACE on a terminal")
    for family in addrs["families"]:
        target = addrs["TARGET%d" % family]
        want = [(str(ttl),) + expected_result(addrs, family, ttl)
                for ttl in (1, 2, 3)]
        status, out, err = run_example("trace-sequential.py", target)
        show_stderr("trace-sequential.py", err)
        got = []
        for line in out.splitlines():
            match = TRACE_LINE.match(line)
            got.append(match.groups() if match else ("unparsed", line, None))
        checks.report(status == 0 and got == want,
                      "examples/trace-sequential.py %s: 1 %s, 2 %s, 3 %s"
                      % (target, want[0][2], want[1][2], want[2][2]),
                      ["exit status %s, output:" % status]
                      + out.splitlines())

        status, out, err = run_example("ping.py", target)
        show_stderr("ping.py", err)
        lines = out.splitlines()
        good = (status == 0 and len(lines) == 1 and re.match(
            r"^reply from %s in [0-9.]+ ms$" % re.escape(target), lines[0]))
        checks.report(bool(good), "examples/ping.py %s: reply from %s"
                      % (target, target),
                      ["exit status %s, output:" % status] + lines)


def main():
    """Run every check; the exit status says whether all passed."""
    addrs = lab()
    if not os.environ.get("MTR_PACKET"):
        sys.exit("mtrpacket_drive.py: MTR_PACKET is not set")
    checks = Checks()
    asyncio.run(run_checks(addrs, checks))
    check_examples(addrs, checks)
    print("# %d checks, %d failed" % (checks.total, checks.failed))
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

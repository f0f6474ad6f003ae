#!/usr/bin/python3
"""pathemu.py: answer probes like a path of routers, through a TUN device.

Used by the network tests (tests/net/net_mpls.sh, through pathemu_lib.sh) to
put in front of the worker what this kernel cannot produce: routers that
forward with MPLS and return the label stack in ICMP extensions (RFC 4884,
RFC 4950), in every form and malformation a real network sends, plus
delayed, lost, duplicated and reordered answers.  Every answer is built with
scapy, independently of the worker's C code.

    pathemu.py --config PATH.json --tun NAME --ready FILE [--log FILE]
               [--lifetime SECONDS]

The responder opens the TUN device NAME (IFF_TUN, no packet information)
and writes FILE once it exists.  The test then moves the device into the
namespace where the worker runs and routes the emulated prefixes into it;
the responder itself stays in a namespace of its own with nothing but
loopback, so it cannot send anything anywhere except through that device.
Every packet read from the device is answered (or not) as the path that
owns its destination address says; everything else is ignored.  The
responder stops on SIGTERM or SIGINT, and by itself after --lifetime
seconds (else the config's "lifetime", else 120).

The configuration (JSON):

    {
      "lifetime": 120,            optional, seconds
      "seed": 1,                  optional, for "loss" below 1
      "paths": [
        {
          "dst4": "203.0.113.23", "dst6": "2001:db8:e:5::3",
                                  optional: default the last hop's addresses
          "hops": [ HOP, ... ]    hop i (from 1) answers TTL / hop limit i
        }, ...
      ]
    }

A probe to a path's destination with TTL t below the number of hops N gets
time exceeded from hop t.  With t >= N the last hop answers: with
"unreach" set, destination unreachable (net or host); else, when its
address is the destination, as the destination (echo reply; ICMP port
unreachable for UDP; RST-ACK for a TCP SYN, acknowledging the sequence
number plus one plus the SYN's payload as Linux does; ABORT for an SCTP
INIT, carrying the INIT's initiate tag as verification tag, T bit clear);
else not at all.

    HOP = {
      "addr4": "203.0.113.21", "addr6": "2001:db8:e:5::1",
      "addrs4": ["203.0.113.21", "203.0.113.22"],
      "addrs6": ["2001:db8:e:5::1", "2001:db8:e:5::2"],
                                  instead of addr4 / addr6, routers only
                                  (not the last hop): a balancer that
                                  splits per packet, whatever the flow.
                                  Each probe the hop answers gets its
                                  answer from the next address of the
                                  list in turn, round robin (a lost
                                  answer uses its turn too); two or more
                                  addresses, all different
      "unreach": "net" | "host" | "too-big",
                                  last hop only: unreachable instead
                                  (too-big: ICMP fragmentation needed /
                                  ICMPv6 packet too big, whatever the
                                  probe's size and DF bit)
      "mtu": 1280,                the MTU that too-big gives
      "ext": EXT,                 ICMP extension on this hop's ICMP errors
      "ext_on_answers": false,    destination only: append EXT to echo
                                  reply data and as RST payload too (not a
                                  thing routers do; the worker must ignore it)
      "quote_transport": 8,       quote the IP header and only this many
                                  transport bytes (default: the whole probe,
                                  within 576 / 1280 bytes)
      "delay_ms": 0,              answer this much later
      "loss": 0.0,                probability of not answering at all
      "dup": 0,                   extra copies of each answer
      "dup_gap_ms": 0,            between the copies
      "reorder": false,           hold each answer until the next answer of
                                  any hop has gone out (at most
                                  "reorder_max_ms", default 1000)
      "error4": ERROR,            answer IPv4 probes with this ICMP error
      "error6": ERROR,            instead of time exceeded (a router) or
                                  of unreachable or the destination's
                                  answer (the last hop)
      "reply_ttl": 64,            TTL / hop limit of every answer of this
                                  hop (default 64 - distance + 1)
      "quoted_ttl": N,            the TTL / hop limit and the TOS / traffic
      "quoted_tos": N             class of the probe as quoted (default:
                                  the probe's TTL there, its TOS as sent)
    }

    ERROR = {"type": 3, "code": 4, "mtu": 1400}
                                  ICMPv4 types 3, 11, 12 or ICMPv6 types
                                  1 to 4; "mtu": the next-hop MTU of an
                                  ICMPv4 type 3 (RFC 1191) or the MTU of an
                                  ICMPv6 packet too big, default 0

    EXT = {
      "form": "rfc4884" | "old",  rfc4884: length attribute set, original
                                  datagram zero-padded to >= 128 bytes and
                                  whole 32-bit (v4) / 64-bit (v6) words;
                                  old: length 0, original datagram exactly
                                  128 bytes, extension after it
      "checksum": "good" | "bad" | "zero",
      "objects": [ {"mpls": [[label, tc, s, ttl], ...]},
                   {"ifinfo": IFINFO},
                   {"class": 2, "ctype": 0, "hex": "0102..."} ],
      "mpls": [[label, tc, s, ttl], ...],   shorthand for one MPLS object
      "malformed": null | "truncated" | "zero-length" | "oversize" |
                   "version" | "odd-mpls"
    }

    IFINFO = {                    an RFC 5837 interface information object
      "role": 0,                  0 to 3
      "index": 7,                 each field optional: the c-type says
      "ip4": "192.0.2.77" | "ip6": "2001:db8::77",     which are present
      "name": "eth0" | "name_hex": "65746830",
      "mtu": 1500,
      "name_len": N,              the name sub-object's length byte
                                  (default: RFC 5837's, the name plus its
                                  length byte NUL-padded to a multiple of 4)
      "afi": N,                   the address family number (default: 1
                                  for ip4, 2 for ip6; another makes the
                                  object carry 4 zero bytes as address)
      "extra": "hex"              bytes after the fields
    }

Malformations touch the first object: "truncated" cuts the last 4 bytes
off the message (the object claims more than arrives), "zero-length" sets
its length to 0, "oversize" to 1024, "odd-mpls" adds 2 bytes to the MPLS
object (length no longer 4 + 4n), "version" sets the structure's version
to 1.  The checksum is computed last, over the bytes as sent, so that with
"good" the malformation is the only fault.

Every address in the configuration must lie in the documentation ranges
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32); the
responder refuses to start otherwise.
"""

import argparse
import fcntl
import heapq
import ipaddress
import json
import os
import random
import select
import signal
import struct
import sys
import time

from scapy.compat import raw
from scapy.contrib.icmp_extensions import (ICMPExtensionHeader,
                                           ICMPExtensionInterfaceInformation,
                                           ICMPExtensionMPLS,
                                           ICMPExtensionObject)
from scapy.contrib.mpls import MPLS
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import (ICMPv6DestUnreach, ICMPv6EchoReply,
                                ICMPv6EchoRequest, ICMPv6PacketTooBig,
                                ICMPv6ParamProblem, ICMPv6TimeExceeded, IPv6)
from scapy.layers.sctp import SCTP, SCTPChunkAbort, SCTPChunkInit
from scapy.packet import Raw
from scapy.utils import checksum

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

DOC_NETS = [ipaddress.ip_network(n) for n in
            ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
             "2001:db8::/32")]

# Largest ICMP errors: RFC 1812 4.3.2.3 (576 bytes) and RFC 4443 2.4 (the
# IPv6 minimum MTU).
MAX_ERROR4 = 576
MAX_ERROR6 = 1280
# RFC 4884: the original datagram field is at least 128 bytes when an
# extension follows.
MIN_ORIGINAL = 128
REPLY_TTL = 64


def doc_addr(text, family):
    """An address of the given family from the documentation ranges."""
    addr = ipaddress.ip_address(text)
    if addr.version != family:
        raise ValueError("%s is not an IPv%d address" % (text, family))
    if not any(addr in n for n in DOC_NETS):
        raise ValueError("%s is not in a documentation range" % text)
    return str(addr)


class Hop:
    """One router of a path, as the configuration describes it."""

    def __init__(self, spec, distance):
        self.distance = distance
        self.addr = {4: None, 6: None}
        # Per-packet balancing: the addresses answered from in turn, and
        # whose turn it is.
        self.rotation = {4: None, 6: None}
        self.turn = {4: 0, 6: 0}
        for family in (4, 6):
            single = spec.get("addr%d" % family)
            several = spec.get("addrs%d" % family)
            if single and several is not None:
                raise ValueError("addr%d and addrs%d exclude each other"
                                 % (family, family))
            if single:
                self.addr[family] = doc_addr(single, family)
            elif several is not None:
                addrs = [doc_addr(a, family) for a in several]
                if len(addrs) < 2 or len(set(addrs)) != len(addrs):
                    raise ValueError("addrs%d needs two or more different "
                                     "addresses" % family)
                self.rotation[family] = addrs
                self.addr[family] = addrs[0]
        self.unreach = spec.get("unreach")
        if self.unreach not in (None, "net", "host", "too-big"):
            raise ValueError("unreach must be net, host or too-big")
        self.mtu = int(spec.get("mtu", 1280))
        if not 0 <= self.mtu <= 0xFFFFFFFF:
            raise ValueError("mtu must fit 32 bits")
        self.ext = spec.get("ext")
        if self.ext is not None:
            check_ext(self.ext)
        self.ext_on_answers = bool(spec.get("ext_on_answers", False))
        self.quote_transport = spec.get("quote_transport")
        self.delay = float(spec.get("delay_ms", 0)) / 1000.0
        self.loss = float(spec.get("loss", 0.0))
        self.dup = int(spec.get("dup", 0))
        self.dup_gap = float(spec.get("dup_gap_ms", 0)) / 1000.0
        self.reorder = bool(spec.get("reorder", False))
        self.reorder_max = float(spec.get("reorder_max_ms", 1000)) / 1000.0
        if not 0 <= self.dup <= 10:
            raise ValueError("dup must be 0 to 10")
        self.errors = {4: spec.get("error4"), 6: spec.get("error6")}
        for family, err in self.errors.items():
            if err is not None:
                check_error(err, family)
        self.reply_ttl = spec.get("reply_ttl")
        self.quoted_ttl = spec.get("quoted_ttl")
        self.quoted_tos = spec.get("quoted_tos")
        for value in (self.reply_ttl, self.quoted_ttl, self.quoted_tos):
            if value is not None and not 0 <= int(value) <= 255:
                raise ValueError("TTLs and TOS are 0 to 255")

    def answer_addr(self, family):
        """The address this hop's next answer comes from: its one
        address, or with "addrs4"/"addrs6" the next one in turn."""
        rotation = self.rotation[family]
        if rotation is None:
            return self.addr[family]
        addr = rotation[self.turn[family] % len(rotation)]
        self.turn[family] += 1
        return addr

    def ip_ttl(self):
        """The TTL / hop limit this hop's answers arrive with."""
        if self.reply_ttl is not None:
            return int(self.reply_ttl)
        return REPLY_TTL - self.distance + 1


def check_error(err, family):
    """Reject an ICMP error this script cannot build."""
    types = (3, 11, 12) if family == 4 else (1, 2, 3, 4)
    if err.get("type") not in types:
        raise ValueError("error%d type must be one of %r" % (family, types))
    if not 0 <= int(err.get("code", 0)) <= 255:
        raise ValueError("error code must be 0 to 255")
    if not 0 <= int(err.get("mtu", 0)) < (1 << 16 if family == 4 else 1 << 32):
        raise ValueError("error mtu out of range")


def check_ext(ext):
    """Reject an extension description this script would build wrongly."""
    if ext.get("form", "rfc4884") not in ("rfc4884", "old"):
        raise ValueError("ext form must be rfc4884 or old")
    if ext.get("checksum", "good") not in ("good", "bad", "zero"):
        raise ValueError("ext checksum must be good, bad or zero")
    if ext.get("malformed") not in (None, "truncated", "zero-length",
                                    "oversize", "version", "odd-mpls"):
        raise ValueError("unknown malformation %r" % ext.get("malformed"))
    for obj in [o["ifinfo"] for o in ext_objects(ext) if "ifinfo" in o]:
        for key in ("ip4", "ip6"):
            if key in obj:
                doc_addr(obj[key], int(key[2]))
    for stack in [o["mpls"] for o in ext_objects(ext) if "mpls" in o]:
        if not 1 <= len(stack) <= 64:
            raise ValueError("an MPLS stack has 1 to 64 entries")
        for label, tc, s, ttl in stack:
            if not (0 <= label < 1 << 20 and 0 <= tc < 8 and
                    0 <= s < 2 and 0 <= ttl < 256):
                raise ValueError("bad MPLS entry %r" %
                                 ([label, tc, s, ttl],))


def ext_objects(ext):
    objects = list(ext.get("objects", []))
    if "mpls" in ext:
        objects.append({"mpls": ext["mpls"]})
    return objects


class Path:
    """The routers between the worker and one destination."""

    def __init__(self, spec):
        self.hops = [Hop(h, i + 1) for i, h in enumerate(spec["hops"])]
        if not self.hops:
            raise ValueError("a path needs at least one hop")
        last = self.hops[-1]
        if last.rotation[4] or last.rotation[6]:
            raise ValueError("addrs4 / addrs6 are for routers, not the "
                             "last hop")
        self.dst = {4: last.addr[4], 6: last.addr[6]}
        if spec.get("dst4"):
            self.dst[4] = doc_addr(spec["dst4"], 4)
        if spec.get("dst6"):
            self.dst[6] = doc_addr(spec["dst6"], 6)


def build_extension(ext):
    """
    The extension structure as sent, and whether the message must lose its
    last 4 bytes (the "truncated" malformation, applied by the caller
    after the structure has been placed).
    """
    malformed = ext.get("malformed")
    objects = []
    for obj in ext_objects(ext):
        if "mpls" in obj:
            stack = [MPLS(label=l, cos=tc, s=s, ttl=t)
                     for l, tc, s, t in obj["mpls"]]
            body = raw(ICMPExtensionMPLS(stack=stack))
            if malformed == "odd-mpls" and not objects:
                body += b"\x00\x00"
                body = struct.pack("!H", len(body)) + body[2:]
        elif "ifinfo" in obj:
            body = ifinfo_object(obj["ifinfo"])
        else:
            body = raw(ICMPExtensionObject(classnum=obj["class"],
                                           classtype=obj["ctype"]) /
                       Raw(bytes.fromhex(obj.get("hex", ""))))
        objects.append(bytearray(body))
    if objects and malformed == "zero-length":
        objects[0][0:2] = b"\x00\x00"
    if objects and malformed == "oversize":
        objects[0][0:2] = struct.pack("!H", 1024)
    version = 1 if malformed == "version" else 2
    structure = bytearray(raw(ICMPExtensionHeader(version=version,
                                                  chksum=0)))
    for body in objects:
        structure += body
    return structure, malformed == "truncated"


def ifinfo_object(spec):
    """
    An RFC 5837 interface information object, built by scapy.  RFC 5837
    4.5: the name sub-object's length byte counts itself, and the name is
    NUL-padded to a multiple of 4; scapy's automatic length counts the
    name alone, so the length and the padding are given here.
    """
    fields = dict(interface_role=int(spec.get("role", 0)))
    if "index" in spec:
        fields.update(has_ifindex=1, ifindex=int(spec["index"]))
    if "ip4" in spec or "ip6" in spec or "afi" in spec:
        # scapy takes an address only once the AFI is set: AFI first.
        afi = spec.get("afi", 1 if "ip4" in spec else 2)
        fields.update(has_ipaddr=1, afi=afi)
        if "ip4" in spec:
            fields.update(ip4=spec["ip4"])
        elif "ip6" in spec:
            fields.update(ip6=spec["ip6"])
    name = None
    if "name_hex" in spec:
        name = bytes.fromhex(spec["name_hex"])
    elif "name" in spec:
        name = spec["name"].encode()
    if name is not None:
        size = -(-(len(name) + 1) // 4) * 4
        fields.update(has_ifname=1,
                      ifname_len=int(spec.get("name_len", size)),
                      ifname=name.ljust(size - 1, b"\x00"))
    if "mtu" in spec:
        fields.update(has_mtu=1, mtu=int(spec["mtu"]))
    body = raw(ICMPExtensionInterfaceInformation(**fields))
    if fields.get("has_ipaddr") and afi not in (1, 2):
        body += bytes(4)
    body += bytes.fromhex(spec.get("extra", ""))
    return struct.pack("!H", len(body)) + body[2:]


def finish_checksum(structure, how):
    """Fill in the extension checksum over the bytes as finally sent."""
    structure[2:4] = b"\x00\x00"
    if how == "zero":
        return bytes(structure)
    good = checksum(bytes(structure))
    if how == "bad":
        # Anything else that is not zero (zero means "not computed").
        good = (good ^ 0x5A5A) or 0x1234
    structure[2:4] = struct.pack("!H", good)
    return bytes(structure)


def quoted_datagram(probe, family, hop_ttl, transport_bytes, tos=None):
    """
    The probe as the router quotes it: with the TTL / hop limit it had on
    arrival there (the routers before it decremented it, and updated the
    IPv4 header checksum), and TOS / traffic class tos when given (a router
    that rewrote it), cut to the IP header and transport_bytes when asked.
    """
    data = bytearray(probe)
    if family == 4:
        ihl = (data[0] & 0x0F) * 4
        data[8] = hop_ttl
        if tos is not None:
            data[1] = tos
        data[10:12] = b"\x00\x00"
        data[10:12] = struct.pack("!H", checksum(bytes(data[:ihl])))
        header = ihl
    else:
        data[7] = hop_ttl
        if tos is not None:
            # Version (4 bits), traffic class (8), flow label (20).
            data[0] = (data[0] & 0xF0) | (tos >> 4)
            data[1] = ((tos & 0x0F) << 4) | (data[1] & 0x0F)
        header = 40
    if transport_bytes is not None:
        data = data[:header + int(transport_bytes)]
    return bytes(data)


def error_body(quote, family, hop):
    """
    The ICMP error body (original datagram field plus any extension) and
    the RFC 4884 length attribute for the ICMP header.
    """
    limit = (MAX_ERROR4 - 28) if family == 4 else (MAX_ERROR6 - 48)
    if hop.ext is None:
        return quote[:limit], 0
    structure, truncate = build_extension(hop.ext)
    form = hop.ext.get("form", "rfc4884")
    if form == "old":
        original = quote[:MIN_ORIGINAL].ljust(MIN_ORIGINAL, b"\x00")
        length_attr = 0
    else:
        unit = 4 if family == 4 else 8
        room = (limit - len(structure)) // unit * unit
        original = quote[:room]
        size = max(MIN_ORIGINAL, -(-len(original) // unit) * unit)
        original = original.ljust(size, b"\x00")
        length_attr = size // unit
    if truncate:
        # The checksum covers what is sent: the cut structure.
        structure = structure[:-4]
    ext = finish_checksum(structure, hop.ext.get("checksum", "good"))
    return original + ext, length_attr


class Responder:
    """Reads probes from the TUN device and schedules the answers."""

    def __init__(self, config, tun_fd, log):
        self.paths = {4: {}, 6: {}}
        for spec in config["paths"]:
            path = Path(spec)
            for family in (4, 6):
                if path.dst[family]:
                    self.paths[family][path.dst[family]] = path
        self.fd = tun_fd
        self.log = log
        self.rng = random.Random(config.get("seed", 1))
        self.timers = []        # (when, seq, action, arg)
        self.seq = 0
        self.held = []          # [(deadline, packet bytes, what)]

    def note(self, text):
        if self.log:
            self.log.write("%.6f %s\n" % (time.monotonic(), text))
            self.log.flush()

    def schedule(self, when, action, arg):
        self.seq += 1
        heapq.heappush(self.timers, (when, self.seq, action, arg))

    def next_deadline(self):
        times = [t[0] for t in self.timers[:1]]
        times += [h[0] for h in self.held]
        return min(times) if times else None

    def run_due(self, now):
        while self.timers and self.timers[0][0] <= now:
            _, _, action, arg = heapq.heappop(self.timers)
            action(arg)
        for item in list(self.held):
            if item[0] <= now:
                self.held.remove(item)
                self.write(item[1], item[2] + " (held, released late)")

    def write(self, packet, what):
        try:
            os.write(self.fd, packet)
        except OSError as err:
            self.note("write failed: %s: %s" % (what, err))
            return
        self.note("tx " + what)

    def send_now(self, arg):
        packet, what, hop = arg
        if hop.reorder:
            self.held.append((time.monotonic() + hop.reorder_max,
                              packet, what))
            self.note("hold " + what)
            return
        self.write(packet, what)
        # Anything held waits for exactly this: another answer going out.
        held, self.held = self.held, []
        for _, held_packet, held_what in held:
            self.write(held_packet, held_what + " (held, after the next)")

    def answer(self, hop, packet, what):
        """Send one answer of hop, honouring its loss, delay, duplicates."""
        if hop.loss > 0 and self.rng.random() < hop.loss:
            self.note("lost " + what)
            return
        now = time.monotonic()
        copies = hop.dup + 1
        for i in range(copies):
            self.schedule(now + hop.delay + i * hop.dup_gap, self.send_now,
                          (packet, "%s copy %d/%d" % (what, i + 1, copies),
                           hop))
        self.run_due(now)

    def handle(self, data):
        if not data:
            return
        family = data[0] >> 4
        if family == 4:
            pkt = IP(data)
            if pkt.frag != 0 or pkt.flags.MF:
                return
            dst, src, ttl = pkt.dst, pkt.src, pkt.ttl
        elif family == 6:
            pkt = IPv6(data)
            dst, src, ttl = pkt.dst, pkt.src, pkt.hlim
        else:
            return
        path = self.paths[family].get(str(ipaddress.ip_address(dst)))
        if path is None:
            return
        ttl = max(ttl, 1)
        n = len(path.hops)
        kind = probe_kind(pkt, family)
        self.note("rx v%d %s %s -> %s ttl %d" % (family, kind, src, dst,
                                                 ttl))
        if kind is None:
            return
        if ttl < n:
            hop = path.hops[ttl - 1]
            self.error(hop, family, data, src, ttl, "time-exceeded")
            return
        hop = path.hops[-1]
        hop_ttl = ttl - n + 1
        if hop.unreach or hop.errors[family]:
            self.error(hop, family, data, src, hop_ttl,
                       "unreach-" + hop.unreach)
        elif hop.addr[family] == path.dst[family]:
            self.destination(hop, family, pkt, data, kind, src, hop_ttl)

    def error(self, hop, family, data, src, hop_ttl, kind):
        """An ICMP error from hop about the probe data."""
        addr = hop.answer_addr(family)
        if addr is None:
            return
        if hop.quoted_ttl is not None:
            hop_ttl = int(hop.quoted_ttl)
        quote = quoted_datagram(data, family, hop_ttl, hop.quote_transport,
                                hop.quoted_tos)
        body, length_attr = error_body(quote, family, hop)
        ip_ttl = hop.ip_ttl()
        chosen = hop.errors[family]
        if chosen is not None:
            kind = "icmp-%d-%d" % (chosen["type"], chosen.get("code", 0))
            packet = chosen_error(family, chosen, length_attr, addr, src,
                                  ip_ttl) / Raw(body)
        elif family == 4:
            if kind == "time-exceeded":
                icmp = ICMP(type=11, code=0, length=length_attr)
            elif kind == "unreach-too-big":
                # RFC 1191: the next-hop MTU in the header's last 16 bits.
                icmp = ICMP(type=3, code=4, length=length_attr,
                            nexthopmtu=hop.mtu & 0xFFFF)
            else:
                code = {"unreach-net": 0, "unreach-host": 1,
                        "unreach-port": 3}[kind]
                icmp = ICMP(type=3, code=code, length=length_attr)
            packet = IP(src=addr, dst=src, ttl=ip_ttl) / icmp / Raw(body)
        else:
            if kind == "time-exceeded":
                icmp = ICMPv6TimeExceeded(code=0, length=length_attr)
            elif kind == "unreach-too-big":
                # RFC 4443 3.2: no length attribute, no extensions.
                icmp = ICMPv6PacketTooBig(mtu=hop.mtu)
                body = quote[:MAX_ERROR6 - 48]
            else:
                code = {"unreach-net": 0, "unreach-host": 3,
                        "unreach-port": 4}[kind]
                icmp = ICMPv6DestUnreach(code=code, length=length_attr)
            packet = IPv6(src=addr, dst=src, hlim=ip_ttl) / icmp / Raw(body)
        self.answer(hop, raw(packet), "v%d %s from %s (hop %d)" %
                    (family, kind, addr, hop.distance))

    def destination(self, hop, family, pkt, data, kind, src, hop_ttl):
        """The destination's own answer to a probe."""
        addr = hop.addr[family]
        ip_ttl = hop.ip_ttl()
        extra = b""
        if hop.ext_on_answers and hop.ext is not None:
            structure, _ = build_extension(hop.ext)
            extra = finish_checksum(structure,
                                    hop.ext.get("checksum", "good"))
        if family == 4:
            ip = IP(src=addr, dst=src, ttl=ip_ttl)
        else:
            ip = IPv6(src=addr, dst=src, hlim=ip_ttl)
        if kind == "udp":
            self.error(hop, family, data, src, hop_ttl, "unreach-port")
            return
        if kind == "icmp":
            if family == 4:
                req = pkt[ICMP]
                payload = raw(req.payload)
                if extra:
                    payload = payload.ljust(MIN_ORIGINAL, b"\x00") + extra
                packet = ip / ICMP(type=0, id=req.id, seq=req.seq) / \
                    Raw(payload)
            else:
                req = pkt[ICMPv6EchoRequest]
                payload = bytes(req.data)
                if extra:
                    payload = payload.ljust(MIN_ORIGINAL, b"\x00") + extra
                packet = ip / ICMPv6EchoReply(id=req.id, seq=req.seq,
                                              data=payload)
            name = "echo-reply"
        elif kind == "tcp":
            syn = pkt[TCP]
            if family == 4:
                seg_len = pkt.len - pkt.ihl * 4 - syn.dataofs * 4
            else:
                seg_len = pkt.plen - syn.dataofs * 4
            # RFC 9293 3.10.7.1, as Linux answers a SYN to a closed port:
            # SEG.SEQ + SEG.LEN, the SYN counting as one.
            ack = (syn.seq + 1 + seg_len) & 0xFFFFFFFF
            packet = ip / TCP(sport=syn.dport, dport=syn.sport, seq=0,
                              ack=ack, flags="RA", window=0)
            if extra:
                packet = packet / Raw(extra)
            name = "tcp-rst"
        elif kind == "sctp":
            init = pkt[SCTPChunkInit]
            sctp = pkt[SCTP]
            # RFC 9260 8.4 and 8.5.1: an ABORT answering an INIT carries
            # the INIT's initiate tag, T bit clear.
            packet = ip / SCTP(sport=sctp.dport, dport=sctp.sport,
                               tag=init.init_tag) / SCTPChunkAbort(TCB=0)
            name = "sctp-abort"
        else:
            return
        self.answer(hop, raw(packet), "v%d %s from %s (hop %d)" %
                    (family, name, addr, hop.distance))


def chosen_error(family, err, length_attr, addr, dst, ip_ttl):
    """The IP header and ICMP header of a hop's chosen error."""
    t, code, mtu = err["type"], int(err.get("code", 0)), int(err.get("mtu", 0))
    if family == 4:
        icmp = ICMP(type=t, code=code, length=length_attr)
        if t == 3:
            icmp.nexthopmtu = mtu
        return IP(src=addr, dst=dst, ttl=ip_ttl) / icmp
    if t == 1:
        icmp = ICMPv6DestUnreach(code=code, length=length_attr)
    elif t == 2:
        icmp = ICMPv6PacketTooBig(code=code, mtu=mtu)
    elif t == 3:
        icmp = ICMPv6TimeExceeded(code=code, length=length_attr)
    else:
        icmp = ICMPv6ParamProblem(code=code)
    return IPv6(src=addr, dst=dst, hlim=ip_ttl) / icmp


def probe_kind(pkt, family):
    """icmp, udp, tcp or sctp for a probe this responder answers."""
    if family == 4 and ICMP in pkt and pkt[ICMP].type == 8:
        return "icmp"
    if family == 6 and ICMPv6EchoRequest in pkt:
        return "icmp"
    if UDP in pkt:
        return "udp"
    if TCP in pkt:
        flags = pkt[TCP].flags
        return "tcp" if flags.S and not flags.A else None
    if SCTPChunkInit in pkt:
        return "sctp"
    return None


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_CLOEXEC)
    fcntl.ioctl(fd, TUNSETIFF,
                struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    return fd


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--tun", default="emu0")
    parser.add_argument("--ready", required=True)
    parser.add_argument("--log")
    parser.add_argument("--lifetime", type=float)
    args = parser.parse_args()

    with open(args.config) as f:
        config = json.load(f)
    lifetime = args.lifetime or float(config.get("lifetime", 120))
    log = open(args.log, "a") if args.log else None

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append("SIGTERM"))
    signal.signal(signal.SIGINT, lambda *_: stop.append("SIGINT"))

    fd = open_tun(args.tun)
    responder = Responder(config, fd, log)
    tmp = args.ready + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %s\n" % (os.getpid(), args.tun))
    os.rename(tmp, args.ready)
    responder.note("ready on %s, lifetime %g s" % (args.tun, lifetime))

    end = time.monotonic() + lifetime
    while not stop:
        now = time.monotonic()
        if now >= end:
            responder.note("lifetime over")
            break
        wait = min(end - now, 0.2)
        deadline = responder.next_deadline()
        if deadline is not None:
            wait = max(0.0, min(wait, deadline - now))
        readable, _, _ = select.select([fd], [], [], wait)
        # At most a bounded batch per turn, so timers are never starved.
        for _ in range(256 if readable else 0):
            try:
                data = os.read(fd, 65535)
            except BlockingIOError:
                break
            except OSError as err:
                # The device went away (its namespace was deleted).
                responder.note("read failed: %s" % err)
                stop.append("read error")
                break
            try:
                responder.handle(data)
            except Exception as err:  # one odd packet must not end the run
                responder.note("cannot handle %s: %r" % (data.hex(), err))
        responder.run_due(time.monotonic())
    if stop:
        responder.note("stopping: %s" % stop[0])
    os.close(fd)
    if log:
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

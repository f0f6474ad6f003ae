#!/usr/bin/python3
"""pcap_check.py: check probes captured by tcpdump, decoded with scapy.

The network tests capture what hopprobe put on the wire and hand the file to
this script, so that every field is read back by an implementation other
than the worker's own.  Each IPv4 or IPv6 packet of the capture becomes a
set of named fields (below); --match selects packets, --expect states what
every selected packet must show, --count bounds how many there are.  The
exit status is 0 when every condition holds, 1 when one does not (the
reasons and the offending packets go to stdout, one '#' line each), and 2
on a usage error or an unreadable capture.

	pcap_check.py CAPTURE [--match F=V]... [--expect F=V]...
	    [--count N | --min-count N] [--same F]... [--values F] [--dump]
	pcap_check.py --serve IN-FIFO OUT-FIFO   (see serve())

A condition is FIELD=VALUE, FIELD!=VALUE or FIELD=LO..HI (inclusive).
Values that read as integers (decimal or 0x hex) compare as integers,
addresses compare in canonical form, anything else as text.

Fields of a packet:
  family     4 or 6
  src dst    addresses
  ttl        IPv4 TTL / IPv6 hop limit
  tos        IPv4 TOS byte / IPv6 traffic class
  len        IPv4 total length / IPv6 payload length + 40
  len_mod4   len modulo 4
  captured   'whole' or 'truncated' (fewer bytes captured than len)
  proto      icmp udp tcp sctp, else 'ip-proto-N'
  icmp_type  ICMP / ICMPv6 type (ICMP only)
  sport dport  UDP, TCP, SCTP ports
  checksum   'ok', or 'bad' followed by what is wrong: the IPv4 header
             checksum and the ICMP, ICMPv6, UDP, TCP checksum or SCTP
             CRC32c, each recomputed by scapy
  pattern    the fill byte of the payload as an integer when every byte
             is the same, 'mixed' when not, 'empty' when there is none.
             The payload is: ICMP echo data; UDP data after its first two
             bytes (the worker uses those to steer the checksum); TCP
             data; the value of the SCTP INIT chunk's Padding parameter
             (RFC 4820, type 0x8005)
  tcp_flags  scapy's flag letters, e.g. 'S' for a bare SYN
  sctp_chunk  the first chunk's type (1 is INIT)
  sctp_vtag  SCTP verification tag
  sctp_itag  INIT initiate tag
"""

import argparse
import contextlib
import io
import ipaddress
import os
import logging
import struct
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.layers.inet import IP, TCP, UDP, in4_chksum  # noqa: E402
from scapy.layers.inet6 import IPv6, in6_chksum  # noqa: E402
from scapy.layers.l2 import CookedLinux, Ether  # noqa: E402
from scapy.layers.sctp import SCTP, crc32c  # noqa: E402
from scapy.utils import PcapReader, checksum  # noqa: E402

try:
    from scapy.layers.l2 import CookedLinuxV2
except ImportError:  # older scapy: no SLL2
    CookedLinuxV2 = None

IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_ICMPV6 = 58
IPPROTO_SCTP = 132
SCTP_PARAM_PADDING = 0x8005
SCTP_CHUNK_INIT = 1
PROTO_NAMES = {
    IPPROTO_ICMP: "icmp",
    IPPROTO_ICMPV6: "icmp",
    IPPROTO_UDP: "udp",
    IPPROTO_TCP: "tcp",
    IPPROTO_SCTP: "sctp",
}
# Neighbour discovery and router messages are the lab talking, not probes.
ICMPV6_ND_TYPES = range(133, 138)


def link_header_len(frame):
    """Bytes in front of the IP header, or None for a frame to skip."""
    if isinstance(frame, Ether):
        if frame.type in (0x0800, 0x86DD):
            return 14
        return None
    if isinstance(frame, CookedLinux):
        return 16 if frame.proto in (0x0800, 0x86DD) else None
    if CookedLinuxV2 is not None and isinstance(frame, CookedLinuxV2):
        return 20 if frame.proto in (0x0800, 0x86DD) else None
    return None


def fill_byte(data):
    """The payload pattern field of a byte string."""
    if not data:
        return "empty"
    if data.count(data[0]) == len(data):
        return data[0]
    return "mixed"


def sctp_padding_value(sctp_raw):
    """The value of the Padding parameter of the first INIT chunk, or b''.

    Walked by hand from RFC 4960 3.2 / 3.3.2 and RFC 4820 so that the
    result does not depend on how scapy names an unknown parameter.
    """
    if len(sctp_raw) < 12 + 20 or sctp_raw[12] != SCTP_CHUNK_INIT:
        return b""
    chunk_len = struct.unpack(">H", sctp_raw[14:16])[0]
    end = min(12 + chunk_len, len(sctp_raw))
    pos = 12 + 20
    while pos + 4 <= end:
        ptype, plen = struct.unpack(">HH", sctp_raw[pos:pos + 4])
        if plen < 4 or pos + plen > end:
            break
        if ptype == SCTP_PARAM_PADDING:
            return sctp_raw[pos + 4:pos + plen]
        pos += (plen + 3) & ~3
    return b""


def zero_at(data, offset, width):
    return data[:offset] + b"\0" * width + data[offset + width:]


def check_transport(fields, ip_layer, nh, raw):
    """Fill the transport fields; returns a list of checksum problems."""
    bad = []
    v6 = fields["family"] == 6

    def pseudo_sum(proto, zeroed, upper):
        if v6:
            return in6_chksum(proto, upper, zeroed)
        return in4_chksum(proto, ip_layer, zeroed)

    if nh in (IPPROTO_ICMP, IPPROTO_ICMPV6) and len(raw) >= 8:
        upper = ip_layer.payload
        fields["icmp_type"] = raw[0]
        wire = struct.unpack(">H", raw[2:4])[0]
        zeroed = zero_at(raw, 2, 2)
        if nh == IPPROTO_ICMPV6:
            want = in6_chksum(IPPROTO_ICMPV6, upper, zeroed)
        else:
            want = checksum(zeroed)
        if wire != want:
            bad.append("icmp 0x%04x want 0x%04x" % (wire, want))
        # Echo request or reply: id, sequence, then the data.
        if raw[0] in (0, 8, 128, 129):
            fields["pattern"] = fill_byte(raw[8:])
    elif nh == IPPROTO_UDP and len(raw) >= 8:
        udp = ip_layer[UDP]
        fields["sport"], fields["dport"] = udp.sport, udp.dport
        wire = udp.chksum
        want = pseudo_sum(IPPROTO_UDP, zero_at(raw, 6, 2), udp)
        if want == 0:
            want = 0xFFFF  # RFC 768: zero is sent as all ones
        if wire == 0:
            bad.append("udp checksum absent")
        elif wire != want:
            bad.append("udp 0x%04x want 0x%04x" % (wire, want))
        fields["pattern"] = fill_byte(raw[10:])
    elif nh == IPPROTO_TCP and len(raw) >= 20:
        tcp = ip_layer[TCP]
        fields["sport"], fields["dport"] = tcp.sport, tcp.dport
        fields["tcp_flags"] = str(tcp.flags)
        want = pseudo_sum(IPPROTO_TCP, zero_at(raw, 16, 2), tcp)
        if tcp.chksum != want:
            bad.append("tcp 0x%04x want 0x%04x" % (tcp.chksum, want))
        fields["pattern"] = fill_byte(raw[tcp.dataofs * 4:])
    elif nh == IPPROTO_SCTP and len(raw) >= 12:
        sctp = SCTP(raw)
        fields["sport"], fields["dport"] = sctp.sport, sctp.dport
        fields["sctp_vtag"] = sctp.tag
        # scapy's SCTP.post_build: crc32c over the packet with a zero
        # checksum field, stored as a big-endian integer of its result.
        want = struct.pack(">I", crc32c(zero_at(raw, 8, 4)))
        if raw[8:12] != want:
            bad.append("sctp crc32c %s want %s" % (raw[8:12].hex(),
                                                   want.hex()))
        if len(raw) >= 16:
            fields["sctp_chunk"] = raw[12]
        if len(raw) >= 20 and raw[12] == SCTP_CHUNK_INIT:
            fields["sctp_itag"] = struct.unpack(">I", raw[16:20])[0]
        fields["pattern"] = fill_byte(sctp_padding_value(raw))
    elif nh in PROTO_NAMES:
        bad.append("transport header cut short")
    return bad


def decode(frame):
    """Fields of one captured frame, or None when it is not an IP packet."""
    hl = link_header_len(frame)
    if hl is None:
        return None
    data = bytes(frame.original)[hl:]
    if not data:
        return None
    fields = {}
    bad = []
    version = data[0] >> 4
    if version == 4 and len(data) >= 20:
        ihl = (data[0] & 0x0F) * 4
        total = struct.unpack(">H", data[2:4])[0]
        fields.update(family=4, len=total, ttl=data[8], tos=data[1])
        nh = data[9]
        wire_ip = data[:total]
        ip_layer = IP(wire_ip)
        zeroed = zero_at(data[:ihl], 10, 2)
        if checksum(zeroed) != ip_layer.chksum:
            bad.append("ipv4 header 0x%04x want 0x%04x" %
                       (ip_layer.chksum, checksum(zeroed)))
        transport = wire_ip[ihl:]
        if struct.unpack(">H", data[6:8])[0] & 0x3FFF:
            bad.append("fragment")
    elif version == 6 and len(data) >= 40:
        plen = struct.unpack(">H", data[4:6])[0]
        total = 40 + plen
        tclass = (struct.unpack(">I", data[0:4])[0] >> 20) & 0xFF
        fields.update(family=6, len=total, ttl=data[7], tos=tclass)
        nh = data[6]
        wire_ip = data[:total]
        ip_layer = IPv6(wire_ip)
        transport = wire_ip[40:]
    else:
        return None
    fields["src"] = ip_layer.src
    fields["dst"] = ip_layer.dst
    fields["len_mod4"] = total % 4
    fields["captured"] = "whole" if len(data) >= total else "truncated"
    fields["proto"] = PROTO_NAMES.get(nh, "ip-proto-%d" % nh)
    if fields["captured"] == "whole":
        bad += check_transport(fields, ip_layer, nh, transport)
    else:
        bad.append("not captured whole")
    fields["checksum"] = "ok" if not bad else "bad(" + "; ".join(bad) + ")"
    return fields


def is_lab_chatter(fields):
    return (fields["family"] == 6 and fields["proto"] == "icmp" and
            fields.get("icmp_type") in ICMPV6_ND_TYPES)


def parse_condition(text):
    """'F=V', 'F!=V' or 'F=LO..HI' -> (field, op, value)."""
    if "!=" in text:
        field, value = text.split("!=", 1)
        return field, "!=", value
    if "=" not in text:
        raise argparse.ArgumentTypeError("not FIELD=VALUE: %r" % text)
    field, value = text.split("=", 1)
    if ".." in value:
        return field, "range", value
    return field, "=", value


def as_int(value):
    if isinstance(value, int):
        return value
    try:
        return int(str(value), 0)
    except ValueError:
        return None


def canonical(value):
    """Integers as int, addresses in canonical form, else the text."""
    number = as_int(value)
    if number is not None:
        return number
    try:
        return str(ipaddress.ip_address(str(value)))
    except ValueError:
        return str(value)


def holds(fields, cond):
    field, op, value = cond
    if field not in fields:
        return False
    actual = canonical(fields[field])
    if op == "range":
        lo, hi = (as_int(v) for v in value.split("..", 1))
        return (isinstance(actual, int) and lo is not None and
                hi is not None and lo <= actual <= hi)
    equal = actual == canonical(value)
    return equal if op == "=" else not equal


def describe(fields):
    return " ".join("%s=%s" % (k, fields[k]) for k in fields)


def check(argv, captures):
    """One check: argv as on the command line; returns the exit status.
    captures caches each capture's decoded packets by (path, size, mtime),
    so that the many checks of one capture decode it once."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("capture")
    ap.add_argument("--match", action="append", default=[],
                    type=parse_condition)
    ap.add_argument("--expect", action="append", default=[],
                    type=parse_condition)
    count = ap.add_mutually_exclusive_group()
    count.add_argument("--count", type=int)
    count.add_argument("--min-count", type=int)
    ap.add_argument("--same", action="append", default=[])
    ap.add_argument("--values", metavar="FIELD",
                    help="print the distinct values of FIELD, one a line")
    ap.add_argument("--dump", action="store_true",
                    help="print every selected packet")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 2

    try:
        packets = read_capture(args.capture, captures)
    except (OSError, EOFError, ValueError) as e:
        print("# cannot read %s: %s" % (args.capture, e))
        return 2
    selected = [f for f in packets
                if all(holds(f, c) for c in args.match)]

    problems = []
    n = len(selected)
    if args.count is not None and n != args.count:
        problems.append("%d packets selected, want %d" % (n, args.count))
    if args.min_count is not None and n < args.min_count:
        problems.append("%d packets selected, want at least %d" %
                        (n, args.min_count))
    for fields in selected:
        for cond in args.expect:
            if not holds(fields, cond):
                problems.append("%s%s%s fails for: %s" % (
                    cond[0], "!=" if cond[1] == "!=" else "=", cond[2],
                    describe(fields)))
    if problems and len(selected) <= 10:
        # A wrong count is easier to understand with the packets in view.
        problems += ["selected: " + describe(f) for f in selected
                     if not args.dump]
    for field in args.same:
        seen = {str(f.get(field, "-")) for f in selected}
        if len(seen) > 1:
            problems.append("%s differs: %s" % (field,
                                                " ".join(sorted(seen))))
    if args.dump:
        for fields in selected:
            print("# " + describe(fields))
    if args.values:
        for value in sorted({str(f[args.values]) for f in selected
                             if args.values in f}):
            print(value)
    for p in problems:
        print("# " + p)
    return 1 if problems else 0


def read_capture(path, captures):
    """The capture's packets as field sets, lab chatter left out."""
    st = os.stat(path)
    key = (path, st.st_size, st.st_mtime_ns)
    if key not in captures:
        packets = []
        with PcapReader(path) as reader:
            for frame in reader:
                fields = decode(frame)
                if fields is not None and not is_lab_chatter(fields):
                    packets.append(fields)
        captures[key] = packets
    return captures[key]


def serve(requests, answers):
    """--serve IN OUT: one check per line of the FIFO IN, its arguments
    separated by tabs; each check's output goes to the FIFO OUT followed by
    the line '@@status N'.  A test that runs a hundred checks then pays for
    Python and scapy's import once instead of a hundred times."""
    captures = {}
    with open(requests, encoding="utf-8") as inp, \
            open(answers, "w", encoding="utf-8") as out:
        for line in inp:
            argv = line.rstrip("\n").split("\t")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf), \
                    contextlib.redirect_stderr(buf):
                try:
                    status = check(argv, captures)
                except Exception as e:  # a broken check must not hang the test
                    print("# pcap_check: %s: %s" % (type(e).__name__, e))
                    status = 2
            out.write(buf.getvalue())
            out.write("@@status %d\n" % status)
            out.flush()
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        return serve(sys.argv[2], sys.argv[3])
    return check(sys.argv[1:], {})


if __name__ == "__main__":
    sys.exit(main())

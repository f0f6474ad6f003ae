#!/usr/bin/python3
"""Flow probe vectors for tests/unit/test_flow.c, built by scapy.

A flow probe (hopprobe(8), EXTENSIONS, flow) is written here from the
mapping the man page documents, not from the worker's code: for flow N
and identity n,
  - UDP, TCP, SCTP source port 32768 + N mod 32768 (or the local-port),
    UDP destination port 33434 (or the port), the identity in the UDP
    checksum (1 + n mod 65534), the TCP sequence number (n << 16) or the
    SCTP initiate tag (n, 1 for 0);
  - ICMP echo: sequence number n mod 65536, checksum field N mod 65535,
    reached through the first two payload bytes;
  - IPv4 identification n mod 65536 (1 for 0); IPv6 flow label
    0x80000 + N.
Scapy computes the lengths and checksums.  Run with Debian's python3-scapy:

    /usr/bin/python3 tests/unit/vectors/flow_vectors.py

prints the block kept between the GENERATED markers of test_flow.c.
Nothing is sent; addresses are from the documentation ranges.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# pylint: disable=wrong-import-position
from build_vectors import (V4_SRC, V4_DST, V6_SRC, V6_DST, build_sctp,
                           build_tcp, build_udp, c_addr, c_bytes, ip_layer,
                           ip_header_len)
from scapy.layers.inet import ICMP, IP
from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6
from scapy.packet import Raw

ICMP_ID = 0xbeef

# The smallest flow probes: an ICMP echo carries two steering bytes.
MIN_SIZE = {
    ("v4", "icmp"): 30, ("v4", "udp"): 30, ("v4", "tcp"): 40,
    ("v4", "sctp"): 52,
    ("v6", "icmp"): 50, ("v6", "udp"): 50, ("v6", "tcp"): 60,
    ("v6", "sctp"): 72,
}
PROTO_ENUM = {"icmp": "PROTO_ICMP", "udp": "PROTO_UDP", "tcp": "PROTO_TCP",
              "sctp": "PROTO_SCTP"}


def icmp_checksum_of(pkt, family):
    if family == "v4":
        return IP(bytes(pkt))[ICMP].chksum
    return IPv6(bytes(pkt))[ICMPv6EchoRequest].cksum


def build_icmp_flow(case, size):
    """An echo whose first two payload bytes make scapy's checksum the
    flow's: with them zero the checksum is c0 = ~S; with word x it is
    ~(S + x), so x = ~want + c0 in one's complement."""
    n = size - ip_header_len(case) - 8 - 2
    want = case["icmp_checksum"]
    tail = bytes([case["pattern"]]) * n

    def make(x):
        if case["family"] == "v4":
            l4 = ICMP(type=8, code=0, id=ICMP_ID, seq=case["icmp_seq"])
        else:
            l4 = ICMPv6EchoRequest(code=0, id=ICMP_ID, seq=case["icmp_seq"])
        return ip_layer(case, size) / l4 / Raw(x.to_bytes(2, "big") + tail)

    c0 = icmp_checksum_of(make(0), case["family"])
    x = (~want & 0xffff) + c0
    x = (x & 0xffff) + (x >> 16)
    assert x not in (0, 0xffff), "pick another case than %s" % case
    pkt = make(x)
    assert icmp_checksum_of(pkt, case["family"]) == want, case
    return pkt


BUILDERS = {"icmp": build_icmp_flow, "udp": build_udp, "tcp": build_tcp,
            "sctp": build_sctp}

BASE = dict(ttl=5, tos=0x10, pattern=0x5a, local_port=0, port=0)

CASES = [
    dict(name="v4_icmp_f0", family="v4", proto="icmp", flow=0, n=0x00012345,
         size=64),
    dict(name="v4_icmp_f0_b", family="v4", proto="icmp", flow=0,
         n=0xabcd0001, size=64),
    dict(name="v4_icmp_f9_min", family="v4", proto="icmp", flow=9, n=77,
         size=0),
    dict(name="v4_icmp_flast", family="v4", proto="icmp", flow=65535,
         n=0xffff, size=41),
    dict(name="v6_icmp_f3", family="v6", proto="icmp", flow=3, n=0x1000,
         size=80),
    dict(name="v6_icmp_f3_b", family="v6", proto="icmp", flow=3, n=0x2ffff,
         size=80),
    dict(name="v4_udp_f5", family="v4", proto="udp", flow=5, n=0x00020003,
         size=60),
    dict(name="v4_udp_f5_b", family="v4", proto="udp", flow=5, n=0x7,
         size=60),
    dict(name="v4_udp_wrap", family="v4", proto="udp", flow=40000, n=1,
         size=30, port=53),
    dict(name="v6_udp_f12", family="v6", proto="udp", flow=12, n=4242,
         size=70, local_port=2000),
    dict(name="v4_tcp_f1", family="v4", proto="tcp", flow=1, n=0x1234,
         size=44, port=443),
    dict(name="v6_tcp_f1", family="v6", proto="tcp", flow=1, n=0xfedc,
         size=60),
    dict(name="v4_sctp_f2", family="v4", proto="sctp", flow=2, n=0,
         size=56),
    dict(name="v6_sctp_f2", family="v6", proto="sctp", flow=2, n=0x10001,
         size=72, port=9),
]


def fields(case):
    """The wire fields of the documented mapping."""
    flow, n = case["flow"], case["n"]
    case["icmp_seq"] = n & 0xffff
    case["icmp_checksum"] = flow % 0xffff
    case["ip_id"] = (n & 0xffff) or 1
    case["sport"] = case["local_port"] or 32768 + flow % 32768
    case["dport"] = case["port"] or (33434 if case["proto"] == "udp"
                                     else 80)
    case["udp_checksum"] = 1 + n % 0xfffe
    case["tcp_seq"] = (n << 16) & 0xffffffff
    case["sctp_tag"] = n or 1
    case["flow_label"] = 0x80000 + flow if case["family"] == "v6" else 0


def main():
    arrays, rows = [], []
    for c in CASES:
        case = dict(BASE)
        case.update(c)
        fields(case)
        size = max(case["size"], MIN_SIZE[(case["family"], case["proto"])])
        raw = bytes(BUILDERS[case["proto"]](case, size))
        if case["family"] == "v6":
            raw = raw[40:]
        name = "flow_" + case["name"]
        v4 = case["family"] == "v4"
        arrays.append("static const uint8_t %s[] = {\n%s\n};\n"
                      % (name, c_bytes(raw)))
        rows.append(
            "\t{\n"
            "\t\t.name = \"%s\",\n"
            "\t\t.proto = %s,\n"
            "\t\t.src = %s,\n"
            "\t\t.dst = %s,\n"
            "\t\t.ttl = %d, .tos = 0x%02x, .size = %d, .pattern = 0x%02x,\n"
            "\t\t.local_port = %d, .port = %d,\n"
            "\t\t.flow = %d, .n = 0x%08x,\n"
            "\t\t.flow_label = 0x%05x,\n"
            "\t\t.expect = %s,\n"
            "\t\t.expect_len = sizeof(%s),\n"
            "\t},\n"
            % (case["name"], PROTO_ENUM[case["proto"]],
               c_addr(case["family"], V4_SRC if v4 else V6_SRC),
               c_addr(case["family"], V4_DST if v4 else V6_DST),
               case["ttl"], case["tos"], case["size"], case["pattern"],
               case["local_port"], case["port"], case["flow"], case["n"],
               case["flow_label"], name, name))
    print("\n".join(arrays))
    print("static const struct flow_vector flow_vectors[] = {")
    print("".join(rows), end="")
    print("};")


if __name__ == "__main__":
    main()

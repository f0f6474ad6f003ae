#!/usr/bin/python3
"""Probe packet vectors for tests/unit/test_build.c, built by scapy.

Scapy computes every length and checksum here on its own (IPv4 header,
ICMP, ICMPv6 and UDP/TCP with their pseudo-headers, SCTP CRC32c), so the
vectors do not depend on the builder under test.  Run with the Debian
python3-scapy:

    /usr/bin/python3 tests/unit/vectors/build_vectors.py

prints the block kept between the GENERATED markers of test_build.c
(tests/unit/vectors/sync_vectors.py checks or rewrites it).  Nothing is sent
anywhere: packets are only turned into bytes.  Addresses are from the
documentation ranges (RFC 5737, RFC 3849).
"""

import socket

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6
from scapy.layers.sctp import SCTP, SCTPChunkInit
from scapy.packet import Packet, Raw
from scapy.fields import FieldLenField, ShortField, StrLenField

V4_SRC, V4_DST = "192.0.2.1", "198.51.100.7"
V6_SRC, V6_DST = "2001:db8::1", "2001:db8:1::7"

# Minimum sizes as documented in build.h, written out independently.
MIN_SIZE = {
    ("v4", "icmp"): 28, ("v4", "udp"): 30, ("v4", "tcp"): 40,
    ("v4", "sctp"): 52,
    ("v6", "icmp"): 48, ("v6", "udp"): 50, ("v6", "tcp"): 60,
    ("v6", "sctp"): 72,
}


class SCTPChunkParamPadding(Packet):
    """RFC 4820 section 3: the Padding parameter (scapy has none)."""
    name = "SCTP Padding parameter"
    fields_desc = [
        ShortField("type", 0x8005),
        FieldLenField("len", None, length_of="data",
                      adjust=lambda pkt, x: x + 4),
        StrLenField("data", b"", length_from=lambda pkt: pkt.len - 4),
    ]

    def extract_padding(self, s):
        return b"", s


def ip_layer(case, size):
    """The IP header; its length fields are left to scapy."""
    if case["family"] == "v4":
        return IP(src=case.get("src", V4_SRC), dst=V4_DST, tos=case["tos"],
                  ttl=case["ttl"], id=case["ip_id"],
                  flags="DF" if case.get("df") else 0, frag=0)
    return IPv6(src=V6_SRC, dst=V6_DST, tc=case["tos"], hlim=case["ttl"])


def ip_header_len(case):
    return 20 if case["family"] == "v4" else 40


def build_icmp(case, size):
    n = size - ip_header_len(case) - 8
    if case["family"] == "v4":
        l4 = ICMP(type=8, code=0, id=case["icmp_id"], seq=case["icmp_seq"])
    else:
        l4 = ICMPv6EchoRequest(code=0, id=case["icmp_id"],
                               seq=case["icmp_seq"])
    return ip_layer(case, size) / l4 / Raw(bytes([case["pattern"]]) * n)


def udp_checksum_of(pkt):
    """The UDP checksum scapy computes for pkt (a freshly built packet)."""
    raw = bytes(pkt)
    again = pkt.__class__(raw)
    return again[UDP].chksum


def build_udp(case, size):
    """UDP whose first two payload bytes make scapy's checksum the one wanted.

    Scapy's checksum c0 with the two bytes zero is ~S.  With word x in
    those bytes it becomes ~(S + x), so x = ~want + c0 (one's complement).
    The result is then checked against scapy's own computation.
    """
    n = size - ip_header_len(case) - 8 - 2
    want = case["udp_checksum"]
    tail = bytes([case["pattern"]]) * n

    def make(x):
        return ip_layer(case, size) / UDP(
            sport=case["sport"], dport=case["dport"]) / Raw(
                x.to_bytes(2, "big") + tail)

    c0 = udp_checksum_of(make(0))
    x = (~want & 0xffff) + c0
    x = (x & 0xffff) + (x >> 16)
    # 0 and 0xffff are the same number in one's complement; a builder
    # may pick either, so keep the vectors away from that ambiguity.
    assert x not in (0, 0xffff), "pick another checksum for %s" % case
    pkt = make(x)
    assert udp_checksum_of(pkt) == want
    return pkt


def build_tcp(case, size):
    n = size - ip_header_len(case) - 20
    l4 = TCP(sport=case["sport"], dport=case["dport"], seq=case["tcp_seq"],
             ack=0, dataofs=5, reserved=0, flags="S", window=65535,
             urgptr=0, options=[])
    return ip_layer(case, size) / l4 / Raw(bytes([case["pattern"]]) * n)


def build_sctp(case, size):
    extra = size - ip_header_len(case) - 12 - 20
    pad = (extra // 4) * 4 if extra >= 4 else 0
    params = []
    if pad:
        params = [SCTPChunkParamPadding(
            data=bytes([case["pattern"]]) * (pad - 4))]
    tag = case["sctp_tag"]
    l4 = SCTP(sport=case["sport"], dport=case["dport"], tag=0) / \
        SCTPChunkInit(flags=0, init_tag=tag, a_rwnd=65535, n_out_streams=1,
                      n_in_streams=1, init_tsn=tag, params=params)
    return ip_layer(case, size) / l4


BUILDERS = {"icmp": build_icmp, "udp": build_udp, "tcp": build_tcp,
            "sctp": build_sctp}
PROTO_ENUM = {"icmp": "PROTO_ICMP", "udp": "PROTO_UDP", "tcp": "PROTO_TCP",
              "sctp": "PROTO_SCTP"}


def wire_id(case, pkt):
    """The key fields as they appear in scapy's parse of the packet."""
    if case["proto"] == "icmp":
        layer = pkt[ICMP] if case["family"] == "v4" else \
            pkt[ICMPv6EchoRequest]
        return layer.id << 16 | layer.seq
    if case["proto"] == "udp":
        u = pkt[UDP]
        return u.sport << 32 | u.dport << 16 | u.chksum
    if case["proto"] == "tcp":
        t = pkt[TCP]
        return t.sport << 48 | t.dport << 32 | t.seq
    s = pkt[SCTP]
    return s.sport << 48 | s.dport << 32 | pkt[SCTPChunkInit].init_tag


BASE = dict(ttl=7, tos=0x28, pattern=0xa5, ip_id=0x1234, icmp_id=0xbeef,
            icmp_seq=0x0102, sport=0xc351, dport=33434, udp_checksum=0x5a5a,
            tcp_seq=0xdeadbeef, sctp_tag=0x0badcafe)

CASES = [
    dict(name="v4_icmp", family="v4", proto="icmp", size=64),
    dict(name="v4_icmp_nosrc", family="v4", proto="icmp", size=36,
         src="0.0.0.0", ttl=1, tos=0, pattern=0x00, icmp_seq=0xffff),
    dict(name="v4_icmp_min", family="v4", proto="icmp", size=0),
    dict(name="v6_icmp", family="v6", proto="icmp", size=80, ttl=64,
         pattern=0x5c, icmp_id=0x0001, icmp_seq=0x8000),
    dict(name="v6_icmp_odd", family="v6", proto="icmp", size=63),
    dict(name="v4_udp", family="v4", proto="udp", size=61),
    dict(name="v4_udp_min", family="v4", proto="udp", size=10,
         udp_checksum=0x0001),
    dict(name="v4_udp_high", family="v4", proto="udp", size=44,
         udp_checksum=0xfffe, pattern=0xff, sport=1, dport=65535),
    dict(name="v6_udp", family="v6", proto="udp", size=77,
         udp_checksum=0x1234, ttl=255, tos=0xb8),
    dict(name="v6_udp_min", family="v6", proto="udp", size=50,
         udp_checksum=0x8000),
    # dont-fragment: IPv4 sets DF (IPv6 has no such field to set).
    dict(name="v4_udp_df", family="v4", proto="udp", size=80, df=True),
    dict(name="v4_icmp_df", family="v4", proto="icmp", size=28, df=True),
    dict(name="v4_tcp", family="v4", proto="tcp", size=60),
    dict(name="v4_tcp_min", family="v4", proto="tcp", size=1,
         tcp_seq=0x00000001, sport=443, dport=80),
    dict(name="v6_tcp", family="v6", proto="tcp", size=91, ttl=3,
         tcp_seq=0x80000000, pattern=0x3c),
    dict(name="v4_sctp_pad", family="v4", proto="sctp", size=70),
    dict(name="v4_sctp_short", family="v4", proto="sctp", size=55),
    dict(name="v4_sctp_min", family="v4", proto="sctp", size=52,
         sctp_tag=0xffffffff),
    dict(name="v6_sctp_pad4", family="v6", proto="sctp", size=79,
         sctp_tag=0x00000001),
    dict(name="v6_sctp_pad", family="v6", proto="sctp", size=100),
    dict(name="v6_sctp_min", family="v6", proto="sctp", size=0),
]


def c_bytes(data, indent="\t"):
    lines = []
    for i in range(0, len(data), 12):
        lines.append(indent + ", ".join("0x%02x" % b for b in data[i:i + 12])
                     + ",")
    return "\n".join(lines)


def c_addr(family, text):
    af = socket.AF_INET if family == "v4" else socket.AF_INET6
    raw = socket.inet_pton(af, text)
    if raw == bytes(len(raw)):
        return "{ 0, { 0 } }"
    if family == "v4":
        return "{ AF_INET, { %s } }" % ", ".join(str(b) for b in raw)
    # Two lines of eight, to stay within 80 columns.
    return "{ AF_INET6, {\n%s\n%s\n\t\t\t} }" % (
        c_bytes(raw[:8], "\t\t\t\t"), c_bytes(raw[8:], "\t\t\t\t"))


def main():
    arrays, rows = [], []
    for c in CASES:
        case = dict(BASE)
        case.update(c)
        size = max(case["size"], MIN_SIZE[(case["family"], case["proto"])])
        pkt = BUILDERS[case["proto"]](case, size)
        raw = bytes(pkt)
        parsed = (IP if case["family"] == "v4" else IPv6)(raw)
        wid = wire_id(case, parsed)
        if case["family"] == "v6":
            raw = raw[40:]
        name = "vec_" + case["name"]
        arrays.append("static const uint8_t %s[] = {\n%s\n};\n"
                      % (name, c_bytes(raw)))
        v4 = case["family"] == "v4"
        src = case.get("src", V4_SRC if v4 else V6_SRC)
        rows.append(
            "\t{\n"
            "\t\t.name = \"%s\",\n"
            "\t\t.spec = {\n"
            "\t\t\t.proto = %s,\n"
            "\t\t\t.src = %s,\n"
            "\t\t\t.dst = %s,\n"
            "\t\t\t.ttl = %d, .tos = 0x%02x, .size = %d,\n"
            "\t\t\t.pattern = 0x%02x, .ip_id = 0x%04x,\n"
            "\t\t\t.icmp_id = 0x%04x, .icmp_seq = 0x%04x,\n"
            "\t\t\t.sport = %d, .dport = %d,\n"
            "\t\t\t.udp_checksum = 0x%04x,\n"
            "\t\t\t.tcp_seq = 0x%08x, .sctp_tag = 0x%08x,\n"
            "%s"
            "\t\t},\n"
            "\t\t.expect = %s,\n"
            "\t\t.expect_len = sizeof(%s),\n"
            "\t\t.wire_id = 0x%016xULL,\n"
            "\t},\n"
            % (case["name"], PROTO_ENUM[case["proto"]],
               c_addr(case["family"], src),
               c_addr(case["family"], V4_DST if v4 else V6_DST),
               case["ttl"], case["tos"], case["size"], case["pattern"],
               case["ip_id"], case["icmp_id"], case["icmp_seq"],
               case["sport"], case["dport"], case["udp_checksum"],
               case["tcp_seq"], case["sctp_tag"],
               "\t\t\t.dont_fragment = true,\n" if case.get("df") else "",
               name, name, wid))
    print("\n".join(arrays))
    print("static const struct build_vector build_vectors[] = {")
    print("".join(rows), end="")
    print("};")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Test vectors for probe/decode.c and probe/icmp_ext.c, built with scapy.

Usage (Debian's python3-scapy; /usr/bin/python3, not a python without it):

    /usr/bin/python3 tests/unit/vectors/decode_vectors.py decode
    /usr/bin/python3 tests/unit/vectors/decode_vectors.py ext
    /usr/bin/python3 tests/unit/vectors/decode_vectors.py ifinfo
    /usr/bin/python3 tests/unit/vectors/decode_vectors.py details

prints the C arrays kept between the GENERATED markers of
tests/unit/test_decode.c, tests/unit/test_icmp_ext.c and (the last two)
tests/unit/test_reply_details.c respectively.  The
expected results in those tests are written by hand from the constants
below, never from the decoder's output.

Only documentation addresses are used (RFC 5737, RFC 3849).  Nothing is
sent: scapy only builds bytes here.

RFC 4884 extension checksums are computed here with scapy.utils.checksum
over the whole structure: scapy's ICMPExtensionHeader.post_build (2.5.0)
sums only the 4-byte header and ignores the objects that follow it, so its
automatic checksum is not usable.
"""

import struct
import sys

from scapy.layers.inet import IP, ICMP, UDP, TCP, IPOption, fragment
from scapy.layers.inet6 import (IPv6, IPv6ExtHdrHopByHop, ICMPv6EchoRequest,
                                ICMPv6EchoReply, ICMPv6TimeExceeded,
                                ICMPv6DestUnreach, ICMPv6ParamProblem,
                                ICMPv6PacketTooBig, IPv6ExtHdrFragment,
                                fragment6)
from scapy.layers.sctp import (SCTP, SCTPChunkInit, SCTPChunkInitAck,
                               SCTPChunkAbort, SCTPChunkParamStateCookie)
from scapy.contrib.icmp_extensions import (ICMPExtensionHeader,
                                           ICMPExtensionMPLS,
                                           ICMPExtensionInterfaceInformation)
from scapy.contrib.mpls import MPLS
from scapy.packet import Raw
from scapy.utils import checksum

# Addresses: probe from SRC to DST, errors from ROUTER.
SRC4, DST4, ROUTER4 = "192.0.2.1", "203.0.113.9", "198.51.100.1"
SRC6, DST6, ROUTER6 = "2001:db8::1", "2001:db8:2::9", "2001:db8:1::1"

# The identifiers of the probes (test_decode.c repeats them).
ICMP_ID, ICMP_SEQ = 0x4A21, 0x0305
UDP_SPORT, UDP_DPORT, UDP_SUM = 40000, 33434, 0x1234
TCP_SPORT, TCP_DPORT, TCP_SEQ = 40001, 80, 0x11220000
# The worker keeps the low 16 bits of its SYN sequence number zero.
TCP_SEQ_WRAP = 0xFFFF0000
# A RST answering a SYN with 24 bytes of data acknowledges them too.
TCP_SYN_DATA = 24
SCTP_SPORT, SCTP_DPORT, SCTP_TAG = 40002, 80, 0x55667788
# Next-hop MTUs of the too-big errors (test_decode.c repeats them).
MTU_LINK, MTU_MPLS, MTU_JUMBO = 1280, 1492, 9000
# Fragment identification of the large IPv6 probes (any value will do).
FRAG6_ID = 0x0A0B0C0D

# MPLS label stack entries: (label, traffic class, bottom of stack, ttl).
LABELS_ONE = [(24005, 0, 1, 1)]
LABELS_THREE = [(16001, 0, 0, 1), (299792, 5, 0, 1), (1048575, 7, 1, 255)]
LABELS_ONE_V6 = [(3000, 2, 1, 1)]
LABELS_THREE_V6 = [(17, 1, 0, 1), (524288, 3, 0, 2), (1, 6, 1, 3)]


# --- probes as the worker sends them -------------------------------------

def payload(n):
    return Raw(bytes(n))


def probe4(proto, frag=0, options=None):
    ip = IP(src=SRC4, dst=DST4, ttl=1, id=0x1111, frag=frag)
    if options is not None:
        ip.options = options
    return ip / transport(proto, 4)


def probe6(proto):
    return IPv6(src=SRC6, dst=DST6, hlim=1) / transport(proto, 6)


def large_probe(version, proto, size):
    """A probe of size bytes in all, IP header included."""
    if version == 4:
        pkt = IP(src=SRC4, dst=DST4, ttl=1, id=0x1111) / transport(proto, 4)
    else:
        pkt = IPv6(src=SRC6, dst=DST6, hlim=1) / transport(proto, 6)
    return pkt / payload(size - len(pkt))


def first_fragment6(proto, size=2000, mtu=1280):
    """The first fragment of a large IPv6 probe, as the kernel sends it."""
    pkt = IPv6(src=SRC6, dst=DST6, hlim=1) / \
        IPv6ExtHdrFragment(id=FRAG6_ID) / \
        large_probe(6, proto, size)[IPv6].payload
    return bytes(fragment6(pkt, mtu)[0])


def later_fragment6(offset):
    """A non-first fragment whose data happen to look like our UDP probe."""
    return bytes(IPv6(src=SRC6, dst=DST6, hlim=1) /
                 IPv6ExtHdrFragment(nh=17, offset=offset, m=0,
                                    id=FRAG6_ID) /
                 transport("udp", 6))


def quote6(pkt):
    """What Linux quotes: as much as fits a 1280-byte ICMPv6 error."""
    return bytes(pkt)[:1280 - 40 - 8]


def transport(proto, version):
    if proto == "icmp":
        if version == 4:
            return ICMP(type=8, id=ICMP_ID, seq=ICMP_SEQ) / payload(36)
        return ICMPv6EchoRequest(id=ICMP_ID, seq=ICMP_SEQ) / payload(16)
    if proto == "udp":
        return UDP(sport=UDP_SPORT, dport=UDP_DPORT,
                   chksum=UDP_SUM) / payload(36)
    if proto == "tcp":
        return TCP(sport=TCP_SPORT, dport=TCP_DPORT, seq=TCP_SEQ,
                   flags="S", window=65535)
    if proto == "sctp":
        return SCTP(sport=SCTP_SPORT, dport=SCTP_DPORT, tag=0) / \
            SCTPChunkInit(init_tag=SCTP_TAG, a_rwnd=65535,
                          n_out_streams=1, n_in_streams=1, init_tsn=1)
    raise ValueError(proto)


# --- RFC 4884 / RFC 4950 extension structures ----------------------------

def mpls_object(labels):
    return ICMPExtensionMPLS(stack=[MPLS(label=l, cos=tc, s=s, ttl=ttl)
                                    for (l, tc, s, ttl) in labels])


def raw_object(length, class_num, c_type, body):
    return struct.pack("!HBB", length, class_num, c_type) + body


def ext(objects, version=2, csum="auto"):
    """Header plus objects (scapy objects or bytes); csum: auto, zero, bad."""
    body = b"".join(bytes(o) for o in objects)
    head = bytes(ICMPExtensionHeader(version=version, chksum=0))
    data = head + body
    if csum == "zero":
        return data
    value = checksum(data)
    if csum == "bad":
        value ^= 0x0101
    return data[:2] + struct.pack("!H", value) + data[4:]


def pad(quote, n):
    """The RFC 4884 original datagram field: n bytes, zero padded."""
    quote = bytes(quote)[:n]
    return quote + bytes(n - len(quote))


# --- replies --------------------------------------------------------------

def icmp4(src, type_, code, body, length=0, **ip):
    pkt = IP(src=src, dst=SRC4, ttl=62, id=0x2222, **ip) / \
        ICMP(type=type_, code=code, length=length) / Raw(bytes(body))
    return bytes(pkt)


def icmp6(src, layer, body):
    """The ICMPv6 message alone, as a raw IPv6 socket delivers it."""
    pkt = IPv6(src=src, dst=SRC6, hlim=62) / layer / Raw(bytes(body))
    return bytes(pkt)[40:]


def v6_payload(pkt):
    return bytes(pkt)[40:]


def sctp_bad_crc(pkt_bytes, offset):
    b = bytearray(pkt_bytes)
    b[offset] ^= 0x01
    return bytes(b)


def decode_vectors():
    v = {}
    q28 = lambda p: bytes(p)[:28]       # IPv4 header + 8 transport bytes
    q48 = lambda p: bytes(p)[:48]       # IPv6 header + 8 transport bytes

    # IPv4 echo replies.
    echo4 = IP(src=DST4, dst=SRC4, ttl=60) / \
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ) / payload(36)
    v["v4_echo_reply"] = bytes(echo4)
    v["v4_echo_reply_padded"] = bytes(echo4) + bytes(6)     # Ethernet pad
    v["v4_echo_reply_options"] = bytes(
        IP(src=DST4, dst=SRC4, options=[IPOption(b"\x01\x01\x01\x00")]) /
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ) / payload(8))
    v["v4_echo_reply_mf"] = bytes(
        IP(src=DST4, dst=SRC4, flags="MF") /
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ) / payload(8))
    v["v4_echo_reply_frag"] = bytes(
        IP(src=DST4, dst=SRC4, frag=1, proto=1) /
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ) / payload(8))
    v["v4_echo_reply_totlen_short"] = bytes(
        IP(src=DST4, dst=SRC4, len=10) /
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ))
    v["v4_echo_reply_totlen_long"] = bytes(
        IP(src=DST4, dst=SRC4, len=200) /
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ))
    # Trims to the ICMP header alone: 8 bytes of ICMP, 4 of them cut off.
    v["v4_echo_reply_totlen_trims"] = bytes(
        IP(src=DST4, dst=SRC4, len=24) /
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ))
    v["v4_echo_reply_v6hdr"] = b"\x65" + bytes(echo4)[1:]
    v["v4_echo_reply_ihl4"] = b"\x44" + bytes(echo4)[1:]
    # An echo reply whose payload holds a valid extension at 128.
    v["v4_echo_reply_ext"] = bytes(
        IP(src=DST4, dst=SRC4) / ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ) /
        Raw(bytes(128) + ext([mpls_object(LABELS_ONE)])))
    v["v4_echo_request"] = bytes(
        IP(src=SRC4, dst=DST4) / ICMP(type=8, id=ICMP_ID, seq=ICMP_SEQ))

    # IPv4 time exceeded quoting each probe.
    v["v4_te_icmp"] = icmp4(ROUTER4, 11, 0, bytes(probe4("icmp")))
    v["v4_te_udp"] = icmp4(ROUTER4, 11, 0, bytes(probe4("udp")))
    v["v4_te_tcp"] = icmp4(ROUTER4, 11, 0, bytes(probe4("tcp")))
    v["v4_te_sctp"] = icmp4(ROUTER4, 11, 0, bytes(probe4("sctp")))
    v["v4_te_udp_inner_options"] = icmp4(
        ROUTER4, 11, 0,
        bytes(probe4("udp", options=[IPOption(b"\x01\x01\x01\x00")]))[:32])
    v["v4_te_icmp_8"] = icmp4(ROUTER4, 11, 0, q28(probe4("icmp")))
    v["v4_te_udp_8"] = icmp4(ROUTER4, 11, 0, q28(probe4("udp")))
    v["v4_te_tcp_8"] = icmp4(ROUTER4, 11, 0, q28(probe4("tcp")))
    v["v4_te_sctp_8"] = icmp4(ROUTER4, 11, 0, q28(probe4("sctp")))
    v["v4_te_sctp_19"] = icmp4(ROUTER4, 11, 0, bytes(probe4("sctp"))[:39])
    v["v4_te_udp_7"] = icmp4(ROUTER4, 11, 0, bytes(probe4("udp"))[:27])
    v["v4_te_reassembly"] = icmp4(ROUTER4, 11, 1, q28(probe4("udp")))
    v["v4_te_inner_frag"] = icmp4(ROUTER4, 11, 0,
                                  q28(probe4("udp", frag=185)))
    v["v4_te_inner_v6"] = icmp4(ROUTER4, 11, 0,
                                b"\x65" + q28(probe4("udp"))[1:])
    v["v4_te_inner_igmp"] = icmp4(
        ROUTER4, 11, 0,
        bytes(IP(src=SRC4, dst=DST4, proto=2) / Raw(bytes(8))))
    v["v4_te_quoted_echo_reply"] = icmp4(
        ROUTER4, 11, 0,
        bytes(IP(src=SRC4, dst=DST4) / ICMP(type=0, id=ICMP_ID,
                                            seq=ICMP_SEQ)))
    v["v4_te_sctp_not_init"] = icmp4(
        ROUTER4, 11, 0,
        bytes(IP(src=SRC4, dst=DST4) /
              SCTP(sport=SCTP_SPORT, dport=SCTP_DPORT, tag=0) /
              SCTPChunkInitAck(init_tag=SCTP_TAG, a_rwnd=65535,
                               n_out_streams=1, n_in_streams=1,
                               init_tsn=1)))
    v["v4_te_short_icmp"] = bytes(
        IP(src=ROUTER4, dst=SRC4, proto=1) / Raw(b"\x0b\x00\x00"))

    # IPv4 destination unreachable.
    v["v4_port_unreach"] = icmp4(DST4, 3, 3, bytes(probe4("udp")))
    v["v4_proto_unreach"] = icmp4(DST4, 3, 2, bytes(probe4("sctp")))
    v["v4_net_unreach"] = icmp4(ROUTER4, 3, 0, q28(probe4("udp")))
    v["v4_host_unreach"] = icmp4(ROUTER4, 3, 1, q28(probe4("icmp")))
    v["v4_net_prohibited"] = icmp4(ROUTER4, 3, 9, q28(probe4("tcp")))
    v["v4_frag_needed"] = bytes(
        IP(src=ROUTER4, dst=SRC4) / ICMP(type=3, code=4, nexthopmtu=1400) /
        Raw(q28(probe4("udp"))))
    # Fragmentation needed (RFC 1191) for dont-fragment probes: a DF
    # probe quoted whole, an old router's MTU of 0, MPLS labels beside
    # the MTU (RFC 4884), and quotes too short to match.
    df_icmp = IP(src=SRC4, dst=DST4, ttl=1, id=0x1111, flags="DF") / \
        transport("icmp", 4)
    v["v4_frag_needed_df_icmp"] = bytes(
        IP(src=ROUTER4, dst=SRC4, ttl=62) /
        ICMP(type=3, code=4, nexthopmtu=MTU_LINK) / Raw(bytes(df_icmp)))
    v["v4_frag_needed_mtu0"] = bytes(
        IP(src=ROUTER4, dst=SRC4) / ICMP(type=3, code=4, nexthopmtu=0) /
        Raw(q28(probe4("tcp"))))
    v["v4_frag_needed_mpls"] = bytes(
        IP(src=ROUTER4, dst=SRC4) /
        ICMP(type=3, code=4, length=32, nexthopmtu=MTU_MPLS) /
        Raw(pad(probe4("sctp"), 128) + ext([mpls_object(LABELS_ONE)])))
    v["v4_frag_needed_short"] = bytes(
        IP(src=ROUTER4, dst=SRC4) / ICMP(type=3, code=4, nexthopmtu=1400) /
        Raw(bytes(probe4("udp"))[:24]))
    v["v4_admin_prohibited"] = icmp4(ROUTER4, 3, 13, q28(probe4("udp")))
    v["v4_host_unreach_tos"] = icmp4(ROUTER4, 3, 12, q28(probe4("udp")))
    v["v4_net_unreach_tos"] = icmp4(ROUTER4, 3, 11, q28(probe4("udp")))
    v["v4_redirect"] = bytes(
        IP(src=ROUTER4, dst=SRC4) / ICMP(type=5, code=1, gw=ROUTER4) /
        Raw(q28(probe4("udp"))))
    v["v4_source_quench"] = icmp4(ROUTER4, 4, 0, q28(probe4("udp")))
    v["v4_param_problem"] = icmp4(ROUTER4, 12, 0, q28(probe4("udp")))

    # IPv4 TCP answers.
    v["v4_syn_ack"] = bytes(
        IP(src=DST4, dst=SRC4) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="SA", seq=0xA1B2C3D4,
            ack=TCP_SEQ + 1, window=29200))
    v["v4_rst_ack"] = bytes(
        IP(src=DST4, dst=SRC4) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="RA", seq=0,
            ack=TCP_SEQ + 1, window=0))
    v["v4_rst_ack_data"] = bytes(
        IP(src=DST4, dst=SRC4) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="RA", seq=0,
            ack=TCP_SEQ + 1 + TCP_SYN_DATA, window=0))
    v["v4_syn_ack_wrap"] = bytes(
        IP(src=DST4, dst=SRC4) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="SA", seq=0x01020304,
            ack=(TCP_SEQ_WRAP + 1) & 0xFFFFFFFF, window=29200))
    v["v4_own_syn"] = bytes(IP(src=SRC4, dst=DST4) / transport("tcp", 4))
    v["v4_rst_no_ack"] = bytes(
        IP(src=DST4, dst=SRC4) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="R", seq=TCP_SEQ + 1))
    v["v4_ack_only"] = bytes(
        IP(src=DST4, dst=SRC4) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="A", seq=1,
            ack=TCP_SEQ + 1))
    v["v4_tcp_13"] = bytes(
        IP(src=DST4, dst=SRC4) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="SA", seq=0xA1B2C3D4,
            ack=TCP_SEQ + 1))[:20 + 13]

    # IPv4 SCTP answers.
    init_ack4 = IP(src=DST4, dst=SRC4) / \
        SCTP(sport=SCTP_DPORT, dport=SCTP_SPORT, tag=SCTP_TAG) / \
        SCTPChunkInitAck(init_tag=0x0BADCAFE, a_rwnd=65535, n_out_streams=1,
                         n_in_streams=1, init_tsn=7,
                         params=[SCTPChunkParamStateCookie(
                             cookie=b"\x42" * 16)])
    v["v4_sctp_init_ack"] = bytes(init_ack4)
    v["v4_sctp_init_ack_padded"] = bytes(init_ack4) + bytes(6)
    v["v4_sctp_abort"] = bytes(
        IP(src=DST4, dst=SRC4) /
        SCTP(sport=SCTP_DPORT, dport=SCTP_SPORT, tag=SCTP_TAG) /
        SCTPChunkAbort())
    v["v4_sctp_bad_crc"] = sctp_bad_crc(bytes(init_ack4), 20 + 8)
    v["v4_sctp_bad_crc_body"] = sctp_bad_crc(bytes(init_ack4), 20 + 20)
    v["v4_own_sctp_init"] = bytes(probe4("sctp"))

    # IPv4 RFC 4884 extensions (compliant: length in 32-bit words).
    udp4 = probe4("udp")
    v["v4_te_mpls1"] = icmp4(ROUTER4, 11, 0,
                             pad(udp4, 128) + ext([mpls_object(LABELS_ONE)]),
                             length=32)
    v["v4_te_mpls3"] = icmp4(ROUTER4, 11, 0,
                             pad(udp4, 128) +
                             ext([mpls_object(LABELS_THREE)]), length=32)
    v["v4_te_mpls3_136"] = icmp4(ROUTER4, 11, 0,
                                 pad(udp4, 136) +
                                 ext([mpls_object(LABELS_THREE)]), length=34)
    v["v4_te_mpls1_noncompliant"] = icmp4(
        ROUTER4, 11, 0, pad(udp4, 128) + ext([mpls_object(LABELS_ONE)]))
    v["v4_host_unreach_mpls1"] = icmp4(
        ROUTER4, 3, 1, pad(udp4, 128) + ext([mpls_object(LABELS_ONE)]),
        length=32)
    v["v4_te_mpls_zero_csum"] = icmp4(
        ROUTER4, 11, 0,
        pad(udp4, 128) + ext([mpls_object(LABELS_ONE)], csum="zero"),
        length=32)
    v["v4_te_mpls_bad_csum"] = icmp4(
        ROUTER4, 11, 0,
        pad(udp4, 128) + ext([mpls_object(LABELS_ONE)], csum="bad"),
        length=32)
    v["v4_te_mpls_version1"] = icmp4(
        ROUTER4, 11, 0,
        pad(udp4, 128) + ext([mpls_object(LABELS_ONE)], version=1),
        length=32)
    v["v4_te_mpls_objlen0"] = icmp4(
        ROUTER4, 11, 0,
        pad(udp4, 128) + ext([raw_object(0, 1, 1, bytes(4))]), length=32)
    v["v4_te_mpls_objlen2"] = icmp4(
        ROUTER4, 11, 0,
        pad(udp4, 128) + ext([raw_object(2, 1, 1, bytes(4))]), length=32)
    v["v4_te_mpls_oversize"] = icmp4(
        ROUTER4, 11, 0,
        pad(udp4, 128) + ext([raw_object(200, 1, 1, bytes(4))]), length=32)
    v["v4_te_mpls_odd"] = icmp4(
        ROUTER4, 11, 0,
        pad(udp4, 128) + ext([raw_object(10, 1, 1, bytes(6))]), length=32)
    # A non-zero length below RFC 4884's 128-byte minimum: no extension.
    v["v4_te_mpls_len_small"] = icmp4(
        ROUTER4, 11, 0, pad(udp4, 28) + ext([mpls_object(LABELS_ONE)]),
        length=7)
    # A length attribute pointing past the end of the message.
    v["v4_te_mpls_len_beyond"] = icmp4(
        ROUTER4, 11, 0, pad(udp4, 128) + ext([mpls_object(LABELS_ONE)]),
        length=40)

    # IPv6 (the ICMPv6 message or transport header alone).
    v["v6_echo_reply"] = icmp6(DST6, ICMPv6EchoReply(id=ICMP_ID,
                                                     seq=ICMP_SEQ),
                               bytes(16))
    v["v6_echo_reply_ext"] = icmp6(
        DST6, ICMPv6EchoReply(id=ICMP_ID, seq=ICMP_SEQ),
        bytes(128) + ext([mpls_object(LABELS_ONE_V6)]))
    v["v6_echo_request"] = icmp6(SRC6, ICMPv6EchoRequest(id=ICMP_ID,
                                                         seq=ICMP_SEQ),
                                 bytes(16))
    v["v6_te_icmp"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                            bytes(probe6("icmp")))
    v["v6_te_udp"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                           bytes(probe6("udp")))
    v["v6_te_tcp"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                           bytes(probe6("tcp")))
    v["v6_te_sctp"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                            bytes(probe6("sctp")))
    v["v6_te_icmp_8"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                              q48(probe6("icmp")))
    v["v6_te_udp_8"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                             q48(probe6("udp")))
    v["v6_te_tcp_8"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                             q48(probe6("tcp")))
    v["v6_te_sctp_8"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                              q48(probe6("sctp")))
    v["v6_te_reassembly"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=1),
                                  bytes(probe6("udp")))
    v["v6_te_hop_by_hop"] = icmp6(
        ROUTER6, ICMPv6TimeExceeded(code=0),
        bytes(IPv6(src=SRC6, dst=DST6, hlim=1) / IPv6ExtHdrHopByHop() /
              transport("icmp", 6)))
    v["v6_te_inner_v4"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0),
                                b"\x45" + bytes(probe6("udp"))[1:])
    v["v6_no_route"] = icmp6(ROUTER6, ICMPv6DestUnreach(code=0),
                             bytes(probe6("udp")))
    v["v6_admin_prohibited"] = icmp6(ROUTER6, ICMPv6DestUnreach(code=1),
                                     bytes(probe6("udp")))
    v["v6_addr_unreach"] = icmp6(ROUTER6, ICMPv6DestUnreach(code=3),
                                 bytes(probe6("icmp")))
    v["v6_port_unreach"] = icmp6(DST6, ICMPv6DestUnreach(code=4),
                                 bytes(probe6("udp")))
    v["v6_reject_route"] = icmp6(ROUTER6, ICMPv6DestUnreach(code=6),
                                 bytes(probe6("tcp")))
    v["v6_unreach_code8"] = icmp6(ROUTER6, ICMPv6DestUnreach(code=8),
                                  bytes(probe6("udp")))
    v["v6_param_problem_nh"] = icmp6(DST6, ICMPv6ParamProblem(code=1, ptr=6),
                                     bytes(probe6("sctp")))
    v["v6_param_problem_nh_ext"] = icmp6(
        DST6, ICMPv6ParamProblem(code=1, ptr=6),
        pad(probe6("sctp"), 128) + ext([mpls_object(LABELS_ONE_V6)]))
    v["v6_param_problem_hdr"] = icmp6(DST6, ICMPv6ParamProblem(code=0,
                                                               ptr=4),
                                      bytes(probe6("sctp")))
    v["v6_packet_too_big"] = icmp6(ROUTER6, ICMPv6PacketTooBig(mtu=1280),
                                   bytes(probe6("udp")))
    # Any code (RFC 4443: ignored when received), the largest MTU, and a
    # quote too short to match.
    v["v6_packet_too_big_icmp"] = icmp6(
        ROUTER6, ICMPv6PacketTooBig(code=1, mtu=MTU_JUMBO),
        quote6(probe6("icmp")))
    v["v6_packet_too_big_max"] = icmp6(
        ROUTER6, ICMPv6PacketTooBig(mtu=0xFFFFFFFF), bytes(probe6("tcp")))
    v["v6_packet_too_big_short"] = icmp6(
        ROUTER6, ICMPv6PacketTooBig(mtu=1280), bytes(probe6("udp"))[:44])

    # Large probes the kernel fragmented: the error quotes the first
    # fragment, Fragment header included (RFC 8200 section 4.5).
    te0 = ICMPv6TimeExceeded(code=0)
    for proto in ("icmp", "udp", "tcp", "sctp"):
        v["v6_te_%s_frag0" % proto] = icmp6(
            ROUTER6, te0, quote6(first_fragment6(proto)))
    # Only the IPv6 header, the Fragment header and 8 transport bytes.
    v["v6_te_udp_frag0_8"] = icmp6(ROUTER6, te0,
                                   first_fragment6("udp")[:40 + 8 + 8])
    # An "atomic" fragment: offset 0 and no more fragments (RFC 6946).
    v["v6_te_udp_atomic"] = icmp6(
        ROUTER6, te0,
        bytes(IPv6(src=SRC6, dst=DST6, hlim=1) /
              IPv6ExtHdrFragment(offset=0, m=0, id=FRAG6_ID) /
              transport("udp", 6)))
    # Later fragments, whose data could pass for a transport header.
    v["v6_te_udp_frag_later"] = icmp6(ROUTER6, te0, later_fragment6(154))
    v["v6_te_udp_frag_offset1"] = icmp6(ROUTER6, te0, later_fragment6(1))
    # Two Fragment headers, and a Fragment header cut short.
    v["v6_te_udp_two_frag_headers"] = icmp6(
        ROUTER6, te0,
        bytes(IPv6(src=SRC6, dst=DST6, hlim=1) /
              IPv6ExtHdrFragment(m=1, id=FRAG6_ID) /
              IPv6ExtHdrFragment(m=1, id=FRAG6_ID) /
              transport("udp", 6)))
    v["v6_te_udp_frag_header_cut"] = icmp6(
        ROUTER6, te0, first_fragment6("udp")[:40 + 6])
    # Address unreachable from a router about a large probe.
    v["v6_addr_unreach_frag0"] = icmp6(ROUTER6, ICMPv6DestUnreach(code=3),
                                       quote6(first_fragment6("icmp")))

    # Port and protocol unreachable, and ICMPv6 unknown next header, sent
    # by someone on the path instead of the destination (a firewall
    # rejecting the probe): the destination was not reached.
    v["v4_port_unreach_router"] = icmp4(ROUTER4, 3, 3, bytes(probe4("udp")))
    v["v4_port_unreach_router_tcp"] = icmp4(ROUTER4, 3, 3,
                                            q28(probe4("tcp")))
    v["v4_proto_unreach_router"] = icmp4(ROUTER4, 3, 2,
                                         bytes(probe4("sctp")))
    # From the probe's source address: still not the destination.
    v["v4_port_unreach_from_src"] = icmp4(SRC4, 3, 3, bytes(probe4("udp")))
    v["v4_port_unreach_router_mpls1"] = icmp4(
        ROUTER4, 3, 3, pad(udp4, 128) + ext([mpls_object(LABELS_ONE)]),
        length=32)
    v["v6_port_unreach_router"] = icmp6(ROUTER6, ICMPv6DestUnreach(code=4),
                                        bytes(probe6("udp")))
    v["v6_port_unreach_router_tcp"] = icmp6(
        ROUTER6, ICMPv6DestUnreach(code=4), q48(probe6("tcp")))
    v["v6_param_problem_nh_router"] = icmp6(
        ROUTER6, ICMPv6ParamProblem(code=1, ptr=6), bytes(probe6("sctp")))
    # The destination's own port unreachable about a large probe quotes
    # the reassembled datagram.
    v["v4_port_unreach_large"] = icmp4(
        DST4, 3, 3, bytes(large_probe(4, "udp", 2000))[:576 - 28])
    v["v6_port_unreach_large"] = icmp6(
        DST6, ICMPv6DestUnreach(code=4),
        quote6(large_probe(6, "udp", 2000)))
    # A router's time exceeded about the first fragment of a large IPv4
    # probe (MF set, offset 0), quoting as much as Linux does.
    v["v4_te_udp_frag0"] = icmp4(
        ROUTER4, 11, 0,
        bytes(fragment(large_probe(4, "udp", 2000), 1480)[0])[:576 - 28])

    udp6 = probe6("udp")
    v["v6_te_mpls1"] = icmp6(
        ROUTER6, ICMPv6TimeExceeded(code=0, length=16),
        pad(udp6, 128) + ext([mpls_object(LABELS_ONE_V6)]))
    v["v6_te_mpls3"] = icmp6(
        ROUTER6, ICMPv6TimeExceeded(code=0, length=16),
        pad(udp6, 128) + ext([mpls_object(LABELS_THREE_V6)]))
    v["v6_te_mpls3_noncompliant"] = icmp6(
        ROUTER6, ICMPv6TimeExceeded(code=0),
        pad(udp6, 128) + ext([mpls_object(LABELS_THREE_V6)]))
    v["v6_no_route_mpls1"] = icmp6(
        ROUTER6, ICMPv6DestUnreach(code=0, length=17),
        pad(udp6, 136) + ext([mpls_object(LABELS_ONE_V6)]))
    v["v6_te_mpls_bad_csum"] = icmp6(
        ROUTER6, ICMPv6TimeExceeded(code=0, length=16),
        pad(udp6, 128) + ext([mpls_object(LABELS_ONE_V6)], csum="bad"))

    syn_ack6 = IPv6(src=DST6, dst=SRC6) / \
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="SA", seq=0xA1B2C3D4,
            ack=TCP_SEQ + 1, window=28800)
    v["v6_syn_ack"] = v6_payload(syn_ack6)
    v["v6_rst_ack"] = v6_payload(
        IPv6(src=DST6, dst=SRC6) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="RA", seq=0,
            ack=TCP_SEQ + 1, window=0))
    v["v6_own_syn"] = v6_payload(probe6("tcp"))
    init_ack6 = IPv6(src=DST6, dst=SRC6) / \
        SCTP(sport=SCTP_DPORT, dport=SCTP_SPORT, tag=SCTP_TAG) / \
        SCTPChunkInitAck(init_tag=0x0BADCAFE, a_rwnd=65535, n_out_streams=1,
                         n_in_streams=1, init_tsn=7,
                         params=[SCTPChunkParamStateCookie(
                             cookie=b"\x42" * 16)])
    v["v6_sctp_init_ack"] = v6_payload(init_ack6)
    v["v6_sctp_abort"] = v6_payload(
        IPv6(src=DST6, dst=SRC6) /
        SCTP(sport=SCTP_DPORT, dport=SCTP_SPORT, tag=SCTP_TAG) /
        SCTPChunkAbort())
    v["v6_sctp_bad_crc"] = sctp_bad_crc(v6_payload(init_ack6), 9)
    v["v6_own_sctp_init"] = v6_payload(probe6("sctp"))
    v["v6_udp"] = v6_payload(IPv6(src=DST6, dst=SRC6) /
                             UDP(sport=UDP_DPORT, dport=UDP_SPORT) /
                             payload(8))
    return v


def ext_vectors():
    v = {}
    many = [(100 + i, i % 8, 1 if i == 17 else 0, 64 - i) for i in range(18)]
    v["ext_one"] = ext([mpls_object(LABELS_ONE)])
    v["ext_three"] = ext([mpls_object(LABELS_THREE)])
    v["ext_two_objects"] = ext([mpls_object(LABELS_THREE[:2]),
                                mpls_object(LABELS_THREE[2:])])
    v["ext_ifinfo_then_mpls"] = ext([
        ICMPExtensionInterfaceInformation(has_ifindex=1, ifindex=7),
        mpls_object(LABELS_ONE)])
    # An object of odd length (5 bytes) before the MPLS object.
    v["ext_odd_object_then_mpls"] = ext([raw_object(5, 9, 1, b"\x77"),
                                         mpls_object(LABELS_ONE)])
    # An unknown c-type of class 1 is skipped whatever its length.
    v["ext_class1_ctype2"] = ext([raw_object(7, 1, 2, b"\x01\x02\x03")])
    v["ext_many"] = ext([mpls_object(many)])
    v["ext_header_only"] = ext([])
    v["ext_zero_csum"] = ext([mpls_object(LABELS_ONE)], csum="zero")
    v["ext_bad_csum"] = ext([mpls_object(LABELS_ONE)], csum="bad")
    v["ext_version1"] = ext([mpls_object(LABELS_ONE)], version=1)
    v["ext_version3"] = ext([mpls_object(LABELS_ONE)], version=3)
    v["ext_objlen0"] = ext([raw_object(0, 1, 1, bytes(4))])
    v["ext_objlen2"] = ext([raw_object(2, 1, 1, bytes(4))])
    v["ext_objlen3"] = ext([raw_object(3, 1, 1, bytes(4))])
    v["ext_oversize"] = ext([raw_object(12, 1, 1, bytes(4))])
    v["ext_mpls_odd"] = ext([raw_object(10, 1, 1, bytes(6))])
    v["ext_trailing"] = ext([mpls_object(LABELS_ONE), b"\x00\x00"])
    v["ext_good_then_bad"] = ext([mpls_object(LABELS_THREE),
                                  raw_object(2, 1, 1, b"")])
    v["ext_short"] = ext([])[:3]
    return v


# --- reply-details: RFC 5837 objects and what answers say ----------------

# The interface of the RFC 5837 objects below (test_reply_details.c
# repeats these values).
IF_INDEX, IF_ADDR4, IF_ADDR6 = 7, "192.0.2.77", "2001:db8::77"
IF_NAME, IF_MTU = b"eth0", 1500
IF_INDEX_MAX, IF_NAME_LONG, IF_MTU_BIG = 0xFFFFFFFF, b"ge-0/0/1.100", 9000
IF_NAME_63 = bytes(range(0x41, 0x41 + 26)) + bytes(range(0x61, 0x61 + 26)) + \
    b"0123456789!"
# The answers' TTLs and the probe's fields as a router quotes them.
REPLY_TTL4, QUOTED_TTL, QUOTED_TOS = 37, 3, 0xB9
QUOTED_HLIM6, QUOTED_TCLASS6 = 2, 0xA4
NEXT_HOP_MTU, NEXT_HOP_MTU6 = 1280, 1280


def ifinfo(role=0, index=None, ip4=None, ip6=None, afi=None, name=None,
           name_len=None, mtu=None, extra=b""):
    """
    An interface information object (RFC 5837 section 4).  RFC 5837 4.5:
    the name sub-object's length byte counts itself and the sub-object is
    NUL-padded to a multiple of 4; scapy's automatic ifname_len counts the
    name alone, so both are given explicitly here.  name_len overrides the
    length byte (malformed objects); extra bytes follow the fields.
    """
    fields = dict(interface_role=role)
    if index is not None:
        fields.update(has_ifindex=1, ifindex=index)
    if ip4 is not None or ip6 is not None or afi is not None:
        # scapy takes the address only once the AFI is set, so the AFI
        # comes first (and is given even where scapy would infer it).
        if afi is None:
            afi = 1 if ip4 is not None else 2
        fields.update(has_ipaddr=1, afi=afi)
        if ip4 is not None:
            fields.update(ip4=ip4)
        if ip6 is not None:
            fields.update(ip6=ip6)
    if name is not None:
        size = -(-(len(name) + 1) // 4) * 4
        fields.update(has_ifname=1,
                      ifname_len=size if name_len is None else name_len,
                      ifname=name.ljust(size - 1, b"\x00"))
    if mtu is not None:
        fields.update(has_mtu=1, mtu=mtu)
    obj = ICMPExtensionInterfaceInformation(**fields)
    if extra:
        obj = obj / Raw(extra)
    return bytes(obj)


def ifinfo_vectors():
    v = {}
    v["ifi_all4"] = ext([ifinfo(index=IF_INDEX, ip4=IF_ADDR4, name=IF_NAME,
                                mtu=IF_MTU)])
    v["ifi_all6"] = ext([ifinfo(role=2, index=IF_INDEX_MAX, ip6=IF_ADDR6,
                                name=IF_NAME_LONG, mtu=IF_MTU_BIG)])
    # Every combination of the four fields, c-type bits 4 to 7 (role 1).
    for flags in range(16):
        v["ifi_combo_%d" % flags] = ext([ifinfo(
            role=1,
            index=IF_INDEX if flags & 8 else None,
            ip4=IF_ADDR4 if flags & 4 else None,
            name=IF_NAME if flags & 2 else None,
            mtu=IF_MTU if flags & 1 else None)])
    v["ifi_name63"] = ext([ifinfo(index=IF_INDEX, name=IF_NAME_63)])
    v["ifi_name3"] = ext([ifinfo(name=b"lo0")])
    # Well formed, but a name the reply cannot carry: the rest is kept.
    v["ifi_name_space"] = ext([ifinfo(index=IF_INDEX, name=b"eth 0",
                                      mtu=IF_MTU)])
    v["ifi_name_8bit"] = ext([ifinfo(index=IF_INDEX, name=b"eth\xe9",
                                     mtu=IF_MTU)])
    v["ifi_name_ctrl"] = ext([ifinfo(index=IF_INDEX, name=b"e\x07h0",
                                     mtu=IF_MTU)])
    v["ifi_name_inner_nul"] = ext([ifinfo(index=IF_INDEX, name=b"et\x00h",
                                          mtu=IF_MTU)])
    v["ifi_name_empty"] = ext([ifinfo(index=IF_INDEX, name=b"",
                                      mtu=IF_MTU)])
    # Malformed: nothing at all from the object.
    v["ifi_namelen0"] = ext([ifinfo(index=IF_INDEX, name=b"eth",
                                    name_len=0, mtu=IF_MTU)])
    v["ifi_namelen5"] = ext([ifinfo(index=IF_INDEX, name=b"eth",
                                    name_len=5, mtu=IF_MTU)])
    v["ifi_namelen68"] = ext([ifinfo(index=IF_INDEX, name=b"eth",
                                     name_len=68, mtu=IF_MTU)])
    # The name claims 64 bytes; 4 are there, then the end of the object.
    v["ifi_name_overflow"] = ext([ifinfo(index=IF_INDEX, name=b"eth",
                                         name_len=64)])
    v["ifi_afi3"] = ext([ifinfo(index=IF_INDEX, afi=3, extra=bytes(4))])
    v["ifi_afi0"] = ext([ifinfo(index=IF_INDEX, afi=0, extra=bytes(4))])
    # IPv4 address announced, 2 of its 4 bytes there.
    v["ifi_addr_short"] = ext([ifinfo(index=IF_INDEX, ip4=IF_ADDR4)[:-2]])
    v["ifi_mtu_missing"] = ext([ifinfo(index=IF_INDEX, mtu=IF_MTU)[:-4]])
    v["ifi_trailing"] = ext([ifinfo(index=IF_INDEX, extra=bytes(4))])
    v["ifi_empty_ctype"] = ext([ifinfo(role=3)])
    # Only the first object counts, well formed or not.
    v["ifi_two"] = ext([ifinfo(index=1), ifinfo(index=2, mtu=IF_MTU)])
    v["ifi_bad_then_good"] = ext([ifinfo(index=1, extra=bytes(2)),
                                  ifinfo(index=2)])
    v["ifi_mpls_ifi"] = ext([mpls_object(LABELS_ONE),
                             ifinfo(index=IF_INDEX, ip6=IF_ADDR6)])
    # A malformed structure around a good object.
    v["ifi_bad_csum"] = ext([ifinfo(index=IF_INDEX)], csum="bad")
    v["ifi_zero_csum"] = ext([ifinfo(index=IF_INDEX)], csum="zero")
    v["ifi_then_objlen2"] = ext([ifinfo(index=IF_INDEX),
                                 raw_object(2, 1, 1, b"")])
    return v


def details_vectors():
    v = {}
    quoted4 = IP(src=SRC4, dst=DST4, ttl=QUOTED_TTL, tos=QUOTED_TOS,
                 id=0x1111) / transport("udp", 4)
    v["d4_te"] = bytes(IP(src=ROUTER4, dst=SRC4, ttl=REPLY_TTL4) /
                       ICMP(type=11, code=0) / Raw(bytes(quoted4)))
    v["d4_frag_needed"] = bytes(
        IP(src=ROUTER4, dst=SRC4, ttl=REPLY_TTL4) /
        ICMP(type=3, code=4, nexthopmtu=NEXT_HOP_MTU) /
        Raw(bytes(quoted4)[:28]))
    # A router older than RFC 1191 leaves the MTU field zero.
    v["d4_frag_needed_0"] = bytes(
        IP(src=ROUTER4, dst=SRC4, ttl=REPLY_TTL4) /
        ICMP(type=3, code=4, nexthopmtu=0) / Raw(bytes(quoted4)[:28]))
    # Not fragmentation needed: bytes 6-7 are no MTU, whatever they hold.
    v["d4_host_unreach_junk"] = bytes(
        IP(src=ROUTER4, dst=SRC4, ttl=REPLY_TTL4) /
        ICMP(type=3, code=1, nexthopmtu=NEXT_HOP_MTU) /
        Raw(bytes(quoted4)[:28]))
    v["d4_admin"] = bytes(IP(src=ROUTER4, dst=SRC4, ttl=REPLY_TTL4) /
                          ICMP(type=3, code=13) / Raw(bytes(quoted4)[:28]))
    v["d4_echo_reply"] = bytes(
        IP(src=DST4, dst=SRC4, ttl=REPLY_TTL4, tos=QUOTED_TOS) /
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ) / payload(36))
    v["d4_rst"] = bytes(
        IP(src=DST4, dst=SRC4, ttl=REPLY_TTL4) /
        TCP(sport=TCP_DPORT, dport=TCP_SPORT, flags="RA", seq=0,
            ack=TCP_SEQ + 1, window=0))
    v["d4_te_ifinfo_mpls"] = bytes(
        IP(src=ROUTER4, dst=SRC4, ttl=REPLY_TTL4) /
        ICMP(type=11, code=0, length=32) /
        Raw(pad(quoted4, 128) +
            ext([ifinfo(index=IF_INDEX, ip4=IF_ADDR4, name=IF_NAME,
                        mtu=IF_MTU), mpls_object(LABELS_ONE)])))
    # The pre-RFC 4884 form: no length attribute, 128 bytes of quote.
    v["d4_te_ifinfo_old"] = bytes(
        IP(src=ROUTER4, dst=SRC4, ttl=REPLY_TTL4) /
        ICMP(type=11, code=0) /
        Raw(pad(quoted4, 128) + ext([ifinfo(index=IF_INDEX, mtu=IF_MTU)])))
    # The same object after an echo reply's data is no extension.
    v["d4_echo_reply_ifinfo"] = bytes(
        IP(src=DST4, dst=SRC4, ttl=REPLY_TTL4) /
        ICMP(type=0, id=ICMP_ID, seq=ICMP_SEQ) /
        Raw(bytes(128) + ext([ifinfo(index=IF_INDEX)])))
    quoted6 = IPv6(src=SRC6, dst=DST6, hlim=QUOTED_HLIM6,
                   tc=QUOTED_TCLASS6, fl=0xABCDE) / transport("udp", 6)
    v["d6_te"] = icmp6(ROUTER6, ICMPv6TimeExceeded(code=0), bytes(quoted6))
    v["d6_admin_ifinfo"] = icmp6(
        ROUTER6, ICMPv6DestUnreach(code=1, length=16),
        pad(quoted6, 128) + ext([ifinfo(role=2, index=IF_INDEX_MAX,
                                        ip6=IF_ADDR6, name=IF_NAME_LONG,
                                        mtu=IF_MTU_BIG)]))
    v["d6_echo_reply"] = icmp6(DST6, ICMPv6EchoReply(id=ICMP_ID,
                                                     seq=ICMP_SEQ),
                               bytes(16))
    # The first 8 bytes of a packet too big: type, code, checksum, MTU.
    # (No IPv6 layer below: scapy leaves the checksum zero, unread here.)
    v["d6_ptb_header"] = bytes(ICMPv6PacketTooBig(cksum=0,
                                                  mtu=NEXT_HOP_MTU6))[:8]
    v["d6_ptb_header_0"] = bytes(ICMPv6PacketTooBig(cksum=0, mtu=0))[:8]
    return v


def c_array(name, data):
    lines = ["static const uint8_t %s[] = {" % name]
    for i in range(0, len(data), 12):
        chunk = data[i:i + 12]
        lines.append("\t" + ", ".join("0x%02x" % b for b in chunk) + ",")
    lines.append("};")
    return "\n".join(lines)


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "decode"
    vectors = {"decode": decode_vectors, "ext": ext_vectors,
               "ifinfo": ifinfo_vectors,
               "details": details_vectors}[which]()
    print("/* Generated by tests/unit/vectors/decode_vectors.py %s. */"
          % which)
    for name, data in vectors.items():
        print(c_array(name, data))


if __name__ == "__main__":
    main()

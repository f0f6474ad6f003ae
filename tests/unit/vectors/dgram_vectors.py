#!/usr/bin/python3
"""Test vectors for probe/dgram_parse.c, built with scapy and struct.

Usage (Debian's python3-scapy; /usr/bin/python3):

    /usr/bin/python3 tests/unit/vectors/dgram_vectors.py

prints the C arrays kept between the GENERATED markers of
tests/unit/test_dgram_parse.c (tests/unit/vectors/sync_vectors.py checks or
rewrites them).  Two kinds of input, as an unprivileged probe's socket
hands them over:

  ans4_*, ans6_*  datagrams read from a ping socket (the ICMP or ICMPv6
                  message without its IP header) or a UDP socket;
  err4_*, err6_*  payloads of IP_RECVERR / IPV6_RECVERR control messages:
                  a struct sock_extended_err (linux/errqueue.h, host byte
                  order) and the offender's sockaddr after it.

The test states by hand what each must decode to, or that it must be
rejected.  Only documentation addresses are used (RFC 5737, RFC 3849).
Nothing is sent: scapy only builds bytes here.
"""

import socket
import struct

from scapy.layers.inet import ICMP
from scapy.layers.inet6 import IPv6, ICMPv6EchoReply, ICMPv6EchoRequest

# The same C layout as the filter's vectors (this directory is on sys.path).
from rxfilter_vectors import c_array

# The probe goes from SRC to DST; errors come from ROUTER (the test repeats
# these and the identifiers).
SRC4, DST4, ROUTER4 = "192.0.2.1", "203.0.113.9", "198.51.100.1"
SRC6, DST6, ROUTER6 = "2001:db8::1", "2001:db8:2::9", "2001:db8:1::1"
# The kernel picks a ping socket's identifier: any value stands for it.
KERNEL_ID, SEQ = 0x9876, 0x0305
PAYLOAD = bytes(range(0x20, 0x40))

# linux/errqueue.h and linux/in.h: origins, and the struct layouts.
ORIGIN_LOCAL, ORIGIN_ICMP, ORIGIN_ICMP6 = 1, 2, 3
EHOSTUNREACH, EMSGSIZE, ECONNREFUSED = 113, 90, 111


def echo6(msg):
    """An ICMPv6 message with its checksum over the IPv6 pseudo-header."""
    return bytes(IPv6(src=DST6, dst=SRC6) / msg)[40:]


def ee(errno, origin, icmp_type, code, offender=None):
    """sock_extended_err (=IBBBBII) then the offender's sockaddr."""
    data = struct.pack("=IBBBBII", errno, origin, icmp_type, code, 0, 0, 0)
    if offender is None:
        return data
    family, addr = offender
    if family == socket.AF_INET:
        return data + struct.pack("=H", family) + struct.pack(
            "!H4s8x", 0, socket.inet_pton(family, addr))
    return data + struct.pack("=H", family) + struct.pack(
        "!HI16s", 0, 0, socket.inet_pton(family, addr)) + struct.pack("=I", 0)


V4, V6 = socket.AF_INET, socket.AF_INET6

VECTORS = [
    # Ping socket, IPv4: the reply, then each way it can fail to be ours.
    ("ans4_echo_reply", bytes(ICMP(type=0, id=KERNEL_ID, seq=SEQ) / PAYLOAD)),
    ("ans4_echo_reply_bare", bytes(ICMP(type=0, id=KERNEL_ID, seq=SEQ))),
    ("ans4_truncated", bytes(ICMP(type=0, id=KERNEL_ID, seq=SEQ))[:7]),
    ("ans4_other_seq", bytes(ICMP(type=0, id=KERNEL_ID, seq=SEQ + 1))),
    ("ans4_seq_swapped", bytes(ICMP(type=0, id=KERNEL_ID, seq=0x0503))),
    ("ans4_code1", bytes(ICMP(type=0, code=1, id=KERNEL_ID, seq=SEQ))),
    ("ans4_echo_request", bytes(ICMP(type=8, id=KERNEL_ID, seq=SEQ))),
    ("ans4_v6_type", echo6(ICMPv6EchoReply(id=KERNEL_ID, seq=SEQ))),
    # Ping socket, IPv6.
    ("ans6_echo_reply", echo6(ICMPv6EchoReply(id=KERNEL_ID, seq=SEQ) /
                              PAYLOAD)),
    ("ans6_echo_reply_bare", echo6(ICMPv6EchoReply(id=KERNEL_ID, seq=SEQ))),
    ("ans6_truncated", echo6(ICMPv6EchoReply(id=KERNEL_ID, seq=SEQ))[:7]),
    ("ans6_other_seq", echo6(ICMPv6EchoReply(id=KERNEL_ID, seq=SEQ - 1))),
    ("ans6_echo_request", echo6(ICMPv6EchoRequest(id=KERNEL_ID, seq=SEQ))),
    ("ans6_v4_type", bytes(ICMP(type=0, id=KERNEL_ID, seq=SEQ))),
    # A UDP service's answer on the connected socket.
    ("ans_udp", b"pong"),
    # Error queue, IPv4.
    ("err4_ttl", ee(EHOSTUNREACH, ORIGIN_ICMP, 11, 0, (V4, ROUTER4))),
    ("err4_ttl_no_offender", ee(EHOSTUNREACH, ORIGIN_ICMP, 11, 0)),
    ("err4_port_dst", ee(ECONNREFUSED, ORIGIN_ICMP, 3, 3, (V4, DST4))),
    ("err4_port_router", ee(ECONNREFUSED, ORIGIN_ICMP, 3, 3, (V4, ROUTER4))),
    ("err4_proto_router", ee(ECONNREFUSED, ORIGIN_ICMP, 3, 2, (V4, ROUTER4))),
    ("err4_net", ee(EHOSTUNREACH, ORIGIN_ICMP, 3, 0, (V4, ROUTER4))),
    ("err4_host", ee(EHOSTUNREACH, ORIGIN_ICMP, 3, 1, (V4, ROUTER4))),
    ("err4_reassembly", ee(EHOSTUNREACH, ORIGIN_ICMP, 11, 1, (V4, ROUTER4))),
    ("err4_redirect", ee(0, ORIGIN_ICMP, 5, 1, (V4, ROUTER4))),
    ("err4_origin_icmp6", ee(EHOSTUNREACH, ORIGIN_ICMP6, 3, 0, (V6, ROUTER6))),
    ("err4_local_msgsize", ee(EMSGSIZE, ORIGIN_LOCAL, 0, 0)),
    ("err4_local_no_errno", ee(0, ORIGIN_LOCAL, 0, 0)),
    ("err4_truncated", ee(EHOSTUNREACH, ORIGIN_ICMP, 11, 0)[:15]),
    # Error queue, IPv6.
    ("err6_ttl", ee(EHOSTUNREACH, ORIGIN_ICMP6, 3, 0, (V6, ROUTER6))),
    ("err6_port_dst", ee(ECONNREFUSED, ORIGIN_ICMP6, 1, 4, (V6, DST6))),
    ("err6_port_router", ee(ECONNREFUSED, ORIGIN_ICMP6, 1, 4, (V6, ROUTER6))),
    ("err6_param_dst", ee(ECONNREFUSED, ORIGIN_ICMP6, 4, 1, (V6, DST6))),
    ("err6_param_router", ee(ECONNREFUSED, ORIGIN_ICMP6, 4, 1,
                             (V6, ROUTER6))),
    ("err6_no_route", ee(EHOSTUNREACH, ORIGIN_ICMP6, 1, 0, (V6, ROUTER6))),
    ("err6_origin_icmp", ee(EHOSTUNREACH, ORIGIN_ICMP, 11, 0, (V4, ROUTER4))),
    ("err6_offender_v4", ee(EHOSTUNREACH, ORIGIN_ICMP6, 3, 0, (V4, ROUTER4))),
    ("err6_offender_cut", ee(EHOSTUNREACH, ORIGIN_ICMP6, 3, 0,
                             (V6, ROUTER6))[:16 + 27]),
]


def main():
    print("/* Generated by tests/unit/vectors/dgram_vectors.py. */")
    for name, data in VECTORS:
        print(c_array(name, data))


if __name__ == "__main__":
    main()

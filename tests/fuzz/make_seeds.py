#!/usr/bin/python3
"""Write the seed corpora of the fuzz harnesses (tests/fuzz/corpus/*).

Packets are built with scapy, independently of the worker's own builders.
The first byte of a decode seed selects the decoder (see fuzz_decode.c):
0 IPv4, 2 ICMPv6, 3 TCP over IPv6, 4 SCTP over IPv6, 6 extension parser,
7 error-queue control message.
Run: /usr/bin/python3 tests/fuzz/make_seeds.py tests/fuzz/corpus
"""
import os
import struct
import sys

from scapy.layers.inet import IP, ICMP, UDP, TCP
from scapy.layers.inet6 import (IPv6, ICMPv6EchoRequest, ICMPv6EchoReply,
                                ICMPv6TimeExceeded, ICMPv6DestUnreach)
from scapy.layers.sctp import SCTP, SCTPChunkInit, SCTPChunkAbort

SRC4, DST4, RTR4 = "192.0.2.2", "192.0.2.130", "192.0.2.1"
SRC6, DST6, RTR6 = "2001:db8:1::2", "2001:db8:3::2", "2001:db8:1::1"


def mpls_ext(labels):
    """An RFC 4884 extension with one RFC 4950 MPLS object, checksummed."""
    body = b"".join(((l << 12) | (tc << 9) | (s << 8) | ttl).to_bytes(4, "big")
                    for l, tc, s, ttl in labels)
    obj = (4 + len(body)).to_bytes(2, "big") + b"\x01\x01" + body
    ext = b"\x20\x00\x00\x00" + obj
    total = sum(int.from_bytes(ext[i:i + 2], "big") for i in range(0, len(ext), 2))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    csum = (~total) & 0xffff
    return ext[:2] + csum.to_bytes(2, "big") + ext[4:]


def main(out):
    seeds = {"command": {}, "decode": {}}
    cmd = seeds["command"]
    cmd["probe"] = b"1 send-probe ip-4 192.0.2.130 protocol udp ttl 3 size 100\n"
    cmd["probe6"] = b"2 send-probe ip-6 2001:db8:3::2%eth0 local-ip-6 2001:db8:1::2 mark 7\n"
    cmd["support"] = b"3 check-support feature sctp\r\n4 check-support\n"
    cmd["errors"] = b"x\n\n5 bogus\n6 send-probe ttl\n2147483648 send-probe\n"
    cmd["long"] = b"7 send-probe ip-4 192.0.2.1 " + b"a" * 5000 + b"\n8 check-support feature version\n"
    cmd["nul"] = b"9 send-probe\x00 ip-4 192.0.2.1\n10 check-support feature ip-6\n"

    dec = seeds["decode"]
    probe4 = IP(src=SRC4, dst=DST4, ttl=1) / UDP(sport=40000, dport=33434) / (b"\0" * 36)
    dec["v4_echo_reply"] = b"\0" + bytes(IP(src=DST4, dst=SRC4) / ICMP(type=0, id=7, seq=9) / b"abcd")
    dec["v4_te_udp"] = b"\0" + bytes(IP(src=RTR4, dst=SRC4) / ICMP(type=11, code=0) / bytes(probe4))
    quote = bytes(probe4).ljust(128, b"\0")
    dec["v4_te_mpls"] = b"\0" + bytes(IP(src=RTR4, dst=SRC4) /
                                      ICMP(type=11, code=0, length=32) /
                                      (quote + mpls_ext([(16001, 0, 0, 1), (16002, 5, 1, 255)])))
    dec["v4_rst"] = b"\0" + bytes(IP(src=DST4, dst=SRC4) / TCP(sport=80, dport=40001, flags="RA", ack=0x11220001))
    dec["v4_abort"] = b"\0" + bytes(IP(src=DST4, dst=SRC4) / SCTP(sport=80, dport=40001, tag=1234) / SCTPChunkAbort())
    dec["v4_unreach_sctp"] = b"\0" + bytes(IP(src=DST4, dst=SRC4) / ICMP(type=3, code=2) /
                                           bytes(IP(src=SRC4, dst=DST4) / SCTP(sport=40001, dport=80) / SCTPChunkInit(init_tag=99)))
    probe6 = IPv6(src=SRC6, dst=DST6, hlim=1) / ICMPv6EchoRequest(id=7, seq=3)
    dec["v6_echo_reply"] = b"\2" + bytes(ICMPv6EchoReply(id=7, seq=3))
    dec["v6_te"] = b"\2" + bytes(ICMPv6TimeExceeded() / bytes(probe6))
    dec["v6_unreach"] = b"\2" + bytes(ICMPv6DestUnreach(code=4) / bytes(IPv6(src=SRC6, dst=DST6) / UDP(sport=40000, dport=33434)))
    dec["v6_synack"] = b"\3" + bytes(TCP(sport=80, dport=40001, flags="SA", ack=0x11220001))
    dec["v6_init_ack"] = b"\4" + bytes(SCTP(sport=80, dport=40001, tag=77) / SCTPChunkInit(type=2, init_tag=5))
    dec["ext_mpls"] = b"\6" + mpls_ext([(1, 1, 1, 1)])
    # sock_extended_err (host byte order) + sockaddr_in offender.
    ee = struct.pack("=IBBBBII", 113, 2, 11, 0, 0, 0, 0)
    sin = struct.pack("=HH4s8x", 2, 0, bytes([198, 51, 100, 1]))
    dec["errqueue_ttl"] = b"\7" + ee + sin

    for corpus, files in seeds.items():
        d = os.path.join(out, corpus)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus")

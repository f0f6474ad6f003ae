#!/usr/bin/python3
"""Write the seed corpora of the fuzz harnesses (tests/fuzz/corpus/*).

Packets are built with scapy, independently of the worker's own builders.
One corpus per target (see fuzz_decode.c): decode6 seeds start with the
socket's protocol (0 ICMPv6, 2 TCP, 3 SCTP), errqueue seeds with the family
(0 IPv4, 1 IPv6); txstamp seeds are an error-queue message's control
data as the kernel lays it out on 64-bit Linux.  dgram seeds
(fuzz_dgram.c) start with a control byte and the probe's sequence
number; roundtrip seeds (fuzz_roundtrip.c) are not packets but the fields
of a probe, one seed per family, protocol and quoting style.
Run: /usr/bin/python3 tests/fuzz/make_seeds.py tests/fuzz/corpus
"""
import os
import struct
import sys

from scapy.layers.inet import IP, ICMP, UDP, TCP
from scapy.layers.inet6 import (IPv6, ICMPv6EchoRequest, ICMPv6EchoReply,
                                ICMPv6TimeExceeded, ICMPv6DestUnreach,
                                ICMPv6PacketTooBig, IPv6ExtHdrFragment)
from scapy.layers.sctp import SCTP, SCTPChunkInit, SCTPChunkAbort
from scapy.contrib.icmp_extensions import ICMPExtensionInterfaceInformation
from scapy.utils import checksum

SRC4, DST4, RTR4 = "192.0.2.2", "192.0.2.130", "192.0.2.1"
SRC6, DST6, RTR6 = "2001:db8:1::2", "2001:db8:3::2", "2001:db8:1::1"


def with_checksum(ext):
    """The RFC 4884 checksum over a whole structure, filled in."""
    ext = ext[:2] + b"\x00\x00" + ext[4:]
    return ext[:2] + checksum(ext).to_bytes(2, "big") + ext[4:]


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
    seeds = {k: {} for k in ("command", "decode4", "decode6", "icmp_ext",
                             "errqueue", "dgram", "roundtrip",
                             "txstamp", "netlink")}
    cmd = seeds["command"]
    cmd["probe"] = b"1 send-probe ip-4 192.0.2.130 protocol udp ttl 3 size 100\n"
    cmd["probe6"] = b"2 send-probe ip-6 2001:db8:3::2%eth0 local-ip-6 2001:db8:1::2 mark 7\n"
    cmd["support"] = b"3 check-support feature sctp\r\n4 check-support\n"
    cmd["errors"] = b"x\n\n5 bogus\n6 send-probe ttl\n2147483648 send-probe\n"
    cmd["long"] = b"7 send-probe ip-4 192.0.2.1 " + b"a" * 5000 + b"\n8 check-support feature version\n"
    cmd["nul"] = b"9 send-probe\x00 ip-4 192.0.2.1\n10 check-support feature ip-6\n"
    cmd["addr6"] = (b"11 send-probe ip-6 ::ffff:192.0.2.1\n12 send-probe ip-6 ::192.0.2.1%lo\n"
                    b"13 send-probe ip-6 1:2:3:4:5:6:7::\n14 send-probe ip-6 ::\n"
                    b"15 send-probe ip-6 2001:0DB8:0000::00ff ip-6 1::2::3\n")
    cmd["bounds"] = (b"16 send-probe ip-4 203.0.113.9 mark 04294967295 timeout 86400 ttl 255\n"
                     b"17 send-probe ip-4 198.51.100.255 local-port 1023 size 65536\n"
                     b"0000000000002147483647 check-support feature x\n")
    cmd["bytes"] = (b"18\tsend-probe\vip-4\f192.0.2.1\r\n19 check-support feature a\x01\x7f\x80b\n"
                    b"20 send-probe ip-4 192.0.2.1 t\x1fl 5 ttl   \n")

    d4, d6, ext, errq = (seeds[k] for k in ("decode4", "decode6", "icmp_ext", "errqueue"))
    probe4 = IP(src=SRC4, dst=DST4, ttl=1) / UDP(sport=40000, dport=33434) / (b"\0" * 36)
    d4["v4_echo_reply"] = bytes(IP(src=DST4, dst=SRC4) / ICMP(type=0, id=7, seq=9) / b"abcd")
    d4["v4_te_udp"] = bytes(IP(src=RTR4, dst=SRC4) / ICMP(type=11, code=0) / bytes(probe4))
    quote = bytes(probe4).ljust(128, b"\0")
    d4["v4_te_mpls"] = bytes(IP(src=RTR4, dst=SRC4) /
                                      ICMP(type=11, code=0, length=32) /
                                      (quote + mpls_ext([(16001, 0, 0, 1), (16002, 5, 1, 255)])))
    d4["v4_rst"] = bytes(IP(src=DST4, dst=SRC4) / TCP(sport=80, dport=40001, flags="RA", ack=0x11220001))
    d4["v4_abort"] = bytes(IP(src=DST4, dst=SRC4) / SCTP(sport=80, dport=40001, tag=1234) / SCTPChunkAbort())
    d4["v4_unreach_sctp"] = bytes(IP(src=DST4, dst=SRC4) / ICMP(type=3, code=2) /
                                           bytes(IP(src=SRC4, dst=DST4) / SCTP(sport=40001, dport=80) / SCTPChunkInit(init_tag=99)))
    probe6 = IPv6(src=SRC6, dst=DST6, hlim=1) / ICMPv6EchoRequest(id=7, seq=3)
    d6["v6_echo_reply"] = b"\0" + bytes(ICMPv6EchoReply(id=7, seq=3))
    d6["v6_te"] = b"\0" + bytes(ICMPv6TimeExceeded() / bytes(probe6))
    d6["v6_unreach"] = b"\0" + bytes(ICMPv6DestUnreach(code=4) / bytes(IPv6(src=SRC6, dst=DST6) / UDP(sport=40000, dport=33434)))
    # A large probe's first fragment, Fragment header included.
    d6["v6_te_frag0"] = b"\0" + bytes(ICMPv6TimeExceeded() / bytes(IPv6(src=SRC6, dst=DST6, hlim=1) / IPv6ExtHdrFragment(m=1, id=0x1234) / UDP(sport=40000, dport=33434) / bytes(64)))
    # Too big (dont-fragment): fragmentation needed and packet too big.
    d4["v4_frag_needed"] = bytes(IP(src=RTR4, dst=SRC4) / ICMP(type=3, code=4, nexthopmtu=1280) /
                                 bytes(IP(src=SRC4, dst=DST4, flags="DF") / ICMP(type=8, id=7, seq=9) / (b"\0" * 20)))
    d6["v6_packet_too_big"] = b"\0" + bytes(ICMPv6PacketTooBig(mtu=1280) / bytes(probe6))
    d6["v6_synack"] = b"\2" + bytes(TCP(sport=80, dport=40001, flags="SA", ack=0x11220001))
    d6["v6_init_ack"] = b"\3" + bytes(SCTP(sport=80, dport=40001, tag=77) / SCTPChunkInit(type=2, init_tag=5))
    ext["ext_mpls"] = mpls_ext([(1, 1, 1, 1)])
    # RFC 5837 interface information (scapy's builder; the name sub-object's
    # length byte counts itself, RFC 5837 4.5), alone and after MPLS.
    ifinfo = bytes(ICMPExtensionInterfaceInformation(
        interface_role=2, has_ifindex=1, ifindex=7, has_ipaddr=1, afi=2,
        ip6="2001:db8::77", has_ifname=1, ifname_len=8,
        ifname=b"eth0\x00\x00\x00", has_mtu=1, mtu=1500))
    ext["ext_ifinfo"] = with_checksum(b"\x20\x00\x00\x00" + ifinfo)
    ext["ext_mpls_ifinfo"] = with_checksum(mpls_ext([(1, 1, 1, 1)]) + ifinfo)
    d4["v4_te_ifinfo"] = bytes(IP(src=RTR4, dst=SRC4, ttl=37) /
                               ICMP(type=3, code=4, length=32,
                                    nexthopmtu=1280) /
                               (quote + ext["ext_mpls_ifinfo"]))
    d6["v6_unreach_ifinfo"] = b"\0" + bytes(
        ICMPv6DestUnreach(code=1, length=16) /
        (bytes(probe6).ljust(128, b"\0") + ext["ext_ifinfo"]))
    # sock_extended_err (host byte order) + sockaddr_in offender.
    ee = struct.pack("=IBBBBII", 113, 2, 11, 0, 0, 0, 0)
    sin = struct.pack("=HH4s8x", 2, 0, bytes([198, 51, 100, 1]))
    errq["errqueue_ttl"] = b"\0" + ee + sin

    # dgram: control byte (bit 0 IPv6, bits 1-2 protocol, bits 3-4 sender:
    # 0 the destination, 1 a router; bit 5 error queue), sequence number.
    dg = seeds["dgram"]
    seq = struct.pack("!H", 0x0305)
    dg["echo4"] = b"\x00" + seq + bytes(ICMP(type=0, id=0x9876, seq=0x0305) / b"ping")
    dg["echo6"] = b"\x01" + seq + bytes(IPv6(src=DST6, dst=SRC6) / ICMPv6EchoReply(id=0x9876, seq=0x0305))[40:]
    dg["udp4"] = b"\x02" + seq + b"pong"
    dg["err4_ttl"] = b"\x22" + seq + ee + sin
    ee_port = struct.pack("=IBBBBII", 111, 3, 1, 4, 0, 0, 0)
    sin6 = struct.pack("=H", 10) + struct.pack("!HI16sI", 0, 0, bytes.fromhex("20010db8000200000000000000000007"), 0)
    dg["err6_port_dst"] = b"\x23" + seq + ee_port + sin6
    dg["err6_port_router"] = b"\x2b" + seq + ee_port + sin6

    # roundtrip: control byte (bit 0 IPv6, bits 1-2 protocol, bits 3-4 how
    # much is quoted: 0 RFC 792's 64 bits, 1 all that fits, 2-3 a length
    # given later, bit 5 a flow probe), then the probe's fields in
    # fuzz_roundtrip.c's order (a flow probe's flow number after them).
    rt = seeds["roundtrip"]
    for fam in (0, 1):
        for proto, pname in enumerate(("icmp", "udp", "tcp", "sctp")):
            for quote, qname, flow in ((0, "64bits", None), (1, "full", None),
                                       (2, "cut", None), (1, "flow", 7)):
                addr = b"\x02" if fam == 0 else b"\x00\x02"
                fields = (bytes([fam | proto << 1 | quote << 3 |
                                 (0x20 if flow is not None else 0)]) +
                          addr + addr.replace(b"\x02", b"\x07") +
                          struct.pack("!BBHBHHHHHHII", 3, 0, 100 + 40 * proto,
                                      0x5a, 0x1234, 0x4a21, 0x0305, 40000,
                                      33434 if proto == 1 else 80, 0x1234,
                                      0x11220000, 0x55667788) +
                          (struct.pack("!H", flow) if flow is not None
                           else b"") +
                          addr.replace(b"\x02", b"\x01") +
                          struct.pack("!H", 60) +
                          struct.pack("!HBHBH", proto * 3 + quote, 0x80,
                                      fam + 5, 0x40, 17))
                rt["%s%s_%s" % (pname, "6" if fam else "4", qname)] = fields

    # txstamp: cmsghdr { u64 len; i32 level; i32 type } + payload, each
    # padded to 8 bytes: scm_timestamping (SOL_SOCKET 1, type 37, three
    # timespecs) and the extended error (IP_RECVERR 0/11 or IPV6_RECVERR
    # 41/25: ENOMSG, origin 4 timestamping, info 0 SCM_TSTAMP_SND, key).
    def cmsg(level, ctype, payload):
        raw = struct.pack("=QiI", 16 + len(payload), level, ctype) + payload
        return raw + b"\0" * (-len(raw) % 8)

    stamps = struct.pack("=qq", 1700000000, 123456789) + b"\0" * 32
    for name, level, ctype, addr in (("stamp4", 0, 11, 16), ("stamp6", 41, 25, 28)):
        ee = struct.pack("=IBBBBII", 42, 4, 0, 0, 0, 0, 7) + b"\0" * addr
        seeds["txstamp"][name] = cmsg(1, 37, stamps) + cmsg(level, ctype, ee)
    ee = struct.pack("=IBBBBII", 113, 2, 11, 0, 0, 0, 0) + b"\0" * 16
    seeds["txstamp"]["icmp_error"] = cmsg(1, 37, stamps) + cmsg(0, 11, ee)
    # netlink (fuzz_netlink.c): the sequence number's byte, then one
    # datagram of rtnetlink messages in host byte order (little endian).
    nl = seeds["netlink"]

    def nlmsg(mtype, seq, body):
        return struct.pack("<IHHII", 16 + len(body), mtype, 0, seq, 0) + body

    def rtattr(atype, value):
        a = struct.pack("<HH", 4 + len(value), atype) + value
        return a + b"\0" * (-len(a) % 4)

    def link(mtype, seq, index, flags, name):
        return nlmsg(mtype, seq, struct.pack("<BBHiII", 0, 0, 1, index,
                                             flags, 0) +
                     rtattr(3, name + b"\0") + rtattr(4, struct.pack("<I", 1500)))

    nl["link_up"] = b"\x00" + link(16, 0, 4, 0x11043, b"hst-r1")
    nl["link_down_two"] = (b"\x00" + link(16, 0, 4, 0x1002, b"hst-r1") +
                           link(17, 0, 7, 0x1043, b"veth7"))
    nl["link_answer"] = b"\x05" + link(16, 5, 2, 0x1, b"lo")
    nl["error_enodev"] = b"\x06" + nlmsg(2, 6, struct.pack("<i", -19) + b"\0" * 16)
    nl["route_oif"] = b"\x09" + nlmsg(24, 9, struct.pack("<BBBBBBBBI", 2, 32, 0, 0,
                                                         254, 4, 0, 1, 0) +
                                       rtattr(15, struct.pack("<I", 254)) +
                                       rtattr(1, bytes([192, 0, 2, 130])) +
                                       rtattr(4, struct.pack("<I", 3)))

    for corpus, files in seeds.items():
        d = os.path.join(out, corpus)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus")

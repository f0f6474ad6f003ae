#!/usr/bin/python3
"""Helpers of tests/net/net_rxmem.sh.

    rxmem_helper.py meminfo PID
        One line per raw socket of process PID, as the kernel accounts its
        receive memory: "fd=N family=inet|inet6 proto=P r=BYTES rb=BYTES"
        (r: bytes queued, rb: the receive buffer; the r and rb of
        `ss -m`'s skmem).  ss shows skmem for raw sockets only when the
        kernel has raw_diag, so this asks the socket itself: each
        descriptor is duplicated with pidfd_getfd(2) (root may, even while
        the process is stopped) and read with getsockopt(SO_MEMINFO),
        the very numbers ss prints.

    rxmem_helper.py send SRC DST tcp|sctp WHAT FIRST_PORT COUNT STEP
        Send COUNT packets from SRC to DST (IPv4 or IPv6, by the address),
        destination ports FIRST_PORT, FIRST_PORT + STEP, ...  WHAT is a
        scapy TCP flags string (SA, RA, PA, S) or an SCTP chunk (init-ack,
        abort, data).  Built with scapy, sent through a raw socket of the
        kernel (IP_HDRINCL for IPv4; for IPv6 the kernel adds the header),
        so routing and neighbour discovery are the kernel's.
"""

import ctypes
import os
import socket
import struct
import sys

SO_MEMINFO = 55
SK_MEMINFO_RMEM_ALLOC, SK_MEMINFO_RCVBUF = 0, 1
SK_MEMINFO_VARS = 9
SYS_PIDFD_GETFD = 438


def meminfo(pid):
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        for name in sorted(os.listdir("/proc/%d/fd" % pid), key=int):
            target = int(name)
            try:
                link = os.readlink("/proc/%d/fd/%d" % (pid, target))
            except OSError:
                continue
            if not link.startswith("socket:"):
                continue
            fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, target, 0)
            if fd < 0:
                raise OSError(ctypes.get_errno(), "pidfd_getfd %d" % target)
            s = socket.socket(fileno=fd)
            try:
                if s.type != socket.SOCK_RAW or s.family not in (
                        socket.AF_INET, socket.AF_INET6):
                    continue
                info = s.getsockopt(socket.SOL_SOCKET, SO_MEMINFO,
                                    4 * SK_MEMINFO_VARS)
                mem = struct.unpack("=%dI" % SK_MEMINFO_VARS, info)
                family = "inet" if s.family == socket.AF_INET else "inet6"
                print("fd=%d family=%s proto=%d r=%d rb=%d" %
                      (target, family, s.proto,
                       mem[SK_MEMINFO_RMEM_ALLOC], mem[SK_MEMINFO_RCVBUF]))
            finally:
                s.close()
    finally:
        os.close(pidfd)


def build(src, dst, proto, what, port):
    from scapy.layers.inet import IP, TCP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.sctp import (SCTP, SCTPChunkInitAck, SCTPChunkAbort,
                                   SCTPChunkData)
    from scapy.packet import Raw

    if proto == "tcp":
        l4 = TCP(sport=80, dport=port, seq=0x01020304, ack=0x11220001,
                 flags=what, window=65535)
        if "P" in what:
            l4 = l4 / Raw(b"x" * 32)
    else:
        chunk = {"init-ack": lambda: SCTPChunkInitAck(init_tag=0x0a0b0c0d),
                 "abort": SCTPChunkAbort,
                 "data": lambda: SCTPChunkData(tsn=1, data=b"hello")}[what]
        l4 = SCTP(sport=80, dport=port, tag=0x55667788) / chunk()
    if ":" in dst:
        return bytes(IPv6(src=src, dst=dst, hlim=64) / l4)[40:]
    return bytes(IP(src=src, dst=dst, ttl=64) / l4)


def send(src, dst, proto, what, first, count, step):
    number = socket.IPPROTO_TCP if proto == "tcp" else 132
    if ":" in dst:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, number)
        s.bind((src, 0))
        addr = (dst, 0)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                          socket.IPPROTO_RAW)
        addr = (dst, 0)
    sent = 0
    for i in range(count):
        s.sendto(build(src, dst, proto, what, first + i * step), addr)
        sent += 1
    s.close()
    print("sent %d" % sent)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "meminfo":
        meminfo(int(sys.argv[2]))
    elif len(sys.argv) == 9 and sys.argv[1] == "send":
        src, dst, proto, what = sys.argv[2:6]
        first, count, step = (int(a) for a in sys.argv[6:9])
        if proto not in ("tcp", "sctp") or not 0 < count <= 10000:
            sys.exit("send: tcp or sctp, 1..10000 packets")
        send(src, dst, proto, what, first, count, step)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

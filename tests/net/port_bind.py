"""port_bind.py udp|tcp PORT FAMILY...: try to bind PORT on the wildcard
address of each FAMILY (4 or 6; IPv6 sockets v6-only) and print one word
per family, "bound" or the errno name (EADDRINUSE...).  net_params.sh
uses it to see which source ports the worker holds.
"""
import errno
import socket
import sys

kind, port, families = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
types = {"udp": socket.SOCK_DGRAM, "tcp": socket.SOCK_STREAM}
result = []
for fam in families:
    af, addr = ((socket.AF_INET, "0.0.0.0") if fam == "4"
                else (socket.AF_INET6, "::"))
    s = socket.socket(af, types[kind])
    if af == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    try:
        s.bind((addr, port))
        result.append("bound")
    except OSError as e:
        result.append(errno.errorcode.get(e.errno, str(e.errno)))
    s.close()
print(" ".join(result))

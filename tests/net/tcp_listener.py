#!/usr/bin/python3
"""A TCP listener for the network tests: tcp_listener.py LOG PORT V6 [SECONDS]

Listens on PORT (dual stack when V6 is 1), writes "listening" to LOG once
bound, then "accepted ADDRESS" for each connection it accepts (and closes),
and exits after SECONDS (default 300).  Probes to PORT get SYN-ACK from the
kernel; a test can tell from LOG that no probe completed a connection.
"""
import socket
import sys
import time

log = open(sys.argv[1], "w", buffering=1)
port, v6 = int(sys.argv[2]), sys.argv[3] == "1"
lifetime = float(sys.argv[4]) if len(sys.argv) > 4 else 300.0
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if v6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::" if v6 else "0.0.0.0", port))
s.listen(128)
s.settimeout(0.2)
log.write("listening\n")
end = time.monotonic() + lifetime
while time.monotonic() < end:
    try:
        c, a = s.accept()
    except socket.timeout:
        continue
    log.write("accepted %s\n" % a[0])
    c.close()

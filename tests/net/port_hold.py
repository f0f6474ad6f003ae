"""port_hold.py PORT: hold IPv4 UDP and TCP PORT (bound, not listening),
print "held" once both are bound, then sleep 60 s.  net_params.sh uses it
as the other program that holds a local-port.
"""
import socket
import sys
import time

port = int(sys.argv[1])
held = []
for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("0.0.0.0", port))
    held.append(s)
print("held", flush=True)
time.sleep(60)

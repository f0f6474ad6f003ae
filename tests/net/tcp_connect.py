"""tcp_connect.py ADDR PORT: one ordinary TCP connection to ADDR:PORT,
opened (2 s at most) and closed at once; exits non-zero when it fails.
net_matrix.sh uses it as the control that its listener logs connections.
"""
import socket
import sys

socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()

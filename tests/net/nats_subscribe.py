#!/usr/bin/python3
"""nats_subscribe.py: a NATS subscriber for net_hoptrace_vantage.sh, written
from the NATS client protocol (text over TCP), independent of
packaging/examples/nats_publish.py.

    nats_subscribe.py PORT SUBJECT END_SUBJECT OUT READY TIMEOUT_S

Connects to 127.0.0.1:PORT, subscribes to SUBJECT (sid 1) and END_SUBJECT
(sid 2), and once the server has answered a PING (so both subscriptions
are in place) creates the file READY.  Every message on SUBJECT is
appended to OUT as its payload bytes and a newline; the first message on
END_SUBJECT ends the run with status 0.  PINGs from the server are
answered.  Status 1 on a protocol error, a closed connection or when
TIMEOUT_S seconds pass first.
"""

import socket
import sys
import time


def main(argv):
    if len(argv) != 7:
        sys.stderr.write(__doc__)
        return 2
    port, subject, end_subject = int(argv[1]), argv[2], argv[3]
    out_path, ready_path, timeout_s = argv[4], argv[5], float(argv[6])
    deadline = time.monotonic() + timeout_s
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\n')
    sock.sendall(("SUB %s 1\r\nSUB %s 2\r\nPING\r\n"
                  % (subject, end_subject)).encode("ascii"))
    buf = b""
    ready = False
    with open(out_path, "wb") as out:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.stderr.write("nats_subscribe.py: timed out\n")
                return 1
            sock.settimeout(min(left, 1.0))
            try:
                data = sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                sys.stderr.write("nats_subscribe.py: connection closed\n")
                return 1
            buf += data
            while True:
                head, sep, rest = buf.partition(b"\r\n")
                if not sep:
                    break
                words = head.split()
                if words and words[0] == b"MSG":
                    # MSG <subject> <sid> [reply-to] <#bytes>
                    size = int(words[-1])
                    if len(rest) < size + 2:
                        break
                    payload, trailer = rest[:size], rest[size:size + 2]
                    if trailer != b"\r\n":
                        sys.stderr.write("nats_subscribe.py: bad framing\n")
                        return 1
                    buf = rest[size + 2:]
                    if words[2] == b"2":
                        return 0
                    out.write(payload + b"\n")
                    out.flush()
                    continue
                buf = rest
                if words and words[0] == b"PING":
                    sock.sendall(b"PONG\r\n")
                elif words and words[0] == b"PONG" and not ready:
                    open(ready_path, "w").close()
                    ready = True
                elif words and words[0] == b"-ERR":
                    sys.stderr.write("nats_subscribe.py: %r\n" % head)
                    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

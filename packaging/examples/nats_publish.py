#!/usr/bin/python3
"""nats_publish.py: publish each line of standard input as one NATS message.

    hoptrace --jsonl 192.0.2.130 | nats_publish.py [--server HOST:PORT] SUBJECT

The NATS client protocol is text over TCP: the server greets with INFO,
the client says CONNECT, then sends "PUB SUBJECT NBYTES\\r\\n" and the
payload and "\\r\\n" for every message.  NBYTES counts bytes, so lines are
handled as bytes, never decoded.  The server PINGs every client now and
then and drops one that does not answer PONG, so the socket is read while
standard input is: a slow producer (hoptrace -c 1000) keeps its
connection.  At end of input a PING is sent and the PONG awaited: the
server answers it only after it has processed every PUB before it, so
exit status 0 means every line was delivered to the server.

Each line is one message, without its newline (a final line without one
is sent too).  Exit status: 0 all published, 1 a connection or server
error (-ERR), 2 usage.  The standard library only; no NATS client needed.
"""

import json
import os
import selectors
import socket
import sys

FLUSH_TIMEOUT_S = 30


def usage():
    sys.stderr.write("usage: nats_publish.py [--server HOST:PORT] SUBJECT\n")
    sys.exit(2)


def parse_args(argv):
    server = "127.0.0.1:4222"
    args = argv[1:]
    if len(args) == 3 and args[0] == "--server":
        server, args = args[1], args[2:]
    if len(args) != 1 or not args[0] or any(c in args[0] for c in " \t\r\n"):
        usage()
    host, sep, port = server.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        usage()
    return host.strip("[]"), int(port), args[0].encode("ascii")


class Connection:
    """The server's side of the conversation: buffers what it sends and
    answers PING; fails on -ERR."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.setblocking(False)
        self.inbuf = b""
        self.pongs = 0

    def on_readable(self):
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        if not data:
            raise ConnectionError("the server closed the connection")
        self.inbuf += data
        while b"\r\n" in self.inbuf:
            line, self.inbuf = self.inbuf.split(b"\r\n", 1)
            if line.startswith(b"PING"):
                self.send(b"PONG\r\n")
            elif line.startswith(b"PONG"):
                self.pongs += 1
            elif line.startswith(b"-ERR"):
                raise ConnectionError(line.decode("utf-8", "replace"))
            # INFO and +OK need nothing (verbose is off).

    def send(self, data):
        self.sock.setblocking(True)
        try:
            self.sock.sendall(data)
        finally:
            self.sock.setblocking(False)


def main(argv):
    host, port, subject = parse_args(argv)
    try:
        conn = Connection(host, port)
        connect = {"verbose": False, "pedantic": False,
                   "name": "nats_publish.py", "lang": "python", "version": "1"}
        conn.send(b"CONNECT " + json.dumps(connect).encode() + b"\r\n")
        # poll, not epoll: standard input may be a regular file.
        sel = selectors.PollSelector()
        sel.register(conn.sock, selectors.EVENT_READ, "server")
        sel.register(0, selectors.EVENT_READ, "stdin")
        pending = b""
        stdin_open = True
        flush_sent = False
        waited = 0.0
        while True:
            if not stdin_open and not flush_sent:
                if pending:
                    publish(conn, subject, pending)
                    pending = b""
                conn.send(b"PING\r\n")
                flush_sent = True
            if flush_sent and conn.pongs > 0:
                return 0
            events = sel.select(timeout=1.0)
            if flush_sent and not events:
                waited += 1.0
                if waited >= FLUSH_TIMEOUT_S:
                    raise ConnectionError("no PONG from the server")
            for key, _ in events:
                if key.data == "server":
                    conn.on_readable()
                    continue
                data = os.read(0, 65536)
                if not data:
                    sel.unregister(0)
                    stdin_open = False
                    continue
                pending += data
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    publish(conn, subject, line)
    except (OSError, ConnectionError) as e:
        sys.stderr.write("nats_publish.py: %s:%d: %s\n" % (host, port, e))
        return 1


def publish(conn, subject, payload):
    conn.send(b"PUB %s %d\r\n%s\r\n" % (subject, len(payload), payload))


if __name__ == "__main__":
    sys.exit(main(sys.argv))

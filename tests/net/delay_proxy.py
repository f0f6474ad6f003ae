#!/usr/bin/python3
"""delay_proxy.py: an ssh ProxyCommand that delays the connection.

    ssh -o ProxyCommand='delay_proxy.py DELAY_MS %h %p' ...

Connects to HOST:PORT and relays standard input to the connection and the
connection to standard output, each chunk passed on DELAY_MS milliseconds
after it was read, in order.  net_hoptrace_vantage.sh uses it where the
kernel has no netem: the way to an ssh worker then takes 2 x DELAY_MS
longer each round trip, which the RTTs the worker measures must not show.
Ends when either side closes and what it sent has been passed on.
"""

import collections
import os
import selectors
import socket
import sys
import time


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    delay = int(argv[1]) / 1000.0
    sock = socket.create_connection((argv[2], int(argv[3])), timeout=10)
    sock.setblocking(True)
    sel = selectors.PollSelector()
    sel.register(0, selectors.EVENT_READ, "stdin")
    sel.register(sock, selectors.EVENT_READ, "sock")
    # Per direction: chunks waiting for their time, and whether the
    # source has closed.
    to_sock, to_out = collections.deque(), collections.deque()
    open_in, open_sock = True, True
    while True:
        now = time.monotonic()
        while to_sock and to_sock[0][0] <= now:
            sock.sendall(to_sock.popleft()[1])
        while to_out and to_out[0][0] <= now:
            data = to_out.popleft()[1]
            while data:
                data = data[os.write(1, data):]
        if not open_in and not to_sock:
            sock.shutdown(socket.SHUT_WR)
            open_in = None
        if not open_sock and not to_out:
            return 0
        if open_in is None and not open_sock and not to_out:
            return 0
        due = [q[0][0] for q in (to_sock, to_out) if q]
        timeout = max(0.0, min(due) - now) if due else None
        for key, _ in sel.select(timeout):
            if key.data == "stdin":
                data = os.read(0, 65536)
                if not data:
                    sel.unregister(0)
                    open_in = False
                else:
                    to_sock.append((time.monotonic() + delay, data))
            else:
                data = sock.recv(65536)
                if not data:
                    sel.unregister(sock)
                    open_sock = False
                else:
                    to_out.append((time.monotonic() + delay, data))


if __name__ == "__main__":
    sys.exit(main(sys.argv))

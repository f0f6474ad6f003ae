"""py_has.py NAME...: exit 0 when every NAME can be had in this Python,
1 otherwise (the tests skip then).  NAME is a module (scapy.layers.sctp)
or MODULE:ATTRIBUTE for a function a module must have (os:pidfd_open).
"""
import importlib
import sys

for name in sys.argv[1:]:
    module, _, attr = name.partition(":")
    try:
        m = importlib.import_module(module)
    except Exception:
        sys.exit(1)
    if attr and not hasattr(m, attr):
        sys.exit(1)
sys.exit(0)

#!/usr/bin/python3
"""hoptrace --list-targets against an independent model of --shard.

Runs the built hoptrace for N = 1..8 shards and seeds 1 and 2 over a
list that mixes names and a prefix, and checks that the shards of one
split are disjoint, that together they are the whole list, that a second
run gives the same split, and that one split is the one this file's own
SipHash-2-4 (written from the paper, Aumasson and Bernstein 2012) and
hoptrace(1)'s description of the order give.  Prints TAP; exit 0 when
every check passed.
"""
import ipaddress
import subprocess
import sys

MASK = (1 << 64) - 1


def rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & MASK


def siphash24(key, msg):
    """SipHash-2-4 of bytes MSG under the 16-byte KEY (paper, section 2)."""
    k0 = int.from_bytes(key[:8], "little")
    k1 = int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def sipround():
        v[0] = (v[0] + v[1]) & MASK
        v[1] = rotl(v[1], 13) ^ v[0]
        v[0] = rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & MASK
        v[3] = rotl(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & MASK
        v[3] = rotl(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & MASK
        v[1] = rotl(v[1], 17) ^ v[2]
        v[2] = rotl(v[2], 32)

    # The message padded to a multiple of 8 bytes, its length mod 256 in
    # the last byte.
    padded = msg + b"\0" * (7 - len(msg) % 8) + bytes([len(msg) % 256])
    for i in range(0, len(padded), 8):
        m = int.from_bytes(padded[i:i + 8], "little")
        v[3] ^= m
        sipround()
        sipround()
        v[0] ^= m
    v[2] ^= 0xFF
    for _ in range(4):
        sipround()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def shard_model(targets, seed, index, count):
    """hoptrace(1): key = seed (8 bytes little-endian) + b"hoptrace";
    sort by (hash of the text, position); slice [i*n/N, (i+1)*n/N)."""
    key = seed.to_bytes(8, "little") + b"hoptrace"
    order = sorted(range(len(targets)),
                   key=lambda i: (siphash24(key, targets[i].encode()), i))
    n = len(targets)
    return [targets[i] for i in order[index * n // count:
                                      (index + 1) * n // count]]


def main():
    ht = sys.argv[1]
    args = ["gw.example", "203.0.113.0/26", "name.example", "192.0.2.7",
            "gw.example"]
    expanded = []
    for a in args:
        if "/" in a:
            expanded += [str(x) for x in ipaddress.ip_network(a)]
        else:
            expanded.append(a)
    n = 0
    failed = 0

    def check(ok, what):
        nonlocal n, failed
        n += 1
        if not ok:
            failed += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", n, what))

    # The paper's test vector (appendix A): key 00..0f, message 00..0e.
    check(siphash24(bytes(range(16)), bytes(range(15))) ==
          0xA129CA6149BE45E5, "the model's SipHash-2-4 gives the paper's "
          "vector")

    def listed(extra):
        p = subprocess.run([ht, "--list-targets"] + extra + args,
                           capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            raise RuntimeError("exit %d: %s" % (p.returncode, p.stderr))
        return p.stdout.splitlines()

    whole = listed([])
    check(whole == expanded, "without --shard: the list, the prefix "
          "expanded in address order (%d targets)" % len(whole))
    for seed in (1, 2):
        for count in range(1, 9):
            shards = [listed(["--shard", "%d/%d" % (i, count),
                              "--seed", str(seed)]) for i in range(count)]
            again = [listed(["--shard", "%d/%d" % (i, count),
                             "--seed", str(seed)]) for i in range(count)]
            union = sorted(t for s in shards for t in s)
            check(union == sorted(expanded),
                  "seed %d, %d shards: disjoint, and together the list"
                  % (seed, count))
            check(shards == again, "seed %d, %d shards: the same split "
                  "the second time" % (seed, count))
            sizes = [len(s) for s in shards]
            check(max(sizes) - min(sizes) <= 1, "seed %d, %d shards: "
                  "sizes %s differ by one at most" % (seed, count, sizes))
            if count in (3, 8):
                model = [shard_model(expanded, seed, i, count)
                         for i in range(count)]
                check(shards == model, "seed %d, %d shards: the "
                      "independent model's split" % (seed, count))
    s1 = listed(["--shard", "0/1", "--seed", "1"])
    s2 = listed(["--shard", "0/1", "--seed", "2"])
    check(s1 != s2 and sorted(s1) == sorted(s2),
          "seeds 1 and 2 order the list differently")
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

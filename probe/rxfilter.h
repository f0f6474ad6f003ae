/*
 * rxfilter.h: classic BPF programs for the raw TCP and SCTP receive
 * sockets.  Pure: the program is built into the caller's storage; attaching
 * it (SO_ATTACH_FILTER) is sockets.c's business.
 *
 * A raw TCP or SCTP socket is handed a copy of every segment of its protocol
 * that the host receives.  The only ones that can answer a probe are those
 * to one of the worker's reserved source ports (ports.h) that decode_tcp
 * or decode_sctp (decode.c) would take: TCP with ACK and SYN or RST set,
 * SCTP whose first chunk is INIT-ACK or ABORT.  The filter lets only those
 * be queued, so that a host's ordinary traffic is neither copied into the
 * worker nor held in its receive buffers while it is stopped.
 *
 * An IPv4 raw socket's filter sees the packet from the IP header on (its
 * length varies with options); an IPv6 raw socket's from the transport
 * header on.
 */
#ifndef HOPPROBE_RXFILTER_H
#define HOPPROBE_RXFILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

/*
 * At most this many ranges of ports are tested one by one (an equality
 * test for a lone port, two comparisons for a range).  A larger set gives
 * a program that tests the flags or chunk type only: still no data
 * segment, bare SYN or SCTP DATA is queued, and the decoders check ports.
 */
#define RXFILTER_MAX_RUNS 64
/* Ports considered for ranges at all; more fall back the same way. */
#define RXFILTER_MAX_PORTS 1024
/* The largest block a port may be widened to (see rxfilter_build). */
#define RXFILTER_MAX_BLOCK 1024

/* Enough for any program rxfilter_build makes. */
#define RXFILTER_MAX_INSNS (8 + 2 * RXFILTER_MAX_RUNS + 8)

enum rxfilter_start {
	RXFILTER_AT_IPV4,	/* packet starts with the IPv4 header */
	RXFILTER_AT_TRANSPORT,	/* packet starts with the TCP/SCTP header */
};

/*
 * Build the filter for proto (PROTO_TCP or PROTO_SCTP) that accepts only
 * answers sent to one of ports[0..count) (in any order, duplicates
 * allowed; none: accept nothing).  Each port stands for its aligned block
 * of block ports (a power of two up to RXFILTER_MAX_BLOCK; 1: the port
 * alone), so that a caller can keep one program while ports come and go
 * within a block.  ports NULL asks for the flags-only program, for a set
 * too large to list.  Writes at most cap instructions to prog and returns
 * how many, or 0 for another protocol, a bad block or too small a cap.
 * *by_port (may be NULL) tells whether the program tests the ports or fell
 * back to flags only.
 */
size_t rxfilter_build(enum probe_proto proto, enum rxfilter_start start,
		      const uint16_t *ports, size_t count, unsigned block,
		      struct sock_filter *prog, size_t cap, bool *by_port);

#endif

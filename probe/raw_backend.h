/*
 * raw_backend.h: the raw-socket backend's state, shared by raw_send.c
 * (set-up, sending) and raw_receive.c (reading and matching replies).
 *
 * Sending is batched: each probe admitted is built into the batch's arena
 * and queued with its message header; the batch leaves in one sendmmsg()
 * when the backend is flushed (at the end of a chunk of commands, and every
 * ENGINE_FLUSH_EVERY probes within one: engine_io.c), when the next probe
 * needs another socket, or when the batch is full.  Then the sockets the
 * answers come to are read.
 */
#ifndef HOPPROBE_RAW_BACKEND_H
#define HOPPROBE_RAW_BACKEND_H

#include <netinet/in.h>
#include <sys/socket.h>

#include "engine_internal.h"
#include "icmp_id.h"
#include "ports.h"
#include "sockets.h"

#define MAX_BOUND_SETS 64
#define RECV_BATCH 64
/* At most this many recvmmsg() batches per socket per loop iteration. */
#define RECV_BATCHES_PER_WAKEUP 8
/*
 * The largest datagram a raw socket can deliver (an IPv4 total length, an
 * IPv6 payload length): answers to large probes arrive reassembled, and an
 * SCTP INIT-ACK, which carries our INIT in its cookie, is decoded only
 * whole (its CRC covers every byte).  The buffers are touched only as far
 * as datagrams fill them.
 */
#define RECV_BUFFER 65536
/* Probes per sendmmsg(), and the bytes they may take: room for at least
   one probe of the largest size. */
#define SEND_BATCH 64
#define SEND_ARENA (2 * PROBE_MAX_SIZE + 1)

struct rx_watcher {
	ev_io io;
	struct engine *engine;
	uint8_t family;
	enum probe_proto proto;
};

/* A probe queued for the next sendmmsg(). */
struct queued_probe {
	uint32_t index;			/* in the probe table */
	uint32_t list;			/* its timeout list */
	struct send_set *tx;
	struct probe_spec spec;
	struct sockaddr_storage addr;
	union {
		/* IPv6: hop limit, traffic class, source, flow label;
		   rtt-ns: the transmit stamp's request and key
		   (raw_txstamp.c) */
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			 2 * CMSG_SPACE(sizeof(int)) +
			 CMSG_SPACE(sizeof(uint32_t)) +	/* flow label */
			 2 * CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} control;
	struct iovec iov;
};

struct raw_backend {
	struct recv_sockets rx;
	struct send_set tx;
	struct send_set bound[MAX_BOUND_SETS];	/* per mark and interface */
	unsigned bound_count;
	bool can_mark;
	struct port_pool ports;
	struct icmp_id icmp_id;
	struct rx_watcher rx_watchers[2][PROTO_COUNT];

	/* rtt-ns (raw_txstamp.c): the send sockets armed for transmit
	   stamps, by descriptor, and whether the kernel can key them. */
	struct txstamp_sock **stamp_socks;
	int stamp_cap;
	bool stamp_checked, stamp_works;

	unsigned sent_mask;		/* receive sockets to read after sends */
	uint32_t sent_count;		/* probes sent since that read */

	int batch_fd;			/* the socket of the queued probes */
	unsigned queued;
	size_t arena_used;
	struct queued_probe queue[SEND_BATCH];
	struct mmsghdr msgs[SEND_BATCH];
	uint8_t arena[SEND_ARENA];
	uint8_t fragment[PROBE_MAX_SIZE];	/* one of a probe's at a time */
	uint8_t rx_buf[RECV_BATCH][RECV_BUFFER];
};

struct txstamp_sock;

/* raw_txstamp.c */
/* Append one control message to buf at *used (the caller sized buf). */
void raw_put_cmsg(char *buf, size_t *used, int level, int type,
		  const void *data, size_t len);
/* Append the control messages asking a transmit stamp for probe index. */
void raw_txstamp_put(char *buf, size_t *used, uint32_t index);
/* Whether keyed transmit stamps work (found out once). */
bool raw_txstamp_supported(struct engine *e);
/* Have send socket fd report stamps, and watch its error queue. */
bool raw_txstamp_arm(struct engine *e, int fd);
/* Read the stamps waiting in fd's error queue and hand them over. */
void raw_txstamp_drain(struct engine *e, int fd);
/* Before a send socket is closed: stop watching it. */
void raw_txstamp_forget(struct engine *e, int fd);
void raw_txstamp_forget_set(struct engine *e, const struct send_set *tx);
void raw_txstamp_stop(struct engine *e);

/* raw_receive.c */
void raw_start_receivers(struct engine *e);
void raw_stop_receivers(struct engine *e);
void raw_drain_after_send(struct engine *e);

#endif

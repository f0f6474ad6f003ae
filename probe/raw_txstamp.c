/*
 * raw_txstamp.c: the raw backend's transmit timestamps, for rtt-ns
 * (hopprobe(8), EXTENSIONS).
 *
 * The send sockets are shared by every probe, so a probe that asks for
 * rtt-ns carries two control messages of its own: SO_TIMESTAMPING asking
 * for a software transmit stamp, and SCM_TS_OPT_ID giving the stamp the
 * probe's key (its index in the probe table, plus one).  Other probes of
 * the same sendmmsg() batch carry neither and cost nothing.  A socket is
 * set to report keyed stamps (TXSTAMP_REPORT) the first time such a probe
 * uses it, and from then on watched: its error queue, which makes epoll
 * report EPOLLERR until it is empty, is drained by that watcher, and
 * before an answer to a probe still waiting for its stamp is handled.
 *
 * Whether this works is found out once, when first needed: the kernel
 * must accept the options and, in a sendmsg() with MSG_PROBE (which sends
 * nothing), both control messages; kernels before Linux 6.13 refuse
 * SCM_TS_OPT_ID, and their check-support rtt-ns is "no".
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "raw_backend.h"
#include "txstamp.h"

/* Linux's "probe the path, send nothing" flag, which glibc names
   MSG_PROXY (its old meaning). */
#ifndef MSG_PROBE
#define MSG_PROBE 0x10
#endif

/* Error-queue messages read per wake-up of one socket. */
#define TXSTAMP_READS_PER_WAKEUP 256

struct txstamp_sock {
	ev_io io;
	struct engine *engine;
};

void raw_put_cmsg(char *buf, size_t *used, int level, int type,
		  const void *data, size_t len)
{
	struct cmsghdr *c = (struct cmsghdr *)(buf + *used);

	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
	*used += CMSG_SPACE(len);
}

#ifdef SCM_TS_OPT_ID
void raw_txstamp_put(char *buf, size_t *used, uint32_t index)
{
	uint32_t record = TXSTAMP_RECORD, key = index + 1;

	raw_put_cmsg(buf, used, SOL_SOCKET, SO_TIMESTAMPING, &record,
		     sizeof(record));
	raw_put_cmsg(buf, used, SOL_SOCKET, SCM_TS_OPT_ID, &key, sizeof(key));
}
#else
void raw_txstamp_put(char *buf, size_t *used, uint32_t index)
{
	(void)buf;
	(void)used;
	(void)index;
}
#endif

void raw_txstamp_drain(struct engine *e, int fd)
{
	union {
		char buf[256];
		struct cmsghdr align;
	} control;
	struct txstamp ts;
	struct msghdr m;
	struct iovec iov;
	char data[64];
	int n;

	for (n = 0; n < TXSTAMP_READS_PER_WAKEUP; n++) {
		memset(&m, 0, sizeof(m));
		iov.iov_base = data;
		iov.iov_len = sizeof(data);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = control.buf;
		m.msg_controllen = sizeof(control.buf);
		if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (!txstamp_parse(m.msg_control, m.msg_controllen, &ts) ||
		    ts.key == 0 || ts.key - 1 >= e->table.capacity)
			continue;
		engine_rttns_stamp(e, ts.key - 1, fd, &ts.when);
	}
}

static void on_error_queue(struct ev_loop *loop, ev_io *w, int revents)
{
	struct txstamp_sock *s = (struct txstamp_sock *)w;

	(void)loop;
	(void)revents;
	raw_txstamp_drain(s->engine, w->fd);
}

bool raw_txstamp_arm(struct engine *e, int fd)
{
	struct raw_backend *rb = e->raw;
	struct txstamp_sock **grown, *s;
	int flags = TXSTAMP_REPORT;
	int cap;

	if (fd < 0)
		return false;
	if (fd < rb->stamp_cap && rb->stamp_socks[fd])
		return true;
	if (fd >= rb->stamp_cap) {
		cap = fd + 16;
		grown = realloc(rb->stamp_socks, (size_t)cap * sizeof(*grown));
		if (!grown)
			return false;
		memset(grown + rb->stamp_cap, 0,
		       (size_t)(cap - rb->stamp_cap) * sizeof(*grown));
		rb->stamp_socks = grown;
		rb->stamp_cap = cap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return false;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags,
		       sizeof(flags)) == -1) {
		free(s);
		return false;
	}
	s->engine = e;
	ev_io_init(&s->io, on_error_queue, fd, EV_READ);
	ev_io_start(e->loop, &s->io);
	rb->stamp_socks[fd] = s;
	return true;
}

void raw_txstamp_forget(struct engine *e, int fd)
{
	struct raw_backend *rb = e->raw;

	if (fd < 0 || fd >= rb->stamp_cap || !rb->stamp_socks[fd])
		return;
	ev_io_stop(e->loop, &rb->stamp_socks[fd]->io);
	free(rb->stamp_socks[fd]);
	rb->stamp_socks[fd] = NULL;
}

void raw_txstamp_forget_set(struct engine *e, const struct send_set *tx)
{
	int p;

	raw_txstamp_forget(e, tx->v4);
	for (p = 0; p < PROTO_COUNT; p++)
		if (!tx->v6_shared[p])
			raw_txstamp_forget(e, tx->v6[p]);
}

void raw_txstamp_stop(struct engine *e)
{
	struct raw_backend *rb = e->raw;
	int fd;

	for (fd = 0; fd < rb->stamp_cap; fd++)
		raw_txstamp_forget(e, fd);
	free(rb->stamp_socks);
	rb->stamp_socks = NULL;
	rb->stamp_cap = 0;
}

/*
 * One sendmsg() with MSG_PROBE and both control messages on an armed send
 * socket: the kernel parses the control messages (refusing one it does
 * not know) and routes, and sends nothing.  The destination is the
 * loopback address, which every host routes.
 */
static bool kernel_takes_keys(struct engine *e)
{
#ifdef SCM_TS_OPT_ID
	struct raw_backend *rb = e->raw;
	union {
		char buf[2 * CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} control;
	struct net_addr dst;
	struct sockaddr_storage ss;
	uint8_t header[40];
	struct iovec iov = { header, 0 };
	struct msghdr m;
	size_t clen = 0;
	int fd;

	memset(&dst, 0, sizeof(dst));
	memset(header, 0, sizeof(header));
	if (rb->tx.v4 >= 0) {
		fd = rb->tx.v4;
		dst.family = AF_INET;
		dst.bytes[0] = 127;
		dst.bytes[3] = 1;
		header[0] = 0x45;	/* a header the kernel's checks pass */
		iov.iov_len = 20;
	} else {
		fd = rb->tx.v6[PROTO_ICMP];
		dst.family = AF_INET6;
		dst.bytes[15] = 1;
		iov.iov_len = 8;
	}
	if (!raw_txstamp_arm(e, fd))
		return false;
	memset(&control, 0, sizeof(control));
	raw_txstamp_put(control.buf, &clen, 0);
	memset(&m, 0, sizeof(m));
	m.msg_name = &ss;
	m.msg_namelen = net_addr_to_sockaddr(&dst, 0, 0, &ss);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = control.buf;
	m.msg_controllen = clen;
	return sendmsg(fd, &m, MSG_PROBE | MSG_DONTWAIT) >= 0;
#else
	(void)e;
	return false;
#endif
}

bool raw_txstamp_supported(struct engine *e)
{
	struct raw_backend *rb = e->raw;

	if (!rb->stamp_checked) {
		rb->stamp_checked = true;
		rb->stamp_works = kernel_takes_keys(e);
	}
	return rb->stamp_works;
}

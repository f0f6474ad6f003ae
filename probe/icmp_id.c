/*
 * icmp_id.c: choosing and reserving the ICMP echo identifier.
 */
#include "config.h"

#include "icmp_id.h"

#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Random identifiers tried before settling for one unreserved. */
#define RESERVE_TRIES 32

static uint16_t random_id(void)
{
	uint16_t id;
	struct timespec ts;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) == sizeof(id))
		return id;
	/* No entropy yet (early boot): still not the PID. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint16_t)((uint32_t)ts.tv_nsec * 2654435761u >> 16) ^
	       (uint16_t)getpid();
}

/*
 * A ping socket of family bound to id: -1 with errno EADDRINUSE when some
 * other socket holds id, other errno when ping sockets are not allowed.
 */
static int ping_bind(int family, uint16_t id)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, err, rc;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC,
		    family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			 sizeof(prog));
	if (family == AF_INET) {
		sin.sin_port = htons(id);
		rc = bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	} else {
		sin6.sin6_port = htons(id);
		rc = bind(fd, (struct sockaddr *)&sin6, sizeof(sin6));
	}
	if (rc == 0)
		return fd;
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

void icmp_id_choose(struct icmp_id *ident)
{
	int tries;

	memset(ident, 0, sizeof(*ident));
	ident->fd4 = ident->fd6 = -1;
	ident->id = random_id();
	for (tries = 0; tries < RESERVE_TRIES; tries++) {
		uint16_t id = random_id();
		int fd4 = ping_bind(AF_INET, id), fd6;

		if (fd4 < 0) {
			if (errno == EADDRINUSE)
				continue;
			return;		/* no ping sockets for us */
		}
		fd6 = ping_bind(AF_INET6, id);
		if (fd6 < 0 && errno == EADDRINUSE) {
			close(fd4);
			continue;
		}
		/* Without IPv6 ping sockets, IPv4 alone is still held. */
		ident->id = id;
		ident->fd4 = fd4;
		ident->fd6 = fd6;
		ident->reserved = true;
		return;
	}
}

void icmp_id_release(struct icmp_id *ident)
{
	if (ident->fd4 >= 0)
		close(ident->fd4);
	if (ident->fd6 >= 0)
		close(ident->fd6);
	ident->fd4 = ident->fd6 = -1;
	ident->reserved = false;
}

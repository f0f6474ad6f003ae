/*
 * icmp_flood.c: send ICMP (or ICMPv6) echo replies nobody asked for, as
 * fast as sendmmsg(2) allows, for the flood test (net_flood.sh).
 *
 *	icmp_flood 4|6 DESTINATION SECONDS MAX_PACKETS
 *
 * The echo replies carry identifier 0xfffe and running sequence numbers:
 * a worker sees them on its raw ICMP socket (its filter passes echo
 * replies) and must find them to be no answer of its own.  Bounded by
 * SECONDS and MAX_PACKETS, whichever comes first; prints how many were
 * sent (also when stopped by SIGTERM).  Needs a raw socket (root); the
 * test runs it in its own lab.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256
#define MESSAGE_LEN 24

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* RFC 1071 checksum (ICMPv4 only: the kernel fills ICMPv6's). */
static uint16_t checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int main(int argc, char **argv)
{
	static uint8_t msgs[BATCH][MESSAGE_LEN];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage dst;
	socklen_t dst_len;
	double end;
	unsigned long long sent = 0, max;
	uint16_t seq = 0;
	int v6, fd, i;

	if (argc != 5) {
		fprintf(stderr, "usage: icmp_flood 4|6 DESTINATION SECONDS MAX\n");
		return 2;
	}
	v6 = strcmp(argv[1], "6") == 0;
	memset(&dst, 0, sizeof(dst));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&dst;

		s6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, argv[2], &s6->sin6_addr) != 1)
			return 2;
		dst_len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&dst;

		s4->sin_family = AF_INET;
		if (inet_pton(AF_INET, argv[2], &s4->sin_addr) != 1)
			return 2;
		dst_len = sizeof(*s4);
	}
	end = now() + atof(argv[3]);
	max = strtoull(argv[4], NULL, 10);
	signal(SIGTERM, on_term);
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW,
		    v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0) {
		perror("icmp_flood: socket");
		return 1;
	}
	while (!stop && sent < max && now() < end) {
		int n;

		for (i = 0; i < BATCH; i++) {
			uint8_t *m = msgs[i];
			uint16_t sum;

			memset(m, 0x5a, MESSAGE_LEN);
			m[0] = v6 ? 129 : 0;	/* echo reply */
			m[1] = 0;
			m[2] = m[3] = 0;
			m[4] = 0xff;
			m[5] = 0xfe;
			m[6] = (uint8_t)(seq >> 8);
			m[7] = (uint8_t)seq;
			seq++;
			if (!v6) {
				sum = checksum(m, MESSAGE_LEN);
				m[2] = (uint8_t)(sum >> 8);
				m[3] = (uint8_t)sum;
			}
			iov[i].iov_base = m;
			iov[i].iov_len = MESSAGE_LEN;
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_name = &dst;
			mm[i].msg_hdr.msg_namelen = dst_len;
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		n = sendmmsg(fd, mm, BATCH, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN ||
			    errno == EINTR)
				continue;
			perror("icmp_flood: sendmmsg");
			return 1;
		}
		sent += (unsigned long long)n;
	}
	printf("%llu\n", sent);
	return 0;
}

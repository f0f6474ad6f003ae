/*
 * icmp_id.h: the worker's ICMP echo identifier, unique on the host.
 *
 * Raw ICMP sockets see every echo reply the host gets; the identifier in
 * it is all that tells whose probe it answers.  getpid() is no identity:
 * two workers in different PID namespaces sharing a network namespace are
 * both pid 1, and PIDs repeat modulo 65536.  The identifier is random, and
 * where the kernel lets the worker open ping sockets (ping_group_range) it
 * is reserved: a ping socket bound to it, for each family, makes the kernel
 * refuse it to every other ping socket, and so to every other hopprobe.
 * The reserving sockets never queue anything (a filter drops all input).
 */
#ifndef HOPPROBE_ICMP_ID_H
#define HOPPROBE_ICMP_ID_H

#include <stdbool.h>
#include <stdint.h>

struct icmp_id {
	uint16_t id;
	bool reserved;		/* held by ping sockets (both families) */
	int fd4, fd6;		/* the reserving sockets, or -1 */
};

/* Choose (and where possible reserve) the identifier. */
void icmp_id_choose(struct icmp_id *ident);
void icmp_id_release(struct icmp_id *ident);

#endif

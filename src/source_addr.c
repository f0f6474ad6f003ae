/*
 * source_addr.c: see source_addr.h.  connect(2) on a UDP socket only asks
 * the routing table; no packet leaves the host.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "source_addr.h"

int ht_source_for(const struct hp_addr *dest, const char *device,
		  struct hp_addr *out)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, rc = -1;

	memset(&ss, 0, sizeof(ss));
	if (dest->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(33434);
		sin->sin_addr = dest->u.v4;
		len = sizeof(*sin);
	} else if (dest->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(33434);
		sin6->sin6_addr = dest->u.v6;
		len = sizeof(*sin6);
	} else {
		return -1;
	}
	fd = socket(dest->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* Binding to a device needs privilege before Linux 5.7; without it
	 * the route of the device is not known here: unknown source. */
	if (device && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device,
				 (socklen_t)strlen(device)) < 0)
		goto out;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		goto out;
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		goto out;
	memset(out, 0, sizeof(*out));
	out->family = dest->family;
	if (dest->family == AF_INET)
		out->u.v4 = ((struct sockaddr_in *)&ss)->sin_addr;
	else
		out->u.v6 = ((struct sockaddr_in6 *)&ss)->sin6_addr;
	rc = 0;
out:
	close(fd);
	return rc;
}

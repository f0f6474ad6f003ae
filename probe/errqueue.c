/*
 * errqueue.c: IP_RECVERR / IPV6_RECVERR control messages -> reply kind.
 */
#include "errqueue.h"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

bool errqueue_decode(uint8_t family, const uint8_t *data, size_t len,
		     struct errqueue_result *out)
{
	struct sock_extended_err ee;
	uint8_t want_origin;
	size_t off = sizeof(ee);

	memset(out, 0, sizeof(*out));
	/*
	 * The kernel writes this struct in host byte order, so it is copied
	 * out whole (after the length check) rather than read as wire data.
	 */
	if (!data || len < sizeof(ee))
		return false;
	memcpy(&ee, data, sizeof(ee));
	if (ee.ee_origin == SO_EE_ORIGIN_LOCAL) {
		out->err = (int)ee.ee_errno;
		return out->err != 0;
	}
	want_origin = family == AF_INET ? SO_EE_ORIGIN_ICMP
					: SO_EE_ORIGIN_ICMP6;
	if (ee.ee_origin != want_origin)
		return false;
	out->kind = icmp_error_kind(family, ee.ee_type, ee.ee_code);
	if (out->kind == KIND_NONE)
		return false;
	out->err = (int)ee.ee_errno;
	out->type = ee.ee_type;
	out->code = ee.ee_code;
	out->info = ee.ee_info;
	/* The offender: a sockaddr of the error's family right after. */
	if (family == AF_INET && len - off >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;

		memcpy(&sin, data + off, sizeof(sin));
		if (sin.sin_family == AF_INET) {
			out->responder.family = AF_INET;
			memcpy(out->responder.bytes, &sin.sin_addr, 4);
		}
	} else if (family == AF_INET6 &&
		   len - off >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, data + off, sizeof(sin6));
		if (sin6.sin6_family == AF_INET6) {
			out->responder.family = AF_INET6;
			memcpy(out->responder.bytes, &sin6.sin6_addr, 16);
		}
	}
	return true;
}

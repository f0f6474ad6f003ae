/*
 * nlwalk.h: rtnetlink messages as bytes, in both directions, without I/O.
 *
 * Netlink carries its fields in host byte order (netlink(7)), so these
 * helpers read them through the bounds-checked reader (wirebuf.h) as raw
 * bytes and copy them into host integers; nothing casts a header over a
 * received buffer.  Requests are appended to a caller's buffer with the
 * lengths and alignment rtnetlink(7) lays down.  rtquery.c (route
 * queries) and linkmsg.c (link notifications) use them.
 */
#ifndef HOPPROBE_NLWALK_H
#define HOPPROBE_NLWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wirebuf.h"

/* One netlink message: its header fields and a reader over its payload. */
struct nl_msg {
	uint16_t type;
	uint16_t flags;
	uint32_t seq;
	struct wire_reader payload;
};

/*
 * The next message of a datagram.  False at the end (fewer bytes left
 * than a header) and when the message's length is shorter than its
 * header or runs past the datagram (then r->error is set as well).
 */
bool nl_next_msg(struct wire_reader *r, struct nl_msg *m);

/*
 * The next attribute of a payload's attribute area: its type (flags
 * cleared) and a reader over its value.  False at the end and when an
 * attribute's length is shorter than its header or runs past the area.
 */
bool nl_next_attr(struct wire_reader *r, uint16_t *type,
		  struct wire_reader *value);

/* Host-order integers through the reader. */
bool nl_read_u16(struct wire_reader *r, uint16_t *out);
bool nl_read_u32(struct wire_reader *r, uint32_t *out);

/*
 * The error number of an NLMSG_ERROR payload: the positive errno, 0 for
 * an acknowledgement, or -1 when the payload is too short to say or holds
 * no error number (a positive value, or one beyond 4095).
 */
int nl_error_of(struct wire_reader *payload);

/*
 * The kernel's answer to request seq among the messages of one datagram:
 * 0 with *payload over the first message of type want with that sequence
 * number, the errno of an NLMSG_ERROR for it, or EBADMSG when there is
 * neither (an acknowledgement, error 0, is no answer either).
 */
int nl_find_answer(const void *buf, size_t len, uint32_t seq, uint16_t want,
		   struct wire_reader *payload);

/* A request being built: the buffer, its size, the bytes used so far. */
struct nl_request {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool full;		/* something did not fit: the request is void */
};

/*
 * Start a request: the netlink header (NLM_F_REQUEST) and a zeroed fixed
 * header of hdr_len bytes (struct rtmsg, struct ifinfomsg) whose first
 * byte is family; the caller fills the rest of it through nl_fixed().
 */
void nl_request_start(struct nl_request *q, void *buf, size_t cap,
		      uint16_t type, uint32_t seq, uint8_t family,
		      size_t hdr_len);
/* The fixed header's bytes (NULL when the request is void). */
uint8_t *nl_fixed(struct nl_request *q);
/* Append one attribute. */
void nl_put_attr(struct nl_request *q, uint16_t type, const void *data,
		 size_t len);
/* The request's length, written into its header; 0 when void. */
size_t nl_request_end(struct nl_request *q);

#endif

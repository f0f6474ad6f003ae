/*
 * nlwalk.c: walking and building rtnetlink messages (nlwalk.h).
 */
#include "nlwalk.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

bool nl_read_u16(struct wire_reader *r, uint16_t *out)
{
	return wire_read_bytes(r, out, sizeof(*out));
}

bool nl_read_u32(struct wire_reader *r, uint32_t *out)
{
	return wire_read_bytes(r, out, sizeof(*out));
}

/* Skip the padding after an item of len bytes, as far as there is any. */
static void skip_padding(struct wire_reader *r, size_t len, size_t align)
{
	size_t pad = (align - len % align) % align;
	size_t left = wire_remaining(r);

	(void)wire_skip(r, pad < left ? pad : left);
}

bool nl_next_msg(struct wire_reader *r, struct nl_msg *m)
{
	uint32_t len, pid;

	if (r->error || wire_remaining(r) < NLMSG_HDRLEN)
		return false;
	if (!nl_read_u32(r, &len) || !nl_read_u16(r, &m->type) ||
	    !nl_read_u16(r, &m->flags) || !nl_read_u32(r, &m->seq) ||
	    !nl_read_u32(r, &pid))
		return false;
	if (len < NLMSG_HDRLEN ||
	    !wire_sub(r, len - NLMSG_HDRLEN, &m->payload)) {
		r->error = true;
		return false;
	}
	skip_padding(r, len, NLMSG_ALIGNTO);
	return true;
}

bool nl_next_attr(struct wire_reader *r, uint16_t *type,
		  struct wire_reader *value)
{
	uint16_t len;

	if (r->error || wire_remaining(r) < RTA_LENGTH(0))
		return false;
	if (!nl_read_u16(r, &len) || !nl_read_u16(r, type))
		return false;
	if (len < RTA_LENGTH(0) || !wire_sub(r, len - RTA_LENGTH(0), value)) {
		r->error = true;
		return false;
	}
	*type &= NLA_TYPE_MASK;
	skip_padding(r, len, RTA_ALIGNTO);
	return true;
}

int nl_error_of(struct wire_reader *payload)
{
	uint32_t raw;
	int32_t err;

	if (!nl_read_u32(payload, &raw))
		return -1;
	memcpy(&err, &raw, sizeof(err));
	/* The kernel's errors are -1 .. -4095 (MAX_ERRNO); others say nothing. */
	if (err > 0 || err < -4095)
		return -1;
	return -err;
}

int nl_find_answer(const void *buf, size_t len, uint32_t seq, uint16_t want,
		   struct wire_reader *payload)
{
	struct wire_reader r;
	struct nl_msg m;

	wire_reader_init(&r, buf, len);
	/* Walk the messages by their own lengths, never past len. */
	while (nl_next_msg(&r, &m)) {
		if (m.seq != seq)
			continue;
		if (m.type == NLMSG_ERROR) {
			int err = nl_error_of(&m.payload);

			if (err == 0)
				return EBADMSG;
			if (err > 0)
				return err;
		} else if (m.type == want) {
			*payload = m.payload;
			return 0;
		}
	}
	return EBADMSG;
}

static uint8_t *room(struct nl_request *q, size_t n)
{
	uint8_t *at;

	if (q->full || n > q->cap - q->len || n > UINT16_MAX) {
		q->full = true;
		return NULL;
	}
	at = q->buf + q->len;
	memset(at, 0, n);
	q->len += n;
	return at;
}

void nl_request_start(struct nl_request *q, void *buf, size_t cap,
		      uint16_t type, uint32_t seq, uint8_t family,
		      size_t hdr_len)
{
	struct nlmsghdr nh;
	uint8_t *at;

	q->buf = buf;
	q->cap = cap;
	q->len = 0;
	q->full = false;
	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_type = type;
	nh.nlmsg_flags = NLM_F_REQUEST;
	nh.nlmsg_seq = seq;
	at = room(q, NLMSG_HDRLEN);
	if (at)
		memcpy(at, &nh, sizeof(nh));
	at = room(q, NLMSG_ALIGN(hdr_len));
	if (at && hdr_len > 0)
		at[0] = family;
}

uint8_t *nl_fixed(struct nl_request *q)
{
	return q->full ? NULL : q->buf + NLMSG_HDRLEN;
}

void nl_put_attr(struct nl_request *q, uint16_t type, const void *data,
		 size_t len)
{
	struct rtattr rta;
	uint8_t *at = room(q, RTA_SPACE(len));

	if (!at)
		return;
	rta.rta_len = (unsigned short)RTA_LENGTH(len);
	rta.rta_type = type;
	memcpy(at, &rta, sizeof(rta));
	memcpy(at + RTA_LENGTH(0), data, len);
}

size_t nl_request_end(struct nl_request *q)
{
	uint32_t len = (uint32_t)q->len;

	if (q->full)
		return 0;
	memcpy(q->buf, &len, sizeof(len));
	return q->len;
}

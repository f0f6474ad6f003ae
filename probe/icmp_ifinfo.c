/*
 * icmp_ifinfo.c: RFC 5837 interface information objects.
 *
 * The object's c-type says which fields follow, always in this order
 * (RFC 5837 section 4.1, bits counted from the most significant):
 * bits 0-1 the interface's role, 2-3 reserved, 4 ifIndex (4 bytes),
 * 5 IP address sub-object (AFI, 2 reserved bytes, the address), 6 name
 * sub-object (a length byte counting itself, then the name padded with
 * NULs), 7 MTU (4 bytes).
 */
#include "icmp_ifinfo.h"

#include <string.h>
#include <sys/socket.h>

#include "icmp_ext.h"
#include "wirebuf.h"

#define IFINFO_CLASS_NUM	2
#define IFINFO_ROLE_SHIFT	6
#define IFINFO_HAS_INDEX	0x08
#define IFINFO_HAS_ADDR		0x04
#define IFINFO_HAS_NAME		0x02
#define IFINFO_HAS_MTU		0x01

#define IFINFO_AFI_IPV4		1	/* IANA address family numbers */
#define IFINFO_AFI_IPV6		2
#define IFINFO_NAME_UNIT	4
#define IFINFO_NAME_SUB_MAX	64

struct ifinfo_walk {
	struct icmp_ifinfo *out;
	bool seen;		/* the first object was looked at */
};

static bool read_addr(struct wire_reader *r, struct net_addr *addr)
{
	uint16_t afi;

	if (!wire_read_u16(r, &afi) || !wire_skip(r, 2))
		return false;
	memset(addr, 0, sizeof(*addr));
	if (afi == IFINFO_AFI_IPV4) {
		addr->family = AF_INET;
		return wire_read_bytes(r, addr->bytes, 4);
	}
	if (afi == IFINFO_AFI_IPV6) {
		addr->family = AF_INET6;
		return wire_read_bytes(r, addr->bytes, 16);
	}
	/* Unknown family: the address's length, and all after it, unknown. */
	return false;
}

/*
 * The name sub-object.  Returns false when it is malformed; a well-formed
 * name that cannot be printed safely leaves *printable false.
 */
static bool read_name(struct wire_reader *r, char *name, bool *printable)
{
	uint8_t sub_len, raw[IFINFO_NAME_SUB_MAX];
	size_t n, i;

	*printable = false;
	if (!wire_read_u8(r, &sub_len) || sub_len < IFINFO_NAME_UNIT ||
	    sub_len > IFINFO_NAME_SUB_MAX || sub_len % IFINFO_NAME_UNIT)
		return false;
	n = (size_t)sub_len - 1;
	if (!wire_read_bytes(r, raw, n))
		return false;
	/* The padding after the name, then the name itself. */
	while (n > 0 && raw[n - 1] == 0)
		n--;
	for (i = 0; i < n; i++)
		if (raw[i] <= ' ' || raw[i] > '~')
			return true;
	if (n == 0)
		return true;
	memcpy(name, raw, n);
	name[n] = '\0';
	*printable = true;
	return true;
}

/* One object's fields, all or nothing. */
static void read_ifinfo(uint8_t c_type, struct wire_reader *r,
			struct icmp_ifinfo *out)
{
	struct icmp_ifinfo got;
	bool printable = false;

	memset(&got, 0, sizeof(got));
	got.role = (uint8_t)(c_type >> IFINFO_ROLE_SHIFT);
	if (c_type & IFINFO_HAS_INDEX) {
		if (!wire_read_u32(r, &got.index))
			return;
		got.have |= IFINFO_INDEX;
	}
	if (c_type & IFINFO_HAS_ADDR) {
		if (!read_addr(r, &got.addr))
			return;
		got.have |= IFINFO_ADDR;
	}
	if (c_type & IFINFO_HAS_NAME) {
		if (!read_name(r, got.name, &printable))
			return;
		if (printable)
			got.have |= IFINFO_NAME;
	}
	if (c_type & IFINFO_HAS_MTU) {
		if (!wire_read_u32(r, &got.mtu))
			return;
		got.have |= IFINFO_MTU;
	}
	/* Bytes the c-type does not account for: the layout is not ours. */
	if (wire_remaining(r) != 0)
		return;
	*out = got;
}

static bool ifinfo_object(uint8_t class_num, uint8_t c_type,
			  struct wire_reader *payload, void *ctx)
{
	struct ifinfo_walk *w = ctx;

	if (class_num != IFINFO_CLASS_NUM || w->seen)
		return true;
	w->seen = true;
	read_ifinfo(c_type, payload, w->out);
	return true;
}

bool icmp_ext_parse_ifinfo(const uint8_t *ext, size_t len,
			   struct icmp_ifinfo *out)
{
	struct ifinfo_walk w = { .out = out, .seen = false };

	memset(out, 0, sizeof(*out));
	if (!icmp_ext_walk(ext, len, ifinfo_object, &w))
		memset(out, 0, sizeof(*out));
	return out->have != 0;
}

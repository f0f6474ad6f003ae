/*
 * txstamp.c: an error-queue message's control data -> transmit timestamp.
 */
#include "txstamp.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#ifndef SO_TIMESTAMPING_OLD
#define SO_TIMESTAMPING_OLD 37
#endif
#ifndef SO_TIMESTAMPING_NEW
#define SO_TIMESTAMPING_NEW 65
#endif
#ifndef SO_EE_ORIGIN_TIMESTAMPING
#define SO_EE_ORIGIN_TIMESTAMPING 4
#endif

/*
 * The control data is a sequence of struct cmsghdr, each followed by its
 * payload and padded to the alignment CMSG_ALIGN gives (that of size_t).
 * The kernel writes them in host byte order, so fields are copied out
 * whole once the lengths are checked, never read through a cast.
 */
struct cmsg_view {
	int level, type;
	const uint8_t *data;
	size_t len;
};

/* The control message at *pos, and *pos moved past it; false at the end
   or at the first header that does not fit. */
static bool next_cmsg(const uint8_t *buf, size_t len, size_t *pos,
		      struct cmsg_view *v)
{
	struct cmsghdr h;
	size_t head = CMSG_ALIGN(sizeof(h)), room, step;

	if (*pos >= len)
		return false;
	room = len - *pos;
	if (room < sizeof(h))
		return false;
	memcpy(&h, buf + *pos, sizeof(h));
	if (h.cmsg_len < head || h.cmsg_len > room)
		return false;
	v->level = h.cmsg_level;
	v->type = h.cmsg_type;
	v->data = buf + *pos + head;
	v->len = h.cmsg_len - head;
	step = CMSG_ALIGN(h.cmsg_len);
	*pos = step < room ? *pos + step : len;
	return true;
}

/* ts[0] of a struct scm_timestamping (the software stamp), old or new
   layout; false when the payload is too short. */
static bool software_stamp(const struct cmsg_view *v, struct timespec *ts)
{
	if (v->type == SO_TIMESTAMPING_NEW) {
		int64_t f[2];

		if (v->len < 3 * sizeof(f))
			return false;
		memcpy(f, v->data, sizeof(f));
		ts->tv_sec = (time_t)f[0];
		ts->tv_nsec = (long)f[1];
		return true;
	} else {
		long f[2];	/* __kernel_long_t, as struct timespec is */

		if (v->len < 3 * sizeof(f))
			return false;
		memcpy(f, v->data, sizeof(f));
		ts->tv_sec = (time_t)f[0];
		ts->tv_nsec = f[1];
		return true;
	}
}

bool txstamp_parse(const void *control, size_t len, struct txstamp *out)
{
	const uint8_t *buf = control;
	struct cmsg_view v;
	struct sock_extended_err ee;
	bool have_ee = false, have_ts = false;
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	if (!buf)
		return false;
	while (next_cmsg(buf, len, &pos, &v)) {
		if (v.level == SOL_SOCKET &&
		    (v.type == SO_TIMESTAMPING_OLD ||
		     v.type == SO_TIMESTAMPING_NEW)) {
			have_ts = software_stamp(&v, &out->when);
		} else if ((v.level == IPPROTO_IP && v.type == IP_RECVERR) ||
			   (v.level == IPPROTO_IPV6 &&
			    v.type == IPV6_RECVERR)) {
			if (v.len < sizeof(ee))
				return false;
			memcpy(&ee, v.data, sizeof(ee));
			have_ee = true;
		}
	}
	if (!have_ee || !have_ts)
		return false;
	/* An ICMP error or a local one is not a timestamp. */
	if (ee.ee_origin != SO_EE_ORIGIN_TIMESTAMPING ||
	    ee.ee_errno != ENOMSG || ee.ee_info != SCM_TSTAMP_SND)
		return false;
	/* Only hardware stamps would leave ts[0] zero. */
	if (out->when.tv_sec == 0 && out->when.tv_nsec == 0)
		return false;
	if (out->when.tv_nsec < 0 || out->when.tv_nsec >= 1000000000L)
		return false;
	out->key = ee.ee_data;
	return true;
}

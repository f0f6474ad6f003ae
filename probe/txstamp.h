/*
 * txstamp.h: transmit timestamps from a socket's error queue.
 *
 * With SO_TIMESTAMPING a socket is told when the kernel handed one of its
 * packets to the device (SCM_TSTAMP_SND, software): recvmsg(MSG_ERRQUEUE)
 * yields a message whose control data holds a struct scm_timestamping
 * (SOL_SOCKET, SCM_TIMESTAMPING) and a struct sock_extended_err (origin
 * SO_EE_ORIGIN_TIMESTAMPING, errno ENOMSG, ee_info the stamp's kind,
 * ee_data the packet's key under SOF_TIMESTAMPING_OPT_ID), in an
 * IP_RECVERR or IPV6_RECVERR control message.  This parser picks such a
 * message out of the control bytes the kernel returned.  Pure: bytes in,
 * result out; the same message layout as cmsg(3) describes, read with a
 * bounds check before every field.
 */
#ifndef HOPPROBE_TXSTAMP_H
#define HOPPROBE_TXSTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/net_tstamp.h>
#include <sys/socket.h>

/*
 * What a socket is set to report (setsockopt SO_TIMESTAMPING): software
 * stamps, keyed (OPT_ID), without the packet (OPT_TSONLY, so nothing of
 * the packet is copied back and no privilege is needed for it).  No stamp
 * is generated until a message asks for one: TXSTAMP_RECORD in an
 * SO_TIMESTAMPING control message, or TXSTAMP_RECORD added to these flags
 * on a socket that sends one probe only.
 */
#define TXSTAMP_REPORT (SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID | \
			SOF_TIMESTAMPING_OPT_TSONLY)
#define TXSTAMP_RECORD SOF_TIMESTAMPING_TX_SOFTWARE

/*
 * The control message that gives one message its OPT_ID key (Linux 6.13);
 * its number differs on sparc, hppa and alpha, where it is left to the
 * headers (without them the raw backend has no rtt-ns).
 */
#if !defined(SCM_TS_OPT_ID) && !defined(__sparc__) && !defined(__hppa__) && \
	!defined(__alpha__)
#define SCM_TS_OPT_ID 81
#endif

struct txstamp {
	uint32_t key;		/* ee_data: the OPT_ID key the sender gave */
	struct timespec when;	/* CLOCK_REALTIME, the software stamp */
};

/*
 * control, len: msg_control and msg_controllen after recvmsg().  Returns
 * true and fills *out when the message reports a software transmit
 * timestamp (SCM_TSTAMP_SND) with a non-zero time; false for anything
 * else: an ICMP error from the network, a scheduler or acknowledgement
 * stamp, a hardware-only stamp, truncated or malformed control data.
 */
bool txstamp_parse(const void *control, size_t len, struct txstamp *out);

#endif

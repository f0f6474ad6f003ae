/*
 * Unit tests for the error-queue decoder: extended errors laid out as the
 * kernel's ABI (linux/errqueue.h) defines them, offender address after.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "errqueue.h"

/* An extended error plus offender, as recvmsg(MSG_ERRQUEUE) returns it. */
static size_t make(uint8_t *buf, uint8_t origin, uint8_t type, uint8_t code,
		   int family, const char *offender)
{
	struct sock_extended_err ee;

	memset(&ee, 0, sizeof(ee));
	ee.ee_errno = 113;	/* EHOSTUNREACH */
	ee.ee_origin = origin;
	ee.ee_type = type;
	ee.ee_code = code;
	memcpy(buf, &ee, sizeof(ee));
	if (family == AF_INET) {
		struct sockaddr_in sin = { .sin_family = AF_INET };

		assert_int_equal(inet_pton(AF_INET, offender, &sin.sin_addr), 1);
		memcpy(buf + sizeof(ee), &sin, sizeof(sin));
		return sizeof(ee) + sizeof(sin);
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };

		assert_int_equal(inet_pton(AF_INET6, offender, &sin6.sin6_addr),
				 1);
		memcpy(buf + sizeof(ee), &sin6, sizeof(sin6));
		return sizeof(ee) + sizeof(sin6);
	}
	return sizeof(ee);
}

static void test_icmp4(void **state)
{
	uint8_t buf[128], want[4];
	struct errqueue_result r;
	size_t n;

	(void)state;
	inet_pton(AF_INET, "198.51.100.1", want);
	n = make(buf, SO_EE_ORIGIN_ICMP, 11, 0, AF_INET, "198.51.100.1");
	assert_true(errqueue_decode(AF_INET, buf, n, &r));
	assert_int_equal(r.kind, KIND_TTL_EXPIRED);
	assert_int_equal(r.responder.family, AF_INET);
	assert_memory_equal(r.responder.bytes, want, 4);

	n = make(buf, SO_EE_ORIGIN_ICMP, 3, 3, AF_INET, "198.51.100.1");
	assert_true(errqueue_decode(AF_INET, buf, n, &r));
	assert_int_equal(r.kind, KIND_REPLY);
	n = make(buf, SO_EE_ORIGIN_ICMP, 3, 0, AF_INET, "198.51.100.1");
	assert_true(errqueue_decode(AF_INET, buf, n, &r));
	assert_int_equal(r.kind, KIND_NO_ROUTE_NETWORK);
	n = make(buf, SO_EE_ORIGIN_ICMP, 3, 1, AF_INET, "198.51.100.1");
	assert_true(errqueue_decode(AF_INET, buf, n, &r));
	assert_int_equal(r.kind, KIND_NO_ROUTE_HOST);
	/* Reassembly time exceeded and other types are not answers. */
	n = make(buf, SO_EE_ORIGIN_ICMP, 11, 1, AF_INET, "198.51.100.1");
	assert_false(errqueue_decode(AF_INET, buf, n, &r));
	n = make(buf, SO_EE_ORIGIN_ICMP, 5, 0, AF_INET, "198.51.100.1");
	assert_false(errqueue_decode(AF_INET, buf, n, &r));
}

static void test_icmp6(void **state)
{
	uint8_t buf[128], want[16];
	struct errqueue_result r;
	size_t n;

	(void)state;
	inet_pton(AF_INET6, "2001:db8:1::1", want);
	n = make(buf, SO_EE_ORIGIN_ICMP6, 3, 0, AF_INET6, "2001:db8:1::1");
	assert_true(errqueue_decode(AF_INET6, buf, n, &r));
	assert_int_equal(r.kind, KIND_TTL_EXPIRED);
	assert_int_equal(r.responder.family, AF_INET6);
	assert_memory_equal(r.responder.bytes, want, 16);
	n = make(buf, SO_EE_ORIGIN_ICMP6, 1, 4, AF_INET6, "2001:db8:1::1");
	assert_true(errqueue_decode(AF_INET6, buf, n, &r));
	assert_int_equal(r.kind, KIND_REPLY);
	n = make(buf, SO_EE_ORIGIN_ICMP6, 1, 3, AF_INET6, "2001:db8:1::1");
	assert_true(errqueue_decode(AF_INET6, buf, n, &r));
	assert_int_equal(r.kind, KIND_NO_ROUTE_HOST);
	/* An ICMPv4 origin on an IPv6 socket is not understood. */
	n = make(buf, SO_EE_ORIGIN_ICMP, 11, 0, AF_INET6, "2001:db8:1::1");
	assert_false(errqueue_decode(AF_INET6, buf, n, &r));
}

static void test_local_and_malformed(void **state)
{
	struct sock_extended_err ee;
	uint8_t buf[128];
	struct errqueue_result r;
	size_t n, cut;

	(void)state;
	memset(&ee, 0, sizeof(ee));
	ee.ee_errno = 90;	/* EMSGSIZE */
	ee.ee_origin = SO_EE_ORIGIN_LOCAL;
	memcpy(buf, &ee, sizeof(ee));
	assert_true(errqueue_decode(AF_INET, buf, sizeof(ee), &r));
	assert_int_equal(r.kind, KIND_NONE);
	assert_int_equal(r.err, 90);
	/* No offender address: a kind, but no responder. */
	n = make(buf, SO_EE_ORIGIN_ICMP, 11, 0, 0, NULL);
	assert_true(errqueue_decode(AF_INET, buf, n, &r));
	assert_int_equal(r.responder.family, 0);
	/* Every truncation of the extended error itself is refused. */
	n = make(buf, SO_EE_ORIGIN_ICMP, 11, 0, AF_INET, "198.51.100.1");
	for (cut = 0; cut < sizeof(struct sock_extended_err); cut++)
		assert_false(errqueue_decode(AF_INET, buf, cut, &r));
	assert_false(errqueue_decode(AF_INET, NULL, 0, &r));
	/* A truncated offender leaves the responder out, never half read. */
	assert_true(errqueue_decode(AF_INET, buf, n - 1, &r));
	assert_int_equal(r.responder.family, 0);
	/* Origins that are not ICMP (timestamps, zerocopy) are not ours. */
	n = make(buf, SO_EE_ORIGIN_TIMESTAMPING, 0, 0, AF_INET, "198.51.100.1");
	assert_false(errqueue_decode(AF_INET, buf, n, &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp4),
		cmocka_unit_test(test_icmp6),
		cmocka_unit_test(test_local_and_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * ref_sum.h: a test-only RFC 1071 sum, written from the RFC so that the
 * tests of the checksums the builder steers (UDP, a flow's ICMP) do not
 * lean on the checksum module.  Returns the running sum folded to 16 bits,
 * not complemented: a message summed with its checksum field in place
 * verifies when this is 0xffff.
 */
#ifndef HOPPROBE_TEST_REF_SUM_H
#define HOPPROBE_TEST_REF_SUM_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t ref_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

#endif

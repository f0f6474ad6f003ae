/*
 * checksum.h: the Internet checksum (RFC 1071) and CRC32c (RFC 3309, the
 * SCTP checksum; test vectors in RFC 3720 B.4).  Pure functions.
 */
#ifndef HOPPROBE_CHECKSUM_H
#define HOPPROBE_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Add len bytes to a running 32-bit one's-complement accumulator.  Bytes
 * are taken as big-endian 16-bit words; an odd trailing byte is padded with
 * zero, so only the last chunk of a sum may have odd length.
 */
uint32_t inet_sum_add(uint32_t sum, const void *data, size_t len);
/* Fold the accumulator to 16 bits and complement it: the checksum field. */
uint16_t inet_sum_finish(uint32_t sum);
/* inet_sum_finish(inet_sum_add(0, data, len)), in host byte order. */
uint16_t inet_checksum(const void *data, size_t len);

/*
 * CRC32c (Castagnoli, reflected, initial value and final xor all ones):
 * crc32c(0, "123456789", 9) == 0xE3069283.  Chain by passing the previous
 * result as crc.  SCTP stores the result in its checksum field least
 * significant byte first (RFC 4960 appendix B).
 */
uint32_t crc32c(uint32_t crc, const void *data, size_t len);

#endif

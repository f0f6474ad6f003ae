/*
 * replay_fields.h: typed, checked reads of the members of a parsed JSON
 * object (json_read.h), for the record reader (replay.c).
 *
 * Every getter takes the object being read (struct ht_rd) and, at the
 * first problem (a member missing, of the wrong type or out of range),
 * writes a one-line message naming the object and the member and sets
 * `failed`; once it is set every getter does nothing and returns a zero
 * value, so that a reader can read every field and look once at the end.
 */
#ifndef HOPTRACE_REPLAY_FIELDS_H
#define HOPTRACE_REPLAY_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "json_read.h"

/* One object being read: where it is and what to call it in messages. */
struct ht_rd {
	const struct json_doc *d;
	char what[64];			/* "probe record", "hop probe 2" */
	char *err;
	size_t errlen;
	int failed;
};

/* The message, unless there already is one. */
void ht_rd_fail(struct ht_rd *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* S for a message: printable ASCII, at most 40 bytes of it. */
void ht_rd_quote(char *out, size_t outlen, const char *s);
/* Every member of OBJ named in the NULL-terminated lists A or B (B may be
 * NULL), each once; every name of the lists present. */
void ht_rd_fields(struct ht_rd *x, uint32_t obj, const char *const *a,
		  const char *const *b);
/* The same, and the members named in OPTIONAL may be there or not (the
 * fields a later hoptrace added to records of the same schema version). */
void ht_rd_fields_opt(struct ht_rd *x, uint32_t obj, const char *const *a,
		      const char *const *b, const char *const *optional);
/* The value of KEY, or NULL (with the message) when it is missing. */
const struct json_value *ht_rd_get(struct ht_rd *x, uint32_t obj,
				   const char *key);
/* "OBJECT "KEY" is TYPE, want WANT". */
void ht_rd_type(struct ht_rd *x, const char *key, const struct json_value *v,
		const char *want);

/* An integer in [MIN, MAX]; with PRESENT, null is allowed and clears it. */
int64_t ht_rd_int(struct ht_rd *x, uint32_t obj, const char *key,
		  int64_t min, int64_t max, int *present);
/* An integer from 0 to 2^64-1 (a --seed). */
uint64_t ht_rd_uint64(struct ht_rd *x, uint32_t obj, const char *key);
/* A number (integer or not) of at least MIN (above it when OPEN) and at
 * most MAX (no bound when MAX is 0); null allowed with PRESENT. */
double ht_rd_num(struct ht_rd *x, uint32_t obj, const char *key, double min,
		 int open, double max, int *present);
int ht_rd_bool(struct ht_rd *x, uint32_t obj, const char *key);
/* A string; NULL for null when NULLABLE. */
const char *ht_rd_str(struct ht_rd *x, uint32_t obj, const char *key,
		      int nullable);
/* A time as hoptrace writes it (ht_replay_time), in microseconds. */
int64_t ht_rd_time(struct ht_rd *x, uint32_t obj, const char *key);
/* An address literal; family 0 for null when NULLABLE. */
struct hp_addr ht_rd_addr(struct ht_rd *x, uint32_t obj, const char *key,
			  int nullable);
/* An array's index, and its length in *N. */
uint32_t ht_rd_array(struct ht_rd *x, uint32_t obj, const char *key,
		     unsigned *n);
/* The next element after element I of an array (I its index). */
uint32_t ht_rd_next(const struct ht_rd *x, uint32_t i);
/* Element I must be an object. */
void ht_rd_object(struct ht_rd *x, uint32_t i);
/* S, when not NULL, is "64496" or "64496 64497": AS numbers separated by
 * single spaces. */
void ht_rd_asn_text(struct ht_rd *x, const char *key, const char *s);

#endif

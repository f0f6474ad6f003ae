/*
 * replay_fields.c: the typed getters replay.c reads a record with, and
 * the record's time format (replay_fields.h).
 */
#include "replay_fields.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "replay.h"

/* ---- times --------------------------------------------------------- */

static int replay_digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int replay_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 0000-01-01 to the first of January of Y (0 <= Y <= 9999),
 * proleptic Gregorian: year 0 is a leap year. */
static int64_t replay_days_before_year(int y)
{
	int64_t leaps = y > 0 ? 1 + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400
			      : 0;

	return (int64_t)365 * y + leaps;
}

/*
 * The time is converted by hand rather than with timegm(), which is not
 * in C11 and depends on the time zone machinery; a time that is not
 * exactly "YYYY-MM-DDTHH:MM:SS.mmmZ" with every part in its range is
 * rejected.  Leap seconds (:60) are rejected as well: hoptrace's clock is
 * Unix time and never writes one.
 */
int ht_replay_time(const char *s, size_t len, int64_t *us)
{
	static const int before_month[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	static const int month_days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int y, mo, d, h, mi, sec, ms, mdays;
	int64_t days;

	if (len != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z')
		return -1;
	if (replay_digits(s, 4, &y) < 0 || replay_digits(s + 5, 2, &mo) < 0 ||
	    replay_digits(s + 8, 2, &d) < 0 ||
	    replay_digits(s + 11, 2, &h) < 0 ||
	    replay_digits(s + 14, 2, &mi) < 0 ||
	    replay_digits(s + 17, 2, &sec) < 0 ||
	    replay_digits(s + 20, 3, &ms) < 0)
		return -1;
	if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59)
		return -1;
	mdays = month_days[mo - 1] + (mo == 2 && replay_leap(y));
	if (d < 1 || d > mdays)
		return -1;
	days = replay_days_before_year(y) - replay_days_before_year(1970) +
	       before_month[mo - 1] + (mo > 2 && replay_leap(y)) + d - 1;
	*us = ((days * 86400 + h * 3600 + mi * 60 + sec) * 1000 + ms) *
	      INT64_C(1000);
	return 0;
}

/* ---- typed getters ------------------------------------------------- */

void ht_rd_fail(struct ht_rd *x, const char *fmt, ...)
{
	va_list ap;

	if (x->failed)
		return;
	x->failed = 1;
	va_start(ap, fmt);
	vsnprintf(x->err, x->errlen, fmt, ap);
	va_end(ap);
}

/* S for a message: printable ASCII, at most 40 bytes of it. */
void ht_rd_quote(char *out, size_t outlen, const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] && n + 4 < outlen; i++) {
		if (i == 40) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		out[n++] = s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' ? s[i]
								       : '?';
	}
	out[n] = '\0';
}

static int rd_listed(const char *const *names, const char *key)
{
	for (; names && *names; names++)
		if (strcmp(*names, key) == 0)
			return 1;
	return 0;
}

/* Every member of OBJ named in A or B, once; every name there present. */
void ht_rd_fields(struct ht_rd *x, uint32_t obj, const char *const *a,
		      const char *const *b)
{
	ht_rd_fields_opt(x, obj, a, b, NULL);
}

void ht_rd_fields_opt(struct ht_rd *x, uint32_t obj, const char *const *a,
		      const char *const *b, const char *const *optional)
{
	const struct json_value *v = x->d->v;
	const char *const *lists[2] = { a, b };
	uint32_t k, j;
	char q[48];
	int i;

	if (x->failed)
		return;
	for (k = obj + 1; k < v[obj].end; k = v[k + 1].end) {
		if (!rd_listed(a, v[k].str) && !rd_listed(b, v[k].str) &&
		    !rd_listed(optional, v[k].str)) {
			ht_rd_quote(q, sizeof(q), v[k].str);
			ht_rd_fail(x, "%s has unknown field \"%s\"", x->what, q);
			return;
		}
		for (j = obj + 1; j < k; j = v[j + 1].end) {
			if (strcmp(v[j].str, v[k].str) == 0) {
				ht_rd_fail(x, "%s has \"%s\" twice", x->what,
					v[k].str);
				return;
			}
		}
	}
	for (i = 0; i < 2; i++) {
		const char *const *n;

		for (n = lists[i]; n && *n; n++) {
			if (json_member(x->d, obj, *n) < 0) {
				ht_rd_fail(x, "%s without \"%s\"", x->what, *n);
				return;
			}
		}
	}
}

/* The value of KEY, or NULL (with the message) when it is missing. */
const struct json_value *ht_rd_get(struct ht_rd *x, uint32_t obj,
				       const char *key)
{
	long i;

	if (x->failed)
		return NULL;
	i = json_member(x->d, obj, key);
	if (i < 0) {
		ht_rd_fail(x, "%s without \"%s\"", x->what, key);
		return NULL;
	}
	return &x->d->v[i];
}

void ht_rd_type(struct ht_rd *x, const char *key,
		    const struct json_value *v, const char *want)
{
	ht_rd_fail(x, "%s \"%s\" is %s, want %s", x->what, key,
		json_type_phrase(v->type), want);
}

/* An integer in [MIN, MAX]; with PRESENT, null is allowed and clears it. */
int64_t ht_rd_int(struct ht_rd *x, uint32_t obj, const char *key,
		      int64_t min, int64_t max, int *present)
{
	const struct json_value *v = ht_rd_get(x, obj, key);

	if (present)
		*present = 0;
	if (!v)
		return 0;
	if (present && v->type == JSON_NULL)
		return 0;
	if (v->type != JSON_INT) {
		ht_rd_type(x, key, v, present ? "an integer or null"
					   : "an integer");
		return 0;
	}
	if (v->big) {
		ht_rd_fail(x, "%s \"%s\" is %llu, want %lld to %lld", x->what,
			key, (unsigned long long)v->u, (long long)min,
			(long long)max);
		return 0;
	}
	if (v->i < min || v->i > max) {
		if (max == INT64_MAX)
			ht_rd_fail(x, "%s \"%s\" is %lld, want at least %lld",
				x->what, key, (long long)v->i, (long long)min);
		else
			ht_rd_fail(x, "%s \"%s\" is %lld, want %lld to %lld",
				x->what, key, (long long)v->i, (long long)min,
				(long long)max);
		return 0;
	}
	if (present)
		*present = 1;
	return v->i;
}

uint64_t ht_rd_uint64(struct ht_rd *x, uint32_t obj, const char *key)
{
	const struct json_value *v = ht_rd_get(x, obj, key);

	if (!v)
		return 0;
	if (v->type != JSON_INT) {
		ht_rd_type(x, key, v, "an integer");
		return 0;
	}
	if (!v->big && v->i < 0) {
		ht_rd_fail(x, "%s \"%s\" is %lld, want 0 to "
			"18446744073709551615", x->what, key, (long long)v->i);
		return 0;
	}
	return v->u;
}

/* A number (integer or not) of at least MIN (above it when OPEN) and at
 * most MAX (no bound when MAX is 0); null allowed with PRESENT. */
double ht_rd_num(struct ht_rd *x, uint32_t obj, const char *key, double min,
		     int open, double max, int *present)
{
	const struct json_value *v = ht_rd_get(x, obj, key);

	if (present)
		*present = 0;
	if (!v || (present && v->type == JSON_NULL))
		return 0;
	if (v->type != JSON_INT && v->type != JSON_DOUBLE) {
		ht_rd_type(x, key, v, present ? "a number or null" : "a number");
		return 0;
	}
	if (v->d < min || (open && v->d == min) || (max > 0 && v->d > max)) {
		if (max > 0)
			ht_rd_fail(x, "%s \"%s\" is out of range, want %s%.0f to "
				"%.0f", x->what, key, open ? "above " : "",
				min, max);
		else
			ht_rd_fail(x, "%s \"%s\" is out of range, want at least "
				"%.0f", x->what, key, min);
		return 0;
	}
	if (present)
		*present = 1;
	return v->d;
}

int ht_rd_bool(struct ht_rd *x, uint32_t obj, const char *key)
{
	const struct json_value *v = ht_rd_get(x, obj, key);

	if (!v)
		return 0;
	if (v->type != JSON_TRUE && v->type != JSON_FALSE) {
		ht_rd_type(x, key, v, "a boolean");
		return 0;
	}
	return v->type == JSON_TRUE;
}

/* A string; NULL for null when NULLABLE. */
const char *ht_rd_str(struct ht_rd *x, uint32_t obj, const char *key,
			  int nullable)
{
	const struct json_value *v = ht_rd_get(x, obj, key);

	if (!v || (nullable && v->type == JSON_NULL))
		return NULL;
	if (v->type != JSON_STRING) {
		ht_rd_type(x, key, v, nullable ? "a string or null" : "a string");
		return NULL;
	}
	return v->str;
}

int64_t ht_rd_time(struct ht_rd *x, uint32_t obj, const char *key)
{
	const struct json_value *v = ht_rd_get(x, obj, key);
	int64_t us = 0;

	if (!v)
		return 0;
	if (v->type != JSON_STRING) {
		ht_rd_type(x, key, v, "a time");
		return 0;
	}
	if (ht_replay_time(v->str, v->len, &us) < 0)
		ht_rd_fail(x, "%s \"%s\" is not an RFC 3339 time like "
			"\"2026-12-01T20:30:00.000Z\"", x->what, key);
	return us;
}

/* An address literal; family 0 for null when NULLABLE. */
struct hp_addr ht_rd_addr(struct ht_rd *x, uint32_t obj, const char *key,
			      int nullable)
{
	const char *s = ht_rd_str(x, obj, key, nullable);
	struct hp_addr a;

	memset(&a, 0, sizeof(a));
	if (s && hp_addr_parse(s, &a) < 0) {
		ht_rd_fail(x, "%s \"%s\" is not an IP address", x->what, key);
		memset(&a, 0, sizeof(a));
	}
	return a;
}

/* An array's index, and its length in *N. */
uint32_t ht_rd_array(struct ht_rd *x, uint32_t obj, const char *key,
			 unsigned *n)
{
	const struct json_value *v = ht_rd_get(x, obj, key);

	*n = 0;
	if (!v)
		return 0;
	if (v->type != JSON_ARRAY) {
		ht_rd_type(x, key, v, "an array");
		return 0;
	}
	*n = v->count;
	return (uint32_t)(v - x->d->v);
}

/* The next element after element I of an array (I its index). */
uint32_t ht_rd_next(const struct ht_rd *x, uint32_t i)
{
	return x->d->v[i].end;
}

/* An element that must be an object. */
void ht_rd_object(struct ht_rd *x, uint32_t i)
{
	if (!x->failed && x->d->v[i].type != JSON_OBJECT)
		ht_rd_fail(x, "%s is %s, want an object", x->what,
			json_type_phrase(x->d->v[i].type));
}

/* "64496" or "64496 64497": numbers separated by single spaces. */
void ht_rd_asn_text(struct ht_rd *x, const char *key, const char *s)
{
	size_t i;
	int digit = 0;

	if (!s || x->failed)
		return;
	for (i = 0; s[i]; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digit = 1;
		else if (s[i] == ' ' && digit)
			digit = 0;
		else
			break;
	}
	if (s[i] || !digit)
		ht_rd_fail(x, "%s \"%s\" is not a list of AS numbers", x->what,
			key);
}

/*
 * fail_on.c: hoptrace --fail-on EXPR, parsed and evaluated (pure).
 *
 * The parser is a hand-written scanner over the text, one token after the
 * other, so that each error can name the token that is wrong and the
 * column it starts at.  Values are kept as integers (thousandths of a
 * percent, nanoseconds) and compared as integers, so that a boundary such
 * as loss>2% is decided without binary fractions.
 */
#include "err_text.h"
#include "fail_on.h"

#include <stdio.h>
#include <string.h>

#include "stats.h"

#define FAIL_NS_PER_US INT64_C(1000)
#define FAIL_NS_PER_MS INT64_C(1000000)
#define FAIL_NS_PER_S INT64_C(1000000000)
/* A time limit above an hour is a typo: no probe waits that long. */
#define FAIL_MAX_NS (INT64_C(3600) * FAIL_NS_PER_S)
/* Loss limits are kept in thousandths of a percent. */
#define FAIL_LOSS_DECIMALS 3
#define FAIL_LOSS_SCALE INT64_C(1000)
/* More integer digits than this are out of every range; checking the
 * count first keeps the arithmetic below from overflowing. */
#define FAIL_MAX_INT_DIGITS 12

static const char fail_metrics_list[] =
	"loss, rtt, best, worst, last, stdev, jitter";
static const char fail_ops_list[] = ">, >=, <, <=";

static const char *const fail_metric_names[] = {
	"loss", "rtt", "best", "worst", "last", "stdev", "jitter"
};
static const char *const fail_op_names[] = { ">", ">=", "<", "<=" };
static const char *const fail_unit_names[] = { "%", "us", "ms", "s" };

/* The scanner's state: the text, where it is, where errors go. */
struct fail_scan {
	const char *text;
	size_t pos;
	char *err;
	size_t errlen;
};

static int fail_is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int fail_is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int fail_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void fail_skip_space(struct fail_scan *s)
{
	while (fail_is_space(s->text[s->pos]))
		s->pos++;
}

/* Length of the word at the scanner's position (0 when there is none). */
static size_t fail_word_len(const struct fail_scan *s)
{
	size_t n = 0;

	while (fail_is_word(s->text[s->pos + n]))
		n++;
	return n;
}

/* Column of the scanner's position, from 1, as people count. */
static unsigned long fail_col(const struct fail_scan *s)
{
	return (unsigned long)s->pos + 1;
}

/*
 * What stands at the scanner's position, for "found ..." in a message:
 * the word there, else the one character (escaped when not printable, as
 * the text comes from a command line and goes to a terminal), else "the
 * end".
 */
static void fail_found(const struct fail_scan *s, char *buf, size_t len)
{
	size_t n = fail_word_len(s);
	unsigned char c = (unsigned char)s->text[s->pos];

	if (n > 0)
		ht_set_err(buf, len, "'%.*s'", (int)(n > 32 ? 32 : n),
			 s->text + s->pos);
	else if (c == '\0')
		ht_set_err(buf, len, "the end");
	else if (c > 0x20 && c < 0x7f)
		ht_set_err(buf, len, "'%c'", c);
	else
		ht_set_err(buf, len, "'\\x%02x'", c);
}

/* Is the word of length N at the scanner's position exactly WORD? */
static int fail_word_is(const struct fail_scan *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s->text + s->pos, word, n) == 0;
}

/* hop[N]: the scanner stands on '['; the ttl goes to OUT. */
static int fail_parse_ttl(struct fail_scan *s, struct ht_fail_expr *out)
{
	char found[48];
	size_t start, n = 0, z = 0, i;
	long ttl = 0;

	s->pos++;
	fail_skip_space(s);
	start = s->pos;
	while (fail_is_digit(s->text[start + n]))
		n++;
	if (n == 0) {
		fail_found(s, found, sizeof(found));
		ht_set_err(s->err, s->errlen, "expected a hop number 1-255 at "
			 "%lu, found %s", fail_col(s), found);
		return -1;
	}
	/* Leading zeros are harmless ("hop[007]"); past them, four digits
	 * already exceed 255, so reading no more cannot overflow. */
	while (z < n && s->text[start + z] == '0')
		z++;
	for (i = z; i < n && i < z + 4; i++)
		ttl = ttl * 10 + (s->text[start + i] - '0');
	if (ttl < 1 || ttl > 255) {
		ht_set_err(s->err, s->errlen, "hop number '%.*s' at %lu is out of "
			 "range 1-255", (int)(n > 32 ? 32 : n), s->text + start,
			 fail_col(s));
		return -1;
	}
	s->pos += n;
	fail_skip_space(s);
	if (s->text[s->pos] != ']') {
		fail_found(s, found, sizeof(found));
		ht_set_err(s->err, s->errlen, "expected ']' at %lu, found %s",
			 fail_col(s), found);
		return -1;
	}
	s->pos++;
	out->ttl = (int)ttl;
	return 0;
}

static int fail_parse_subject(struct fail_scan *s, struct ht_fail_expr *out)
{
	char found[48];
	size_t n = fail_word_len(s);

	if (fail_word_is(s, n, "unreached")) {
		out->subject = HT_FAIL_UNREACHED;
		s->pos += n;
		return 0;
	}
	if (fail_word_is(s, n, "dest")) {
		out->subject = HT_FAIL_DEST;
		s->pos += n;
		return 0;
	}
	if (fail_word_is(s, n, "hop")) {
		s->pos += n;
		fail_skip_space(s);
		if (s->text[s->pos] != '[') {
			out->subject = HT_FAIL_ANY_HOP;
			return 0;
		}
		out->subject = HT_FAIL_HOP_TTL;
		return fail_parse_ttl(s, out);
	}
	fail_found(s, found, sizeof(found));
	ht_set_err(s->err, s->errlen, "unknown subject %s at %lu (unreached, "
		 "dest, hop, hop[N])", found, fail_col(s));
	return -1;
}

static int fail_parse_metric(struct fail_scan *s, struct ht_fail_expr *out)
{
	char found[48];
	size_t n, i;

	if (s->text[s->pos] != '.') {
		fail_found(s, found, sizeof(found));
		ht_set_err(s->err, s->errlen, "expected '.' and a metric at %lu, "
			 "found %s", fail_col(s), found);
		return -1;
	}
	s->pos++;
	fail_skip_space(s);
	if (s->text[s->pos] == '\0') {
		ht_set_err(s->err, s->errlen, "missing metric at %lu (%s)",
			 fail_col(s), fail_metrics_list);
		return -1;
	}
	n = fail_word_len(s);
	for (i = 0; i < sizeof(fail_metric_names) / sizeof(*fail_metric_names);
	     i++) {
		if (fail_word_is(s, n, fail_metric_names[i])) {
			out->metric = (enum ht_fail_metric)i;
			s->pos += n;
			return 0;
		}
	}
	fail_found(s, found, sizeof(found));
	ht_set_err(s->err, s->errlen, "unknown metric %s at %lu (%s)", found,
		 fail_col(s), fail_metrics_list);
	return -1;
}

static int fail_is_op_char(char c)
{
	return c == '<' || c == '>' || c == '=' || c == '!';
}

/* The whole run of operator characters is taken, so that "=>" or "=="
 * is named as what it is rather than as a stray '='. */
static int fail_parse_op(struct fail_scan *s, struct ht_fail_expr *out)
{
	char found[48];
	size_t n = 0, i;

	while (fail_is_op_char(s->text[s->pos + n]))
		n++;
	if (n == 0) {
		fail_found(s, found, sizeof(found));
		ht_set_err(s->err, s->errlen, "expected an operator at %lu (%s), "
			 "found %s", fail_col(s), fail_ops_list, found);
		return -1;
	}
	for (i = 0; i < sizeof(fail_op_names) / sizeof(*fail_op_names); i++) {
		if (fail_word_is(s, n, fail_op_names[i])) {
			out->op = (enum ht_fail_op)i;
			s->pos += n;
			return 0;
		}
	}
	ht_set_err(s->err, s->errlen, "unknown operator '%.*s' at %lu (%s)",
		 (int)(n > 32 ? 32 : n), s->text + s->pos, fail_col(s),
		 fail_ops_list);
	return -1;
}

/*
 * The number's decimal digits as a fixed-point integer with DECIMALS
 * fraction digits: "2.5" with 3 is 2500.  Trailing zeros of the fraction
 * do not count against DECIMALS.  0, -1 when there are more digits of
 * fraction, -2 when the integer part has more than FAIL_MAX_INT_DIGITS.
 */
static int fail_fixed(const char *num, size_t len, int decimals,
		      int64_t *out)
{
	size_t dot = 0, flen, i;
	int64_t v = 0;

	/* Leading zeros are worth nothing and must not count as digits. */
	while (len > 1 && num[0] == '0' && num[1] != '.') {
		num++;
		len--;
	}
	while (dot < len && num[dot] != '.')
		dot++;
	if (dot > FAIL_MAX_INT_DIGITS)
		return -2;
	flen = dot < len ? len - dot - 1 : 0;
	while (flen > 0 && num[dot + flen] == '0')
		flen--;
	if (flen > (size_t)decimals)
		return -1;
	for (i = 0; i < dot; i++)
		v = v * 10 + (num[i] - '0');
	for (i = 0; i < (size_t)decimals; i++)
		v = v * 10 + (i < flen ? num[dot + 1 + i] - '0' : 0);
	*out = v;
	return 0;
}

/* The value's unit, read after the number: a percent sign or a word. */
static int fail_parse_unit(struct fail_scan *s, const char *num, size_t nlen,
			   unsigned long ncol, struct ht_fail_expr *out)
{
	size_t n;

	fail_skip_space(s);
	if (s->text[s->pos] == '%') {
		if (out->metric != HT_FAIL_LOSS) {
			ht_set_err(s->err, s->errlen, "'%%' at %lu goes with loss "
				 "only; %s takes us, ms or s", fail_col(s),
				 fail_metric_names[out->metric]);
			return -1;
		}
		out->unit = HT_FAIL_PERCENT;
		s->pos++;
		return 0;
	}
	n = fail_word_len(s);
	if (out->metric == HT_FAIL_LOSS) {
		if (n == 0)
			ht_set_err(s->err, s->errlen, "value '%.*s' at %lu needs "
				 "'%%': %.*s%%", (int)nlen, num, ncol,
				 (int)nlen, num);
		else
			ht_set_err(s->err, s->errlen, "unit '%.*s' at %lu does "
				 "not go with loss, which takes '%%': %.*s%%",
				 (int)(n > 32 ? 32 : n), s->text + s->pos,
				 fail_col(s), (int)nlen, num);
		return -1;
	}
	if (n == 0) {
		ht_set_err(s->err, s->errlen, "value '%.*s' at %lu needs a unit: "
			 "%.*sms", (int)nlen, num, ncol, (int)nlen, num);
		return -1;
	}
	if (fail_word_is(s, n, "us"))
		out->unit = HT_FAIL_US;
	else if (fail_word_is(s, n, "ms"))
		out->unit = HT_FAIL_MS;
	else if (fail_word_is(s, n, "s"))
		out->unit = HT_FAIL_S;
	else {
		ht_set_err(s->err, s->errlen, "unknown unit '%.*s' at %lu (us, "
			 "ms, s)", (int)(n > 32 ? 32 : n), s->text + s->pos,
			 fail_col(s));
		return -1;
	}
	s->pos += n;
	return 0;
}

/* Is NUM (LEN bytes) digits, optionally a dot and more digits? */
static int fail_is_number(const char *num, size_t len)
{
	size_t i = 0, d;

	for (d = 0; i < len && fail_is_digit(num[i]); i++)
		d++;
	if (d == 0)
		return 0;
	if (i == len)
		return 1;
	if (num[i++] != '.')
		return 0;
	for (d = 0; i < len && fail_is_digit(num[i]); i++)
		d++;
	return d > 0 && i == len;
}

/*
 * VALUE: a number, its unit, and the limit in the metric's integer unit.
 * The value's text in messages is the number as written plus the unit,
 * so that a user finds it in what they typed.
 */
static int fail_parse_value(struct fail_scan *s, struct ht_fail_expr *out)
{
	static const int ns_decimals[] = { 0, 3, 6, 9 };
	char found[48];
	const char *num = s->text + s->pos;
	unsigned long ncol = fail_col(s);
	size_t nlen = 0, uend;
	int64_t fixed;
	int rc;

	if (*num == '-' || *num == '+') {
		size_t m = 1;

		while (fail_is_digit(num[m]) || num[m] == '.')
			m++;
		ht_set_err(s->err, s->errlen, "value '%.*s' at %lu has a sign",
			 (int)(m > 32 ? 32 : m), num, ncol);
		return -1;
	}
	while (fail_is_digit(num[nlen]) || num[nlen] == '.')
		nlen++;
	if (nlen == 0) {
		fail_found(s, found, sizeof(found));
		ht_set_err(s->err, s->errlen, "expected a value at %lu, found %s",
			 ncol, found);
		return -1;
	}
	if (!fail_is_number(num, nlen)) {
		ht_set_err(s->err, s->errlen, "value '%.*s' at %lu is not a "
			 "number", (int)(nlen > 32 ? 32 : nlen), num, ncol);
		return -1;
	}
	s->pos += nlen;
	if (fail_parse_unit(s, num, nlen, ncol, out) < 0)
		return -1;
	uend = s->pos;

	if (out->unit == HT_FAIL_PERCENT) {
		rc = fail_fixed(num, nlen, FAIL_LOSS_DECIMALS, &fixed);
		if (rc == -1) {
			ht_set_err(s->err, s->errlen, "value '%.*s' at %lu has "
				 "more than %d decimals", (int)(uend - ncol + 1),
				 num, ncol, FAIL_LOSS_DECIMALS);
			return -1;
		}
		if (rc == -2 || fixed > 100 * FAIL_LOSS_SCALE) {
			ht_set_err(s->err, s->errlen, "value '%.*s' at %lu is out "
				 "of range 0-100%%", (int)(uend - ncol + 1),
				 num, ncol);
			return -1;
		}
		out->limit = fixed;
		return 0;
	}
	/* A time: nanoseconds, exact, since RTTs are whole microseconds
	 * and the limit must not be rounded to meet them. */
	rc = fail_fixed(num, nlen, ns_decimals[out->unit], &fixed);
	if (rc == -1) {
		ht_set_err(s->err, s->errlen, "value '%.*s' at %lu is finer than "
			 "a nanosecond", (int)(uend - ncol + 1), num, ncol);
		return -1;
	}
	/* FIXED counts 10^-decimals of the unit, which the decimals were
	 * chosen to make one nanosecond for every unit. */
	if (rc == -2 || fixed > FAIL_MAX_NS) {
		ht_set_err(s->err, s->errlen, "value '%.*s' at %lu is out of "
			 "range: at most 3600s", (int)(uend - ncol + 1), num,
			 ncol);
		return -1;
	}
	out->limit = fixed;
	return 0;
}

int ht_fail_parse(const char *text, struct ht_fail_expr *out, char *err,
		  size_t errlen)
{
	struct fail_scan s = { text, 0, err, errlen };
	struct ht_fail_expr e;
	char found[48];

	memset(&e, 0, sizeof(e));
	ht_set_err(err, errlen, "%s", "");
	fail_skip_space(&s);
	if (text[s.pos] == '\0') {
		ht_set_err(err, errlen, "empty expression: give unreached or "
			 "SUBJECT.METRIC OP VALUE, as in dest.loss>2%%");
		return -1;
	}
	if (fail_parse_subject(&s, &e) < 0)
		return -1;
	if (e.subject != HT_FAIL_UNREACHED) {
		fail_skip_space(&s);
		if (fail_parse_metric(&s, &e) < 0)
			return -1;
		fail_skip_space(&s);
		if (fail_parse_op(&s, &e) < 0)
			return -1;
		fail_skip_space(&s);
		if (fail_parse_value(&s, &e) < 0)
			return -1;
	}
	fail_skip_space(&s);
	if (text[s.pos] != '\0') {
		fail_found(&s, found, sizeof(found));
		ht_set_err(err, errlen, "unexpected %s at %lu after %s", found,
			 fail_col(&s), e.subject == HT_FAIL_UNREACHED
			 ? "unreached" : "the value");
		return -1;
	}
	*out = e;
	return 0;
}

/* ---- evaluation ---------------------------------------------------- */

/*
 * Round a non-negative X half away from zero, as the renderers do
 * (ht_render_tenths in render.c), so that a value compared is a value
 * that hoptrace prints.
 */
static int64_t fail_round(double x)
{
	if (!(x >= 0.0))
		return 0;
	if (x > 9e15)
		return INT64_C(9000000000000000);
	return (int64_t)(x + 0.5);
}

/*
 * Jitter in microseconds, rounded: the mean of |rtt[i] - rtt[i-1]| over
 * the probes with a round-trip time, in the order HT_EV_HOP gives them
 * (cycle by cycle, query by query: the order they were sent in).  Which
 * probe has a time is decided by ht_hop_stats_compute itself, one probe
 * at a time, so that "answered" has one definition only.  0 when fewer
 * than two probes have a time: there is no difference to take.
 */
static int fail_jitter(const struct ht_hop *h, int64_t *out_us)
{
	int64_t prev = 0, sum = 0;
	unsigned i, timed = 0;

	for (i = 0; i < h->probe_count; i++) {
		struct ht_hop_stats one;

		ht_hop_stats_compute(&h->probes[i], 1, NULL, &one);
		if (one.rtt_count == 0)
			continue;
		if (timed > 0)
			sum += one.last_us > prev ? one.last_us - prev
						  : prev - one.last_us;
		prev = one.last_us;
		timed++;
	}
	if (timed < 2)
		return 0;
	/* Integer rounding of sum / (timed - 1), half up. */
	*out_us = (2 * sum + (timed - 1)) / (2 * (int64_t)(timed - 1));
	return 1;
}

/*
 * The value of METRIC at hop H, in the limit's unit: loss in thousandths
 * of a percent, a time in nanoseconds.  0 when H has none.
 *
 * Loss is compared as the report prints it, rounded to tenths of a
 * percent: loss>2% then holds for a hop shown as 2.1% and not for one
 * shown as 2.0% (1 of 49 probes, 2.04%), which is what a user reading
 * the report expects.  Times are compared rounded to the microsecond, the
 * precision of the RTTs themselves and of the classic output; the report's
 * tenths of a millisecond would let 10.04 ms pass as 10.0 ms > 10ms
 * failing, and are coarser than what the text output shows.
 */
static int fail_hop_value(enum ht_fail_metric metric, const struct ht_hop *h,
			  int64_t *out)
{
	struct ht_hop_stats st;
	int64_t us;

	ht_hop_stats_compute(h->probes, h->probe_count, NULL, &st);
	if (metric == HT_FAIL_LOSS) {
		/* No probe sent: no loss to speak of. */
		if (st.sent == 0)
			return 0;
		*out = fail_round(st.loss_pct * 10.0) * (FAIL_LOSS_SCALE / 10);
		return 1;
	}
	if (metric == HT_FAIL_JITTER) {
		if (!fail_jitter(h, &us))
			return 0;
		*out = us * FAIL_NS_PER_US;
		return 1;
	}
	if (st.rtt_count == 0)
		return 0;
	switch (metric) {
	case HT_FAIL_RTT:
		us = fail_round(st.avg_us);
		break;
	case HT_FAIL_BEST:
		us = st.best_us;
		break;
	case HT_FAIL_WORST:
		us = st.worst_us;
		break;
	case HT_FAIL_LAST:
		us = st.last_us;
		break;
	case HT_FAIL_STDEV:
		us = fail_round(st.stdev_us);
		break;
	default:
		return 0;
	}
	*out = us * FAIL_NS_PER_US;
	return 1;
}

static int fail_compare(enum ht_fail_op op, int64_t v, int64_t limit)
{
	switch (op) {
	case HT_FAIL_GT:
		return v > limit;
	case HT_FAIL_GE:
		return v >= limit;
	case HT_FAIL_LT:
		return v < limit;
	case HT_FAIL_LE:
		return v <= limit;
	}
	return 0;
}

/*
 * V (thousandths of a percent or nanoseconds) as text in UNIT with as
 * few decimals as it needs: 2000 as percent is "2%", 1500000 ns in ms is
 * "1.5ms".
 */
static void fail_format_amount(int64_t v, enum ht_fail_unit unit, char *buf,
			       size_t len)
{
	static const int64_t scale[] = {
		FAIL_LOSS_SCALE, FAIL_NS_PER_US, FAIL_NS_PER_MS, FAIL_NS_PER_S
	};
	static const int width[] = { 3, 3, 6, 9 };
	char frac[16];
	int64_t whole = v / scale[unit], part = v % scale[unit];
	int n;

	if (part == 0) {
		ht_set_err(buf, len, "%lld%s", (long long)whole,
			 fail_unit_names[unit]);
		return;
	}
	snprintf(frac, sizeof(frac), "%0*lld", width[unit], (long long)part);
	n = (int)strlen(frac);
	while (n > 0 && frac[n - 1] == '0')
		n--;
	ht_set_err(buf, len, "%lld.%.*s%s", (long long)whole, n, frac,
		 fail_unit_names[unit]);
}

/* A measured value as hoptrace prints it: loss to tenths ("33.3%"), a
 * time in milliseconds to the microsecond ("12.345ms"). */
static void fail_format_measured(enum ht_fail_metric metric, int64_t v,
				 char *buf, size_t len)
{
	if (metric == HT_FAIL_LOSS) {
		int64_t tenths = v / (FAIL_LOSS_SCALE / 10);

		ht_set_err(buf, len, "%lld.%lld%%", (long long)(tenths / 10),
			 (long long)(tenths % 10));
		return;
	}
	v /= FAIL_NS_PER_US;
	ht_set_err(buf, len, "%lld.%03lldms", (long long)(v / 1000),
		 (long long)(v % 1000));
}

static void fail_format_subject(const struct ht_fail_expr *e, char *buf,
				size_t len)
{
	switch (e->subject) {
	case HT_FAIL_UNREACHED:
		ht_set_err(buf, len, "unreached");
		break;
	case HT_FAIL_DEST:
		ht_set_err(buf, len, "dest");
		break;
	case HT_FAIL_ANY_HOP:
		ht_set_err(buf, len, "hop");
		break;
	case HT_FAIL_HOP_TTL:
		ht_set_err(buf, len, "hop[%d]", e->ttl);
		break;
	}
}

void ht_fail_format(const struct ht_fail_expr *e, char *buf, size_t len)
{
	char subject[16], limit[48];

	fail_format_subject(e, subject, sizeof(subject));
	if (e->subject == HT_FAIL_UNREACHED) {
		ht_set_err(buf, len, "%s", subject);
		return;
	}
	fail_format_amount(e->limit, e->unit, limit, sizeof(limit));
	ht_set_err(buf, len, "%s.%s %s %s", subject,
		 fail_metric_names[e->metric], fail_op_names[e->op], limit);
}

/* Does E hold at hop H?  1 and the sentence in WHY when it does. */
static int fail_eval_hop(const struct ht_fail_expr *e, const struct ht_hop *h,
			 char *why, size_t whylen)
{
	char subject[16], measured[48], limit[48];
	int64_t v;

	if (!fail_hop_value(e->metric, h, &v) ||
	    !fail_compare(e->op, v, e->limit))
		return 0;
	fail_format_subject(e, subject, sizeof(subject));
	fail_format_measured(e->metric, v, measured, sizeof(measured));
	fail_format_amount(e->limit, e->unit, limit, sizeof(limit));
	/* hop[N] names its hop already. */
	if (e->subject == HT_FAIL_HOP_TTL)
		ht_set_err(why, whylen, "%s %s %s %s %s", subject,
			 fail_metric_names[e->metric], measured,
			 fail_op_names[e->op], limit);
	else
		ht_set_err(why, whylen, "%s %s %s %s %s at hop %d", subject,
			 fail_metric_names[e->metric], measured,
			 fail_op_names[e->op], limit, h->ttl);
	return 1;
}

static const struct ht_hop *fail_find_hop(const struct ht_fail_trace *t,
					  int ttl)
{
	unsigned i;

	for (i = 0; i < t->hop_count; i++)
		if (t->hops[i].ttl == ttl)
			return &t->hops[i];
	return NULL;
}

int ht_fail_eval(const struct ht_fail_expr *e, const struct ht_fail_trace *t,
		 char *why, size_t whylen)
{
	const struct ht_hop *h;
	unsigned i;

	ht_set_err(why, whylen, "%s", "");
	switch (e->subject) {
	case HT_FAIL_UNREACHED:
		if (t->reached)
			return 0;
		ht_set_err(why, whylen, "target not reached");
		return 1;
	case HT_FAIL_DEST:
		/* Unreached has an expression of its own; dest of such a
		 * trace is nothing, and nothing holds of nothing. */
		if (!t->reached || t->distance <= 0)
			return 0;
		h = fail_find_hop(t, t->distance);
		return h ? fail_eval_hop(e, h, why, whylen) : 0;
	case HT_FAIL_ANY_HOP:
		/* The first hop it holds for, in the order shown. */
		for (i = 0; i < t->hop_count; i++)
			if (fail_eval_hop(e, &t->hops[i], why, whylen))
				return 1;
		return 0;
	case HT_FAIL_HOP_TTL:
		h = fail_find_hop(t, e->ttl);
		return h ? fail_eval_hop(e, h, why, whylen) : 0;
	}
	return 0;
}

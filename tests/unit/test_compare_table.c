/*
 * test_compare_table.c: --compare's side-by-side table and verdict
 * (src/compare_table.c, src/compare_verdict.c).
 *
 * The columns are invented here; every expected line is written by hand
 * from the layout in compare_table.c's header and hoptrace(1) (Side by
 * side): a "Hop" column three wide, per item a group of Host (as wide as
 * its longest entry, at least 4), Loss% (6) and Avg (milliseconds to
 * tenths, at least 3), two spaces between columns, three between groups,
 * two after the hop number, no trailing spaces.  Addresses are
 * documentation ones (RFC 5737).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "compare_table.h"

static char *text_of(struct ht_outbuf *b)
{
	ht_outbuf_append(b, "", 1);
	return b->data;
}

static void assert_text(struct ht_outbuf *b, const char *want)
{
	const char *got = text_of(b);

	if (strcmp(got, want) != 0)
		fail_msg("\n got:\n%s\n want:\n%s", got, want);
}

/* icmp reaches the target at hop 3; udp:53 is dropped after hop 2. */
static const struct ht_compare_cell icmp_cells[] = {
	{ 1, "192.0.2.1", 3, 3, 123, -1 },
	{ 2, "192.0.2.66", 3, 3, 260, -1 },
	{ 3, "192.0.2.130", 3, 3, 1500, -1 },
};
static const struct ht_compare_cell udp_cells[] = {
	{ 1, "192.0.2.1", 3, 3, 100, -1 },
	{ 2, "192.0.2.66", 3, 2, 300, -1 },
	{ 3, NULL, 3, 0, -1, -1 },
};

static struct ht_compare_column column(const char *label,
				       const struct ht_compare_cell *cells,
				       unsigned n, int reached,
				       enum ht_reason reason, int distance)
{
	struct ht_compare_column c;

	memset(&c, 0, sizeof(c));
	c.label = label;
	c.cells = cells;
	c.cell_count = n;
	c.ended = 1;
	c.reached = reached;
	c.reason = reason;
	c.distance = distance;
	return c;
}

static void test_table(void **state)
{
	struct ht_compare_column cols[2];
	struct ht_outbuf b;

	(void)state;
	cols[0] = column("icmp", icmp_cells, 3, 1, HT_REASON_REACHED, 3);
	cols[1] = column("udp:53", udp_cells, 3, 0, HT_REASON_NO_ANSWER, 0);
	ht_outbuf_init(&b);
	ht_compare_table(&b, cols, 2);
	/* Group widths: icmp 11+2+6+2+3 = 24, udp:53 10+2+6+2+3 = 23. */
	assert_text(&b,
		"Hop  icmp" "                       " "udp:53\n"
		"     Host" "         " " Loss%  Avg"
		"   Host" "        " " Loss%  Avg\n"
		"  1  192.0.2.1" "    " "  0.0%  0.1"
		"   192.0.2.1" "   " "  0.0%  0.1\n"
		"  2  192.0.2.66" "   " "  0.0%  0.3"
		"   192.0.2.66" "  " " 33.3%  0.3\n"
		"  3  192.0.2.130" "  " "  0.0%  1.5"
		"   ???" "         " "100.0%    -\n");
	ht_outbuf_free(&b);
}

/* A hop one item did not show: blank in its group, and no trailing
 * spaces when the blank group is the last. */
static void test_table_blanks(void **state)
{
	static const struct ht_compare_cell a[] = {
		{ 1, "192.0.2.1", 1, 1, 100, -1 },
		{ 2, "192.0.2.66", 1, 1, 200, -1 },
	};
	static const struct ht_compare_cell b1[] = {
		{ 1, "192.0.2.1", 1, 1, 100, -1 },
	};
	struct ht_compare_column cols[2];
	struct ht_outbuf b;

	(void)state;
	cols[0] = column("4", a, 2, 1, HT_REASON_REACHED, 2);
	cols[1] = column("6", b1, 1, 1, HT_REASON_REACHED, 1);
	ht_outbuf_init(&b);
	ht_compare_table(&b, cols, 2);
	/* Group 4: 10+2+6+2+3 = 23; group 6: 9+2+6+2+3 = 22. */
	assert_text(&b,
		"Hop  4" "                         " "6\n"
		"     Host" "        " " Loss%  Avg"
		"   Host" "       " " Loss%  Avg\n"
		"  1  192.0.2.1" "   " "  0.0%  0.1"
		"   192.0.2.1" "  " "  0.0%  0.1\n"
		"  2  192.0.2.66" "  " "  0.0%  0.2\n");
	ht_outbuf_free(&b);

	/* The other way round: the first group blank, padded, then the
	 * second's cell. */
	cols[0] = column("6", b1, 1, 1, HT_REASON_REACHED, 1);
	cols[1] = column("4", a, 2, 1, HT_REASON_REACHED, 2);
	ht_outbuf_init(&b);
	ht_compare_table(&b, cols, 2);
	assert_text(&b,
		"Hop  6" "                        " "4\n"
		"     Host" "       " " Loss%  Avg"
		"   Host" "        " " Loss%  Avg\n"
		"  1  192.0.2.1" "  " "  0.0%  0.1"
		"   192.0.2.1" "   " "  0.0%  0.1\n"
		"  2" "  " "                      " "   192.0.2.66" "  "
		"  0.0%  0.2\n");
	ht_outbuf_free(&b);
}

/* A label longer than its group widens the host column; a long hop
 * number widens the first column; control bytes are shown as '?'. */
static void test_table_widths(void **state)
{
	static const struct ht_compare_cell a[] = {
		{ 1000, "a\033b", 1, 0, -1, -1 },
	};
	struct ht_compare_column cols[2];
	struct ht_outbuf b;

	(void)state;
	cols[0] = column("sctp:65535/6", a, 1, 0, HT_REASON_NO_ANSWER, 0);
	cols[1] = column("a-label-longer-than-its-group", a, 1, 0,
			 HT_REASON_NO_ANSWER, 0);
	ht_outbuf_init(&b);
	ht_compare_table(&b, cols, 2);
	/* Group 1: 4+2+6+2+3 = 17 >= 12; group 2: the label's 29, so the
	 * host column is 4 + 12 = 16. */
	assert_text(&b,
		" Hop  sctp:65535/6" "        " "a-label-longer-than-its-group\n"
		"      Host  " " Loss%  Avg"
		"   Host" "              " " Loss%  Avg\n"
		"1000  a?b" "   " "100.0%    -"
		"   a?b" "               " "100.0%    -\n");
	ht_outbuf_free(&b);
}

struct verdict_case {
	const char *what;
	struct ht_compare_column cols[3];
	unsigned n;
	const char *want;
};

static const struct ht_compare_cell silent[] = {
	{ 1, NULL, 3, 0, -1, -1 },
};
static const struct ht_compare_cell to_hop2_unreach[] = {
	{ 1, "192.0.2.1", 3, 3, 100, -1 },
	{ 2, "192.0.2.66", 3, 3, 200, -1 },
};
static const struct ht_compare_cell tos_kept[] = {
	{ 1, "192.0.2.1", 3, 3, 100, 0x00 },
	{ 2, "192.0.2.66", 3, 3, 200, 0x00 },
	{ 3, "192.0.2.130", 3, 3, 300, -1 },
};
static const struct ht_compare_cell tos_rewritten[] = {
	{ 1, "192.0.2.1", 3, 3, 100, 0x00 },
	{ 2, "192.0.2.66", 3, 3, 200, 0x20 },
	{ 3, "192.0.2.130", 3, 3, 300, -1 },
};

#define COL(label, cells, reached, reason, distance) \
	{ label, cells, sizeof(cells) / sizeof(cells[0]), 1, reached, \
	  reason, distance, NULL }

static const struct verdict_case verdict_cases[] = {
	{ "firewall on udp:53",
	  { COL("icmp", icmp_cells, 1, HT_REASON_REACHED, 3),
	    COL("udp:53", udp_cells, 0, HT_REASON_NO_ANSWER, 0),
	    COL("tcp:443", icmp_cells, 1, HT_REASON_REACHED, 3) }, 3,
	  "udp:53: no answer beyond hop 2, icmp reaches the target at hop 3\n" },
	{ "the first is the one stopped",
	  { COL("udp:53", udp_cells, 0, HT_REASON_NO_ANSWER, 0),
	    COL("icmp", icmp_cells, 1, HT_REASON_REACHED, 3) }, 2,
	  "icmp: reaches the target at hop 3, udp:53 no answer beyond hop 2\n" },
	{ "alike",
	  { COL("4", icmp_cells, 1, HT_REASON_REACHED, 3),
	    COL("6", icmp_cells, 1, HT_REASON_REACHED, 3) }, 2,
	  "verdict: every item reaches the target at hop 3\n" },
	{ "another distance",
	  { COL("4", icmp_cells, 1, HT_REASON_REACHED, 3),
	    COL("6", to_hop2_unreach, 1, HT_REASON_REACHED, 2) }, 2,
	  "6: reaches the target at hop 2, 4 reaches the target at hop 3\n" },
	{ "an unreachable",
	  { COL("icmp", icmp_cells, 1, HT_REASON_REACHED, 3),
	    COL("udp:53", to_hop2_unreach, 0, HT_REASON_UNREACHABLE, 0) }, 2,
	  "udp:53: gets an unreachable at hop 2, icmp reaches the target at "
	  "hop 3\n" },
	{ "nothing answers",
	  { COL("icmp", icmp_cells, 1, HT_REASON_REACHED, 3),
	    COL("sctp", silent, 0, HT_REASON_NO_ANSWER, 0) }, 2,
	  "sctp: no answer from any hop, icmp reaches the target at hop 3\n" },
	{ "not traced",
	  { COL("4", icmp_cells, 1, HT_REASON_REACHED, 3),
	    { "6", NULL, 0, 1, 0, HT_REASON_UNRESOLVED, 0,
	      "6: cannot resolve target.example: no address" } }, 2,
	  "6: not traced (6: cannot resolve target.example: no address), 4 "
	  "reaches the target at hop 3\n" },
	{ "a worker lost (--each) after hop 2",
	  { COL("vp1", icmp_cells, 1, HT_REASON_REACHED, 3),
	    COL("vp2", udp_cells, 0, HT_REASON_WORKER_FAILED, 0) }, 2,
	  "vp2: lost its worker after hop 2, vp1 reaches the target at hop "
	  "3\n" },
	{ "a worker lost before any answer",
	  { COL("vp1", icmp_cells, 1, HT_REASON_REACHED, 3),
	    COL("vp2", silent, 0, HT_REASON_WORKER_FAILED, 0) }, 2,
	  "vp2: lost its worker before any hop answered, vp1 reaches the "
	  "target at hop 3\n" },
	{ "cut short",
	  { COL("icmp", icmp_cells, 1, HT_REASON_REACHED, 3),
	    { "udp", udp_cells, 2, 0, 0, HT_REASON_REACHED, 0, NULL } }, 2,
	  "udp: did not finish, icmp reaches the target at hop 3\n" },
	{ "TOS rewritten by one item's hop 2",
	  { COL("icmp", tos_kept, 1, HT_REASON_REACHED, 3),
	    COL("tcp:443", tos_rewritten, 1, HT_REASON_REACHED, 3) }, 2,
	  "tcp:443: TOS 0x00 rewritten to 0x20 at hop 2, icmp TOS 0x00 kept "
	  "up to hop 2\n" },
	{ "TOS: the first item rewritten, the other kept",
	  { COL("udp", tos_rewritten, 1, HT_REASON_REACHED, 3),
	    COL("icmp", tos_kept, 1, HT_REASON_REACHED, 3) }, 2,
	  "icmp: TOS 0x00 kept up to hop 2, udp TOS 0x00 rewritten to 0x20 at "
	  "hop 2\n" },
	{ "TOS alike",
	  { COL("udp", tos_rewritten, 1, HT_REASON_REACHED, 3),
	    COL("tcp", tos_rewritten, 1, HT_REASON_REACHED, 3) }, 2,
	  "verdict: every item reaches the target at hop 3\n" },
	{ "TOS quoted by one item only: nothing to compare",
	  { COL("icmp", icmp_cells, 1, HT_REASON_REACHED, 3),
	    COL("udp", tos_rewritten, 1, HT_REASON_REACHED, 3) }, 2,
	  "verdict: every item reaches the target at hop 3\n" },
	{ "both differ",
	  { COL("icmp", tos_kept, 1, HT_REASON_REACHED, 3),
	    COL("udp:53", tos_rewritten, 0, HT_REASON_NO_ANSWER, 0) }, 2,
	  "udp:53: no answer beyond hop 3, icmp reaches the target at hop 3\n"
	  "udp:53: TOS 0x00 rewritten to 0x20 at hop 2, icmp TOS 0x00 kept "
	  "up to hop 2\n" },
};

static void test_verdicts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(verdict_cases) / sizeof(verdict_cases[0]);
	     i++) {
		const struct verdict_case *c = &verdict_cases[i];
		struct ht_outbuf b;
		const char *got;

		ht_outbuf_init(&b);
		ht_compare_verdict(&b, c->cols, c->n,
				   strncmp(c->what, "a worker", 8) == 0 ?
					   "worker" : "item");
		got = text_of(&b);
		if (strcmp(got, c->want) != 0)
			fail_msg("%s:\n got:  %s want: %s", c->what, got,
				 c->want);
		ht_outbuf_free(&b);
	}
}

static void test_outcome_and_tos(void **state)
{
	struct ht_compare_column c = column("udp", udp_cells, 3, 0,
					    HT_REASON_NO_ANSWER, 0);
	struct ht_compare_outcome o;
	struct ht_compare_tos t;

	(void)state;
	ht_compare_outcome_of(&c, &o);
	assert_int_equal(o.stop, HT_COMPARE_SILENT);
	assert_int_equal(o.hop, 2);
	ht_compare_tos_of(&c, &t);
	assert_int_equal(t.first, -1);
	assert_int_equal(t.rewritten_at, 0);

	c = column("tcp", tos_rewritten, 3, 1, HT_REASON_REACHED, 3);
	ht_compare_outcome_of(&c, &o);
	assert_int_equal(o.stop, HT_COMPARE_REACHED);
	assert_int_equal(o.hop, 3);
	ht_compare_tos_of(&c, &t);
	assert_int_equal(t.first, 0x00);
	assert_int_equal(t.rewritten_at, 2);
	assert_int_equal(t.to, 0x20);
	assert_int_equal(t.last_hop, 2);

	/* A local error midway: as far as it got. */
	c = column("sctp", to_hop2_unreach, 2, 0, HT_REASON_LOCAL_ERROR, 0);
	ht_compare_outcome_of(&c, &o);
	assert_int_equal(o.stop, HT_COMPARE_SILENT);
	assert_int_equal(o.hop, 2);
	/* ... and before any hop. */
	c = column("sctp", NULL, 0, 0, HT_REASON_LOCAL_ERROR, 0);
	ht_compare_outcome_of(&c, &o);
	assert_int_equal(o.stop, HT_COMPARE_NOT_TRACED);
}

/* No columns: nothing written. */
static void test_empty(void **state)
{
	struct ht_outbuf b;

	(void)state;
	ht_outbuf_init(&b);
	ht_compare_table(&b, NULL, 0);
	ht_compare_verdict(&b, NULL, 0, "item");
	assert_int_equal(b.len, 0);
	ht_outbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_blanks),
		cmocka_unit_test(test_table_widths),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_outcome_and_tos),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

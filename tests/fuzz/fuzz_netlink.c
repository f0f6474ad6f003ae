/*
 * fuzz_netlink.c: the rtnetlink readers (linkmsg.h, rtquery.h) over any
 * bytes.  The first byte picks the sequence number the answer parsers
 * look for; the rest is one datagram, as recv() on the worker's
 * rtnetlink sockets gives it.  Besides crashes, it checks what was read:
 * a link with a positive index, a name terminated within IF_NAMESIZE, a
 * link that is gone also down, and an errno only in errno's range.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "linkmsg.h"
#include "rtquery.h"

static void check_news(const struct link_news *n)
{
	if (n->ifindex == 0 || memchr(n->name, '\0', sizeof(n->name)) == NULL ||
	    (n->gone && !n->down))
		abort();
}

static void on_news(void *ctx, const struct link_news *n)
{
	(void)ctx;
	check_news(n);
}

static void check_err(int err)
{
	if (err < 0 || err > 4095)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct link_news news;
	uint8_t *copy, type;
	uint32_t oif;
	int err;

	if (size < 1)
		return 0;
	/* An exact-size heap copy lets AddressSanitizer see any over-read. */
	copy = malloc(size > 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	(void)linkmsg_each(copy, size - 1, on_news, NULL);
	memset(&news, 0, sizeof(news));
	err = linkmsg_parse_answer(copy, size - 1, data[0], &news);
	check_err(err);
	if (err == 0)
		check_news(&news);
	err = rtquery_parse_route(copy, size - 1, data[0], &type, &oif);
	check_err(err);
	free(copy);
	return 0;
}

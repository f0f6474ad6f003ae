/*
 * fuzz_command.c: the request parser and every reply formatter, plus the
 * line framer fed the input in uneven pieces.  Checks that a parsed request
 * respects the ranges the protocol promises, so the fuzzer finds wrong
 * answers as well as crashes.
 */
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "fuzz.h"
#include "lineio.h"

static void check_request(const char *line, size_t len)
{
	struct request req;
	char out[REPLY_MAX_LINE];

	request_parse(line, len, &req);
	if (req.status == REQ_OK && req.command == CMD_SEND_PROBE) {
		const struct probe_request *p = &req.probe;

		if (p->ttl < 1 || p->size > 65535 ||
		    p->timeout > TIMEOUT_MAX_SECONDS ||
		    (p->local_port && p->local_port < 1024) || req.token < 0 ||
		    (p->dst.family != 2 && p->dst.family != 10))
			abort();
	}
	if (req.status != REQ_OK &&
	    reply_format_request_error(&req, out, sizeof(out)) == 0)
		abort();
}

static void on_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	if (len > COMMAND_MAX_LINE)
		abort();
	check_request(line, len);
}

static void on_overflow(void *ctx)
{
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct line_framer *f = malloc(sizeof(*f));
	size_t pos = 0, step = 1;

	if (!f)
		return 0;
	check_request((const char *)data, size);
	line_framer_init(f);
	/* Pieces of 1, 2, 3, ... bytes cover boundaries at every place. */
	while (pos < size) {
		size_t n = size - pos < step ? size - pos : step;

		line_framer_feed(f, (const char *)data + pos, n, on_line,
				 on_overflow, NULL);
		pos += n;
		step = step % 97 + 1;
	}
	line_framer_finish(f, on_line, NULL);
	free(f);
	return 0;
}

/*
 * fuzz_command.c: the request parser and every reply formatter, plus the
 * line framer fed the input in uneven pieces.  Checks that a parsed request
 * respects the ranges the protocol promises, and that a destination read
 * from a request prints and reads back the same way the C library prints
 * and reads it, so the fuzzer finds wrong answers as well as crashes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "fuzz.h"
#include "lineio.h"

/*
 * The address as a reply prints it must be what inet_ntop() prints, and
 * that text must parse back to the same address.
 */
static void check_address(const struct net_addr *a)
{
	struct probe_reply r;
	struct request again;
	char out[REPLY_MAX_LINE], want[INET6_ADDRSTRLEN], line[128];
	size_t n, prefix = strlen("1 reply ip-4 ");
	int len;

	memset(&r, 0, sizeof(r));
	r.token = 1;
	r.type = REPLY_REPLY;
	r.responder = *a;
	n = reply_format_probe(&r, REPLY_NAMES_096, out, sizeof(out));
	if (!inet_ntop(a->family, a->bytes, want, sizeof(want)) ||
	    n != prefix + strlen(want) + 1 ||
	    memcmp(out + prefix, want, strlen(want)) != 0)
		abort();
	len = snprintf(line, sizeof(line), "1 send-probe ip-%c %s",
		       a->family == AF_INET ? '4' : '6', want);
	request_parse(line, (size_t)len, &again);
	if (again.status != REQ_OK ||
	    memcmp(&again.probe.dst, a, sizeof(*a)) != 0)
		abort();
}

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
		check_address(&p->dst);
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

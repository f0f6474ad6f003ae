/*
 * parse_bench.c: the cost of the protocol module (probe/command.c) per
 * line, for callgrind.  It parses a number of typical request lines and
 * formats as many typical replies, and prints a checksum of the results
 * so that the compiler cannot drop the work.  It measures nothing itself:
 *
 *   valgrind --tool=callgrind --callgrind-out-file=cg.out \
 *       tests/bench/parse_bench 100000 [first]
 *   callgrind_annotate --inclusive=yes cg.out | grep -E 'request_parse|reply_format'
 *
 * gives instructions per call as the inclusive count divided by the
 * number of lines.  With "first", every request has the shape of the
 * first template, the commonest line.  Not installed and not run by
 * `make check`.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

/*
 * What mtr and hoptrace send for a trace: every probe names its
 * destination, protocol and TTL, most a timeout and a size; a few carry a
 * port, a source or an IPv6 destination.
 */
static const struct {
	const char *head;	/* before the TTL */
	const char *tail;	/* after it */
} request_templates[] = {
	{ "ip-4 203.0.113.9 protocol icmp", " timeout 10 size 64" },
	{ "ip-4 198.51.100.77 protocol udp port 33434", " timeout 3" },
	{ "ip-4 192.0.2.1", "" },
	{ "ip-6 2001:db8::9 protocol icmp", " timeout 10 size 64" },
	{ "ip-4 203.0.113.200 protocol tcp port 443",
	  " size 60 timeout 10 bit-pattern 0" },
	{ "ip-6 2001:db8:4:12::1 protocol udp port 33434 "
	  "local-ip-6 2001:db8:4::2", "" },
	{ "ip-4 192.0.2.33 protocol icmp", " tos 0 timeout 5" },
	{ "ip-4 198.51.100.1 protocol icmp", " timeout 10 size 64 mark 17" },
};

#define N_TEMPLATES (sizeof(request_templates) / sizeof(request_templates[0]))
#define N_LINES 64

struct bench_line {
	char text[160];
	size_t len;
};

/* All the templates, or (with only_first) the first one. */
static void make_lines(struct bench_line *lines, bool only_first)
{
	unsigned i;

	for (i = 0; i < N_LINES; i++) {
		unsigned k = only_first ? 0 : i % N_TEMPLATES;
		int n = snprintf(lines[i].text, sizeof(lines[i].text),
				 "%u send-probe %s ttl %u%s", 10000u + i * 7919u,
				 request_templates[k].head, 1 + i % 30,
				 request_templates[k].tail);

		if (n < 0 || (size_t)n >= sizeof(lines[i].text))
			abort();
		lines[i].len = (size_t)n;
	}
}

static unsigned long parse_all(const struct bench_line *lines,
			       unsigned long count)
{
	unsigned long sum = 0, i;

	for (i = 0; i < count; i++) {
		const struct bench_line *l = &lines[i % N_LINES];
		struct request req;

		request_parse(l->text, l->len, &req);
		if (req.status != REQ_OK)
			abort();
		sum += (unsigned long)req.token + req.probe.ttl +
		       req.probe.dst.bytes[3];
	}
	return sum;
}

static unsigned long format_all(unsigned long count)
{
	static const uint8_t v6[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0x04, 0, 0x12, 0, 0, 0, 0, 0, 0, 0,
		0x01,
	};
	static const enum reply_type types[4] = {
		REPLY_TTL_EXPIRED, REPLY_TTL_EXPIRED, REPLY_TTL_EXPIRED,
		REPLY_REPLY,
	};
	char buf[REPLY_MAX_LINE];
	unsigned long sum = 0, i;

	for (i = 0; i < count; i++) {
		struct probe_reply r;

		memset(&r, 0, sizeof(r));
		r.token = (int32_t)(10000 + i % 5000);
		r.type = types[i % 4];
		r.has_rtt = true;
		r.rtt_us = 100 + (i * 37) % 90000;
		/* One reply in eight from an IPv6 hop, as in the requests. */
		if (i % 8 == 3) {
			r.responder.family = AF_INET6;
			memcpy(r.responder.bytes, v6, 16);
		} else {
			r.responder.family = AF_INET;
			r.responder.bytes[0] = 198;
			r.responder.bytes[1] = 51;
			r.responder.bytes[2] = 100;
			r.responder.bytes[3] = (uint8_t)(1 + i % 250);
		}
		sum += reply_format_probe(&r, REPLY_NAMES_096, buf,
					  sizeof(buf));
	}
	return sum;
}

int main(int argc, char **argv)
{
	struct bench_line lines[N_LINES];
	unsigned long count = 100000;

	bool only_first = false;

	if (argc > 3 || (argc == 3 && strcmp(argv[2], "first") != 0)) {
		fprintf(stderr, "usage: parse_bench [COUNT [first]]\n");
		return 2;
	}
	only_first = argc == 3;
	if (argc >= 2) {
		char *end;

		count = strtoul(argv[1], &end, 10);
		if (*argv[1] < '0' || *argv[1] > '9' || *end || count == 0 ||
		    count > 100000000) {
			fprintf(stderr, "parse_bench: COUNT is 1..100000000\n");
			return 2;
		}
	}
	make_lines(lines, only_first);
	printf("parsed %lu lines, sum %lu\n", count, parse_all(lines, count));
	printf("formatted %lu replies, sum %lu\n", count, format_all(count));
	return 0;
}

/*
 * fuzz_reply.c: the client library's reply-line parser (src/wire.c), the
 * one place where hoptrace reads what a worker wrote.  Checks that a line
 * taken as well-formed respects what the library relies on afterwards:
 * the token range, a known kind, at most HP_MAX_MPLS labels with fields in
 * range, a support value inside the line.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hp_wire_reply r;
	const char *line = (const char *)data;
	unsigned i;

	if (hp_wire_parse_reply(line, size, &r) < 0)
		return 0;
	if (r.token > HP_WIRE_TOKEN_MAX || (int)r.kind < 0 ||
	    r.kind >= HP_WIRE_KIND_END)
		abort();
	if (r.result.mpls_count > HP_MAX_MPLS)
		abort();
	for (i = 0; i < r.result.mpls_count; i++)
		if (r.result.mpls[i].label > 0xfffff ||
		    r.result.mpls[i].tc > 7 || r.result.mpls[i].bos > 1)
			abort();
	if (r.result.responder.family != 0 &&
	    r.result.responder.family != AF_INET &&
	    r.result.responder.family != AF_INET6)
		abort();
	if (r.support && (r.support < line ||
			  r.support + r.support_len > line + size))
		abort();
	return 0;
}

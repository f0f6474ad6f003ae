/*
 * renderer_for.c: see renderer_for.h.
 */
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "renderer_for.h"

/* The collector's wall clock, for JSONL's collector_wall_clock. */
static int64_t wall_clock_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

struct ht_renderer *ht_renderer_for(const struct ht_config *cfg,
				    unsigned target_count)
{
	return ht_renderer_for_format(cfg, target_count, cfg->format);
}

struct ht_renderer *ht_renderer_for_format(const struct ht_config *cfg,
					   unsigned target_count,
					   enum ht_format format)
{
	struct ht_render_config rc;
	char hostname[256];

	memset(&rc, 0, sizeof(rc));
	rc.numeric = cfg->numeric;
	rc.show_ips = cfg->show_ips;
	rc.show_mpls = cfg->mpls;
	rc.show_asn = cfg->asn;
	rc.show_ns = cfg->rtt_ns;
	rc.show_pmtu = cfg->pmtu;
	rc.target_count = target_count;
	rc.wall_clock = wall_clock_us;
	if (gethostname(hostname, sizeof(hostname)) == 0) {
		hostname[sizeof(hostname) - 1] = '\0';
		rc.hostname = hostname;
	}
	/* The renderer copies the host name. */
	return ht_renderer_new(format, &rc);
}

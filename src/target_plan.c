/*
 * target_plan.c: prefixes expanded, then the shard kept (target_plan.h).
 */
#include "target_plan.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "shard.h"

/* Every target with its prefixes expanded, into a new array *OUT. */
static int plan_expand(struct ht_config *cfg, struct ht_target **out,
		       unsigned *out_count, char *err, size_t errlen)
{
	struct ht_target *all;
	unsigned total = 0, i, j, k = 0;
	struct ht_prefix p;

	for (i = 0; i < cfg->target_count; i++) {
		unsigned n = 1;

		if (ht_prefix_parse(cfg->targets[i].host, &p, err, errlen) < 0)
			return -1;
		if (strchr(cfg->targets[i].host, '/'))
			n = p.count;
		if (total > HT_PLAN_MAX_TARGETS - n) {
			snprintf(err, errlen, "more than %u targets once the "
				 "prefixes are expanded", HT_PLAN_MAX_TARGETS);
			return -1;
		}
		if (cfg->family && strchr(cfg->targets[i].host, '/') &&
		    p.family != cfg->family) {
			snprintf(err, errlen, "target '%s' is an IPv%c prefix, "
				 "but %s was given", cfg->targets[i].host,
				 p.family == AF_INET ? '4' : '6',
				 cfg->family == AF_INET ? "-4/--ipv4" :
				 "-6/--ipv6");
			return -1;
		}
		total += n;
	}
	all = calloc(total ? total : 1, sizeof(*all));
	if (!all) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < cfg->target_count; i++) {
		const struct ht_target *t = &cfg->targets[i];

		if (!strchr(t->host, '/')) {
			all[k++] = *t;
			continue;
		}
		(void)ht_prefix_parse(t->host, &p, NULL, 0);
		for (j = 0; j < p.count; j++) {
			char text[INET6_ADDRSTRLEN];

			ht_prefix_address(&p, j, text, sizeof(text));
			all[k].host = ht_config_strdup(cfg, text);
			all[k].port = t->port;
			if (!all[k].host) {
				free(all);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			k++;
		}
	}
	*out = all;
	*out_count = k;
	return 0;
}

/* Keep only this shard's slice of ALL, in the seed's order. */
static int plan_shard(const struct ht_config *cfg, unsigned index,
		      struct ht_target **all, unsigned *count, char *err,
		      size_t errlen)
{
	const char **texts = calloc(*count ? *count : 1, sizeof(*texts));
	unsigned *order = calloc(*count ? *count : 1, sizeof(*order));
	struct ht_target *kept = NULL;
	unsigned i, from, to;

	if (texts && order) {
		for (i = 0; i < *count; i++)
			texts[i] = (*all)[i].host;
		if (ht_shard_order(texts, *count, cfg->seed, order) == 0) {
			ht_shard_slice(*count, index, cfg->shard_count, &from,
				       &to);
			kept = calloc(to > from ? to - from : 1,
				      sizeof(*kept));
		}
	}
	if (!kept) {
		free(texts);
		free(order);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = from; i < to; i++)
		kept[i - from] = (*all)[order[i]];
	free(texts);
	free(order);
	free(*all);
	*all = kept;
	*count = to - from;
	return 0;
}

int ht_target_plan(struct ht_config *cfg, const char *shard_env, char *err,
		   size_t errlen)
{
	struct ht_target *all;
	unsigned count;

	if (cfg->shard_count && cfg->shard_from &&
	    ht_shard_index_parse(cfg->shard_from, shard_env, cfg->shard_count,
				 &cfg->shard_index, err, errlen) < 0)
		return -1;
	if (plan_expand(cfg, &all, &count, err, errlen) < 0)
		return -1;
	if (cfg->shard_count &&
	    plan_shard(cfg, cfg->shard_index, &all, &count, err, errlen) < 0) {
		free(all);
		return -1;
	}
	ht_config_set_targets(cfg, all, count);
	return 0;
}

void ht_target_text(const struct ht_target *t, char *buf, size_t len)
{
	if (t->port && strchr(t->host, ':'))
		snprintf(buf, len, "[%s]:%d", t->host, t->port);
	else if (t->port)
		snprintf(buf, len, "%s:%d", t->host, t->port);
	else
		snprintf(buf, len, "%s", t->host);
}

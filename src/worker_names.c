/*
 * worker_names.c: naming hoptrace's workers (see worker_names.h).
 */
#include "worker_names.h"

#include <stdio.h>
#include <string.h>

#define MAX_WORDS 64
#define WORD_MAX 256

static int name_char(char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return !first && (c == '.' || c == '_' || c == '-');
}

int ht_worker_arg_split(const char *arg, char *name, size_t namelen,
			const char **command, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	size_t n, i;

	name[0] = '\0';
	*command = arg;
	if (!eq)
		return 0;
	n = (size_t)(eq - arg);
	if (n == 0) {
		snprintf(err, errlen, "option --worker: '%s': no name before "
			 "'=' (write NAME=COMMAND, or the command alone)", arg);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!name_char(arg[i], i == 0))
			return 0;
	if (n >= HT_WORKER_NAME_MAX || n >= namelen) {
		snprintf(err, errlen, "option --worker: the name '%.*s' is "
			 "longer than %d bytes", (int)n, arg,
			 HT_WORKER_NAME_MAX - 1);
		return -1;
	}
	if (eq[1 + strspn(eq + 1, " \t\r\n\v\f")] == '\0') {
		snprintf(err, errlen, "option --worker: '%s': no command "
			 "after the name", arg);
		return -1;
	}
	memcpy(name, arg, n);
	name[n] = '\0';
	*command = eq + 1;
	return 1;
}

/* COMMAND cut at white space into WORDS (quotes are not undone: a name
 * is only a label). */
static unsigned split_words(const char *command, char words[][WORD_MAX])
{
	unsigned n = 0;
	const char *p = command;

	while (*p && n < MAX_WORDS) {
		size_t len;

		p += strspn(p, " \t\r\n\v\f");
		len = strcspn(p, " \t\r\n\v\f");
		if (len == 0)
			break;
		if (len >= WORD_MAX)
			len = WORD_MAX - 1;
		memcpy(words[n], p, len);
		words[n][len] = '\0';
		n++;
		p += strcspn(p, " \t\r\n\v\f");
	}
	return n;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int is_program(const char *word, const char *program)
{
	return strcmp(base_name(word), program) == 0;
}

/* ssh's options that take an argument (ssh(1)). */
static int ssh_option_has_argument(char option)
{
	return option && strchr("BbcDEeFIiJLlmOopQRSWw", option) != NULL;
}

/* ssh's destination: [user@]host, [user@]host:port in brackets or not,
 * or ssh://[user@]host[:port]. */
static void ssh_host(const char *dest, char *out, size_t len)
{
	const char *at, *start = dest;
	size_t n;

	if (strncmp(start, "ssh://", 6) == 0)
		start += 6;
	at = strrchr(start, '@');
	if (at)
		start = at + 1;
	if (*start == '[') {
		start++;
		n = strcspn(start, "]");
	} else if (dest != start && strncmp(dest, "ssh://", 6) == 0) {
		n = strcspn(start, ":/");
	} else {
		n = strlen(start);
	}
	snprintf(out, len, "%.*s", (int)n, start);
}

static int name_from_ssh(char words[][WORD_MAX], unsigned n, unsigned i,
			 char *out, size_t len)
{
	for (i++; i < n; i++) {
		const char *w = words[i];

		if (strcmp(w, "--") == 0)
			continue;
		if (w[0] == '-') {
			/* "-p 22", "-p22", "-Tp 22": the last letter of a
			 * group may take the next word. */
			size_t k = strlen(w);

			if (k == 2 && ssh_option_has_argument(w[1]))
				i++;
			else if (k > 2 && ssh_option_has_argument(w[k - 1]) &&
				 !ssh_option_has_argument(w[1]))
				i++;
			continue;
		}
		ssh_host(w, out, len);
		return out[0] != '\0';
	}
	return 0;
}

static int name_from_ip(char words[][WORD_MAX], unsigned n, unsigned i,
			char *out, size_t len)
{
	for (i++; i + 1 < n; i++) {
		if ((strcmp(words[i], "-n") == 0 ||
		     strcmp(words[i], "-netns") == 0)) {
			snprintf(out, len, "%s", words[i + 1]);
			return 1;
		}
		if (strcmp(words[i], "netns") == 0 && i + 2 < n &&
		    strcmp(words[i + 1], "exec") == 0) {
			snprintf(out, len, "%s", words[i + 2]);
			return 1;
		}
	}
	return 0;
}

/* kubectl exec's options that take an argument as the next word. */
static int kubectl_option_has_argument(const char *w)
{
	static const char *const with_arg[] = { "-n", "--namespace", "-c",
		"--container", "--context", "--kubeconfig", "-f",
		"--filename", "--pod-running-timeout", NULL };
	unsigned k;

	for (k = 0; with_arg[k]; k++)
		if (strcmp(w, with_arg[k]) == 0)
			return 1;
	return 0;
}

static int name_from_kubectl(char words[][WORD_MAX], unsigned n, unsigned i,
			     char *out, size_t len)
{
	int seen_exec = 0;

	for (i++; i < n; i++) {
		const char *w = words[i];

		if (strcmp(w, "--") == 0)
			return 0;
		if (w[0] == '-') {
			if (kubectl_option_has_argument(w))
				i++;
			continue;
		}
		if (!seen_exec) {
			if (strcmp(w, "exec") != 0)
				return 0;
			seen_exec = 1;
			continue;
		}
		if (strncmp(w, "pod/", 4) == 0)
			w += 4;
		snprintf(out, len, "%s", w);
		return out[0] != '\0';
	}
	return 0;
}

static int name_from_socat(char words[][WORD_MAX], unsigned n, unsigned i,
			   char *out, size_t len)
{
	for (i++; i < n; i++) {
		const char *w = words[i], *path, *base;
		size_t k;

		if (strncmp(w, "UNIX-CONNECT:", 13) != 0 &&
		    strncmp(w, "UNIX-CLIENT:", 12) != 0)
			continue;
		path = strchr(w, ':') + 1;
		k = strcspn(path, ",");
		base = path;
		for (size_t j = 0; j < k; j++)
			if (path[j] == '/')
				base = path + j + 1;
		k -= (size_t)(base - path);
		if (k > 5 && strncmp(base + k - 5, ".sock", 5) == 0)
			k -= 5;
		if (k == 0)
			return 0;
		snprintf(out, len, "%.*s", (int)k, base);
		return 1;
	}
	return 0;
}

int ht_worker_default_name(const char *command, const char *local,
			   char *out, size_t len)
{
	char words[MAX_WORDS][WORD_MAX];	/* 16 KiB on the stack */
	char found[HT_WORKER_NAME_MAX] = "";
	unsigned n = split_words(command, words), i;
	int got = 0;

	for (i = 0; i < n && !got; i++) {
		if (is_program(words[i], "ssh"))
			got = name_from_ssh(words, n, i, found, sizeof(found));
		else if (is_program(words[i], "ip"))
			got = name_from_ip(words, n, i, found, sizeof(found));
		else if (is_program(words[i], "kubectl"))
			got = name_from_kubectl(words, n, i, found,
						sizeof(found));
		else if (is_program(words[i], "socat"))
			got = name_from_socat(words, n, i, found,
					      sizeof(found));
	}
	snprintf(out, len, "%s", got ? found : local);
	return got;
}

int ht_worker_names_unique(char **names, const int *given, unsigned n,
			   char *err, size_t errlen)
{
	unsigned i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (given[i] && given[j] &&
			    strcmp(names[i], names[j]) == 0) {
				snprintf(err, errlen, "option --worker: two "
					 "workers are named '%s'", names[i]);
				return -1;
			}
	for (i = 0; i < n; i++) {
		char base[HT_WORKER_NAME_MAX];
		unsigned suffix = 1;
		int taken;

		if (given[i])
			continue;
		snprintf(base, sizeof(base), "%.*s", HT_WORKER_NAME_MAX - 1,
			 names[i]);
		do {
			taken = 0;
			for (j = 0; j < n && !taken; j++)
				taken = j != i && strcmp(names[j],
							 names[i]) == 0 &&
					(given[j] || j < i);
			if (taken)
				snprintf(names[i], HT_WORKER_NAME_MAX + 8,
					 "%s#%u", base, ++suffix);
		} while (taken && suffix < 100000);
	}
	return 0;
}

/*
 * worker_names.h: the names of hoptrace's workers (pure).
 *
 * Every event that belongs to a worker names it, so names are short and
 * unique in a run.  `--worker NAME=CMD` gives one; a bare `--worker CMD`
 * is named after the host CMD reaches, as far as the command says it:
 *   ssh [options] [user@]HOST ...          HOST
 *   ip netns exec NS ... / ip -n NS ...    NS
 *   kubectl exec [options] POD ...         POD (without "pod/")
 *   socat ... UNIX-CONNECT:DIR/NAME.sock   NAME
 * and anything else after this host (the local host name).
 */
#ifndef HOPTRACE_WORKER_NAMES_H
#define HOPTRACE_WORKER_NAMES_H

#include <stddef.h>

/* Longest name, with its NUL. */
#define HT_WORKER_NAME_MAX 64

/*
 * Split --worker's argument.  When the text before the first '=' is a
 * name (a letter or digit, then letters, digits, '.', '_' or '-'; at most
 * 63 bytes), NAME gets it and *COMMAND points past the '=': returns 1.
 * Otherwise the whole argument is the command (a shell word such as
 * "FOO=1 hopprobe" holds a space before its '=' and stays a command):
 * returns 0 with NAME empty.  Returns -1 and says why in ERR for "=CMD"
 * and for "NAME=" with nothing after it.
 */
int ht_worker_arg_split(const char *arg, char *name, size_t namelen,
			const char **command, char *err, size_t errlen);

/*
 * The name of a bare COMMAND (see the top); LOCAL names this host.
 * Returns 1 when COMMAND reaches another host (or namespace, or pod) by
 * those words, 0 when the name is LOCAL's.
 */
int ht_worker_default_name(const char *command, const char *local,
			   char *out, size_t len);

/*
 * Make N names unique, in order: a derived name (GIVEN[i] 0) that is
 * already taken gets "#2", "#3", ... appended (those characters are not
 * in a given name); two given names alike are an error: -1 and ERR.
 * Each NAMES[i] has room for HT_WORKER_NAME_MAX + 8 bytes.
 */
int ht_worker_names_unique(char **names, const int *given, unsigned n,
			   char *err, size_t errlen);

#endif

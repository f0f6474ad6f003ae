/*
 * selfcheck.c: see selfcheck.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/capability.h>
#include <unistd.h>

#include "selfcheck.h"

/* 1 when any capability is in the permitted set. */
static int holds_capabilities(void)
{
	cap_t caps = cap_get_proc();
	cap_value_t c;
	int any = 0;

	if (!caps)
		return 0;
	for (c = 0; c <= CAP_LAST_CAP && !any; c++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(caps, c, CAP_PERMITTED, &v) == 0 &&
		    v == CAP_SET)
			any = 1;
	}
	cap_free(caps);
	return any;
}

int ht_privilege_refusal(char *msg, size_t len)
{
	const char *fix = "hoptrace needs no privilege: remove it "
			  "(chmod u-s,g-s; setcap -r) and give it to the "
			  "worker, hopprobe, instead";

	if (getuid() != geteuid() || getgid() != getegid()) {
		snprintf(msg, len, "refusing to run setuid or setgid; %s", fix);
		return 1;
	}
	if (getauxval(AT_SECURE)) {
		snprintf(msg, len, "refusing to run with privilege gained at "
			 "exec (file capabilities); %s", fix);
		return 1;
	}
	if (getuid() != 0 && holds_capabilities()) {
		snprintf(msg, len, "refusing to run with capabilities as a "
			 "user other than root; %s", fix);
		return 1;
	}
	return 0;
}

static int executable(const char *path)
{
	return access(path, X_OK) == 0;
}

int ht_default_worker(const char *installed, char *buf, size_t len,
		      int *use_shell)
{
	char self[PATH_MAX], *slash;
	const char *env = secure_getenv("HOPTRACE_WORKER");
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		*use_shell = 1;
		return 0;
	}
	*use_shell = 0;
	if (installed && executable(installed)) {
		snprintf(buf, len, "%s", installed);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if ((size_t)snprintf(buf, len, "%s/../probe/hopprobe",
					     self) < len && executable(buf))
				return 0;
			if ((size_t)snprintf(buf, len, "%s/hopprobe", self) <
				    len && executable(buf))
				return 0;
		}
	}
	snprintf(buf, len, "no worker found: %s is not installed and no "
		 "hopprobe is beside hoptrace; give one with --worker CMD "
		 "(see hoptrace(1))", installed ? installed : "hopprobe");
	return -1;
}

/*
 * kernel_release.c: reading "MAJOR.MINOR[.anything]" release strings.
 */
#include "kernel_release.h"

#include <stddef.h>

/* A decimal number at *p, advancing p; -1 if there is none. */
static long read_number(const char **p)
{
	long n = 0;
	int digits = 0;

	while (**p >= '0' && **p <= '9' && digits < 6) {
		n = n * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	return digits ? n : -1;
}

bool kernel_release_at_least(const char *release, int major, int minor)
{
	const char *p = release;
	long have_major, have_minor;

	if (!p)
		return false;
	have_major = read_number(&p);
	if (have_major < 0 || *p != '.')
		return false;
	p++;
	have_minor = read_number(&p);
	if (have_minor < 0)
		return false;
	return have_major > major ||
	       (have_major == major && have_minor >= minor);
}

bool kernel_mark_needs_net_admin(const char *release)
{
	return !kernel_release_at_least(release, 5, 17);
}

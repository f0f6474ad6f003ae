/*
 * err_text.c: see err_text.h.
 */
#include "err_text.h"

#include <stdarg.h>
#include <stdio.h>

void ht_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

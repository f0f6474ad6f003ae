/*
 * err_text.h: the one way hoptrace's parsers say what is wrong.
 *
 * A parser that fails writes one sentence into the caller's buffer, and
 * the caller decides where it goes (stderr, a test's assertion).
 */
#ifndef HOPTRACE_ERR_TEXT_H
#define HOPTRACE_ERR_TEXT_H

#include <stddef.h>

/* printf FMT into ERR (ERRLEN bytes, cut short if need be); nothing when
 * ERR is NULL or ERRLEN is 0. */
void ht_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif

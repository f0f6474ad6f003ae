/*
 * Unit tests for passwd_scan: lines as Debian's, Fedora's and Alpine's
 * /etc/passwd have them, and the forms glibc's files service skips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "passwd_scan.h"

static const char debian[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
	"systemd-network:x:998:998:systemd Network Management:/:"
	"/usr/sbin/nologin\n";

static bool scan(const char *text, const char *name, struct passwd_ids *ids)
{
	ids->uid = ids->gid = 12345;
	return passwd_scan(text, strlen(text), name, ids);
}

static void finds_users(void **state)
{
	struct passwd_ids ids;

	(void)state;
	assert_true(scan(debian, "nobody", &ids));
	assert_int_equal(ids.uid, 65534);
	assert_int_equal(ids.gid, 65534);
	assert_true(scan(debian, "daemon", &ids));
	assert_int_equal(ids.uid, 1);
	assert_int_equal(ids.gid, 1);
	assert_true(scan(debian, "root", &ids));
	assert_int_equal(ids.uid, 0);
	/* the last line, with a space in its gecos field */
	assert_true(scan(debian, "systemd-network", &ids));
	assert_int_equal(ids.uid, 998);
	/* Fedora's nobody; uid and gid differ */
	assert_true(scan("nobody:x:65534:65533:Kernel Overflow User:/:"
			 "/sbin/nologin", "nobody", &ids));
	assert_int_equal(ids.uid, 65534);
	assert_int_equal(ids.gid, 65533);
	/* empty gecos, home and shell are fields all the same */
	assert_true(scan("_traceroute:*:502:502:::", "_traceroute", &ids));
	assert_int_equal(ids.uid, 502);
}

static void names_match_exactly(void **state)
{
	struct passwd_ids ids;

	(void)state;
	assert_false(scan(debian, "nobod", &ids));
	assert_false(scan(debian, "nobodyx", &ids));
	assert_false(scan(debian, "Nobody", &ids));
	assert_false(scan(debian, "x", &ids));
	assert_false(scan(debian, "65534", &ids));
	assert_false(scan(debian, "", &ids));
	assert_false(scan(debian, "nobody:x", &ids));
	assert_false(scan(debian, "nobody\n", &ids));
	/* nothing was written on a miss */
	assert_int_equal(ids.uid, 12345);
	assert_int_equal(ids.gid, 12345);
}

static void first_good_line_wins(void **state)
{
	struct passwd_ids ids;

	(void)state;
	assert_true(scan("nobody:x:100:100:a:/:/bin/sh\n"
			 "nobody:x:200:200:b:/:/bin/sh\n", "nobody", &ids));
	assert_int_equal(ids.uid, 100);
	/* a broken line is skipped, not taken and not the end */
	assert_true(scan("nobody:x:1x0:100:a:/:/bin/sh\n"
			 "nobody:x:200:201:b:/:/bin/sh\n", "nobody", &ids));
	assert_int_equal(ids.uid, 200);
	assert_int_equal(ids.gid, 201);
}

static void malformed_lines_are_skipped(void **state)
{
	static const char *const bad[] = {
		"nobody",
		"nobody:x",
		"nobody:x:65534",
		"nobody:x:65534:",
		"nobody:x:65534:65534",		/* gid not ended by ':' */
		"nobody:x::65534:n:/:/bin/sh",
		"nobody:x:65534::n:/:/bin/sh",
		"nobody:x:-1:65534:n:/:/bin/sh",
		"nobody:x:+5:65534:n:/:/bin/sh",
		"nobody:x: 5:65534:n:/:/bin/sh",
		"nobody:x:5 :65534:n:/:/bin/sh",
		"nobody:x:0x10:65534:n:/:/bin/sh",
		/* (uid_t)-1 means "no user"; 2^32 does not fit */
		"nobody:x:4294967295:1:n:/:/bin/sh",
		"nobody:x:4294967296:1:n:/:/bin/sh",
		"nobody:x:99999999999:1:n:/:/bin/sh",
		"nobody:x:1:4294967295:n:/:/bin/sh",
		/* NIS compatibility entries are not users */
		"+nobody:x:65534:65534:n:/:/bin/sh",
		"-nobody:x:65534:65534:n:/:/bin/sh",
		" nobody:x:65534:65534:n:/:/bin/sh",
	};
	struct passwd_ids ids;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (scan(bad[i], "nobody", &ids))
			fail_msg("took \"%s\"", bad[i]);
	assert_false(scan("+nobody:x:65534:65534:n:/:/bin/sh\n", "+nobody",
			  &ids));
	/* the largest id that is one */
	assert_true(scan("nobody:x:4294967294:0:n:/:/bin/sh", "nobody", &ids));
	assert_int_equal(ids.uid, 4294967294u);
}

static void text_is_bounded_by_len(void **state)
{
	/* a line running past len is cut there; NUL bytes are bytes */
	static const char text[] = "nobody:x:65534:65534:n:/:/bin/sh\n";
	static const char nul[] = "a\0b:x:1:1:::\nnobody:x:7:8:::\n";
	struct passwd_ids ids;

	(void)state;
	assert_false(passwd_scan(text, 14, "nobody", &ids));
	assert_false(passwd_scan(text, 20, "nobody", &ids));
	assert_true(passwd_scan(text, 21, "nobody", &ids));
	assert_int_equal(ids.gid, 65534);
	assert_false(passwd_scan(text, 0, "nobody", &ids));
	assert_true(passwd_scan(nul, sizeof(nul) - 1, "nobody", &ids));
	assert_int_equal(ids.uid, 7);
	assert_int_equal(ids.gid, 8);
	/* CRLF files: the CR sits in the shell field and harms nothing */
	assert_true(scan("nobody:x:9:9:n:/:/bin/sh\r\n", "nobody", &ids));
	assert_int_equal(ids.uid, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_users),
		cmocka_unit_test(names_match_exactly),
		cmocka_unit_test(first_good_line_wins),
		cmocka_unit_test(malformed_lines_are_skipped),
		cmocka_unit_test(text_is_bounded_by_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

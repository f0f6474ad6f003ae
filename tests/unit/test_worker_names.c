/*
 * Unit tests for src/worker_names.c: --worker's NAME=CMD split, the
 * names of bare commands, and unique names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "worker_names.h"

static void split_ok(const char *arg, int want_rc, const char *want_name,
		     const char *want_command)
{
	char name[HT_WORKER_NAME_MAX], err[256] = "";
	const char *command = NULL;

	assert_int_equal(ht_worker_arg_split(arg, name, sizeof(name), &command,
					     err, sizeof(err)), want_rc);
	assert_string_equal(name, want_name);
	assert_string_equal(command, want_command);
}

static void split_fails(const char *arg, const char *want_in_err)
{
	char name[HT_WORKER_NAME_MAX], err[256] = "";
	const char *command = NULL;

	assert_int_equal(ht_worker_arg_split(arg, name, sizeof(name), &command,
					     err, sizeof(err)), -1);
	assert_non_null(strstr(err, want_in_err));
}

static void test_split(void **state)
{
	(void)state;
	split_ok("vp1=ssh -T vp1.example.net hopprobe", 1, "vp1",
		 "ssh -T vp1.example.net hopprobe");
	split_ok("lab.east-2_a=hopprobe", 1, "lab.east-2_a", "hopprobe");
	/* "=" inside the command, after a space: all of it is the command */
	split_ok("env FOO=1 hopprobe", 0, "", "env FOO=1 hopprobe");
	split_ok("FOO=1 hopprobe", 1, "FOO", "1 hopprobe");
	split_ok("hopprobe", 0, "", "hopprobe");
	/* a name starts with a letter or digit */
	split_ok("-x=1 hopprobe", 0, "", "-x=1 hopprobe");
	split_ok("a/b=c", 0, "", "a/b=c");
	split_ok("x==y", 1, "x", "=y");
	split_fails("=hopprobe", "no name before '='");
	split_fails("vp1=", "no command after the name");
	split_fails("vp1=   ", "no command after the name");
	split_fails("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=x",
		    "longer than 63 bytes");
	split_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=x",
		 1, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		 "x");
}

static void name_is(const char *command, const char *want)
{
	char out[HT_WORKER_NAME_MAX];
	int remote = strcmp(want, "here.example.net") != 0;

	assert_int_equal(ht_worker_default_name(command, "here.example.net",
						out, sizeof(out)), remote);
	assert_string_equal(out, want);
}

static void test_default_names(void **state)
{
	(void)state;
	name_is("ssh -T vp1.example.net hopprobe", "vp1.example.net");
	name_is("ssh -T -i /k/id -p 2222 probe@vp2.example.net", "vp2.example.net");
	name_is("ssh -Tp 2222 vp3 hopprobe", "vp3");
	name_is("ssh -p2222 vp4", "vp4");
	name_is("exec /usr/bin/ssh -o BatchMode=yes -F cfg root@198.51.100.7 x",
		"198.51.100.7");
	name_is("ssh ssh://ops@[2001:db8::7]:22 hopprobe", "2001:db8::7");
	name_is("ssh ssh://ops@vp5.example.net:2200", "vp5.example.net");
	name_is("ip netns exec vp6 /usr/sbin/hopprobe", "vp6");
	name_is("sudo ip -n vp7 hopprobe", "vp7");
	name_is("kubectl exec -i -n probes hopprobe-x2k9 -- hopprobe",
		"hopprobe-x2k9");
	name_is("kubectl --context east exec -i pod/probe-1 -- hopprobe",
		"probe-1");
	name_is("kubectl get pods", "here.example.net");
	name_is("socat - UNIX-CONNECT:/run/hoptrace/vp8.sock", "vp8");
	name_is("socat - UNIX-CONNECT:/run/hoptrace/vp9,retry=3", "vp9");
	name_is("/usr/sbin/hopprobe", "here.example.net");
	name_is("", "here.example.net");
	/* ssh with nothing after its options: no host in it */
	name_is("ssh -p 22", "here.example.net");
}

static void test_unique(void **state)
{
	char a[HT_WORKER_NAME_MAX + 8] = "here", b[HT_WORKER_NAME_MAX + 8] = "here",
	     c[HT_WORKER_NAME_MAX + 8] = "vp1", d[HT_WORKER_NAME_MAX + 8] = "here";
	char *names[] = { a, b, c, d };
	int given[] = { 0, 0, 1, 0 };
	char err[256] = "";

	(void)state;
	assert_int_equal(ht_worker_names_unique(names, given, 4, err,
						sizeof(err)), 0);
	assert_string_equal(a, "here");
	assert_string_equal(b, "here#2");
	assert_string_equal(c, "vp1");
	assert_string_equal(d, "here#3");
}

static void test_unique_given_wins(void **state)
{
	/* A derived name taken by a given one later in the list moves. */
	char a[HT_WORKER_NAME_MAX + 8] = "vp1", b[HT_WORKER_NAME_MAX + 8] = "vp1";
	char *names[] = { a, b };
	int given[] = { 0, 1 };
	char err[256] = "";

	(void)state;
	assert_int_equal(ht_worker_names_unique(names, given, 2, err,
						sizeof(err)), 0);
	assert_string_equal(a, "vp1#2");
	assert_string_equal(b, "vp1");
}

static void test_unique_given_twice(void **state)
{
	char a[HT_WORKER_NAME_MAX + 8] = "vp1", b[HT_WORKER_NAME_MAX + 8] = "vp1";
	char *names[] = { a, b };
	int given[] = { 1, 1 };
	char err[256] = "";

	(void)state;
	assert_int_equal(ht_worker_names_unique(names, given, 2, err,
						sizeof(err)), -1);
	assert_string_equal(err, "option --worker: two workers are named 'vp1'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_default_names),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_unique_given_wins),
		cmocka_unit_test(test_unique_given_twice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

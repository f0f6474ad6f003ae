/*
 * Unit tests for sandbox: each case forks a child that installs the filter
 * and then makes one kind of call.  Calls of the event loop must work and
 * the child exits 0; any other call must kill it with SIGSYS, whatever it
 * did about SIGSYS beforehand.  The parent, unconfined, judges by waitpid.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

/* The sanitizer build's filter lets LeakSanitizer's calls through too. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Exit codes of a child that failed before or at its call. */
#define CHILD_NO_FILTER 100
#define CHILD_CALL_FAILED 101

/*
 * Run body in a child under the filter; returns the wait status.  A
 * watchdog alarm bounds the child: a wrong filter must not hang the test.
 */
static int run_confined(int (*body)(void), bool ignore_sigsys)
{
	char msg[256];
	int status = 0;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(10);
		if (ignore_sigsys)
			signal(SIGSYS, SIG_IGN);
		if (sandbox_install(msg, sizeof(msg)) == -1)
			_exit(CHILD_NO_FILTER);
		_exit(body());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void assert_exits_zero(int status)
{
	if (WIFSIGNALED(status))
		fail_msg("child killed by signal %d", WTERMSIG(status));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void assert_killed_by_sigsys(int status)
{
	if (WIFEXITED(status))
		fail_msg("child exited %d instead of dying by SIGSYS",
			 WEXITSTATUS(status));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

/* ---- allowed ------------------------------------------------------------ */

static int pipe_fds[2];

/*
 * What the loop does, each made as a real system call where libc might
 * answer without one (the clock comes from the vDSO otherwise).
 */
static int loop_calls(void)
{
	struct timespec ts;
	char byte = 'x';
	void *big;
	uint32_t r;
	int fd, fl;

	if (write(pipe_fds[1], &byte, 1) != 1)
		return CHILD_CALL_FAILED;
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
		return CHILD_CALL_FAILED + 1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return CHILD_CALL_FAILED + 2;
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 && errno != EAFNOSUPPORT)
		return CHILD_CALL_FAILED + 3;
	if (fd >= 0)
		close(fd);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return CHILD_CALL_FAILED + 4;
	close(fd);
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		return CHILD_CALL_FAILED + 5;
	fl = fcntl(pipe_fds[1], F_GETFL);
	if (fl == -1 || fcntl(pipe_fds[1], F_SETFL, fl | O_NONBLOCK) == -1)
		return CHILD_CALL_FAILED + 6;
	/* Large enough for malloc to map it rather than grow the heap. */
	big = malloc(8u << 20);
	if (!big)
		return CHILD_CALL_FAILED + 7;
	memset(big, 1, 8u << 20);
	free(big);
	/* local-device: every namespace's loopback is interface 1. */
	if (if_nametoindex("lo") != 1)
		return CHILD_CALL_FAILED + 8;
	return 0;
}

static void allows_loop_calls(void **state)
{
	char byte = 0;

	(void)state;
	assert_int_equal(pipe(pipe_fds), 0);
	assert_exits_zero(run_confined(loop_calls, false));
	close(pipe_fds[1]);
	assert_int_equal(read(pipe_fds[0], &byte, 1), 1);
	assert_int_equal(byte, 'x');
	close(pipe_fds[0]);
}

/* glibc's if_nametoindex probe: refused with an error, not killed. */
static int unix_dgram_probe(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	return fd == -1 && errno == EAFNOSUPPORT ? 0 : CHILD_CALL_FAILED;
}

static void refuses_unix_dgram_probe(void **state)
{
	(void)state;
	assert_exits_zero(run_confined(unix_dgram_probe, false));
}

/* ---- forbidden ---------------------------------------------------------- */

static int call_openat(void)
{
	/* Read-only, as a program after /etc/shadow would. */
	return syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY) >= 0 ?
		0 : CHILD_CALL_FAILED;
}

static int call_openat_write(void)
{
	return syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY) >= 0 ?
		0 : CHILD_CALL_FAILED;
}

static int call_execve(void)
{
	char *const argv[] = { "true", NULL };
	char *const envp[] = { NULL };

	execve("/bin/true", argv, envp);
	return CHILD_CALL_FAILED;
}

static int call_unix_stream(void)
{
	return socket(AF_UNIX, SOCK_STREAM, 0) >= 0 ? 0 : CHILD_CALL_FAILED;
}

static int call_packet_socket(void)
{
	return socket(AF_PACKET, SOCK_RAW, 0) >= 0 ? 0 : CHILD_CALL_FAILED;
}

static int call_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	return pid > 0 ? 0 : CHILD_CALL_FAILED;
}

static int call_ptrace(void)
{
	return ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0 ?
		0 : CHILD_CALL_FAILED;
}

static int call_prctl(void)
{
	return prctl(PR_SET_NAME, "renamed", 0, 0, 0) == 0 ?
		0 : CHILD_CALL_FAILED;
}

static int call_exec_mapping(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p != MAP_FAILED ? 0 : CHILD_CALL_FAILED;
}

static int call_other_ioctl(void)
{
	int n = 0;

	/* FIONREAD on a pipe would work unconfined. */
	return ioctl(pipe_fds[0], FIONREAD, &n) == 0 ? 0 : CHILD_CALL_FAILED;
}

static int call_fcntl_dup(void)
{
	return fcntl(1, F_DUPFD, 10) >= 0 ? 0 : CHILD_CALL_FAILED;
}

#if defined(__x86_64__)
/* getpid through the x32 ABI: the number with bit 30 set. */
static int call_x32_abi(void)
{
	return syscall(0x40000000 | SYS_getpid) >= 0 ? 0 : CHILD_CALL_FAILED;
}

/* getpid (20) through the i386 ABI, int 0x80: another architecture. */
static int call_i386_abi(void)
{
	long ret = 20;

	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
	return ret >= 0 ? 0 : CHILD_CALL_FAILED;
}
#endif

struct forbidden {
	const char *name;
	int (*body)(void);
	bool asan_allows;	/* LeakSanitizer's needs, sandbox.c */
};

static const struct forbidden forbidden_calls[] = {
	{ "openat read-only", call_openat, true },
	{ "openat for writing", call_openat_write, false },
	{ "execve", call_execve, false },
	{ "socket(AF_UNIX, SOCK_STREAM)", call_unix_stream, false },
	{ "socket(AF_PACKET)", call_packet_socket, false },
	{ "fork (clone)", call_fork, false },
	{ "ptrace(PTRACE_TRACEME)", call_ptrace, false },
	{ "prctl(PR_SET_NAME)", call_prctl, false },
	{ "mmap PROT_EXEC", call_exec_mapping, false },
	{ "ioctl(FIONREAD)", call_other_ioctl, false },
	{ "fcntl(F_DUPFD)", call_fcntl_dup, false },
#if defined(__x86_64__)
	{ "getpid through the x32 ABI", call_x32_abi, false },
	{ "getpid through int 0x80", call_i386_abi, false },
#endif
};

/* Each forbidden call kills, and ignoring SIGSYS does not save the child. */
static void forbidden_calls_kill(void **state)
{
	size_t i;
	int ignore;

	(void)state;
	assert_int_equal(pipe(pipe_fds), 0);
	for (i = 0; i < sizeof(forbidden_calls) / sizeof(forbidden_calls[0]);
	     i++) {
		const struct forbidden *f = &forbidden_calls[i];

#ifdef UNDER_ASAN
		if (f->asan_allows)
			continue;
#endif
		for (ignore = 0; ignore < 2; ignore++) {
			int status = run_confined(f->body, ignore);

			if (!WIFSIGNALED(status) ||
			    WTERMSIG(status) != SIGSYS)
				print_error("%s (SIGSYS %s)\n", f->name,
					    ignore ? "ignored" : "default");
			assert_killed_by_sigsys(status);
		}
	}
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

/* The control: unconfined, the same children do not die. */
static void forbidden_calls_work_unconfined(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(10);
		_exit(call_openat() || call_unix_stream() || call_prctl() ||
		      call_fcntl_dup());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_exits_zero(status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allows_loop_calls),
		cmocka_unit_test(refuses_unix_dgram_probe),
		cmocka_unit_test(forbidden_calls_kill),
		cmocka_unit_test(forbidden_calls_work_unconfined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * sandbox_rules.c: the seccomp allow-list (libseccomp) for the event loop.
 *
 * The list was taken from the loop itself: the worker run under
 * `strace -f` through the whole network test suite, raw and unprivileged,
 * with marks, devices, local ports, many probes, end of input and signals,
 * and every call made after this filter's place in engine_run collected;
 * then the suite run again with the filter logging instead of killing
 * (below) to catch what strace could not follow (setuid and file
 * capability copies).  A call missing here kills the worker, which the
 * client sees as its worker exiting: build with
 * CPPFLAGS=-DHOPPROBE_SANDBOX_LOG to have the kernel log (dmesg, audit
 * type 1326) each call that would have been refused, and carry on.
 *
 * The rules are turned into a BPF program at build time (sandbox_gen.c),
 * so a starting worker only loads it; a cross build, whose build machine
 * cannot run the generator for the target, builds it at start instead
 * (sandbox.c).  Both link this file, so both load the same rules.
 */
#include "config.h"

#include "sandbox_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>

#ifdef HOPPROBE_SANDBOX_LOG
#define SANDBOX_REFUSE SCMP_ACT_LOG
#else
#define SANDBOX_REFUSE SCMP_ACT_KILL_PROCESS
#endif

/* AddressSanitizer's runtime (GCC says so one way, clang another). */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

/*
 * Calls allowed whatever their arguments: none of them reaches a file, a
 * process or a new kind of socket.
 */
static const int any_arguments[] = {
	/* stdin, stdout, stderr, and libev's eventfd for signals */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(close),
	/* the loop itself */
	SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_ctl),
	/*
	 * Sockets already open or opened below: probes, answers, errors from
	 * the error queue, routing queries over rtnetlink, port reservations,
	 * socket filters (SO_ATTACH_FILTER), the path MTU (IP_MTU).
	 */
	SCMP_SYS(bind), SCMP_SYS(connect), SCMP_SYS(getsockname),
	SCMP_SYS(getpeername), SCMP_SYS(setsockopt), SCMP_SYS(getsockopt),
	SCMP_SYS(sendto), SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg),
	SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(recvmmsg),
	/*
	 * Time comes from the vDSO, or from the system call where the
	 * clock source has no vDSO support (some virtual machines).
	 */
	SCMP_SYS(clock_gettime),
	/* malloc, realloc and free in one thread (mmap is below) */
	SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap),
	/*
	 * SIGTERM, SIGINT and SIGHUP on the loop: libev's handler writes its
	 * eventfd and returns; the watchers' stop restores the dispositions.
	 */
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(restart_syscall),
	/* random identities */
	SCMP_SYS(getrandom),
	/* privilege_raise_net/privilege_lower: the kept capability only */
	SCMP_SYS(capget), SCMP_SYS(capset),
	SCMP_SYS(exit_group),
};

struct sandbox_rule {
	int syscall;
	unsigned count;		/* conditions, all of which must hold */
	struct scmp_arg_cmp cond[3];
};

#define ARG_EQ(n, v) { (n), SCMP_CMP_EQ, (scmp_datum_t)(v), 0 }
#define ARG_CLEAR(n, bits) { (n), SCMP_CMP_MASKED_EQ, (bits), 0 }
#define ARG_SET(n, bits) { (n), SCMP_CMP_MASKED_EQ, (bits), (bits) }
#define ARG_NE(n, v) { (n), SCMP_CMP_NE, (scmp_datum_t)(v), 0 }

/* Calls allowed only with these arguments. */
static const struct sandbox_rule with_arguments[] = {
	/*
	 * New sockets: probes, port reservations and source lookups are
	 * Internet sockets; routing queries and notifications are
	 * NETLINK_ROUTE.  No Unix sockets: they reach local daemons.
	 */
	{ SCMP_SYS(socket), 1, { ARG_EQ(0, AF_INET) } },
	{ SCMP_SYS(socket), 1, { ARG_EQ(0, AF_INET6) } },
	{ SCMP_SYS(socket), 2, { ARG_EQ(0, AF_NETLINK),
				 ARG_EQ(2, NETLINK_ROUTE) } },
	/* local-device and scope names: if_nametoindex() */
	{ SCMP_SYS(ioctl), 1, { ARG_EQ(1, SIOCGIFINDEX) } },
	/* stdin and stdout non-blocking, and restored at exit */
	{ SCMP_SYS(fcntl), 1, { ARG_EQ(1, F_GETFL) } },
	{ SCMP_SYS(fcntl), 1, { ARG_EQ(1, F_SETFL) } },
	{ SCMP_SYS(fcntl64), 1, { ARG_EQ(1, F_GETFL) } },
	{ SCMP_SYS(fcntl64), 1, { ARG_EQ(1, F_SETFL) } },
	/* Memory, but never executable memory. */
	{ SCMP_SYS(mmap), 1, { ARG_CLEAR(2, PROT_EXEC) } },
};

/*
 * glibc's if_nametoindex() asks for a Unix datagram socket first and falls
 * back to an Internet one when that fails: it is told "not supported"
 * rather than killed, and every other Unix socket still kills.
 */
static const struct sandbox_rule refused_with_errno[] = {
	{ SCMP_SYS(socket), 3, { ARG_EQ(0, AF_UNIX),
				 ARG_EQ(1, SOCK_DGRAM | SOCK_CLOEXEC),
				 ARG_EQ(2, 0) } },
};

#ifdef SANDBOX_ASAN
/*
 * Only in the sanitizer build (./configure --enable-sanitizers), found by
 * running the network tests under a logging filter: at exit
 * LeakSanitizer makes itself dumpable and names a helper its tracer
 * (prctl), starts that helper with clone (CLONE_VM: a thread, not a
 * process), which attaches with ptrace, reads /proc/self/maps and
 * /proc/self/task (open read-only, lseek, getdents) and is waited for;
 * spin locks yield and futexes wait; the allocator advises and protects
 * its own memory.  A release build allows none of it.  A sanitizer
 * report would start a symbolizer program: the worker dies by SIGSYS
 * before printing it (build with HOPPROBE_SANDBOX_LOG to read it).
 */
static const int asan_any_arguments[] = {
	SCMP_SYS(wait4), SCMP_SYS(lseek), SCMP_SYS(getdents),
	SCMP_SYS(getdents64), SCMP_SYS(getpid), SCMP_SYS(getppid),
	SCMP_SYS(gettid), SCMP_SYS(sigaltstack), SCMP_SYS(sched_yield),
	SCMP_SYS(futex), SCMP_SYS(madvise), SCMP_SYS(exit),
};

#define OPEN_WRITING (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)

static const struct sandbox_rule asan_with_arguments[] = {
	{ SCMP_SYS(mprotect), 1, { ARG_CLEAR(2, PROT_EXEC) } },
	{ SCMP_SYS(open), 1, { ARG_CLEAR(1, OPEN_WRITING) } },
	{ SCMP_SYS(openat), 1, { ARG_CLEAR(2, OPEN_WRITING) } },
	{ SCMP_SYS(clone), 1, { ARG_SET(0, CLONE_VM) } },
	{ SCMP_SYS(ptrace), 1, { ARG_NE(0, PTRACE_TRACEME) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_SET_PTRACER) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_GET_DUMPABLE) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_SET_DUMPABLE) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_SET_PDEATHSIG) } },
};
#endif

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int add_plain(scmp_filter_ctx ctx, const int *calls, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_rules(scmp_filter_ctx ctx, uint32_t action,
		     const struct sandbox_rule *rules, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = seccomp_rule_add_array(ctx, action, rules[i].syscall,
					    rules[i].count, rules[i].cond);
		if (rc)
			return rc;
	}
	return 0;
}

int sandbox_rules_build(scmp_filter_ctx *out)
{
	scmp_filter_ctx ctx = seccomp_init(SANDBOX_REFUSE);
	int rc;

	if (!ctx)
		return -ENOMEM;
	/* A call made through another ABI (int 0x80, x32) kills as well. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SANDBOX_REFUSE);
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 5)
	/*
	 * Syscall numbers in a binary tree rather than one long chain: a
	 * few more instructions, but the kernel, which at load time (Linux
	 * 5.11 and later) runs the program for every syscall number to
	 * cache those always allowed, walks a few comparisons each instead
	 * of up to forty;
	 * the load took 58 us instead of 80 (median of 400, this program),
	 * and each call of the loop is judged in fewer steps.  Only an
	 * optimisation: a libseccomp that refuses it loses nothing else.
	 */
	if (!rc)
		(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
#endif
	if (!rc)
		rc = add_plain(ctx, any_arguments, COUNT(any_arguments));
	if (!rc)
		rc = add_rules(ctx, SCMP_ACT_ALLOW, with_arguments,
			       COUNT(with_arguments));
	if (!rc)
		rc = add_rules(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT),
			       refused_with_errno, COUNT(refused_with_errno));
#ifdef SANDBOX_ASAN
	if (!rc)
		rc = add_plain(ctx, asan_any_arguments,
			       COUNT(asan_any_arguments));
	if (!rc)
		rc = add_rules(ctx, SCMP_ACT_ALLOW, asan_with_arguments,
			       COUNT(asan_with_arguments));
#endif
	if (rc) {
		seccomp_release(ctx);
		return rc;
	}
	*out = ctx;
	return 0;
}

/*
 * worker_spawn.c: starting a worker process and describing its end.
 */
#include "worker_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* How much of the stderr tail a failure message shows. */
#define HP_STDERR_SHOWN 2000
/* Reads per hp_tail_drain() call, so a chatty worker cannot hog the loop. */
#define HP_DRAIN_READS 16

static void close_pair(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	fds[0] = fds[1] = -1;
}

static int set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return 0;
}

/*
 * In the child, between fork and exec: only async-signal-safe calls.  The
 * three pipe ends are first moved above 2, because the caller may have
 * closed its own stdin or stdout and then a pipe end can be 0, 1 or 2
 * itself and would be overwritten by an earlier dup2().  SIGPIPE is put
 * back to its default because an ignored signal stays ignored across
 * exec, and the caller of this library ignores it.  On failure the errno
 * goes to REPORT, which exec would otherwise have closed.
 */
static void __attribute__((noreturn))
spawn_child(const char *command, int use_shell, int fin, int fout, int ferr,
	    int report)
{
	char *const argv[] = { (char *)command, NULL };
	int fds[3] = { fin, fout, ferr };
	struct sigaction dfl;
	sigset_t none;
	int i, e;

	for (i = 0; i < 3; i++) {
		fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
		if (fds[i] < 0)
			goto fail;
	}
	for (i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0)
			goto fail;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGPIPE, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/*
	 * A process group of its own: the worker and whatever the shell
	 * starts (sh need not exec the last command) are stopped together
	 * (kill(-pid)), and a Ctrl-C on the terminal reaches only the
	 * client, which then ends its workers itself.
	 */
	setpgid(0, 0);
	if (use_shell)
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	else
		execv(command, argv);
fail:
	e = errno;
	if (write(report, &e, sizeof(e)) < 0)
		e = 0;
	_exit(127);
}

int hp_spawn(const char *command, int use_shell, struct hp_spawned *out,
	     char *err, size_t errlen)
{
	int in[2] = { -1, -1 }, o[2] = { -1, -1 }, e[2] = { -1, -1 };
	int x[2] = { -1, -1 };
	int child_errno = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(o, O_CLOEXEC) < 0 ||
	    pipe2(e, O_CLOEXEC) < 0 || pipe2(x, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot create pipes for '%s': %s",
			 command, strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start '%s': %s", command,
			 strerror(errno));
		goto fail;
	}
	if (pid == 0)
		spawn_child(command, use_shell, in[0], o[1], e[1], x[1]);
	/* The child does the same; whichever runs first, the group exists
	 * before anyone signals it. */
	(void)setpgid(pid, pid);
	close(in[0]);
	close(o[1]);
	close(e[1]);
	close(x[1]);
	in[0] = o[1] = e[1] = x[1] = -1;
	/*
	 * This read returns as soon as the child has exec'ed (end of file:
	 * the pipe was close-on-exec) or failed to, so it blocks only for
	 * the time the child takes to get that far.
	 */
	do
		n = read(x[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close_pair(x);
	if (n == (ssize_t)sizeof(child_errno)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		snprintf(err, errlen, "cannot run '%s': %s", command,
			 strerror(child_errno));
		goto fail;
	}
	if (set_nonblocking(in[1]) < 0 || set_nonblocking(o[0]) < 0 ||
	    set_nonblocking(e[0]) < 0) {
		snprintf(err, errlen, "cannot set up pipes for '%s': %s",
			 command, strerror(errno));
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		goto fail;
	}
	out->pid = pid;
	out->in_fd = in[1];
	out->out_fd = o[0];
	out->err_fd = e[0];
	return 0;
fail:
	close_pair(in);
	close_pair(o);
	close_pair(e);
	close_pair(x);
	return -1;
}

void hp_tail_init(struct hp_tail *t)
{
	t->start = 0;
	t->len = 0;
}

void hp_tail_append(struct hp_tail *t, const char *p, size_t n)
{
	size_t i;

	/* Only the last HP_TAIL_SIZE bytes of P can survive. */
	if (n > HP_TAIL_SIZE) {
		p += n - HP_TAIL_SIZE;
		n = HP_TAIL_SIZE;
	}
	for (i = 0; i < n; i++) {
		size_t end = (t->start + t->len) % HP_TAIL_SIZE;

		t->buf[end] = p[i];
		if (t->len < HP_TAIL_SIZE)
			t->len++;
		else
			t->start = (t->start + 1) % HP_TAIL_SIZE;
	}
}

size_t hp_tail_last(const struct hp_tail *t, size_t max, char *out)
{
	size_t n = t->len < max ? t->len : max;
	size_t first = (t->start + t->len - n) % HP_TAIL_SIZE;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = t->buf[(first + i) % HP_TAIL_SIZE];
	return n;
}

int hp_tail_drain(struct hp_tail *t, int fd)
{
	char buf[4096];
	int i;

	for (i = 0; i < HP_DRAIN_READS; i++) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			hp_tail_append(t, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return 1;
	}
	return 0;
}

void hp_describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d%s",
			 WTERMSIG(status),
			 WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(buf, len, "ended with wait status %d", status);
}

void hp_escape(const char *p, size_t n, size_t max, bool quoted, char *out,
	       size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (len == 0)
		return;
	for (i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)p[i];
		bool keep = c >= 0x20 && c != 0x7f;

		if (quoted)
			keep = keep && c < 0x7f && c != '"' && c != '\\';
		else
			keep = keep || c == '\n' || c == '\t';
		if (keep) {
			if (o + 1 >= len)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 4 >= len)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (i < n && o + 3 < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

char *hp_failure_message(const char *command, const char *reason,
			 const struct hp_tail *tail)
{
	char raw[HP_STDERR_SHOWN];
	size_t n = hp_tail_last(tail, sizeof(raw), raw);
	size_t start = 0, size;
	char *text, *msg;

	/*
	 * A tail cut at HP_STDERR_SHOWN bytes starts in the middle of a
	 * line; begin at the next line when there is one.
	 */
	if (tail->len > n) {
		char *nl = memchr(raw, '\n', n);

		if (nl && (size_t)(nl - raw) + 1 < n)
			start = (size_t)(nl - raw) + 1;
	}
	while (start < n && is_space(raw[start]))
		start++;
	while (n > start && is_space(raw[n - 1]))
		n--;
	size = strlen(command) + strlen(reason) + 4 * (n - start) + 64;
	msg = malloc(size);
	text = malloc(4 * (n - start) + 8);
	if (!msg || !text) {
		free(msg);
		free(text);
		return NULL;
	}
	hp_escape(raw + start, n - start, n - start, false, text,
		  4 * (n - start) + 8);
	if (n > start)
		snprintf(msg, size, "worker '%s' %s; its stderr said: %s",
			 command, reason, text);
	else
		snprintf(msg, size, "worker '%s' %s", command, reason);
	free(text);
	return msg;
}

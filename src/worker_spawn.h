/*
 * worker_spawn.h: the process side of a worker, for worker.c only.
 *
 * Starting the child with three non-blocking pipes, keeping the last bytes
 * it wrote to stderr, and turning what happened to it into the one
 * sentence the `failed` callback gets.  Apart from hp_spawn() and
 * hp_tail_drain(), which do I/O, these are pure functions.
 */
#ifndef HOPPROBE_WORKER_SPAWN_H
#define HOPPROBE_WORKER_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct hp_spawned {
	pid_t pid;
	int in_fd;	/* the child's stdin; we write */
	int out_fd;	/* the child's stdout; we read */
	int err_fd;	/* the child's stderr; we read */
};

/*
 * Start COMMAND (`/bin/sh -c COMMAND` with USE_SHELL, else the executable
 * at that path, without arguments) with pipes on its stdin, stdout and
 * stderr.  Our ends are non-blocking and close-on-exec; the child's are
 * blocking, and the child gets SIGPIPE back at its default and an empty
 * signal mask, whatever the caller ignores or blocks.  Returns 0, or -1
 * with a message in ERR when the pipes, the fork or the exec failed (an
 * exec failure is reported by the child through a close-on-exec pipe, so
 * a missing executable is known before this returns).
 */
int hp_spawn(const char *command, int use_shell, struct hp_spawned *out,
	     char *err, size_t errlen);

/* The last HP_TAIL_SIZE bytes a worker wrote to stderr, as a ring. */
#define HP_TAIL_SIZE 4096
struct hp_tail {
	char buf[HP_TAIL_SIZE];
	size_t start;		/* index of the oldest byte */
	size_t len;
};

void hp_tail_init(struct hp_tail *t);
void hp_tail_append(struct hp_tail *t, const char *p, size_t n);
/* Copy the last MAX (at most) bytes, in order, into OUT; their count. */
size_t hp_tail_last(const struct hp_tail *t, size_t max, char *out);
/*
 * Read FD (non-blocking) into T until it would block, for at most a
 * bounded number of reads.  Returns 1 at end of file or on a read error
 * (the descriptor is of no more use), 0 otherwise.
 */
int hp_tail_drain(struct hp_tail *t, int fd);

/* "exited with status 1", "was killed by signal 9" from a wait status. */
void hp_describe_status(int status, char *buf, size_t len);

/*
 * Write P (N bytes) into OUT (LEN bytes, always NUL terminated) with
 * control bytes as \xNN; quotes, backslashes and bytes above 0x7e too
 * when QUOTED (for a line shown between quotes), while newlines and tabs
 * are kept when not.  At most MAX input bytes are shown; "..." follows
 * when some were left out.
 */
void hp_escape(const char *p, size_t n, size_t max, bool quoted, char *out,
	       size_t len);

/*
 * The failure message: "worker 'COMMAND' REASON", followed by
 * "; its stderr said: TEXT" when the worker wrote anything but blanks to
 * stderr, TEXT being the last lines of up to 2000 bytes, trimmed.
 * Returns a malloc()ed string, or NULL when memory is short.
 */
char *hp_failure_message(const char *command, const char *reason,
			 const struct hp_tail *tail);

#endif

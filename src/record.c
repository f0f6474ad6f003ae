/*
 * record.c: hoptrace --record FILE (see record.h).  The only I/O is here:
 * the records themselves are the JSONL renderer's.
 */
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Rendered bytes gathered before they are written without a flush. */
#define RECORD_WRITE_AT (64u * 1024)

struct ht_record {
	char *path;
	int fd;				/* -1 once closed */
	struct ht_renderer *jsonl;
	struct ht_outbuf out;
	int error;			/* errno of the failure; 0 none */
};

struct ht_record *ht_record_open(const char *path, struct ht_renderer *jsonl,
				 char *err, size_t errlen)
{
	struct ht_record *r;

	if (!jsonl) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r || !(r->path = strdup(path))) {
		free(r);
		ht_renderer_free(jsonl);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
		     0666);
	if (r->fd < 0) {
		snprintf(err, errlen, "--record %s: %s", path, strerror(errno));
		free(r->path);
		free(r);
		ht_renderer_free(jsonl);
		return NULL;
	}
	r->jsonl = jsonl;
	ht_outbuf_init(&r->out);
	return r;
}

int ht_record_flush(struct ht_record *r)
{
	size_t done = 0;

	if (r->error)
		return -1;
	if (r->out.failed) {
		r->error = ENOMEM;
		return -1;
	}
	while (done < r->out.len) {
		ssize_t n = write(r->fd, r->out.data + done, r->out.len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A write that takes nothing is a full disk too. */
			r->error = n < 0 ? errno : ENOSPC;
			return -1;
		}
		done += (size_t)n;
	}
	ht_outbuf_reset(&r->out);
	return 0;
}

int ht_record_event(struct ht_record *r, const struct ht_event *ev)
{
	if (r->error)
		return -1;
	ht_renderer_event(r->jsonl, ev, &r->out);
	if (r->out.failed || r->out.len >= RECORD_WRITE_AT)
		return ht_record_flush(r);
	return 0;
}

int ht_record_close(struct ht_record *r)
{
	int rc;

	if (!r || r->fd < 0)
		return r && r->error ? -1 : 0;
	rc = ht_record_flush(r);
	if (close(r->fd) < 0 && rc == 0) {
		/* NFS and the like say a failed write only here. */
		r->error = errno;
		rc = -1;
	}
	r->fd = -1;
	return rc;
}

void ht_record_error(const struct ht_record *r, char *err, size_t errlen)
{
	if (r->error == ENOMEM)
		snprintf(err, errlen, "--record %s: out of memory: the "
			 "recording is incomplete", r->path);
	else
		snprintf(err, errlen, "--record %s: cannot write: %s: the "
			 "recording is incomplete", r->path,
			 strerror(r->error));
}

void ht_record_free(struct ht_record *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	ht_renderer_free(r->jsonl);
	ht_outbuf_free(&r->out);
	free(r->path);
	free(r);
}

/*
 * engine.h: the worker's event loop: commands in, probes out, replies
 * matched, answers queued.  The only module that owns probes.
 */
#ifndef HOPPROBE_ENGINE_H
#define HOPPROBE_ENGINE_H

#include <stdint.h>

#include "command.h"
#include "sockets.h"

/* Most probes in flight at once; past it: probes-exhausted. */
#define ENGINE_MAX_IN_FLIGHT 262144u

struct engine;

struct engine_setup {
	struct recv_sockets rx;		/* opened while privileged */
	struct send_set tx;
	bool unprivileged;		/* no raw sockets: dgram.h's way */
	enum reply_names names;
	uint32_t max_in_flight;
	int in_fd, out_fd;		/* normally 0 and 1 */
};

/*
 * Run until input has ended and every probe is answered, or until SIGTERM,
 * SIGINT or SIGHUP.  The flags of in_fd and out_fd are restored either way.
 * Returns the exit status: 0; 1 after a fatal error (reported on stderr);
 * 128 + the signal's number after one of those signals.
 */
int engine_run(const struct engine_setup *setup);

#endif

/*
 * main.c: hopprobe's start-up order and nothing else.
 *
 * 1. open every raw socket (the only step that needs privilege);
 * 2. drop privilege, and verify the drop;
 * 3. only then read a byte of input: run the event loop.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "command.h"
#include "engine.h"
#include "privilege.h"
#include "sockets.h"

#ifdef HOPPROBE_REPLY_NAMES_095
#define REPLY_NAMES REPLY_NAMES_095
#else
#define REPLY_NAMES REPLY_NAMES_096
#endif

/*
 * Unprivileged probes hold a socket each, and every `local-port` a socket
 * that reserves it: take the descriptors the hard limit allows (epoll has
 * no FD_SETSIZE bound).  What is still not enough is answered
 * probes-exhausted.
 */
static void allow_many_descriptors(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: hopprobe [--version | --help]\n"
		"Reads mtr-packet protocol requests on standard input and "
		"answers on standard\noutput.  See hopprobe(8).\n");
}

int main(int argc, char **argv)
{
	struct engine_setup setup;
	char msg[256];

	/* Options are parsed before privilege is dropped, but touch nothing. */
	if (argc > 1) {
		if (strcmp(argv[1], "--version") == 0 ||
		    strcmp(argv[1], "-v") == 0) {
			printf("hopprobe %s (reply names of mtr %s)\n",
			       PACKAGE_VERSION, HOPPROBE_REPLY_NAMES_STRING);
			return 0;
		}
		if (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0) {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 2;
	}

	memset(&setup, 0, sizeof(setup));
	sockets_open(&setup.rx, &setup.tx);
	if (privilege_drop(msg, sizeof(msg)) == -1) {
		fprintf(stderr, "hopprobe: %s\n", msg);
		return 1;
	}
	/*
	 * Without any raw socket, probe the unprivileged way (hopprobe(8),
	 * UNPRIVILEGED MODE); check-support tells the client what works.
	 */
	setup.unprivileged =
		!sockets_family_ok(&setup.rx, &setup.tx, AF_INET) &&
		!sockets_family_ok(&setup.rx, &setup.tx, AF_INET6);
	allow_many_descriptors();
	/* A reader that goes away is seen as EPIPE, not as a signal. */
	signal(SIGPIPE, SIG_IGN);

	setup.names = REPLY_NAMES;
	setup.max_in_flight = ENGINE_MAX_IN_FLIGHT;
	setup.in_fd = STDIN_FILENO;
	setup.out_fd = STDOUT_FILENO;
	return engine_run(&setup);
}

/*
 * passwd_scan.h: a user's uid and gid from the text of /etc/passwd.
 *
 * A worker started by root becomes an unprivileged user (privilege.c).
 * getpwnam() would find it, but through the name service switch: reading
 * nsswitch.conf and setting up its modules cost a quarter of a
 * millisecond at every start, more than the rest of the privilege drop.
 * The user is nearly always a system user in the local file, so the
 * worker reads that file itself, with this pure scanner, and asks
 * getpwnam() only when the file does not name the user.
 */
#ifndef HOPPROBE_PASSWD_SCAN_H
#define HOPPROBE_PASSWD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct passwd_ids {
	uint32_t uid;
	uint32_t gid;
};

/*
 * Look for name in text (len bytes, passwd(5) lines; no terminating NUL
 * needed).  The first well-formed line whose first field is exactly name
 * wins, as in glibc's files service; lines that do not parse (a missing
 * field, a uid or gid that is not a decimal number below 2^32 - 1) and
 * NIS compatibility lines ("+name", "-name") are skipped.  Returns true
 * with *out filled, or false.
 */
bool passwd_scan(const char *text, size_t len, const char *name,
		 struct passwd_ids *out);

#endif

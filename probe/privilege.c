/*
 * privilege.c: uid/gid, capabilities (libcap), no-new-privileges, dumpable.
 */
#include "config.h"

#include "privilege.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kernel_release.h"
#include "passwd_scan.h"

static const cap_value_t net_caps[] = { CAP_NET_RAW, CAP_NET_ADMIN };
#define NET_CAP_COUNT ((int)(sizeof(net_caps) / sizeof(net_caps[0])))

/*
 * The capabilities worth keeping: CAP_NET_RAW opens raw sockets, binds them
 * to a device and, since Linux 5.17, marks them; older kernels need
 * CAP_NET_ADMIN for SO_MARK, so there it is kept too.
 */
static bool keep_net_admin(void)
{
	struct utsname u;

	return uname(&u) == -1 || kernel_mark_needs_net_admin(u.release);
}

/* Drop from held[] what keep_net_admin says is not needed. */
static int only_needed(cap_value_t *held, int n)
{
	int i, kept = 0;
	bool admin = keep_net_admin();

	for (i = 0; i < n; i++)
		if (held[i] != CAP_NET_ADMIN || admin)
			held[kept++] = held[i];
	return kept;
}

/* A passwd file larger than this is left to getpwnam(). */
#define PASSWD_FILE_MAX (16u << 20)

/*
 * The user's ids from /etc/passwd, read and scanned here rather than
 * through the name service switch (passwd_scan.h says why).  Returns
 * false when the file cannot be read or does not name the user.
 */
static bool user_from_passwd_file(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd_ids ids;
	struct stat st;
	size_t got = 0;
	bool found = false;
	char *text;
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return false;
	if (fstat(fd, &st) == -1 || st.st_size <= 0 ||
	    (uintmax_t)st.st_size > PASSWD_FILE_MAX ||
	    !(text = malloc((size_t)st.st_size))) {
		close(fd);
		return false;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, text + got, (size_t)st.st_size - got);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (passwd_scan(text, got, name, &ids)) {
		*uid = ids.uid;
		*gid = ids.gid;
		found = true;
	}
	free(text);
	return found;
}

/*
 * Who to become.  The invoking user; but a worker started by root becomes
 * HOPPROBE_USER (configure --with-user, default nobody), as OpenBSD's
 * traceroute becomes _traceroute: nothing it does later needs uid 0.
 * A user known only to a directory service is still found, by getpwnam().
 */
static int target_user(uid_t *uid, gid_t *gid, char *msg, size_t msg_len)
{
	*uid = getuid();
	*gid = getgid();
	if (*uid != 0)
		return 0;
	if (!user_from_passwd_file(HOPPROBE_USER, uid, gid)) {
		struct passwd *pw;

		errno = 0;
		pw = getpwnam(HOPPROBE_USER);
		if (!pw) {
			snprintf(msg, msg_len,
				 "started by root, but user '%s' to run as "
				 "does not exist (configure --with-user=NAME)",
				 HOPPROBE_USER);
			return -1;
		}
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	}
	if (*uid == 0) {
		snprintf(msg, msg_len, "user '%s' to run as is root",
			 HOPPROBE_USER);
		return -1;
	}
	return 0;
}

/* Which of net_caps the process holds in its permitted set now. */
static int permitted_net_caps(cap_value_t *held)
{
	cap_t caps = cap_get_proc();
	int i, n = 0;

	if (!caps)
		return 0;
	for (i = 0; i < NET_CAP_COUNT; i++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(caps, net_caps[i], CAP_PERMITTED, &v) == 0 &&
		    v == CAP_SET)
			held[n++] = net_caps[i];
	}
	cap_free(caps);
	return n;
}

/* The process's capability sets become: permitted = keep, nothing else. */
static int set_caps(const cap_value_t *keep, int n, bool effective)
{
	cap_t caps = cap_init();
	int rc;

	if (!caps)
		return -1;
	if (n > 0 && cap_set_flag(caps, CAP_PERMITTED, n, keep, CAP_SET))
		rc = -1;
	else if (n > 0 && effective &&
		 cap_set_flag(caps, CAP_EFFECTIVE, n, keep, CAP_SET))
		rc = -1;
	else
		rc = cap_set_proc(caps);
	cap_free(caps);
	return rc;
}

/*
 * Remove from the bounding set all but the kept capabilities.  Only a
 * process holding CAP_SETPCAP (a root start) may; others skip the loop.
 * One prctl per capability, stopping at the first the kernel does not know.
 */
static void shrink_bounding_set(const cap_value_t *keep, int n)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t setpcap = CAP_CLEAR;
	cap_value_t c;
	int i;

	if (caps)
		(void)cap_get_flag(caps, CAP_SETPCAP, CAP_EFFECTIVE, &setpcap);
	cap_free(caps);
	if (setpcap != CAP_SET)
		return;
	for (c = 0; c <= CAP_LAST_CAP; c++) {
		bool kept = false;

		for (i = 0; i < n; i++)
			kept |= keep[i] == c;
		if (!kept && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1 &&
		    errno == EINVAL)
			break;
	}
}

int privilege_drop(char *msg, size_t msg_len)
{
	cap_value_t keep[NET_CAP_COUNT];
	uid_t uid;
	gid_t gid;
	int n = only_needed(keep, permitted_net_caps(keep));
	cap_t now;
	cap_flag_value_t eff;
	int i;

	if (target_user(&uid, &gid, msg, msg_len) == -1)
		return -1;

	/* Needs CAP_SETPCAP, which only a root start has; harmless if not. */
	shrink_bounding_set(keep, n);
	/*
	 * Keep the permitted set across setuid() so that the network
	 * capabilities survive the change to the real user.
	 */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1)
		goto fail;
	if (geteuid() == 0 && uid != 0 && setgroups(0, NULL) == -1)
		goto fail;
	if (setresgid(gid, gid, gid) == -1 || setresuid(uid, uid, uid) == -1)
		goto fail;
	if (set_caps(keep, n, false) == -1)
		goto fail;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		goto fail;

	/* Verify, rather than trust, that nothing is left effective. */
	if (getuid() != uid || geteuid() != uid || getegid() != gid)
		goto fail;
	now = cap_get_proc();
	if (!now)
		goto fail;
	for (i = 0; i <= CAP_LAST_CAP; i++) {
		/* cap_get_flag reads the set fetched above: no syscall. */
		if (cap_get_flag(now, i, CAP_EFFECTIVE, &eff) == 0 &&
		    eff == CAP_SET) {
			cap_free(now);
			errno = EPERM;
			goto fail;
		}
	}
	cap_free(now);
	return 0;
fail:
	snprintf(msg, msg_len, "cannot drop privileges: %s", strerror(errno));
	return -1;
}

bool privilege_can_mark(void)
{
	cap_value_t held[NET_CAP_COUNT];

	return permitted_net_caps(held) > 0;
}

int privilege_raise_net(void)
{
	cap_value_t held[NET_CAP_COUNT];
	int n = permitted_net_caps(held);

	if (n == 0) {
		errno = EPERM;
		return -1;
	}
	return set_caps(held, n, true);
}

void privilege_lower(void)
{
	cap_value_t held[NET_CAP_COUNT];
	int n = permitted_net_caps(held);

	(void)set_caps(held, n, false);
}

/*
 * passwd_scan.c: find a user's ids in passwd(5) text (see passwd_scan.h).
 */
#include "passwd_scan.h"

#include <string.h>

/* One field: [*pos, end of field) with *pos moved past its ':'. */
static bool next_field(const char *line, size_t len, size_t *pos,
		       const char **field, size_t *field_len)
{
	const char *colon;

	if (*pos > len)
		return false;
	*field = line + *pos;
	colon = memchr(*field, ':', len - *pos);
	if (!colon) {
		*field_len = len - *pos;
		*pos = len + 1;
	} else {
		*field_len = (size_t)(colon - *field);
		*pos += *field_len + 1;
	}
	return true;
}

/* A decimal id: digits only, below 2^32 - 1 ((uid_t)-1 means "none"). */
static bool parse_id(const char *text, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	if (v >= UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* One line without its newline: true when it names name and parses. */
static bool line_matches(const char *line, size_t len, const char *name,
			 size_t name_len, struct passwd_ids *out)
{
	const char *user, *password, *uid, *gid;
	size_t user_len, password_len, uid_len, gid_len, pos = 0;
	struct passwd_ids ids;

	if (!next_field(line, len, &pos, &user, &user_len) ||
	    user_len != name_len || memcmp(user, name, name_len) != 0)
		return false;
	/* uid and gid must each end in ':' (gecos, home and shell follow) */
	if (!next_field(line, len, &pos, &password, &password_len) ||
	    !next_field(line, len, &pos, &uid, &uid_len) || pos > len ||
	    !next_field(line, len, &pos, &gid, &gid_len) || pos > len)
		return false;
	(void)password;
	(void)password_len;
	if (!parse_id(uid, uid_len, &ids.uid) ||
	    !parse_id(gid, gid_len, &ids.gid))
		return false;
	*out = ids;
	return true;
}

bool passwd_scan(const char *text, size_t len, const char *name,
		 struct passwd_ids *out)
{
	size_t name_len = strlen(name);
	size_t pos = 0;

	/* No name could match a "+"/"-" line or a field with a ':' in it. */
	if (name_len == 0 || name[0] == '+' || name[0] == '-' ||
	    memchr(name, ':', name_len) || memchr(name, '\n', name_len))
		return false;
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - line) : len - pos;

		if (line_matches(line, line_len, name, name_len, out))
			return true;
		pos += line_len + 1;
	}
	return false;
}

/* allowfile.c - ward-respond --allow-file (see allowfile.h). */
#include "stages/respond/allowfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ipaddr.h"

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	return s;
}

long allowfile_parse(struct respond_policy *p, const char *name, const char *text, size_t len,
		     char *err, size_t errlen)
{
	struct ward_cidr *got = NULL;
	size_t n = 0, cap = 0;
	unsigned line = 0;
	const char *end = text + len;
	for (const char *s = text; s < end; line++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *eol = nl ? nl : end;
		const char *hash = memchr(s, '#', (size_t)(eol - s));
		const char *b = skip_blanks(s, hash ? hash : eol), *e = hash ? hash : eol;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		s = nl ? nl + 1 : end;
		if (b == e)
			continue;
		struct ward_cidr c;
		if (cidr_parse(b, (size_t)(e - b), &c) != 0) {
			int shown = e - b > 64 ? 64 : (int)(e - b);
			/* the text as written (log.c masks control bytes) */
			snprintf(err, errlen, "%s:%u: not an address or CIDR: %.*s", name, line + 1,
				 shown, b);
			free(got);
			return -1;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			got = ward_xrealloc(got, cap * sizeof *got);
		}
		got[n++] = c;
	}
	policy_allow_drop(p, "file");
	for (size_t i = 0; i < n; i++)
		policy_allow_cidr(p, &got[i], "file");
	free(got);
	return (long)n;
}

long allowfile_load(struct respond_policy *p, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct ward_buf b = WARD_BUF_INIT;
	char chunk[8192];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= ALLOWFILE_MAX_BYTES)
		buf_append(&b, chunk, r);
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad || b.len > ALLOWFILE_MAX_BYTES) {
		snprintf(err, errlen, "%s: %s", path, bad ? "read error" : "file larger than 4 MiB");
		buf_free(&b);
		return -1;
	}
	long n = allowfile_parse(p, path, b.data ? b.data : "", b.len, err, errlen);
	buf_free(&b);
	return n;
}

/* journal.c - journal record syntax and replay. */
#include "stages/respond/journal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Split off the next space-separated token of [*p, end). */
static int next_token(const char **p, const char *end, const char **tok, size_t *len)
{
	const char *s = *p;

	if (s >= end || *s == ' ')
		return -1;
	const char *e = s;
	while (e < end && *e != ' ')
		e++;
	*tok = s;
	*len = (size_t)(e - s);
	*p = e < end ? e + 1 : e;
	return 0;
}

static int parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))	/* canonical only */
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Targets must be in canonical form already: parse, print, compare. A
 * record that does not round-trip was not written by ward. */
static int parse_target(const char *s, size_t n, struct ward_cidr *c)
{
	char canon[RESPOND_TARGET_STRLEN];

	if (memchr(s, '/', n) == NULL || cidr_parse(s, n, c) != 0)
		return -1;
	respond_target_format(c, true, canon, sizeof(canon));
	if (strlen(canon) != n || memcmp(canon, s, n) != 0)
		return -1;
	return 0;
}

static int parse_ban(const char *p, const char *end, struct jrec *r)
{
	const char *tok;
	size_t len;
	uint64_t v;

	if (next_token(&p, end, &tok, &len) || parse_target(tok, len, &r->target))
		return -1;
	if (next_token(&p, end, &tok, &len) || parse_u64(tok, len, INT64_MAX, &v))
		return -1;
	r->until_ns = (int64_t)v;
	if (next_token(&p, end, &tok, &len) || parse_u64(tok, len, UINT32_MAX, &v) || v == 0)
		return -1;
	r->offenses = (uint32_t)v;
	if (next_token(&p, end, &tok, &len) || len > RESPOND_RULE_MAX || p != end)
		return -1;
	respond_rule_clean(r->rule, tok, len);
	if (strlen(r->rule) != len || memcmp(r->rule, tok, len) != 0)
		return -1;
	return 0;
}

int journal_parse_line(const char *s, size_t n, struct jrec *r)
{
	const char *p = s, *end = s + n, *tok;
	size_t len;

	memset(r, 0, sizeof(*r));
	if (n == 0 || s[0] == '#')
		return 1;
	/* Tokens are split on single spaces: a trailing one would be
	 * swallowed as a separator, so the line would not round-trip. */
	if (n > JOURNAL_MAX_LINE || s[n - 1] == ' ' || next_token(&p, end, &tok, &len))
		return -1;
	if (len == 3 && memcmp(tok, "ban", 3) == 0) {
		r->kind = JREC_BAN;
		return parse_ban(p, end, r);
	}
	if (len == 5 && memcmp(tok, "flush", 5) == 0) {
		r->kind = JREC_FLUSH;
		return p == end ? 0 : -1;
	}
	if (len == 6 && memcmp(tok, "expire", 6) == 0)
		r->kind = JREC_EXPIRE;
	else if (len == 5 && memcmp(tok, "unban", 5) == 0)
		r->kind = JREC_UNBAN;
	else
		return -1;
	if (next_token(&p, end, &tok, &len) || parse_target(tok, len, &r->target) || p != end)
		return -1;
	return 0;
}

void journal_format(const struct jrec *r, struct ward_buf *out)
{
	char target[RESPOND_TARGET_STRLEN];

	respond_target_format(&r->target, true, target, sizeof(target));
	switch (r->kind) {
	case JREC_BAN:
		buf_printf(out, "ban %s %" PRId64 " %" PRIu32 " %s\n", target, r->until_ns,
			   r->offenses, r->rule[0] ? r->rule : "-");
		break;
	case JREC_EXPIRE:
		buf_printf(out, "expire %s\n", target);
		break;
	case JREC_UNBAN:
		buf_printf(out, "unban %s\n", target);
		break;
	case JREC_FLUSH:
		buf_append_str(out, "flush\n");
		break;
	}
}

void journal_apply(struct ban_table *t, const struct jrec *r)
{
	struct ban_entry *e;

	switch (r->kind) {
	case JREC_BAN:
		e = bantable_put(t, &r->target);
		e->until_ns = r->until_ns;
		e->offenses = r->offenses;
		memcpy(e->rule, r->rule, sizeof(e->rule));
		bantable_set_active(t, e, true);
		break;
	case JREC_EXPIRE:
		if ((e = bantable_get(t, &r->target)) != NULL)
			bantable_set_active(t, e, false);
		break;
	case JREC_UNBAN:
		bantable_del(t, &r->target);
		break;
	case JREC_FLUSH:
		bantable_clear(t);
		break;
	}
}

size_t journal_replay(struct ban_table *t, const char *data, size_t len, struct journal_stats *st)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		if (!nl)
			break;	/* torn tail: not a record (yet) */
		size_t n = (size_t)(nl - (data + pos));
		struct jrec r;
		int rc = journal_parse_line(data + pos, n, &r);
		if (rc == 0) {
			journal_apply(t, &r);
			st->records++;
		} else if (rc < 0) {
			st->bad++;
		}
		pos += n + 1;
	}
	return pos;
}

void journal_snapshot(const struct ban_table *t, int64_t now_ns, int64_t forget_ns,
		      struct ward_buf *out)
{
	buf_append_str(out, JOURNAL_HEADER "\n");
	const struct ban_entry *e;
	size_t it = 0;
	while ((e = bantable_next_const(t, &it)) != NULL) {
		if (!e->active && respond_sat_add(e->until_ns, forget_ns) <= now_ns)
			continue;
		struct jrec r = { .kind = JREC_BAN, .target = e->target, .until_ns = e->until_ns,
				  .offenses = e->offenses ? e->offenses : 1 };
		memcpy(r.rule, e->rule, sizeof(r.rule));
		journal_format(&r, out);
		if (!e->active) {
			r.kind = JREC_EXPIRE;
			journal_format(&r, out);
		}
	}
}

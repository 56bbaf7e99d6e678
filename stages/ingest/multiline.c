/* multiline.c - multi-line events (see multiline.h). */
#include "stages/ingest/multiline.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ml_open {
	char *source;
	struct ward_buf text;
	unsigned lines;
	int64_t last;		/* monotonic time of its last line */
};

struct multiline {
	pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	unsigned max_lines;
	size_t max_bytes;
	int64_t max_wait;
	struct ml_open *open;
	size_t nopen;
	struct ward_buf out;	/* the block handed out last */
	char *out_source;
};

struct multiline *multiline_new(const char *firstline, unsigned max_lines, size_t max_bytes,
				int64_t max_wait_ns, char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)firstline, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof msg);
		snprintf(err, errlen, "option --multiline-start: %s at offset %zu", (const char *)msg, (size_t)off);
		return NULL;
	}
	struct multiline *m = ward_xcalloc(1, sizeof *m);
	m->re = re;
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	m->md = pcre2_match_data_create_from_pattern(re, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(m->mctx, 100000);	/* a hostile line cannot stall us */
	m->max_lines = max_lines ? max_lines : 1;
	m->max_bytes = max_bytes;
	m->max_wait = max_wait_ns;
	return m;
}

void multiline_free(struct multiline *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nopen; i++) {
		free(m->open[i].source);
		buf_free(&m->open[i].text);
	}
	free(m->open);
	buf_free(&m->out);
	free(m->out_source);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_code_free(m->re);
	free(m);
}

static struct ml_open *find(struct multiline *m, const char *source)
{
	for (size_t i = 0; i < m->nopen; i++)
		if (strcmp(m->open[i].source, source) == 0)
			return &m->open[i];
	return NULL;
}

/* Hand out o's block and forget it. */
static void complete(struct multiline *m, struct ml_open *o, struct ml_block *out)
{
	buf_reset(&m->out);
	buf_append(&m->out, o->text.data ? o->text.data : "", o->text.len);
	free(m->out_source);
	m->out_source = o->source;
	buf_free(&o->text);
	*o = m->open[--m->nopen];
	out->text = buf_cstr(&m->out);
	out->len = m->out.len;
	out->source = m->out_source;
}

bool multiline_feed(struct multiline *m, const char *source, const char *line, size_t len,
		    int64_t now, struct ml_block *out)
{
	struct ml_open *o = find(m, source);
	if (o) {
		bool first = pcre2_match(m->re, (PCRE2_SPTR)line, len, 0, 0, m->md, m->mctx) >= 0;
		if (first || o->lines >= m->max_lines || o->text.len + 1 + len > m->max_bytes) {
			complete(m, o, out);
			return true;
		}
		buf_append(&o->text, "\n", 1);
		buf_append(&o->text, line, len);
		o->lines++;
		o->last = now;
		return false;
	}
	m->open = ward_xrealloc(m->open, (m->nopen + 1) * sizeof *m->open);
	o = &m->open[m->nopen++];
	memset(o, 0, sizeof *o);
	o->source = ward_xstrdup(source);
	buf_append(&o->text, line, len);
	o->lines = 1;
	o->last = now;
	return false;
}

bool multiline_idle(struct multiline *m, int64_t now, struct ml_block *out)
{
	for (size_t i = 0; i < m->nopen; i++)
		if (now - m->open[i].last >= m->max_wait) {
			complete(m, &m->open[i], out);
			return true;
		}
	return false;
}

bool multiline_take(struct multiline *m, const char *source, struct ml_block *out)
{
	struct ml_open *o = source ? find(m, source) : (m->nopen ? &m->open[0] : NULL);
	if (!o)
		return false;
	complete(m, o, out);
	return true;
}

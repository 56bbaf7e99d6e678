/* f2b_mlbuf.c - the multi-line buffer of a fail2ban filter (see f2b_mlbuf.h). */
#include <stdlib.h>
#include <string.h>

#include "stages/match/f2b_mlbuf.h"

void f2b_mlbuf_init(struct f2b_mlbuf *b, size_t cap)
{
	b->v = ward_xcalloc(cap ? cap : 1, sizeof(*b->v));
	b->cap = cap ? cap : 1;
	b->head = b->n = b->nlit = 0;
}

void f2b_mlbuf_free(struct f2b_mlbuf *b)
{
	for (size_t i = 0; b->v && i < b->cap; i++)
		buf_free(&b->v[i].text);
	free(b->v);
	memset(b, 0, sizeof(*b));
}

struct f2b_mlline *f2b_mlbuf_push(struct f2b_mlbuf *b, const char *s, size_t n)
{
	if (b->n == b->cap) {
		b->nlit -= b->v[b->head].lit;
		b->head = b->head + 1 < b->cap ? b->head + 1 : 0;
		b->n--;
	}
	struct f2b_mlline *l = f2b_mlbuf_at(b, b->n++);
	buf_reset(&l->text);
	buf_append(&l->text, s, strnlen(s, n));
	l->lit = l->raw = false;
	l->ref = 0;
	return l;
}

void f2b_mlbuf_mark(struct f2b_mlbuf *b, size_t i, bool lit)
{
	struct f2b_mlline *l = f2b_mlbuf_at(b, i);
	b->nlit += (size_t)lit - (size_t)l->lit;
	l->lit = lit;
}

void f2b_mlbuf_clear(struct f2b_mlbuf *b)
{
	b->n = b->nlit = 0;
}

void f2b_mlbuf_keep(struct f2b_mlbuf *b, const bool *keep)
{
	size_t j = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (!keep[i]) {
			b->nlit -= f2b_mlbuf_at(b, i)->lit;
			continue;
		}
		if (i != j) {	/* swap, so that no line's storage is lost */
			struct f2b_mlline t = *f2b_mlbuf_at(b, j);
			*f2b_mlbuf_at(b, j) = *f2b_mlbuf_at(b, i);
			*f2b_mlbuf_at(b, i) = t;
		}
		j++;
	}
	b->n = j;
}

void f2b_mlbuf_join(const struct f2b_mlbuf *b, size_t from, size_t to, struct ward_buf *out)
{
	buf_reset(out);
	for (size_t i = from; i < to; i++) {
		if (i > from)
			buf_append_char(out, '\n');
		const struct f2b_mlline *l = f2b_mlbuf_at(b, i);
		buf_append(out, l->text.data, l->text.len);
	}
	buf_append_char(out, '\n');
}

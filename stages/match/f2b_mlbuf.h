/* f2b_mlbuf.h - the multi-line buffer of a maxlines > 1 fail2ban filter
 * (fail2ban's Filter.__lineBuffer): its last lines, oldest first.
 *
 * A ring of line buffers that are reused: a line pushed into a full ring
 * overwrites the oldest one's storage, so a filter that sees every line
 * of a stream (the lines refused to it by the set's gate, raw, too)
 * allocates nothing in steady state. A line is stored up to its first NUL
 * (fail2ban's lines are strings). */
#ifndef WARD_F2B_MLBUF_H
#define WARD_F2B_MLBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct f2b_mlline {
	struct ward_buf text;	/* NUL-terminated (f2b_mlbuf_text) */
	bool lit;	/* may hold a failregex's literal (set by f2b_mlbuf_mark) */
	bool raw;	/* its date is not cut yet */
	int64_t ref;	/* its event time (the year of a raw line's date) */
};

struct f2b_mlbuf {
	struct f2b_mlline *v;	/* cap entries, the oldest at head */
	size_t cap, head, n;
	size_t nlit;	/* lines with lit set: "may the buffer match?" without a walk */
};

void f2b_mlbuf_init(struct f2b_mlbuf *b, size_t cap);
void f2b_mlbuf_free(struct f2b_mlbuf *b);

/* Line i, 0 the oldest (i < b->n). */
static inline struct f2b_mlline *f2b_mlbuf_at(const struct f2b_mlbuf *b, size_t i)
{
	size_t k = b->head + i;
	return &b->v[k < b->cap ? k : k - b->cap];
}

/* The text of line i ("" when empty). */
static inline const char *f2b_mlbuf_text(const struct f2b_mlbuf *b, size_t i)
{
	const struct f2b_mlline *l = f2b_mlbuf_at(b, i);
	return l->text.len ? l->text.data : "";
}

/* Append s[0..n) (up to a NUL) as the newest line, dropping the oldest
 * when the ring is full; its flags are cleared. */
struct f2b_mlline *f2b_mlbuf_push(struct f2b_mlbuf *b, const char *s, size_t n);
/* Set line i's lit. */
void f2b_mlbuf_mark(struct f2b_mlbuf *b, size_t i, bool lit);
/* Keep only the lines i with keep[i] (i < b->n), in their order. */
void f2b_mlbuf_keep(struct f2b_mlbuf *b, const bool *keep);
/* Drop every line. */
void f2b_mlbuf_clear(struct f2b_mlbuf *b);
/* The lines [a, b) joined by "\n", plus a final "\n" (fail2ban's
 * Regex._tupleLinesBuf). */
void f2b_mlbuf_join(const struct f2b_mlbuf *b, size_t from, size_t to, struct ward_buf *out);

#endif

/* buf.h - growable byte buffer.
 *
 * A buffer owns its storage. Appends grow it geometrically; reset keeps the
 * capacity, so a buffer reused per event allocates nothing in steady state.
 * Allocation failure aborts the program (ward_oom): a filter that cannot
 * allocate a few bytes cannot make progress, and silently dropping data would
 * be worse. */
#ifndef WARD_BUF_H
#define WARD_BUF_H

#include <stddef.h>
#include <stdint.h>

struct ward_buf {
	char *data;	/* always NUL-terminated when len > 0 or after buf_cstr */
	size_t len;
	size_t cap;
};

#define WARD_BUF_INIT { NULL, 0, 0 }

/* Room for extra more bytes and the NUL. Inline when it is there, as it
 * nearly always is: writers reserve before every string they escape. */
void buf_grow(struct ward_buf *b, size_t extra);
static inline void buf_reserve(struct ward_buf *b, size_t extra)
{
	if (b->cap > b->len && extra < b->cap - b->len)
		return;
	buf_grow(b, extra);
}
void buf_append(struct ward_buf *b, const void *p, size_t n);
void buf_append_str(struct ward_buf *b, const char *s);
/* Append a string literal without measuring it at run time. */
#define buf_append_lit(b, lit) buf_append((b), "" lit "", sizeof(lit) - 1)
void buf_printf(struct ward_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The content as a C string (the buffer keeps ownership). */
const char *buf_cstr(struct ward_buf *b);
void buf_reset(struct ward_buf *b);
void buf_free(struct ward_buf *b);

/* Inline: JSON writers append a punctuation byte several times per event. */
static inline void buf_append_char(struct ward_buf *b, char c)
{
	if (b->cap - b->len < 2)	/* the byte and the terminating NUL */
		buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/* Allocation wrappers that never return NULL. */
void *ward_xmalloc(size_t n);
void *ward_xcalloc(size_t n, size_t size);
void *ward_xrealloc(void *p, size_t n);
char *ward_xstrdup(const char *s);
char *ward_xstrndup(const char *s, size_t n);
_Noreturn void ward_oom(void);

#endif

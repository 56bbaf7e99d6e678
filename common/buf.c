/* buf.c - growable byte buffer and allocation wrappers. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void ward_oom(void)
{
	static const char msg[] = "ward: fatal: out of memory\n";
	ssize_t r = write(2, msg, sizeof msg - 1);
	(void)r;
	abort();
}

void *ward_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		ward_oom();
	return p;
}

void *ward_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		ward_oom();
	return p;
}

void *ward_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		ward_oom();
	return q;
}

char *ward_xstrndup(const char *s, size_t n)
{
	char *p = ward_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ward_xstrdup(const char *s)
{
	return ward_xstrndup(s, strlen(s));
}

void buf_grow(struct ward_buf *b, size_t extra)
{
	if (extra > SIZE_MAX / 2 - b->len)
		ward_oom();
	size_t need = b->len + extra + 1;	/* room for the terminating NUL */
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->data = ward_xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(struct ward_buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_append_str(struct ward_buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_printf(struct ward_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *buf_cstr(struct ward_buf *b)
{
	buf_reserve(b, 0);
	b->data[b->len] = '\0';
	return b->data;
}

void buf_reset(struct ward_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_free(struct ward_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

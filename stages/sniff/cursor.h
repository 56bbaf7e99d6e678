/* cursor.h - the one way packet bytes are read (as tcpdump's GET_* macros).
 *
 * A cursor is a window [p, p + len) over captured bytes and a read offset.
 * Every accessor checks the bound first and fails (returns false, reads
 * nothing) instead of reading past it, so a decoder written with these cannot
 * overrun a truncated capture whatever the headers claim. Multi-byte values
 * are big-endian (network order) unless the name says otherwise.
 *
 * The cursor never owns its bytes. No I/O, no allocation. */
#ifndef WARD_SNIFF_CURSOR_H
#define WARD_SNIFF_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t *p;	/* first byte of the window */
	size_t len;		/* bytes in the window (captured, never more) */
	size_t off;		/* next byte to read, 0..len */
};

static inline void cur_init(struct cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->len = p ? len : 0;
	c->off = 0;
}

static inline size_t cur_left(const struct cursor *c)
{
	return c->len - c->off;
}

static inline bool cur_has(const struct cursor *c, size_t n)
{
	return n <= c->len - c->off;
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
	if (!cur_has(c, n))
		return false;
	c->off += n;
	return true;
}

/* Read at offset `at` from the current position without moving. */
static inline bool cur_peek_u8(const struct cursor *c, size_t at, uint8_t *v)
{
	if (at >= cur_left(c))
		return false;
	*v = c->p[c->off + at];
	return true;
}

static inline bool cur_peek_be16(const struct cursor *c, size_t at, uint16_t *v)
{
	if (at > cur_left(c) || cur_left(c) - at < 2)
		return false;
	const uint8_t *q = c->p + c->off + at;
	*v = (uint16_t)((unsigned)q[0] << 8 | q[1]);
	return true;
}

static inline bool cur_peek_be32(const struct cursor *c, size_t at, uint32_t *v)
{
	if (at > cur_left(c) || cur_left(c) - at < 4)
		return false;
	const uint8_t *q = c->p + c->off + at;
	*v = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
	return true;
}

/* Host-order 32-bit value as written by the capturing machine (BSD NULL
 * link type): the caller tries both byte orders. */
static inline bool cur_peek_le32(const struct cursor *c, size_t at, uint32_t *v)
{
	if (at > cur_left(c) || cur_left(c) - at < 4)
		return false;
	const uint8_t *q = c->p + c->off + at;
	*v = (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
	return true;
}

static inline bool cur_peek_bytes(const struct cursor *c, size_t at, void *dst, size_t n)
{
	if (at > cur_left(c) || cur_left(c) - at < n)
		return false;
	memcpy(dst, c->p + c->off + at, n);
	return true;
}

static inline bool cur_u8(struct cursor *c, uint8_t *v)
{
	return cur_peek_u8(c, 0, v) && cur_skip(c, 1);
}

static inline bool cur_be16(struct cursor *c, uint16_t *v)
{
	return cur_peek_be16(c, 0, v) && cur_skip(c, 2);
}

/* A cursor over the next n bytes, or over what is left if fewer were
 * captured (*short_read tells which). The parent does not move. */
static inline void cur_sub(const struct cursor *c, size_t n, struct cursor *sub, bool *short_read)
{
	size_t left = cur_left(c);
	*short_read = n > left;
	cur_init(sub, c->p + c->off, *short_read ? left : n);
}

#endif

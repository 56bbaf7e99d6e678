/* serieskey.h - a series' identity as bytes: a sequence of strings, each
 * with a 2-byte big-endian length, used as hash-table keys by the per-key
 * engine and the step rules. Values longer than SERIESKEY_VALUE_MAX are
 * cut there (the key stays bounded whatever an event carries). */
#ifndef WARD_WINDOW_SERIESKEY_H
#define WARD_WINDOW_SERIESKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "event.h"
#include "stages/window/rule.h"

#define SERIESKEY_VALUE_MAX 4096

/* Append one length-prefixed string. */
void serieskey_put(struct ward_buf *b, const char *s, size_t n);
/* Append name/value pairs for every label and field of ev (a field hides a
 * label of its name), sorted by name, without the rule's without() names
 * (when its group mode is WW_GROUP_WITHOUT) and without __ internal names. */
void serieskey_put_all(struct ward_buf *b, const struct ww_rule *rule, const struct ward_event *ev);
/* The rule's by() key of ev, into b (reset first); true when a by()
 * label was absent (its value is then ""). */
bool serieskey_encode_by(struct ward_buf *b, const struct ww_rule *rule, const struct ward_event *ev);
/* Read the next string at *p (before end); false when none is left whole. */
bool serieskey_next(const unsigned char **p, const unsigned char *end, const char **s, size_t *n);

#endif

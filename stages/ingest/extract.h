/* extract.h - timestamps and labels parsed out of the line (no I/O).
 *
 * --regex RE: a PCRE2 expression (compiled once, JIT, with a match limit
 * against catastrophic backtracking) whose named groups become labels; the
 * group named `ts` is the event's time instead (any layout of
 * time_parse_text, wtime.h). --ts-json KEY: when the line is a JSON object, its member KEY
 * (a string time, or a number of epoch seconds/ms/us/ns) is the time.
 * A line the parser does not match keeps the other sources of time. */
#ifndef WARD_INGEST_EXTRACT_H
#define WARD_INGEST_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct extract;

/* NULL regex and key: nothing to do (returns NULL without error). On a bad
 * regex returns NULL with err set. */
struct extract *extract_new(const char *regex, const char *ts_json_key, char *err, size_t errlen);
void extract_free(struct extract *x);
/* Add the labels to ev and return true with *ts set when a time was found.
 * now_ns picks the year of BSD times. */
bool extract_apply(struct extract *x, struct ward_event *ev, const char *line, size_t len,
		   int64_t now_ns, int64_t *ts);

#endif

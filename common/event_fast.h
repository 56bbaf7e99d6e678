/* event_fast.h - a fast path for decoding the events ward-ingest writes.
 *
 * event_parse (json-c) builds a tree per record; for the plain events that
 * make up most streams ({"v","ts","labels","line","fields","rule"} with
 * string values) this scanner decodes straight into the event, several
 * times faster. It accepts only a strict subset of what event_parse
 * accepts, and for that subset yields an event that serializes identically
 * (fuzz/fuzz_event_fast.c checks this); anything else (other keys,
 * numbers or nulls in labels/fields, \u surrogates, invalid UTF-8,
 * duplicate members) returns -1 and the caller falls back to event_parse.
 * No I/O; allocation in the event's arena, and in its memo (ev->memo: the
 * last labels object and ts decoded, reused when a record repeats their
 * bytes, as consecutive records of one stream do). */
#ifndef WARD_EVENT_FAST_H
#define WARD_EVENT_FAST_H

#include <stddef.h>

#include "buf.h"
#include "event.h"

/* 0: ev holds the record; -1: not in the fast subset (ev is reset). */
int event_decode_fast(struct ward_event *ev, const char *json, size_t len, struct ward_buf *scratch);

#endif

/* progress.h - one progress line on the terminal while a stage reads a file.
 *
 * Offline work on a big file (ward-ingest, ward-match, ward-window reading
 * a regular file) shows "ward-match: FILE 42% 120/285 MiB, 1.2M events,
 * 830k events/s" on stderr, redrawn in place at most every 250 ms, erased at
 * the end. Only when stderr is a terminal and the level is not -q, and only
 * for an input whose size is known (a regular file): the stages of a chain
 * share one terminal line, and the one reading the file is the one that
 * knows how far it is. Never when stderr is not a terminal.
 *
 * One line per process (stderr is one): log.c erases it before any message,
 * and the next update draws it again. WARD_PROGRESS_INTERVAL (a duration,
 * default 250ms) sets the redraw interval; the first draw waits two
 * intervals, so quick runs never show it. */
#ifndef WARD_PROGRESS_H
#define WARD_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/* Start a progress line for input `name` of `size` bytes (< 0: unknown,
 * then nothing is shown). Decides once whether to show anything. */
void progress_begin(const char *name, int64_t size, int64_t now_mono_ns);
/* bytes read so far and events so far; cheap when no redraw is due. */
void progress_update(int64_t bytes, uint64_t events, int64_t now_mono_ns);
/* Erase the line (before other output on stderr); the next update redraws. */
void progress_erase(void);
/* Erase the line and stop showing it. */
void progress_end(void);
/* True while a progress line is active (for tests and callers that print). */
bool progress_active(void);

#endif

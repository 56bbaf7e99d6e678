/* f2b_date.h - fail2ban's date detection (server/datedetector.py,
 * server/datetemplate.py, server/strptime.py) on PCRE2.
 *
 * A detector holds date templates: fail2ban's default list (each also in
 * a line-start anchored form, tried first, as fail2ban caches them), or
 * the filter's `datepattern` lines: strptime directives (%Y %m %d %H %M %S
 * %f %b %B %a %A %p %I %k %l %y %z %Z %j and the %Ex... forms), `{^LN-BEG}`,
 * `{UNB}`, `**` bounds, `{DATE}` (a prefix around every default template),
 * EPOCH / LEPOCH, TAI64N. Zones: %z offsets, UTC/GMT/Z and fail2ban's fixed
 * abbreviation table (PDT, CET...); a time without a zone is read as UTC.
 * Not supported: %c %x %X (locale formats), named zones (Europe/Paris).
 * Templates carry a literal prefilter (f2b_required_literal).
 *
 * Search: the first anchored template that matches wins, else the match
 * that starts earliest (fail2ban's detector prefers the last template that
 * hit; on the shipped samples this gives the same span). The span (group 1,
 * as fail2ban takes it) is cut from the line before the failregexes run. */
#ifndef WARD_F2B_DATE_H
#define WARD_F2B_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct f2b_date;

/* datepattern NULL: the defaults. NULL with the reason in err on a
 * pattern that cannot be used. */
struct f2b_date *f2b_date_new(const char *datepattern, char *err, size_t errlen);
/* Detectors are shared by filters with the same datepattern (a reference
 * count; f2b_date_free drops one): a detector remembers its last line's
 * result, so a line is searched once for all of them. */
struct f2b_date *f2b_date_ref(struct f2b_date *d);
const char *f2b_date_pattern(const struct f2b_date *d);
void f2b_date_free(struct f2b_date *d);

/* Templates shared by several detectors (the same pattern: the default
 * templates are in most datepatterns) are searched once per line for all
 * of them: the share remembers each distinct template's result on the
 * last line any of them searched. Detectors already in a share are left
 * as they are; f2b_date_share_free detaches them (free it before them).
 * Results are the same with or without. */
struct f2b_date_share;
struct f2b_date_share *f2b_date_share_new(struct f2b_date *const *dates, size_t n);
void f2b_date_share_free(struct f2b_date_share *sh);

/* Can the date span be empty (a line that then takes the last date seen)?
 * `()`, and `{DATE}` without a group of the pattern's own around it: the
 * span is then the first group of a default template, which may match
 * nothing (recidive's `^{DATE}` on a line without a date). */
bool f2b_date_may_be_empty(const struct f2b_date *d);
/* Does every span start within the first two characters of the line,
 * after non-word characters only (every template line-start anchored:
 * `{^LN-BEG}`, `^(`...)? Text cut from such a line has at most two
 * non-word characters before it. */
bool f2b_date_near_start(const struct f2b_date *d);

/* Find the date in line: true with [*s, *e) its span and *ns its time
 * (WARD_TS_NONE when the matched text does not form a time). ref_ns is the
 * time that supplies a missing year (the event's time, or now). */
bool f2b_date_find(struct f2b_date *d, const char *line, size_t len, int64_t ref_ns, size_t *s, size_t *e,
		   int64_t *ns);

/* f2b_date_find for a line searched once (a filter's pending lines):
 * neither the memo nor the share is read or written, so they keep the
 * current line and nothing is copied. */
bool f2b_date_find_once(struct f2b_date *d, const char *line, size_t len, int64_t ref_ns, size_t *s, size_t *e,
			int64_t *ns);

/* Has d searched line already (f2b_date_span is then free)? */
bool f2b_date_known(const struct f2b_date *d, const char *line, size_t len, int64_t ref_ns);

/* The span only, as f2b_date_find finds it, without reading the time
 * (cheaper; a later f2b_date_find of the same line adds the time). */
bool f2b_date_span(struct f2b_date *d, const char *line, size_t len, int64_t ref_ns, size_t *s, size_t *e);

#endif

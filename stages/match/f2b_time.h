/* f2b_time.h - the time a fail2ban date template matched, as fail2ban's
 * server/strptime.py reads it: strptime fields to nanoseconds since the
 * epoch. Zones: %z offsets, Z/UTC/GMT and fail2ban's fixed abbreviation
 * table (no DST switching, as there); a time without a zone is UTC. A
 * missing year is ref's, and a date more than a day ahead of ref is last
 * year's; a time of day without a date ahead of ref is yesterday's. */
#ifndef WARD_F2B_TIME_H
#define WARD_F2B_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The strptime fields, in f2b_date.c's group order (its gnames). */
enum f2b_tfield {
	F2B_TF_Y, F2B_TF_y, F2B_TF_m, F2B_TF_b, F2B_TF_B, F2B_TF_d, F2B_TF_H,
	F2B_TF_I, F2B_TF_p, F2B_TF_M, F2B_TF_S, F2B_TF_f, F2B_TF_z, F2B_TF_Z,
	F2B_TF_N
};
struct f2b_tfields {
	const char *v[F2B_TF_N];	/* a field's text, NULL when unset */
	size_t n[F2B_TF_N];
};

/* The time of the fields, or WARD_TS_NONE when they form none (a month out
 * of range, an unknown zone, a year int64 nanoseconds cannot hold). */
int64_t f2b_time_of(const struct f2b_tfields *f, int64_t ref_ns);
/* EPOCH (s[0..n) seconds with an optional fraction), LEPOCH (longer:
 * milliseconds or microseconds when 13 or 16 digits) and TAI64N (the 24
 * hex digits after '@'). */
int64_t f2b_time_epoch(const char *s, size_t n, bool longer);
int64_t f2b_time_tai64n(const char *hex24);

#endif

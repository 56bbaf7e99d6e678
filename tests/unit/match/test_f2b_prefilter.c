/* Unit test: the fail2ban set's literal prefilter never changes a result.
 *
 * Two sets of every shipped filter (/etc/fail2ban/filter.d), one with the
 * prefilter (f2b_set_prepare) and one running every filter on every line
 * (no_prefilter), see the same lines: every line of fail2ban's own sample
 * logs (its tests/files/logs), then lines spliced from pieces of them and
 * lines with random bytes. Each line's failures (filter, id, time, fields)
 * must be the same. Skipped when fail2ban is not installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "event.h"
#include "stages/match/f2b_date.h"
#include "stages/match/f2b_filter.h"
#include "stages/match/f2b_gate.h"
#include "stages/match/f2b_set.h"

#define FILTERS "/etc/fail2ban/filter.d"
#define NS 1000000000LL
static const int64_t REF = 1795867200LL * NS;	/* 2026-11-28T12:00:00Z */

static const char *const sample_dirs[] = {
	"/usr/lib/python3/dist-packages/fail2ban/tests/files/logs",
	"/usr/share/fail2ban/tests/files/logs",
};

struct lines {
	char **v;
	size_t n;
};

static void add_line(struct lines *l, const char *s, size_t n)
{
	l->v = ward_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = ward_xstrndup(s, n);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every non-comment line of every sample log, files in name order. */
static void read_samples(const char *dir, struct lines *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char **names = NULL;
	size_t nn = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (de->d_name[0] != '.') {
			names = ward_xrealloc(names, (nn + 1) * sizeof(*names));
			names[nn++] = ward_xstrdup(de->d_name);
		}
	closedir(d);
	qsort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "r");
		free(names[i]);
		if (!f)
			continue;
		char *line = NULL;
		size_t cap = 0;
		ssize_t r;
		while ((r = getline(&line, &cap, f)) > 0) {
			size_t n = (size_t)r;
			while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				n--;
			if (n && line[0] != '#')
				add_line(out, line, n);
		}
		free(line);
		fclose(f);
	}
	free(names);
}

/* A deterministic generator (no dependence on the clock). */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Lines made of pieces of sample lines (a header of one, the tail of
 * another; words swapped in) and of random bytes. */
static void random_lines(const struct lines *s, size_t count, struct lines *out)
{
	for (size_t i = 0; i < count; i++) {
		struct ward_buf b = WARD_BUF_INIT;
		const char *a = s->v[next_rand() % s->n], *c = s->v[next_rand() % s->n];
		size_t al = strlen(a), cl = strlen(c);
		switch (next_rand() % 4) {
		case 0:	/* head of a, tail of c */
			buf_append(&b, a, al ? next_rand() % al : 0);
			if (cl) {
				size_t k = next_rand() % cl;
				buf_append(&b, c + k, cl - k);
			}
			break;
		case 1:	/* a with a piece of c inserted */
			if (al) {
				size_t k = next_rand() % al;
				buf_append(&b, a, k);
				size_t from = cl ? next_rand() % cl : 0;
				buf_append(&b, c + from, (cl - from) / 2);
				buf_append(&b, a + k, al - k);
			}
			break;
		case 2:	/* a with random bytes overwritten */
			buf_append(&b, a, al);
			for (size_t k = 0; b.len && k < 3; k++)
				b.data[next_rand() % b.len] = (char)(1 + next_rand() % 255);
			break;
		default:	/* random printable words */
			for (size_t k = 0, n = 1 + next_rand() % 12; k < n; k++) {
				for (size_t j = 0, m = 1 + next_rand() % 9; j < m; j++)
					buf_append_char(&b, (char)(' ' + 1 + next_rand() % 94));
				buf_append_char(&b, ' ');
			}
		}
		add_line(out, b.data ? b.data : "", b.len);
		buf_free(&b);
	}
}

static int collect(void *ud, struct ward_event *out)
{
	struct ward_buf *b = ud;
	buf_printf(b, "%s ts=%lld", out->rule ? out->rule : "", (long long)out->ts_ns);
	for (size_t i = 0; i < out->fields.len; i++)
		buf_printf(b, " %s=%s", out->fields.items[i].key, out->fields.items[i].val);
	buf_append_char(b, '\n');
	return 0;
}

static void test_prefilter_same_results(void **state)
{
	(void)state;
	struct lines samples = { 0 }, all = { 0 };
	for (size_t i = 0; i < sizeof(sample_dirs) / sizeof(*sample_dirs) && samples.n == 0; i++)
		read_samples(sample_dirs[i], &samples);
	struct f2b_set fast = { .match_limit = 100000 }, slow = { .match_limit = 100000 };
	size_t refused = 0;
	if (samples.n == 0 || f2b_set_load(&fast, FILTERS, &refused) == 0) {
		f2b_set_free(&fast);
		skip();
	}
	assert_true(f2b_set_load(&slow, FILTERS, &refused) == fast.n);
	f2b_set_prepare(&fast);
	slow.no_prefilter = true;
	assert_non_null(fast.gate.scan);
	assert_true(fast.ngated * 2 > fast.n);	/* most shipped filters are gated */
	for (size_t i = 0; i < samples.n; i++)
		add_line(&all, samples.v[i], strlen(samples.v[i]));
	random_lines(&samples, 3000, &all);
	struct ward_event ev, out;
	event_init(&ev);
	event_init(&out);
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	size_t diffs = 0, failures = 0;
	for (size_t i = 0; i < all.n; i++) {
		event_set_line(&ev, all.v[i], strlen(all.v[i]));
		ev.ts_ns = REF;
		buf_reset(&a);
		buf_reset(&b);
		int na = f2b_set_event(&fast, &ev, &out, collect, &a);
		int nb = f2b_set_event(&slow, &ev, &out, collect, &b);
		failures += (size_t)(nb > 0 ? nb : 0);
		if (na != nb || a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0)) {
			if (diffs < 5 && i) print_message("prev: %s\n", all.v[i - 1]);
			if (diffs++ < 5)
				print_message("differs: %s\n  prefiltered: %s  all filters: %s", all.v[i], buf_cstr(&a),
					      buf_cstr(&b));
		}
	}
	assert_true(failures > 300);	/* the samples are failures: the test sees real matches */
	assert_int_equal(diffs, 0);
	buf_free(&a);
	buf_free(&b);
	event_free(&ev);
	event_free(&out);
	for (size_t i = 0; i < samples.n; i++)
		free(samples.v[i]);
	for (size_t i = 0; i < all.n; i++)
		free(all.v[i]);
	free(samples.v);
	free(all.v);
	f2b_set_free(&fast);
	f2b_set_free(&slow);
}

/* Which datepatterns put every date within two non-word characters of
 * the line start (the gate's witnesses are then cut shorter). */
static void test_date_near_start(void **state)
{
	(void)state;
	static const struct { const char *pattern; bool near; } cases[] = {
		{ "{^LN-BEG}", true },
		{ "{^LN-BEG}TAI64N", true },
		{ "^%Y-%m-%d %H:%M:%S", true },
		{ NULL, false },	/* the defaults: searched anywhere */
		{ "%Y-%m-%d %H:%M:%S", false },
		{ "^[^\\[]*\\[({DATE})", false },	/* text before the group */
		{ "{^LN-BEG}\n%Y-%m-%d %H:%M:%S", false },	/* one unanchored template */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char err[200];
		struct f2b_date *d = f2b_date_new(cases[i].pattern, err, sizeof(err));
		assert_non_null(d);
		if (f2b_date_near_start(d) != cases[i].near)
			fail_msg("%s: near_start %d", cases[i].pattern ? cases[i].pattern : "(defaults)", !cases[i].near);
		f2b_date_free(d);
	}
}

/* A literal split by a date at the line start: ":" before it, " failed
 * from" after it (the regex sees ": failed from"). The gate's witness of
 * ": failed from " for a {^LN-BEG} date is "failed from " (k = 1 or 2). */
static void test_split_at_line_start(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-f2b-split-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/split.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[Definition]\nfailregex = ^: failed from <HOST>$\ndatepattern = {^LN-BEG}\n", f);
	fclose(f);
	struct f2b_set fast = { .match_limit = 100000 }, slow = { .match_limit = 100000 };
	size_t refused = 0;
	assert_int_equal(f2b_set_load(&fast, path, &refused), 1);
	assert_int_equal(f2b_set_load(&slow, path, &refused), 1);
	f2b_set_prepare(&fast);
	slow.no_prefilter = true;
	static const char *const lines[] = {
		":Jun  1 00:00:00 failed from 192.0.2.1",	/* the split: a failure */
		"Jun  1 00:00:00 : failed from 192.0.2.2",	/* whole, after the date: no failure */
		":Jun  1 00:00:00 failed to 192.0.2.3",
	};
	struct ward_event ev, out;
	event_init(&ev);
	event_init(&out);
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	int found = 0;
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		event_set_line(&ev, lines[i], strlen(lines[i]));
		ev.ts_ns = REF;
		buf_reset(&a);
		buf_reset(&b);
		int na = f2b_set_event(&fast, &ev, &out, collect, &a);
		int nb = f2b_set_event(&slow, &ev, &out, collect, &b);
		assert_int_equal(na, nb);
		assert_string_equal(buf_cstr(&a), buf_cstr(&b));
		found += na;
	}
	assert_int_equal(found, 1);
	buf_free(&a);
	buf_free(&b);
	event_free(&ev);
	event_free(&out);
	f2b_set_free(&fast);
	f2b_set_free(&slow);
	unlink(path);
	rmdir(dir);
}

/* A maxlines filter is gated: the lines refused to it enter its buffer
 * raw, and their dates are cut once a later line holds its literal (the
 * first line below matches `^\s*<HOST>` only without its date). */
static void test_multiline_raw_lines(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-f2b-ml-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/ml.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[Definition]\nfailregex = ^\\s*<HOST>\\s*\\n.*Login failed\n"
	      "datepattern = ^%%Y-%%m-%%d %%H:%%M:%%S\n[Init]\nmaxlines = 2\n", f);
	fclose(f);
	struct f2b_set fast = { .match_limit = 100000 }, slow = { .match_limit = 100000 };
	size_t refused = 0;
	assert_int_equal(f2b_set_load(&fast, path, &refused), 1);
	assert_int_equal(f2b_set_load(&slow, path, &refused), 1);
	f2b_set_prepare(&fast);
	slow.no_prefilter = true;
	assert_int_equal(fast.gate.nskip, 1);	/* gated, not run on every line */
	static const char *const lines[] = {
		"2026-06-01 00:00:00 192.0.2.1",
		"2026-06-01 00:00:01 Login failed",	/* a failure of 192.0.2.1 */
		"2026-06-01 00:00:02 - -",
		"2026-06-01 00:00:03 Login failed",
		"2026-06-01 00:00:04 192.0.2.4",
		"2026-06-01 00:00:05 192.0.2.5",
		"2026-06-01 00:00:06 Login failed",	/* a failure of 192.0.2.5 */
	};
	struct ward_event ev, out;
	event_init(&ev);
	event_init(&out);
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	int found = 0;
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		event_set_line(&ev, lines[i], strlen(lines[i]));
		ev.ts_ns = REF;
		buf_reset(&a);
		buf_reset(&b);
		int na = f2b_set_event(&fast, &ev, &out, collect, &a);
		int nb = f2b_set_event(&slow, &ev, &out, collect, &b);
		assert_int_equal(na, nb);
		assert_string_equal(buf_cstr(&a), buf_cstr(&b));
		found += na;
	}
	assert_int_equal(found, 2);
	buf_free(&a);
	buf_free(&b);
	event_free(&ev);
	event_free(&out);
	f2b_set_free(&fast);
	f2b_set_free(&slow);
	unlink(path);
	rmdir(dir);
}

/* The buffer may match while a line holding the literal is in it, also
 * when the failure needs lines after it and older lines left the buffer
 * since (its count of such lines follows the lines that go). */
static void test_multiline_literal_first(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-f2b-mlfirst-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/mlfirst.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[Definition]\nfailregex = ^ Login failed\\n.*\\n\\s*<HOST>$\n"
	      "datepattern = ^%%Y-%%m-%%d %%H:%%M:%%S\n[Init]\nmaxlines = 3\n", f);
	fclose(f);
	struct f2b_set fast = { .match_limit = 100000 }, slow = { .match_limit = 100000 };
	size_t refused = 0;
	assert_int_equal(f2b_set_load(&fast, path, &refused), 1);
	assert_int_equal(f2b_set_load(&slow, path, &refused), 1);
	f2b_set_prepare(&fast);
	slow.no_prefilter = true;
	assert_int_equal(fast.gate.nskip, 1);
	static const char *const lines[] = {
		"2026-06-01 00:00:00 x", "2026-06-01 00:00:01 y", "2026-06-01 00:00:02 Login failed",
		"2026-06-01 00:00:03 z", "2026-06-01 00:00:04 192.0.2.9",	/* a failure */
	};
	struct ward_event ev, out;
	event_init(&ev);
	event_init(&out);
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	int found = 0;
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		event_set_line(&ev, lines[i], strlen(lines[i]));
		ev.ts_ns = REF;
		int na = f2b_set_event(&fast, &ev, &out, collect, &a);
		int nb = f2b_set_event(&slow, &ev, &out, collect, &b);
		assert_int_equal(na, nb);
		found += na;
	}
	assert_int_equal(found, 1);
	assert_string_equal(buf_cstr(&a), buf_cstr(&b));
	buf_free(&a);
	buf_free(&b);
	event_free(&ev);
	event_free(&out);
	f2b_set_free(&fast);
	f2b_set_free(&slow);
	unlink(path);
	rmdir(dir);
}

/* A filter whose date may be empty (`^I\(()**`: such a line takes the
 * last date seen) is gated: the lines refused to it still set its last
 * date, searched only when a failure needs it (more than the 16 lines
 * kept before they are settled; undated and empty-dated ones set
 * nothing). */
static void test_empty_date_gated(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-f2b-eager-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/eager.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[Definition]\nfailregex = ^I\\(\\) login failed from <HOST>$\n"
	      "datepattern = ^%%Y-%%m-%%d %%H:%%M:%%S\n              ^I\\(\\)()**\n", f);
	fclose(f);
	struct f2b_set fast = { .match_limit = 100000 }, slow = { .match_limit = 100000 };
	size_t refused = 0;
	assert_int_equal(f2b_set_load(&fast, path, &refused), 1);
	assert_int_equal(f2b_set_load(&slow, path, &refused), 1);
	f2b_set_prepare(&fast);
	slow.no_prefilter = true;
	assert_int_equal(fast.ngated, 1);
	assert_int_equal(fast.gate.nskip, 1);	/* refused lines still reach it */
	struct lines lines = { 0 };
	char l[64];
	for (int k = 0; k < 40; k++) {
		int n = k == 3 || k == 39 ? snprintf(l, sizeof(l), "I() login failed from 192.0.2.%d", k)
		      : k % 7 == 5 || k == 38 ? snprintf(l, sizeof(l), "I() session %d", k)	/* empty date, refused */
		      : k % 11 == 10 ? snprintf(l, sizeof(l), "no date %d", k)
				     : snprintf(l, sizeof(l), "2026-06-01 00:00:%02d session %d", k, k);
		add_line(&lines, l, (size_t)n);
	}
	struct ward_event ev, out;
	event_init(&ev);
	event_init(&out);
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	for (size_t i = 0; i < lines.n; i++) {
		event_set_line(&ev, lines.v[i], strlen(lines.v[i]));
		ev.ts_ns = REF;
		int na = f2b_set_event(&fast, &ev, &out, collect, &a);
		int nb = f2b_set_event(&slow, &ev, &out, collect, &b);
		assert_int_equal(na, nb);
		free(lines.v[i]);
	}
	free(lines.v);
	/* 00:00:02 and 00:00:37 of 2026-06-01 */
	assert_string_equal(buf_cstr(&b), "f2b:eager ts=1780272002000000000 src_ip=192.0.2.3 f2b_id=192.0.2.3\n"
					  "f2b:eager ts=1780272037000000000 src_ip=192.0.2.39 f2b_id=192.0.2.39\n");
	assert_string_equal(buf_cstr(&a), buf_cstr(&b));
	buf_free(&a);
	buf_free(&b);
	event_free(&ev);
	event_free(&out);
	f2b_set_free(&fast);
	f2b_set_free(&slow);
	unlink(path);
	rmdir(dir);
}

/* A failregex without a literal is gated by the bytes of a small class
 * every match passes through (3proxy's `[+-]`): any of them. */
static void test_class_gate(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-f2b-class-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/class.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[Definition]\nfailregex = ^\\s[+-]\\d{4} <HOST>$\ndatepattern = {^LN-BEG}\n", f);
	fclose(f);
	struct f2b_set fast = { .match_limit = 100000 }, slow = { .match_limit = 100000 };
	size_t refused = 0;
	assert_int_equal(f2b_set_load(&fast, path, &refused), 1);
	assert_int_equal(f2b_set_load(&slow, path, &refused), 1);
	f2b_set_prepare(&fast);
	slow.no_prefilter = true;
	assert_false(f2b_gate_always(&fast.gate, 0));
	assert_int_equal(fast.gate.nlits, 2);
	static const char *const lines[] = {
		"Jun  1 00:00:00 +0100 192.0.2.1",	/* a failure */
		"Jun  1 00:00:00 x0100 192.0.2.2",
		" -0100 192.0.2.3",	/* a failure, no date */
		"Jun  1 00:00:00 0100 192.0.2.4",
	};
	struct ward_event ev, out;
	event_init(&ev);
	event_init(&out);
	struct ward_buf a = WARD_BUF_INIT, b = WARD_BUF_INIT;
	int found = 0;
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		event_set_line(&ev, lines[i], strlen(lines[i]));
		ev.ts_ns = REF;
		int na = f2b_set_event(&fast, &ev, &out, collect, &a);
		int nb = f2b_set_event(&slow, &ev, &out, collect, &b);
		assert_int_equal(na, nb);
		found += na;
	}
	assert_int_equal(found, 2);
	assert_string_equal(buf_cstr(&a), buf_cstr(&b));
	buf_free(&a);
	buf_free(&b);
	event_free(&ev);
	event_free(&out);
	f2b_set_free(&fast);
	f2b_set_free(&slow);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefilter_same_results),
		cmocka_unit_test(test_date_near_start),
		cmocka_unit_test(test_split_at_line_start),
		cmocka_unit_test(test_multiline_raw_lines),
		cmocka_unit_test(test_multiline_literal_first),
		cmocka_unit_test(test_empty_date_gated),
		cmocka_unit_test(test_class_gate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

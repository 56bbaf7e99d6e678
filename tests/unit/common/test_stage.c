/* Unit tests: the stage loop driving an input that is not a transport (as
 * ward-sniff's capture is): every record to on_record, the progress line's
 * size and position from the stage's hooks, on_report before the counters
 * are printed on SIGUSR1, on_end at the end; bursts of records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>

#include "stage.h"

struct fake_input {
	struct ward_input in;
	int left;
};

static enum rec_status fake_next(struct ward_input *in, int timeout_ms, struct ward_record *rec)
{
	struct fake_input *f = (struct fake_input *)in;
	(void)timeout_ms;
	if (f->left == 0)
		return REC_EOF;
	f->left--;
	rec->data = "frame";
	rec->len = 5;
	rec->ts_ns = WARD_TS_NONE;
	return REC_OK;
}

static bool fake_buffered(struct ward_input *in)
{
	return ((struct fake_input *)in)->left > 0;
}

static const struct ward_input_ops fake_ops = { .next = fake_next, .buffered = fake_buffered };

struct calls {
	int records, size, pos, report, end;
	int usr1_at;		/* raise SIGUSR1 at this record */
	uint64_t in_at_report;
};

static int c_record(void *ctx, struct ward_stage *st, const struct ward_record *rec)
{
	struct calls *c = ctx;
	(void)st;
	assert_int_equal(rec->len, 5);
	if (++c->records == c->usr1_at)
		raise(SIGUSR1);
	return 0;
}

static int64_t c_size(void *ctx, struct ward_stage *st)
{
	(void)st;
	((struct calls *)ctx)->size++;
	return 1000;
}

static int64_t c_pos(void *ctx, struct ward_stage *st)
{
	(void)st;
	((struct calls *)ctx)->pos++;
	return 10;
}

static void c_report(void *ctx, struct ward_stage *st)
{
	struct calls *c = ctx;
	c->report++;
	c->in_at_report = st->counters.in;
}

static int c_end(void *ctx, struct ward_stage *st)
{
	(void)st;
	((struct calls *)ctx)->end++;
	return 0;
}

static void test_source_hooks(void **state)
{
	(void)state;
	struct ward_common_opts o;
	common_opts_defaults(&o);
	o.quiet = true;
	struct ward_stage st;
	stage_init(&st, "test", &o);
	char err[256];
	st.out = output_open("/dev/null", &st.topts, err, sizeof err);
	assert_non_null(st.out);
	struct fake_input f = { .in = { .ops = &fake_ops, .uri = "fake" }, .left = 5 };
	st.in = &f.in;
	struct calls c = { .usr1_at = 3 };
	const struct stage_hooks h = { .on_record = c_record, .on_end = c_end, .input_size = c_size,
				       .input_pos = c_pos, .on_report = c_report, .clock_every = 2 };
	assert_int_equal(stage_run(&st, &h, &c), 0);
	assert_int_equal(c.records, 5);
	assert_int_equal(st.counters.in, 5);
	assert_int_equal(c.size, 1);
	/* the position is asked at each clock read: every 2 records, and
	 * whenever the input has nothing buffered */
	assert_true(c.pos >= 2 && c.pos <= 4);
	assert_int_equal(c.report, 1);
	assert_int_equal(c.in_at_report, 3);
	assert_int_equal(c.end, 1);
	st.in = NULL;	/* not the stage's to close */
	assert_int_equal(stage_finish(&st), 0);
}

/* A burst: records in a row while the input holds them; SIGUSR1 is seen
 * (on_report) only after the burst, and again after each one. */
static void test_burst(void **state)
{
	(void)state;
	struct ward_common_opts o;
	common_opts_defaults(&o);
	o.quiet = true;
	struct ward_stage st;
	stage_init(&st, "test", &o);
	char err[256];
	st.out = output_open("/dev/null", &st.topts, err, sizeof err);
	assert_non_null(st.out);
	struct fake_input f = { .in = { .ops = &fake_ops, .uri = "fake" }, .left = 10 };
	st.in = &f.in;
	struct calls c = { .usr1_at = 2 };
	const struct stage_hooks h = { .on_record = c_record, .on_end = c_end, .on_report = c_report,
				       .burst = 4 };
	assert_int_equal(stage_run(&st, &h, &c), 0);
	assert_int_equal(c.records, 10);
	assert_int_equal(st.counters.in, 10);
	assert_int_equal(c.report, 1);
	assert_int_equal(c.in_at_report, 4);
	assert_int_equal(c.end, 1);
	st.in = NULL;
	assert_int_equal(stage_finish(&st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_hooks),
		cmocka_unit_test(test_burst),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: Suricata, Zeek and journal JSON records (records.h), and
 * multi-line blocks (multiline.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "event.h"
#include "stages/ingest/multiline.h"
#include "stages/ingest/records.h"
#include "wtime.h"

static enum recparse_result feed(struct recparse *p, const char *src, const char *line, struct ward_event *ev)
{
	const char *why;
	enum recparse_result r = recparse_line(p, src, line, strlen(line), ev, &why);
	if (r == RECPARSE_BAD)
		assert_non_null(why);
	return r;
}

static const char *fld(const struct ward_event *ev, const char *k)
{
	const struct ward_kv *kv = event_field(ev, k);
	return kv ? kv->val : NULL;
}

static const char *lbl(const struct ward_event *ev, const char *k)
{
	const struct ward_kv *kv = event_label(ev, k);
	return kv ? kv->val : NULL;
}

static void test_suricata(void **state)
{
	(void)state;
	struct recparse *p = recparse_new(REC_SURICATA);
	struct ward_event ev;
	event_init(&ev);
	assert_int_equal(feed(p, "-", "{\"timestamp\":\"2026-11-28T08:43:52.5+0100\",\"event_type\":\"alert\",\"src_ip\":\"192.0.2.1\",\"src_port\":1,\"dest_ip\":\"192.0.2.2\",\"dest_port\":22,\"proto\":\"TCP\",\"flow_id\":9007199254740993}", &ev), RECPARSE_EVENT);
	assert_string_equal(lbl(&ev, "event_type"), "alert");
	assert_string_equal(fld(&ev, "src_ip"), "192.0.2.1");
	assert_string_equal(fld(&ev, "dest_port"), "22");
	assert_string_equal(fld(&ev, "flow_id"), "9007199254740993");	/* exact beyond 2^53 */
	assert_true(ev.ts_ns == 1795851832500000000LL);	/* the +0100 offset applied */
	assert_int_equal(feed(p, "-", "{\"event_type\":\"flow\"} x", &ev), RECPARSE_BAD);	/* trailing text */
	assert_int_equal(feed(p, "-", "{\"timestamp\":\"2026-11-28T08:43:52Z\"}", &ev), RECPARSE_BAD);
	assert_int_equal(feed(p, "-", "plain text", &ev), RECPARSE_BAD);
	assert_int_equal(feed(p, "-", "{\"event_type\":\"dns\",\"timestamp\":\"never\"}", &ev), RECPARSE_EVENT);
	assert_true(ev.ts_ns == WARD_TS_NONE);
	/* fast.log: the tuple is the last {PROTO} group, after the message */
	assert_int_equal(feed(p, "-", "11/28/2026-08:43:52.000001  [**] [1:1:1] msg {TCP} 6.6.6.6:1 -> 7.7.7.7:2 [**] [Priority: 1] {UDP} 192.0.2.9:53 -> 192.0.2.10:5353", &ev), RECPARSE_EVENT);
	assert_string_equal(fld(&ev, "src_ip"), "192.0.2.9");
	assert_string_equal(fld(&ev, "proto"), "UDP");
	event_free(&ev);
	recparse_free(p);
}

static void test_zeek_tsv(void **state)
{
	(void)state;
	struct recparse *p = recparse_new(REC_ZEEK);
	struct ward_event ev;
	event_init(&ev);
	/* a separator that is not a tab, set per file */
	assert_int_equal(feed(p, "a.log", "#separator \\x7c", &ev), RECPARSE_SKIP);
	assert_int_equal(feed(p, "a.log", "#unset_field|NA", &ev), RECPARSE_SKIP);
	assert_int_equal(feed(p, "a.log", "#path|x509", &ev), RECPARSE_SKIP);
	assert_int_equal(feed(p, "a.log", "#fields|ts|id.orig_h|note\\x7cs|n", &ev), RECPARSE_SKIP);
	assert_int_equal(feed(p, "a.log", "#types|time|addr|string|count", &ev), RECPARSE_SKIP);
	/* another file's header does not disturb a.log's */
	assert_int_equal(feed(p, "b.log", "#separator \\x09", &ev), RECPARSE_SKIP);
	assert_int_equal(feed(p, "b.log", "#fields\tts\tid.resp_h", &ev), RECPARSE_SKIP);
	assert_int_equal(feed(p, "a.log", "1795855432.25|192.0.2.1|a\\x7cb\\\\|NA", &ev), RECPARSE_EVENT);
	assert_string_equal(lbl(&ev, "zeek_log"), "x509");
	assert_string_equal(fld(&ev, "src_ip"), "192.0.2.1");
	assert_string_equal(fld(&ev, "note_s"), "a|b\\");
	assert_null(fld(&ev, "n"));	/* #unset_field NA */
	assert_true(ev.ts_ns == 1795855432250000000LL);
	assert_int_equal(feed(p, "b.log", "1795855432\t192.0.2.2", &ev), RECPARSE_EVENT);
	assert_string_equal(fld(&ev, "dest_ip"), "192.0.2.2");
	assert_string_equal(lbl(&ev, "zeek_log"), "b");	/* no #path: the file's name */
	assert_int_equal(feed(p, "b.log", "1795855432", &ev), RECPARSE_BAD);
	assert_int_equal(feed(p, "b.log", "#types\ttime", &ev), RECPARSE_BAD);	/* not as many as #fields */
	assert_int_equal(feed(p, "c.log", "1795855432\tx", &ev), RECPARSE_BAD);	/* no #fields yet */
	assert_int_equal(feed(p, "c.log", "#separator ", &ev), RECPARSE_BAD);
	event_free(&ev);
	recparse_free(p);
}

static void test_journal_json(void **state)
{
	(void)state;
	struct recparse *p = recparse_new(REC_JOURNAL_JSON);
	struct ward_event ev;
	event_init(&ev);
	assert_int_equal(feed(p, "-", "{\"MESSAGE\":\"m\",\"_COMM\":\"c\",\"_PID\":\"5\",\"PRIORITY\":\"2\",\"__REALTIME_TIMESTAMP\":\"1795855432000001\"}", &ev), RECPARSE_EVENT);
	assert_string_equal(ev.line, "c[5]: m");
	assert_string_equal(lbl(&ev, "severity"), "crit");
	assert_true(ev.ts_ns == 1795855432000001000LL);
	assert_int_equal(feed(p, "-", "{\"MESSAGE\":\"m\",\"__REALTIME_TIMESTAMP\":\"99999999999999999\"}", &ev), RECPARSE_EVENT);
	assert_true(ev.ts_ns == WARD_TS_NONE);	/* out of range: no time, not an overflow */
	assert_int_equal(feed(p, "-", "{\"MESSAGE\":null}", &ev), RECPARSE_BAD);
	event_free(&ev);
	recparse_free(p);
}

static void test_multiline(void **state)
{
	(void)state;
	char err[128];
	assert_null(multiline_new("(", 10, 100, NS_PER_SEC, err, sizeof err));
	struct multiline *m = multiline_new("^S", 3, 100, NS_PER_SEC, err, sizeof err);
	assert_non_null(m);
	struct ml_block b;
	assert_false(multiline_feed(m, "a", "S1", 2, 0, &b));
	assert_false(multiline_feed(m, "b", "S9", 2, 0, &b));
	assert_false(multiline_feed(m, "a", " c", 2, 0, &b));
	assert_true(multiline_feed(m, "a", "S2", 2, 10, &b));	/* completes a's first block */
	assert_string_equal(b.text, "S1\n c");
	assert_string_equal(b.source, "a");
	assert_false(multiline_feed(m, "a", "S2", 2, 10, &b));	/* the same line, now taken */
	assert_true(multiline_idle(m, NS_PER_SEC, &b));	/* b silent since 0 */
	assert_string_equal(b.source, "b");
	assert_false(multiline_idle(m, NS_PER_SEC, &b));	/* a's last line at 10 ns */
	assert_false(multiline_feed(m, "a", "x", 1, 20, &b));
	assert_false(multiline_feed(m, "a", "y", 1, 20, &b));
	assert_true(multiline_feed(m, "a", "z", 1, 20, &b));	/* max_lines 3 */
	assert_string_equal(b.text, "S2\nx\ny");
	assert_false(multiline_feed(m, "a", "z", 1, 20, &b));
	assert_true(multiline_take(m, NULL, &b));
	assert_string_equal(b.text, "z");
	assert_false(multiline_take(m, NULL, &b));
	multiline_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suricata),
		cmocka_unit_test(test_zeek_tsv),
		cmocka_unit_test(test_journal_json),
		cmocka_unit_test(test_multiline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

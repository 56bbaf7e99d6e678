/* Unit tests: the responder engine with the "none" backend (and the dry
 * run of the exec backend): which audit events one alert, a tick, a
 * restart from the journal and the admin commands produce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "stages/respond/responder.h"
#include "wtime.h"

#define NOW (1764316800LL * NS_PER_SEC)

struct capture {
	struct ward_buf all;	/* serialized events, one per line */
	int n;
};

static int capture_emit(void *ctx, const struct ward_event *ev)
{
	struct capture *c = ctx;
	event_serialize(ev, &c->all);
	buf_append_char(&c->all, '\n');
	c->n++;
	return 0;
}

static void setup(struct responder *r, struct capture *c, const struct fw_backend_ops *ops, bool dry)
{
	char err[256];
	memset(c, 0, sizeof(*c));
	responder_init(r);
	r->ops = ops;
	r->dry_run = dry;
	r->emit = capture_emit;
	r->emit_ctx = c;
	r->policy.ban_ns = 60 * NS_PER_SEC;
	assert_int_equal(responder_open_backend(r, NULL, err, sizeof(err)), 0);
}

static void feed(struct responder *r, const char *json, int64_t now)
{
	struct ward_event ev;
	struct ward_event_parser p;
	char err[128];
	event_init(&ev);
	assert_int_equal(event_parser_init(&p), 0);
	assert_int_equal(event_parse(&ev, &p, json, strlen(json), err, sizeof(err)), 0);
	assert_int_equal(responder_event(r, &ev, now), 0);
	event_parser_free(&p);
	event_free(&ev);
}

static const char alert_7[] =
	"{\"fields\":{\"src_ip\":\"198.18.0.7\"},\"alert\":{\"rule\":\"SSH\",\"state\":\"firing\"}}";

static void ban_tick_expire(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	setup(&r, &c, &fw_none_ops, false);
	feed(&r, alert_7, NOW);
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.8\"},\"alert\":{\"state\":\"resolved\"}}", NOW);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all.data, "\"kind\":\"ban\",\"target\":\"198.18.0.7\",\"backend\":\"none\",\"ttl\":\"1m\""));
	assert_int_equal(responder_tick(&r, NOW + 30 * NS_PER_SEC), 0);
	assert_int_equal(c.n, 1);
	feed(&r, alert_7, NOW + 30 * NS_PER_SEC);
	assert_non_null(strstr(c.all.data, "\"kind\":\"extend\""));
	assert_int_equal(responder_tick(&r, NOW + 91 * NS_PER_SEC), 0);
	assert_non_null(strstr(c.all.data, "\"kind\":\"unban\",\"target\":\"198.18.0.7\""));
	assert_non_null(strstr(c.all.data, "\"reason\":\"expired\""));
	assert_int_equal(r.table.active, 0);
	feed(&r, alert_7, NOW + 100 * NS_PER_SEC);
	assert_non_null(strstr(c.all.data, "\"ttl\":\"2m\""));	/* escalated */
	responder_free(&r);
	buf_free(&c.all);
}

static void dry_run_exec_commands(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	char err[128];
	setup(&r, &c, &fw_exec_ops, true);
	assert_int_equal(exec_tmpl_parse("blk add {target} {ttl}", &r.cfg.exec_ban, err, sizeof(err)), 0);
	assert_int_equal(exec_tmpl_parse("blk del {target}", &r.cfg.exec_unban, err, sizeof(err)), 0);
	feed(&r, alert_7, NOW);
	assert_non_null(strstr(c.all.data, "\"result\":\"dry-run\""));
	assert_non_null(strstr(c.all.data, "\"command\":\"blk add 198.18.0.7 60\""));
	responder_tick(&r, NOW + 61 * NS_PER_SEC);
	assert_non_null(strstr(c.all.data, "\"command\":\"blk del 198.18.0.7\""));
	responder_free(&r);
	buf_free(&c.all);
}

static void journal_restart(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-responder-XXXXXX", path[128], err[256];
	struct responder r;
	struct capture c;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/j", dir);

	setup(&r, &c, &fw_none_ops, false);
	assert_int_equal(responder_open_journal(&r, path, err, sizeof(err)), 0);
	feed(&r, alert_7, NOW);
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.9\"},\"alert\":{}}", NOW);
	responder_free(&r);
	buf_free(&c.all);

	/* Restart 30 s later: both bans come back with 30 s left. */
	setup(&r, &c, &fw_none_ops, false);
	assert_int_equal(responder_open_journal(&r, path, err, sizeof(err)), 0);
	assert_int_equal(responder_restore(&r, NOW + 30 * NS_PER_SEC), 0);
	assert_int_equal(c.n, 2);
	assert_non_null(strstr(c.all.data, "\"ttl\":\"30s\""));
	assert_non_null(strstr(c.all.data, "\"source\":\"restore\""));
	size_t it = 0;
	struct ward_cidr first = bantable_next(&r.table, &it)->target;
	assert_int_equal(responder_unban(&r, &first, "admin", NOW + 31 * NS_PER_SEC), 0);
	assert_int_equal(c.n, 3);
	responder_free(&r);
	buf_free(&c.all);

	/* Restart after the ban time: the remaining one is removed, not applied. */
	setup(&r, &c, &fw_none_ops, false);
	assert_int_equal(responder_open_journal(&r, path, err, sizeof(err)), 0);
	assert_int_equal(r.table.active, 1);
	assert_int_equal(responder_restore(&r, NOW + 600 * NS_PER_SEC), 0);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all.data, "\"reason\":\"expired while stopped\""));
	assert_int_equal(r.table.active, 0);
	assert_int_equal(responder_list(&r, NOW + 600 * NS_PER_SEC), 0);
	assert_int_equal(c.n, 1);
	responder_free(&r);
	buf_free(&c.all);
	FILE *f = fopen(path, "r");
	char line[128];
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, JOURNAL_HEADER "\n");
	fclose(f);
	unlink(path);
	rmdir(dir);
}

static void flush_reports_each(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	setup(&r, &c, &fw_none_ops, false);
	feed(&r, alert_7, NOW);
	feed(&r, "{\"fields\":{\"src_ip\":\"2001:db8::9\"},\"alert\":{}}", NOW);
	assert_int_equal(responder_flush(&r, NOW + 1), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(r.table.len, 0);
	responder_free(&r);
	buf_free(&c.all);
}

/* A backend that says what check() returns and counts the bans applied. */
static int fake_check_rc, fake_bans;
static int fake_open(struct fw_backend *b, char *err, size_t errlen)
{
	(void)b, (void)err, (void)errlen;
	return 0;
}
static int fake_apply_fails;	/* a bitmask of 1 << fw_op that fail */
static int fake_apply(struct fw_backend *b, const struct fw_req *r, char *err, size_t errlen)
{
	(void)b;
	if (fake_apply_fails & (1 << r->op)) {
		snprintf(err, errlen, "fake %s refused", fw_op_name(r->op));
		return -1;
	}
	fake_bans += r->op == FW_BAN;
	return 0;
}
static void fake_render(const struct fw_cfg *cfg, const struct fw_req *r, struct ward_buf *out)
{
	(void)cfg, (void)r, (void)out;
}
static void fake_close(struct fw_backend *b)
{
	(void)b;
}
static int fake_check(struct fw_backend *b, char *err, size_t errlen)
{
	(void)b;
	if (fake_check_rc < 0)
		snprintf(err, errlen, "container victim is not running");
	return fake_check_rc;
}
static const struct fw_backend_ops fake_ops = {
	.name = "fake", .kernel_expiry = false, .flush_each = true, .open = fake_open, .apply = fake_apply,
	.render = fake_render, .close = fake_close, .check = fake_check,
};

/* The backend lost its bans (a container started again): every ban still
 * in force is applied again, with its end unchanged, audited as "resync";
 * the check runs at most once a second, and a failing check keeps the bans. */
static void resync_after_lost(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	fake_check_rc = 0, fake_bans = 0;
	setup(&r, &c, &fake_ops, false);
	feed(&r, alert_7, NOW);
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.8\"},\"alert\":{\"rule\":\"SSH\",\"state\":\"firing\"}}", NOW);
	assert_int_equal(fake_bans, 2);
	assert_int_equal(responder_tick(&r, NOW + NS_PER_SEC), 0);
	assert_int_equal(fake_bans, 2);	/* nothing lost */
	fake_check_rc = -1;
	assert_int_equal(responder_tick(&r, NOW + 2 * NS_PER_SEC), 0);
	assert_true(r.check_failing);
	assert_int_equal(r.table.active, 2);	/* down: bans kept */
	fake_check_rc = 1;
	assert_int_equal(responder_tick(&r, NOW + 2 * NS_PER_SEC + NS_PER_SEC / 2), 0);
	assert_int_equal(fake_bans, 2);	/* not checked again within the second */
	int before = c.n;
	assert_int_equal(responder_tick(&r, NOW + 10 * NS_PER_SEC), 0);
	assert_int_equal(fake_bans, 4);
	assert_false(r.check_failing);
	assert_int_equal(c.n, before + 2);
	assert_non_null(strstr(c.all.data, "\"kind\":\"ban\",\"target\":\"198.18.0.7\",\"backend\":\"fake\",\"ttl\":\"50s\""));
	assert_non_null(strstr(c.all.data, "\"source\":\"resync\""));
	fake_check_rc = 0;
	assert_int_equal(responder_tick(&r, NOW + 20 * NS_PER_SEC), 0);
	assert_int_equal(fake_bans, 4);
	assert_int_equal(r.table.active, 2);
	/* Still ends when the original ban ends. */
	assert_int_equal(responder_tick(&r, NOW + 61 * NS_PER_SEC), 0);
	assert_int_equal(r.table.active, 0);
	responder_free(&r);
	buf_free(&c.all);
}

/* A firing alert labelled remediation="false" (a detection canary) is
 * counted and not banned; any other value of the label, or the word in a
 * field, bans as usual. */
static void remediation_false_is_not_banned(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	uint64_t unremediated = 0;
	setup(&r, &c, &fw_none_ops, false);
	r.n_unremediated = &unremediated;
	feed(&r, "{\"labels\":{\"remediation\":\"false\"},\"fields\":{\"src_ip\":\"198.18.0.1\"},\"alert\":{}}", NOW);
	assert_int_equal(c.n, 0);
	assert_int_equal(unremediated, 1);
	assert_int_equal(r.table.active, 0);
	feed(&r, "{\"labels\":{\"remediation\":\"true\"},\"fields\":{\"src_ip\":\"198.18.0.2\"},\"alert\":{}}", NOW);
	feed(&r, "{\"labels\":{\"remediation\":\"falsely\"},\"fields\":{\"src_ip\":\"198.18.0.3\"},\"alert\":{}}", NOW);
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.4\",\"remediation\":\"false\"},\"alert\":{}}", NOW);
	assert_int_equal(c.n, 3);
	assert_int_equal(unremediated, 1);
	assert_int_equal(r.table.active, 3);
	responder_free(&r);
	buf_free(&c.all);
}

static int failing_emit(void *ctx, const struct ward_event *ev)
{
	(void)ctx, (void)ev;
	return -1;
}

/* Only firing alerts act: an "alert" that is not an object, a state that
 * is not the string "firing" are ignored; an alert without a state fires;
 * the rule is the alert's, else the event's tag, else "-". The same alert
 * again, with the ban not yet due to end later, changes nothing. */
static void which_events_act(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	uint64_t ignored = 0;
	setup(&r, &c, &fw_none_ops, false);
	r.n_ignored = &ignored;
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.1\"},\"alert\":\"firing\"}", NOW);
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.1\"},\"alert\":{\"state\":5}}", NOW);
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.1\"},\"alert\":{\"state\":\"FIRING\"}}", NOW);
	assert_int_equal(c.n, 0);
	assert_int_equal(ignored, 3);
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.2\"},\"rule\":\"Tagged\",\"alert\":{\"rule\":7}}", NOW);
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.3\"},\"alert\":{}}", NOW);
	assert_int_equal(c.n, 2);
	assert_non_null(strstr(c.all.data, "\"target\":\"198.18.0.2\",\"backend\":\"none\",\"ttl\":\"1m\""));
	assert_non_null(strstr(c.all.data, "\"rule\":\"Tagged\""));
	assert_non_null(strstr(c.all.data, "ban 198.18.0.3 for 1m (none, -)"));
	feed(&r, "{\"fields\":{\"src_ip\":\"198.18.0.3\"},\"alert\":{}}", NOW);
	assert_int_equal(c.n, 2);	/* banned until the same time already */
	assert_int_equal(ignored, 4);
	responder_free(&r);
	buf_free(&c.all);
}

/* A backend that refuses: the failed ban is an error event and leaves no
 * ban in the table (it is tried again on the next alert); a failed setup
 * fails the start; a failed flush keeps the bans; a failed unban is an
 * error event too. */
static void failing_backend(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	uint64_t errors = 0;
	fake_check_rc = 0, fake_bans = 0, fake_apply_fails = 1 << FW_BAN;
	setup(&r, &c, &fake_ops, false);
	r.n_errors = &errors;
	feed(&r, alert_7, NOW);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all.data, "\"kind\":\"error\",\"target\":\"198.18.0.7\""));
	assert_non_null(strstr(c.all.data, "fake ban refused"));
	assert_int_equal(errors, 1);
	assert_int_equal(r.table.active, 0);
	fake_apply_fails = 0;
	feed(&r, alert_7, NOW + 1);
	assert_int_equal(fake_bans, 1);
	assert_int_equal(r.table.active, 1);
	fake_apply_fails = 1 << FW_UNBAN;
	assert_int_equal(responder_flush(&r, NOW + 2), -1);	/* the fake removes one by one */
	assert_non_null(strstr(c.all.data, "fake unban refused"));
	assert_int_equal(r.table.active, 1);
	size_t it = 0;
	struct ward_cidr t7 = bantable_next(&r.table, &it)->target;
	assert_int_equal(responder_unban(&r, &t7, "admin", NOW + 3), -1);
	assert_int_equal(r.table.active, 1);
	fake_apply_fails = 1 << FW_SETUP;
	assert_int_equal(responder_restore(&r, NOW + 4), -1);
	fake_apply_fails = 0;
	responder_free(&r);
	buf_free(&c.all);
}

/* An output that fails stops the stage: responder_event says so. */
static void output_failure_is_reported(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	setup(&r, &c, &fw_none_ops, false);
	r.emit = failing_emit;
	struct ward_event ev;
	struct ward_event_parser p;
	char err[128];
	event_init(&ev);
	assert_int_equal(event_parser_init(&p), 0);
	assert_int_equal(event_parse(&ev, &p, alert_7, strlen(alert_7), err, sizeof(err)), 0);
	assert_int_equal(responder_event(&r, &ev, NOW), -1);
	assert_int_equal(responder_list(&r, NOW + 1), -1);	/* the ban was made; listing it fails */
	event_parser_free(&p);
	event_free(&ev);
	responder_free(&r);
}

/* A journal that promises a ban longer than --max-ban-time is restored
 * for --max-ban-time at most; a ban removed by an operator for a target
 * this process never banned is still removed and audited. */
static void restore_is_capped(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-responder-XXXXXX", path[128], err[256];
	struct responder r;
	struct capture c;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/j", dir);
	FILE *f = fopen(path, "w");
	fprintf(f, JOURNAL_HEADER "\nban 198.18.0.7/32 %lld 3 SSH\n", (long long)(NOW + 10LL * 86400 * NS_PER_SEC));
	fclose(f);
	setup(&r, &c, &fw_none_ops, false);
	r.policy.max_ban_ns = 3600 * NS_PER_SEC;
	assert_int_equal(responder_open_journal(&r, path, err, sizeof(err)), 0);
	assert_int_equal(responder_restore(&r, NOW), 0);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.all.data, "\"ttl\":\"1h\""));
	assert_non_null(strstr(c.all.data, "\"offenses\":3"));
	struct ward_cidr other;
	assert_int_equal(cidr_parse("198.18.0.99", 11, &other), 0);
	assert_int_equal(responder_unban(&r, &other, "admin", NOW + 1), 0);
	assert_int_equal(c.n, 2);
	assert_non_null(strstr(c.all.data, "\"kind\":\"unban\",\"target\":\"198.18.0.99\""));
	responder_free(&r);
	buf_free(&c.all);
	unlink(path);
	rmdir(dir);
}

/* An offender's history is forgotten forget_ns after its ban ended: its
 * next ban starts at the first tier again. */
static void history_is_forgotten(void **state)
{
	(void)state;
	struct responder r;
	struct capture c;
	setup(&r, &c, &fw_none_ops, false);
	r.policy.forget_ns = 120 * NS_PER_SEC;
	feed(&r, alert_7, NOW);
	assert_int_equal(responder_tick(&r, NOW + 61 * NS_PER_SEC), 0);	/* expired */
	assert_int_equal(r.table.len, 1);
	assert_int_equal(responder_tick(&r, NOW + 170 * NS_PER_SEC), 0);
	assert_int_equal(r.table.len, 1);	/* 110 s after the end: kept */
	assert_int_equal(responder_tick(&r, NOW + 181 * NS_PER_SEC), 0);
	assert_int_equal(r.table.len, 0);	/* 121 s after: forgotten */
	feed(&r, alert_7, NOW + 200 * NS_PER_SEC);
	assert_non_null(strstr(c.all.data + c.all.len - 300, "\"ttl\":\"1m\""));
	assert_non_null(strstr(c.all.data + c.all.len - 300, "\"offenses\":1"));
	responder_free(&r);
	buf_free(&c.all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ban_tick_expire),
		cmocka_unit_test(dry_run_exec_commands),
		cmocka_unit_test(journal_restart),
		cmocka_unit_test(flush_reports_each),
		cmocka_unit_test(resync_after_lost),
		cmocka_unit_test(which_events_act),
		cmocka_unit_test(remediation_false_is_not_banned),
		cmocka_unit_test(failing_backend),
		cmocka_unit_test(output_failure_is_reported),
		cmocka_unit_test(restore_is_capped),
		cmocka_unit_test(history_is_forgotten),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* libFuzzer target: what ward-window parses itself, and the mapping of
 * parsed LogQL metric queries onto its rules.
 * First byte: 0 threshold ("> 5"), 1 alert template, 2 LogQL query to a
 * rule (then a few events through the engine when it builds, with 2 s
 * evaluation steps for aggregations across keys), 3 --unwrap
 * and --by option values. Invariants: no crash, no leak, and a rule that
 * builds passes rule_check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "stages/window/engine.h"
#include "stages/window/ruleset.h"
#include "stages/window/alerttmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *lookup(void *ctx, const char *name, size_t n, size_t *len)
{
	(void)ctx;
	*len = n;
	return name;
}

static void sink(void *ctx, const struct ww_alert *a)
{
	(void)ctx;
	(void)a;
}

static void run_events(const struct ruleset *rs)
{
	struct ww_engine *e = engine_new(rs->rules, rs->n, &rs->eopts, sink, NULL);
	struct ward_event ev;
	event_init(&ev);
	for (int i = 0; i < 8; i++) {
		event_reset(&ev);
		event_set_label(&ev, "job", "sshd", 4);
		event_set_field(&ev, "src_ip", i & 1 ? "198.18.0.1" : "198.18.0.2", 10);
		event_set_field(&ev, "v", i & 2 ? "1.5" : "2KB", i & 2 ? 3 : 3);
		event_set_line(&ev, "Failed password for root from 198.18.0.1 port 22 ssh2", 52);
		engine_event(e, &ev, 1700000000000000000LL + i * 1000000000LL);
	}
	engine_finish(e);
	engine_free(e);
	event_free(&ev);
}

static void fuzz_query(const char *s)
{
	struct ruleset_opts o;
	struct ruleset rs;
	char err[512];
	ruleset_opts_defaults(&o);
	o.max_keys = 16;
	o.eval_ns = 2000000000LL;	/* step rules evaluate a few steps */
	if (ruleset_build(&rs, &o, s, err, sizeof err) == 0) {
		for (size_t i = 0; i < rs.n; i++)
			if (rule_check(&rs.rules[i], err, sizeof err) != 0)
				abort();
		run_events(&rs);
	}
	ruleset_free(&rs);
	ruleset_opts_free(&o);
}

static void fuzz_options(const char *s)
{
	struct ruleset_opts o;
	struct ruleset rs;
	char err[512];
	const char *items[2] = { s, NULL };
	ruleset_opts_defaults(&o);
	o.unwrap = s;
	o.fn = "sum_over_time";
	o.by.items = items;
	o.by.len = 1;
	if (ruleset_build(&rs, &o, NULL, err, sizeof err) == 0)
		run_events(&rs);
	ruleset_free(&rs);
	o.by.len = 0;	/* not ours to free */
	o.by.items = NULL;
	ruleset_opts_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0: {
		enum ww_op op;
		double v;
		rule_parse_threshold(s, &op, &v);
		break;
	}
	case 1: {
		struct ward_buf b = WARD_BUF_INIT;
		struct alerttmpl *t = alerttmpl_compile(s, size - 1);
		alerttmpl_expand(t, lookup, NULL, 1.5, &b);
		alerttmpl_free(t);
		buf_free(&b);
		break;
	}
	case 2:
		fuzz_query(s);
		break;
	default:
		fuzz_options(s);
		break;
	}
	free(s);
	return 0;
}

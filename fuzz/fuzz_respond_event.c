/* libFuzzer target: one ward event through ward-respond's engine (the
 * "none" backend in dry-run mode: nothing is applied). Each input line is
 * an event; the engine decides, emits audit events and expires bans.
 * Invariants: no crash, no leak; every audit event serializes to one line
 * that parses back as an event with an action object. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/respond/responder.h"
#include "wtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	struct ward_buf buf;
	struct ward_event back;
	struct ward_event_parser parser;
};

static int check_emit(void *ctx, const struct ward_event *ev)
{
	struct sink *s = ctx;
	char err[128];

	buf_reset(&s->buf);
	event_serialize(ev, &s->buf);
	if (memchr(s->buf.data, '\n', s->buf.len))
		abort();
	if (event_parse(&s->back, &s->parser, s->buf.data, s->buf.len, err, sizeof(err)) != 0 ||
	    !event_get_extra(&s->back, "action"))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sink s;
	static bool ready;
	struct responder r;
	struct ward_event ev;
	char err[256];
	int64_t now = 1764316800LL * NS_PER_SEC;

	if (!ready) {
		event_init(&s.back);
		if (event_parser_init(&s.parser) != 0)
			abort();
		ready = true;
	}
	responder_init(&r);
	r.ops = &fw_none_ops;
	r.dry_run = true;
	r.emit = check_emit;
	r.emit_ctx = &s;
	r.policy.rate_per_min = 5;
	r.policy.max_bans = 8;
	r.policy.v6_prefix = size % 2 ? 64 : 128;
	policy_allow_loopback(&r.policy);
	policy_allow(&r.policy, "198.18.0.0/24", 13, "config");
	if (responder_open_backend(&r, NULL, err, sizeof(err)) != 0)
		abort();
	event_init(&ev);
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (event_parse(&ev, &s.parser, p, n, err, sizeof(err)) == 0)
			responder_event(&r, &ev, now);
		now += 7 * NS_PER_SEC;
		responder_tick(&r, now);
		p += n + 1;
	}
	responder_tick(&r, now + 30LL * 86400 * NS_PER_SEC);
	event_free(&ev);
	responder_free(&r);
	return 0;
}

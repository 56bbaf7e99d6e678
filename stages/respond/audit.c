/* audit.c - build action events. */
#include "stages/respond/audit.h"

#include <json-c/json.h>
#include <string.h>

#include "buf.h"
#include "wtime.h"

void action_info_init(struct action_info *a, const char *kind, const char *result)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->result = result;
	a->ttl_ns = -1;
	a->until_ns = WARD_TS_NONE;
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	if (v)
		json_object_object_add(o, k, json_object_new_string(v));
}

/* Attacker text: cut to a bounded length on a UTF-8 boundary-agnostic byte
 * count (the serializer replaces any split sequence with U+FFFD). */
static struct json_object *cut_value(const char *v, size_t n)
{
	char tmp[AUDIT_VALUE_MAX + 4];
	size_t keep = n > AUDIT_VALUE_MAX ? AUDIT_VALUE_MAX : n;

	memcpy(tmp, v, keep);
	if (keep < n)
		memcpy(tmp + keep, "...", 3), keep += 3;
	return json_object_new_string_len(tmp, (int)keep);
}

static void line_text(const struct action_info *a, struct ward_buf *b)
{
	char ttl[32];

	buf_printf(b, "%s %s", a->kind, a->target ? a->target : "-");
	if (a->ttl_ns >= 0) {
		duration_format_human(a->ttl_ns, ttl, sizeof(ttl));
		buf_printf(b, " for %s", ttl);
	}
	buf_printf(b, " (%s", a->backend ? a->backend : "-");
	if (a->rule)
		buf_printf(b, ", %s", a->rule);
	if (a->reason)
		buf_printf(b, ", %s", a->reason);
	buf_append_str(b, a->dry_run ? ", dry run)" : ")");
}

static struct json_object *action_object(const struct action_info *a, int64_t applied_ns)
{
	struct json_object *o = json_object_new_object();
	char buf[WARD_RFC3339_LEN > 32 ? WARD_RFC3339_LEN : 32];

	add_str(o, "kind", a->kind);
	add_str(o, "target", a->target);
	if (a->value)
		json_object_object_add(o, "value", cut_value(a->value, a->value_len));
	add_str(o, "backend", a->backend);
	if (a->ttl_ns >= 0) {
		duration_format_human(a->ttl_ns, buf, sizeof(buf));
		add_str(o, "ttl", buf);
	}
	if (a->until_ns != WARD_TS_NONE) {
		time_format_rfc3339(a->until_ns, buf);
		add_str(o, "until", buf);
	}
	add_str(o, "result", a->result);
	add_str(o, "reason", a->reason);
	add_str(o, "rule", a->rule);
	json_object_object_add(o, "dry_run", json_object_new_boolean(a->dry_run));
	add_str(o, "command", a->command);
	if (a->offenses)
		json_object_object_add(o, "offenses", json_object_new_int64(a->offenses));
	add_str(o, "source", a->source);
	time_format_rfc3339(applied_ns, buf);
	add_str(o, "applied_at", buf);
	return o;
}

void audit_build(struct ward_event *ev, const struct action_info *a, const char *field,
		 int64_t ts_ns, int64_t applied_ns)
{
	struct ward_buf line = WARD_BUF_INIT;

	event_reset(ev);
	ev->ts_ns = ts_ns;
	event_set_label(ev, "job", "ward", 4);
	event_set_label(ev, "action", a->kind, strlen(a->kind));
	line_text(a, &line);
	event_set_line(ev, line.data, line.len);
	if (a->target && field)
		event_set_field(ev, field, a->target, strlen(a->target));
	event_set_extra(ev, "action", action_object(a, applied_ns));
	buf_free(&line);
}

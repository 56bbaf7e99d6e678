/* lineevent.c - one raw line to one event. */
#include "stages/ingest/lineevent.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "stages/ingest/linetime.h"
#include "wtime.h"

int ts_mode_parse(const char *s, enum ts_mode *mode)
{
	static const struct { const char *name; enum ts_mode mode; } modes[] = {
		{ "auto", TS_AUTO }, { "rfc3339", TS_RFC3339 }, { "syslog", TS_SYSLOG },
		{ "epoch", TS_EPOCH }, { "none", TS_NONE },
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(s, modes[i].name) == 0) {
			*mode = modes[i].mode;
			return 0;
		}
	return -1;
}

int label_name_valid(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

int lineevent_labels(struct lineevent_conf *c, const struct opt_list *items, const char **bad)
{
	c->label_keys = ward_xcalloc(items->len + 1, sizeof *c->label_keys);
	c->label_vals = ward_xcalloc(items->len + 1, sizeof *c->label_vals);
	c->nlabels = 0;
	for (size_t i = 0; i < items->len; i++) {
		const char *kv = items->items[i], *eq = strchr(kv, '=');
		if (!eq || !label_name_valid(kv, (size_t)(eq - kv))) {
			*bad = kv;
			return -1;
		}
		c->label_keys[c->nlabels] = ward_xstrndup(kv, (size_t)(eq - kv));
		c->label_vals[c->nlabels] = ward_xstrdup(eq + 1);
		c->nlabels++;
	}
	return 0;
}

void lineevent_add_label(struct lineevent_conf *c, const char *name, const char *value)
{
	c->label_keys = ward_xrealloc(c->label_keys, (c->nlabels + 1) * sizeof *c->label_keys);
	c->label_vals = ward_xrealloc(c->label_vals, (c->nlabels + 1) * sizeof *c->label_vals);
	c->label_keys[c->nlabels] = ward_xstrdup(name);
	c->label_vals[c->nlabels] = ward_xstrdup(value);
	c->nlabels++;
}

void lineevent_conf_free(struct lineevent_conf *c)
{
	for (size_t i = 0; i < c->nlabels; i++) {
		free((void *)c->label_keys[i]);
		free((void *)c->label_vals[i]);
	}
	free(c->label_keys);
	free(c->label_vals);
	c->label_keys = c->label_vals = NULL;
	c->nlabels = 0;
}

static int line_time(enum ts_mode mode, const char *line, size_t len, int64_t year_ref_ns, int64_t *ts)
{
	size_t used;
	switch (mode) {
	case TS_AUTO:
		return linetime_find(line, len, year_ref_ns, ts) != LINETIME_NONE ? 0 : -1;
	case TS_RFC3339: {
		size_t end = 0;
		while (end < len && line[end] != ' ' && line[end] != '\t')
			end++;
		return time_parse_rfc3339(line, end, ts);
	}
	case TS_SYSLOG:
		return time_parse_syslog(line, len, year_ref_ns, ts, &used);
	case TS_EPOCH: {
		size_t end = 0;
		while (end < len && (isdigit((unsigned char)line[end]) || line[end] == '.'))
			end++;
		return time_parse_epoch(line, end, ts);
	}
	case TS_NONE:
	default:
		return -1;
	}
}

int lineevent_build(const struct lineevent_conf *c, struct ward_event *ev, const char *line,
		    size_t len, int64_t now_ns, int64_t year_ref_ns)
{
	event_reset(ev);
	for (size_t i = 0; i < c->nlabels; i++)
		event_set_label(ev, c->label_keys[i], c->label_vals[i], strlen(c->label_vals[i]));
	event_set_line(ev, line, len);
	int64_t ts;
	if (line_time(c->ts_mode, line, len, year_ref_ns, &ts) == 0) {
		ev->ts_ns = ts;
		return 1;
	}
	ev->ts_ns = now_ns;
	return 0;
}

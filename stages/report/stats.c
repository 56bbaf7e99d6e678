/* stats.c - aggregates of the report shared by the renderers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stages/report/report.h"

const char *report_category(const char *rule)
{
	static const struct {
		const char *needle, *category;
	} table[] = {
		{ "ssh", "SSH" }, { "sqli", "SQL injection" }, { "sql", "SQL injection" },
		{ "travers", "Path traversal" }, { "lfi", "Path traversal" }, { "xss", "XSS" },
		{ "syn", "SYN flood" }, { "flood", "SYN flood" }, { "portscan", "Port scan" },
		{ "port_scan", "Port scan" }, { "scan", "Scanner" }, { "anomal", "Volume anomaly" },
		{ "volume", "Volume anomaly" }, { "inject", "Command injection" },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (rule && strcasestr(rule, table[i].needle))
			return table[i].category;
	return "Other";
}

bool report_alert_fires(const struct rp_alert *a)
{
	return a->state == NULL || (strcmp(a->state, "pending") != 0 && strcmp(a->state, "resolved") != 0);
}

struct pair {
	const char *self, *other;
	const struct rp_alert *alert;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->self, y->self);
	return c ? c : strcmp(x->other, y->other);
}

static int cmp_group(const void *a, const void *b)
{
	const struct rp_group *x = a, *y = b;
	if (x->alerts != y->alerts)
		return x->alerts > y->alerts ? -1 : 1;
	if (x->volume != y->volume)
		return x->volume > y->volume ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void group_add(struct rp_group *x, const struct rp_alert *a)
{
	x->alerts++;
	x->volume += isfinite(a->value) && a->value > 0 ? a->value : (double)a->count;
	if (a->value > x->max_value)
		x->max_value = a->value;
	if (a->ts < x->first)
		x->first = a->ts;
	if (a->ts > x->last)
		x->last = a->ts;
	if (a->severity)
		x->severity = a->severity;
}

/* The last action on a source, found by binary search over the actions
 * sorted by target. */
static int cmp_action_target(const void *a, const void *b)
{
	const struct rp_action *const *x = a, *const *y = b;
	return strcmp((*x)->target ? (*x)->target : "", (*y)->target ? (*y)->target : "");
}

static void attach_actions(const struct report *r, struct rp_group *g, size_t n)
{
	const struct rp_action **by = ward_xcalloc(r->nactions ? r->nactions : 1, sizeof *by);
	for (size_t i = 0; i < r->nactions; i++)
		by[i] = &r->actions[i];
	/* qsort is not stable: keep the time order inside one target by
	 * taking the latest below. */
	qsort(by, r->nactions, sizeof *by, cmp_action_target);
	for (size_t i = 0; i < n; i++) {
		struct rp_action key = { .target = (char *)g[i].name };
		const struct rp_action *kp = &key;
		const struct rp_action **hit = bsearch(&kp, by, r->nactions, sizeof *by, cmp_action_target);
		if (!hit)
			continue;
		while (hit > by && cmp_action_target(hit - 1, &kp) == 0)
			hit--;
		const struct rp_action *last = *hit;
		for (; hit < by + r->nactions && cmp_action_target(hit, &kp) == 0; hit++)
			if ((*hit)->ts >= last->ts)
				last = *hit;
		g[i].action = last->result ? last->result : last->kind;
	}
	free(by);
}

struct rp_group *report_groups(const struct report *r, char kind, size_t *n)
{
	struct pair *p = ward_xcalloc(r->nalerts ? r->nalerts : 1, sizeof *p);
	struct rp_group *g = ward_xcalloc(r->nalerts ? r->nalerts : 1, sizeof *g);
	size_t np = 0;
	for (size_t i = 0; i < r->nalerts; i++) {
		const struct rp_alert *a = &r->alerts[i];
		const char *self = kind == 'r' ? a->rule : a->source, *other = kind == 'r' ? a->source : a->rule;
		if (report_alert_fires(a))
			p[np++] = (struct pair){ self ? self : "-", other ? other : "-", a };
	}
	qsort(p, np, sizeof *p, cmp_pair);
	*n = 0;
	for (size_t i = 0; i < np; i++) {
		if (i == 0 || strcmp(p[i - 1].self, p[i].self) != 0) {
			struct rp_group *x = &g[(*n)++];
			x->name = p[i].self;
			x->first = INT64_MAX;
			x->last = INT64_MIN;
		}
		struct rp_group *x = &g[*n - 1];
		if (x->alerts == 0 || strcmp(p[i - 1].other, p[i].other) != 0)
			x->sources++;	/* a new distinct value on the other side */
		group_add(x, p[i].alert);
	}
	free(p);
	if (kind == 's')
		attach_actions(r, g, *n);
	qsort(g, *n, sizeof *g, cmp_group);
	return g;
}

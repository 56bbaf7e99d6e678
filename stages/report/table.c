/* table.c - see table.h. */
#include "stages/report/table.h"

#include <stdio.h>
#include <stdlib.h>

#include "stages/report/fmt.h"

static const struct table_col RULE_COLS[] = {
	{ "rule", false }, { "category", false }, { "severity", false }, { "alerts", true },
	{ "sources", true }, { "highest value", true }, { "first", false }, { "last", false },
};
static const struct table_col SOURCE_COLS[] = {
	{ "source", false }, { "alerts", true }, { "rules", true }, { "sum of values", true },
	{ "first", false }, { "last", false }, { "action", false },
};
static const struct table_col ACTION_COLS[] = {
	{ "time", false }, { "action", false }, { "target", false }, { "result", false },
	{ "rule", false }, { "ttl", false }, { "backend", false }, { "reason", false },
};

void table_open(struct table *t, const struct report *r, enum table_id id)
{
	*t = (struct table){ .r = r, .id = id, .days = fmt_multi_day(r) };
	if (id == TABLE_ACTIONS) {
		t->title = "Actions taken";
		t->none = "no actions";
		t->cols = ACTION_COLS;
		t->ncols = sizeof ACTION_COLS / sizeof ACTION_COLS[0];
		t->nrows = r->nactions;
		return;
	}
	t->title = id == TABLE_RULES ? "Alerts by rule" : "Alerts by source";
	t->none = "no alerts";
	t->cols = id == TABLE_RULES ? RULE_COLS : SOURCE_COLS;
	t->ncols = id == TABLE_RULES ? sizeof RULE_COLS / sizeof RULE_COLS[0] : sizeof SOURCE_COLS / sizeof SOURCE_COLS[0];
	t->groups = report_groups(r, id == TABLE_RULES ? 'r' : 's', &t->nrows);
}

void table_close(struct table *t)
{
	free(t->groups);
	t->groups = NULL;
}

static void cell(struct table_row *row, size_t *n, enum table_cell_kind kind, const char *text,
		 const char *none, size_t md_max)
{
	row->cells[(*n)++] = (struct table_cell){ kind, text ? text : none, md_max };
}

static void group_row(const struct table *t, const struct rp_group *g, size_t md_cell, struct table_row *row)
{
	size_t n = 0;
	fmt_time(g->first, t->days, row->first, sizeof row->first);
	fmt_time(g->last, t->days, row->last, sizeof row->last);
	snprintf(row->num[0], sizeof row->num[0], "%zu", g->alerts);
	snprintf(row->num[1], sizeof row->num[1], "%zu", g->sources);
	cell(row, &n, TABLE_CODE, g->name, "-", md_cell);
	if (t->id == TABLE_RULES) {
		fmt_num(g->max_value, row->num[2], sizeof row->num[2]);
		cell(row, &n, TABLE_PLAIN, report_category(g->name), "-", 0);
		cell(row, &n, TABLE_TEXT, g->severity, "-", 40);
	} else {
		fmt_num(g->volume, row->num[2], sizeof row->num[2]);
	}
	for (size_t k = 0; k < 3; k++)
		cell(row, &n, TABLE_NUM, row->num[k], "-", 0);
	cell(row, &n, TABLE_PLAIN, row->first, "-", 0);
	cell(row, &n, TABLE_PLAIN, row->last, "-", 0);
	if (t->id == TABLE_SOURCES)
		cell(row, &n, TABLE_TEXT, g->action, "none", 40);
}

static void action_row(const struct table *t, const struct rp_action *a, size_t md_cell, struct table_row *row)
{
	size_t n = 0;
	fmt_time(a->ts, t->days, row->first, sizeof row->first);
	cell(row, &n, TABLE_PLAIN, row->first, "-", 0);
	cell(row, &n, TABLE_TEXT, a->kind, "-", 40);
	cell(row, &n, TABLE_CODE, a->target, "-", md_cell);
	const char *rest[] = { a->result, a->rule, a->ttl, a->backend, a->reason };
	for (size_t k = 0; k < sizeof rest / sizeof rest[0]; k++)
		cell(row, &n, TABLE_TEXT, rest[k], "-", md_cell);
}

void table_row(const struct table *t, size_t i, size_t md_cell, struct table_row *row)
{
	if (t->id == TABLE_ACTIONS)
		action_row(t, &t->r->actions[i], md_cell, row);
	else
		group_row(t, &t->groups[i], md_cell, row);
}

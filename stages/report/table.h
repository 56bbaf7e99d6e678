/* table.h - the report's tables as data: "Alerts by rule", "Alerts by
 * source" and "Actions taken", each a title, its columns and the cells of
 * each row. What a column holds and how its value is formatted is decided
 * here once; render_md.c and render_html.c only choose the markup of each
 * kind of cell and how many rows to show. */
#ifndef WARD_REPORT_TABLE_H
#define WARD_REPORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "stages/report/report.h"

enum table_id { TABLE_RULES, TABLE_SOURCES, TABLE_ACTIONS };

enum table_cell_kind {
	TABLE_TEXT,		/* text from events: escaped; md_max bytes at most in Markdown */
	TABLE_CODE,		/* text from events shown as code (names, addresses) */
	TABLE_NUM,		/* a number formatted here: right-aligned */
	TABLE_PLAIN,		/* text formatted here (a time, a category): as it is */
};

#define TABLE_MAX_COLS 8

struct table_col {
	const char *name;
	bool num;		/* holds numbers: right-aligned */
};

struct table_cell {
	enum table_cell_kind kind;
	const char *text;	/* never NULL: "-" or "none" stands for a missing value */
	size_t md_max;
};

struct table_row {
	struct table_cell cells[TABLE_MAX_COLS];
	char first[40], last[40], num[3][32];	/* what the cells point to */
};

struct table {
	const char *title;
	const char *none;	/* the sentence for a table without rows */
	const struct table_col *cols;
	size_t ncols;
	size_t nrows;		/* every row; a renderer may show fewer */
	/* private */
	const struct report *r;
	enum table_id id;
	struct rp_group *groups;
	bool days;
};

/* Open table id of report r (table_close frees it). */
void table_open(struct table *t, const struct report *r, enum table_id id);
/* The ncols cells of row i < nrows; md_cell: the Markdown length of a cell
 * of event text. */
void table_row(const struct table *t, size_t i, size_t md_cell, struct table_row *row);
void table_close(struct table *t);

#endif

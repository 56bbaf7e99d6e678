/* sigma_compile.c - a set of Sigma rules -> one Loki ruler YAML document.
 *
 * A detection rule becomes an `alert:` rule whose expr is its LogQL log
 * query (ward-match tags its events). A correlation rule (event_count,
 * value_count, temporal) becomes an `alert:` rule whose expr is a metric
 * query over its base rules' log queries: ward-match tags its events and
 * ward-window counts them (docs/window.md), both from the same ruler file
 * (`ward-match --sigma DIR --emit-ruler FILE`). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logql.h"
#include "stages/match/sigma.h"

#define SIGMA_FILE_MAX (4u << 20)
#define SIGMA_DEPTH_MAX 16

static int add_file(struct sigma_set *set, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct ward_buf b = WARD_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > SIGMA_FILE_MAX) {
			fclose(f);
			buf_free(&b);
			snprintf(err, errlen, "%s: larger than %u bytes", path, SIGMA_FILE_MAX);
			return -1;
		}
		buf_append(&b, chunk, n);
	}
	bool ioerr = ferror(f);
	fclose(f);
	if (ioerr) {
		buf_free(&b);
		snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	int rc = sigma_load_buffer(b.data ? b.data : "", b.len, path, &set->rules, &set->n, err, errlen);
	buf_free(&b);
	return rc;
}

static bool yaml_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && ((l > 4 && !strcmp(n + l - 4, ".yml")) || (l > 5 && !strcmp(n + l - 5, ".yaml")));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(struct sigma_set *set, const char *path, int depth, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(set, path, err, errlen);
	if (depth > SIGMA_DEPTH_MAX)
		return 0;
	DIR *d = opendir(path);
	if (!d) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = ward_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = ward_xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct ward_buf p = WARD_BUF_INIT;
		buf_printf(&p, "%s/%s", path, names[i]);
		struct stat cs;
		if (rc == 0 && stat(p.data, &cs) == 0) {
			if (S_ISDIR(cs.st_mode))
				rc = add_path(set, p.data, depth + 1, err, errlen);
			else if (yaml_name(names[i]))
				rc = add_file(set, p.data, err, errlen);
		}
		buf_free(&p);
		free(names[i]);
	}
	free(names);
	return rc;
}

int sigma_set_add_path(struct sigma_set *set, const char *path, char *err, size_t errlen)
{
	return add_path(set, path, 0, err, errlen);
}

void sigma_set_free(struct sigma_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		sigma_rule_free(&set->rules[i]);
	free(set->rules);
	set->rules = NULL;
	set->n = 0;
}

/* ---- labels ------------------------------------------------------------------ */

static const char *severity(const char *level)
{
	if (!level)
		return "medium";
	if (!strcmp(level, "informational"))
		return "info";
	if (!strcmp(level, "low") || !strcmp(level, "medium") || !strcmp(level, "high") || !strcmp(level, "critical"))
		return level;
	return "medium";
}

static void kv(struct ward_buf *y, const char *k, const char *v)
{
	if (!v)
		return;
	buf_printf(y, "          %s: ", k);
	sigma_quote_yaml(y, v);
	buf_append_char(y, '\n');
}

static const char *const TACTICS[] = {
	"reconnaissance", "resource_development", "initial_access", "execution", "persistence",
	"privilege_escalation", "defense_evasion", "credential_access", "discovery", "lateral_movement",
	"collection", "command_and_control", "exfiltration", "impact", "resource-development",
	"initial-access", "privilege-escalation", "defense-evasion", "credential-access",
	"lateral-movement", "command-and-control",
};

static void labels(struct ward_buf *y, const struct sigma_rule *r)
{
	buf_append_lit(y, "        labels:\n");
	kv(y, "severity", severity(r->level));
	kv(y, "sigma_id", r->id);
	kv(y, "sigma_title", r->title);
	kv(y, "sigma_level", r->level);
	kv(y, "sigma_status", r->status);
	struct ward_buf tags = WARD_BUF_INIT, tech = WARD_BUF_INIT, tac = WARD_BUF_INIT;
	for (size_t i = 0; i < r->ntags; i++) {
		const char *t = r->tags[i];
		buf_printf(&tags, "%s%s", tags.len ? "," : "", t);
		if (strncmp(t, "attack.", 7))
			continue;
		const char *a = t + 7;
		if ((a[0] == 't' || a[0] == 'T') && a[1] >= '0' && a[1] <= '9' && !tech.len) {
			for (const char *p = a; *p; p++)
				buf_append_char(&tech, (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
		}
		for (size_t k = 0; k < sizeof(TACTICS) / sizeof(TACTICS[0]) && !tac.len; k++)
			if (!strcmp(a, TACTICS[k]))
				for (const char *p = a; *p; p++)
					buf_append_char(&tac, *p == '-' ? '_' : *p);
	}
	if (tags.len)
		kv(y, "sigma_tags", tags.data);
	if (tac.len)
		kv(y, "mitre_tactic", tac.data);
	if (tech.len)
		kv(y, "mitre_technique", tech.data);
	buf_free(&tags);
	buf_free(&tech);
	buf_free(&tac);
	buf_append_lit(y, "        annotations:\n");
	kv(y, "summary", r->title);
	kv(y, "description", r->description);
	kv(y, "sigma_file", r->file);
}

/* ---- correlations ------------------------------------------------------------- */

static const struct sigma_rule *find_rule(const struct sigma_set *set, const char *ref)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct sigma_rule *r = &set->rules[i];
		if ((r->name && !strcmp(r->name, ref)) || (r->id && !strcmp(r->id, ref)))
			return r;
	}
	return NULL;
}

static bool duration_ok(const char *s)
{
	size_t d = strspn(s, "0123456789");
	return d > 0 && d < 10 && strchr("smhdwy", s[d]) && s[d] && !s[d + 1];
}

static bool ident_ok(const char *s)
{
	if (!*s || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(s);
}

/* Sigma field names of a correlation: the web taxonomy's c-ip is src_ip;
 * other names must already be ward field names. */
static const char *corr_field(const char *f)
{
	if (!strcmp(f, "c-ip"))
		return "src_ip";
	return ident_ok(f) ? f : NULL;
}

static int corr_expr(const struct sigma_set *set, const struct sigma_rule *r, struct ward_buf *out, char *err,
		     size_t errlen)
{
	const struct sigma_corr *c = &r->corr;
	if (!duration_ok(c->timespan)) {
		snprintf(err, errlen, "timespan %.40s is not a duration like 5m", c->timespan);
		return -1;
	}
	struct ward_buf by = WARD_BUF_INIT;
	for (size_t i = 0; i < c->ngroup_by; i++) {
		const char *f = corr_field(c->group_by[i]);
		if (!f) {
			snprintf(err, errlen, "group-by field %.40s is not a ward field name", c->group_by[i]);
			buf_free(&by);
			return -1;
		}
		buf_printf(&by, "%s%s", i ? ", " : "", f);
	}
	const char *grp = by.len ? by.data : "";
	size_t want = c->type == SC_TEMPORAL ? 2 : 1;
	if (c->nrules != want) {
		snprintf(err, errlen, "%s over %zu rules is not supported (%zu)",
			 c->type == SC_TEMPORAL ? "temporal" : "event_count/value_count", c->nrules, want);
		buf_free(&by);
		return -1;
	}
	struct ward_buf q[2] = { WARD_BUF_INIT, WARD_BUF_INIT };
	int rc = 0;
	/* the fields the correlation reads, which the base query must keep */
	const char *keep[17];
	size_t nkeep = 0;
	for (size_t i = 0; i < c->ngroup_by && nkeep < 16; i++)
		keep[nkeep++] = corr_field(c->group_by[i]);
	if (c->type == SC_VALUE_COUNT && c->field && corr_field(c->field))
		keep[nkeep++] = corr_field(c->field);
	for (size_t i = 0; i < c->nrules && rc == 0; i++) {
		const struct sigma_rule *b = find_rule(set, c->rules[i]);
		if (!b) {
			snprintf(err, errlen, "rule %.60s is not in the loaded Sigma rules", c->rules[i]);
			rc = -1;
		} else if (b->corr.type != SC_NONE) {
			snprintf(err, errlen, "rule %.60s is a correlation (chained correlations are not supported)",
				 c->rules[i]);
			rc = -1;
		} else {
			char e2[256];
			if (sigma_to_logql_with(b, keep, nkeep, &q[i], e2, sizeof(e2)) != 0) {
				snprintf(err, errlen, "rule %.60s: %s", c->rules[i], e2);
				rc = -1;
			}
		}
	}
	if (rc == 0) {
		if (c->type == SC_EVENT_COUNT) {
			buf_printf(out, "sum by (%s) (count_over_time(%s [%s])) %s %s", grp, q[0].data, c->timespan,
				   c->op, c->count);
		} else if (c->type == SC_VALUE_COUNT) {
			const char *f = corr_field(c->field);
			if (!f) {
				snprintf(err, errlen, "field %.40s is not a ward field name", c->field);
				rc = -1;
			} else {
				buf_printf(out, "count by (%s) (sum by (%s%s%s) (count_over_time(%s [%s]))) %s %s", grp, grp,
					   by.len ? ", " : "", f, q[0].data, c->timespan, c->op, c->count);
			}
		} else {
			buf_printf(out, "(sum by (%s) (count_over_time(%s [%s])) > 0) and (sum by (%s) (count_over_time(%s [%s])) > 0)",
				   grp, q[0].data, c->timespan, grp, q[1].data, c->timespan);
		}
		if (rc == 0 && c->count && strspn(c->count, "0123456789") != strlen(c->count)) {
			snprintf(err, errlen, "count %.40s is not a whole number", c->count);
			rc = -1;
		}
	}
	buf_free(&q[0]);
	buf_free(&q[1]);
	buf_free(&by);
	return rc;
}

/* ---- the ruler file ------------------------------------------------------------ */

static void refuse(struct sigma_result *res, const struct sigma_rule *r, const char *why)
{
	res->refused++;
	buf_printf(&res->refusals, "%s:%zu: %s: %s\n", r->file, r->line, r->title ? r->title : "(no title)", why);
}

/* A rule whose query the engine cannot parse or compile (an address range
 * ip() rejects, a regex PCRE2 refuses) is refused alone, not the whole set. */
static int check_logql(const char *q, size_t len, char *err, size_t errlen)
{
	struct logql_error le;
	struct logql_expr *e = logql_parse(q, len, &le);
	if (!e) {
		char m[300];
		logql_error_format(&le, m, sizeof(m));
		snprintf(err, errlen, "generated LogQL does not parse (please report): %s", m);
		return -1;
	}
	/* an engine per rule: its pipelines point into e, which goes first */
	struct logql_engine *eng = logql_engine_new();
	const struct logql_log_query *qs[4];
	size_t nq = logql_expr_log_queries(e, qs, 4);
	int rc = 0;
	for (size_t k = 0; k < nq && rc == 0; k++)
		if (!logql_pipeline_compile(eng, qs[k], &le)) {
			snprintf(err, errlen, "%s", le.msg);
			rc = -1;
		}
	logql_engine_free(eng);
	logql_expr_free(e);
	return rc;
}

/* The query of rule r into q: 0, or -1 with the reason in err. */
static int rule_query(const struct sigma_set *set, const struct sigma_rule *r, struct ward_buf *q, char *err,
		      size_t errlen)
{
	int rc;
	if (r->error) {
		snprintf(err, errlen, "%s", r->error);
		rc = -1;
	} else if (r->corr.type != SC_NONE) {
		rc = corr_expr(set, r, q, err, errlen);
	} else {
		rc = sigma_to_logql(r, q, err, errlen);
	}
	return rc == 0 ? check_logql(q->data, q->len, err, errlen) : rc;
}

/* Sigma's `generate`: the rules a correlation references alert on their
 * own only when one of the correlations that use them says generate: true
 * (false by default: the base rules feed the correlation only). A
 * correlation that is refused silences nothing. quiet[i] for rule i. */
static unsigned char *quiet_rules(const struct sigma_set *set)
{
	unsigned char *quiet = ward_xcalloc(set->n + 1, 1), *loud = ward_xcalloc(set->n + 1, 1);
	for (size_t i = 0; i < set->n; i++) {
		const struct sigma_rule *c = &set->rules[i];
		if (c->corr.type == SC_NONE)
			continue;
		struct ward_buf q = WARD_BUF_INIT;
		char err[512];
		bool ok = rule_query(set, c, &q, err, sizeof(err)) == 0;
		buf_free(&q);
		for (size_t k = 0; ok && k < c->corr.nrules; k++) {
			const struct sigma_rule *b = find_rule(set, c->corr.rules[k]);
			if (b)
				(c->corr.generate ? loud : quiet)[b - set->rules] = 1;
		}
	}
	for (size_t i = 0; i < set->n; i++)
		quiet[i] &= !loud[i];
	free(loud);
	return quiet;
}

void sigma_set_compile(const struct sigma_set *set, struct ward_buf *yaml, struct sigma_result *res)
{
	buf_append_lit(yaml, "# Generated by ward-match --sigma (docs/sigma.md); edit the Sigma rules, not this file.\n"
			     "groups:\n  - name: sigma\n    rules:\n");
	unsigned char *quiet = quiet_rules(set);
	for (size_t i = 0; i < set->n; i++) {
		const struct sigma_rule *r = &set->rules[i];
		struct ward_buf q = WARD_BUF_INIT;
		char err[512];
		if (rule_query(set, r, &q, err, sizeof(err)) != 0) {
			refuse(res, r, err);
			buf_free(&q);
			continue;
		}
		if (quiet[i]) {	/* loaded: part of a correlation's query, no rule of its own */
			res->loaded++;
			buf_free(&q);
			continue;
		}
		/* The alert name: the title, with the id when two rules share it. */
		bool dup = false;
		for (size_t j = 0; j < set->n && !dup; j++)
			if (j != i && set->rules[j].title && r->title && !strcmp(set->rules[j].title, r->title))
				dup = true;
		struct ward_buf name = WARD_BUF_INIT;
		buf_printf(&name, "%s", r->title);
		if (dup && r->id)
			buf_printf(&name, " (%s)", r->id);
		buf_append_lit(yaml, "      - alert: ");
		sigma_quote_yaml(yaml, name.data);
		buf_append_lit(yaml, "\n        expr: ");
		sigma_quote_yaml(yaml, q.data);
		buf_append_char(yaml, '\n');
		labels(yaml, r);
		res->loaded++;
		buf_free(&name);
		buf_free(&q);
	}
	free(quiet);
}

/* rules.c - load Loki ruler YAML with libyaml's document API. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "buf.h"
#include "hash.h"
#include "log.h"
#include "opts.h"
#include "rules.h"
#include "wtime.h"

struct loader {
	yaml_document_t *doc;
	const char *name;
	char *err;
	size_t errlen;
	bool failed;
	size_t budget;			/* bytes left to copy: aliases can make a
					 * small file expand to a huge tree */
	struct ward_ruleset out;	/* rules of this document */
};

#define RULES_BUDGET (64u << 20)

static void lfail(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void lfail(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
{
	if (L->failed)
		return;
	L->failed = true;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(L->err, L->errlen, "%s:%zu: %s", L->name, n ? (size_t)n->start_mark.line + 1 : 0, msg);
}

static yaml_node_t *node(struct loader *L, int id)
{
	return yaml_document_get_node(L->doc, id);
}

static bool is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool key_is(struct loader *L, const yaml_node_pair_t *p, const char *k)
{
	yaml_node_t *kn = node(L, p->key);
	return is_scalar(kn) && strcmp(scalar(kn), k) == 0;
}

static yaml_node_t *map_get(struct loader *L, yaml_node_t *map, const char *k)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
		if (key_is(L, p, k))
			return node(L, p->value);
	return NULL;
}

static bool spend(struct loader *L, const yaml_node_t *n, size_t bytes)
{
	bytes += 64;
	if (L->budget < bytes) {
		lfail(L, n, "the rules expand to more than %u bytes (aliases?)", RULES_BUDGET);
		return false;
	}
	L->budget -= bytes;
	return true;
}

static char *get_str(struct loader *L, yaml_node_t *map, const char *k, bool required)
{
	yaml_node_t *v = map_get(L, map, k);
	if (!v) {
		if (required)
			lfail(L, map, "missing %s", k);
		return NULL;
	}
	if (!is_scalar(v)) {
		lfail(L, v, "%s: expected a string", k);
		return NULL;
	}
	if (!spend(L, v, v->data.scalar.length))
		return NULL;
	return ward_xstrdup(scalar(v));
}

static int64_t get_duration(struct loader *L, yaml_node_t *map, const char *k)
{
	yaml_node_t *v = map_get(L, map, k);
	int64_t ns = 0;
	if (!v)
		return 0;
	if (!is_scalar(v) || duration_parse(scalar(v), strlen(scalar(v)), &ns) != 0)
		lfail(L, v, "%s: not a duration such as 5m", k);
	return ns;
}

static void get_kvs(struct loader *L, yaml_node_t *map, const char *k, struct rule_kv **out, size_t *n)
{
	yaml_node_t *m = map_get(L, map, k);
	if (!m)
		return;
	if (m->type != YAML_MAPPING_NODE) {
		lfail(L, m, "%s: expected a mapping", k);
		return;
	}
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(L, p->key), *vn = node(L, p->value);
		if (!is_scalar(kn) || !is_scalar(vn)) {
			lfail(L, kn, "%s: keys and values must be strings", k);
			return;
		}
		if (!spend(L, kn, kn->data.scalar.length + vn->data.scalar.length))
			return;
		*out = ward_xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[*n].key = ward_xstrdup(scalar(kn));
		(*out)[*n].val = ward_xstrdup(scalar(vn));
		(*n)++;
	}
}

static void free_kvs(struct rule_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

static void free_rule(struct ward_rule *r)
{
	free(r->name);
	free(r->group);
	free(r->expr_src);
	logql_expr_free(r->expr);
	free_kvs(r->labels, r->nlabels);
	free_kvs(r->annotations, r->nannotations);
	for (size_t i = 0; i < r->nsamples; i++) {
		free(r->samples[i].line);
		free_kvs(r->samples[i].fields, r->samples[i].nfields);
		free_kvs(r->samples[i].labels, r->samples[i].nlabels);
	}
	free(r->samples);
	free(r->file);
}

/* Default test labels: the selector's = matchers of the first log query. */
static void default_labels(const struct ward_rule *r, struct rule_kv **out, size_t *n)
{
	const struct logql_log_query *q;
	if (!r->expr || logql_expr_log_queries(r->expr, &q, 1) == 0)
		return;
	for (size_t i = 0; i < q->nmatchers; i++) {
		if (q->matchers[i].op != LQ_MATCH_EQ)
			continue;
		*out = ward_xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[*n].key = ward_xstrdup(q->matchers[i].name);
		(*out)[*n].val = ward_xstrdup(q->matchers[i].value);
		(*n)++;
	}
}

static void copy_kvs(const struct rule_kv *src, size_t n, struct rule_kv **out, size_t *on)
{
	for (size_t i = 0; i < n; i++) {
		*out = ward_xrealloc(*out, (*on + 1) * sizeof(**out));
		(*out)[*on].key = ward_xstrdup(src[i].key);
		(*out)[*on].val = ward_xstrdup(src[i].val);
		(*on)++;
	}
}

static void load_samples(struct loader *L, struct ward_rule *r, yaml_node_t *tests, const char *k,
			 bool want, const struct rule_kv *labels, size_t nlabels)
{
	yaml_node_t *seq = map_get(L, tests, k);
	if (!seq)
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		lfail(L, seq, "tests.%s: expected a list", k);
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top && !L->failed; it++) {
		yaml_node_t *item = node(L, *it);
		if (r->nsamples >= 1000) {
			lfail(L, item, "more than 1000 test lines");
			return;
		}
		if (!spend(L, item, (is_scalar(item) ? item->data.scalar.length : 0) + 256))
			return;
		r->samples = ward_xrealloc(r->samples, (r->nsamples + 1) * sizeof(*r->samples));
		struct rule_sample *s = &r->samples[r->nsamples++];
		memset(s, 0, sizeof(*s));
		s->want_match = want;
		s->src_line = item ? (size_t)item->start_mark.line + 1 : 0;
		if (is_scalar(item)) {
			s->line = ward_xstrdup(scalar(item));
		} else if (item && item->type == YAML_MAPPING_NODE) {
			s->line = get_str(L, item, "line", true);
			get_kvs(L, item, "fields", &s->fields, &s->nfields);
			get_kvs(L, item, "labels", &s->labels, &s->nlabels);
		} else {
			lfail(L, item, "tests.%s: expected a line or {line, fields, labels}", k);
			return;
		}
		if (s->nlabels == 0)
			copy_kvs(labels, nlabels, &s->labels, &s->nlabels);
	}
}

static void load_tests(struct loader *L, struct ward_rule *r, yaml_node_t *rn)
{
	yaml_node_t *tests = map_get(L, rn, "tests");
	struct rule_kv *labels = NULL;
	size_t nlabels = 0;
	if (!tests)
		return;
	if (tests->type != YAML_MAPPING_NODE) {
		lfail(L, tests, "tests: expected a mapping with match/nomatch lists");
		return;
	}
	get_kvs(L, tests, "labels", &labels, &nlabels);
	if (nlabels == 0)
		default_labels(r, &labels, &nlabels);
	load_samples(L, r, tests, "match", true, labels, nlabels);
	load_samples(L, r, tests, "nomatch", false, labels, nlabels);
	free_kvs(labels, nlabels);
}

static void load_rule(struct loader *L, yaml_node_t *rn, const char *group, int64_t interval, long limit)
{
	if (rn->type != YAML_MAPPING_NODE) {
		lfail(L, rn, "a rule must be a mapping");
		return;
	}
	if (L->out.n >= RULES_MAX) {
		lfail(L, rn, "more than %d rules", RULES_MAX);
		return;
	}
	if (!spend(L, rn, 1024))
		return;
	L->out.rules = ward_xrealloc(L->out.rules, (L->out.n + 1) * sizeof(*L->out.rules));
	struct ward_rule *r = &L->out.rules[L->out.n++];
	memset(r, 0, sizeof(*r));
	r->file = ward_xstrdup(L->name);
	r->src_line = (size_t)rn->start_mark.line + 1;
	r->group = ward_xstrdup(group);
	r->group_interval_ns = interval;
	r->group_limit = limit;
	char *alert = get_str(L, rn, "alert", false);
	char *record = get_str(L, rn, "record", false);
	if (alert && record)
		lfail(L, rn, "a rule has alert or record, not both");
	else if (!alert && !record)
		lfail(L, rn, "a rule needs alert or record");
	r->is_record = record != NULL;
	r->name = alert ? alert : record;
	if (alert && record)
		free(record);
	if (L->failed)
		return;
	if (!*r->name) {
		lfail(L, rn, "empty rule name");
		return;
	}
	r->expr_src = get_str(L, rn, "expr", true);
	if (L->failed)
		return;
	snprintf(r->id, sizeof r->id, "%016llx",
		 (unsigned long long)hash_mix64(hash_fnv1a_str(r->expr_src)));
	struct logql_error e;
	r->expr = logql_parse(r->expr_src, strlen(r->expr_src), &e);
	if (!r->expr) {
		lfail(L, map_get(L, rn, "expr"), "rule %s: expr %u:%u: %s", r->name, e.line, e.col, e.msg);
		return;
	}
	r->for_ns = get_duration(L, rn, "for");
	r->keep_firing_for_ns = get_duration(L, rn, "keep_firing_for");
	get_kvs(L, rn, "labels", &r->labels, &r->nlabels);
	get_kvs(L, rn, "annotations", &r->annotations, &r->nannotations);
	load_tests(L, r, rn);
}

static void load_group(struct loader *L, yaml_node_t *g)
{
	if (g->type != YAML_MAPPING_NODE) {
		lfail(L, g, "a group must be a mapping");
		return;
	}
	char *name = get_str(L, g, "name", true);
	if (L->failed) {
		free(name);
		return;
	}
	int64_t interval = get_duration(L, g, "interval");
	long limit = 0;
	yaml_node_t *lim = map_get(L, g, "limit");
	if (lim && (!is_scalar(lim) || parse_long(scalar(lim), &limit) != 0 || limit < 0))
		lfail(L, lim, "limit: not a count");
	yaml_node_t *rules = map_get(L, g, "rules");
	if (!L->failed && rules && rules->type != YAML_SEQUENCE_NODE)
		lfail(L, rules, "rules: expected a list");
	if (!L->failed && rules)
		for (yaml_node_item_t *it = rules->data.sequence.items.start;
		     it < rules->data.sequence.items.top && !L->failed; it++)
			load_rule(L, node(L, *it), name, interval, limit);
	free(name);
}

static void load_doc(struct loader *L)
{
	yaml_node_t *root = yaml_document_get_root_node(L->doc);
	if (!root)
		return;	/* empty file: no rules */
	if (root->type != YAML_MAPPING_NODE) {
		lfail(L, root, "expected a mapping with groups:");
		return;
	}
	yaml_node_t *groups = map_get(L, root, "groups");
	if (!groups)
		return;
	if (groups->type != YAML_SEQUENCE_NODE) {
		lfail(L, groups, "groups: expected a list");
		return;
	}
	for (yaml_node_item_t *it = groups->data.sequence.items.start;
	     it < groups->data.sequence.items.top && !L->failed; it++)
		load_group(L, node(L, *it));
}

int rules_load_buffer(struct ward_ruleset *rs, const char *data, size_t len, const char *name,
		      char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct loader L = { .doc = &doc, .name = name, .err = err, .errlen = errlen,
			    .budget = RULES_BUDGET };
	if (len > RULES_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %u bytes", name, RULES_FILE_MAX);
		return -1;
	}
	if (!yaml_parser_initialize(&parser))
		ward_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu: YAML: %s", name, (size_t)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		return -1;
	}
	load_doc(&L);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (!L.failed && rs->n + L.out.n > RULES_MAX) {
		snprintf(err, errlen, "%s: more than %d rules in all", name, RULES_MAX);
		L.failed = true;
	}
	if (L.failed) {
		rules_free(&L.out);
		return -1;
	}
	rs->rules = ward_xrealloc(rs->rules, (rs->n + L.out.n + 1) * sizeof(*rs->rules));
	if (L.out.n)
		memcpy(rs->rules + rs->n, L.out.rules, L.out.n * sizeof(*L.out.rules));
	rs->n += L.out.n;
	free(L.out.rules);
	return 0;
}

static int load_file(struct ward_ruleset *rs, const char *path, bool in_dir, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct ward_buf b = WARD_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len <= RULES_FILE_MAX)
		buf_append(&b, chunk, n);
	bool ioerr = ferror(f);
	fclose(f);
	if (ioerr) {
		buf_free(&b);
		snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	size_t before = rs->n;
	int rc = rules_load_buffer(rs, b.data ? b.data : "", b.len, path, err, errlen);
	buf_free(&b);
	if (rc == 0)
		log_debug("rules: %s: %zu rules", path, rs->n - before);
	if (rc == 0 && rs->n == before && in_dir)
		log_warn("rules: %s: no rules (a pack needs groups: - name: ... rules: [...])", path);
	return rc;
}

/* Rules from `from` on against all earlier ones. An alert rule with the
 * name, expr and for: of an earlier one is the same rule (a pack given
 * twice) and is dropped. Alert rules of one name that differ are kept, as
 * Loki and Prometheus keep them, and marked name_shared: ward-match then
 * tags their events with the rule's id as well as its name, so each one
 * counts only what its own expr selects (docs/rules.md). Record rules may
 * repeat names (Prometheus style). */
static int check_names(struct ward_ruleset *rs, size_t from, char *err, size_t errlen)
{
	size_t out = from;
	for (size_t i = from; i < rs->n; i++) {
		struct ward_rule *r = &rs->rules[i];
		const struct ward_rule *same = NULL, *clash = NULL;
		for (size_t k = 0; k < out && !r->is_record && !same && !clash; k++) {
			struct ward_rule *o = &rs->rules[k];
			if (o->is_record || strcmp(o->name, r->name) != 0)
				continue;
			bool same_expr = !strcmp(o->expr_src, r->expr_src);
			if (same_expr && o->for_ns == r->for_ns)
				same = o;
			else if (!same_expr && !strcmp(o->id, r->id))
				clash = o;
			else
				o->name_shared = r->name_shared = true;
		}
		if (clash) {
			snprintf(err, errlen,
				 "%s:%zu: rule %s: %s:%zu has an alert rule of the same name whose expr has "
				 "the same id %s (rename one)",
				 r->file, r->src_line, r->name, clash->file, clash->src_line, r->id);
			for (size_t k = i; k < rs->n; k++)
				free_rule(&rs->rules[k]);
			rs->n = out;
			return -1;
		}
		if (same) {
			log_warn("rules: %s:%zu: rule %s is the same as %s:%zu: loaded once", r->file,
				 r->src_line, r->name, same->file, same->src_line);
			free_rule(r);
			continue;
		}
		if (out != i)
			rs->rules[out] = *r;
		out++;
	}
	rs->n = out;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool yaml_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && ((l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml")));
}

static int load_path(struct ward_ruleset *rs, const char *path, char *err, size_t errlen);

int rules_load_path(struct ward_ruleset *rs, const char *path, char *err, size_t errlen)
{
	size_t before = rs->n;
	if (load_path(rs, path, err, errlen) != 0)
		return -1;
	if (rs->n == before) {
		snprintf(err, errlen, "%s: no rules (a rules file needs groups: - name: ... rules: [...]; "
			 "a directory, *.yaml or *.yml files holding some)", path);
		return -1;
	}
	return check_names(rs, before, err, errlen);
}

static int load_path(struct ward_ruleset *rs, const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path, false, err, errlen);
	DIR *d = opendir(path);
	if (!d) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!yaml_name(de->d_name))
			continue;
		names = ward_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = ward_xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof(*names), cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			struct ward_buf p = WARD_BUF_INIT;
			buf_printf(&p, "%s/%s", path, names[i]);
			rc = load_file(rs, buf_cstr(&p), true, err, errlen);
			buf_free(&p);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

void rules_free(struct ward_ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free_rule(&rs->rules[i]);
	free(rs->rules);
	rs->rules = NULL;
	rs->n = 0;
}

static const char *kv_get(const struct rule_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].val;
	return NULL;
}

const char *rule_label(const struct ward_rule *r, const char *key)
{
	return kv_get(r->labels, r->nlabels, key);
}

const char *rule_annotation(const struct ward_rule *r, const char *key)
{
	return kv_get(r->annotations, r->nannotations, key);
}

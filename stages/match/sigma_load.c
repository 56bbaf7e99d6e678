/* sigma_load.c - Sigma rule YAML documents -> struct sigma_rule (libyaml). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "stages/match/sigma.h"

struct ld {
	yaml_document_t *doc;
	struct sigma_rule *r;
};

static yaml_node_t *nd(struct ld *L, int id)
{
	return yaml_document_get_node(L->doc, id);
}

/* The first refusal reason wins: later ones are usually consequences. */
static void bad(struct ld *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct ld *L, const char *fmt, ...)
{
	if (L->r->error)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	L->r->error = ward_xstrdup(msg);
}

static const char *sval(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *get(struct ld *L, yaml_node_t *map, const char *k)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *ks = sval(nd(L, p->key));
		if (ks && strcmp(ks, k) == 0)
			return nd(L, p->value);
	}
	return NULL;
}

static char *get_str(struct ld *L, yaml_node_t *map, const char *k)
{
	const char *s = sval(get(L, map, k));
	return s ? ward_xstrdup(s) : NULL;
}

/* A list of strings, or one string as a list of one. */
static char **get_strs(struct ld *L, yaml_node_t *map, const char *k, size_t *n)
{
	yaml_node_t *v = get(L, map, k);
	char **out = NULL;
	*n = 0;
	if (!v)
		return NULL;
	if (v->type == YAML_SCALAR_NODE) {
		out = ward_xmalloc(sizeof(*out));
		out[(*n)++] = ward_xstrdup(sval(v));
		return out;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		bad(L, "%s: expected a string or a list of strings", k);
		return NULL;
	}
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const char *s = sval(nd(L, *it));
		if (!s) {
			bad(L, "%s: expected a list of strings", k);
			continue;
		}
		out = ward_xrealloc(out, (*n + 1) * sizeof(*out));
		out[(*n)++] = ward_xstrdup(s);
	}
	return out;
}

static bool is_null_scalar(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL") || !strcmp(s, "~");
}

static bool is_num_scalar(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return false;
	bool dot = false;
	for (; *s; s++) {
		if (*s == '.' && !dot)
			dot = true;
		else if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

static void add_value(struct sigma_item *it, const yaml_node_t *n)
{
	it->vals = ward_xrealloc(it->vals, (it->nvals + 1) * sizeof(*it->vals));
	struct sigma_value *v = &it->vals[it->nvals++];
	v->s = is_null_scalar(n) ? NULL : ward_xstrdup((const char *)n->data.scalar.value);
	v->is_num = is_num_scalar(n);
}

static const struct {
	const char *name;
	unsigned bit;
} mods[] = {
	{ "contains", SM_CONTAINS }, { "startswith", SM_STARTSWITH }, { "endswith", SM_ENDSWITH },
	{ "all", SM_ALL }, { "re", SM_RE }, { "i", SM_RE_I }, { "m", SM_RE_M }, { "s", SM_RE_S },
	{ "cidr", SM_CIDR }, { "base64", SM_BASE64 }, { "base64offset", SM_BASE64OFFSET },
	{ "utf16le", SM_UTF16LE }, { "utf16be", SM_UTF16BE }, { "utf16", SM_UTF16 },
	{ "wide", SM_UTF16LE }, { "windash", SM_WINDASH }, { "exists", SM_EXISTS },
	{ "cased", SM_CASED }, { "gt", SM_GT }, { "gte", SM_GTE }, { "lt", SM_LT }, { "lte", SM_LTE },
	{ "fieldref", SM_FIELDREF },
	{ "ignorecase", SM_RE_I }, { "multiline", SM_RE_M }, { "dotall", SM_RE_S },
};

/* "field|mod|mod" -> item->field (NULL when empty: keywords) and mods. */
static void parse_key(struct ld *L, const char *key, struct sigma_item *it)
{
	const char *bar = strchr(key, '|');
	size_t flen = bar ? (size_t)(bar - key) : strlen(key);
	it->field = flen ? ward_xstrndup(key, flen) : NULL;
	while (bar) {
		const char *m = bar + 1;
		bar = strchr(m, '|');
		size_t mlen = bar ? (size_t)(bar - m) : strlen(m);
		size_t k;
		for (k = 0; k < sizeof(mods) / sizeof(mods[0]); k++)
			if (strlen(mods[k].name) == mlen && !strncmp(mods[k].name, m, mlen))
				break;
		if (k == sizeof(mods) / sizeof(mods[0])) {
			bad(L, "unsupported modifier '%.*s'", (int)(mlen > 40 ? 40 : mlen), m);
			return;
		}
		it->mods |= mods[k].bit;
	}
	if ((it->mods & (SM_RE_I | SM_RE_M | SM_RE_S)) && !(it->mods & SM_RE))
		bad(L, "the modifiers i, m and s need re");
}

static void item_values(struct ld *L, struct sigma_item *it, yaml_node_t *v)
{
	if (v->type == YAML_SCALAR_NODE) {
		add_value(it, v);
		return;
	}
	if (v->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *p = v->data.sequence.items.start; p < v->data.sequence.items.top; p++) {
			yaml_node_t *e = nd(L, *p);
			if (!e || e->type != YAML_SCALAR_NODE) {
				bad(L, "field %s: a list of values must hold scalars", it->field ? it->field : "");
				return;
			}
			add_value(it, e);
		}
		return;
	}
	bad(L, "field %s: a value must be a scalar or a list", it->field ? it->field : "");
}

static void group_from_map(struct ld *L, struct sigma_group *g, yaml_node_t *map)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = sval(nd(L, p->key));
		if (!k) {
			bad(L, "a detection key must be a string");
			return;
		}
		g->items = ward_xrealloc(g->items, (g->nitems + 1) * sizeof(*g->items));
		struct sigma_item *it = &g->items[g->nitems++];
		memset(it, 0, sizeof(*it));
		parse_key(L, k, it);
		item_values(L, it, nd(L, p->value));
		if (it->nvals == 0)
			bad(L, "field %s: an empty list of values", it->field ? it->field : "");
	}
}

static struct sigma_group *new_alt(struct sigma_sel *s)
{
	s->alts = ward_xrealloc(s->alts, (s->nalts + 1) * sizeof(*s->alts));
	struct sigma_group *g = &s->alts[s->nalts++];
	memset(g, 0, sizeof(*g));
	return g;
}

static void load_sel(struct ld *L, struct sigma_sel *s, yaml_node_t *v)
{
	if (v->type == YAML_MAPPING_NODE) {
		group_from_map(L, new_alt(s), v);
	} else if (v->type == YAML_SEQUENCE_NODE) {
		/* A list: maps are alternatives; consecutive scalars are one keyword item. */
		struct sigma_item *kw = NULL;
		for (yaml_node_item_t *p = v->data.sequence.items.start; p < v->data.sequence.items.top; p++) {
			yaml_node_t *e = nd(L, *p);
			if (e->type == YAML_MAPPING_NODE) {
				group_from_map(L, new_alt(s), e);
				kw = NULL;
			} else if (e->type == YAML_SCALAR_NODE) {
				if (!kw) {
					struct sigma_group *g = new_alt(s);
					g->items = ward_xcalloc(1, sizeof(*g->items));
					g->nitems = 1;
					kw = &g->items[0];
				}
				add_value(kw, e);
			} else {
				bad(L, "detection %s: nested lists are not Sigma", s->name);
			}
		}
	} else if (v->type == YAML_SCALAR_NODE) {
		struct sigma_group *g = new_alt(s);
		g->items = ward_xcalloc(1, sizeof(*g->items));
		g->nitems = 1;
		add_value(&g->items[0], v);
	}
	if (s->nalts == 0)
		bad(L, "detection %s is empty", s->name);
}

static void load_detection(struct ld *L, yaml_node_t *det)
{
	struct sigma_rule *r = L->r;
	if (!det || det->type != YAML_MAPPING_NODE) {
		bad(L, "no detection");
		return;
	}
	for (yaml_node_pair_t *p = det->data.mapping.pairs.start; p < det->data.mapping.pairs.top; p++) {
		const char *k = sval(nd(L, p->key));
		yaml_node_t *v = nd(L, p->value);
		if (!k)
			continue;
		if (!strcmp(k, "condition")) {
			if (r->conditions)	/* a repeated key: the first one (get_strs) counts */
				continue;
			size_t n;
			char **c = get_strs(L, det, "condition", &n);
			r->conditions = c;
			r->nconditions = n;
			continue;
		}
		if (!strcmp(k, "timeframe")) {
			bad(L, "detection.timeframe (Sigma 1 aggregation) is not supported: use a correlation rule");
			continue;
		}
		r->sels = ward_xrealloc(r->sels, (r->nsels + 1) * sizeof(*r->sels));
		struct sigma_sel *s = &r->sels[r->nsels++];
		memset(s, 0, sizeof(*s));
		s->name = ward_xstrdup(k);
		load_sel(L, s, v);
	}
	if (r->nconditions == 0)
		bad(L, "detection has no condition");
	else
		for (size_t i = 0; i < r->nconditions; i++)
			if (strchr(r->conditions[i], '|'))
				bad(L, "aggregation in the condition (Sigma 1 `| count()`) is not supported: use a correlation rule");
}

static void load_corr(struct ld *L, yaml_node_t *c)
{
	struct sigma_corr *k = &L->r->corr;
	const char *type = sval(get(L, c, "type"));
	if (!type) {
		bad(L, "correlation without type");
		return;
	}
	if (!strcmp(type, "event_count"))
		k->type = SC_EVENT_COUNT;
	else if (!strcmp(type, "value_count"))
		k->type = SC_VALUE_COUNT;
	else if (!strcmp(type, "temporal"))
		k->type = SC_TEMPORAL;
	else {
		bad(L, "correlation type %.40s is not supported (event_count, value_count, temporal)", type);
		return;
	}
	k->rules = get_strs(L, c, "rules", &k->nrules);
	k->group_by = get_strs(L, c, "group-by", &k->ngroup_by);
	k->timespan = get_str(L, c, "timespan");
	if (!k->timespan)
		k->timespan = get_str(L, c, "timeframe");
	yaml_node_t *cond = get(L, c, "condition");
	if (k->type != SC_TEMPORAL) {
		if (!cond || cond->type != YAML_MAPPING_NODE) {
			bad(L, "correlation %s needs a condition map (gte: N...)", type);
			return;
		}
		for (yaml_node_pair_t *p = cond->data.mapping.pairs.start; p < cond->data.mapping.pairs.top; p++) {
			const char *ck = sval(nd(L, p->key));
			const char *cv = sval(nd(L, p->value));
			if (!ck || !cv)
				continue;
			static const char *const ops[][2] = { { "gt", ">" }, { "gte", ">=" }, { "lt", "<" },
							      { "lte", "<=" }, { "eq", "==" } };
			if (!strcmp(ck, "field")) {
				free(k->field);
				k->field = ward_xstrdup(cv);
				continue;
			}
			bool known = false;
			for (size_t i = 0; i < 5; i++)
				if (!strcmp(ck, ops[i][0])) {
					free(k->op);
					free(k->count);
					k->op = ward_xstrdup(ops[i][1]);
					k->count = ward_xstrdup(cv);
					known = true;
				}
			if (!known)
				bad(L, "correlation condition %.40s is not supported", ck);
		}
		if (!k->op)
			bad(L, "correlation condition without gt/gte/lt/lte/eq");
		if (k->type == SC_VALUE_COUNT && !k->field)
			bad(L, "value_count needs condition.field");
	}
	if (!k->timespan)
		bad(L, "correlation without timespan");
	if (k->nrules == 0)
		bad(L, "correlation without rules");
	yaml_node_t *gen = get(L, c, "generate");
	if (gen) {
		const char *g = sval(gen);
		if (g && (!strcasecmp(g, "true") || !strcasecmp(g, "yes")))
			k->generate = true;
		else if (!g || (strcasecmp(g, "false") && strcasecmp(g, "no")))
			bad(L, "correlation generate must be true or false");
	}
}

static void load_doc(struct ld *L, yaml_node_t *root)
{
	struct sigma_rule *r = L->r;
	r->title = get_str(L, root, "title");
	r->id = get_str(L, root, "id");
	r->name = get_str(L, root, "name");
	r->status = get_str(L, root, "status");
	r->level = get_str(L, root, "level");
	r->description = get_str(L, root, "description");
	r->tags = get_strs(L, root, "tags", &r->ntags);
	if (!r->title || !*r->title)
		bad(L, "no title");	/* the title names the alert */
	yaml_node_t *corr = get(L, root, "correlation");
	if (corr) {
		load_corr(L, corr);
		return;
	}
	yaml_node_t *ls = get(L, root, "logsource");
	if (!ls || ls->type != YAML_MAPPING_NODE)
		bad(L, "no logsource");
	r->product = get_str(L, ls, "product");
	r->service = get_str(L, ls, "service");
	r->category = get_str(L, ls, "category");
	load_detection(L, get(L, root, "detection"));
}

int sigma_load_buffer(const char *data, size_t len, const char *name, struct sigma_rule **rules,
		      size_t *n, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	int rc = 0;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			snprintf(err, errlen, "%s:%zu: YAML: %s", name, (size_t)parser.problem_mark.line + 1,
				 parser.problem ? parser.problem : "error");
			rc = -1;
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		if (root->type == YAML_MAPPING_NODE) {
			*rules = ward_xrealloc(*rules, (*n + 1) * sizeof(**rules));
			struct sigma_rule *r = &(*rules)[(*n)++];
			memset(r, 0, sizeof(*r));
			r->file = ward_xstrdup(name);
			r->line = (size_t)root->start_mark.line + 1;
			struct ld L = { .doc = &doc, .r = r };
			load_doc(&L, root);
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return rc;
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sigma_rule_free(struct sigma_rule *r)
{
	free(r->title);
	free(r->id);
	free(r->name);
	free(r->status);
	free(r->level);
	free(r->description);
	free_strs(r->tags, r->ntags);
	free(r->product);
	free(r->service);
	free(r->category);
	for (size_t i = 0; i < r->nsels; i++) {
		struct sigma_sel *s = &r->sels[i];
		for (size_t a = 0; a < s->nalts; a++) {
			for (size_t k = 0; k < s->alts[a].nitems; k++) {
				struct sigma_item *it = &s->alts[a].items[k];
				for (size_t v = 0; v < it->nvals; v++)
					free(it->vals[v].s);
				free(it->vals);
				free(it->field);
			}
			free(s->alts[a].items);
		}
		free(s->alts);
		free(s->name);
	}
	free(r->sels);
	free_strs(r->conditions, r->nconditions);
	free_strs(r->corr.rules, r->corr.nrules);
	free_strs(r->corr.group_by, r->corr.ngroup_by);
	free(r->corr.timespan);
	free(r->corr.field);
	free(r->corr.op);
	free(r->corr.count);
	free(r->file);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

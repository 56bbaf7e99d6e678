/* opts.c - table-driven option parsing. */
#include "opts.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "linereader.h"
#include "log.h"
#include "wtime.h"

void common_opts_defaults(struct ward_common_opts *c)
{
	memset(c, 0, sizeof *c);
	c->in = "-";
	c->out = "-";
	c->max_line = WARD_DEFAULT_MAX_LINE;
}

int parse_long(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, size_t *out)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	unsigned long long mult = 1;
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = 1ULL << 10; end++; break;
	case 'M': mult = 1ULL << 20; end++; break;
	case 'G': mult = 1ULL << 30; end++; break;
	default: break;
	}
	if (mult > 1 && *end == 'i')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || (v && mult > SIZE_MAX / v))
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

void opt_list_free(struct opt_list *l)
{
	free(l->items);
	memset(l, 0, sizeof *l);
}

static void list_push(struct opt_list *l, const char *v)
{
	if (l->len + 1 >= l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = ward_xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->len++] = v;
	l->items[l->len] = NULL;
}

/* Store value into the option's destination; returns an error text or NULL. */
static const char *set_value(const struct ward_opt *o, const char *v)
{
	switch (o->type) {
	case OPT_FLAG:
		*(bool *)o->dest = true;
		return NULL;
	case OPT_STRING:
		*(const char **)o->dest = v;
		return NULL;
	case OPT_LIST:
		list_push(o->dest, v);
		return NULL;
	case OPT_INT:
		return parse_long(v, o->dest) ? "not an integer" : NULL;
	case OPT_SIZE:
		return parse_size(v, o->dest) ? "not a size (e.g. 4096, 64K, 1M)" : NULL;
	case OPT_DURATION:
		return duration_parse(v, strlen(v), o->dest) ? "not a duration (e.g. 10s, 5m, 1h30m)" : NULL;
	case OPT_DOUBLE: {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		if (errno || end == v || *end)
			return "not a number";
		*(double *)o->dest = d;
		return NULL;
	}
	}
	return "bad option type";
}

static int apply(const struct ward_opt *o, const char *v, const char *how)
{
	const char *why = set_value(o, v);
	if (why) {
		log_error("option %s%s: %s: %s", how, o->name, why, v);
		return -1;
	}
	return 0;
}

static const struct ward_opt *find_long(const struct ward_opt *t, const char *name, size_t n)
{
	for (; t->name; t++)
		if (strlen(t->name) == n && strncmp(t->name, name, n) == 0)
			return t;
	return NULL;
}

static const struct ward_opt *find_short(const struct ward_opt *t, char c)
{
	for (; t->name; t++)
		if (t->short_name && t->short_name == c)
			return t;
	return NULL;
}

static int apply_env(const struct ward_opt *table)
{
	for (const struct ward_opt *o = table; o->name; o++) {
		const char *v = o->env ? getenv(o->env) : NULL;
		const char *why = v && o->type != OPT_LIST ? set_value(o, v) : NULL;
		if (why) {
			log_error("environment %s (option --%s): %s: %s", o->env, o->name, why, v);
			return -1;
		}
	}
	return 0;
}

static int parse_long_opt(const struct ward_opt *table, int argc, char **argv, int *i)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct ward_opt *o = find_long(table, arg, n);
	if (!o) {
		log_error("unknown option --%.*s (see --help)", (int)n, arg);
		return -1;
	}
	if (o->type == OPT_FLAG) {
		if (eq) {
			log_error("option --%s takes no value", o->name);
			return -1;
		}
		return apply(o, "", "--");
	}
	if (eq)
		return apply(o, eq + 1, "--");
	if (*i + 1 >= argc) {
		log_error("option --%s needs a value (%s)", o->name, o->arg ? o->arg : "VALUE");
		return -1;
	}
	return apply(o, argv[++*i], "--");
}

static int parse_short_opts(const struct ward_opt *table, int argc, char **argv, int *i)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct ward_opt *o = find_short(table, *p);
		if (!o) {
			log_error("unknown option -%c (see --help)", *p);
			return -1;
		}
		if (o->type == OPT_FLAG) {
			apply(o, "", "-");
			continue;
		}
		if (p[1])
			return apply(o, p + 1, "--");	/* -Xname=value */
		if (*i + 1 >= argc) {
			log_error("option -%c needs a value (%s)", *p, o->arg ? o->arg : "VALUE");
			return -1;
		}
		return apply(o, argv[++*i], "--");
	}
	return 0;
}

int opts_parse(const struct ward_opt *table, int argc, char **argv, int *noperands)
{
	int nops = 0;
	if (apply_env(table))
		return -1;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		int rc = 0;
		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				argv[1 + nops++] = argv[i];
			break;
		}
		if (a[0] == '-' && a[1] == '-')
			rc = parse_long_opt(table, argc, argv, &i);
		else if (a[0] == '-' && a[1])
			rc = parse_short_opts(table, argc, argv, &i);
		else
			argv[1 + nops++] = a;	/* operands keep their order */
		if (rc)
			return -1;
	}
	*noperands = nops;
	return 0;
}

void opts_usage(const struct ward_opt *table, const char *synopsis, const char *description,
		const char *epilog)
{
	printf("usage: %s %s\n\n%s\n\noptions:\n", log_progname(), synopsis, description);
	for (const struct ward_opt *o = table; o->name; o++) {
		char head[96];
		int w = snprintf(head, sizeof head, "  %c%c%s--%s%s%s", o->short_name ? '-' : ' ',
				 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ",
				 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		printf("%s%*s %s", head, w < 32 ? 32 - w : 1, "", o->help);
		if (o->env)
			printf(" [env %s]", o->env);
		putchar('\n');
	}
	if (epilog)
		printf("\n%s\n", epilog);
}

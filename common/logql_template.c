/* logql_template.c - a text/template subset for line_format, label_format
 * and rule annotations. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "logql_re.h"
#include "logql_template.h"
#include "wtime.h"

/* ---- tree -------------------------------------------------------------- */

struct tpipe;

enum op_kind { O_FIELD, O_STR, O_NUM, O_PIPE, O_FUNC };

struct operand {
	enum op_kind kind;
	char *s;		/* FIELD name, STR/NUM text */
	size_t len;
	struct tpipe *pipe;	/* O_PIPE */
	int fn;			/* O_FUNC: a zero-argument function */
};

struct cmd {
	int fn;			/* index into funcs, or -1: a single operand */
	struct operand *args;
	size_t nargs;
};

struct tpipe {
	struct cmd *cmds;
	size_t ncmds;
};

enum node_kind { N_TEXT, N_ACTION, N_IF };

struct node;
struct nodelist {
	struct node *v;
	size_t n;
};

struct node {
	enum node_kind kind;
	char *text;
	size_t len;
	struct tpipe *pipe;		/* ACTION, IF condition */
	struct nodelist then, els;	/* IF */
};

struct logql_tmpl {
	struct nodelist root;
	bool literal;
	struct ward_buf **pool;	/* argument buffers reused across calls (each
				 * allocated alone: pointers stay valid) */
	size_t npool;
	size_t top;
};

/* ---- functions ----------------------------------------------------------- */

enum fn_id {
	F_UPPER, F_LOWER, F_TITLE, F_TRIM, F_TRIMALL, F_TRIMPREFIX, F_TRIMSUFFIX,
	F_REPLACE, F_GOREPLACE, F_DEFAULT, F_PRINTF, F_TRUNC, F_SUBSTR, F_CONTAINS,
	F_HASPREFIX, F_HASSUFFIX, F_URLENCODE, F_URLDECODE, F_B64ENC, F_B64DEC, F_LEN,
	F_REPEAT, F_REGEXREPLACE, F_REGEXREPLACELIT, F_EQ, F_NE, F_NOT, F_AND, F_OR,
	F_ALIGNLEFT, F_ALIGNRIGHT, F_COUNT, F_INT, F_FLOAT, F_ADD, F_SUB, F_MUL, F_DIV,
	F_MOD, F_LINE, F_TIMESTAMP,
};

static const struct fdef {
	const char *name;
	enum fn_id id;
	int min, max;	/* argument counts (with the piped value) */
} funcs[] = {
	{ "ToUpper", F_UPPER, 1, 1 }, { "upper", F_UPPER, 1, 1 },
	{ "ToLower", F_LOWER, 1, 1 }, { "lower", F_LOWER, 1, 1 },
	{ "title", F_TITLE, 1, 1 }, { "Title", F_TITLE, 1, 1 },
	{ "trim", F_TRIM, 1, 1 }, { "TrimSpace", F_TRIM, 1, 1 },
	{ "trimAll", F_TRIMALL, 2, 2 }, { "trimPrefix", F_TRIMPREFIX, 2, 2 },
	{ "trimSuffix", F_TRIMSUFFIX, 2, 2 },
	/* Go's strings.TrimPrefix(s, prefix) order */
	{ "TrimPrefix", F_TRIMPREFIX, 2, 2 }, { "TrimSuffix", F_TRIMSUFFIX, 2, 2 },
	{ "replace", F_REPLACE, 3, 3 }, { "Replace", F_GOREPLACE, 4, 4 },
	{ "default", F_DEFAULT, 1, 2 }, { "printf", F_PRINTF, 1, 16 },
	{ "trunc", F_TRUNC, 2, 2 }, { "substr", F_SUBSTR, 3, 3 },
	{ "contains", F_CONTAINS, 2, 2 }, { "hasPrefix", F_HASPREFIX, 2, 2 },
	{ "hasSuffix", F_HASSUFFIX, 2, 2 }, { "urlencode", F_URLENCODE, 1, 1 },
	{ "urldecode", F_URLDECODE, 1, 1 }, { "b64enc", F_B64ENC, 1, 1 },
	{ "b64dec", F_B64DEC, 1, 1 }, { "len", F_LEN, 1, 1 }, { "repeat", F_REPEAT, 2, 2 },
	{ "regexReplaceAll", F_REGEXREPLACE, 3, 3 },
	{ "regexReplaceAllLiteral", F_REGEXREPLACELIT, 3, 3 },
	{ "eq", F_EQ, 2, 16 }, { "ne", F_NE, 2, 2 }, { "not", F_NOT, 1, 1 },
	{ "and", F_AND, 1, 16 }, { "or", F_OR, 1, 16 },
	{ "alignLeft", F_ALIGNLEFT, 2, 2 }, { "alignRight", F_ALIGNRIGHT, 2, 2 },
	{ "count", F_COUNT, 2, 2 }, { "int", F_INT, 1, 1 }, { "float64", F_FLOAT, 1, 1 },
	{ "add", F_ADD, 2, 16 }, { "sub", F_SUB, 2, 2 }, { "mul", F_MUL, 2, 16 },
	{ "div", F_DIV, 2, 2 }, { "mod", F_MOD, 2, 2 },
	{ "__line__", F_LINE, 0, 0 }, { "__timestamp__", F_TIMESTAMP, 0, 0 },
};
#define NFUNCS (sizeof(funcs) / sizeof(funcs[0]))

static int find_func(const char *s, size_t n)
{
	for (size_t i = 0; i < NFUNCS; i++)
		if (strlen(funcs[i].name) == n && !memcmp(funcs[i].name, s, n))
			return (int)i;
	return -1;
}

/* ---- parser ------------------------------------------------------------------ */

struct tparser {
	const char *s;
	size_t n, i;
	const char *act_end;	/* end of the current action's inner text */
	char *err;
	size_t errlen;
	bool failed;
	unsigned depth;
	struct tpipe *pending;	/* condition of an {{else if}} being handed up */
};

static void tfail(struct tparser *p, const char *msg)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, "template: %s at offset %zu", msg, p->i);
	p->failed = true;
}

static void *grow1(void *arr, size_t *n, size_t sz)
{
	char *a = ward_xrealloc(arr, (*n + 1) * sz);
	memset(a + *n * sz, 0, sz);
	(*n)++;
	return a;
}
#define GROW(arr, n) ((arr) = grow1((arr), &(n), sizeof(*(arr))), &(arr)[(n) - 1])

static void free_pipe(struct tpipe *pp);

static void free_list(struct nodelist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free_pipe(l->v[i].pipe);
		free_list(&l->v[i].then);
		free_list(&l->v[i].els);
	}
	free(l->v);
}

static void free_pipe(struct tpipe *pp)
{
	if (!pp)
		return;
	for (size_t i = 0; i < pp->ncmds; i++) {
		for (size_t k = 0; k < pp->cmds[i].nargs; k++) {
			free(pp->cmds[i].args[k].s);
			free_pipe(pp->cmds[i].args[k].pipe);
		}
		free(pp->cmds[i].args);
	}
	free(pp->cmds);
	free(pp);
}

static void act_ws(struct tparser *p)
{
	while (p->s + p->i < p->act_end && isspace((unsigned char)p->s[p->i]))
		p->i++;
}

static bool act_more(struct tparser *p)
{
	act_ws(p);
	return p->s + p->i < p->act_end;
}

static struct tpipe *parse_tpipe(struct tparser *p);

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* One operand at p->i; returns false at '|' or ')' (end of command). */
static bool parse_operand(struct tparser *p, struct operand *o)
{
	const char *end = p->act_end;
	char c = p->s[p->i];
	size_t st = p->i;
	if (c == '.' || c == '$') {
		p->i++;
		while (p->s + p->i < end && (word_char(p->s[p->i]) || p->s[p->i] == '.'))
			p->i++;
		const char *name = p->s + st + 1;
		size_t nl = p->i - st - 1;
		if (c == '$') {
			if (nl > 7 && !memcmp(name, "labels.", 7)) {
				name += 7;
				nl -= 7;
			} else {
				name = p->s + st;	/* "$value" */
				nl++;
			}
		}
		o->kind = O_FIELD;
		o->s = ward_xstrndup(name, nl);
		o->len = nl;
		return true;
	}
	if (c == '"' || c == '`') {
		struct ward_buf b = WARD_BUF_INIT;
		p->i++;
		while (p->s + p->i < end && p->s[p->i] != c) {
			if (c == '"' && p->s[p->i] == '\\' && p->s + p->i + 1 < end) {
				char e = p->s[++p->i];
				buf_append_char(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e);
			} else {
				buf_append_char(&b, p->s[p->i]);
			}
			p->i++;
		}
		if (p->s + p->i >= end) {
			buf_free(&b);
			tfail(p, "unterminated string");
			return false;
		}
		p->i++;
		o->kind = O_STR;
		o->len = b.len;
		buf_reserve(&b, 1);
		b.data[b.len] = '\0';
		o->s = b.data;
		return true;
	}
	if (isdigit((unsigned char)c) || (c == '-' && isdigit((unsigned char)p->s[p->i + 1]))) {
		p->i++;
		while (p->s + p->i < end && (isalnum((unsigned char)p->s[p->i]) || p->s[p->i] == '.'))
			p->i++;
		o->kind = O_NUM;
		o->s = ward_xstrndup(p->s + st, p->i - st);
		o->len = p->i - st;
		return true;
	}
	if (c == '(') {
		if (++p->depth > 32) {
			tfail(p, "nested too deep");
			return false;
		}
		p->i++;
		o->kind = O_PIPE;
		o->pipe = parse_tpipe(p);
		p->depth--;
		if (p->failed)
			return false;
		act_ws(p);
		if (p->s + p->i >= end || p->s[p->i] != ')') {
			tfail(p, "expected ')'");
			return false;
		}
		p->i++;
		return true;
	}
	if (isalpha((unsigned char)c) || c == '_') {
		while (p->s + p->i < end && word_char(p->s[p->i]))
			p->i++;
		int fn = find_func(p->s + st, p->i - st);
		if (fn < 0) {
			p->i = st;
			tfail(p, "unknown function");
			return false;
		}
		o->kind = O_FUNC;
		o->fn = fn;
		return true;
	}
	tfail(p, "unexpected character");
	return false;
}

static void parse_cmd(struct tparser *p, struct cmd *cmd)
{
	cmd->fn = -1;
	while (!p->failed && act_more(p) && p->s[p->i] != '|' && p->s[p->i] != ')') {
		struct operand *o = GROW(cmd->args, cmd->nargs);
		if (!parse_operand(p, o))
			return;
	}
	if (cmd->nargs == 0) {
		tfail(p, "empty command");
		return;
	}
	/* `fn a b`: the first operand names the function */
	if (cmd->args[0].kind == O_FUNC && funcs[cmd->args[0].fn].max > 0) {
		cmd->fn = cmd->args[0].fn;
		memmove(cmd->args, cmd->args + 1, (cmd->nargs - 1) * sizeof(*cmd->args));
		cmd->nargs--;
	} else if (cmd->nargs > 1) {
		tfail(p, "too many operands");
	}
	/* a function used as an argument gets no arguments of its own */
	for (size_t i = 0; i < cmd->nargs; i++)
		if (cmd->args[i].kind == O_FUNC && funcs[cmd->args[i].fn].min > 0) {
			tfail(p, "function used as a value needs parentheses");
			return;
		}
}

static struct tpipe *parse_tpipe(struct tparser *p)
{
	struct tpipe *pp = ward_xcalloc(1, sizeof(*pp));
	for (;;) {
		struct cmd *cmd = GROW(pp->cmds, pp->ncmds);
		parse_cmd(p, cmd);
		if (p->failed)
			return pp;
		int nargs = (int)cmd->nargs + (pp->ncmds > 1 ? 1 : 0);
		if (cmd->fn >= 0 && (nargs < funcs[cmd->fn].min || nargs > funcs[cmd->fn].max)) {
			tfail(p, "wrong number of arguments");
			return pp;
		}
		if (cmd->fn < 0 && pp->ncmds > 1) {
			tfail(p, "a pipe must feed a function");
			return pp;
		}
		if (!act_more(p) || p->s[p->i] != '|')
			return pp;
		p->i++;
	}
}

enum term { T_EOF, T_END, T_ELSE, T_ELSEIF };

static bool kw_at(struct tparser *p, const char *kw)
{
	size_t n = strlen(kw);
	return (size_t)(p->act_end - (p->s + p->i)) >= n && !memcmp(p->s + p->i, kw, n) &&
	       (p->s + p->i + n == p->act_end || !word_char(p->s[p->i + n]));
}

static enum term parse_list(struct tparser *p, struct nodelist *l);
static void free_pipe(struct tpipe *pp);

static void add_text(struct nodelist *l, const char *s, size_t n)
{
	if (n == 0)
		return;
	struct node *nd = GROW(l->v, l->n);
	nd->kind = N_TEXT;
	nd->text = ward_xstrndup(s, n);
	nd->len = n;
}

/* Append an IF node with condition cond, then parse its body up to
 * {{end}}; {{else if c}} nests another IF in the else branch. */
static void parse_if_body(struct tparser *p, struct nodelist *l, struct tpipe *cond)
{
	struct node *nd = GROW(l->v, l->n);
	size_t idx = l->n - 1;	/* l->v may move while the body grows it */
	nd->kind = N_IF;
	nd->pipe = cond;
	if (++p->depth > 32) {
		tfail(p, "nested too deep");
		return;
	}
	struct nodelist then = { 0 }, els = { 0 };
	enum term t = parse_list(p, &then);
	if (t == T_ELSEIF && !p->failed) {
		struct tpipe *c2 = p->pending;
		p->pending = NULL;
		parse_if_body(p, &els, c2);
	} else if (t == T_ELSE && !p->failed) {
		if (parse_list(p, &els) != T_END && !p->failed)
			tfail(p, "expected {{end}}");
	} else if (t != T_END && !p->failed) {
		tfail(p, "expected {{end}}");
	}
	l->v[idx].then = then;
	l->v[idx].els = els;
	p->depth--;
}

static enum term parse_list(struct tparser *p, struct nodelist *l)
{
	while (!p->failed && p->i < p->n) {
		const char *open = memmem(p->s + p->i, p->n - p->i, "{{", 2);
		if (!open) {
			add_text(l, p->s + p->i, p->n - p->i);
			p->i = p->n;
			break;
		}
		size_t text_end = (size_t)(open - p->s);
		size_t inner = text_end + 2;
		if (inner < p->n && p->s[inner] == '-' && inner + 1 < p->n && isspace((unsigned char)p->s[inner + 1])) {
			while (text_end > p->i && isspace((unsigned char)p->s[text_end - 1]))
				text_end--;
			inner++;
		}
		add_text(l, p->s + p->i, text_end - p->i);
		const char *close = memmem(p->s + inner, p->n - inner, "}}", 2);
		if (!close) {
			p->i = inner;
			tfail(p, "unclosed action");
			break;
		}
		size_t after = (size_t)(close - p->s) + 2;
		const char *act_end = close;
		bool trim_after = false;
		if (act_end - (p->s + inner) >= 2 && act_end[-1] == '-' && isspace((unsigned char)act_end[-2])) {
			act_end--;
			trim_after = true;
		}
		p->act_end = act_end;
		p->i = inner;
		act_ws(p);
		enum term t = T_EOF;
		bool is_term = false;
		if (kw_at(p, "end")) {
			p->i += 3;
			t = T_END;
			is_term = true;
		} else if (kw_at(p, "else")) {
			p->i += 4;
			act_ws(p);
			if (kw_at(p, "if")) {
				p->i += 2;
				t = T_ELSEIF;
			} else {
				t = T_ELSE;
			}
			is_term = true;
		}
		if (is_term) {
			if (t != T_ELSEIF && act_more(p)) {
				tfail(p, "unexpected text in action");
				return T_EOF;
			}
			if (t == T_ELSEIF) {
				p->pending = parse_tpipe(p);
				if (p->failed || act_more(p)) {
					tfail(p, "unexpected text in action");
					return T_EOF;
				}
			}
			p->i = after;
			if (trim_after)
				while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
					p->i++;
			return t;
		}
		if (kw_at(p, "if")) {
			p->i += 2;
			struct tpipe *cond = parse_tpipe(p);
			if (p->failed || act_more(p)) {
				free_pipe(cond);
				tfail(p, "unexpected text in action");
				return T_EOF;
			}
			p->i = after;
			if (trim_after)
				while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
					p->i++;
			parse_if_body(p, l, cond);
			continue;
		}
		struct node *nd = GROW(l->v, l->n);
		nd->kind = N_ACTION;
		nd->pipe = parse_tpipe(p);
		if (p->failed)
			return T_EOF;
		if (act_more(p)) {
			tfail(p, "unexpected text in action");
			return T_EOF;
		}
		p->i = after;
		if (trim_after)
			while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
				p->i++;
	}
	return T_EOF;
}

struct logql_tmpl *logql_tmpl_compile(const char *src, size_t len, char *err, size_t errlen)
{
	struct tparser p = { .s = src, .n = len, .err = err, .errlen = errlen };
	struct logql_tmpl *t = ward_xcalloc(1, sizeof(*t));
	enum term term = parse_list(&p, &t->root);
	if (!p.failed && term != T_EOF)
		tfail(&p, term == T_END ? "unexpected {{end}}" : "unexpected {{else}}");
	free_pipe(p.pending);
	if (p.failed) {
		logql_tmpl_free(t);
		return NULL;
	}
	t->literal = t->root.n == 0 || (t->root.n == 1 && t->root.v[0].kind == N_TEXT);
	return t;
}

void logql_tmpl_free(struct logql_tmpl *t)
{
	if (!t)
		return;
	free_list(&t->root);
	for (size_t i = 0; i < t->npool; i++) {
		buf_free(t->pool[i]);
		free(t->pool[i]);
	}
	free(t->pool);
	free(t);
}

static void names_pipe(const struct tpipe *pp, void (*cb)(void *, const char *, size_t), void *ud);

static void names_list(const struct nodelist *l, void (*cb)(void *, const char *, size_t), void *ud)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].pipe)
			names_pipe(l->v[i].pipe, cb, ud);
		names_list(&l->v[i].then, cb, ud);
		names_list(&l->v[i].els, cb, ud);
	}
}

static void names_pipe(const struct tpipe *pp, void (*cb)(void *, const char *, size_t), void *ud)
{
	for (size_t i = 0; i < pp->ncmds; i++)
		for (size_t k = 0; k < pp->cmds[i].nargs; k++) {
			const struct operand *o = &pp->cmds[i].args[k];
			if (o->kind == O_FIELD)
				cb(ud, o->s, o->len);
			else if (o->kind == O_PIPE)
				names_pipe(o->pipe, cb, ud);
		}
}

void logql_tmpl_names(const struct logql_tmpl *t, void (*cb)(void *ud, const char *name, size_t n),
		      void *ud)
{
	names_list(&t->root, cb, ud);
}

bool logql_tmpl_is_literal(const struct logql_tmpl *t)
{
	return t->literal;
}

/* ---- evaluation ------------------------------------------------------------------ */

struct texec {
	struct logql_tmpl *t;
	const struct logql_tmpl_env *env;
	char *err;
	size_t errlen;
	bool failed;
};

static struct ward_buf *pool_get(struct texec *x)
{
	struct logql_tmpl *t = x->t;
	if (t->top == t->npool) {
		t->pool = ward_xrealloc(t->pool, (t->npool + 1) * sizeof(*t->pool));
		t->pool[t->npool++] = ward_xcalloc(1, sizeof(struct ward_buf));
	}
	struct ward_buf *b = t->pool[t->top++];
	buf_reset(b);
	buf_reserve(b, 1);
	b->data[0] = '\0';
	return b;
}

static void xfail(struct texec *x, const char *msg, const char *fn)
{
	if (!x->failed && x->err)
		snprintf(x->err, x->errlen, "template: %s: %s", fn, msg);
	x->failed = true;
}

static void nul(struct ward_buf *b)
{
	buf_reserve(b, 1);
	b->data[b->len] = '\0';
}

static int exec_pipe(struct texec *x, const struct tpipe *pp, struct ward_buf *out);

static bool truthy(const char *s, size_t n)
{
	return n > 0 && !(n == 5 && !memcmp(s, "false", 5));
}

static void put_bool(struct ward_buf *out, bool v)
{
	buf_append_str(out, v ? "true" : "false");
}

static bool to_num(const char *s, double *v)
{
	char *end;
	while (isspace((unsigned char)*s))
		s++;
	*v = strtod(s, &end);
	return end != s && *end == '\0';
}

static void put_num(struct ward_buf *out, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(out, "%lld", (long long)v);
	else
		buf_printf(out, "%g", v);
}

static bool fn_printf(struct ward_buf *out, struct ward_buf **a, size_t na)
{
	const char *f = a[0]->data;
	size_t ai = 1;
	for (size_t i = 0; f[i]; i++) {
		if (f[i] != '%') {
			buf_append_char(out, f[i]);
			continue;
		}
		char spec[32];
		size_t k = 0;
		spec[k++] = '%';
		i++;
		long width = 0;
		while (f[i] && strchr("-+ #0123456789.", f[i]) && k < 20) {
			width = f[i] >= '0' && f[i] <= '9' ? width * 10 + (f[i] - '0') : 0;
			if (width > 256)
				return false;	/* a width can blow one line up to gigabytes */
			spec[k++] = f[i++];
		}
		char conv = f[i];
		if (!conv)
			break;
		if (conv == '%') {
			buf_append_char(out, '%');
			continue;
		}
		const char *arg = ai < na ? a[ai]->data : NULL;
		ai++;
		if (!arg) {
			buf_printf(out, "%%!%c(MISSING)", conv);
			continue;
		}
		double v;
		if ((conv == 'd' || conv == 'x' || conv == 'X') && to_num(arg, &v)) {
			spec[k++] = 'l';
			spec[k++] = 'l';
			spec[k++] = conv;
			spec[k] = '\0';
			buf_printf(out, spec, (long long)v);
		} else if ((conv == 'f' || conv == 'g' || conv == 'e') && to_num(arg, &v)) {
			spec[k++] = conv;
			spec[k] = '\0';
			buf_printf(out, spec, v);
		} else if (conv == 'q') {
			buf_printf(out, "\"%s\"", arg);
		} else {
			spec[k++] = 's';
			spec[k] = '\0';
			buf_printf(out, spec, arg);
		}
	}
	return true;
}

static void fn_replace(struct ward_buf *out, const char *old, size_t ol, const char *nw,
		       const char *s, size_t n, long limit)
{
	size_t i = 0;
	long done = 0;
	if (ol == 0) {
		buf_append(out, s, n);
		return;
	}
	while (i < n) {
		const char *hit = (limit < 0 || done < limit) ? memmem(s + i, n - i, old, ol) : NULL;
		if (!hit) {
			buf_append(out, s + i, n - i);
			return;
		}
		buf_append(out, s + i, (size_t)(hit - (s + i)));
		buf_append_str(out, nw);
		i = (size_t)(hit - s) + ol;
		done++;
	}
}

static void fn_urlencode(struct ward_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_append_char(out, (char)c);
		} else if (c == ' ') {
			buf_append_char(out, '+');
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_append(out, e, 3);
		}
	}
}

static int hexd(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Lenient, unlike Go's url.QueryUnescape: a '%' not followed by two hex
 * digits is kept as is, so a hostile URI still decodes (docs/logql.md). */
static bool fn_urldecode(struct ward_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int h = -1, l = -1;
		if (s[i] == '%' && i + 2 < n) {
			h = hexd((unsigned char)s[i + 1]);
			l = hexd((unsigned char)s[i + 2]);
		}
		if (s[i] == '+') {
			buf_append_char(out, ' ');
		} else if (h >= 0 && l >= 0) {
			buf_append_char(out, (char)(h * 16 + l));
			i += 2;
		} else {
			buf_append_char(out, s[i]);
		}
	}
	return true;
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void fn_b64enc(struct ward_buf *out, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
			     (i + 2 < n ? s[i + 2] : 0);
		char q[4] = { b64chars[v >> 18], b64chars[(v >> 12) & 63],
			      i + 1 < n ? b64chars[(v >> 6) & 63] : '=', i + 2 < n ? b64chars[v & 63] : '=' };
		buf_append(out, q, 4);
	}
}

static bool fn_b64dec(struct ward_buf *out, const char *s, size_t n)
{
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		const char *p = strchr(b64chars, s[i]);
		if (!p || !s[i])
			return false;
		acc = (acc << 6) | (unsigned)(p - b64chars);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_append_char(out, (char)((acc >> bits) & 0xFF));
		}
	}
	return true;
}

static bool arg_long(struct texec *x, const char *fn, const struct ward_buf *b, long *v)
{
	double d;
	if (!to_num(b->data, &d)) {
		xfail(x, "not a number", fn);
		return false;
	}
	*v = (long)d;
	return true;
}

static void fn_arith(struct texec *x, enum fn_id id, struct ward_buf **a, size_t na, struct ward_buf *out)
{
	double acc, v;
	if (!to_num(a[0]->data, &acc)) {
		xfail(x, "not a number", "arithmetic");
		return;
	}
	for (size_t i = 1; i < na; i++) {
		if (!to_num(a[i]->data, &v)) {
			xfail(x, "not a number", "arithmetic");
			return;
		}
		switch (id) {
		case F_ADD: acc += v; break;
		case F_SUB: acc -= v; break;
		case F_MUL: acc *= v; break;
		case F_DIV:
			if (v == 0) { xfail(x, "division by zero", "div"); return; }
			acc /= v;
			break;
		case F_MOD:
			if ((long long)v == 0) { xfail(x, "division by zero", "mod"); return; }
			acc = (double)((long long)acc % (long long)v);
			break;
		default: break;
		}
	}
	put_num(out, acc);
}

/* Call fn with arguments a[0..na) (the piped value last). */
static void call(struct texec *x, int fi, struct ward_buf **a, size_t na, struct ward_buf *out)
{
	const char *fname = funcs[fi].name;
	const struct ward_buf *last = na ? a[na - 1] : NULL;
	long n1, n2;
	switch (funcs[fi].id) {
	case F_UPPER: for (size_t i = 0; i < last->len; i++) buf_append_char(out, (char)toupper((unsigned char)last->data[i])); break;
	case F_LOWER: for (size_t i = 0; i < last->len; i++) buf_append_char(out, (char)tolower((unsigned char)last->data[i])); break;
	case F_TITLE:
		for (size_t i = 0; i < last->len; i++) {
			bool start = i == 0 || isspace((unsigned char)last->data[i - 1]);
			buf_append_char(out, start ? (char)toupper((unsigned char)last->data[i]) : last->data[i]);
		}
		break;
	case F_TRIM: {
		size_t s = 0, e = last->len;
		while (s < e && isspace((unsigned char)last->data[s])) s++;
		while (e > s && isspace((unsigned char)last->data[e - 1])) e--;
		buf_append(out, last->data + s, e - s);
		break;
	}
	case F_TRIMALL: {
		size_t s = 0, e = last->len;
		while (s < e && strchr(a[0]->data, last->data[s]) && last->data[s]) s++;
		while (e > s && strchr(a[0]->data, last->data[e - 1]) && last->data[e - 1]) e--;
		buf_append(out, last->data + s, e - s);
		break;
	}
	case F_TRIMPREFIX: {
		/* sprig: trimPrefix prefix s; Go: TrimPrefix s prefix */
		bool go = fname[0] == 'T';
		const struct ward_buf *s = go ? a[0] : a[1], *pre = go ? a[1] : a[0];
		size_t skip = s->len >= pre->len && !memcmp(s->data, pre->data, pre->len) ? pre->len : 0;
		buf_append(out, s->data + skip, s->len - skip);
		break;
	}
	case F_TRIMSUFFIX: {
		bool go = fname[0] == 'T';
		const struct ward_buf *s = go ? a[0] : a[1], *suf = go ? a[1] : a[0];
		size_t cut = s->len >= suf->len && !memcmp(s->data + s->len - suf->len, suf->data, suf->len) ? suf->len : 0;
		buf_append(out, s->data, s->len - cut);
		break;
	}
	case F_REPLACE: fn_replace(out, a[0]->data, a[0]->len, a[1]->data, a[2]->data, a[2]->len, -1); break;
	case F_GOREPLACE:
		if (arg_long(x, fname, a[3], &n1))
			fn_replace(out, a[1]->data, a[1]->len, a[2]->data, a[0]->data, a[0]->len, n1);
		break;
	case F_DEFAULT:
		if (na == 2 && a[1]->len > 0) buf_append(out, a[1]->data, a[1]->len);
		else buf_append(out, a[0]->data, a[0]->len);
		break;
	case F_PRINTF: if (!fn_printf(out, a, na)) xfail(x, "width or precision over 256", fname); break;
	case F_TRUNC:
		if (!arg_long(x, fname, a[0], &n1)) break;
		if (n1 >= 0) buf_append(out, a[1]->data, (size_t)n1 < a[1]->len ? (size_t)n1 : a[1]->len);
		else if ((size_t)-n1 < a[1]->len) buf_append(out, a[1]->data + a[1]->len + n1, (size_t)-n1);
		else buf_append(out, a[1]->data, a[1]->len);
		break;
	case F_SUBSTR:
		if (!arg_long(x, fname, a[0], &n1) || !arg_long(x, fname, a[1], &n2)) break;
		if (n1 < 0) n1 = 0;
		if (n2 < 0 || (size_t)n2 > a[2]->len) n2 = (long)a[2]->len;
		if (n1 < n2) buf_append(out, a[2]->data + n1, (size_t)(n2 - n1));
		break;
	case F_CONTAINS: put_bool(out, memmem(a[1]->data, a[1]->len, a[0]->data, a[0]->len) != NULL); break;
	case F_HASPREFIX: put_bool(out, a[1]->len >= a[0]->len && !memcmp(a[1]->data, a[0]->data, a[0]->len)); break;
	case F_HASSUFFIX:
		put_bool(out, a[1]->len >= a[0]->len && !memcmp(a[1]->data + a[1]->len - a[0]->len, a[0]->data, a[0]->len));
		break;
	case F_URLENCODE: fn_urlencode(out, last->data, last->len); break;
	case F_URLDECODE: if (!fn_urldecode(out, last->data, last->len)) xfail(x, "invalid URL escape", fname); break;
	case F_B64ENC: fn_b64enc(out, (const unsigned char *)last->data, last->len); break;
	case F_B64DEC: if (!fn_b64dec(out, last->data, last->len)) xfail(x, "invalid base64", fname); break;
	case F_LEN: buf_printf(out, "%zu", last->len); break;
	case F_REPEAT:
		if (!arg_long(x, fname, a[0], &n1)) break;
		if (n1 < 0 || (size_t)n1 * a[1]->len > 65536) { xfail(x, "count out of range", fname); break; }
		for (long i = 0; i < n1; i++) buf_append(out, a[1]->data, a[1]->len);
		break;
	case F_REGEXREPLACE: case F_REGEXREPLACELIT: {
		char e[128];
		struct logql_re *re = logql_re_compile(a[0]->data, a[0]->len, LQ_RE_UNANCHORED, e, sizeof(e));
		if (!re || !x->env->re) { logql_re_free(re); xfail(x, "bad regex", fname); break; }
		if (logql_re_replace(re, x->env->re, a[1]->data, a[1]->len, a[2]->data,
				     funcs[fi].id == F_REGEXREPLACELIT, out) != 0)
			xfail(x, "regex match limit", fname);
		logql_re_free(re);
		break;
	}
	case F_EQ: {
		bool any = false;
		for (size_t i = 1; i < na; i++)
			any |= a[i]->len == a[0]->len && !memcmp(a[i]->data, a[0]->data, a[0]->len);
		put_bool(out, any);
		break;
	}
	case F_NE: put_bool(out, !(a[1]->len == a[0]->len && !memcmp(a[1]->data, a[0]->data, a[0]->len))); break;
	case F_NOT: put_bool(out, !truthy(last->data, last->len)); break;
	case F_AND: case F_OR: {
		size_t pick = na - 1;
		for (size_t i = 0; i < na; i++) {
			bool t = truthy(a[i]->data, a[i]->len);
			if ((funcs[fi].id == F_AND && !t) || (funcs[fi].id == F_OR && t)) { pick = i; break; }
		}
		buf_append(out, a[pick]->data, a[pick]->len);
		break;
	}
	case F_ALIGNLEFT: case F_ALIGNRIGHT:
		if (!arg_long(x, fname, a[0], &n1) || n1 < 0 || n1 > 65536) break;
		if ((size_t)n1 <= a[1]->len) { buf_append(out, a[1]->data, (size_t)n1); break; }
		if (funcs[fi].id == F_ALIGNRIGHT) for (size_t i = a[1]->len; i < (size_t)n1; i++) buf_append_char(out, ' ');
		buf_append(out, a[1]->data, a[1]->len);
		if (funcs[fi].id == F_ALIGNLEFT) for (size_t i = a[1]->len; i < (size_t)n1; i++) buf_append_char(out, ' ');
		break;
	case F_COUNT: {
		size_t c = 0;
		for (const char *p = a[1]->data; a[0]->len && (p = memmem(p, a[1]->len - (size_t)(p - a[1]->data), a[0]->data, a[0]->len)); p += a[0]->len)
			c++;
		buf_printf(out, "%zu", c);
		break;
	}
	case F_INT: { double v; if (to_num(last->data, &v)) buf_printf(out, "%lld", (long long)v); else buf_append_char(out, '0'); break; }
	case F_FLOAT: { double v; put_num(out, to_num(last->data, &v) ? v : 0); break; }
	case F_ADD: case F_SUB: case F_MUL: case F_DIV: case F_MOD: fn_arith(x, funcs[fi].id, a, na, out); break;
	case F_LINE: buf_append(out, x->env->line, x->env->line_len); break;
	case F_TIMESTAMP:
		if (x->env->ts_ns != WARD_TS_NONE) {
			char ts[WARD_RFC3339_LEN];
			time_format_rfc3339(x->env->ts_ns, ts);
			buf_append_str(out, ts);
		}
		break;
	}
}

static void exec_operand(struct texec *x, const struct operand *o, struct ward_buf *out)
{
	size_t vl;
	const char *v;
	switch (o->kind) {
	case O_FIELD:
		v = x->env->lookup(x->env->ud, o->s, o->len, &vl);
		if (v)
			buf_append(out, v, vl);
		break;
	case O_STR: case O_NUM:
		buf_append(out, o->s, o->len);
		break;
	case O_PIPE:
		exec_pipe(x, o->pipe, out);
		break;
	case O_FUNC:
		call(x, o->fn, NULL, 0, out);
		break;
	}
	nul(out);
}

static void exec_cmd(struct texec *x, const struct cmd *c, struct ward_buf *piped, struct ward_buf *out)
{
	if (c->fn < 0) {
		exec_operand(x, &c->args[0], out);
		return;
	}
	struct ward_buf *a[17];
	size_t na = 0;
	size_t mark = x->t->top;
	for (size_t i = 0; i < c->nargs && na < 16; i++) {
		a[na] = pool_get(x);
		exec_operand(x, &c->args[i], a[na]);
		na++;
	}
	if (piped)
		a[na++] = piped;
	call(x, c->fn, a, na, out);
	nul(out);
	x->t->top = mark;
}

static int exec_pipe(struct texec *x, const struct tpipe *pp, struct ward_buf *out)
{
	size_t mark = x->t->top;
	struct ward_buf *prev = NULL;
	for (size_t i = 0; i < pp->ncmds && !x->failed; i++) {
		bool lastcmd = i + 1 == pp->ncmds;
		struct ward_buf *dst = lastcmd ? out : pool_get(x);
		exec_cmd(x, &pp->cmds[i], prev, dst);
		prev = dst;
	}
	x->t->top = mark;
	return x->failed ? -1 : 0;
}

/* One expansion is at most 1 MiB (the default --max-line): chained
 * line_format stages could otherwise double a line thousands of times. */
#define TMPL_MAX_OUT (1u << 20)

static void exec_list(struct texec *x, const struct nodelist *l, struct ward_buf *out)
{
	for (size_t i = 0; i < l->n && !x->failed; i++) {
		if (out->len > TMPL_MAX_OUT) {
			xfail(x, "expansion larger than 1 MiB", "template");
			return;
		}
		const struct node *nd = &l->v[i];
		if (nd->kind == N_TEXT) {
			buf_append(out, nd->text, nd->len);
		} else if (nd->kind == N_ACTION) {
			exec_pipe(x, nd->pipe, out);
		} else {
			size_t mark = x->t->top;
			struct ward_buf *c = pool_get(x);
			exec_pipe(x, nd->pipe, c);
			bool t = truthy(c->data, c->len);
			x->t->top = mark;
			exec_list(x, t ? &nd->then : &nd->els, out);
		}
	}
}

int logql_tmpl_exec(const struct logql_tmpl *t, const struct logql_tmpl_env *env,
		    struct ward_buf *out, char *err, size_t errlen)
{
	/* The argument pool is scratch owned by the template: exec mutates
	 * it, so one template must not run in two threads at once. */
	struct texec x = { (struct logql_tmpl *)t, env, err, errlen, false };
	x.t->top = 0;
	exec_list(&x, &t->root, out);
	if (!x.failed && out->len > TMPL_MAX_OUT)
		xfail(&x, "expansion larger than 1 MiB", "template");
	nul(out);
	return x.failed ? -1 : 0;
}

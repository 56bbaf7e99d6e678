/* logql_template.c - the template parser: source text to the tree of
 * logql_tmpl_int.h (evaluation is in logql_tmpl_exec.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logql_re_int.h"
#include "logql_tmpl_int.h"

#define MAX_NEST 32	/* parentheses and control structures */

struct scope_var {
	const char *name;	/* in the source, without the '$' */
	size_t len;
	int slot;
};

enum term { T_EOF, T_END, T_ELSE, T_ELSEIF, T_ELSEWITH };

struct tparser {
	const char *s;
	size_t n, i;
	const char *act_end;	/* end of the current action's inner text */
	char *err;
	size_t errlen;
	bool failed;
	unsigned depth;
	struct tpipe *pending;	/* condition of an {{else if}} / {{else with}} */
	struct scope_var *vars;	/* variables in scope, innermost last */
	size_t nvars;
	int nslots;
	unsigned loops;		/* enclosing ranges, for break / continue */
	struct scope_var pending_var;	/* declared by the pending condition */
	bool has_pending_var;
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
		logql_re_free(pp->cmds[i].re);
		if (pp->cmds[i].dyn) {
			logql_re_free(pp->cmds[i].dyn->re);
			buf_free(&pp->cmds[i].dyn->src);
			free(pp->cmds[i].dyn);
		}
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

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool kw_at(struct tparser *p, const char *kw)
{
	size_t n = strlen(kw);
	return (size_t)(p->act_end - (p->s + p->i)) >= n && !memcmp(p->s + p->i, kw, n) &&
	       (p->s + p->i + n == p->act_end || !word_char(p->s[p->i + n]));
}

/* ---- operands ------------------------------------------------------------------ */

static struct tpipe *parse_tpipe(struct tparser *p, int maxvars);

/* A field chain ".a.b" at p->i (on the '.'); returns its length. */
static size_t scan_chain(struct tparser *p)
{
	size_t st = p->i;
	while (p->s + p->i < p->act_end && p->s[p->i] == '.' && p->s + p->i + 1 < p->act_end &&
	       word_char(p->s[p->i + 1])) {
		p->i++;
		while (p->s + p->i < p->act_end && word_char(p->s[p->i]))
			p->i++;
	}
	return p->i - st;
}

static void set_chain(struct operand *o, const char *chain, size_t n)
{
	/* stored without the leading '.' */
	o->s = ward_xstrndup(n ? chain + 1 : "", n ? n - 1 : 0);
	o->len = n ? n - 1 : 0;
}

static int find_var(const struct tparser *p, const char *name, size_t n)
{
	for (size_t k = p->nvars; k-- > 0;)
		if (p->vars[k].len == n && !memcmp(p->vars[k].name, name, n))
			return p->vars[k].slot;
	return -1;
}

static bool parse_dollar(struct tparser *p, struct operand *o)
{
	size_t st = ++p->i;
	while (p->s + p->i < p->act_end && word_char(p->s[p->i]))
		p->i++;
	const char *name = p->s + st;
	size_t nl = p->i - st;
	const char *chain = p->s + p->i;
	size_t cl = scan_chain(p);
	int slot = find_var(p, name, nl);
	if (slot >= 0) {
		o->kind = O_VAR;
		o->slot = slot;
	} else if (nl == 0 || (nl == 6 && !memcmp(name, "labels", 6) && cl > 0)) {
		o->kind = O_ROOT;	/* $ and the rule-annotation $labels */
	} else if (nl == 5 && !memcmp(name, "value", 5) && cl == 0) {
		o->kind = O_LABEL;
		o->s = ward_xstrndup("$value", 6);
		o->len = 6;
		return true;
	} else {
		p->i = st - 1;
		tfail(p, "undefined variable");
		return false;
	}
	set_chain(o, chain, cl);
	return true;
}

static bool parse_string(struct tparser *p, struct operand *o)
{
	char q = p->s[p->i];
	struct ward_buf b = WARD_BUF_INIT;
	p->i++;
	while (p->s + p->i < p->act_end && p->s[p->i] != q) {
		if (q == '"' && p->s[p->i] == '\\' && p->s + p->i + 1 < p->act_end) {
			char e = p->s[++p->i];
			buf_append_char(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
		} else {
			buf_append_char(&b, p->s[p->i]);
		}
		p->i++;
	}
	if (p->s + p->i >= p->act_end) {
		buf_free(&b);
		tfail(p, "unterminated string");
		return false;
	}
	p->i++;
	o->kind = O_STR;
	o->len = b.len;
	logql_tmpl_nul(&b);
	o->s = b.data;
	return true;
}

static bool parse_paren(struct tparser *p, struct operand *o)
{
	if (++p->depth > MAX_NEST) {
		tfail(p, "nested too deep");
		return false;
	}
	p->i++;
	o->kind = O_PIPE;
	o->pipe = parse_tpipe(p, 0);
	p->depth--;
	if (p->failed)
		return false;
	act_ws(p);
	if (p->s + p->i >= p->act_end || p->s[p->i] != ')') {
		tfail(p, "expected ')'");
		return false;
	}
	p->i++;
	const char *chain = p->s + p->i;	/* (fromJson .x).a.b */
	size_t cl = scan_chain(p);
	set_chain(o, chain, cl);
	return true;
}

static bool parse_ident(struct tparser *p, struct operand *o)
{
	size_t st = p->i;
	while (p->s + p->i < p->act_end && word_char(p->s[p->i]))
		p->i++;
	size_t n = p->i - st;
	if ((n == 4 && !memcmp(p->s + st, "true", 4)) || (n == 5 && !memcmp(p->s + st, "false", 5))) {
		o->kind = O_BOOL;
		o->s = ward_xstrndup(p->s + st, n);
		o->len = n;
		return true;
	}
	int fn = logql_tmpl_find_func(p->s + st, n);
	if (fn < 0) {
		p->i = st;
		tfail(p, "unknown function");
		return false;
	}
	o->kind = O_FUNC;
	o->fn = fn;
	return true;
}

/* One operand at p->i. */
static bool parse_operand(struct tparser *p, struct operand *o)
{
	char c = p->s[p->i];
	size_t st = p->i;
	if (c == '.' && !(p->s + p->i + 1 < p->act_end && isdigit((unsigned char)p->s[p->i + 1]))) {
		size_t cl = scan_chain(p);
		if (cl == 0)
			p->i++;	/* the dot itself */
		o->kind = O_DOT;
		set_chain(o, p->s + st, cl);
		return true;
	}
	if (c == '$')
		return parse_dollar(p, o);
	if (c == '"' || c == '`')
		return parse_string(p, o);
	if (isdigit((unsigned char)c) || ((c == '-' || c == '+' || c == '.') && p->s + p->i + 1 < p->act_end &&
					  isdigit((unsigned char)p->s[p->i + 1]))) {
		p->i++;
		while (p->s + p->i < p->act_end && (isalnum((unsigned char)p->s[p->i]) || p->s[p->i] == '.' ||
						    ((p->s[p->i] == '-' || p->s[p->i] == '+') &&
						     (p->s[p->i - 1] == 'e' || p->s[p->i - 1] == 'E'))))
			p->i++;
		o->kind = O_NUM;
		o->s = ward_xstrndup(p->s + st, p->i - st);
		o->len = p->i - st;
		return true;
	}
	if (c == '(')
		return parse_paren(p, o);
	if (isalpha((unsigned char)c) || c == '_')
		return parse_ident(p, o);
	tfail(p, "unexpected character");
	return false;
}

/* ---- commands and pipelines ------------------------------------------------------ */

static void compile_regex(struct tparser *p, struct cmd *cmd)
{
	if (!logql_tmpl_func_takes_regex(cmd->fn))
		return;
	if (cmd->nargs == 0 || cmd->args[0].kind != O_STR) {
		cmd->dyn = ward_xcalloc(1, sizeof(*cmd->dyn));
		return;
	}
	char e[128];
	cmd->re = logql_re_compile(cmd->args[0].s, cmd->args[0].len, LQ_RE_UNANCHORED, e, sizeof(e));
	if (!cmd->re)
		tfail(p, "bad regex");
}

static void parse_cmd(struct tparser *p, struct cmd *cmd)
{
	cmd->fn = -1;
	while (!p->failed && act_more(p) && p->s[p->i] != '|' && p->s[p->i] != ')') {
		struct operand *o = GROW(cmd->args, cmd->nargs);
		if (!parse_operand(p, o))
			return;
		if (p->s + p->i < p->act_end && !isspace((unsigned char)p->s[p->i]) &&
		    !strchr("|)(", p->s[p->i])) {
			tfail(p, "unexpected character after operand");
			return;
		}
	}
	if (cmd->nargs == 0) {
		tfail(p, "empty command");
		return;
	}
	/* `fn a b`: the first operand names the function */
	if (cmd->args[0].kind == O_FUNC && logql_tmpl_funcs[cmd->args[0].fn].max > 0) {
		cmd->fn = cmd->args[0].fn;
		memmove(cmd->args, cmd->args + 1, (cmd->nargs - 1) * sizeof(*cmd->args));
		cmd->nargs--;
	} else if (cmd->nargs > 1) {
		tfail(p, "too many operands");
	}
	/* a function used as an argument gets no arguments of its own */
	for (size_t i = 0; i < cmd->nargs; i++)
		if (cmd->args[i].kind == O_FUNC && logql_tmpl_funcs[cmd->args[i].fn].min > 0) {
			tfail(p, "function used as a value needs parentheses");
			return;
		}
}

/* "$x :=", "$x =", "$i, $v :=" at the start of a pipeline: the names, or
 * 0 (p->i unchanged) if there is no declaration. */
static int parse_decl(struct tparser *p, int maxvars, struct scope_var *names, bool *assign)
{
	size_t save = p->i;
	int n = 0;
	act_ws(p);
	while (n < maxvars && p->s + p->i < p->act_end && p->s[p->i] == '$') {
		size_t st = ++p->i;
		while (p->s + p->i < p->act_end && word_char(p->s[p->i]))
			p->i++;
		names[n].name = p->s + st;
		names[n++].len = p->i - st;
		act_ws(p);
		if (n < maxvars && p->s + p->i < p->act_end && p->s[p->i] == ',') {
			p->i++;
			act_ws(p);
			continue;
		}
		break;
	}
	size_t rest = (size_t)(p->act_end - (p->s + p->i));
	if (n > 0 && rest >= 2 && p->s[p->i] == ':' && p->s[p->i + 1] == '=') {
		p->i += 2;
		*assign = false;
		return n;
	}
	if (n == 1 && rest >= 1 && p->s[p->i] == '=') {
		p->i++;
		*assign = true;
		return n;
	}
	p->i = save;
	return 0;
}

static void bind_decl(struct tparser *p, struct tpipe *pp, struct scope_var *names, int n, bool assign)
{
	for (int k = 0; k < n; k++) {
		if (names[k].len == 0) {
			tfail(p, "cannot declare $");
			return;
		}
		if (assign) {
			pp->vars[k] = find_var(p, names[k].name, names[k].len);
			if (pp->vars[k] < 0)
				tfail(p, "undefined variable");
		} else {
			struct scope_var *v = GROW(p->vars, p->nvars);
			*v = names[k];
			v->slot = pp->vars[k] = p->nslots++;
		}
	}
	pp->nvars = n;
}

static struct tpipe *parse_tpipe(struct tparser *p, int maxvars)
{
	struct tpipe *pp = ward_xcalloc(1, sizeof(*pp));
	struct scope_var names[2];
	bool assign = false;
	int nnames = maxvars ? parse_decl(p, maxvars, names, &assign) : 0;
	for (;;) {
		struct cmd *cmd = GROW(pp->cmds, pp->ncmds);
		parse_cmd(p, cmd);
		if (p->failed)
			return pp;
		int nargs = (int)cmd->nargs + (pp->ncmds > 1 ? 1 : 0);
		if (cmd->fn >= 0 && (nargs < logql_tmpl_funcs[cmd->fn].min || nargs > logql_tmpl_funcs[cmd->fn].max)) {
			tfail(p, "wrong number of arguments");
			return pp;
		}
		if (cmd->fn < 0 && pp->ncmds > 1) {
			tfail(p, "a pipe must feed a function");
			return pp;
		}
		compile_regex(p, cmd);
		if (p->failed || !act_more(p) || p->s[p->i] != '|')
			break;
		p->i++;
	}
	/* declared after the pipeline: `$x := $x` reads the outer $x */
	if (nnames > 0 && !p->failed)
		bind_decl(p, pp, names, nnames, assign);
	return pp;
}

/* ---- actions and lists --------------------------------------------------------------- */

static enum term parse_list(struct tparser *p, struct nodelist *l);

static void add_text(struct nodelist *l, const char *s, size_t n)
{
	if (n == 0)
		return;
	struct node *nd = GROW(l->v, l->n);
	nd->kind = N_TEXT;
	nd->text = ward_xstrndup(s, n);
	nd->len = n;
}

/* Append a control node (if, with, range) for cond, then parse its body
 * up to {{end}}; {{else if}} / {{else with}} nest another in the else
 * branch. Variables declared inside go out of scope at the end. */
static void parse_control(struct tparser *p, struct nodelist *l, enum node_kind kind, struct tpipe *cond,
			  size_t scope_mark)
{
	struct node *nd = GROW(l->v, l->n);
	size_t idx = l->n - 1;	/* l->v may move while the body grows it */
	nd->kind = kind;
	nd->pipe = cond;
	if (++p->depth > MAX_NEST) {
		tfail(p, "nested too deep");
		return;
	}
	size_t body_mark = p->nvars;	/* the condition's variables stay for else */
	struct nodelist then = { 0 }, els = { 0 };
	p->loops += kind == N_RANGE;
	enum term t = parse_list(p, &then);
	p->loops -= kind == N_RANGE;
	p->nvars = body_mark;
	if ((t == T_ELSEIF || t == T_ELSEWITH) && kind == N_RANGE && !p->failed) {
		tfail(p, "{{else if}} in a range");
	} else if ((t == T_ELSEIF || t == T_ELSEWITH) && !p->failed) {
		struct tpipe *c2 = p->pending;
		p->pending = NULL;
		if (p->has_pending_var) {
			*GROW(p->vars, p->nvars) = p->pending_var;
			p->has_pending_var = false;
		}
		parse_control(p, &els, t == T_ELSEIF ? N_IF : N_WITH, c2, body_mark);
	} else if (t == T_ELSE && !p->failed) {
		if (parse_list(p, &els) != T_END && !p->failed)
			tfail(p, "expected {{end}}");
	} else if (t != T_END && !p->failed) {
		tfail(p, "expected {{end}}");
	}
	l->v[idx].then = then;
	l->v[idx].els = els;
	p->nvars = scope_mark;
	p->depth--;
}

/* The "}}" closing the action whose text starts at `inner`, skipping
 * quoted strings (a "}}" inside "..." does not close it). */
static const char *find_close(const struct tparser *p, size_t inner)
{
	for (size_t i = inner; i + 1 < p->n; i++) {
		char c = p->s[i];
		if (c == '"' || c == '`') {
			for (i++; i < p->n && p->s[i] != c; i++)
				if (c == '"' && p->s[i] == '\\')
					i++;
			if (i >= p->n)
				return NULL;
		} else if (c == '}' && p->s[i + 1] == '}') {
			return p->s + i;
		}
	}
	return NULL;
}

static void skip_trim(struct tparser *p, bool trim_after)
{
	if (trim_after)
		while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
			p->i++;
}

/* {{end}} {{else}} {{else if c}} {{else with c}}: the term, or T_EOF if
 * the action is none of these. */
static enum term parse_term(struct tparser *p)
{
	enum term t;
	if (kw_at(p, "end")) {
		p->i += 3;
		t = T_END;
	} else if (kw_at(p, "else")) {
		p->i += 4;
		act_ws(p);
		t = T_ELSE;
		if (kw_at(p, "if") || kw_at(p, "with")) {
			t = kw_at(p, "if") ? T_ELSEIF : T_ELSEWITH;
			p->i += t == T_ELSEIF ? 2 : 4;
			size_t mark = p->nvars;
			p->pending = parse_tpipe(p, 1);
			/* {{else if $x := c}}: $x belongs to the nested control,
			 * parse_control scopes it there */
			p->has_pending_var = p->nvars > mark;
			if (p->has_pending_var)
				p->pending_var = p->vars[mark];
			p->nvars = mark;
		}
	} else {
		return T_EOF;
	}
	if (!p->failed && act_more(p))
		tfail(p, "unexpected text in action");
	return t;
}

/* One action (its text p->s[p->i] .. p->act_end); adds to l. Returns a
 * term when the action ends a list. */
static enum term parse_action(struct tparser *p, struct nodelist *l, size_t after, bool trim_after)
{
	act_ws(p);
	if (kw_at(p, "end") || kw_at(p, "else")) {
		enum term t = parse_term(p);
		p->i = after;
		skip_trim(p, trim_after);
		return p->failed ? T_EOF : t;
	}
	static const struct { const char *kw; enum node_kind kind; int vars; } controls[] = {
		{ "if", N_IF, 1 }, { "with", N_WITH, 1 }, { "range", N_RANGE, 2 },
	};
	for (size_t k = 0; k < sizeof(controls) / sizeof(controls[0]); k++) {
		if (!kw_at(p, controls[k].kw))
			continue;
		p->i += strlen(controls[k].kw);
		size_t mark = p->nvars;
		struct tpipe *cond = parse_tpipe(p, controls[k].vars);
		if (!p->failed && act_more(p))
			tfail(p, "unexpected text in action");
		if (p->failed) {
			free_pipe(cond);
			return T_EOF;
		}
		p->i = after;
		skip_trim(p, trim_after);
		parse_control(p, l, controls[k].kind, cond, mark);
		return T_EOF;
	}
	if (kw_at(p, "break") || kw_at(p, "continue")) {
		bool brk = kw_at(p, "break");
		p->i += brk ? 5 : 8;
		if (act_more(p) || p->loops == 0) {
			tfail(p, p->loops == 0 ? "{{break}} or {{continue}} outside {{range}}" : "unexpected text in action");
			return T_EOF;
		}
		struct node *nd = GROW(l->v, l->n);
		nd->kind = brk ? N_BREAK : N_CONTINUE;
	} else {
		struct node *nd = GROW(l->v, l->n);
		nd->kind = N_ACTION;
		nd->pipe = parse_tpipe(p, 1);
		if (!p->failed && act_more(p))
			tfail(p, "unexpected text in action");
	}
	p->i = after;
	skip_trim(p, trim_after);
	return T_EOF;
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
		if (inner + 1 < p->n && p->s[inner] == '-' && isspace((unsigned char)p->s[inner + 1])) {
			while (text_end > p->i && isspace((unsigned char)p->s[text_end - 1]))
				text_end--;
			inner++;
		}
		add_text(l, p->s + p->i, text_end - p->i);
		const char *close = find_close(p, inner);
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
		if (act_end - (p->s + p->i) >= 4 && !memcmp(p->s + p->i, "/*", 2)) {
			/* a Go comment action: slash-star ... star-slash */
			const char *ce = act_end;
			while (ce > p->s + p->i && isspace((unsigned char)ce[-1]))
				ce--;
			if (ce - (p->s + p->i) < 4 || memcmp(ce - 2, "*/", 2) != 0) {
				tfail(p, "unclosed comment");
				break;
			}
			p->i = after;
			skip_trim(p, trim_after);
			continue;
		}
		enum term t = parse_action(p, l, after, trim_after);
		if (t != T_EOF || p->failed)
			return t;
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
	free(p.vars);
	if (p.failed) {
		logql_tmpl_free(t);
		return NULL;
	}
	t->nslots = (size_t)p.nslots;
	t->slots = ward_xcalloc(t->nslots + 1, sizeof(*t->slots));
	t->literal = t->root.n == 0 || (t->root.n == 1 && t->root.v[0].kind == N_TEXT);
	return t;
}

void logql_tmpl_free(struct logql_tmpl *t)
{
	if (!t)
		return;
	free_list(&t->root);
	for (size_t i = 0; i < t->npool; i++) {
		buf_free(&t->pool[i]->b);
		free(t->pool[i]);
	}
	free(t->pool);
	for (size_t i = 0; i < t->nslots; i++)
		buf_free(&t->slots[i].b);
	free(t->slots);
	free(t);
}

/* ---- names --------------------------------------------------------------------------- */

typedef void (*name_cb)(void *, const char *, size_t);

static void names_pipe(const struct tpipe *pp, name_cb cb, void *ud);

static void names_list(const struct nodelist *l, name_cb cb, void *ud)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].pipe)
			names_pipe(l->v[i].pipe, cb, ud);
		names_list(&l->v[i].then, cb, ud);
		names_list(&l->v[i].els, cb, ud);
	}
}

/* Every .x and $.x: inside with/range a .x is a field of the dot, not a
 * label, but naming it too only makes a hint wider, never wrong. */
static void names_pipe(const struct tpipe *pp, name_cb cb, void *ud)
{
	for (size_t i = 0; i < pp->ncmds; i++)
		for (size_t k = 0; k < pp->cmds[i].nargs; k++) {
			const struct operand *o = &pp->cmds[i].args[k];
			if ((o->kind == O_DOT || o->kind == O_ROOT) && o->len > 0) {
				const char *dot = memchr(o->s, '.', o->len);
				cb(ud, o->s, dot ? (size_t)(dot - o->s) : o->len);
			} else if (o->kind == O_LABEL) {
				cb(ud, o->s, o->len);
			} else if (o->kind == O_PIPE) {
				names_pipe(o->pipe, cb, ud);
			}
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

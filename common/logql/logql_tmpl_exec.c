/* logql_tmpl_exec.c - template evaluation: values, variables, fields,
 * if / with / range (the tree is built by logql_template.c, functions are
 * in logql_tmpl_fn.c).
 *
 * Scratch: every intermediate value is a struct tval from the template's
 * pool, taken in stack order (x->t->top) and given back by resetting top to
 * a mark; variables live in the template's slots. Both keep their capacity
 * between calls, so evaluation allocates nothing in steady state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "fmtdouble.h"
#include "logql_tmpl_int.h"
#include "logql_tmpl_json_int.h"

struct tval *logql_tmpl_pool_get(struct texec *x)
{
	struct logql_tmpl *t = x->t;
	if (t->top == t->npool) {
		t->pool = ward_xrealloc(t->pool, (t->npool + 1) * sizeof(*t->pool));
		t->pool[t->npool++] = ward_xcalloc(1, sizeof(struct tval));
	}
	struct tval *v = t->pool[t->top++];
	buf_reset(&v->b);
	logql_tmpl_nul(&v->b);
	v->k = K_STR;
	return v;
}

void logql_tmpl_fail(struct texec *x, const char *msg, const char *fn)
{
	if (!x->failed && x->err)
		snprintf(x->err, x->errlen, "template: %s: %s", fn, msg);
	x->failed = true;
}

void logql_tmpl_nul(struct ward_buf *b)
{
	buf_reserve(b, 1);
	b->data[b->len] = '\0';
}

bool logql_tmpl_json_charge(struct texec *x, size_t n)
{
	x->json_bytes += n;
	if (x->json_bytes > TMPL_MAX_JSON)
		logql_tmpl_fail(x, "more than 64 MiB of JSON walked", "template");
	return !x->failed;
}

bool logql_tmpl_truthy(const struct tval *v)
{
	switch (v->k) {
	case K_BOOL: return v->b.len == 4 && !memcmp(v->b.data, "true", 4);
	case K_NUM: return strtod(v->b.data, NULL) != 0;
	case K_JSON: {
		size_t i = logql_tmpl_json_ws(v->b.data, v->b.len, 1);
		return i < v->b.len && v->b.data[i] != '}' && v->b.data[i] != ']';
	}
	case K_TIME: return true;
	case K_STR: break;
	}
	return v->b.len > 0;
}

void logql_tmpl_set_time(struct tval *v, struct logql_tmpl_time tm)
{
	v->k = K_TIME;
	v->tm = tm;
	buf_reset(&v->b);
	/* Go's Time.String() in UTC */
	logql_tmpl_time_format(&v->b, "2006-01-02 15:04:05.999999999 -0700 MST", 39, tm);
	logql_tmpl_nul(&v->b);
}

static void copy_val(struct tval *dst, const struct tval *src)
{
	buf_reset(&dst->b);
	buf_append(&dst->b, src->b.data, src->b.len);
	logql_tmpl_nul(&dst->b);
	dst->k = src->k;
	dst->tm = src->tm;
}

void logql_tmpl_json_value(struct texec *x, const char *s, size_t n, struct tval *out)
{
	(void)x;
	buf_reset(&out->b);
	out->k = K_STR;
	if (n == 0 || s[0] == 'n') {
		/* null: Go's nil, printed as "" here (docs/logql.md) */
	} else if (s[0] == '"') {
		logql_tmpl_json_decode_string(s, n, &out->b);
	} else if (s[0] == '{' || s[0] == '[') {
		buf_append(&out->b, s, n);
		out->k = K_JSON;
	} else if (s[0] == 't' || s[0] == 'f') {
		buf_append_str(&out->b, s[0] == 't' ? "true" : "false");
		out->k = K_BOOL;
	} else {
		/* a number ends at a JSON delimiter or the buffer's NUL */
		fmtdouble_append(&out->b, strtod(s, NULL), FMTDOUBLE_GO);
		out->k = K_NUM;
	}
	logql_tmpl_nul(&out->b);
}

/* ---- printing ------------------------------------------------------------------------ */

/* A JSON value as Go's fmt prints the decoded interface{}: map[a:1 b:[x y]]. */
static void print_json(struct texec *x, const char *s, size_t n, struct ward_buf *out)
{
	if (!logql_tmpl_json_charge(x, n))
		return;
	if (s[0] == 'n') {
		buf_append_str(out, "<nil>");
		return;
	}
	if (s[0] != '{' && s[0] != '[') {
		size_t mark = x->t->top;
		struct tval *v = logql_tmpl_pool_get(x);
		logql_tmpl_json_value(x, s, n, v);
		buf_append(out, v->b.data, v->b.len);
		x->t->top = mark;
		return;
	}
	if (s[0] == '[') {
		struct logql_tmpl_json_iter it;
		size_t ks, ke, vs, ve;
		bool first = true;
		buf_append_char(out, '[');
		logql_tmpl_json_iter_init(&it, s, n);
		while (!x->failed && out->len <= TMPL_MAX_OUT && logql_tmpl_json_iter_next(&it, &ks, &ke, &vs, &ve)) {
			if (!first)
				buf_append_char(out, ' ');
			first = false;
			print_json(x, s + vs, ve - vs, out);
		}
		buf_append_char(out, ']');
		return;
	}
	/* an object prints in key order: collected (bounded) and sorted */
	size_t mark = x->t->top;
	struct tval *arr = logql_tmpl_pool_get(x), *keys = logql_tmpl_pool_get(x);
	size_t cnt = logql_tmpl_json_collect(s, n, &arr->b, &keys->b, TMPL_MAX_ITER);
	if (cnt == LOGQL_TMPL_JSON_INVALID) {
		logql_tmpl_fail(x, "more than 65536 members to print", "print");
		cnt = 0;
	}
	const struct logql_tmpl_json_member *m = (const struct logql_tmpl_json_member *)(const void *)arr->b.data;
	buf_append_str(out, "map[");
	for (size_t k = 0; k < cnt && !x->failed && out->len <= TMPL_MAX_OUT; k++) {
		if (k)
			buf_append_char(out, ' ');
		buf_append(out, keys->b.data + m[k].koff, m[k].klen);
		buf_append_char(out, ':');
		print_json(x, s + m[k].vs, m[k].ve - m[k].vs, out);
	}
	buf_append_char(out, ']');
	x->t->top = mark;
}

void logql_tmpl_print(struct texec *x, const struct tval *v, struct ward_buf *out)
{
	if (v->k == K_JSON)
		print_json(x, v->b.data, v->b.len, out);
	else
		buf_append(out, v->b.data, v->b.len);
}

/* ---- operands -------------------------------------------------------------------------- */

static void exec_pipe(struct texec *x, const struct tpipe *pp, struct tval *out);

/* Member `name` of the JSON object s[0..n): its span, or false. Go's map
 * keeps the last of duplicate keys, so the whole object is read. */
static bool json_member(struct texec *x, const char *s, size_t n, const char *name, size_t nl,
			size_t *vs, size_t *ve)
{
	struct logql_tmpl_json_iter it;
	size_t ks, ke, a, b;
	bool found = false;
	if (!logql_tmpl_json_charge(x, n))
		return false;
	size_t mark = x->t->top;
	struct tval *key = logql_tmpl_pool_get(x);
	logql_tmpl_json_iter_init(&it, s, n);
	while (logql_tmpl_json_iter_next(&it, &ks, &ke, &a, &b)) {
		buf_reset(&key->b);
		logql_tmpl_json_decode_string(s + ks, ke - ks, &key->b);
		if (key->b.len == nl && !memcmp(key->b.data, name, nl)) {
			*vs = a;
			*ve = b;
			found = true;
		}
	}
	x->t->top = mark;
	return found;
}

/* Fields chain[0..n) ("a.b") of base into out. A missing member is ""
 * (Go: <no value>); a field of anything but an object is an error. */
static void exec_fields(struct texec *x, const struct tval *base, const char *chain, size_t n,
			struct tval *out)
{
	const char *s = base->b.data;
	size_t len = base->b.len;
	for (size_t i = 0; i < n && !x->failed;) {
		const char *dot = memchr(chain + i, '.', n - i);
		size_t seg = dot ? (size_t)(dot - (chain + i)) : n - i;
		size_t vs, ve;
		if ((base->k != K_JSON && s == base->b.data) || s[0] != '{') {
			logql_tmpl_fail(x, "can't evaluate a field of a value that is not a map", "field");
			return;
		}
		if (!json_member(x, s, len, chain + i, seg, &vs, &ve)) {
			buf_reset(&out->b);
			logql_tmpl_nul(&out->b);
			out->k = K_STR;
			return;
		}
		s += vs;
		len = ve - vs;
		i += seg + 1;
	}
	if (x->failed)
		return;
	if (s == base->b.data && len == base->b.len)
		copy_val(out, base);
	else
		logql_tmpl_json_value(x, s, len, out);
}

/* .a.b from the labels: the first name is a label, a string */
static void exec_root(struct texec *x, const char *chain, size_t n, struct tval *out)
{
	if (n == 0)
		return;	/* the label map itself prints as "" (docs/logql.md) */
	const char *dot = memchr(chain, '.', n);
	size_t first = dot ? (size_t)(dot - chain) : n;
	size_t vl;
	const char *v = x->env->lookup(x->env->ud, chain, first, &vl);
	if (v)
		buf_append(&out->b, v, vl);
	if (dot)
		logql_tmpl_fail(x, "can't evaluate a field of a string", "field");
}

static void exec_operand(struct texec *x, const struct operand *o, struct tval *out)
{
	size_t vl;
	const char *v;
	switch (o->kind) {
	case O_DOT:
		if (x->dot)
			exec_fields(x, x->dot, o->s, o->len, out);
		else
			exec_root(x, o->s, o->len, out);
		break;
	case O_ROOT:
		exec_root(x, o->s, o->len, out);
		break;
	case O_VAR:
		exec_fields(x, &x->t->slots[o->slot], o->s, o->len, out);
		break;
	case O_LABEL:
		v = x->env->lookup(x->env->ud, o->s, o->len, &vl);
		if (v)
			buf_append(&out->b, v, vl);
		break;
	case O_STR: case O_NUM: case O_BOOL:
		buf_append(&out->b, o->s, o->len);
		out->k = o->kind == O_STR ? K_STR : o->kind == O_NUM ? K_NUM : K_BOOL;
		break;
	case O_PIPE:
		if (o->len == 0) {
			exec_pipe(x, o->pipe, out);
		} else {
			size_t mark = x->t->top;
			struct tval *pv = logql_tmpl_pool_get(x);
			exec_pipe(x, o->pipe, pv);
			if (!x->failed)
				exec_fields(x, pv, o->s, o->len, out);
			x->t->top = mark;
		}
		break;
	case O_FUNC: {
		struct cmd c = { o->fn, NULL, 0, NULL, NULL };
		logql_tmpl_call(x, &c, NULL, 0, out);
		break;
	}
	}
	logql_tmpl_nul(&out->b);
}

static void exec_cmd(struct texec *x, const struct cmd *c, struct tval *piped, struct tval *out)
{
	if (c->fn < 0) {
		exec_operand(x, &c->args[0], out);
		return;
	}
	struct tval *a[17];
	size_t na = 0;
	size_t mark = x->t->top;
	enum fn_id id = logql_tmpl_funcs[c->fn].id;
	bool decided = false;	/* and/or stop at the first deciding argument (Go) */
	for (size_t i = 0; i < c->nargs && na < 16 && !x->failed && !decided; i++) {
		a[na] = logql_tmpl_pool_get(x);
		exec_operand(x, &c->args[i], a[na]);
		decided = (id == F_AND || id == F_OR) && logql_tmpl_truthy(a[na]) == (id == F_OR);
		na++;
	}
	if (piped && !decided)
		a[na++] = piped;
	if (!x->failed)
		logql_tmpl_call(x, c, a, na, out);
	if (out->b.len > TMPL_MAX_OUT)	/* $x = printf "%s%s" $x $x in a range */
		logql_tmpl_fail(x, "value larger than 1 MiB", logql_tmpl_funcs[c->fn].name);
	logql_tmpl_nul(&out->b);
	x->t->top = mark;
}

/* The pipeline's value into out (which the caller took from the pool). */
static void exec_pipe(struct texec *x, const struct tpipe *pp, struct tval *out)
{
	size_t mark = x->t->top;
	struct tval *prev = NULL;
	for (size_t i = 0; i < pp->ncmds && !x->failed; i++) {
		struct tval *dst = i + 1 == pp->ncmds ? out : logql_tmpl_pool_get(x);
		exec_cmd(x, &pp->cmds[i], prev, dst);
		prev = dst;
	}
	x->t->top = mark;
}

/* Evaluate pp; a declaration stores the value in its variable (swapping
 * buffers: no copy) and the variable is the result. */
static struct tval *eval_pipe(struct texec *x, const struct tpipe *pp)
{
	struct tval *v = logql_tmpl_pool_get(x);
	exec_pipe(x, pp, v);
	if (pp->nvars == 0)
		return v;
	struct tval *slot = &x->t->slots[pp->vars[0]];
	struct tval tmp = *slot;
	*slot = *v;
	*v = tmp;
	return slot;
}

/* ---- control ---------------------------------------------------------------------- */

static void exec_list(struct texec *x, const struct nodelist *l, struct ward_buf *out);

static void exec_with(struct texec *x, const struct node *nd, struct ward_buf *out)
{
	const struct tval *v = eval_pipe(x, nd->pipe);
	if (x->failed)
		return;
	if (logql_tmpl_truthy(v)) {
		const struct tval *saved = x->dot;
		x->dot = v;
		exec_list(x, &nd->then, out);
		x->dot = saved;
	} else {
		exec_list(x, &nd->els, out);
	}
}

/* One iteration: key/index and element into the variables (or a scratch
 * value), the element as the dot. Returns false to stop. */
/* One pass of a range body with dot = elem, the scratch pool back at mark
 * afterwards; returns the loop control the body set (1: break). */
static int range_body(struct texec *x, const struct node *nd, const struct tval *elem,
		      size_t mark, struct ward_buf *out)
{
	const struct tval *saved = x->dot;
	x->dot = elem;
	exec_list(x, &nd->then, out);
	x->dot = saved;
	x->t->top = mark;
	int ctl = x->loop_ctl;
	x->loop_ctl = 0;
	return ctl;
}

static bool range_one(struct texec *x, const struct node *nd, const char *src, const struct logql_tmpl_json_member *m,
		      const char *keys, size_t idx, struct ward_buf *out)
{
	const struct tpipe *pp = nd->pipe;
	size_t mark = x->t->top;
	struct tval *elem = pp->nvars ? &x->t->slots[pp->vars[pp->nvars - 1]] : logql_tmpl_pool_get(x);
	if (pp->nvars == 2) {
		struct tval *key = &x->t->slots[pp->vars[0]];
		buf_reset(&key->b);
		key->k = src[0] == '{' ? K_STR : K_NUM;
		if (src[0] == '{')
			buf_append(&key->b, keys + m->koff, m->klen);
		else
			buf_printf(&key->b, "%zu", idx);
		logql_tmpl_nul(&key->b);
	}
	logql_tmpl_json_value(x, src + m->vs, m->ve - m->vs, elem);
	int ctl = range_body(x, nd, elem, mark, out);
	return !x->failed && ctl != 1;
}

static void set_num(struct tval *v, size_t n)
{
	buf_reset(&v->b);
	buf_printf(&v->b, "%zu", n);
	v->k = K_NUM;
}

/* Go 1.22's range over an integer: 0 .. n-1. */
static void range_int(struct texec *x, const struct node *nd, double n, struct ward_buf *out)
{
	const struct tpipe *pp = nd->pipe;
	if (n > 0 && n > (double)(TMPL_MAX_ITER - x->iterations)) {
		logql_tmpl_fail(x, "more than 65536 range iterations", "range");
		return;
	}
	size_t cnt = n > 0 ? (size_t)n : 0;
	x->iterations += (unsigned)cnt;
	for (size_t k = 0; k < cnt && !x->failed; k++) {
		size_t mark = x->t->top;
		struct tval *elem = pp->nvars ? &x->t->slots[pp->vars[pp->nvars - 1]] : logql_tmpl_pool_get(x);
		set_num(elem, k);
		if (pp->nvars == 2)
			set_num(&x->t->slots[pp->vars[0]], k);
		if (range_body(x, nd, elem, mark, out) == 1)
			break;
	}
	if (cnt == 0 && !x->failed)
		exec_list(x, &nd->els, out);
}

static void exec_range(struct texec *x, const struct node *nd, struct ward_buf *out)
{
	size_t mark = x->t->top;
	struct tval *v = logql_tmpl_pool_get(x);
	exec_pipe(x, nd->pipe, v);
	if (x->failed)
		return;
	char *end;
	double n = v->k == K_NUM ? strtod(v->b.data, &end) : 0;
	if (v->k == K_NUM && *end == '\0' && n == (double)(long long)n) {
		range_int(x, nd, n, out);
		x->t->top = mark;
		return;
	}
	if (v->k != K_JSON) {
		/* "" is Go's nil (a failed fromJson): nothing to range over */
		if (v->b.len > 0)
			logql_tmpl_fail(x, "range can't iterate over a string", "range");
		else
			exec_list(x, &nd->els, out);
		x->t->top = mark;
		return;
	}
	struct tval *arr = logql_tmpl_pool_get(x), *keys = logql_tmpl_pool_get(x);
	for (int k = 0; k < nd->pipe->nvars; k++) {	/* unset in {{else}} */
		buf_reset(&x->t->slots[nd->pipe->vars[k]].b);
		logql_tmpl_nul(&x->t->slots[nd->pipe->vars[k]].b);
		x->t->slots[nd->pipe->vars[k]].k = K_STR;
	}
	size_t left = TMPL_MAX_ITER - x->iterations;
	size_t cnt = logql_tmpl_json_charge(x, v->b.len) ? logql_tmpl_json_collect(v->b.data, v->b.len, &arr->b, &keys->b, left) : 0;
	if (!x->failed && cnt == LOGQL_TMPL_JSON_INVALID) {
		logql_tmpl_fail(x, "more than 65536 range iterations", "range");
		cnt = 0;
	}
	x->iterations += (unsigned)cnt;
	const struct logql_tmpl_json_member *m = (const struct logql_tmpl_json_member *)(const void *)arr->b.data;
	for (size_t k = 0; k < cnt; k++)
		if (!range_one(x, nd, v->b.data, &m[k], keys->b.data, k, out))
			break;
	if (cnt == 0 && !x->failed)
		exec_list(x, &nd->els, out);
	x->t->top = mark;
}

static void exec_node(struct texec *x, const struct node *nd, struct ward_buf *out)
{
	size_t mark = x->t->top;
	switch (nd->kind) {
	case N_TEXT:
		buf_append(out, nd->text, nd->len);
		break;
	case N_ACTION: {
		const struct tval *v = eval_pipe(x, nd->pipe);
		if (nd->pipe->nvars == 0 && !x->failed)
			logql_tmpl_print(x, v, out);	/* a declaration prints nothing */
		break;
	}
	case N_IF: {
		bool t = logql_tmpl_truthy(eval_pipe(x, nd->pipe));
		if (!x->failed)
			exec_list(x, t ? &nd->then : &nd->els, out);
		break;
	}
	case N_WITH: exec_with(x, nd, out); break;
	case N_RANGE: exec_range(x, nd, out); break;
	case N_BREAK: x->loop_ctl = 1; break;
	case N_CONTINUE: x->loop_ctl = 2; break;
	}
	x->t->top = mark;
}

static void exec_list(struct texec *x, const struct nodelist *l, struct ward_buf *out)
{
	for (size_t i = 0; i < l->n && !x->failed && !x->loop_ctl; i++) {
		if (out->len > TMPL_MAX_OUT) {
			logql_tmpl_fail(x, "expansion larger than 1 MiB", "template");
			return;
		}
		exec_node(x, &l->v[i], out);
	}
}

int logql_tmpl_exec(const struct logql_tmpl *t, const struct logql_tmpl_env *env,
		    struct ward_buf *out, char *err, size_t errlen)
{
	/* The pool and the variables are scratch owned by the template: exec
	 * mutates them, so one template must not run in two threads at once. */
	struct texec x = { .t = (struct logql_tmpl *)t, .env = env, .err = err, .errlen = errlen };
	x.t->top = 0;
	exec_list(&x, &t->root, out);
	if (!x.failed && out->len > TMPL_MAX_OUT)
		logql_tmpl_fail(&x, "expansion larger than 1 MiB", "template");
	logql_tmpl_nul(out);
	return x.failed ? -1 : 0;
}

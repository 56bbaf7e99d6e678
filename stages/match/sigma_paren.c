/* sigma_paren.c - redundant parentheses out of the label filter expression
 * sigma_logql.c writes (it parenthesizes every group as it goes). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stages/match/sigma.h"

/* The generator parenthesizes every group; for a query people read (and take
 * to Loki), groups of one term and groups joined by the same operator as
 * their parent are flattened. The input is the generator's own output: terms
 * joined by " and " / " or ", each a "(...)" group or a comparison whose
 * strings are "..." with backslash escapes (and ip("...")). */
struct pnode {
	char *leaf;			/* a comparison, or NULL for a group */
	struct pnode **kids;
	size_t n;
	int op;				/* group: 0 one term, 'a' and, 'o' or, '?' mixed */
};

static void pfree(struct pnode *n)
{
	for (size_t i = 0; i < n->n; i++)
		pfree(n->kids[i]);
	free(n->kids);
	free(n->leaf);
	free(n);
}

static struct pnode *pparse(const char **sp, int depth);

static struct pnode *pterm(const char **sp, int depth)
{
	const char *s = *sp;
	if (*s == '(') {
		s++;
		struct pnode *g = pparse(&s, depth + 1);
		if (*s == ')')
			s++;
		*sp = s;
		return g;
	}
	const char *b = s;
	int d = 0;
	bool q = false;
	for (; *s; s++) {
		if (q) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				q = false;
		} else if (*s == '"') {
			q = true;
		} else if (*s == '(') {
			d++;
		} else if (*s == ')') {
			if (!d)
				break;
			d--;
		} else if (!d && (!strncmp(s, " and ", 5) || !strncmp(s, " or ", 4))) {
			break;
		}
	}
	struct pnode *l = ward_xcalloc(1, sizeof(*l));
	l->leaf = ward_xstrndup(b, (size_t)(s - b));
	*sp = s;
	return l;
}

static struct pnode *pparse(const char **sp, int depth)
{
	struct pnode *g = ward_xcalloc(1, sizeof(*g));
	for (;;) {
		struct pnode *t = depth > 200 ? NULL : pterm(sp, depth);
		if (!t)
			break;
		g->kids = ward_xrealloc(g->kids, (g->n + 1) * sizeof(*g->kids));
		g->kids[g->n++] = t;
		int op = !strncmp(*sp, " and ", 5) ? 'a' : !strncmp(*sp, " or ", 4) ? 'o' : 0;
		if (!op)
			break;
		g->op = (g->op && g->op != op) ? '?' : op;
		*sp += op == 'a' ? 5 : 4;
	}
	return g;
}

static void pemit(const struct pnode *n, int parent_op, struct ward_buf *out)
{
	if (n->leaf) {
		buf_append_str(out, n->leaf);
		return;
	}
	if (n->n == 1) {
		pemit(n->kids[0], parent_op, out);
		return;
	}
	bool wrap = n->op == '?' || n->op != parent_op;
	if (wrap && parent_op)
		buf_append_char(out, '(');
	for (size_t i = 0; i < n->n; i++) {
		if (i)
			buf_append_str(out, n->op == 'a' ? " and " : " or ");
		pemit(n->kids[i], n->op == '?' ? '?' : n->op, out);
	}
	if (wrap && parent_op)
		buf_append_char(out, ')');
}

static bool pmixed(const struct pnode *n)
{
	if (n->op == '?')
		return true;
	for (size_t i = 0; i < n->n; i++)
		if (pmixed(n->kids[i]))
			return true;
	return false;
}

/* The expression with redundant parentheses removed (the same meaning:
 * and/or are associative, a group of one term is that term). */
void sigma_paren_simplify(const char *in, struct ward_buf *out)
{
	/* too deep to be worth it: keep the generator's text */
	int d = 0, dmax = 0;
	for (const char *p = in; *p; p++)
		if (*p == '(' && ++d > dmax)
			dmax = d;
		else if (*p == ')')
			d--;
	if (dmax > 150) {
		buf_append_str(out, in);
		return;
	}
	const char *s = in;
	struct pnode *root = pparse(&s, 0);
	if (*s || pmixed(root)) {	/* not the shape this file writes: keep it */
		buf_append_str(out, in);
	} else {
		pemit(root, 0, out);
	}
	pfree(root);
}

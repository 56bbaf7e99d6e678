/* f2b_mlfid.c - fail2ban's multi-line failure merging (see f2b_mlfid.h). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stages/match/f2b_mlfid.h"

#define MLF_MAX_AGE_NS (300LL * 1000000000LL)

static struct f2b_gkv *find(const struct f2b_fail *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].name[0] == name[0] && strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

/* Entries [n, spare) keep the names of earlier groups (val NULL) and
 * every entry its value's storage: a filter's regexes set the same names
 * line after line, so a name is copied once, not once per line, and a
 * value allocates only when it outgrows the one before. */
static struct f2b_gkv *add(struct f2b_fail *f, const char *name)
{
	if (f->n < f->spare) {
		struct f2b_gkv *g = &f->v[f->n];
		if (strcmp(g->name, name) != 0) {
			free(g->name);
			g->name = ward_xstrdup(name);
		}
		f->n++;
		return g;
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = ward_xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	struct f2b_gkv *g = &f->v[f->n++];
	*g = (struct f2b_gkv){ .name = ward_xstrdup(name) };
	f->spare = f->n;
	return g;
}

void f2b_fail_set(struct f2b_fail *f, const char *name, const char *val, size_t n)
{
	struct f2b_gkv *g = find(f, name);
	if (!g)
		g = add(f, name);
	if (!val) {
		g->val = NULL;
		return;
	}
	size_t len = strnlen(val, n);	/* as a string: up to a NUL */
	if (len >= g->cap) {
		g->cap = len + 16;
		g->store = ward_xrealloc(g->store, g->cap);
	}
	memmove(g->store, val, len);	/* val may be this entry's own value */
	g->store[len] = '\0';
	g->val = g->store;
}

const char *f2b_fail_get(const struct f2b_fail *f, const char *name)
{
	const struct f2b_gkv *g = find(f, name);
	return g ? g->val : NULL;
}

bool f2b_fail_true(const struct f2b_fail *f, const char *name)
{
	const char *v = f2b_fail_get(f, name);
	return v && *v;
}

/* dict.pop(name): truthiness of the removed value. */
static bool pop(struct f2b_fail *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].name[0] == name[0] && strcmp(f->v[i].name, name) == 0) {
			bool t = f->v[i].val && *f->v[i].val;
			struct f2b_gkv gone = f->v[i];
			gone.val = NULL;
			f->v[i] = f->v[--f->n];
			f->v[f->n] = gone;	/* a spare name and storage now */
			return t;
		}
	return false;
}

void f2b_fail_reset(struct f2b_fail *f)
{
	for (size_t i = 0; i < f->n; i++)
		f->v[i].val = NULL;
	f->n = 0;
	for (size_t i = 0; i < f->nusers; i++)
		free(f->users[i]);
	f->nusers = 0;
}

void f2b_fail_free(struct f2b_fail *f)
{
	f2b_fail_reset(f);
	for (size_t i = 0; i < f->spare; i++) {
		free(f->v[i].name);
		free(f->v[i].store);
	}
	free(f->v);
	free(f->users);
	memset(f, 0, sizeof(*f));
}

static void swap_fail(struct f2b_fail *a, struct f2b_fail *b)
{
	struct f2b_fail t = *a;
	*a = *b;
	*b = t;
}

/* _updateUsers: add a truthy user; the user count after. */
static size_t update_users(struct f2b_fail *f, const char *user)
{
	if (user && *user) {
		bool have = false;
		for (size_t i = 0; i < f->nusers; i++)
			if (strcmp(f->users[i], user) == 0)
				have = true;
		if (!have) {
			f->users = ward_xrealloc(f->users, (f->nusers + 1) * sizeof(*f->users));
			f->users[f->nusers++] = ward_xstrdup(user);
		}
	}
	return f->nusers;
}

static void entry_remove(struct f2b_mlf *m, size_t i)
{
	free(m->e[i].mlfid);
	if (m->npool < sizeof(m->pool) / sizeof(m->pool[0])) {
		f2b_fail_reset(&m->e[i].f);
		m->pool[m->npool++] = m->e[i].f;
	} else {
		f2b_fail_free(&m->e[i].f);
	}
	memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof(m->e[0]));
	m->n--;
}

struct f2b_fail *f2b_mlf_merge(struct f2b_mlf *m, const char *mlfid, struct f2b_fail *cur, int64_t now_ns)
{
	/* expired entries go first (fail2ban: maxTime 5 min) */
	for (size_t i = 0; i < m->n;)
		if (now_ns - m->e[i].t_ns > MLF_MAX_AGE_NS || m->e[i].t_ns - now_ns > MLF_MAX_AGE_NS)
			entry_remove(m, i);
		else
			i++;
	struct f2b_mlf_entry *ent = NULL;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->e[i].mlfid, mlfid) == 0)
			ent = &m->e[i];
	unsigned fl = 0;	/* 1 nofail, 2 forget, 4 cached nofail/gained, 8 gained */
	if (f2b_fail_true(cur, "mlfgained")) {
		fl |= 8 | 1;
		if (!f2b_fail_true(cur, "nofail")) {
			const char *g = f2b_fail_get(cur, "mlfgained");
			f2b_fail_set(cur, "nofail", g, strlen(g));
		}
	} else if (f2b_fail_true(cur, "nofail")) {
		fl |= 1;
	}
	if (pop(cur, "mlfforget"))
		fl |= 2;
	struct f2b_fail *fail;
	size_t users = 0;
	if (ent) {
		struct f2b_fail *g = &ent->f;
		users = update_users(g, f2b_fail_get(cur, "user"));
		if (pop(g, "nofail"))
			fl |= 4;
		if (pop(g, "mlfgained"))
			fl |= 4;
		if (fl & 8)
			pop(g, "mlfpending");
		for (size_t i = 0; i < cur->n; i++)
			if (cur->v[i].val)
				f2b_fail_set(g, cur->v[i].name, cur->v[i].val, strlen(cur->v[i].val));
		ent->t_ns = now_ns;
		fail = g;
		if (fl & 2) {
			swap_fail(&m->tmp, g);	/* the old tmp goes with the entry */
			entry_remove(m, (size_t)(ent - m->e));
			fail = &m->tmp;
		}
		f2b_fail_reset(cur);
	} else if (!(fl & 2)) {
		users = update_users(cur, f2b_fail_get(cur, "user"));
		if (m->n == sizeof(m->e) / sizeof(m->e[0]))
			entry_remove(m, 0);	/* full: the oldest goes */
		ent = &m->e[m->n++];
		memset(ent, 0, sizeof(*ent));
		ent->mlfid = ward_xstrdup(mlfid);
		ent->t_ns = now_ns;
		ent->f = *cur;	/* cur takes a pooled failure (or none) */
		if (m->npool)
			*cur = m->pool[--m->npool];
		else
			memset(cur, 0, sizeof(*cur));
		fail = &ent->f;
	} else {
		swap_fail(&m->tmp, cur);
		f2b_fail_reset(cur);
		fail = &m->tmp;
	}
	/* pending failures or a second user: this is no "nofail" any more */
	if (pop(fail, "mlfpending") || users > 1) {
		pop(fail, "nofail");
		pop(fail, "mlfgained");
	}
	return fail;
}

void f2b_mlf_free(struct f2b_mlf *m)
{
	while (m->n)
		entry_remove(m, m->n - 1);
	f2b_fail_free(&m->tmp);
	while (m->npool)
		f2b_fail_free(&m->pool[--m->npool]);
}

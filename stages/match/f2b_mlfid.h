/* f2b_mlfid.h - a failure's groups, and fail2ban's merging of failures
 * that share an <F-MLFID> (Filter._mergeFailure in server/filter.py).
 *
 * A filter whose regexes capture `mlfid` (sshd: the "host sshd[pid]: "
 * prefix) keeps, per mlfid, the groups seen so far: a later line of the
 * same connection without an address ("Disconnecting: Too many
 * authentication failures") takes the address seen before; <F-NOFAIL>
 * marks a connection as not failing until a failure or a second user
 * shows; <F-MLFGAINED> (a successful login) clears the pending failures;
 * <F-MLFFORGET> ends the connection. The cache holds at most 100 entries
 * and 5 minutes of event time per entry, as fail2ban's (which uses the
 * wall clock). */
#ifndef WARD_F2B_MLFID_H
#define WARD_F2B_MLFID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct f2b_gkv {
	char *name;
	char *val;	/* NULL: the group did not take part (Python None); else store */
	char *store;	/* the value's storage, kept from line to line */
	size_t cap;
};

/* A failure's groups (Python's dict of the match), and its user set. */
struct f2b_fail {
	struct f2b_gkv *v;	/* [0, n) the groups; [n, spare) names and storage kept for reuse */
	size_t n, spare, cap;
	char **users;
	size_t nusers;
};

void f2b_fail_set(struct f2b_fail *f, const char *name, const char *val, size_t n);	/* val NULL: None */
const char *f2b_fail_get(const struct f2b_fail *f, const char *name);
/* Python truthiness of a value: set and not empty. */
bool f2b_fail_true(const struct f2b_fail *f, const char *name);
void f2b_fail_reset(struct f2b_fail *f);
void f2b_fail_free(struct f2b_fail *f);

struct f2b_mlf_entry {
	char *mlfid;
	int64_t t_ns;
	struct f2b_fail f;
};

struct f2b_mlf {
	struct f2b_mlf_entry e[100];
	size_t n;
	struct f2b_fail tmp;	/* a merged failure that is not (or no longer) cached */
	/* the failures of removed entries, reset: a new entry's failure
	 * leaves one to the line's groups, its names and storage reused */
	struct f2b_fail pool[100];
	size_t npool;
};

/* Merge cur (consumed: reset on return) into the entry of mlfid. Returns
 * the merged failure: a cache entry (later changes, e.g. marking it
 * pending, stay in the cache) or m->tmp. */
struct f2b_fail *f2b_mlf_merge(struct f2b_mlf *m, const char *mlfid, struct f2b_fail *cur, int64_t now_ns);
void f2b_mlf_free(struct f2b_mlf *m);

#endif

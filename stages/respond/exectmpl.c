/* exectmpl.c - parse and expand argv templates. */
#include "stages/respond/exectmpl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"

static const char *const placeholders[] = {
	"{target}", "{addr}", "{prefix}", "{family}", "{ttl}", "{rule}", "{action}", NULL,
};

static bool is_placeholder(const char *w)
{
	for (const char *const *p = placeholders; *p; p++)
		if (strcmp(w, *p) == 0)
			return true;
	return false;
}

void exec_tmpl_free(struct exec_tmpl *t)
{
	for (int i = 0; i < t->argc; i++)
		free(t->argv[i]);
	t->argc = 0;
}

int exec_tmpl_parse(const char *s, struct exec_tmpl *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		size_t n = strcspn(s, " \t");
		if (t->argc == FW_ARGV_MAX) {
			snprintf(err, errlen, "more than %d words", FW_ARGV_MAX);
			goto bad;
		}
		char *w = ward_xstrndup(s, n);
		t->argv[t->argc++] = w;
		if ((strchr(w, '{') || strchr(w, '}')) && !is_placeholder(w)) {
			snprintf(err, errlen, "%.64s: a placeholder must be a whole word, one of "
				 "{target} {addr} {prefix} {family} {ttl} {rule} {action}", w);
			goto bad;
		}
		s += n;
	}
	if (t->argc == 0) {
		snprintf(err, errlen, "empty command");
		return -1;
	}
	if (is_placeholder(t->argv[0])) {
		snprintf(err, errlen, "the program name cannot be a placeholder");
		goto bad;
	}
	return 0;
bad:
	exec_tmpl_free(t);
	return -1;
}

static void expand_word(const char *w, const struct fw_req *r, char *out, size_t n)
{
	char addr[WARD_IP_STRLEN];

	if (strcmp(w, "{target}") == 0)
		respond_target_format(&r->target, false, out, n);
	else if (strcmp(w, "{addr}") == 0) {
		ip_format(&r->target.ip, addr);
		snprintf(out, n, "%s", addr);
	} else if (strcmp(w, "{prefix}") == 0)
		snprintf(out, n, "%u", r->target.prefix);
	else if (strcmp(w, "{family}") == 0)
		snprintf(out, n, "%d", r->target.ip.family == AF_INET ? 4 : 6);
	else if (strcmp(w, "{ttl}") == 0)
		snprintf(out, n, "%" PRId64, r->op == FW_BAN ? fw_ttl_seconds(r->ttl_ns, INT64_MAX / 2) : 0);
	else if (strcmp(w, "{rule}") == 0)
		snprintf(out, n, "%s", r->rule[0] ? r->rule : "-");
	else if (strcmp(w, "{action}") == 0)
		snprintf(out, n, "%s", fw_op_name(r->op));
	else
		snprintf(out, n, "%s", w);
}

int exec_tmpl_expand(const struct exec_tmpl *t, const struct fw_req *r, struct fw_argv *a)
{
	char word[FW_ARGV_STORE];

	fw_argv_init(a);
	for (int i = 0; i < t->argc; i++) {
		expand_word(t->argv[i], r, word, sizeof(word));
		if (fw_argv_push(a, word) != 0)
			return -1;
	}
	return 0;
}

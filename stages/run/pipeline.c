/* pipeline.c - the pipeline file parser (see pipeline.h and docs/run.md). */
#include "stages/run/pipeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One file being read: the lexer position and where messages point. */
struct lexer {
	const char *s;
	size_t n;
	size_t i;
	unsigned line;
	const char *file;
};

/* One word as the lexer built it. */
struct word {
	struct ward_buf text;
	bool plain;		/* no quote, escape or expansion: may be a keyword */
	size_t assign_len;	/* > 0: starts with an unquoted NAME= */
	bool args;		/* the word is ${@}: one word per pipeline operand */
};

struct command {
	struct word *words;
	size_t len;
	size_t cap;
	unsigned line;
};

/* Where stages go: the top-level chain, or the current branch of the
 * innermost open fanout. */
struct open_fanout {
	struct pl_node *node;	/* in its parent chain; stable while open */
	unsigned line;
};

struct parser {
	const struct pl_env *env;
	struct pipeline *p;
	struct pl_error *err;
	struct open_fanout open[PL_MAX_DEPTH];
	size_t depth;
	unsigned include_depth;
	bool failed;
};

static void fail(struct parser *ps, const struct lexer *lx, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(struct parser *ps, const struct lexer *lx, unsigned line, const char *fmt, ...)
{
	if (ps->failed)
		return;
	ps->failed = true;
	snprintf(ps->err->file, sizeof ps->err->file, "%s", lx->file);
	ps->err->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof ps->err->msg, fmt, ap);
	va_end(ap);
}

static bool is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int peek(const struct lexer *lx, size_t ahead)
{
	return lx->i + ahead < lx->n ? (unsigned char)lx->s[lx->i + ahead] : -1;
}

static int take(struct lexer *lx)
{
	if (lx->i >= lx->n)
		return -1;
	int c = (unsigned char)lx->s[lx->i++];
	if (c == '\n')
		lx->line++;
	return c;
}

/* ---- settings ---------------------------------------------------------- */

static const char *file_setting(const struct pipeline *p, const char *name)
{
	for (size_t i = p->nsettings; i-- > 0;)
		if (strcmp(p->settings[i].name, name) == 0)
			return p->settings[i].value;
	return NULL;
}

const char *pipeline_setting(const struct pipeline *p, const struct pl_env *env, const char *name)
{
	const char *v = env && env->lookup ? env->lookup(env->ctx, name) : NULL;
	return v ? v : file_setting(p, name);
}

static void add_setting(struct pipeline *p, const char *name, size_t name_len, const char *value)
{
	if (p->nsettings == p->settings_cap) {
		p->settings_cap = p->settings_cap ? p->settings_cap * 2 : 8;
		p->settings = ward_xrealloc(p->settings, p->settings_cap * sizeof *p->settings);
	}
	p->settings[p->nsettings].name = ward_xstrndup(name, name_len);
	p->settings[p->nsettings].value = ward_xstrdup(value);
	p->nsettings++;
}

/* ---- expansion ----------------------------------------------------------- */

static void expand(struct parser *ps, struct lexer *lx, struct ward_buf *out, bool live, unsigned depth);

/* The default of ${NAME:-default}, up to its closing brace: backslash
 * escapes and nested ${...}; quotes are refused (they would mean something
 * else to a shell). */
static void expand_default(struct parser *ps, struct lexer *lx, struct ward_buf *out, bool live,
			   unsigned depth, unsigned start)
{
	for (;;) {
		int c = peek(lx, 0);
		if (c < 0 || c == '\n') {
			fail(ps, lx, start, "unterminated ${...}");
			return;
		}
		if (c == '}') {
			take(lx);
			return;
		}
		if (c == '\'' || c == '"' || c == '`') {
			fail(ps, lx, lx->line, "quotes inside ${NAME:-default} are not supported");
			return;
		}
		if (c == '\\') {
			take(lx);
			c = take(lx);
			if (c < 0 || c == '\n') {
				fail(ps, lx, start, "unterminated ${...}");
				return;
			}
		} else if (c == '$') {
			take(lx);
			expand(ps, lx, out, live, depth + 1);
			if (ps->failed)
				return;
			continue;
		} else {
			take(lx);
		}
		if (live)
			buf_append_char(out, (char)c);
	}
}

/* At a '$' just consumed: ${NAME} or ${NAME:-default}. Other uses of $
 * that a shell would expand are refused; a lone $ is literal, as in sh. */
static void expand(struct parser *ps, struct lexer *lx, struct ward_buf *out, bool live, unsigned depth)
{
	int c = peek(lx, 0);
	if (c != '{') {
		if (c >= 0 && (is_name_char(c) || strchr("(@*#?$!-", c))) {
			fail(ps, lx, lx->line, "only ${NAME} and ${NAME:-default} are expanded; "
			     "write \\$ or '$' for a literal $");
			return;
		}
		if (live)
			buf_append_char(out, '$');
		return;
	}
	unsigned start = lx->line;
	if (depth >= PL_MAX_DEPTH) {
		fail(ps, lx, start, "${...} nested too deeply");
		return;
	}
	take(lx);
	size_t name_start = lx->i;
	if (!is_name_start(peek(lx, 0))) {
		fail(ps, lx, start, "bad variable name after ${");
		return;
	}
	while (is_name_char(peek(lx, 0)))
		take(lx);
	char name[128];
	size_t name_len = lx->i - name_start;
	if (name_len >= sizeof name) {
		fail(ps, lx, start, "variable name too long");
		return;
	}
	memcpy(name, lx->s + name_start, name_len);
	name[name_len] = '\0';
	const char *val = pipeline_setting(ps->p, ps->env, name);
	if (peek(lx, 0) == '}') {
		take(lx);
		if (val == NULL && live)
			fail(ps, lx, start, "${%s} is not set (set it in the environment, with --set, "
			     "or as %s=VALUE in the file; or write ${%s:-default})", name, name, name);
		else if (live)
			buf_append_str(out, val);
		return;
	}
	if (peek(lx, 0) == ':' && peek(lx, 1) == '-') {
		take(lx);
		take(lx);
		if (live && val != NULL && *val != '\0') {
			buf_append_str(out, val);
			live = false;	/* parse the default, use nothing of it */
		}
		expand_default(ps, lx, out, live, depth, start);
		return;
	}
	fail(ps, lx, start, "only ${NAME} and ${NAME:-default} are supported");
}

/* ---- words ---------------------------------------------------------------- */

static void word_init(struct word *w)
{
	w->text = (struct ward_buf)WARD_BUF_INIT;
	w->plain = true;
	w->assign_len = 0;
	w->args = false;
}

static void command_free(struct command *cmd)
{
	for (size_t i = 0; i < cmd->len; i++)
		buf_free(&cmd->words[i].text);
	free(cmd->words);
	*cmd = (struct command){ 0 };
}

static void single_quoted(struct parser *ps, struct lexer *lx, struct word *w)
{
	unsigned start = lx->line;
	for (;;) {
		int c = take(lx);
		if (c < 0) {
			fail(ps, lx, start, "unterminated single quote");
			return;
		}
		if (c == '\'')
			return;
		buf_append_char(&w->text, (char)c);
	}
}

static void double_quoted(struct parser *ps, struct lexer *lx, struct word *w)
{
	unsigned start = lx->line;
	for (;;) {
		int c = take(lx);
		if (c < 0) {
			fail(ps, lx, start, "unterminated double quote");
			return;
		}
		if (c == '"')
			return;
		if (c == '`') {
			fail(ps, lx, lx->line, "command substitution (`) is not supported");
			return;
		}
		if (c == '$') {
			expand(ps, lx, &w->text, true, 0);
			if (ps->failed)
				return;
			continue;
		}
		if (c == '\\') {
			int d = peek(lx, 0);
			if (d == '\n') {
				take(lx);
				continue;
			}
			if (d == '$' || d == '`' || d == '"' || d == '\\') {
				buf_append_char(&w->text, (char)take(lx));
				continue;
			}
		}
		buf_append_char(&w->text, (char)c);
	}
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* One word starting at a non-blank character. Returns false at a word
 * boundary with nothing read. */
static void read_word(struct parser *ps, struct lexer *lx, struct word *w)
{
	bool name_prefix = true;	/* everything so far is an unquoted name */
	size_t start = w->text.len;
	for (;;) {
		int c = peek(lx, 0);
		if (c < 0 || c == '\n' || is_blank(c))
			return;
		if (c == '\0') {
			fail(ps, lx, lx->line, "NUL byte in pipeline file");
			return;
		}
		if (strchr("|&;<>()`", c)) {
			fail(ps, lx, lx->line, "shell operator '%c' is not supported: write one stage per "
			     "line and quote the character", c);
			return;
		}
		take(lx);
		if (c == '=' && name_prefix && w->plain && w->text.len > start && w->assign_len == 0)
			w->assign_len = w->text.len - start;
		if (!is_name_char(c) || (w->text.len == start && !is_name_start(c)))
			name_prefix = false;
		if (c == '\'') {
			w->plain = false;
			single_quoted(ps, lx, w);
		} else if (c == '"') {
			w->plain = false;
			double_quoted(ps, lx, w);
		} else if (c == '\\') {
			int d = take(lx);
			if (d < 0) {
				fail(ps, lx, lx->line, "backslash at end of file");
				return;
			}
			if (d == '\n') {	/* continuation inside a word */
				continue;
			}
			w->plain = false;
			buf_append_char(&w->text, (char)d);
		} else if (c == '$' && peek(lx, 0) == '{' && peek(lx, 1) == '@' && peek(lx, 2) == '}') {
			/* ${@}: the operands after the pipeline file, each its own
			 * word; only as a whole unquoted word, so it never glues an
			 * operand to other text. */
			int after = peek(lx, 3);
			if (w->text.len != start || !w->plain ||
			    !(after < 0 || after == '\n' || is_blank(after))) {
				fail(ps, lx, lx->line, "${@} must be a word of its own, unquoted");
				return;
			}
			take(lx);
			take(lx);
			take(lx);
			w->plain = false;
			w->args = true;
		} else if (c == '$') {
			w->plain = false;
			expand(ps, lx, &w->text, true, 0);
		} else {
			buf_append_char(&w->text, (char)c);
		}
		if (ps->failed)
			return;
	}
}

static struct word *command_push(struct command *cmd)
{
	if (cmd->len == cmd->cap) {
		cmd->cap = cmd->cap ? cmd->cap * 2 : 8;
		cmd->words = ward_xrealloc(cmd->words, cmd->cap * sizeof *cmd->words);
	}
	struct word *w = &cmd->words[cmd->len++];
	word_init(w);
	return w;
}

/* The next command: words up to an unquoted newline. Returns false at the
 * end of the text. Blank and comment-only lines give a command of 0 words. */
static bool next_command(struct parser *ps, struct lexer *lx, struct command *cmd)
{
	command_free(cmd);
	if (lx->i >= lx->n)
		return false;
	cmd->line = lx->line;
	for (;;) {
		int c = peek(lx, 0);
		if (c < 0)
			return true;
		if (c == '\n') {
			take(lx);
			return true;
		}
		if (is_blank(c)) {
			take(lx);
			continue;
		}
		if (c == '\\' && peek(lx, 1) == '\n') {
			take(lx);
			take(lx);
			continue;
		}
		if (c == '#') {
			while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n')
				take(lx);
			continue;
		}
		if (cmd->len == 0)
			cmd->line = lx->line;
		if (cmd->len >= PL_MAX_WORDS) {
			fail(ps, lx, cmd->line, "more than %d words on one line", PL_MAX_WORDS);
			return true;
		}
		read_word(ps, lx, command_push(cmd));
		if (ps->failed)
			return true;
	}
}

/* ---- the tree ------------------------------------------------------------ */

static struct pl_chain *current_chain(struct parser *ps)
{
	if (ps->depth == 0)
		return &ps->p->chain;
	struct pl_fanout *fan = &ps->open[ps->depth - 1].node->fan;
	return fan->len ? &fan->branches[fan->len - 1].chain : NULL;
}

static struct pl_node *chain_push(struct pl_chain *c)
{
	if (c->len == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4;
		c->nodes = ward_xrealloc(c->nodes, c->cap * sizeof *c->nodes);
	}
	struct pl_node *n = &c->nodes[c->len++];
	memset(n, 0, sizeof *n);
	return n;
}

static bool is_kafka(const char *uri)
{
	return strncmp(uri, "kafka://", 8) == 0;
}

/* --in/-i and --out/-o naming a Kafka topic, in any of the forms the option
 * parser accepts. */
static void scan_kafka(struct pl_stage *st)
{
	for (size_t i = 1; i < st->argc; i++) {
		const char *a = st->argv[i], *next = i + 1 < st->argc ? st->argv[i + 1] : "";
		if (strcmp(a, "--") == 0)
			return;
		if ((strcmp(a, "--in") == 0 || strcmp(a, "-i") == 0) && is_kafka(next))
			st->kafka_in = true;
		if ((strcmp(a, "--out") == 0 || strcmp(a, "-o") == 0) && is_kafka(next))
			st->kafka_out = true;
		if (strncmp(a, "--in=", 5) == 0 && is_kafka(a + 5))
			st->kafka_in = true;
		if (strncmp(a, "--out=", 6) == 0 && is_kafka(a + 6))
			st->kafka_out = true;
		if (strncmp(a, "-i", 2) == 0 && is_kafka(a + 2))
			st->kafka_in = true;
		if (strncmp(a, "-o", 2) == 0 && is_kafka(a + 2))
			st->kafka_out = true;
	}
}

static void add_stage(struct parser *ps, struct lexer *lx, struct command *cmd)
{
	struct pl_chain *chain = current_chain(ps);
	if (chain == NULL) {
		fail(ps, lx, cmd->line, "a stage inside fanout must follow 'branch NAME' or 'source NAME'");
		return;
	}
	if (ps->p->nstages >= PL_MAX_STAGES) {
		fail(ps, lx, cmd->line, "more than %d stages", PL_MAX_STAGES);
		return;
	}
	if (cmd->words[0].text.len == 0) {
		fail(ps, lx, cmd->line, "empty program name");
		return;
	}
	if (cmd->words[0].args) {
		fail(ps, lx, cmd->line, "${@} cannot be the program name");
		return;
	}
	size_t nargs = ps->env->nargs, argc = 0;
	for (size_t i = 0; i < cmd->len; i++)
		argc += cmd->words[i].args ? nargs : 1;
	if (argc > PL_MAX_WORDS) {
		fail(ps, lx, cmd->line, "more than %d words on one line", PL_MAX_WORDS);
		return;
	}
	struct pl_node *n = chain_push(chain);
	n->kind = PL_STAGE;
	n->file = lx->file;
	n->line = cmd->line;
	struct pl_stage *st = &n->stage;
	st->argc = argc;
	st->argv = ward_xcalloc(argc + 1, sizeof *st->argv);
	size_t k = 0;
	for (size_t i = 0; i < cmd->len; i++) {
		if (!cmd->words[i].args) {
			st->argv[k++] = ward_xstrdup(buf_cstr(&cmd->words[i].text));
			continue;
		}
		for (size_t j = 0; j < nargs; j++)
			st->argv[k++] = ward_xstrdup(ps->env->args[j]);
	}
	st->file = lx->file;
	st->line = cmd->line;
	scan_kafka(st);
	ps->p->nstages++;
}

static bool chain_has_stage(const struct pl_chain *c)
{
	return c->len > 0;
}

/* Close the current branch of the innermost fanout; it must hold a stage. */
static void close_branch(struct parser *ps, struct lexer *lx, unsigned line)
{
	struct pl_fanout *fan = &ps->open[ps->depth - 1].node->fan;
	if (fan->len && !chain_has_stage(&fan->branches[fan->len - 1].chain))
		fail(ps, lx, line, "branch '%s' (line %u) has no stage", fan->branches[fan->len - 1].name,
		     fan->branches[fan->len - 1].line);
}

static bool valid_branch_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!is_name_char((unsigned char)*s) && *s != '-' && *s != '.')
			return false;
	return true;
}

static void kw_fanout(struct parser *ps, struct lexer *lx, struct command *cmd)
{
	struct pl_chain *chain = current_chain(ps);
	if (cmd->len != 1) {
		fail(ps, lx, cmd->line, "fanout takes no arguments");
		return;
	}
	if (chain == NULL) {
		fail(ps, lx, cmd->line, "fanout inside fanout must follow 'branch NAME' or 'source NAME'");
		return;
	}
	if (ps->depth >= PL_MAX_DEPTH) {
		fail(ps, lx, cmd->line, "fanouts nested more than %d deep", PL_MAX_DEPTH);
		return;
	}
	struct pl_node *n = chain_push(chain);
	n->kind = PL_FANOUT;
	n->file = lx->file;
	n->line = cmd->line;
	ps->open[ps->depth].node = n;
	ps->open[ps->depth].line = cmd->line;
	ps->depth++;
}

static void kw_branch(struct parser *ps, struct lexer *lx, struct command *cmd, bool source)
{
	const char *kw = source ? "source" : "branch";
	if (ps->depth == 0) {
		fail(ps, lx, cmd->line, "'%s' outside fanout ... merge", kw);
		return;
	}
	if (cmd->len != 2 || !valid_branch_name(buf_cstr(&cmd->words[1].text))) {
		fail(ps, lx, cmd->line, "usage: %s NAME (letters, digits, '_', '-', '.')", kw);
		return;
	}
	close_branch(ps, lx, cmd->line);
	struct pl_fanout *fan = &ps->open[ps->depth - 1].node->fan;
	for (size_t i = 0; i < fan->len; i++)
		if (strcmp(fan->branches[i].name, buf_cstr(&cmd->words[1].text)) == 0) {
			fail(ps, lx, cmd->line, "branch name '%s' used twice in one fanout",
			     fan->branches[i].name);
			return;
		}
	if (fan->len == fan->cap) {
		fan->cap = fan->cap ? fan->cap * 2 : 4;
		fan->branches = ward_xrealloc(fan->branches, fan->cap * sizeof *fan->branches);
	}
	struct pl_branch *b = &fan->branches[fan->len++];
	memset(b, 0, sizeof *b);
	b->name = ward_xstrdup(buf_cstr(&cmd->words[1].text));
	b->source = source;
	b->line = cmd->line;
}

static void kw_merge(struct parser *ps, struct lexer *lx, struct command *cmd)
{
	if (cmd->len != 1) {
		fail(ps, lx, cmd->line, "merge takes no arguments");
		return;
	}
	if (ps->depth == 0) {
		fail(ps, lx, cmd->line, "merge without fanout");
		return;
	}
	struct pl_fanout *fan = &ps->open[ps->depth - 1].node->fan;
	if (fan->len == 0) {
		fail(ps, lx, cmd->line, "fanout (line %u) has no branch", ps->open[ps->depth - 1].line);
		return;
	}
	close_branch(ps, lx, cmd->line);
	ps->depth--;
}

static int parse_text(struct parser *ps, const char *text, size_t len, const char *file, bool settings_only);

static void kw_include(struct parser *ps, struct lexer *lx, struct command *cmd)
{
	if (cmd->len != 2) {
		fail(ps, lx, cmd->line, "usage: include FILE");
		return;
	}
	if (ps->include_depth >= PL_MAX_DEPTH) {
		fail(ps, lx, cmd->line, "includes nested more than %d deep", PL_MAX_DEPTH);
		return;
	}
	char *text = NULL, *resolved = NULL, why[256] = "includes are not available";
	size_t len = 0;
	const char *path = buf_cstr(&cmd->words[1].text);
	if (ps->env == NULL || ps->env->include == NULL ||
	    ps->env->include(ps->env->ctx, lx->file, path, &text, &len, &resolved, why, sizeof why) != 0) {
		fail(ps, lx, cmd->line, "include %s: %s", path, why);
		return;
	}
	struct pipeline *p = ps->p;
	p->files = ward_xrealloc(p->files, (p->nfiles + 1) * sizeof *p->files);
	p->files[p->nfiles++] = resolved;
	ps->include_depth++;
	parse_text(ps, text, len, resolved, true);
	ps->include_depth--;
	free(text);
}

static void do_command(struct parser *ps, struct lexer *lx, struct command *cmd, bool settings_only)
{
	struct word *w0 = &cmd->words[0];
	const char *first = buf_cstr(&w0->text);
	if (w0->assign_len > 0 || (w0->plain && strcmp(first, "include") != 0 && settings_only)) {
		for (size_t i = 0; i < cmd->len; i++)
			if (cmd->words[i].args) {
				fail(ps, lx, cmd->line, "${@} is only for a stage's arguments");
				return;
			}
	}
	if (w0->assign_len > 0) {
		if (cmd->len != 1) {
			fail(ps, lx, cmd->line, "NAME=VALUE takes one word: quote the value");
			return;
		}
		add_setting(ps->p, first, w0->assign_len, first + w0->assign_len + 1);
		return;
	}
	if (w0->plain && strcmp(first, "include") == 0) {
		kw_include(ps, lx, cmd);
		return;
	}
	if (settings_only) {
		fail(ps, lx, cmd->line, "an included file holds only NAME=VALUE settings and includes");
		return;
	}
	if (w0->plain && strcmp(first, "fanout") == 0)
		kw_fanout(ps, lx, cmd);
	else if (w0->plain && strcmp(first, "branch") == 0)
		kw_branch(ps, lx, cmd, false);
	else if (w0->plain && strcmp(first, "source") == 0)
		kw_branch(ps, lx, cmd, true);
	else if (w0->plain && strcmp(first, "merge") == 0)
		kw_merge(ps, lx, cmd);
	else
		add_stage(ps, lx, cmd);
}

static int parse_text(struct parser *ps, const char *text, size_t len, const char *file, bool settings_only)
{
	struct lexer lx = { text, len, 0, 1, file };
	struct command cmd = { 0 };
	if (len > PL_MAX_TEXT) {
		fail(ps, &lx, 1, "file larger than %d bytes", PL_MAX_TEXT);
		return -1;
	}
	while (!ps->failed && next_command(ps, &lx, &cmd)) {
		if (!ps->failed && cmd.len > 0)
			do_command(ps, &lx, &cmd, settings_only);
	}
	command_free(&cmd);
	return ps->failed ? -1 : 0;
}

int pipeline_parse(const char *text, size_t len, const char *file, const struct pl_env *env,
		   struct pipeline *out, struct pl_error *err)
{
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	out->files = ward_xmalloc(sizeof *out->files);
	out->files[0] = ward_xstrdup(file);
	out->nfiles = 1;
	struct parser ps = { .env = env, .p = out, .err = err };
	struct lexer end = { text, len, 0, 1, out->files[0] };
	parse_text(&ps, text, len, out->files[0], false);
	if (!ps.failed && ps.depth > 0)
		fail(&ps, &end, ps.open[ps.depth - 1].line, "fanout has no merge");
	if (!ps.failed && out->nstages == 0)
		fail(&ps, &end, 1, "no stage in pipeline");
	if (ps.failed) {
		pipeline_free(out);
		return -1;
	}
	return 0;
}

static void chain_free(struct pl_chain *c)
{
	for (size_t i = 0; i < c->len; i++) {
		struct pl_node *n = &c->nodes[i];
		if (n->kind == PL_STAGE) {
			for (size_t j = 0; j < n->stage.argc; j++)
				free(n->stage.argv[j]);
			free(n->stage.argv);
			continue;
		}
		for (size_t j = 0; j < n->fan.len; j++) {
			free(n->fan.branches[j].name);
			chain_free(&n->fan.branches[j].chain);
		}
		free(n->fan.branches);
	}
	free(c->nodes);
	*c = (struct pl_chain){ 0 };
}

void pipeline_free(struct pipeline *p)
{
	chain_free(&p->chain);
	for (size_t i = 0; i < p->nsettings; i++) {
		free(p->settings[i].name);
		free(p->settings[i].value);
	}
	free(p->settings);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	memset(p, 0, sizeof *p);
}

/* ---- the shell equivalent ------------------------------------------------- */

void shell_quote(struct ward_buf *out, const char *word)
{
	bool safe = *word != '\0';
	for (const char *s = word; *s && safe; s++)
		safe = is_name_char((unsigned char)*s) || strchr("@%+=:,./-", *s) != NULL;
	if (safe) {
		buf_append_str(out, word);
		return;
	}
	buf_append_char(out, '\'');
	for (const char *s = word; *s; s++) {
		if (*s == '\'')
			buf_append_str(out, "'\\''");
		else
			buf_append_char(out, *s);
	}
	buf_append_char(out, '\'');
}

static void stage_to_shell(const struct pl_stage *st, struct ward_buf *out)
{
	for (size_t i = 0; i < st->argc; i++) {
		if (i)
			buf_append_char(out, ' ');
		shell_quote(out, st->argv[i]);
	}
}

static void chain_to_shell(const struct pl_chain *c, struct ward_buf *out, unsigned indent);

static void newline(struct ward_buf *out, unsigned indent)
{
	buf_append_str(out, " \\\n");
	for (unsigned i = 0; i < indent; i++)
		buf_append_char(out, ' ');
}

/* `prefix` is the stream feeding the fanout (empty: the chain's input).
 * The copying part and each source branch run side by side in a group
 * whose output is the fanout's output. */
static void fanout_to_shell(const struct pl_fanout *fan, const char *prefix, struct ward_buf *out,
			    unsigned indent)
{
	size_t consumers = 0, sources = 0;
	for (size_t i = 0; i < fan->len; i++)
		fan->branches[i].source ? sources++ : consumers++;
	bool first = true;
	if (sources)
		buf_append_str(out, "{ ");
	if (consumers) {
		buf_append_str(out, prefix);
		buf_append_str(out, *prefix ? " | tee" : "tee");
		for (size_t i = 0; i < fan->len; i++) {
			if (fan->branches[i].source)
				continue;
			newline(out, indent + 4);
			buf_append_str(out, ">(");
			chain_to_shell(&fan->branches[i].chain, out, indent + 6);
			buf_append_char(out, ')');
		}
		buf_append_str(out, " >/dev/null");
		first = false;
	} else if (*prefix) {
		buf_append_str(out, prefix);
		buf_append_str(out, " >/dev/null");
		first = false;
	}
	if (!sources)
		return;
	for (size_t i = 0; i < fan->len; i++) {
		if (!fan->branches[i].source)
			continue;
		if (!first) {
			buf_append_str(out, " &");
			newline(out, indent + 2);
		}
		first = false;
		buf_append_str(out, "{ ");
		chain_to_shell(&fan->branches[i].chain, out, indent + 4);
		buf_append_str(out, "; } </dev/null");
	}
	buf_append_str(out, " &");
	newline(out, indent + 2);
	buf_append_str(out, "wait; }");
}

/* A Kafka hop ends the pipe: the part before it runs in the background
 * with its stdout discarded, the part after it reads nothing. */
static bool hop_between(const struct pl_node *a, const struct pl_node *b)
{
	return (a->kind == PL_STAGE && a->stage.kafka_out) || (b->kind == PL_STAGE && b->stage.kafka_in);
}

static void chain_to_shell(const struct pl_chain *c, struct ward_buf *out, unsigned indent)
{
	struct ward_buf seg = WARD_BUF_INIT;
	bool hops = false;
	for (size_t i = 0; i < c->len; i++)
		if (i && hop_between(&c->nodes[i - 1], &c->nodes[i]))
			hops = true;
	if (hops)
		buf_append_str(out, "{ ");
	for (size_t i = 0; i < c->len; i++) {
		const struct pl_node *n = &c->nodes[i];
		if (i && hop_between(&c->nodes[i - 1], n)) {
			buf_append(out, seg.data, seg.len);
			buf_append_str(out, i == 1 || seg.len ? " >/dev/null &" : "");
			newline(out, indent + 2);
			buf_reset(&seg);
			buf_append_str(&seg, "</dev/null ");
		}
		if (n->kind == PL_FANOUT) {
			struct ward_buf f = WARD_BUF_INIT;
			fanout_to_shell(&n->fan, seg.len ? buf_cstr(&seg) : "", &f, indent);
			buf_reset(&seg);
			buf_append(&seg, f.data, f.len);
			buf_free(&f);
			continue;
		}
		if (seg.len && strcmp(buf_cstr(&seg), "</dev/null ") != 0) {
			buf_append_str(&seg, " |");
			newline(&seg, indent + 2);
		}
		stage_to_shell(&n->stage, &seg);
	}
	buf_append(out, seg.data, seg.len);
	if (hops)
		buf_append_str(out, "; wait; }");
	buf_free(&seg);
}

void pipeline_to_shell(const struct pipeline *p, const struct pl_env *env, struct ward_buf *out)
{
	for (size_t i = 0; i < p->nsettings; i++) {
		const char *name = p->settings[i].name;
		if (file_setting(p, name) != p->settings[i].value)
			continue;	/* shown once, with its last value */
		buf_append_str(out, "export ");
		buf_append_str(out, name);
		buf_append_char(out, '=');
		shell_quote(out, pipeline_setting(p, env, name));
		buf_append_char(out, '\n');
	}
	chain_to_shell(&p->chain, out, 0);
	buf_append_char(out, '\n');
}

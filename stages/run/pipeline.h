/* pipeline.h - pipeline files (docs/run.md): text to a tree of stages.
 *
 * A pipeline file lists one stage per line, each line the stage's own
 * command line. Lines are split into words like a POSIX shell does (single
 * and double quotes, backslash escapes, backslash-newline continuation,
 * # comments), but nothing runs a shell: the only expansion is ${NAME} and
 * ${NAME:-default}, never split into several words. Other lines:
 *
 *   NAME=VALUE           a setting: a variable for ${NAME} (the environment
 *                        and --set override it), exported to every stage
 *   include FILE         settings from FILE (relative to this file)
 *   fanout               the stream so far is copied to each branch below
 *   branch NAME          a branch that reads the copied stream
 *   source NAME          a branch with its own input (reads nothing from it)
 *   merge                the branches' outputs, merged line by line, feed
 *                        the next stage (or the pipeline's output)
 *
 * A stage word written exactly ${@} becomes the pipeline's operands (the
 * words after the file on ward-run's command line), one word each, none
 * when there are none.
 *
 * pipeline_parse() is pure: the environment and included files come through
 * the callbacks in struct pl_env, so the fuzzer and the unit tests call it
 * directly. Ownership: a struct pipeline owns every string and array in it;
 * pipeline_free() releases them. */
#ifndef WARD_RUN_PIPELINE_H
#define WARD_RUN_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define PL_MAX_TEXT (1024 * 1024)	/* bytes of one file */
#define PL_MAX_STAGES 256
#define PL_MAX_WORDS 4096		/* words of one stage line */
#define PL_MAX_DEPTH 8			/* nested fanouts, nested includes */

struct pl_stage {
	char **argv;		/* argc words, NULL-terminated */
	size_t argc;
	const char *file;	/* where it was written (points into pipeline) */
	unsigned line;
	bool kafka_in;		/* --in/-i kafka://... : restartable, no pipe in */
	bool kafka_out;		/* --out/-o kafka://... : no pipe out */
};

struct pl_node;
struct pl_chain {
	struct pl_node *nodes;	/* run left to right, joined by pipes */
	size_t len;
	size_t cap;
};

struct pl_branch {
	char *name;
	bool source;		/* true: stdin is /dev/null, not the fan-out */
	unsigned line;
	struct pl_chain chain;
};

struct pl_fanout {
	struct pl_branch *branches;
	size_t len;
	size_t cap;
};

enum pl_node_kind { PL_STAGE, PL_FANOUT };

struct pl_node {
	enum pl_node_kind kind;
	struct pl_stage stage;	/* PL_STAGE */
	struct pl_fanout fan;	/* PL_FANOUT */
	const char *file;
	unsigned line;
};

struct pl_setting {
	char *name;
	char *value;		/* the value written in the file, expanded */
};

struct pipeline {
	struct pl_chain chain;
	struct pl_setting *settings;
	size_t nsettings;
	size_t settings_cap;
	char **files;		/* names of the file and its includes */
	size_t nfiles;
	size_t nstages;
};

struct pl_env {
	/* NAME's value from outside the file (--set, then the environment),
	 * or NULL. It wins over the file's settings. */
	const char *(*lookup)(void *ctx, const char *name);
	/* Read an included file named `path` as written in `from`. Returns 0
	 * with *text (ward_xmalloc'd, *len bytes) and *resolved (its name for
	 * messages, ward_xmalloc'd), or -1 with the reason in err. NULL: every
	 * include fails. */
	int (*include)(void *ctx, const char *from, const char *path, char **text,
		       size_t *len, char **resolved, char *err, size_t errlen);
	void *ctx;
	char *const *args;	/* the operands ${@} expands to */
	size_t nargs;
};

struct pl_error {
	char file[256];
	unsigned line;
	char msg[512];
};

/* Parse text (len bytes, need not be NUL-terminated) named `file`.
 * Returns 0 with *out filled, or -1 with *err set and *out empty. */
int pipeline_parse(const char *text, size_t len, const char *file, const struct pl_env *env,
		   struct pipeline *out, struct pl_error *err);
void pipeline_free(struct pipeline *p);

/* The value of a setting as the stages see it: env lookup first, then the
 * file's. NULL if neither has it. */
const char *pipeline_setting(const struct pipeline *p, const struct pl_env *env, const char *name);

/* Append the equivalent bash pipeline (process substitution for fanouts). */
void pipeline_to_shell(const struct pipeline *p, const struct pl_env *env, struct ward_buf *out);
/* Append one word quoted for a POSIX shell (as is when that is safe). */
void shell_quote(struct ward_buf *out, const char *word);

#endif

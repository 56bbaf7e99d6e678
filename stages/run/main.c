/* ward-run - run and supervise a pipeline file (docs/run.md). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "log.h"
#include "opts.h"
#include "stage.h"
#include "stages/run/pipeline.h"
#include "stages/run/runner.h"
#include "stages/run/validate.h"
#include "wtime.h"

struct vars {
	const struct opt_list *sets;	/* --set NAME=VALUE, last one wins */
	const char *pipeline_dir;	/* absolute directory of the pipeline file */
};

static const char *lookup_var(void *ctx, const char *name)
{
	const struct vars *v = ctx;
	/* ${PIPELINE_DIR} is a fact about the file, not a setting: nothing
	 * overrides it, so ward.conf can name the rules and samples beside it
	 * whatever the working directory. */
	if (v->pipeline_dir && strcmp(name, "PIPELINE_DIR") == 0)
		return v->pipeline_dir;
	size_t n = strlen(name);
	for (size_t i = v->sets->len; i-- > 0;) {
		const char *s = v->sets->items[i];
		if (strncmp(s, name, n) == 0 && s[n] == '=')
			return s + n + 1;
	}
	return getenv(name);
}

/* The whole file, at most PL_MAX_TEXT bytes. */
static int read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > PL_MAX_TEXT) {
		snprintf(err, errlen, "%s", S_ISREG(sb.st_mode) ? "file too large" : "not a regular file");
		close(fd);
		return -1;
	}
	struct ward_buf b = WARD_BUF_INIT;
	char chunk[65536];
	ssize_t r;
	while ((r = read(fd, chunk, sizeof chunk)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || b.len + (size_t)r > PL_MAX_TEXT) {
			snprintf(err, errlen, "%s", r < 0 ? strerror(errno) : "file too large");
			close(fd);
			buf_free(&b);
			return -1;
		}
		buf_append(&b, chunk, (size_t)r);
	}
	close(fd);
	*len = b.len;
	*text = b.data ? b.data : ward_xstrdup("");
	return 0;
}

/* include FILE: relative to the directory of the including file. */
static int read_include(void *ctx, const char *from, const char *path, char **text, size_t *len,
			char **resolved, char *err, size_t errlen)
{
	(void)ctx;
	struct ward_buf full = WARD_BUF_INIT;
	const char *slash = strrchr(from, '/');
	if (path[0] != '/' && slash)
		buf_append(&full, from, (size_t)(slash - from + 1));
	buf_append_str(&full, path);
	if (read_file(buf_cstr(&full), text, len, err, errlen) != 0) {
		buf_free(&full);
		return -1;
	}
	*resolved = full.data;
	return 0;
}

static char *self_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return ward_xstrdup(exe);
}

/* The absolute directory holding `file` (NULL if it cannot be resolved). */
static char *file_dir(const char *file)
{
	char *real = realpath(file, NULL);
	if (!real)
		return NULL;
	char *slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0';	/* a file in / */
	else if (slash)
		*slash = '\0';
	return real;
}

/* For --print: a ward stage found next to ward-run is printed with its
 * absolute path, so the printed pipeline runs without bin/ on PATH (as
 * ward-run itself would run it). */
static void absolute_programs(struct pl_chain *c, const char *dir)
{
	for (size_t i = 0; dir && i < c->len; i++) {
		struct pl_node *n = &c->nodes[i];
		if (n->kind == PL_FANOUT) {
			for (size_t b = 0; b < n->fan.len; b++)
				absolute_programs(&n->fan.branches[b].chain, dir);
			continue;
		}
		char *name = n->stage.argv[0];
		if (strchr(name, '/') || strncmp(name, "ward-", 5) != 0)
			continue;
		char *path = run_resolve(name, dir);
		if (path && strncmp(path, dir, strlen(dir)) == 0 && path[strlen(dir)] == '/') {
			n->stage.argv[0] = path;
			free(name);
		} else {
			free(path);
		}
	}
}

/* Settings and --set values reach every stage through the environment. */
static void export_settings(const struct pipeline *p, const struct pl_env *env, const struct opt_list *sets)
{
	for (size_t i = 0; i < p->nsettings; i++)
		setenv(p->settings[i].name, pipeline_setting(p, env, p->settings[i].name), 1);
	for (size_t i = 0; i < sets->len; i++) {
		const char *eq = strchr(sets->items[i], '=');
		char *name = ward_xstrndup(sets->items[i], (size_t)(eq - sets->items[i]));
		setenv(name, eq + 1, 1);
		free(name);
	}
}

static void keep_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			exit(WARD_EX_OSERR);
}

static int check_sets(const struct opt_list *sets)
{
	for (size_t i = 0; i < sets->len; i++) {
		const char *s = sets->items[i], *eq = strchr(s, '=');
		bool ok = eq && eq != s && (*s == '_' || (*s | 32) >= 'a') && (*s | 32) <= 'z';
		for (const char *c = s; ok && c < eq; c++)
			ok = *c == '_' || ((*c | 32) >= 'a' && (*c | 32) <= 'z') || (*c >= '0' && *c <= '9');
		if (!ok) {
			log_error("option --set: not NAME=VALUE: %s", s);
			return -1;
		}
	}
	return 0;
}

static const char synopsis[] = "[options] FILE [ARG...]";
static const char description[] =
	"Run the pipeline FILE: one stage per line, joined by pipes (no shell), with\n"
	"fanouts, Kafka hops, ${VAR} settings and includes (see ward-run(1)). Every\n"
	"stage's command line is validated first (ward stages in check mode,\n"
	"WARD_CHECK=1); SIGINT/SIGTERM stop the first stages and the rest drain in\n"
	"order; a stage reading Kafka is restarted after a crash. At the end, the\n"
	"stages' counters are printed as one JSON line on stderr.";
static const char epilog[] =
	"exit status: 0 done, the status of the first stage that failed, 64 usage,\n"
	"78 unusable pipeline file or a stage that rejected its command line.\n"
	"example: ward-run --print pipelines/soc.pipeline";

int main(int argc, char **argv)
{
	struct ward_common_opts common;
	struct opt_list sets = { 0 };
	bool print = false, check = false, no_validate = false, table = false;
	int64_t grace = 10 * NS_PER_SEC, delay = NS_PER_SEC / 2, check_timeout = 10 * NS_PER_SEC;
	long max_restarts = 5;
	common_opts_defaults(&common);
	const struct ward_opt opts[] = {
		{ "print", 'p', OPT_FLAG, &print, NULL, "print the equivalent shell pipeline and exit", NULL },
		{ "check", 'c', OPT_FLAG, &check, NULL, "parse and validate every stage, then exit", NULL },
		{ "set", 's', OPT_LIST, &sets, "NAME=VALUE", "set a variable (wins over the environment and the file), repeatable", NULL },
		{ "no-validate", 0, OPT_FLAG, &no_validate, NULL, "start the stages without validating them first", NULL },
		{ "grace", 0, OPT_DURATION, &grace, "DURATION", "time to drain after a stop before SIGTERM, then SIGKILL (default 10s)", "WARD_RUN_GRACE" },
		{ "max-restarts", 0, OPT_INT, &max_restarts, "N", "restarts of a crashed stage reading Kafka (default 5)", NULL },
		{ "restart-delay", 0, OPT_DURATION, &delay, "DURATION", "first restart delay, doubled each time up to 30s (default 500ms)", NULL },
		{ "check-timeout", 0, OPT_DURATION, &check_timeout, "DURATION", "time allowed to each stage's validation (default 10s)", NULL },
		{ "table", 't', OPT_FLAG, &table, NULL, "also print the counters as a table on stderr", NULL },
		{ "metrics", 0, OPT_STRING, &common.metrics, "ADDR:PORT", "serve every stage's counters for Prometheus at http://ADDR:PORT/metrics (label step=N)", NULL },
		WARD_PROGRAM_OPTS(&common),
		{ 0 },
	};
	int nops, rc;
	log_init("ward-run");
	keep_std_fds();
	if (opts_parse(opts, argc, argv, &nops) != 0)
		return WARD_EX_USAGE;
	if (stage_common_flags(&common, opts, synopsis, description, epilog, &rc))
		goto out_sets;
	if (stage_check_mode())
		check = true;	/* validated as a stage of another pipeline */
	rc = WARD_EX_USAGE;
	if (nops < 1) {
		log_error("usage: ward-run %s", synopsis);
		goto out_sets;
	}
	if (check_sets(&sets) != 0 || max_restarts < 0) {
		if (max_restarts < 0)
			log_error("option --max-restarts: must be 0 or more");
		goto out_sets;
	}

	const char *file = argv[1];
	char *text = NULL, why[256];
	size_t len = 0;
	rc = WARD_EX_CONFIG;
	if (read_file(file, &text, &len, why, sizeof why) != 0) {
		log_error("%s: %s", file, why);
		goto out_sets;
	}
	char *pdir = file_dir(file);
	struct vars vars = { &sets, pdir };
	struct pl_env env = { lookup_var, read_include, &vars, argv + 2, (size_t)nops - 1 };
	struct pipeline p;
	struct pl_error perr;
	if (pipeline_parse(text, len, file, &env, &p, &perr) != 0) {
		log_error("%s:%u: %s", perr.file, perr.line, perr.msg);
		free(text);
		free(pdir);
		goto out_sets;
	}
	free(text);
	if (print) {
		char *sdir = self_dir();
		absolute_programs(&p.chain, sdir);
		free(sdir);
		struct ward_buf sh = WARD_BUF_INIT;
		pipeline_to_shell(&p, &env, &sh);
		fputs(buf_cstr(&sh), stdout);
		buf_free(&sh);
		rc = fflush(stdout) == 0 ? WARD_EX_OK : WARD_EX_IOERR;
		goto out_pipeline;
	}
	export_settings(&p, &env, &sets);
	unsetenv("WARD_CHECK");
	/* Stages get metrics sockets from --metrics only (runmetrics.h): one
	 * inherited WARD_METRICS=ADDR:PORT would make them all bind one port. */
	unsetenv("WARD_METRICS");
	setenv("WARD_RUN_COUNTERS", "1", 1);	/* stages print their counters even with -q */
	signal(SIGPIPE, SIG_IGN);
	char *dir = self_dir();
	struct run_opts ro = {
		.grace_ns = grace, .max_restarts = max_restarts, .restart_delay_ns = delay,
		.check_timeout_ns = check_timeout, .self_dir = dir, .pipeline_name = file, .table = table,
		.metrics_addr = common.metrics,
	};
	rc = no_validate && !check ? 0 : run_validate(&p, &ro);
	if (rc == 0 && check)
		log_info("%s: %zu stages valid", file, p.nstages);
	if (rc == 0 && !check) {
		struct ward_buf counters = WARD_BUF_INIT;
		rc = run_pipeline(&p, &ro, &counters);
		fprintf(stderr, "%s\n", buf_cstr(&counters));
		buf_free(&counters);
	}
	free(dir);
out_pipeline:
	pipeline_free(&p);
	free(pdir);
out_sets:
	opt_list_free(&sets);
	return rc;
}

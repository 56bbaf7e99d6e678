/* f2b_set.c - a set of fail2ban filters: loading, one event through all,
 * and the stage (see f2b_set.h). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exitcodes.h"
#include "log.h"
#include "stage.h"
#include "wtime.h"
#include "stages/match/f2b_date.h"
#include "stages/match/f2b_filter.h"
#include "stages/match/f2b_set.h"

#define F2B_FILTER_DIR "/etc/fail2ban/filter.d"

static void set_add(struct f2b_set *s, struct f2b_filter *f)
{
	s->f = ward_xrealloc(s->f, (s->n + 1) * sizeof(*s->f));
	s->f[s->n++] = f;
}

static int load_one(struct f2b_set *s, const char *spec, bool quiet_empty, size_t *refused)
{
	struct f2b_def d;
	char err[1024];
	if (f2b_def_load(spec, &d, err, sizeof(err)) != 0) {
		log_warn("fail2ban filter refused: %s", err);
		(*refused)++;
		return 0;
	}
	if (d.nfail == 0 && quiet_empty) {
		f2b_def_free(&d);
		return 0;	/* an include-only file (common.conf, apache-common.conf) */
	}
	struct f2b_filter *f = f2b_filter_new(&d, s->match_limit, s, err, sizeof(err));
	f2b_def_free(&d);
	if (!f) {
		log_warn("fail2ban filter refused: %s", err);
		(*refused)++;
		return 0;
	}
	set_add(s, f);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A bare filter name (`sshd`, `sshd[mode=ddos]`) that is no file here
 * names a filter of fail2ban's own directory, as a jail's `filter =` does. */
static char *resolve_name(const char *spec)
{
	char *path, *opts;
	struct stat st;
	if (strchr(spec, '/') || f2b_spec_split(spec, &path, &opts) != 0)
		return NULL;
	char *r = NULL;
	if (stat(path, &st) != 0) {
		struct ward_buf b = WARD_BUF_INIT;
		size_t n = strlen(path);
		buf_printf(&b, "%s/%s%s", F2B_FILTER_DIR, path, n > 5 && strcmp(path + n - 5, ".conf") == 0 ? "" : ".conf");
		if (stat(buf_cstr(&b), &st) == 0) {
			if (opts)
				buf_printf(&b, "[%s]", opts);
			r = ward_xstrdup(buf_cstr(&b));
		}
		buf_free(&b);
	}
	free(path);
	free(opts);
	return r;
}

size_t f2b_set_load(struct f2b_set *s, const char *spec, size_t *refused)
{
	struct stat st;
	size_t loaded = 0;
	char *resolved = resolve_name(spec);
	if (resolved) {
		loaded = (size_t)load_one(s, resolved, false, refused);
		free(resolved);
		return loaded;
	}
	if (!strchr(spec, '[') && stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(spec);
		if (!dir) {
			log_warn("fail2ban filters: %s: cannot read the directory", spec);
			(*refused)++;
			return 0;
		}
		char **names = NULL;
		size_t nn = 0;
		for (struct dirent *de; (de = readdir(dir)) != NULL;) {
			size_t l = strlen(de->d_name);
			if (l > 5 && strcmp(de->d_name + l - 5, ".conf") == 0 && de->d_name[0] != '.') {
				names = ward_xrealloc(names, (nn + 1) * sizeof(*names));
				names[nn++] = ward_xstrdup(de->d_name);
			}
		}
		closedir(dir);
		qsort(names, nn, sizeof(*names), cmp_str);
		for (size_t i = 0; i < nn; i++) {
			struct ward_buf p = WARD_BUF_INIT;
			buf_printf(&p, "%s/%s", spec, names[i]);
			loaded += (size_t)load_one(s, buf_cstr(&p), true, refused);
			buf_free(&p);
			free(names[i]);
		}
		free(names);
		return loaded;
	}
	return (size_t)load_one(s, spec, false, refused);
}



void f2b_set_prepare(struct f2b_set *s)
{
	if (s->gate_ready)
		return;
	s->gate_ready = true;
	s->ngated = f2b_gate_build(&s->gate, s->f, s->n);
	for (size_t k = 0; k < s->gate.nskip; k++)
		f2b_filter_gated(s->f[s->gate.skip[k]]);
	if (!s->no_prefilter)
		s->date_share = f2b_date_share_new(s->dates, s->ndates);
}

/* Filter i on ev (admitted by the gate, or a gated filter that keeps lines
 * the line is refused to): 1 when it emitted a failure, -1 when emit failed. */
static int run_filter(struct f2b_set *s, size_t i, bool admitted, const struct ward_event *ev,
		      struct ward_event *out, int (*emit)(void *ud, struct ward_event *out), void *ud)
{
	int r = admitted ? f2b_filter_event(s->f[i], ev, out) : f2b_filter_skip(s->f[i], ev, out);
	if (r != 1)
		return 0;
	return emit(ud, out) != 0 ? -1 : 1;
}

int f2b_set_event(struct f2b_set *s, const struct ward_event *ev, struct ward_event *out,
		  int (*emit)(void *ud, struct ward_event *out), void *ud)
{
	const char *line = ev->line ? ev->line : "";
	int64_t ref = ev->ts_ns != WARD_TS_NONE ? ev->ts_ns : time_now_ns();
	f2b_gate_line(&s->gate, s->no_prefilter || !s->gate_ready, line, ev->line_len);
	int found = 0, r;
	const unsigned *run;
	size_t nrun = f2b_gate_candidates(&s->gate, &run);
	if (!s->gate_ready)
		nrun = s->n;	/* no gate built: every filter */
	/* the candidates and the gated filters that keep lines (gate.skip:
	 * they see every line), both in filter order, merged */
	size_t m = 0;
	for (size_t k = 0; k <= nrun; k++) {
		size_t i = k == nrun ? s->n : s->gate_ready ? run[k] : k;
		for (; m < s->gate.nskip && s->gate.skip[m] <= i; m++)
			if (s->gate.skip[m] < i) {
				if ((r = run_filter(s, s->gate.skip[m], false, ev, out, emit, ud)) < 0)
					return -1;
				found += r;
			}
		if (k == nrun)
			break;
		bool admitted = f2b_gate_admits(&s->gate, i, s->f[i], line, ev->line_len, ref);
		if (!admitted && !(m > 0 && s->gate.skip[m - 1] == i))
			continue;
		if ((r = run_filter(s, i, admitted, ev, out, emit, ud)) < 0)
			return -1;
		found += r;
	}
	return found;
}

void f2b_set_free(struct f2b_set *s)
{
	f2b_gate_free(&s->gate);
	f2b_date_share_free(s->date_share);
	for (size_t i = 0; i < s->n; i++)
		f2b_filter_free(s->f[i]);
	free(s->f);
	for (size_t i = 0; i < s->ndates; i++)
		f2b_date_free(s->dates[i]);
	free(s->dates);
	memset(s, 0, sizeof(*s));
}

/* ---- the stage: every event through every filter ------------------------------ */

struct run {
	struct f2b_set set;
	struct ward_event out;
	uint64_t matched;
};

static int emit_out(void *ud, struct ward_event *out)
{
	return stage_emit(ud, out);
}

static int on_event(void *ctx, struct ward_stage *st, struct ward_event *ev)
{
	struct run *r = ctx;
	int emitted = f2b_set_event(&r->set, ev, &r->out, emit_out, st);
	if (emitted < 0)
		return -1;
	if (!emitted)
		st->counters.dropped++;
	else
		r->matched++;
	return 0;
}

static void explain(const struct f2b_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct f2b_filter *f = s->f[i];
		printf("filter %s (rule %s)%s\n", f2b_filter_name(f), f2b_filter_rule(f),
		       f2b_gate_always(&s->gate, i) ? ": runs on every line (no prefilter literal)" : "");
		if (f2b_filter_nregex(f, F2B_PREFREGEX))
			printf("  prefregex: %s\n", f2b_filter_regex(f, F2B_PREFREGEX, 0).src);
		for (size_t k = 0; k < f2b_filter_nregex(f, F2B_FAILREGEX); k++) {
			struct f2b_rx_info r = f2b_filter_regex(f, F2B_FAILREGEX, k);
			printf("  failregex %zu: %s%s%s%s\n", k + 1, r.src, r.litlen ? "\n    needs \"" : "", r.lit,
			       r.litlen ? "\"" : "");
		}
		for (size_t k = 0; k < f2b_filter_nregex(f, F2B_IGNOREREGEX); k++)
			printf("  ignoreregex %zu: %s\n", k + 1, f2b_filter_regex(f, F2B_IGNOREREGEX, k).src);
	}
}

int f2b_main(const struct ward_common_opts *common, const struct opt_list *specs, uint32_t match_limit,
	     bool do_explain)
{
	struct run r = { .set = { .match_limit = match_limit } };
	size_t refused = 0;
	for (size_t i = 0; i < specs->len; i++)
		f2b_set_load(&r.set, specs->items[i], &refused);
	if (r.set.n == 0) {
		log_error("fail2ban: no filter loaded (%zu refused)", refused);
		f2b_set_free(&r.set);
		return WARD_EX_CONFIG;
	}
	f2b_set_prepare(&r.set);
	log_info("fail2ban: %zu filters loaded, %zu refused; %zu gated by %zu prefilter literals", r.set.n, refused,
		 r.set.ngated, r.set.gate.nlits);
	if (do_explain) {
		explain(&r.set);	/* after f2b_set_prepare: it says which filters are gated */
		f2b_set_free(&r.set);
		return WARD_EX_OK;
	}
	event_init(&r.out);
	struct ward_stage st;
	stage_init(&st, "match", common);
	const struct stage_hooks hooks = { .on_event = on_event };
	if (stage_open(&st, false) == 0)
		stage_run(&st, &hooks, &r);
	uint64_t limit_hits = 0;
	for (size_t i = 0; i < r.set.n; i++)
		limit_hits += f2b_filter_limit_hits(r.set.f[i]);
	*counters_extra(&st.counters, "regex_limit_hits") = limit_hits;
	if (limit_hits)
		log_warn("%llu regex matches hit the PCRE2 match limit (--match-limit) and counted as no match",
			 (unsigned long long)limit_hits);
	int rc = stage_finish(&st);
	event_free(&r.out);
	f2b_set_free(&r.set);
	return rc;
}

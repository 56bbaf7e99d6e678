/* runner.c - process supervision for ward-run (see runner.h). */
#include "stages/run/runner.h"
#include "stages/run/runmetrics.h"
#include "stages/run/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "log.h"
#include "stages/run/policy.h"
#include "stages/run/relay.h"
#include "wtime.h"

extern char **environ;

enum proc_kind { PROC_STAGE, PROC_TEE, PROC_MERGE };

struct proc {
	enum proc_kind kind;
	const struct pl_stage *stage;	/* PROC_STAGE */
	const char *name;		/* for messages: argv[0] or "fanout tee" */
	char *path;
	int in_fd;			/* stdin of the child */
	int out_fd;			/* stdout of the child */
	int *fds;			/* tee: outputs; merge: inputs */
	size_t nfds;
	bool head;			/* its input is not another process: it gets the stop signal */
	bool restartable;		/* reads Kafka: keep its fds, restart on a crash */
	pid_t pid;
	bool running;
	bool finished;
	bool failed;
	int wstatus;
	unsigned restarts;
	int64_t started_ns;
	int64_t backoff_ns;
	int64_t restart_at_ns;		/* > 0: a restart is due then */
	int err_fd;			/* read end of its stderr, -1 when closed */
	bool show_counters;		/* SIGUSR1 asked: print the next counters line */
	struct ward_buf errline;
	char *counters;			/* its last counters line */
	size_t stage_no;		/* PROC_STAGE: 0-based, in start order */
	char **envp;			/* environment for execve while spawning */
};

struct runner {
	const struct run_opts *o;
	struct run_metrics *metrics;	/* --metrics, or NULL */
	struct proc *procs;
	size_t nprocs;
	size_t cap;
	pid_t pgid;			/* 0: children share ward-run's group */
	bool own_group;
	int sigfd;
	bool stopping;
	int stop_stage;			/* 0 none, 1 heads signalled, 2 all SIGTERM, 3 all SIGKILL */
	int64_t stop_deadline_ns;
	int exit_code;
	bool have_failure;
	sigset_t old_mask;
};

/* ---- planning: processes and the fds between them -------------------------- */

static struct proc *proc_add(struct runner *r, enum proc_kind kind)
{
	if (r->nprocs == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->procs = ward_xrealloc(r->procs, r->cap * sizeof *r->procs);
	}
	struct proc *p = &r->procs[r->nprocs++];
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->in_fd = p->out_fd = p->err_fd = -1;
	p->pid = -1;
	return p;
}

static int devnull(int flags)
{
	int fd = open("/dev/null", flags | O_CLOEXEC);
	if (fd < 0) {
		log_error("opening /dev/null failed: %s", strerror(errno));
		exit(WARD_EX_OSERR);
	}
	return fd;
}

static void xpipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) != 0) {
		log_error("pipe: %s", strerror(errno));
		exit(WARD_EX_OSERR);
	}
}

static bool hop(const struct pl_node *a, const struct pl_node *b)
{
	return (a->kind == PL_STAGE && a->stage.kafka_out) || (b->kind == PL_STAGE && b->stage.kafka_in);
}

static void plan_chain(struct runner *r, const struct pl_chain *c, int in_fd, bool in_head, int out_fd);

static void plan_fanout(struct runner *r, const struct pl_fanout *fan, int in_fd, bool in_head,
			bool first, int out_fd)
{
	struct proc *tee = NULL;
	size_t consumers = 0;
	for (size_t i = 0; i < fan->len; i++)
		consumers += !fan->branches[i].source;
	if (consumers || !first) {
		/* With no consuming branch the tee only drains the stream. */
		tee = proc_add(r, PROC_TEE);
		tee->name = "fanout tee";
		tee->in_fd = in_fd;
		tee->head = in_head;
		tee->fds = ward_xcalloc(consumers + 1, sizeof *tee->fds);
	} else if (in_fd > 2) {
		close(in_fd);
	}
	size_t tee_index = tee ? (size_t)(tee - r->procs) : 0;
	struct proc *merge = proc_add(r, PROC_MERGE);
	size_t merge_index = (size_t)(merge - r->procs);
	merge->name = "fanout merge";
	merge->out_fd = out_fd;
	merge->fds = ward_xcalloc(fan->len, sizeof *merge->fds);
	for (size_t i = 0; i < fan->len; i++) {
		const struct pl_branch *b = &fan->branches[i];
		int to_branch[2], from_branch[2];
		int b_in;
		if (b->source) {
			b_in = devnull(O_RDONLY);
		} else {
			xpipe(to_branch);
			b_in = to_branch[0];
			struct proc *t = &r->procs[tee_index];
			t->fds[t->nfds++] = to_branch[1];
		}
		xpipe(from_branch);
		struct proc *m = &r->procs[merge_index];
		m->fds[m->nfds++] = from_branch[0];
		plan_chain(r, &b->chain, b_in, b->source, from_branch[1]);
	}
}

static void plan_chain(struct runner *r, const struct pl_chain *c, int in_fd, bool in_head, int out_fd)
{
	int next_in = in_fd;
	bool next_head = in_head;
	for (size_t i = 0; i < c->len; i++) {
		const struct pl_node *n = &c->nodes[i];
		int this_out, pipefd[2] = { -1, -1 };
		bool last = i + 1 == c->len;
		if (last)
			this_out = out_fd;
		else if (hop(n, &c->nodes[i + 1]))
			this_out = devnull(O_WRONLY);
		else {
			xpipe(pipefd);
			this_out = pipefd[1];
		}
		if (n->kind == PL_FANOUT) {
			plan_fanout(r, &n->fan, next_in, next_head, i == 0 && in_fd == 0, this_out);
		} else {
			struct proc *p = proc_add(r, PROC_STAGE);
			p->stage = &n->stage;
			p->name = n->stage.argv[0];
			p->in_fd = next_in;
			p->out_fd = this_out;
			p->head = next_head;
			p->restartable = n->stage.kafka_in;
		}
		if (!last && pipefd[0] >= 0) {
			next_in = pipefd[0];
			next_head = false;
		} else if (!last) {
			next_in = devnull(O_RDONLY);
			next_head = true;
		}
	}
}

/* ---- spawning ------------------------------------------------------------------ */

static void close_fd(int *fd)
{
	if (*fd > 2)
		close(*fd);
	*fd = -1;
}

/* In a forked helper: close every inherited descriptor but the ones it uses. */
static void keep_only(const int *keep, size_t n, int maxfd)
{
	for (int fd = 3; fd <= maxfd; fd++) {
		bool k = false;
		for (size_t i = 0; i < n && !k; i++)
			k = keep[i] == fd;
		if (!k)
			close(fd);
	}
}

static int highest_fd(const struct runner *r)
{
	int m = r->sigfd;
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct proc *p = &r->procs[i];
		m = p->in_fd > m ? p->in_fd : m;
		m = p->out_fd > m ? p->out_fd : m;
		m = p->err_fd > m ? p->err_fd : m;
		for (size_t j = 0; j < p->nfds; j++)
			m = p->fds[j] > m ? p->fds[j] : m;
	}
	return m + 64;	/* and whatever the libraries opened */
}

static _Noreturn void child_helper(struct runner *r, struct proc *p)
{
	signal(SIGINT, SIG_IGN);	/* a terminal ^C: keep relaying until EOF */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
	int keep[1 + 1 + 256];
	size_t nk = 0;
	int in = p->in_fd, out = p->out_fd;
	keep[nk++] = p->kind == PROC_TEE ? in : out;
	for (size_t i = 0; i < p->nfds && nk < sizeof keep / sizeof keep[0]; i++)
		keep[nk++] = p->fds[i];
	keep_only(keep, nk, highest_fd(r));
	int rc = p->kind == PROC_TEE ? relay_tee(in, p->fds, p->nfds) : relay_merge(p->fds, p->nfds, out);
	_exit(rc);
}

static _Noreturn void child_stage(struct runner *r, struct proc *p, int err_w)
{
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
	/* Should ward-run itself die (SIGKILL), its stages stop instead of
	 * running on unsupervised. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* Move the three descriptors out of the way before placing them. */
	int in = fcntl(p->in_fd, F_DUPFD_CLOEXEC, 3);
	int out = fcntl(p->out_fd, F_DUPFD_CLOEXEC, 3);
	int err = fcntl(err_w, F_DUPFD_CLOEXEC, 3);
	if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(WARD_EX_OSERR);
	execve(p->path, p->stage->argv, p->envp ? p->envp : environ);
	dprintf(2, "ward-run: %s: cannot execute: %s\n", p->path, strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* environ without WARD_METRICS, plus the stage's private socket. */
static char **stage_env(struct run_metrics *m, size_t stage_no)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **e = ward_xcalloc(n + 2, sizeof(*e));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "WARD_METRICS=", 13) != 0)
			e[k++] = environ[i];
	e[k] = (char *)run_metrics_env(m, stage_no);
	return e;
}

static int spawn(struct runner *r, struct proc *p)
{
	int errp[2] = { -1, -1 };
	if (p->kind == PROC_STAGE) {
		xpipe(errp);
		fcntl(errp[0], F_SETFL, O_NONBLOCK);
	}
	if (p->kind == PROC_STAGE && r->metrics)
		p->envp = stage_env(r->metrics, p->stage_no);
	pid_t pid = fork();
	if (pid > 0 || pid < 0) {
		free(p->envp);	/* the strings belong to environ and r->metrics */
		p->envp = NULL;
	}
	if (pid < 0) {
		log_error("fork: %s", strerror(errno));
		close_fd(&errp[0]);
		close_fd(&errp[1]);
		return -1;
	}
	if (pid == 0) {
		if (r->own_group)
			setpgid(0, r->pgid);
		if (p->kind == PROC_STAGE)
			child_stage(r, p, errp[1]);
		child_helper(r, p);
	}
	if (r->own_group) {
		if (r->pgid == 0)
			r->pgid = pid;
		setpgid(pid, r->pgid);	/* also here: no race with the first kill() */
	}
	p->pid = pid;
	p->running = true;
	p->started_ns = time_mono_ns();
	if (p->kind == PROC_STAGE) {
		close(errp[1]);
		p->err_fd = errp[0];
	}
	log_debug("started %s (pid %d)", p->name, (int)pid);
	return 0;
}

/* After the first start: the parent keeps only what a restart needs. */
static void release_fds(struct proc *p)
{
	if (p->restartable)
		return;
	close_fd(&p->in_fd);
	close_fd(&p->out_fd);
	for (size_t i = 0; i < p->nfds; i++)
		close_fd(&p->fds[i]);
}

static void release_kept(struct proc *p)
{
	close_fd(&p->in_fd);
	close_fd(&p->out_fd);
}

/* ---- stderr of the children ------------------------------------------------------ */

static void errline_done(struct proc *p)
{
	struct ward_buf *b = &p->errline;
	if (policy_counters_line(b->data, b->len)) {
		free(p->counters);
		p->counters = ward_xstrndup(b->data, b->len);
		/* Asked for with SIGUSR1: shown, tagged with the stage's line,
		 * while the last one is still kept for the summary at the end. */
		if (p->show_counters) {
			p->show_counters = false;
			fprintf(stderr, "ward-run: line %u %s: %s\n", p->stage->line, p->stage->argv[0],
				p->counters);
		}
	} else {
		buf_append_char(b, '\n');
		ssize_t w = write(2, b->data, b->len);
		(void)w;
	}
	buf_reset(b);
}

static void read_stderr(struct proc *p)
{
	char chunk[8192];
	for (;;) {
		ssize_t n = read(p->err_fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			if (p->errline.len)
				errline_done(p);
			close_fd(&p->err_fd);
			return;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (chunk[i] == '\n')
				errline_done(p);
			else if (p->errline.len < 65536)
				buf_append_char(&p->errline, chunk[i]);
		}
	}
}

/* ---- ends, restarts and stopping -------------------------------------------------- */

static void signal_procs(struct runner *r, int sig, bool heads_only)
{
	for (size_t i = 0; i < r->nprocs; i++) {
		struct proc *p = &r->procs[i];
		if (!p->running || (heads_only && !p->head))
			continue;
		/* Helpers ignore SIGINT on purpose: they stop by SIGTERM. */
		int s = p->kind != PROC_STAGE && sig == SIGINT ? SIGTERM : sig;
		kill(p->pid, s);
	}
}

static void begin_stop(struct runner *r, int sig)
{
	int64_t now = time_mono_ns();
	if (!r->stopping) {
		r->stopping = true;
		r->stop_stage = 1;
		r->stop_deadline_ns = now + r->o->grace_ns;
		for (size_t i = 0; i < r->nprocs; i++) {
			struct proc *p = &r->procs[i];
			if (p->restart_at_ns > 0) {	/* a pending restart is cancelled */
				p->restart_at_ns = 0;
				p->finished = true;
				release_kept(p);
			}
		}
		signal_procs(r, sig, true);
		return;
	}
	/* A second stop request: do not wait for the drain. */
	if (r->stop_stage < 2) {
		r->stop_stage = 2;
		r->stop_deadline_ns = now + r->o->grace_ns;
		signal_procs(r, SIGTERM, false);
	}
}

static void stop_escalate(struct runner *r)
{
	if (!r->stopping || time_mono_ns() < r->stop_deadline_ns)
		return;
	if (r->stop_stage == 1) {
		char grace[32];
		duration_format_human(r->o->grace_ns, grace, sizeof grace);
		log_warn("stages still running %s after the stop: sending SIGTERM", grace);
		r->stop_stage = 2;
		r->stop_deadline_ns = time_mono_ns() + r->o->grace_ns;
		signal_procs(r, SIGTERM, false);
	} else if (r->stop_stage == 2) {
		log_warn("stages still running: sending SIGKILL");
		r->stop_stage = 3;
		r->stop_deadline_ns = INT64_MAX;
		signal_procs(r, SIGKILL, false);
	}
}

static void proc_failed(struct runner *r, struct proc *p, int ws)
{
	int code = policy_exit_code(ws);
	p->failed = true;
	if (p->stage)
		log_error("%s:%u: %s failed with status %d", p->stage->file, p->stage->line, p->name, code);
	else
		log_error("%s failed with status %d", p->name, code);
	if (!r->have_failure) {
		r->have_failure = true;
		r->exit_code = code;
	}
	begin_stop(r, SIGTERM);
}

static void proc_ended(struct runner *r, struct proc *p, int ws)
{
	int64_t now = time_mono_ns();
	p->running = false;
	p->wstatus = ws;
	if (policy_clean_end(ws, r->stopping)) {
		p->finished = true;
		release_kept(p);
		return;
	}
	if (p->restartable && !r->stopping && policy_restartable(ws) &&
	    (long)p->restarts < r->o->max_restarts) {
		p->backoff_ns = policy_backoff(p->backoff_ns, r->o->restart_delay_ns, now - p->started_ns);
		p->restart_at_ns = now + p->backoff_ns;
		p->restarts++;
		char delay[32];
		duration_format_human(p->backoff_ns, delay, sizeof delay);
		log_warn("%s:%u: %s ended with status %d; restart %u of %ld in %s", p->stage->file,
			 p->stage->line, p->name, policy_exit_code(ws), p->restarts, r->o->max_restarts,
			 delay);
		return;
	}
	p->finished = true;
	release_kept(p);
	proc_failed(r, p, ws);
}

static void reap(struct runner *r)
{
	int ws;
	pid_t pid;
	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0) {
		for (size_t i = 0; i < r->nprocs; i++)
			if (r->procs[i].pid == pid && r->procs[i].running) {
				proc_ended(r, &r->procs[i], ws);
				break;
			}
	}
}

static void due_restarts(struct runner *r)
{
	int64_t now = time_mono_ns();
	for (size_t i = 0; i < r->nprocs; i++) {
		struct proc *p = &r->procs[i];
		if (p->restart_at_ns > 0 && now >= p->restart_at_ns) {
			p->restart_at_ns = 0;
			if (p->err_fd >= 0)	/* what the last run said, before the new one */
				read_stderr(p);
			close_fd(&p->err_fd);
			buf_reset(&p->errline);
			if (spawn(r, p) != 0) {
				p->finished = true;
				release_kept(p);
				proc_failed(r, p, WARD_EX_OSERR << 8);
			}
		}
	}
}

static void handle_signals(struct runner *r)
{
	struct signalfd_siginfo si;
	while (read(r->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			break;	/* reaped below */
		case SIGINT:
		case SIGTERM:
		case SIGHUP:
			log_info("received signal %u: stopping the pipeline", si.ssi_signo);
			begin_stop(r, si.ssi_signo == SIGHUP ? SIGTERM : (int)si.ssi_signo);
			break;
		case SIGUSR1:
			for (size_t i = 0; i < r->nprocs; i++)
				if (r->procs[i].running && r->procs[i].kind == PROC_STAGE) {
					r->procs[i].show_counters = true;
					kill(r->procs[i].pid, SIGUSR1);
				}
			break;
		}
	}
	reap(r);
}

/* ---- the loop ---------------------------------------------------------------------- */

static bool all_done(const struct runner *r)
{
	for (size_t i = 0; i < r->nprocs; i++)
		if (!r->procs[i].finished || r->procs[i].err_fd >= 0)
			return false;
	return true;
}

static int next_timeout_ms(const struct runner *r)
{
	int64_t next = INT64_MAX, now = time_mono_ns();
	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].restart_at_ns > 0 && r->procs[i].restart_at_ns < next)
			next = r->procs[i].restart_at_ns;
	if (r->stopping && r->stop_deadline_ns < next)
		next = r->stop_deadline_ns;
	if (next == INT64_MAX)
		return -1;
	int64_t ms = (next - now) / 1000000 + 1;
	return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

static void loop(struct runner *r)
{
	struct pollfd *pfds = ward_xcalloc(r->nprocs + 1, sizeof *pfds);
	bool procs_gone_logged = false;
	int64_t stderr_deadline = 0;
	while (!all_done(r)) {
		size_t n = 0;
		pfds[n++] = (struct pollfd){ .fd = r->sigfd, .events = POLLIN };
		for (size_t i = 0; i < r->nprocs; i++)
			pfds[n++] = (struct pollfd){ .fd = r->procs[i].err_fd, .events = POLLIN };
		int timeout = next_timeout_ms(r);
		bool all_ended = true;
		for (size_t i = 0; i < r->nprocs; i++)
			all_ended = all_ended && r->procs[i].finished;
		if (all_ended) {
			/* A grandchild may hold a stderr pipe open: wait for it a little. */
			if (!procs_gone_logged) {
				procs_gone_logged = true;
				stderr_deadline = time_mono_ns() + 2 * NS_PER_SEC;
			}
			if (time_mono_ns() >= stderr_deadline)
				break;
			timeout = 100;
		}
		if (poll(pfds, n, timeout) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		for (size_t i = 0; i < r->nprocs; i++)
			if (pfds[i + 1].fd >= 0 && pfds[i + 1].revents)
				read_stderr(&r->procs[i]);
		if (pfds[0].revents & POLLIN)
			handle_signals(r);
		due_restarts(r);
		stop_escalate(r);
	}
	for (size_t i = 0; i < r->nprocs; i++)
		close_fd(&r->procs[i].err_fd);
	free(pfds);
}

/* ---- combined counters ----------------------------------------------------------- */

static void combined_counters(const struct runner *r, struct ward_buf *out)
{
	json_object *top = json_object_new_object(), *stages = json_object_new_array();
	json_object_object_add(top, "stage", json_object_new_string("run"));
	json_object_object_add(top, "pipeline", json_object_new_string(r->o->pipeline_name));
	json_object_object_add(top, "status", json_object_new_int(r->exit_code));
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct proc *p = &r->procs[i];
		if (p->kind != PROC_STAGE)
			continue;
		json_object *s = json_object_new_object();
		json_object_object_add(s, "line", json_object_new_int((int)p->stage->line));
		json_object_object_add(s, "program", json_object_new_string(p->name));
		json_object_object_add(s, "status", json_object_new_int(policy_exit_code(p->wstatus)));
		json_object_object_add(s, "restarts", json_object_new_int((int)p->restarts));
		json_object *c = p->counters ? json_tokener_parse(p->counters) : NULL;
		if (c)
			json_object_object_add(s, "counters", c);
		json_object_array_add(stages, s);
	}
	json_object_object_add(top, "stages", stages);
	buf_append_str(out, json_object_to_json_string_ext(top, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(top);
}

static uint64_t counter_of(const char *json, const char *key)
{
	json_object *o = json ? json_tokener_parse(json) : NULL, *v;
	uint64_t n = 0;
	if (o && json_object_object_get_ex(o, key, &v))
		n = (uint64_t)json_object_get_int64(v);
	json_object_put(o);
	return n;
}

static void print_table(const struct runner *r)
{
	/* late: events ward-window ignored as older than the watermark */
	fprintf(stderr, "%-5s %-14s %6s %8s %10s %10s %10s %10s %10s\n", "line", "program", "status",
		"restarts", "in", "out", "dropped", "malformed", "late");
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct proc *p = &r->procs[i];
		if (p->kind != PROC_STAGE)
			continue;
		const char *base = strrchr(p->name, '/');
		fprintf(stderr, "%-5u %-14.14s %6d %8u %10llu %10llu %10llu %10llu %10llu\n", p->stage->line,
			base ? base + 1 : p->name, policy_exit_code(p->wstatus), p->restarts,
			(unsigned long long)counter_of(p->counters, "in"),
			(unsigned long long)counter_of(p->counters, "out"),
			(unsigned long long)counter_of(p->counters, "dropped"),
			(unsigned long long)counter_of(p->counters, "malformed"),
			(unsigned long long)counter_of(p->counters, "late"));
	}
}

/* ---- entry ---------------------------------------------------------------------------- */

static int setup_signals(struct runner *r)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, &r->old_mask) != 0)
		return -1;
	r->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return r->sigfd < 0 ? -1 : 0;
}

static void runner_free(struct runner *r)
{
	for (size_t i = 0; i < r->nprocs; i++) {
		struct proc *p = &r->procs[i];
		release_kept(p);
		for (size_t j = 0; j < p->nfds; j++)
			close_fd(&p->fds[j]);
		free(p->fds);
		free(p->path);
		free(p->counters);
		buf_free(&p->errline);
	}
	free(r->procs);
	run_metrics_free(r->metrics);
	if (r->sigfd >= 0)
		close(r->sigfd);
	sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
}

int run_pipeline(const struct pipeline *pl, const struct run_opts *o, struct ward_buf *counters)
{
	struct runner r = { .o = o, .sigfd = -1 };
	/* Children get their own process group so that a terminal's ^C reaches
	 * only ward-run, which stops the stages in order; with a terminal on
	 * stdin they stay in ours, or the first stage could not read it. */
	r.own_group = !isatty(0);
	if (setup_signals(&r) != 0) {
		log_error("signals: %s", strerror(errno));
		return WARD_EX_OSERR;
	}
	plan_chain(&r, &pl->chain, 0, true, 1);
	for (size_t i = 0; i < r.nprocs; i++) {
		struct proc *p = &r.procs[i];
		if (p->kind == PROC_STAGE && !(p->path = run_resolve(p->stage->argv[0], o->self_dir))) {
			log_error("%s:%u: %s: program not found or not executable", p->stage->file, p->stage->line,
				  p->name);
			runner_free(&r);
			return WARD_EX_CONFIG;
		}
	}
	if (o->metrics_addr && *o->metrics_addr) {
		size_t n = 0;
		for (size_t i = 0; i < r.nprocs; i++)
			if (r.procs[i].kind == PROC_STAGE)
				r.procs[i].stage_no = n++;
		char err[512];
		if (!(r.metrics = run_metrics_new(n, err, sizeof err)) ||
		    run_metrics_listen(r.metrics, o->metrics_addr, err, sizeof err) != 0) {
			int rc = errno == EINVAL ? WARD_EX_USAGE : WARD_EX_UNAVAILABLE;
			log_error("option --metrics: %s", err);
			runner_free(&r);
			return rc;
		}
		for (size_t i = 0; i < r.nprocs; i++)
			if (r.procs[i].kind == PROC_STAGE)
				run_metrics_describe(r.metrics, r.procs[i].stage_no, r.procs[i].name,
						     r.procs[i].stage->line);
	}
	for (size_t i = 0; i < r.nprocs && !r.stopping; i++) {
		if (spawn(&r, &r.procs[i]) != 0) {
			r.procs[i].finished = true;
			proc_failed(&r, &r.procs[i], WARD_EX_OSERR << 8);
		}
	}
	for (size_t i = 0; i < r.nprocs; i++) {
		release_fds(&r.procs[i]);
		if (!r.procs[i].running && !r.procs[i].finished)
			r.procs[i].finished = true;	/* never started: we were stopping */
	}
	loop(&r);
	combined_counters(&r, counters);
	if (o->table)
		print_table(&r);
	int rc = r.exit_code;
	runner_free(&r);
	return rc;
}

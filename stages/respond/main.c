/* ward-respond - bans the source of each firing alert, with TTLs, an
 * allowlist, rate limits, a state journal and an audit event per action.
 *
 * Reads alerts (ward events) and writes one audit event per ban, unban,
 * extension, refusal and error. Admin commands (--list, --unban, --flush)
 * work on the same journal and firewall and exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "exitcodes.h"
#include "signals.h"
#include "stage.h"
#include "stage_cli.h"
#include "stages/respond/allowfile.h"
#include "stages/respond/docker.h"
#include "stages/respond/fwexec.h"
#include "stages/respond/netinfo.h"
#include "stages/respond/responder.h"
#include "wtime.h"

struct respond_opts {
	const char *backend;
	const char *netns;
	const char *container;
	const char *docker_socket;
	const char *exec_ban;
	const char *exec_unban;
	const char *field;
	const char *state;
	const char *webhook;
	const char *unban;
	const char *allow_file;
	struct opt_list allow;
	int64_t ban_time, max_ban_time, forget, webhook_timeout;
	double escalate;
	long v6_prefix, rate, max_bans;
	bool dry_run, no_default_allow, any_event, slack, list, flush, linger;
};

static const char synopsis[] = "[options]";
static const char description[] =
	"Ban the source address of each firing alert (field --field, default src_ip) for\n"
	"--ban-time, longer for repeat offenders, through nftables (default), iptables\n"
	"with ipset, a Docker container, or an exec command; write one audit event per\n"
	"ban, unban, extension, refusal and error. Addresses are parsed strictly and\n"
	"printed canonically; nothing from an alert ever reaches a shell. Loopback, the\n"
	"host's own addresses and --allow are never banned.";
static const char epilog[] =
	"exit status: 0 done, 64 usage (a bad option or option value), 65 bad input with --strict,\n"
	"69 firewall or namespace unavailable, 74 I/O error, 78 a bad --allow-file.\n"
	"example: ward-window ... | ward-respond --netns victim --ban-time 10m --state /var/lib/ward/respond.journal";

struct main_ctx {
	struct responder r;
	struct ward_stage st;
	bool linger;
	uint64_t *bans_active;	/* gauge: bans in place (--metrics) */
	const char *allow_file;
};

static int publish_active(struct main_ctx *m, int rc)
{
	if (m->bans_active)
		__atomic_store_n(m->bans_active, (uint64_t)m->r.table.active, __ATOMIC_RELAXED);
	return rc;
}

/* SIGHUP reloads --allow-file; the handler only sets the flag. */
static volatile sig_atomic_t hup_flag;

static void on_hup(int sig)
{
	(void)sig;
	hup_flag = 1;
}

/* -v: the allowlist in force, one entry per line, with why it is there. */
static void log_allowlist(const struct respond_policy *p)
{
	if (log_level() < LOG_LVL_DEBUG)
		return;
	for (size_t i = 0; i < p->nallow; i++) {
		char c[64];
		cidr_format(&p->allow[i], c, sizeof c);
		log_debug("allowlist: %s (%s)", c, p->allow_why[i]);
	}
}

static void reload_allow_file(struct main_ctx *m)
{
	char err[512];
	hup_flag = 0;
	if (!m->allow_file)
		return;
	long n = allowfile_load(&m->r.policy, m->allow_file, err, sizeof err);
	if (n < 0) {
		log_error("SIGHUP: --allow-file not reloaded, the previous allowlist stays: %s", err);
		return;
	}
	log_info("SIGHUP: %s reloaded: %ld entries", m->allow_file, n);
	log_allowlist(&m->r.policy);
}

static int emit(void *ctx, const struct ward_event *ev)
{
	struct main_ctx *m = ctx;
	return stage_emit(&m->st, ev);
}

static int on_event(void *ctx, struct ward_stage *st, struct ward_event *ev)
{
	struct main_ctx *m = ctx;
	(void)st;
	if (hup_flag)
		reload_allow_file(m);
	return publish_active(m, responder_event(&m->r, ev, time_now_ns()));
}

static int on_tick(void *ctx, struct ward_stage *st, int64_t now_mono)
{
	struct main_ctx *m = ctx;
	(void)st, (void)now_mono;
	if (hup_flag)
		reload_allow_file(m);
	return publish_active(m, responder_tick(&m->r, time_now_ns()));
}

/* Ten years: keeps now + ttl far from int64 overflow. */
#define MAX_SANE_DURATION (3650 * 86400 * NS_PER_SEC)

/* --linger: at end of input, stay until every ban has expired, so backends
 * without kernel timeouts (docker, exec) get their unbans. A stop signal
 * ends the wait. */
static int on_end(void *ctx, struct ward_stage *st)
{
	struct main_ctx *m = ctx;

	while (m->linger && m->r.table.active > 0 && !signals_stop_requested() &&
	       !st->output_closed) {
		responder_tick(&m->r, time_now_ns());
		if (output_flush(st->out, 0) != 0)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000000 }, NULL);
	}
	return publish_active(m, 0);
}

static int config_policy(struct respond_policy *p, const struct respond_opts *o)
{
	if (o->ban_time <= 0 || o->max_ban_time < o->ban_time) {
		log_error("option --ban-time: must be > 0 and <= --max-ban-time");
		return -1;
	}
	if (o->max_ban_time > MAX_SANE_DURATION || o->forget > MAX_SANE_DURATION) {
		log_error("options --max-ban-time and --forget: at most 3650d");
		return -1;
	}
	if (o->escalate < 1.0 || o->escalate > 1000.0) {
		log_error("option --escalate: factor must be between 1 and 1000");
		return -1;
	}
	if (o->v6_prefix != 64 && o->v6_prefix != 128) {
		log_error("option --v6-prefix: must be 128 or 64");
		return -1;
	}
	if (o->rate < 0 || o->max_bans < 0) {
		log_error("options --rate and --max-bans: must be >= 0");
		return -1;
	}
	p->ban_ns = o->ban_time;
	p->max_ban_ns = o->max_ban_time;
	p->factor = o->escalate;
	p->forget_ns = o->forget;
	p->v6_prefix = (unsigned)o->v6_prefix;
	p->rate_per_min = (unsigned)o->rate;
	p->max_bans = (size_t)o->max_bans;
	for (size_t i = 0; i < o->allow.len; i++) {
		const char *a = o->allow.items[i];
		if (policy_allow(p, a, strlen(a), "config") != 0) {
			log_error("option --allow: not an address or CIDR: %s", a);
			return -1;
		}
	}
	return 0;
}

/* --allow-file at start: a bad file is a configuration error (78). */
static int load_allow_file(struct main_ctx *m, const struct respond_opts *o)
{
	char err[512];
	m->allow_file = o->allow_file;
	if (!o->allow_file)
		return 0;
	long n = allowfile_load(&m->r.policy, o->allow_file, err, sizeof err);
	if (n < 0) {
		log_error("option --allow-file: %s", err);
		return WARD_EX_CONFIG;
	}
	log_debug("%s: %ld allowlist entries", o->allow_file, n);
	return 0;
}

static int config_backend(struct responder *r, const struct respond_opts *o)
{
	char err[256];

	r->ops = fw_backend_find(o->backend);
	if (!r->ops) {
		log_error("option --backend: unknown backend: %s (nftables, iptables, docker, exec, none)",
			  o->backend);
		return -1;
	}
	r->cfg.container = o->container;
	r->cfg.docker_socket = o->docker_socket;
	if (r->ops == &fw_docker_ops && (!o->container || !docker_name_ok(o->container))) {
		log_error("option --container: docker backend needs a container name or id");
		return -1;
	}
	if (r->ops == &fw_exec_ops && !o->exec_ban) {
		log_error("option --exec-ban: exec backend needs a command template");
		return -1;
	}
	if (o->exec_ban && exec_tmpl_parse(o->exec_ban, &r->cfg.exec_ban, err, sizeof(err)) != 0) {
		log_error("option --exec-ban: %s", err);
		return -1;
	}
	if (o->exec_unban && exec_tmpl_parse(o->exec_unban, &r->cfg.exec_unban, err, sizeof(err)) != 0) {
		log_error("option --exec-unban: %s", err);
		return -1;
	}
	if (o->netns && !fwexec_netns_name_ok(o->netns)) {
		log_error("option --netns: not a namespace name: %s", o->netns);
		return -1;
	}
	if (o->webhook) {
		r->hook = webhook_new(o->webhook, o->slack, (long)(o->webhook_timeout / 1000000), err, sizeof(err));
		if (!r->hook) {
			log_error("option --webhook: %s", err);
			return -1;
		}
	}
	r->dry_run = o->dry_run;
	r->field = o->field;
	r->any_event = o->any_event;
	return 0;
}

/* Loopback, link-local ranges, this host's addresses, broadcasts and
 * gateways, and those of the namespace we act in. */
static void default_allow(struct responder *r, bool in_netns)
{
	struct ward_ip addrs[FWEXEC_MAX_ADDRS];
	size_t n;

	policy_allow_loopback(&r->policy);
	n = netinfo_never_ban(addrs, FWEXEC_MAX_ADDRS);
	for (size_t i = 0; i < n; i++) {
		struct ward_cidr c = { .ip = addrs[i], .prefix = addrs[i].family == AF_INET ? 32 : 128 };
		policy_allow_cidr(&r->policy, &c, "host");
	}
	if (!in_netns || !r->fw_open)
		return;
	n = fwexec_addrs(&r->fw, addrs, FWEXEC_MAX_ADDRS);
	for (size_t i = 0; i < n; i++) {
		struct ward_cidr c = { .ip = addrs[i], .prefix = addrs[i].family == AF_INET ? 32 : 128 };
		policy_allow_cidr(&r->policy, &c, "namespace");
	}
}

static int parse_admin_target(const struct responder *r, const char *s, struct ward_cidr *c)
{
	unsigned full;

	if (cidr_parse(s, strlen(s), c) != 0)
		return -1;
	full = c->ip.family == AF_INET ? 32 : 128;
	if (c->prefix == full && c->ip.family == AF_INET6 && r->policy.v6_prefix == 64)
		ip_mask(&c->ip, c->prefix = 64);	/* the /64 it was banned as */
	return c->prefix == full || (c->ip.family == AF_INET6 && c->prefix == 64) ? 0 : -1;
}

static int run_admin(struct main_ctx *m, const struct respond_opts *o)
{
	int64_t now = time_now_ns();

	if (o->list)
		return responder_list(&m->r, now) == 0 ? WARD_EX_OK : WARD_EX_IOERR;
	if (o->unban) {
		struct ward_cidr c;
		if (parse_admin_target(&m->r, o->unban, &c) != 0) {
			log_error("option --unban: not an address (or IPv6 /64): %s", o->unban);
			return WARD_EX_USAGE;
		}
		return responder_unban(&m->r, &c, "admin", now) == 0 ? WARD_EX_OK : WARD_EX_UNAVAILABLE;
	}
	return responder_flush(&m->r, now) == 0 ? WARD_EX_OK : WARD_EX_UNAVAILABLE;
}

static int run(struct main_ctx *m, const struct respond_opts *o)
{
	char err[320];
	bool admin = o->list || o->unban || o->flush;

	if (stage_open(&m->st, admin) != 0)
		return m->st.exit_code;
	/* The dry run changes nothing, but a namespace that does not exist is
	 * a mistake it must still report, as the real run would. */
	if (o->dry_run && o->netns && !fwexec_netns_exists(o->netns)) {
		log_error("option --netns: namespace %s not found (/run/netns/%s)", o->netns, o->netns);
		return WARD_EX_UNAVAILABLE;
	}
	if (!o->list && responder_open_backend(&m->r, o->netns, err, sizeof(err)) != 0) {
		log_error("%s backend unavailable: %s", m->r.ops->name, err);
		return WARD_EX_UNAVAILABLE;
	}
	if (!o->no_default_allow)
		default_allow(&m->r, o->netns != NULL);
	log_allowlist(&m->r.policy);
	if (o->state && responder_open_journal(&m->r, o->state, err, sizeof(err)) != 0) {
		log_error("%s", err);
		return WARD_EX_IOERR;
	}
	if (o->list && !o->state) {
		log_error("option --list: needs --state (the journal to read)");
		return WARD_EX_USAGE;
	}
	if (admin)
		return run_admin(m, o);
	if (responder_restore(&m->r, time_now_ns()) != 0 && !m->r.dry_run)
		return WARD_EX_UNAVAILABLE;
	publish_active(m, 0);
	const struct stage_hooks hooks = { .on_event = on_event, .on_tick = on_tick, .on_end = on_end,
					   .tick_ms = 100 };
	m->linger = o->linger;
	stage_run(&m->st, &hooks, m);
	return m->st.exit_code;
}

int main(int argc, char **argv)
{
	struct ward_common_opts common;
	struct respond_opts o = {
		.backend = "nftables", .field = "src_ip",
		.ban_time = 600 * NS_PER_SEC, .max_ban_time = 7 * 86400 * NS_PER_SEC,
		.forget = 86400 * NS_PER_SEC, .webhook_timeout = 2 * NS_PER_SEC,
		.escalate = 2.0, .v6_prefix = 128, .rate = 60, .max_bans = 10000,
	};
	common_opts_defaults(&common);
	const struct ward_opt table[] = {
		{ "backend", 'b', OPT_STRING, &o.backend, "NAME", "nftables (default), iptables (ipset), docker, exec or none", "WARD_RESPOND_BACKEND" },
		{ "dry-run", 'n', OPT_FLAG, &o.dry_run, NULL, "change nothing; audit events carry the exact commands", NULL },
		{ "netns", 0, OPT_STRING, &o.netns, "NAME", "apply inside network namespace /run/netns/NAME", NULL },
		{ "container", 0, OPT_STRING, &o.container, "NAME", "docker backend: the container to run iptables in", NULL },
		{ "docker-socket", 0, OPT_STRING, &o.docker_socket, "PATH", "docker backend: Engine API socket (default /var/run/docker.sock)", NULL },
		{ "exec-ban", 0, OPT_STRING, &o.exec_ban, "ARGV", "exec backend: ban command template, e.g. 'blocker add {target} {ttl}'", NULL },
		{ "exec-unban", 0, OPT_STRING, &o.exec_unban, "ARGV", "exec backend: unban command template", NULL },
		{ "field", 'f', OPT_STRING, &o.field, "NAME", "alert field holding the address to ban (default src_ip)", NULL },
		{ "allow", 'a', OPT_LIST, &o.allow, "CIDR", "never ban this address or network, repeatable", NULL },
		{ "allow-file", 0, OPT_STRING, &o.allow_file, "FILE", "never ban the addresses/CIDRs listed in FILE (# comments); reloaded on SIGHUP", NULL },
		{ "no-default-allow", 0, OPT_FLAG, &o.no_default_allow, NULL, "do not allowlist loopback and the host's own addresses", NULL },
		{ "ban-time", 't', OPT_DURATION, &o.ban_time, "DUR", "first ban (default 10m)", NULL },
		{ "escalate", 0, OPT_DOUBLE, &o.escalate, "FACTOR", "ban time factor per repeat offense (default 2; 1 = off)", NULL },
		{ "max-ban-time", 0, OPT_DURATION, &o.max_ban_time, "DUR", "longest ban (default 7d)", NULL },
		{ "forget", 0, OPT_DURATION, &o.forget, "DUR", "forget an offender this long after its ban ends (default 1d)", NULL },
		{ "v6-prefix", 0, OPT_INT, &o.v6_prefix, "N", "ban IPv6 sources as /128 (default) or their /64", NULL },
		{ "rate", 0, OPT_INT, &o.rate, "N", "at most N new bans per minute (default 60; 0 = no limit)", NULL },
		{ "max-bans", 0, OPT_INT, &o.max_bans, "N", "at most N active bans (default 10000; 0 = no limit)", NULL },
		{ "state", 's', OPT_STRING, &o.state, "PATH", "ban journal: restored at start, kept across restarts", "WARD_RESPOND_STATE" },
		{ "any-event", 0, OPT_FLAG, &o.any_event, NULL, "act on every event with the field, not only firing alerts", NULL },
		{ "webhook", 0, OPT_STRING, &o.webhook, "URL", "POST each ban, unban, extension and error as JSON", NULL },
		{ "slack", 0, OPT_FLAG, &o.slack, NULL, "webhook body in Slack's {\"text\": ...} form", NULL },
		{ "webhook-timeout", 0, OPT_DURATION, &o.webhook_timeout, "DUR", "webhook request timeout (default 2s)", NULL },
		{ "linger", 0, OPT_FLAG, &o.linger, NULL, "at end of input, stay until every ban has expired (docker, exec)", NULL },
		{ "list", 0, OPT_FLAG, &o.list, NULL, "print the active bans of --state as events and exit", NULL },
		{ "unban", 0, OPT_STRING, &o.unban, "IP", "remove the ban of IP (or IPv6 /64) and exit", NULL },
		{ "flush", 0, OPT_FLAG, &o.flush, NULL, "remove every ban and exit", NULL },
		WARD_COMMON_OPTS(&common),
		{ 0 },
	};
	int nops, rc;
	const struct stage_cli cli = { "ward-respond", table, synopsis, description, epilog,
					&common };
	if (stage_cli_parse(&cli, argc, argv, &nops, &rc) != 0)
		return rc;
	if (nops > 0) {
		log_error("unexpected operand: %s", argv[1]);
		return WARD_EX_USAGE;
	}
	if ((o.list + (o.unban != NULL) + o.flush) > 1) {
		log_error("--list, --unban and --flush exclude each other");
		return WARD_EX_USAGE;
	}
	struct main_ctx *m = ward_xcalloc(1, sizeof(*m));
	responder_init(&m->r);
	/* Every option value is checked here, before anything starts: a bad
	 * one is a bad command line (64), whichever option it is. */
	rc = WARD_EX_USAGE;
	if (config_policy(&m->r.policy, &o) == 0 && config_backend(&m->r, &o) == 0 &&
	    (rc = load_allow_file(m, &o)) == 0) {
		stage_init(&m->st, "respond", &common);
		sigaction(SIGHUP, &(struct sigaction){ .sa_handler = on_hup }, NULL);
		m->r.emit = emit;
		m->r.emit_ctx = m;
		m->r.n_bans = counters_extra(&m->st.counters, "bans");
		m->r.n_unbans = counters_extra(&m->st.counters, "unbans");
		m->r.n_extends = counters_extra(&m->st.counters, "extensions");
		m->r.n_refusals = counters_extra(&m->st.counters, "refusals");
		m->r.n_errors = counters_extra(&m->st.counters, "action_errors");
		m->r.n_ignored = counters_extra(&m->st.counters, "ignored");
		m->r.n_unremediated = counters_extra(&m->st.counters, "not_remediated");
		m->bans_active = counters_extra(&m->st.counters, "bans_active");
		rc = run(m, &o);
		if (rc && !m->st.exit_code)
			m->st.exit_code = rc;
		rc = stage_finish(&m->st);
	}
	responder_free(&m->r);
	free(m);
	opt_list_free(&o.allow);
	opt_list_free(&common.props);
	return rc;
}

/* transport_alertmanager.c - alerts to Alertmanager (POST /api/v2/alerts).
 *
 *   --out alertmanager+http://HOST:PORT[/PREFIX]   (or alertmanager+https://)
 *
 * An output only. write() turns a firing or resolved alert event into an
 * update (am_alerts.h) and queues it in a bounded inbox
 * (alertmanager.buffer updates; when full the update is dropped and counted:
 * the stage never blocks on Alertmanager). One sender thread owns the table
 * of alerts: it applies the inbox, posts every alert that changed at once
 * (at most 64 per request, as Prometheus' notifier), re-sends every firing
 * alert each alertmanager.resend_interval (default 1m, Prometheus'
 * --rules.alert.resend-delay) with endsAt 4 intervals ahead, re-sends a
 * resolved alert for alertmanager.resolved_retention (15m) and then forgets
 * it. A failed request (connection error, 429, 5xx) is retried with
 * jittered exponential backoff (alertmanager.min_backoff to max_backoff)
 * until it succeeds or the stage ends; a 4xx other than 429 is logged and
 * counted, not retried. Events that are not alerts (ward-respond's actions,
 * plain log events) and pending alerts are skipped and counted
 * (alertmanager_skipped).
 *
 * flush(-1) (stage checkpoints, exit) waits up to alertmanager.drain_timeout
 * for every change to be delivered and fails if it was not, so a Kafka input
 * is committed only for alerts Alertmanager has. At exit, firing alerts are
 * not resolved: Alertmanager resolves them at their endsAt, as it does when
 * Prometheus stops. */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "am_alerts.h"
#include "counters.h"
#include "event.h"
#include "log.h"
#include "loki_http.h"
#include "loki_push.h"
#include "opts.h"
#include "sender.h"
#include "transport.h"
#include "wtime.h"

#define AM_MAX_BATCH 64

struct am_conf {
	char *url;		/* http(s)://host:port[/prefix]/api/v2/alerts */
	char *generator_url;
	char *ca_file;
	char *user, *password, *token;
	bool tls_verify;
	int64_t resend_ns, timeout_ns, min_backoff_ns, max_backoff_ns;
	int64_t drain_timeout_ns, retention_ns;
	size_t buffer, max_alerts;
};

struct am_stats {
	uint64_t sent, requests, retries, rejected, dropped, undelivered, active;
};

struct am_output {
	struct ward_output base;
	struct am_conf conf;
	struct ward_counters *counters;
	uint64_t *c_skipped, *c_dropped;
	uint64_t inbox_dropped;	/* the stage's thread's: inbox full */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* guarded by mu */
	struct am_update *inbox;
	size_t inbox_n;
	size_t undelivered;	/* changes not yet delivered (inbox + table) */
	bool closing, aborting;
	struct am_stats stats;
	/* the sender's own */
	struct am_table table;
	unsigned rnd_state;
};

/* ---------------------------------------------------------------- config */

static void conf_free(struct am_conf *c)
{
	free(c->url);
	free(c->generator_url);
	free(c->ca_file);
	free(c->user);
	if (c->password) {
		explicit_bzero(c->password, strlen(c->password));
		free(c->password);
	}
	if (c->token) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
}

static int set_dur(const char *v, int64_t *out)
{
	return duration_parse(v, strlen(v), out) == 0 && *out > 0 ? 0 : -1;
}

static int conf_set(struct am_conf *c, const char *name, const char *v, char *err, size_t errlen)
{
	int rc = 0;
	if (!strcmp(name, "generator_url")) { free(c->generator_url); c->generator_url = ward_xstrdup(v); }
	else if (!strcmp(name, "ca_file")) { free(c->ca_file); c->ca_file = ward_xstrdup(v); }
	else if (!strcmp(name, "tls_verify")) {
		if (!strcmp(v, "true") || !strcmp(v, "1")) c->tls_verify = true;
		else if (!strcmp(v, "false") || !strcmp(v, "0")) c->tls_verify = false;
		else rc = -1;
	}
	else if (!strcmp(name, "resend_interval")) rc = set_dur(v, &c->resend_ns);
	else if (!strcmp(name, "timeout")) rc = set_dur(v, &c->timeout_ns);
	else if (!strcmp(name, "min_backoff")) rc = set_dur(v, &c->min_backoff_ns);
	else if (!strcmp(name, "max_backoff")) rc = set_dur(v, &c->max_backoff_ns);
	else if (!strcmp(name, "drain_timeout")) rc = set_dur(v, &c->drain_timeout_ns);
	else if (!strcmp(name, "resolved_retention")) rc = set_dur(v, &c->retention_ns);
	else if (!strcmp(name, "buffer")) rc = parse_size(v, &c->buffer) == 0 && c->buffer ? 0 : -1;
	else if (!strcmp(name, "max_alerts")) rc = parse_size(v, &c->max_alerts) == 0 && c->max_alerts ? 0 : -1;
	else {
		snprintf(err, errlen, "unknown Alertmanager setting alertmanager.%s", name);
		return -1;
	}
	if (rc != 0)
		snprintf(err, errlen, "alertmanager.%s: bad value: %s", name, v);
	return rc;
}

static char *env_dup(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? ward_xstrdup(v) : NULL;
}

static int conf_parse(struct am_conf *c, const char *uri, const struct ward_transport_opts *o,
		      char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->tls_verify = true;
	c->resend_ns = 60 * NS_PER_SEC;
	c->timeout_ns = 10 * NS_PER_SEC;
	c->min_backoff_ns = NS_PER_SEC / 2;
	c->max_backoff_ns = 30 * NS_PER_SEC;
	c->drain_timeout_ns = 5 * NS_PER_SEC;
	c->retention_ns = 15 * 60 * NS_PER_SEC;
	c->buffer = 10000;
	c->max_alerts = 10000;
	const char *rest = uri + strlen("alertmanager+");
	if (strncmp(rest, "http://", 7) != 0 && strncmp(rest, "https://", 8) != 0) {
		snprintf(err, errlen, "not an alertmanager+http(s):// URI");
		return -1;
	}
	const char *host = strstr(rest, "://") + 3;
	if (!*host || *host == '/' || strpbrk(rest, "?#@ ")) {
		snprintf(err, errlen, "expected alertmanager+http(s)://HOST[:PORT][/PREFIX] (settings are -X alertmanager.NAME=VALUE)");
		return -1;
	}
	size_t n = strlen(rest);
	while (n && rest[n - 1] == '/')
		n--;
	struct ward_buf b = WARD_BUF_INIT;
	buf_append(&b, rest, n);
	buf_append_str(&b, "/api/v2/alerts");
	c->url = ward_xstrndup(b.data, b.len);
	buf_free(&b);
	if (o && o->props)
		for (const char *const *p = o->props; *p; p++) {
			if (strncmp(*p, "alertmanager.", 13) != 0)
				continue;
			const char *eq = strchr(*p, '=');
			if (!eq) {
				snprintf(err, errlen, "property %s: expected NAME=VALUE", *p);
				return -1;
			}
			char name[64];
			size_t nl = (size_t)(eq - (*p + 13));
			if (nl >= sizeof name) {
				snprintf(err, errlen, "unknown Alertmanager setting %.*s", (int)(eq - *p), *p);
				return -1;
			}
			memcpy(name, *p + 13, nl);
			name[nl] = '\0';
			if (conf_set(c, name, eq + 1, err, errlen) != 0)
				return -1;
		}
	if (c->min_backoff_ns > c->max_backoff_ns) {
		snprintf(err, errlen, "alertmanager.min_backoff is above alertmanager.max_backoff");
		return -1;
	}
	/* Secrets from the environment only, never argv. */
	c->user = env_dup("WARD_ALERTMANAGER_USER");
	c->password = env_dup("WARD_ALERTMANAGER_PASSWORD");
	c->token = env_dup("WARD_ALERTMANAGER_TOKEN");
	return 0;
}

/* ------------------------------------------------------------------ HTTP */

static size_t on_body(char *p, size_t size, size_t n, void *userdata)
{
	struct ward_buf *resp = userdata;
	if (resp->len < 4096)
		buf_append(resp, p, size * n);
	return size * n;
}

static int on_progress(void *userdata, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	const bool *abort_flag = userdata;
	(void)a, (void)b, (void)c, (void)d;
	return __atomic_load_n(abort_flag, __ATOMIC_RELAXED);
}

static long post(struct am_output *ao, CURL *curl, struct curl_slist *headers,
		 const struct ward_buf *body, struct ward_buf *resp, char *err, size_t errlen)
{
	const struct am_conf *c = &ao->conf;
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_reset(curl);
	buf_reset(resp);
	curl_easy_setopt(curl, CURLOPT_URL, c->url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(c->timeout_ns / 1000000));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(c->timeout_ns / 1000000));
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "ward/" WARD_VERSION);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &ao->aborting);
	if (c->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, c->ca_file);
	if (!c->tls_verify) {
		curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->user) {
		curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(curl, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, c->password ? c->password : "");
	}
	CURLcode rc = curl_easy_perform(curl);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return 0;
	}
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

/* ---------------------------------------------------------------- sender */

static void abs_deadline(struct timespec *ts, int64_t from_now_ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	int64_t ns = ts->tv_nsec + from_now_ns;
	ts->tv_sec += ns / NS_PER_SEC;
	ts->tv_nsec = ns % NS_PER_SEC;
}

/* Move the inbox into the table. Called with mu held. */
static void apply_inbox(struct am_output *ao, int64_t now_mono)
{
	for (size_t i = 0; i < ao->inbox_n; i++)
		if (am_table_apply(&ao->table, &ao->inbox[i], now_mono) == AM_FULL) {
			ao->stats.dropped++;
			log_warn("alertmanager: %zu alerts held (alertmanager.max_alerts), a new one dropped",
				 ao->table.n);
		}
	ao->inbox_n = 0;
}

static void update_pending(struct am_output *ao)
{
	ao->undelivered = ao->inbox_n + am_table_undelivered(&ao->table);
	ao->stats.active = am_table_firing(&ao->table);
}

static void *sender_main(void *arg)
{
	struct am_output *ao = arg;
	CURL *curl = curl_easy_init();
	if (!curl)
		ward_oom();
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (ao->conf.token && !ao->conf.user) {
		struct ward_buf h = WARD_BUF_INIT;
		buf_printf(&h, "Authorization: Bearer %s", ao->conf.token);
		headers = curl_slist_append(headers, buf_cstr(&h));
		explicit_bzero(h.data, h.cap);
		buf_free(&h);
	}
	struct ward_buf body = WARD_BUF_INIT, resp = WARD_BUF_INIT;
	size_t picked[AM_MAX_BATCH];
	uint64_t picked_gen[AM_MAX_BATCH];
	unsigned attempt = 0;
	int64_t retry_at = 0;
	pthread_mutex_lock(&ao->mu);
	for (;;) {
		int64_t now = time_mono_ns();
		apply_inbox(ao, now);
		am_table_expire(&ao->table, now, ao->conf.retention_ns);
		update_pending(ao);
		pthread_cond_broadcast(&ao->cv);	/* flush() waits on undelivered */
		if (ao->aborting || (ao->closing && ao->undelivered == 0))
			break;
		/* What to send, and when the next resend falls due. */
		size_t n = 0;
		int64_t next = now + ao->conf.resend_ns;
		for (size_t i = 0; i < ao->table.n; i++) {
			const struct am_alert *a = &ao->table.a[i];
			if (am_needs_send(a, now, ao->conf.resend_ns)) {
				if (n < AM_MAX_BATCH) {
					picked[n] = i;
					picked_gen[n++] = a->gen;
				}
			} else if (a->last_sent_mono + ao->conf.resend_ns < next) {
				next = a->last_sent_mono + ao->conf.resend_ns;
			}
		}
		if (n && retry_at > now)
			next = retry_at;
		if (!n || retry_at > now) {
			struct timespec dl;
			abs_deadline(&dl, next - now < 1000000 ? 1000000 : next - now);
			pthread_cond_timedwait(&ao->cv, &ao->mu, &dl);
			continue;
		}
		buf_reset(&body);
		buf_append_char(&body, '[');
		int64_t wall = time_now_ns();
		for (size_t k = 0; k < n; k++) {
			if (k)
				buf_append_char(&body, ',');
			am_alert_json(&ao->table.a[picked[k]], wall, 4 * ao->conf.resend_ns,
				      ao->conf.generator_url, &body);
		}
		buf_append_char(&body, ']');
		/* The table is this thread's: indices stay valid while mu is
		 * released for the request. */
		char err[256] = "";
		pthread_mutex_unlock(&ao->mu);
		long status = post(ao, curl, headers, &body, &resp, err, sizeof err);
		pthread_mutex_lock(&ao->mu);
		ao->stats.requests++;
		now = time_mono_ns();
		bool final = status >= 200 && status < 300;
		if (status >= 400 && status < 500 && status != 429) {
			final = true;
			ao->stats.rejected += n;
			log_error("alertmanager: HTTP %ld, %zu alerts refused (not retried): %.*s", status,
				  n, (int)(resp.len > 512 ? 512 : resp.len), resp.data ? resp.data : "");
		} else if (final) {
			ao->stats.sent += n;
		}
		if (final) {
			for (size_t k = 0; k < n; k++) {
				struct am_alert *a = &ao->table.a[picked[k]];
				a->sent_gen = picked_gen[k];
				a->last_sent_mono = now;
			}
			attempt = 0;
			retry_at = 0;
			continue;
		}
		if (ao->aborting)
			break;
		if (status)
			log_warn("alertmanager: HTTP %ld (attempt %u), will retry", status, attempt + 1);
		else
			log_warn("alertmanager: %s (attempt %u), will retry", err, attempt + 1);
		ao->stats.retries++;
		double rnd = (double)rand_r(&ao->rnd_state) / ((double)RAND_MAX + 1.0);
		retry_at = now + loki_backoff_ns(ao->conf.min_backoff_ns, ao->conf.max_backoff_ns,
						 attempt < 30 ? attempt : 30, rnd);
		attempt++;
	}
	pthread_mutex_unlock(&ao->mu);
	buf_free(&body);
	buf_free(&resp);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return NULL;
}

/* ---------------------------------------------------------------- output */

static void publish_counters(struct am_output *ao)
{
	if (!ao->counters)
		return;
	pthread_mutex_lock(&ao->mu);
	struct am_stats s = ao->stats;
	pthread_mutex_unlock(&ao->mu);
	__atomic_store_n(counters_extra(ao->counters, "alertmanager_sent"), s.sent, __ATOMIC_RELAXED);
	__atomic_store_n(counters_extra(ao->counters, "alertmanager_requests"), s.requests, __ATOMIC_RELAXED);
	__atomic_store_n(counters_extra(ao->counters, "alertmanager_retries"), s.retries, __ATOMIC_RELAXED);
	__atomic_store_n(counters_extra(ao->counters, "alertmanager_rejected"), s.rejected, __ATOMIC_RELAXED);
	__atomic_store_n(ao->c_dropped, ao->inbox_dropped + s.dropped, __ATOMIC_RELAXED);
	__atomic_store_n(counters_extra(ao->counters, "alertmanager_undelivered"), s.undelivered, __ATOMIC_RELAXED);
	__atomic_store_n(counters_extra(ao->counters, "alertmanager_active"), s.active, __ATOMIC_RELAXED);
}

static int am_write(struct ward_output *out, const struct ward_event *ev, const char *json,
		    size_t len)
{
	struct am_output *ao = (struct am_output *)out;
	(void)json, (void)len;
	struct am_update u;
	enum am_from f = ev ? am_update_from_event(ev, time_now_ns(), &u) : AM_NOT_ALERT;
	if (f != AM_UPDATE) {
		if (f == AM_INVALID)
			log_debug("alertmanager: an alert without rule or state, or no valid label: skipped");
		(*ao->c_skipped)++;
		return 0;
	}
	pthread_mutex_lock(&ao->mu);
	if (ao->inbox_n == ao->conf.buffer) {
		pthread_mutex_unlock(&ao->mu);
		am_update_free(&u);
		ao->inbox_dropped++;
		(*ao->c_dropped)++;
		return 0;
	}
	ao->inbox[ao->inbox_n++] = u;
	ao->undelivered++;
	pthread_cond_broadcast(&ao->cv);
	pthread_mutex_unlock(&ao->mu);
	return 0;
}

static int am_flush(struct ward_output *out, int timeout_ms)
{
	struct am_output *ao = (struct am_output *)out;
	int ok = 0;
	if (timeout_ms != 0) {
		int64_t wait_ns = ao->conf.drain_timeout_ns;
		if (timeout_ms > 0 && (int64_t)timeout_ms * 1000000 < wait_ns)
			wait_ns = (int64_t)timeout_ms * 1000000;
		struct timespec dl;
		abs_deadline(&dl, wait_ns);
		pthread_mutex_lock(&ao->mu);
		pthread_cond_broadcast(&ao->cv);
		while (ao->undelivered && pthread_cond_timedwait(&ao->cv, &ao->mu, &dl) == 0)
			;
		if (ao->undelivered) {
			log_error("alertmanager: %zu alert changes not delivered within alertmanager.drain_timeout",
				  ao->undelivered);
			/* the stage ends on this failure: count them now, the
			 * counters line is printed before close() */
			ao->stats.undelivered = ao->undelivered;
			errno = EIO;
			ok = -1;
		}
		pthread_mutex_unlock(&ao->mu);
	}
	publish_counters(ao);
	return ok;
}

static void am_close(struct ward_output *out)
{
	struct am_output *ao = (struct am_output *)out;
	/* a last delivery attempt, unless a flush just gave up (the stage's
	 * final flush): waiting twice would only delay the exit */
	pthread_mutex_lock(&ao->mu);
	bool gave_up = ao->stats.undelivered != 0;
	pthread_mutex_unlock(&ao->mu);
	if (!gave_up)
		am_flush(out, -1);
	pthread_mutex_lock(&ao->mu);
	ao->closing = true;
	__atomic_store_n(&ao->aborting, true, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&ao->cv);
	pthread_mutex_unlock(&ao->mu);
	pthread_join(ao->thread, NULL);
	apply_inbox(ao, time_mono_ns());
	update_pending(ao);
	ao->stats.undelivered = ao->undelivered;
	if (ao->undelivered)
		log_error("alertmanager: %zu alert changes undelivered at shutdown", ao->undelivered);
	publish_counters(ao);
	am_table_free(&ao->table);
	free(ao->inbox);
	sender_sync_destroy(&ao->mu, &ao->cv);
	conf_free(&ao->conf);
	free(ao->base.uri);
	free(ao);
}

static const struct ward_output_ops am_output_ops = {
	.write = am_write,
	.flush = am_flush,
	.close = am_close,
};

struct ward_output *alertmanager_output_open(const char *uri, const struct ward_transport_opts *o,
					     char *err, size_t errlen)
{
	struct am_output *ao = ward_xcalloc(1, sizeof(*ao));
	if (conf_parse(&ao->conf, uri, o, err, errlen) != 0) {
		conf_free(&ao->conf);
		free(ao);
		errno = EINVAL;
		return NULL;
	}
	loki_http_global_init();	/* curl_global_init, once */
	ao->base.ops = &am_output_ops;
	ao->base.uri = ward_xstrdup(uri);
	ao->counters = o ? o->counters : NULL;
	static uint64_t no_counter[2];
	ao->c_skipped = ao->counters ? counters_extra(ao->counters, "alertmanager_skipped") : &no_counter[0];
	ao->c_dropped = ao->counters ? counters_extra(ao->counters, "alertmanager_dropped") : &no_counter[1];
	ao->inbox = ward_xcalloc(ao->conf.buffer, sizeof(*ao->inbox));
	am_table_init(&ao->table, ao->conf.max_alerts);
	ao->rnd_state = (unsigned)time_mono_ns() ^ (unsigned)getpid();
	sender_sync_init(&ao->mu, &ao->cv);
	if (sender_thread_start(&ao->thread, sender_main, ao) != 0) {
		snprintf(err, errlen, "cannot start the sender thread");
		am_table_free(&ao->table);
		free(ao->inbox);
		conf_free(&ao->conf);
		free(ao->base.uri);
		free(ao);
		return NULL;
	}
	return &ao->base;
}

struct ward_input *alertmanager_input_open(const char *uri, const struct ward_transport_opts *o,
					   char *err, size_t errlen)
{
	(void)uri, (void)o;
	snprintf(err, errlen, "alertmanager+http(s):// is an output only");
	errno = EINVAL;
	return NULL;
}

/* loki_conf.c - Loki transport settings (see loki_conf.h). */
#include "loki_conf.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "loki_query.h"
#include "opts.h"
#include "hostport.h"
#include "percent.h"
#include "transport.h"
#include "wtime.h"

static void conf_defaults(struct loki_conf *c, int64_t now_ns)
{
	memset(c, 0, sizeof(*c));
	c->tls_verify = true;
	c->timeout_ns = 10 * NS_PER_SEC;
	c->batch_bytes = 1024 * 1024;
	c->batch_wait_ns = NS_PER_SEC;
	c->buffer_bytes = 16 * 1024 * 1024;
	c->gzip = true;
	c->min_backoff_ns = NS_PER_SEC / 2;
	c->max_backoff_ns = 300 * NS_PER_SEC;
	c->max_retries = 10;
	c->drain_timeout_ns = 30 * NS_PER_SEC;
	c->start_ns = now_ns - 3600 * NS_PER_SEC;
	c->limit = 1000;
	c->poll_ns = NS_PER_SEC;
}

void loki_conf_free(struct loki_conf *c)
{
	free(c->base_url);
	free(c->tenant);
	free(c->user);
	if (c->password)
		explicit_bzero(c->password, strlen(c->password));
	free(c->password);
	if (c->token)
		explicit_bzero(c->token, strlen(c->token));
	free(c->token);
	free(c->ca_file);
	free(c->query);
	free(c->cursor_file);
	memset(c, 0, sizeof(*c));
}

int loki_parse_time(const char *s, int64_t now_ns, int64_t *out)
{
	size_t n = strlen(s);
	int64_t d;
	if (strcmp(s, "now") == 0) {
		*out = now_ns;
		return 0;
	}
	if (time_parse_rfc3339(s, n, out) == 0)
		return 0;
	if (duration_parse(s, n, &d) == 0) {
		*out = now_ns - d;
		return 0;
	}
	return time_parse_epoch(s, n, out);
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no")) {
		*out = false;
		return 0;
	}
	return -1;
}

static int parse_dur(const char *v, int64_t *out)
{
	return duration_parse(v, strlen(v), out);
}

static char *read_secret_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct ward_buf b = WARD_BUF_INIT;
	char chunk[256];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 65536)
		buf_append(&b, chunk, n);
	fclose(f);
	explicit_bzero(chunk, sizeof(chunk));
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
		b.len--;
	char *s = ward_xstrndup(b.data ? b.data : "", b.len);
	if (b.data)
		explicit_bzero(b.data, b.cap);
	buf_free(&b);
	return s;
}

/* One setting NAME=VALUE (from -X loki.NAME or the URI's query string). */
static int set_one(struct loki_conf *c, const char *name, const char *v, int64_t now_ns,
		   char *err, size_t errlen)
{
	int rc = 0;
	long l;
	if (!strcmp(name, "tenant")) { free(c->tenant); c->tenant = ward_xstrdup(v); }
	else if (!strcmp(name, "ca_file")) { free(c->ca_file); c->ca_file = ward_xstrdup(v); }
	else if (!strcmp(name, "cursor_file")) { free(c->cursor_file); c->cursor_file = ward_xstrdup(v); }
	else if (!strcmp(name, "tls_verify")) rc = parse_bool(v, &c->tls_verify);
	else if (!strcmp(name, "timeout")) rc = parse_dur(v, &c->timeout_ns);
	else if (!strcmp(name, "batch_size")) rc = parse_size(v, &c->batch_bytes);
	else if (!strcmp(name, "batch_wait")) rc = parse_dur(v, &c->batch_wait_ns);
	else if (!strcmp(name, "buffer")) rc = parse_size(v, &c->buffer_bytes);
	else if (!strcmp(name, "gzip")) rc = parse_bool(v, &c->gzip);
	else if (!strcmp(name, "format")) {
		if (!strcmp(v, "line")) c->whole_event = false;
		else if (!strcmp(v, "json")) c->whole_event = true;
		else rc = -1;
	}
	else if (!strcmp(name, "min_backoff")) rc = parse_dur(v, &c->min_backoff_ns);
	else if (!strcmp(name, "max_backoff")) rc = parse_dur(v, &c->max_backoff_ns);
	else if (!strcmp(name, "max_retries")) {
		rc = parse_long(v, &l);
		if (rc == 0 && (l < 0 || l > 1000)) rc = -1;
		c->max_retries = (unsigned)l;
	}
	else if (!strcmp(name, "drain_timeout")) rc = parse_dur(v, &c->drain_timeout_ns);
	else if (!strcmp(name, "query")) { free(c->query); c->query = ward_xstrdup(v); }
	else if (!strcmp(name, "start")) rc = loki_parse_time(v, now_ns, &c->start_ns);
	else if (!strcmp(name, "end")) rc = loki_parse_time(v, now_ns, &c->end_ns);
	else if (!strcmp(name, "follow")) {
		rc = parse_bool(v, &c->follow);
		c->follow_set = true;
	}
	else if (!strcmp(name, "limit")) {
		rc = parse_long(v, &l);
		if (rc == 0 && (l < 1 || l > 5000)) rc = -1;
		c->limit = (unsigned)l;
	}
	else if (!strcmp(name, "poll")) rc = parse_dur(v, &c->poll_ns);
	else if (!strcmp(name, "delay")) rc = parse_dur(v, &c->delay_ns);
	else if (!strcmp(name, "password_file") || !strcmp(name, "token_file")) {
		char *s = read_secret_file(v, err, errlen);
		if (!s) return -1;
		char **dst = name[0] == 'p' ? &c->password : &c->token;
		free(*dst);
		*dst = s;
	} else {
		snprintf(err, errlen, "unknown Loki setting loki.%s", name);
		return -1;
	}
	if (rc != 0)
		snprintf(err, errlen, "loki.%s: bad value: %s", name, v);
	return rc;
}

/* The query string's NAME=VALUE settings (URL-encoded, '+' a space). */
static int parse_query(struct loki_conf *c, char *q, int64_t now_ns, char *err, size_t errlen)
{
	int rc = 0;
	for (char *save = NULL, *kv = strtok_r(q, "&", &save); kv && rc == 0;
	     kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq) {
			snprintf(err, errlen, "URI parameter without a value: %s", kv);
			return -1;
		}
		*eq = '\0';
		percent_decode_inplace(kv, strlen(kv), PERCENT_PLUS_SPACE);
		percent_decode_inplace(eq + 1, strlen(eq + 1), PERCENT_PLUS_SPACE);
		rc = set_one(c, kv, eq + 1, now_ns, err, errlen);
	}
	return rc;
}

/* A part of u, or NULL if it has none (the caller curl_free()s it). */
static char *url_part(CURLU *u, CURLUPart what)
{
	char *s = NULL;
	if (curl_url_get(u, what, &s, 0) != CURLUE_OK)
		return NULL;
	return s;
}

/* The base URL from the parts libcurl split "loki+http(s)://HOST[:PORT]
 * [/PREFIX]" into: the authority checked strictly (hostport.h), the prefix
 * without trailing slashes. Credentials and fragments are refused. */
static int base_url(struct loki_conf *c, CURLU *u, char *err, size_t errlen)
{
	char *scheme = url_part(u, CURLUPART_SCHEME), *host = url_part(u, CURLUPART_HOST);
	char *port = url_part(u, CURLUPART_PORT), *path = url_part(u, CURLUPART_PATH);
	char *user = url_part(u, CURLUPART_USER), *zone = url_part(u, CURLUPART_ZONEID);
	char *frag = url_part(u, CURLUPART_FRAGMENT);
	struct ward_buf b = WARD_BUF_INIT;
	int rc = -1;
	if (!scheme || (strcmp(scheme, "loki+http") != 0 && strcmp(scheme, "loki+https") != 0))
		snprintf(err, errlen, "not a loki+http(s):// URI");
	else if (!host || !*host)
		snprintf(err, errlen, "no host (loki+http://HOST:PORT)");
	else if (user)
		snprintf(err, errlen, "no credentials in the URI: WARD_LOKI_USER and WARD_LOKI_PASSWORD");
	else if (zone)
		snprintf(err, errlen, "an IPv6 zone id is not allowed in the URI");
	else if (frag)
		snprintf(err, errlen, "'#' in the URI: write it as %%23 in the query");
	else
		rc = 0;
	if (rc == 0) {
		buf_printf(&b, "%s%s%s", host, port ? ":" : "", port ? port : "");
		char why[200];
		if (hostport_check(b.data, b.len, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s", why);
			rc = -1;
		}
	}
	if (rc == 0) {
		buf_reset(&b);
		buf_printf(&b, "%s://%s%s%s%s", scheme + 5, host, port ? ":" : "", port ? port : "",
			   path ? path : "");
		while (b.len > strlen(scheme + 5) + 3 && b.data[b.len - 1] == '/')
			b.data[--b.len] = '\0';
		c->base_url = ward_xstrdup(b.data);
	}
	buf_free(&b);
	char *parts[] = { scheme, host, port, path, user, zone, frag };
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		curl_free(parts[i]);
	return rc;
}

/* Split "loki+http://h:p/prefix?a=b&c=d" into base_url and settings, with
 * libcurl's URL parser (spaces allowed in the query, as a shell user
 * writes a LogQL query; the path kept as written). */
static int parse_uri(struct loki_conf *c, const char *uri, int64_t now_ns, char *err, size_t errlen)
{
	if (strncmp(uri, "loki+", 5) != 0 ||
	    (strncmp(uri + 5, "http://", 7) != 0 && strncmp(uri + 5, "https://", 8) != 0)) {
		snprintf(err, errlen, "not a loki+http(s):// URI");
		return -1;
	}
	CURLU *u = curl_url();
	if (!u)
		ward_oom();
	CURLUcode uc = curl_url_set(u, CURLUPART_URL, uri,
				    CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS | CURLU_ALLOW_SPACE);
	int rc = -1;
	if (uc == CURLUE_NO_HOST)
		snprintf(err, errlen, "no host (loki+http://HOST:PORT)");
	else if (uc != CURLUE_OK)
		snprintf(err, errlen, "bad URI: %s", curl_url_strerror(uc));
	else
		rc = base_url(c, u, err, errlen);
	char *q = rc == 0 ? url_part(u, CURLUPART_QUERY) : NULL;
	if (q) {
		rc = parse_query(c, q, now_ns, err, errlen);
		curl_free(q);
	}
	curl_url_cleanup(u);
	return rc;
}

static void auth_from_env(struct loki_conf *c, char *err, size_t errlen)
{
	const char *v;
	if ((v = getenv("WARD_LOKI_USER")) && *v)
		c->user = ward_xstrdup(v);
	if ((v = getenv("WARD_LOKI_PASSWORD")) && *v)
		c->password = ward_xstrdup(v);
	else if ((v = getenv("WARD_LOKI_PASSWORD_FILE")) && *v)
		c->password = read_secret_file(v, err, errlen);
	if ((v = getenv("WARD_LOKI_TOKEN")) && *v)
		c->token = ward_xstrdup(v);
	else if ((v = getenv("WARD_LOKI_TOKEN_FILE")) && *v)
		c->token = read_secret_file(v, err, errlen);
	if ((v = getenv("WARD_LOKI_TENANT")) && *v)
		c->tenant = ward_xstrdup(v);
}

int loki_conf_parse(struct loki_conf *c, const char *uri, const struct ward_transport_opts *o,
		    bool input, int64_t now_ns, char *err, size_t errlen)
{
	conf_defaults(c, now_ns);
	err[0] = '\0';
	auth_from_env(c, err, errlen);
	if (err[0] || parse_uri(c, uri, now_ns, err, errlen) != 0)
		goto fail;
	for (size_t i = 0; o && o->props && o->props[i]; i++) {
		const char *p = o->props[i];
		if (strncmp(p, "loki.", 5) != 0)
			continue;	/* another transport's */
		const char *eq = strchr(p, '=');
		if (!eq) {
			snprintf(err, errlen, "property without a value: %s", p);
			goto fail;
		}
		char *name = ward_xstrndup(p + 5, (size_t)(eq - p - 5));
		int rc = set_one(c, name, eq + 1, now_ns, err, errlen);
		free(name);
		if (rc != 0)
			goto fail;
	}
	/* These go into HTTP headers: a CR or LF would forge headers. */
	const char *hdr[] = { c->tenant, c->token, c->user, c->password };
	for (size_t i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++)
		for (const char *p = hdr[i]; p && *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				snprintf(err, errlen, "a Loki tenant or credential holds a control character");
				goto fail;
			}
	if (c->user && !c->password) {
		snprintf(err, errlen, "WARD_LOKI_USER is set but no password (WARD_LOKI_PASSWORD or a password file)");
		goto fail;
	}
	if (c->batch_bytes == 0 || c->buffer_bytes < c->batch_bytes) {
		snprintf(err, errlen, "loki.buffer must be at least loki.batch_size");
		goto fail;
	}
	if (input && (!c->query || !*c->query)) {
		snprintf(err, errlen, "no query (loki+http://HOST?query=... or -X loki.query=...)");
		goto fail;
	}
	if (!c->follow_set)
		c->follow = c->end_ns == 0;	/* no end: follow new entries */
	return 0;
fail:
	loki_conf_free(c);
	return -1;
}

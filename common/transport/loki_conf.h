/* loki_conf.h - settings of the Loki transport, from the URI and -X props.
 *
 *   loki+http://HOST[:PORT][/PREFIX][?query=...&start=...&end=...&limit=...]
 *   loki+https://...
 *
 * Every setting is a -X property loki.NAME=VALUE; the input settings may
 * also be given in the URI's query string as NAME=VALUE (URL-encoded).
 * Secrets never come from argv: basic auth from WARD_LOKI_USER plus
 * WARD_LOKI_PASSWORD (or the file named by loki.password_file or
 * WARD_LOKI_PASSWORD_FILE), bearer tokens from WARD_LOKI_TOKEN (or
 * loki.token_file / WARD_LOKI_TOKEN_FILE). No I/O except reading those files.
 *
 * Ownership: loki_conf_free frees every string the conf holds. */
#ifndef WARD_LOKI_CONF_H
#define WARD_LOKI_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ward_transport_opts;

struct loki_conf {
	char *base_url;		/* http(s)://host:port[/prefix], no trailing '/' */
	char *tenant;		/* X-Scope-OrgID, or NULL */
	char *user, *password;	/* basic auth, or NULL */
	char *token;		/* bearer token, or NULL */
	char *ca_file;		/* TLS trust anchors, or NULL for the system's */
	bool tls_verify;
	int64_t timeout_ns;	/* one HTTP request */
	/* push */
	size_t batch_bytes;	/* sum of line bytes in one push */
	int64_t batch_wait_ns;	/* oldest entry waits at most this long */
	size_t buffer_bytes;	/* bound of everything not yet delivered */
	bool gzip;
	bool whole_event;	/* push the event JSON, not its line */
	int64_t min_backoff_ns, max_backoff_ns;
	unsigned max_retries;
	int64_t drain_timeout_ns;	/* at close */
	/* query */
	char *query;
	int64_t start_ns, end_ns;	/* end 0: now (follow: moving) */
	bool follow;		/* default: true when no end is given */
	bool follow_set;
	unsigned limit;		/* entries per request */
	int64_t poll_ns;	/* follow: wait between requests at the head */
	int64_t delay_ns;	/* follow: stay this far behind now */
	char *cursor_file;	/* where commit() saves the cursor, or NULL */
};

/* Parse uri and props into c (defaults first). input selects which
 * settings are required (query). Returns 0, or -1 with err set. */
int loki_conf_parse(struct loki_conf *c, const char *uri, const struct ward_transport_opts *o,
		    bool input, int64_t now_ns, char *err, size_t errlen);
void loki_conf_free(struct loki_conf *c);
/* A time bound: RFC 3339, integer epoch (s/ms/us/ns by magnitude), "now",
 * or a duration meaning that long before now ("1h"). */
int loki_parse_time(const char *s, int64_t now_ns, int64_t *out);

#endif

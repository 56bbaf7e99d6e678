/* kafka_conf.c - Kafka URI and properties-file parsing (see kafka_conf.h). */
#include "kafka_conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hostport.h"
#include "percent.h"

#define KAFKA_PARAM_MAX 1024

void kafka_uri_free(struct kafka_uri *u)
{
	free(u->brokers);
	free(u->topic);
	free(u->group);
	free(u->key);
	memset(u, 0, sizeof(*u));
}

static bool topic_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static int check_topic(const char *t, size_t n, char *err, size_t errlen)
{
	if (n == 0) {
		snprintf(err, errlen, "no topic (kafka://BROKERS/TOPIC)");
		return -1;
	}
	if (n > KAFKA_TOPIC_MAX) {
		snprintf(err, errlen, "topic longer than %d characters", KAFKA_TOPIC_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!topic_char(t[i])) {
			snprintf(err, errlen, "topic: character 0x%02x not in [A-Za-z0-9._-]",
				 (unsigned char)t[i]);
			return -1;
		}
	}
	if ((n == 1 && t[0] == '.') || (n == 2 && t[0] == '.' && t[1] == '.')) {
		snprintf(err, errlen, "topic cannot be '.' or '..'");
		return -1;
	}
	return 0;
}

/* A comma-separated list of brokers, each checked by check_broker(). */
static int check_brokers(const char *b, size_t n, char *err, size_t errlen)
{
	if (n == 0)
		return 0;	/* kafka:///TOPIC: bootstrap.servers from -X or a file */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c <= ' ' || c >= 0x7f || c == '?' || c == '#' || c == '&' || c == '=') {
			snprintf(err, errlen, "brokers: character 0x%02x not allowed", c);
			return -1;
		}
	}
	if (b[0] == ',' || b[n - 1] == ',' || memmem(b, n, ",,", 2) != NULL) {
		snprintf(err, errlen, "brokers: empty host in list");
		return -1;
	}
	for (size_t i = 0; i < n;) {
		const char *comma = memchr(b + i, ',', n - i);
		size_t len = comma ? (size_t)(comma - (b + i)) : n - i;
		char why[200];
		if (hostport_check(b + i, len, why, sizeof why) != 0) {
			snprintf(err, errlen, "brokers: %s", why);
			return -1;
		}
		i += len + 1;
	}
	return 0;
}

/* Percent-decode s[0..n) into a new string; NUL bytes and controls are
 * refused because values become C strings and log text (a control byte
 * before a bad escape is the error reported, as it comes first). */
static char *pct_decode(const char *s, size_t n, char *err, size_t errlen)
{
	struct ward_buf b = WARD_BUF_INIT;
	size_t bad_at = 0;
	bool bad = percent_decode(&b, s, n, PERCENT_STRICT, &bad_at) == PERCENT_BAD;
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];
		if (c < 0x20 || c == 0x7f) {
			snprintf(err, errlen, "control character 0x%02x in parameter", c);
			buf_free(&b);
			return NULL;
		}
	}
	if (bad) {
		snprintf(err, errlen, "bad percent escape");
		buf_free(&b);
		return NULL;
	}
	buf_cstr(&b);
	return b.data;
}

static int set_param(struct kafka_uri *u, const char *p, size_t n, char *err, size_t errlen)
{
	const char *eq = memchr(p, '=', n);
	if (!eq) {
		snprintf(err, errlen, "parameter without '=': %.*s", (int)(n > 64 ? 64 : n), p);
		return -1;
	}
	size_t nlen = (size_t)(eq - p);
	size_t vlen = n - nlen - 1;
	char **dst = NULL;
	if (nlen == 5 && memcmp(p, "group", 5) == 0)
		dst = &u->group;
	else if (nlen == 3 && memcmp(p, "key", 3) == 0)
		dst = &u->key;
	if (!dst) {
		snprintf(err, errlen, "unknown parameter '%.*s' (group, key)",
			 (int)(nlen > 64 ? 64 : nlen), p);
		return -1;
	}
	if (*dst) {
		snprintf(err, errlen, "parameter '%.*s' given twice", (int)nlen, p);
		return -1;
	}
	if (vlen == 0 || vlen > KAFKA_PARAM_MAX) {
		snprintf(err, errlen, "parameter '%.*s': empty or longer than %d", (int)nlen, p,
			 KAFKA_PARAM_MAX);
		return -1;
	}
	*dst = pct_decode(eq + 1, vlen, err, errlen);
	return *dst ? 0 : -1;
}

static int parse_query(struct kafka_uri *u, const char *q, char *err, size_t errlen)
{
	while (*q) {
		size_t n = strcspn(q, "&");
		if (n > 0 && set_param(u, q, n, err, errlen) != 0)
			return -1;
		q += n;
		if (*q == '&')
			q++;
	}
	return 0;
}

int kafka_uri_parse(const char *uri, struct kafka_uri *u, char *err, size_t errlen)
{
	static const char scheme[] = "kafka://";
	memset(u, 0, sizeof(*u));
	if (strncmp(uri, scheme, sizeof(scheme) - 1) != 0) {
		snprintf(err, errlen, "not a kafka:// URI");
		return -1;
	}
	const char *b = uri + sizeof(scheme) - 1;
	const char *slash = strchr(b, '/');
	if (!slash) {
		snprintf(err, errlen, "no topic (kafka://BROKERS/TOPIC)");
		return -1;
	}
	const char *t = slash + 1;
	size_t tlen = strcspn(t, "?");
	if (check_brokers(b, (size_t)(slash - b), err, errlen) != 0 ||
	    check_topic(t, tlen, err, errlen) != 0)
		return -1;
	u->brokers = ward_xstrndup(b, (size_t)(slash - b));
	u->topic = ward_xstrndup(t, tlen);
	if (t[tlen] == '?' && parse_query(u, t + tlen + 1, err, errlen) != 0) {
		kafka_uri_free(u);
		return -1;
	}
	return 0;
}

size_t kafka_prop_split(const char *nv)
{
	const char *eq = strchr(nv, '=');
	return eq ? (size_t)(eq - nv) : 0;
}

bool kafka_prop_is_secret(const char *name)
{
	static const char *const secret_words[] = {
		"password", "secret", "sasl.jaas.config", "sasl.oauthbearer.config",
		"ssl.key.pem", "ssl_key", "ssl.keystore", "sasl.kerberos.keytab",
	};
	for (size_t i = 0; i < sizeof(secret_words) / sizeof(secret_words[0]); i++)
		if (strstr(name, secret_words[i]))
			return true;
	return false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* One line [s, e) of a properties file. */
static int props_line(const char *s, const char *e, unsigned lineno, kafka_prop_fn fn, void *ctx,
		      char *err, size_t errlen)
{
	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	if (s == e || *s == '#')
		return 0;
	const char *eq = memchr(s, '=', (size_t)(e - s));
	const char *ne = eq;
	while (ne && ne > s && is_space(ne[-1]))
		ne--;
	if (!eq || ne == s) {
		snprintf(err, errlen, "line %u: expected name=value", lineno);
		return -1;
	}
	if (memchr(s, '\0', (size_t)(e - s))) {
		snprintf(err, errlen, "line %u: NUL byte", lineno);
		return -1;
	}
	const char *v = eq + 1;
	while (v < e && is_space(*v))
		v++;
	char *name = ward_xstrndup(s, (size_t)(ne - s));
	char *value = ward_xstrndup(v, (size_t)(e - v));
	int rc = fn(ctx, name, value, err, errlen);
	free(name);
	/* values may be secrets: do not leave them in freed memory */
	memset(value, 0, strlen(value));
	free(value);
	return rc;
}

int kafka_props_parse(const char *text, size_t len, kafka_prop_fn fn, void *ctx, char *err,
		      size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		lineno++;
		if (props_line(p, e, lineno, fn, ctx, err, errlen) != 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

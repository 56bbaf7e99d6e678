/* loki_http.c - Loki HTTP requests over libcurl (see loki_http.h). */
#include "loki_http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wtime.h"

struct loki_http {
	CURL *curl;
	const struct loki_conf *conf;
	struct curl_slist *push_headers;
	struct curl_slist *push_gzip_headers;
	struct curl_slist *query_headers;
	struct ward_buf url;
	const bool *abort_flag;
	char errbuf[CURL_ERROR_SIZE];
};

void loki_http_global_init(void)
{
	static int done;
	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = 1;
	}
}

static struct curl_slist *common_headers(const struct loki_conf *c, struct curl_slist *l)
{
	char line[1024];
	if (c->tenant) {
		snprintf(line, sizeof(line), "X-Scope-OrgID: %s", c->tenant);
		l = curl_slist_append(l, line);
	}
	if (c->token && !c->user) {
		struct ward_buf b = WARD_BUF_INIT;
		buf_printf(&b, "Authorization: Bearer %s", c->token);
		l = curl_slist_append(l, buf_cstr(&b));
		explicit_bzero(b.data, b.cap);
		buf_free(&b);
	}
	return l;
}

struct loki_http *loki_http_new(const struct loki_conf *c)
{
	struct loki_http *h = ward_xcalloc(1, sizeof(*h));
	h->conf = c;
	h->curl = curl_easy_init();
	if (!h->curl)
		ward_oom();
	h->push_headers = common_headers(c, curl_slist_append(NULL, "Content-Type: application/json"));
	h->push_gzip_headers = common_headers(c, curl_slist_append(
		curl_slist_append(NULL, "Content-Type: application/json"), "Content-Encoding: gzip"));
	h->query_headers = common_headers(c, curl_slist_append(NULL, "Accept: application/json"));
	return h;
}

void loki_http_free(struct loki_http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->push_headers);
	curl_slist_free_all(h->push_gzip_headers);
	curl_slist_free_all(h->query_headers);
	buf_free(&h->url);
	free(h);
}

void loki_http_abort_on(struct loki_http *h, const bool *flag)
{
	h->abort_flag = flag;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	const struct loki_http *h = userdata;
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return h->abort_flag && __atomic_load_n(h->abort_flag, __ATOMIC_RELAXED);
}

static size_t on_body(char *p, size_t size, size_t n, void *userdata)
{
	struct ward_buf *resp = userdata;
	buf_append(resp, p, size * n);
	return size * n;
}

static void setup(struct loki_http *h, struct curl_slist *headers, struct ward_buf *resp)
{
	CURL *c = h->curl;
	const struct loki_conf *conf = h->conf;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, buf_cstr(&h->url));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(conf->timeout_ns / 1000000));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(conf->timeout_ns / 1000000));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ward/" "0.1");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	if (h->abort_flag) {
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, h);
	}
	if (conf->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, conf->ca_file);
	if (!conf->tls_verify) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (conf->user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, conf->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, conf->password);
	}
	h->errbuf[0] = '\0';
	buf_reset(resp);
}

static long perform(struct loki_http *h, char *err, size_t errlen)
{
	CURLcode rc = curl_easy_perform(h->curl);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
		return 0;
	}
	long status = 0;
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

long loki_http_push(struct loki_http *h, const char *body, size_t len, int gzipped,
		    struct ward_buf *resp, char *err, size_t errlen)
{
	buf_reset(&h->url);
	buf_printf(&h->url, "%s/loki/api/v1/push", h->conf->base_url);
	setup(h, gzipped ? h->push_gzip_headers : h->push_headers, resp);
	curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	return perform(h, err, errlen);
}

long loki_http_query_range(struct loki_http *h, const char *params,
			   struct ward_buf *resp, char *err, size_t errlen)
{
	buf_reset(&h->url);
	buf_printf(&h->url, "%s/loki/api/v1/query_range?%s", h->conf->base_url, params);
	setup(h, h->query_headers, resp);
	curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	return perform(h, err, errlen);
}

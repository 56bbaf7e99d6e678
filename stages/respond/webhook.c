/* webhook.c - libcurl POST of actions. */
#include "stages/respond/webhook.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

struct webhook {
	CURL *curl;
	struct curl_slist *headers;
	char *url;
	bool slack;
	long timeout_ms;
	struct ward_buf body;
};

struct webhook *webhook_new(const char *url, bool slack, long timeout_ms, char *err, size_t errlen)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err, errlen, "webhook URL must start with http:// or https://");
		return NULL;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct webhook *w = ward_xcalloc(1, sizeof(*w));
	w->curl = curl_easy_init();
	if (!w->curl) {
		snprintf(err, errlen, "curl_easy_init failed");
		free(w);
		return NULL;
	}
	w->headers = curl_slist_append(NULL, "Content-Type: application/json");
	w->url = ward_xstrdup(url);
	w->slack = slack;
	w->timeout_ms = timeout_ms;
	return w;
}

void webhook_body(bool slack, const struct ward_event *alert, const struct ward_event *action,
		  struct ward_buf *out)
{
	if (slack) {
		struct ward_buf text = WARD_BUF_INIT;
		buf_append_str(&text, "ward: ");
		buf_append(&text, action->line, action->line_len);
		buf_append_str(out, "{\"text\":");
		jsonw_string(out, text.data, text.len);
		buf_append_char(out, '}');
		buf_free(&text);
		return;
	}
	buf_append_str(out, "{\"alert\":");
	if (alert)
		event_serialize(alert, out);
	else
		buf_append_str(out, "null");
	buf_append_str(out, ",\"action\":");
	event_serialize(action, out);
	buf_append_char(out, '}');
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p, (void)ud;
	return size * n;
}

int webhook_post(struct webhook *w, const struct ward_event *alert, const struct ward_event *action,
		 char *err, size_t errlen)
{
	long status = 0;

	buf_reset(&w->body);
	webhook_body(w->slack, alert, action, &w->body);
	curl_easy_reset(w->curl);
	curl_easy_setopt(w->curl, CURLOPT_URL, w->url);
	curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, w->headers);
	curl_easy_setopt(w->curl, CURLOPT_POSTFIELDS, w->body.data);
	curl_easy_setopt(w->curl, CURLOPT_POSTFIELDSIZE, (long)w->body.len);
	curl_easy_setopt(w->curl, CURLOPT_TIMEOUT_MS, w->timeout_ms);
	curl_easy_setopt(w->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(w->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, discard);
	CURLcode cc = curl_easy_perform(w->curl);
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "webhook: %s", curl_easy_strerror(cc));
		return -1;
	}
	curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(err, errlen, "webhook: HTTP %ld", status);
		return -1;
	}
	return 0;
}

void webhook_free(struct webhook *w)
{
	if (!w)
		return;
	curl_easy_cleanup(w->curl);
	curl_slist_free_all(w->headers);
	free(w->url);
	buf_free(&w->body);
	free(w);
}

/* libFuzzer target: auditd records (stages/ingest/auditd.c) and their time
 * (auditd_time.c). Input: lines. Invariants: no crash, no leak, no read
 * past a line (each is copied to its own allocation, so ASan sees one),
 * every pair lies inside the store, keys are label-safe, the event
 * serializes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "event.h"
#include "stages/ingest/auditd.h"
#include "stages/ingest/auditd_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_record(const struct auditd_record *r)
{
	if (r->npairs > AUDITD_MAX_PAIRS || r->type + r->type_len >= r->store.len)
		abort();
	for (size_t i = 0; i < r->npairs; i++) {
		const struct auditd_pair *p = &r->pairs[i];
		if (p->key + p->klen >= r->store.len || p->val + p->vlen >= r->store.len ||
		    p->klen == 0 || p->klen > AUDITD_MAX_KEY)
			abort();
		const char *k = auditd_str(r, p->key);
		for (size_t j = 0; j < p->klen; j++) {
			char c = k[j];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			      (c >= '0' && c <= '9' && j > 0)))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct auditd_record *r = malloc(sizeof *r);
	auditd_record_init(r);
	struct ward_event ev;
	struct ward_buf out = WARD_BUF_INIT;
	event_init(&ev);
	const char *p = (const char *)data, *end = (const char *)data + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		char *line = malloc(len ? len : 1);
		memcpy(line, p, len);
		int64_t ts;
		(void)auditd_record_time(line, len, &ts);
		const char *why = NULL;
		if (auditd_parse(line, len, 0, r, &why) == 0) {
			check_record(r);
			event_reset(&ev);
			auditd_to_event(r, line, len, &ev);
			buf_reset(&out);
			event_serialize(&ev, &out);
			if (out.len == 0)
				abort();
		} else if (!why) {
			abort();
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	buf_free(&out);
	event_free(&ev);
	auditd_record_free(r);
	free(r);
	return 0;
}

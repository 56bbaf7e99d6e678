/* loki_http.h - the HTTP requests of the Loki transport (libcurl).
 *
 * One client per thread (a CURL handle keeps its connection alive). TLS,
 * tenant and authentication come from the loki_conf. */
#ifndef WARD_LOKI_HTTP_H
#define WARD_LOKI_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "loki_conf.h"

struct loki_http;

/* Once per process, before any thread starts. */
void loki_http_global_init(void);
struct loki_http *loki_http_new(const struct loki_conf *c);
void loki_http_free(struct loki_http *h);
/* A request in flight is abandoned once *flag becomes true (read
 * atomically; the flag belongs to the caller). */
void loki_http_abort_on(struct loki_http *h, const bool *flag);

/* POST body to /loki/api/v1/push. Returns the HTTP status, or 0 for a
 * connection error (why in err); the response body goes to resp. */
long loki_http_push(struct loki_http *h, const char *body, size_t len, int gzipped,
		    struct ward_buf *resp, char *err, size_t errlen);
/* GET /loki/api/v1/query_range with these (already escaped) parameters. */
long loki_http_query_range(struct loki_http *h, const char *params,
			   struct ward_buf *resp, char *err, size_t errlen);

#endif

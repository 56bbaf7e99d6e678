/* libFuzzer target: syslog parsing and TCP framing. The input is fed to the
 * framer in pieces whose sizes come from the first byte; every frame is
 * parsed. Invariants: frames are within max and inside the buffer; every
 * parsed string lies inside its message; the event line ends with MSG. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/ingest/syslog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void within(const struct syslog_str *s, const char *msg, size_t len)
{
	if (s->n && (s->p < msg || s->p + s->n > msg + len))
		abort();
}

static void check(const char *msg, size_t len)
{
	struct syslog_msg m;
	syslog_parse(msg, len, 1795867200LL * 1000000000LL, &m);
	within(&m.host, msg, len);
	within(&m.app, msg, len);
	within(&m.procid, msg, len);
	within(&m.msgid, msg, len);
	within(&m.sd, msg, len);
	within(&m.msg, msg, len);
	if (m.severity > 7 || m.facility > 23)
		abort();
	struct ward_buf line = WARD_BUF_INIT;
	syslog_line(&m, &line);
	if (line.len < m.msg.n || (m.msg.n && memcmp(line.data + line.len - m.msg.n, m.msg.p, m.msg.n) != 0))
		abort();
	buf_free(&line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t step = (size_t)data[0] % 64 + 1;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	/* one datagram */
	char *copy = malloc(n + 1);
	memcpy(copy, p, n);
	check(copy, n);
	free(copy);
	/* a TCP stream */
	struct syslog_framer f;
	syslog_framer_init(&f, 200);
	for (size_t off = 0; off < n; off += step) {
		size_t k = n - off < step ? n - off : step;
		syslog_framer_feed(&f, p + off, k);
		const char *msg;
		size_t len;
		bool trunc;
		while (syslog_framer_next(&f, &msg, &len, &trunc) == 1) {
			if (len > 200)
				abort();
			check(msg, len);
		}
	}
	const char *msg;
	size_t len;
	if (syslog_framer_rest(&f, &msg, &len) == 1)
		check(msg, len);
	syslog_framer_free(&f);
	return 0;
}

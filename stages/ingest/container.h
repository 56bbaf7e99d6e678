/* container.h - container runtime log lines, as Promtail's docker and cri
 * stages read them (no I/O except container_name_for_path).
 *
 * Docker json-file:  {"log":"text\n","stream":"stdout","time":"2026-...Z"}
 *   A "log" without a final newline is a piece of a longer line (Docker
 *   splits lines at 16 KiB); the pieces are joined.
 * CRI (containerd, CRI-O):  2026-11-28T08:43:52.123456789Z stdout F text
 *   flags P (partial) or F (full, possibly with more ':'-separated tags);
 *   P pieces are joined up to the next F.
 * The result is the text (without its newline), the stream (stdout or
 * stderr) and the runtime's timestamp. */
#ifndef WARD_INGEST_CONTAINER_H
#define WARD_INGEST_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct json_tokener;

struct cont_line {
	const char *text;	/* valid until the next call on the same parser */
	size_t len;
	const char *stream;	/* "stdout" or "stderr" (static) */
	int64_t ts_ns;
	bool partial;
};

struct docker_parser {
	struct json_tokener *tok;
	struct ward_buf text;
};

void docker_parser_init(struct docker_parser *p);
void docker_parser_free(struct docker_parser *p);
/* 0, or -1 with a reason when the line is not a json-file record. */
int docker_parse(struct docker_parser *p, const char *line, size_t len, struct cont_line *out,
		 const char **why);
int cri_parse(const char *line, size_t len, struct cont_line *out, const char **why);

/* Partial-line reassembly per (source, stream): at most max_len bytes and
 * max_parts pieces; beyond either, what was gathered is emitted as is. */
struct cont_asm_slot {
	char *key;
	struct ward_buf text;
	int64_t ts_ns;
	unsigned parts;
};
struct cont_asm {
	struct cont_asm_slot *slots;
	size_t len, cap;
	size_t max_len;
	unsigned max_parts;
	struct ward_buf out;
};
void cont_asm_init(struct cont_asm *a, size_t max_len, unsigned max_parts);
void cont_asm_free(struct cont_asm *a);
/* Feed one parsed piece from source key. Returns true when *out holds a
 * complete line (the joined pieces; its first piece's time), false when the
 * piece was kept waiting for the rest. */
bool cont_asm_feed(struct cont_asm *a, const char *key, const struct cont_line *in,
		   struct cont_line *out);

/* The container's name for a log file, or NULL: Docker's
 * /var/lib/docker/containers/<id>/<id>-json.log reads "Name" from
 * config.v2.json beside it; Kubernetes' /var/log/pods/<ns>_<pod>_<uid>/<name>/N.log
 * and /var/log/containers/<pod>_<ns>_<name>-<id>.log are read from the path.
 * The caller frees the result. */
char *container_name_for_path(const char *path);

#endif

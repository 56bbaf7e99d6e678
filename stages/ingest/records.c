/* records.c - Suricata, Zeek and journal JSON records (see records.h). */
#include "stages/ingest/records.h"

#include <ctype.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/ingest/auditd.h"
#include "stages/ingest/syslog.h"
#include "hex.h"
#include "wtime.h"

/* Zeek TSV header state of one source. */
struct zeek_src {
	char *key;
	char *sep, *set_sep, *empty, *unset, *path;
	char **fields, **types;
	size_t nfields;
};

struct recparse {
	enum rec_kind kind;
	struct json_tokener *tok;
	struct zeek_src *zs;
	size_t nzs;
	struct ward_buf tmp, val, name;
	struct auditd_record *audit;	/* REC_AUDITD */
};

struct recparse *recparse_new(enum rec_kind kind)
{
	struct recparse *p = ward_xcalloc(1, sizeof *p);
	p->kind = kind;
	p->tok = json_tokener_new_ex(32);
	if (kind == REC_AUDITD) {
		p->audit = ward_xmalloc(sizeof *p->audit);
		auditd_record_init(p->audit);
	}
	return p;
}

static void zeek_src_clear(struct zeek_src *z)
{
	free(z->sep);
	free(z->set_sep);
	free(z->empty);
	free(z->unset);
	free(z->path);
	for (size_t i = 0; i < z->nfields; i++) {
		free(z->fields[i]);
		free(z->types ? z->types[i] : NULL);
	}
	free(z->fields);
	free(z->types);
	z->sep = z->set_sep = z->empty = z->unset = z->path = NULL;
	z->fields = z->types = NULL;
	z->nfields = 0;
}

void recparse_free(struct recparse *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nzs; i++) {
		zeek_src_clear(&p->zs[i]);
		free(p->zs[i].key);
	}
	free(p->zs);
	json_tokener_free(p->tok);
	buf_free(&p->tmp);
	buf_free(&p->val);
	buf_free(&p->name);
	if (p->audit)
		auditd_record_free(p->audit);
	free(p->audit);
	free(p);
}

/* ---- helpers --------------------------------------------------------------- */

static json_object *parse_object(struct recparse *p, const char *line, size_t len)
{
	if (len == 0 || line[0] != '{' || len > INT32_MAX)
		return NULL;
	json_tokener_reset(p->tok);
	json_object *o = json_tokener_parse_ex(p->tok, line, (int)len);
	size_t end = o ? json_tokener_get_parse_end(p->tok) : 0;
	while (end < len && (line[end] == ' ' || line[end] == '\t' || line[end] == '\r'))
		end++;	/* trailing blanks are still one object; anything else is not */
	if (!o || json_tokener_get_error(p->tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object) || end != len) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static const char *jstr(json_object *o, const char *key, size_t *n)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	if (json_object_is_type(v, json_type_array) && json_object_array_length(v) > 0)
		v = json_object_array_get_idx(v, 0);	/* journal: a field written twice */
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	*n = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

/* A field name LogQL can use: dots and other bytes made '_'. */
static const char *field_name(struct recparse *p, const char *s, size_t n)
{
	buf_reset(&p->name);
	if (n == 0 || isdigit((unsigned char)s[0]))
		buf_append_str(&p->name, "_");
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		buf_append(&p->name, isalnum((unsigned char)c) || c == '_' ? &c : "_", 1);
	}
	return buf_cstr(&p->name);
}

static void set_upper_field(struct ward_event *ev, const char *key, const char *v, size_t n)
{
	char up[16];
	if (n >= sizeof up) {
		event_set_field(ev, key, v, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)v[i]);
	event_set_field(ev, key, up, n);
}

/* A copy of a field under another name (the kv may move when ev grows). */
static void copy_field(struct ward_event *ev, const struct ward_kv *from, const char *to)
{
	char *v = ward_xstrndup(from->val, from->val_len);
	size_t n = from->val_len;
	if (from->kind == WARD_VAL_NUMBER)
		event_set_field_num(ev, to, strtod(v, NULL));
	else
		event_set_field(ev, to, v, n);
	free(v);
}

/* ---- Suricata -------------------------------------------------------------- */

static void suricata_json_fields(json_object *o, struct ward_event *ev)
{
	static const char *const strs[] = { "src_ip", "dest_ip", "proto", "community_id", "app_proto" };
	static const char *const ints[] = { "src_port", "dest_port" };
	json_object *v;
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		size_t n;
		const char *s = jstr(o, strs[i], &n);
		if (s)
			event_set_field(ev, strs[i], s, n);
	}
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		if (json_object_object_get_ex(o, ints[i], &v) && json_object_is_type(v, json_type_int))
			event_set_field_int(ev, ints[i], json_object_get_int64(v));
	/* flow_id is a 64-bit number: as text, exact beyond 2^53. */
	if (json_object_object_get_ex(o, "flow_id", &v) && json_object_is_type(v, json_type_int)) {
		char id[32];
		int n = snprintf(id, sizeof id, "%" PRId64, json_object_get_int64(v));
		event_set_field(ev, "flow_id", id, (size_t)n);
	}
}

/* fast.log: "07/11/2022-10:29:01.860293  [**] [1:2200074:2] MSG [**]
 * [Classification: C] [Priority: 3] {TCP} 2.57.122.209:28487 -> 172.31.18.55:80"
 * (IPv6 addresses are written bare, the port after the last colon). */
static void set_endpoint(struct ward_event *ev, const char *ipkey, const char *portkey,
			 const char *s, size_t n)
{
	const char *colon = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ':')
			colon = s + i;
	size_t iplen = n;
	if (colon && colon + 1 < s + n) {
		char *end;
		char port[8];
		size_t pl = (size_t)(s + n - colon - 1);
		if (pl < sizeof port) {
			memcpy(port, colon + 1, pl);
			port[pl] = '\0';
			long v = strtol(port, &end, 10);
			if (*end == '\0' && v >= 0 && v <= 65535) {
				event_set_field_int(ev, portkey, v);
				iplen = (size_t)(colon - s);
			}
		}
	}
	if (iplen >= 2 && s[0] == '[' && s[iplen - 1] == ']') {
		s++;
		iplen -= 2;
	}
	if (iplen)
		event_set_field(ev, ipkey, s, iplen);
}

static int suricata_fast(const char *line, size_t len, struct ward_event *ev, const char **why)
{
	int64_t ts;
	size_t used;
	if (len < 26 || time_parse_prefix(line, len, 0, &ts, &used) != 0 || !memmem(line, len, "[**]", 4)) {
		*why = "not an eve.json object nor a fast.log line";
		return -1;
	}
	ev->ts_ns = ts;
	event_set_label(ev, "event_type", "alert", 5);
	/* The tuple is after the last "{PROTO} ": a message cannot hold it
	 * after the [Priority: N] that precedes it. */
	const char *brace = NULL;
	for (size_t i = len; i-- > 0;)
		if (line[i] == '{') {
			brace = line + i;
			break;
		}
	const char *end = line + len, *close = brace ? memchr(brace, '}', (size_t)(end - brace)) : NULL;
	if (!close || close + 1 >= end || close[1] != ' ')
		return 0;
	set_upper_field(ev, "proto", brace + 1, (size_t)(close - brace - 1));
	const char *src = close + 2, *arrow = memmem(src, (size_t)(end - src), " -> ", 4);
	if (!arrow)
		return 0;
	set_endpoint(ev, "src_ip", "src_port", src, (size_t)(arrow - src));
	set_endpoint(ev, "dest_ip", "dest_port", arrow + 4, (size_t)(end - arrow - 4));
	return 0;
}

static enum recparse_result suricata_line(struct recparse *p, const char *line, size_t len,
					  struct ward_event *ev, const char **why)
{
	json_object *o = parse_object(p, line, len);
	if (!o)
		return suricata_fast(line, len, ev, why) == 0 ? RECPARSE_EVENT : RECPARSE_BAD;
	size_t n;
	const char *type = jstr(o, "event_type", &n);
	if (!type) {
		json_object_put(o);
		*why = "eve.json record without an event_type";
		return RECPARSE_BAD;
	}
	event_set_label(ev, "event_type", type, n);
	const char *t = jstr(o, "timestamp", &n);
	int64_t ts;
	if (t && time_parse_text(t, n, 0, &ts) == 0)
		ev->ts_ns = ts;
	suricata_json_fields(o, ev);
	json_object_put(o);
	return RECPARSE_EVENT;
}

/* ---- Zeek ------------------------------------------------------------------ */

/* The ward name of a Zeek field, or NULL to use the field's own. */
static const char *zeek_alias(const char *name)
{
	static const char *const map[][2] = {
		{ "id.orig_h", "src_ip" }, { "id.orig_p", "src_port" },
		{ "id.resp_h", "dest_ip" }, { "id.resp_p", "dest_port" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(name, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* http.log's names in ward's HTTP vocabulary, kept under Zeek's too. */
static const char *zeek_http_alias(const char *name)
{
	if (strcmp(name, "uri") == 0)
		return "request_uri";
	if (strcmp(name, "user_agent") == 0)
		return "http_user_agent";
	if (strcmp(name, "status_code") == 0)
		return "status";
	return NULL;
}

enum zval { ZV_STR, ZV_INT, ZV_NUM };

static void zeek_set(struct recparse *p, struct ward_event *ev, const char *log, const char *name,
		     const char *v, size_t n, enum zval kind)
{
	if (strcmp(name, "ts") == 0) {
		int64_t ts;
		if (time_parse_epoch(v, n, &ts) == 0 || time_parse_text(v, n, 0, &ts) == 0)
			ev->ts_ns = ts;
		return;
	}
	if (strcmp(name, "_path") == 0)
		return;
	const char *alias = zeek_alias(name);
	const char *key = alias ? alias : field_name(p, name, strlen(name));
	char *keycopy = ward_xstrdup(key);
	if (strcmp(keycopy, "proto") == 0) {
		set_upper_field(ev, keycopy, v, n);
	} else if ((kind == ZV_INT || kind == ZV_NUM) && n > 0 && n < 64) {
		char num[64], *end;
		memcpy(num, v, n);
		num[n] = '\0';
		if (kind == ZV_INT) {
			long long x = strtoll(num, &end, 10);
			if (*end == '\0')
				event_set_field_int(ev, keycopy, x);
			else
				event_set_field(ev, keycopy, v, n);
		} else {
			double x = strtod(num, &end);
			if (*end == '\0')
				event_set_field_num(ev, keycopy, x);
			else
				event_set_field(ev, keycopy, v, n);
		}
	} else {
		event_set_field(ev, keycopy, v, n);
	}
	if (log && strcmp(log, "http") == 0 && zeek_http_alias(name)) {
		const struct ward_kv *kv = event_field(ev, keycopy);
		if (kv)
			copy_field(ev, kv, zeek_http_alias(name));
	}
	free(keycopy);
}

/* notice.log names the address it is about in src/dst/p when the
 * connection (id.*) is unset, e.g. Scan::Address_Scan. */
static void zeek_notice_fallback(struct ward_event *ev)
{
	static const char *const map[][2] = { { "src", "src_ip" }, { "dst", "dest_ip" }, { "p", "dest_port" } };
	for (size_t i = 0; i < 3; i++) {
		const struct ward_kv *from = event_field(ev, map[i][0]);
		if (from && !event_field(ev, map[i][1]))
			copy_field(ev, from, map[i][1]);
	}
}

/* The log's name from its file: conn.log, conn.09:00:00-10:00:00.log.gz,
 * /logs/2024-01-01/dns.log -> conn, conn, dns. */
static void path_from_source(const char *source, char *out, size_t outlen)
{
	out[0] = '\0';
	if (!source || strcmp(source, "-") == 0)
		return;
	const char *base = strrchr(source, '/');
	base = base ? base + 1 : source;
	size_t n = strcspn(base, ".");
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, base, n);
	out[n] = '\0';
}

static struct zeek_src *zeek_state(struct recparse *p, const char *source)
{
	const char *key = source ? source : "-";
	for (size_t i = 0; i < p->nzs; i++)
		if (strcmp(p->zs[i].key, key) == 0)
			return &p->zs[i];
	p->zs = ward_xrealloc(p->zs, (p->nzs + 1) * sizeof *p->zs);
	struct zeek_src *z = &p->zs[p->nzs++];
	memset(z, 0, sizeof *z);
	z->key = ward_xstrdup(key);
	return z;
}

/* Zeek's ASCII escapes: \xHH for a byte, \\ for a backslash. */
static void zeek_unescape(const char *s, size_t n, struct ward_buf *out)
{
	buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		int64_t v = s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' ? hex_parse(s + i + 2, 2) : -1;
		if (v >= 0) {
			char c = (char)v;
			buf_append(out, &c, 1);
			i += 3;
		} else if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\\') {
			buf_append(out, "\\", 1);
			i++;
		} else {
			buf_append(out, s + i, 1);
		}
	}
	buf_cstr(out);
}

static char *dup_unescaped(struct recparse *p, const char *s, size_t n)
{
	zeek_unescape(s, n, &p->tmp);
	return ward_xstrndup(p->tmp.data ? p->tmp.data : "", p->tmp.len);
}

/* Split s[0..n) at sep into a new array of unescaped strings. */
static char **split_names(struct recparse *p, const char *s, size_t n, const char *sep, size_t *count)
{
	char **v = NULL;
	size_t k = 0, sl = strlen(sep);
	const char *end = s + n;
	for (;;) {
		const char *e = sl ? memmem(s, (size_t)(end - s), sep, sl) : NULL;
		size_t len = (size_t)((e ? e : end) - s);
		v = ward_xrealloc(v, (k + 1) * sizeof *v);
		v[k++] = dup_unescaped(p, s, len);
		if (!e)
			break;
		s = e + sl;
	}
	*count = k;
	return v;
}

static enum recparse_result zeek_header(struct recparse *p, struct zeek_src *z, const char *line,
					size_t len, const char **why)
{
	const char *sep = z->sep ? z->sep : "\t";
	size_t sl = strlen(sep);
	if (len >= 11 && memcmp(line, "#separator ", 11) == 0) {
		zeek_src_clear(z);	/* a new header: a new file or log */
		z->sep = dup_unescaped(p, line + 11, len - 11);
		if (!*z->sep) {
			*why = "Zeek #separator is empty";
			return RECPARSE_BAD;
		}
		return RECPARSE_SKIP;
	}
	const char *e = sl ? memmem(line, len, sep, sl) : NULL;
	if (!e)
		return RECPARSE_SKIP;	/* a comment, or #close without a value */
	size_t kl = (size_t)(e - line);
	const char *v = e + sl;
	size_t vl = len - kl - sl;
	char **target = NULL;
	if (kl == 14 && memcmp(line, "#set_separator", 14) == 0)
		target = &z->set_sep;
	else if (kl == 12 && memcmp(line, "#empty_field", 12) == 0)
		target = &z->empty;
	else if (kl == 12 && memcmp(line, "#unset_field", 12) == 0)
		target = &z->unset;
	else if (kl == 5 && memcmp(line, "#path", 5) == 0)
		target = &z->path;
	if (target) {
		free(*target);
		*target = dup_unescaped(p, v, vl);
		return RECPARSE_SKIP;
	}
	if (kl == 7 && memcmp(line, "#fields", 7) == 0) {
		for (size_t i = 0; i < z->nfields; i++) {
			free(z->fields[i]);
			free(z->types ? z->types[i] : NULL);
		}
		free(z->fields);
		free(z->types);
		z->types = NULL;
		z->fields = split_names(p, v, vl, sep, &z->nfields);
		if (z->nfields > 4096) {
			*why = "Zeek #fields: more than 4096 fields";
			return RECPARSE_BAD;
		}
		return RECPARSE_SKIP;
	}
	if (kl == 6 && memcmp(line, "#types", 6) == 0) {
		size_t nt;
		char **t = split_names(p, v, vl, sep, &nt);
		if (nt != z->nfields) {
			for (size_t i = 0; i < nt; i++)
				free(t[i]);
			free(t);
			*why = "Zeek #types does not match #fields";
			return RECPARSE_BAD;
		}
		if (z->types)
			for (size_t i = 0; i < z->nfields; i++)
				free(z->types[i]);
		free(z->types);
		z->types = t;
		return RECPARSE_SKIP;
	}
	return RECPARSE_SKIP;	/* #open, #close and anything else */
}

static enum zval zeek_type(const char *t)
{
	if (!t)
		return ZV_STR;
	if (strcmp(t, "port") == 0 || strcmp(t, "count") == 0 || strcmp(t, "int") == 0)
		return ZV_INT;
	if (strcmp(t, "double") == 0 || strcmp(t, "interval") == 0 || strcmp(t, "time") == 0)
		return ZV_NUM;
	return ZV_STR;
}

static enum recparse_result zeek_tsv(struct recparse *p, const char *source, const char *line,
				     size_t len, struct ward_event *ev, const char **why)
{
	struct zeek_src *z = zeek_state(p, source);
	if (len > 0 && line[0] == '#')
		return zeek_header(p, z, line, len, why);
	if (len == 0)
		return RECPARSE_SKIP;
	if (!z->fields) {
		*why = "Zeek TSV record before its #fields header";
		return RECPARSE_BAD;
	}
	const char *sep = z->sep ? z->sep : "\t", *unset = z->unset ? z->unset : "-";
	const char *empty = z->empty ? z->empty : "(empty)";
	size_t sl = strlen(sep), count = 1;
	for (const char *s = line; (s = memmem(s, (size_t)(line + len - s), sep, sl)); s += sl)
		count++;
	if (count != z->nfields) {
		*why = "Zeek TSV record: not as many values as #fields";
		return RECPARSE_BAD;
	}
	char logname[64];
	if (z->path)
		snprintf(logname, sizeof logname, "%s", z->path);
	else
		path_from_source(source, logname, sizeof logname);
	if (logname[0])
		event_set_label(ev, "zeek_log", logname, strlen(logname));
	const char *s = line, *end = line + len;
	for (size_t i = 0; i < z->nfields; i++) {
		const char *e = memmem(s, (size_t)(end - s), sep, sl);
		size_t vl = (size_t)((e ? e : end) - s);
		if (!(vl == strlen(unset) && memcmp(s, unset, vl) == 0)) {
			if (vl == strlen(empty) && memcmp(s, empty, vl) == 0)
				buf_reset(&p->val);
			else
				zeek_unescape(s, vl, &p->val);
			zeek_set(p, ev, logname, z->fields[i], p->val.data ? p->val.data : "", p->val.len,
				 zeek_type(z->types ? z->types[i] : NULL));
		}
		s = e ? e + sl : end;
	}
	if (strcmp(logname, "notice") == 0)
		zeek_notice_fallback(ev);
	return RECPARSE_EVENT;
}

static enum recparse_result zeek_json(struct recparse *p, const char *source, const char *line,
				      size_t len, struct ward_event *ev, const char **why)
{
	json_object *o = parse_object(p, line, len);
	if (!o) {
		*why = "not a Zeek JSON object";
		return RECPARSE_BAD;
	}
	char logname[64];
	size_t n;
	const char *path = jstr(o, "_path", &n);
	if (path)
		snprintf(logname, sizeof logname, "%.*s", (int)(n < 63 ? n : 63), path);
	else
		path_from_source(source, logname, sizeof logname);
	if (logname[0])
		event_set_label(ev, "zeek_log", logname, strlen(logname));
	json_object_object_foreach(o, key, v) {
		switch (json_object_get_type(v)) {
		case json_type_string:
			zeek_set(p, ev, logname, key, json_object_get_string(v),
				 (size_t)json_object_get_string_len(v), ZV_STR);
			break;
		case json_type_int:
		case json_type_double:
		case json_type_boolean: {
			const char *t = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
			enum zval k = json_object_is_type(v, json_type_int) ? ZV_INT
				    : json_object_is_type(v, json_type_double) ? ZV_NUM : ZV_STR;
			zeek_set(p, ev, logname, key, t, strlen(t), k);
			break;
		}
		case json_type_array: {	/* sets and vectors: joined with ',' as in TSV */
			buf_reset(&p->val);
			size_t an = json_object_array_length(v);
			for (size_t i = 0; i < an; i++) {
				json_object *el = json_object_array_get_idx(v, i);
				const char *t = json_object_is_type(el, json_type_string)
					? json_object_get_string(el)
					: json_object_to_json_string_ext(el, JSON_C_TO_STRING_PLAIN);
				if (i)
					buf_append(&p->val, ",", 1);
				buf_append_str(&p->val, t ? t : "");
			}
			char *joined = ward_xstrndup(p->val.data ? p->val.data : "", p->val.len);
			zeek_set(p, ev, logname, key, joined, strlen(joined), ZV_STR);
			free(joined);
			break;
		}
		default:
			break;	/* null (unset), nested objects */
		}
	}
	json_object_put(o);
	if (strcmp(logname, "notice") == 0)
		zeek_notice_fallback(ev);
	return RECPARSE_EVENT;
}

/* ---- journal --------------------------------------------------------------- */

void journal_line(const struct journal_entry *e, struct ward_buf *out)
{
	buf_reset(out);
	if (e->ident && e->ident_len) {
		buf_append(out, e->ident, e->ident_len);
		if (e->pid && e->pid_len) {
			buf_append(out, "[", 1);
			buf_append(out, e->pid, e->pid_len);
			buf_append(out, "]", 1);
		}
		buf_append(out, ": ", 2);
	}
	if (e->msg)
		buf_append(out, e->msg, e->msg_len);
	buf_cstr(out);
}

void journal_labels(const struct journal_entry *e, struct ward_event *ev)
{
	if (e->host && e->host_len)
		event_set_label(ev, "host", e->host, e->host_len);
	if (e->ident && e->ident_len)
		event_set_label(ev, "program", e->ident, e->ident_len);
	if (e->pid && e->pid_len)
		event_set_label(ev, "pid", e->pid, e->pid_len);
	const char *sev = syslog_severity_name(e->priority);
	if (sev)
		event_set_label(ev, "severity", sev, strlen(sev));
	if (e->unit && e->unit_len)
		event_set_label(ev, "unit", e->unit, e->unit_len);
}

static enum recparse_result journal_json(struct recparse *p, const char *line, size_t len,
					 struct ward_event *ev, const char **why)
{
	json_object *o = parse_object(p, line, len);
	if (!o) {
		*why = "not a journal JSON object";
		return RECPARSE_BAD;
	}
	struct journal_entry e = { .priority = -1, .ts_ns = WARD_TS_NONE };
	e.msg = jstr(o, "MESSAGE", &e.msg_len);
	json_object *m;
	if (!e.msg && json_object_object_get_ex(o, "MESSAGE", &m) && json_object_is_type(m, json_type_array)) {
		/* journalctl writes data that is not UTF-8 as an array of bytes */
		buf_reset(&p->val);
		size_t an = json_object_array_length(m);
		for (size_t i = 0; i < an; i++) {
			char c = (char)json_object_get_int(json_object_array_get_idx(m, i));
			buf_append(&p->val, &c, 1);
		}
		e.msg = p->val.data ? p->val.data : "";
		e.msg_len = p->val.len;
	}
	if (!e.msg) {
		json_object_put(o);
		*why = "journal entry without a MESSAGE";
		return RECPARSE_BAD;
	}
	e.ident = jstr(o, "SYSLOG_IDENTIFIER", &e.ident_len);
	if (!e.ident)
		e.ident = jstr(o, "_COMM", &e.ident_len);
	e.pid = jstr(o, "SYSLOG_PID", &e.pid_len);
	if (!e.pid)
		e.pid = jstr(o, "_PID", &e.pid_len);
	e.host = jstr(o, "_HOSTNAME", &e.host_len);
	e.unit = jstr(o, "_SYSTEMD_UNIT", &e.unit_len);
	size_t n;
	const char *pr = jstr(o, "PRIORITY", &n);
	if (pr && n == 1 && pr[0] >= '0' && pr[0] <= '7')
		e.priority = pr[0] - '0';
	const char *rt = jstr(o, "__REALTIME_TIMESTAMP", &n);
	if (rt && n > 0 && n <= 16 && strspn(rt, "0123456789") == n) {
		long long us = strtoll(rt, NULL, 10);
		if (us <= INT64_MAX / 1000)
			e.ts_ns = (int64_t)us * 1000;
	}
	journal_line(&e, &p->tmp);
	event_set_line(ev, p->tmp.data, p->tmp.len);
	journal_labels(&e, ev);
	ev->ts_ns = e.ts_ns;
	json_object_put(o);
	return RECPARSE_EVENT;
}

enum recparse_result recparse_line(struct recparse *p, const char *source, const char *line,
				   size_t len, struct ward_event *ev, const char **why)
{
	event_reset(ev);
	ev->ts_ns = WARD_TS_NONE;
	*why = NULL;
	switch (p->kind) {
	case REC_SURICATA:
		event_set_line(ev, line, len);
		return suricata_line(p, line, len, ev, why);
	case REC_ZEEK:
		event_set_line(ev, line, len);
		if (len > 0 && line[0] == '{')
			return zeek_json(p, source, line, len, ev, why);
		return zeek_tsv(p, source, line, len, ev, why);
	case REC_AUDITD:
		if (auditd_parse(line, len, 0, p->audit, why) != 0)
			return RECPARSE_BAD;
		auditd_to_event(p->audit, line, len, ev);
		return RECPARSE_EVENT;
	case REC_JOURNAL_JSON:
	default:
		return journal_json(p, line, len, ev, why);
	}
}

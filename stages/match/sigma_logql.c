/* sigma_logql.c - one Sigma rule -> one LogQL log query.
 *
 * Shape of the query:
 *   {job=~".+"} <source line filter> <keyword line filters> <parser stages>
 *     <derived-field stages> | <label filter expression> | drop <helpers>
 * The top-level AND terms of the condition that are plain keyword searches
 * become line filters (`|~`, `!~`: the engine's prefilter sees them); the
 * rest becomes one label filter expression (`and`/`or`/parentheses; `not`
 * is pushed down to the leaves, since LogQL label filters have no `not`).
 *
 * Values are data: sigma_regex.c makes each one a regex (literals quoted,
 * `re` values checked), and every regex is written as a LogQL "..." string
 * with its quotes and backslashes escaped (sigma_quote.c). This file maps
 * the log source and the fields, and builds the expression. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/match/rule_fragments.h"
#include "stages/match/sigma.h"

/* The packs' own fragments (rules/genlib.py, rules/gen_web.py), generated
 * into rule_fragments.h: Sigma rules read lines exactly as the packs do. */
#define ACCESS_PIPELINE RULE_ACCESS_PIPELINE
#define PROGRAM_AT_START(prog) RULE_PROGRAM_AT_START(prog)

/* Derived web fields, computed only when a rule names them. */
enum { D_LINE = 1, D_PATH = 2, D_EXT = 4, D_HOST = 8, D_USER = 16, D_SUDO = 32 };

/* The remote user of a text access log: ACCESS_TEXT_REGEX of
 * rules/gen_web.py with only that token captured (position-anchored, so a
 * client cannot choose where it is read). */
static const char D_USER_STAGE[] =
	" | regexp `^(?:(?:(?:<\\d{1,3}>)?(?:[A-Z][a-z]{2} {1,2}\\d{1,2} \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)) \\S+ )?(?:nginx|apache2?|httpd|apache-access|lighttpd)(?:\\[\\d+\\])?: |<\\d{1,3}>1 \\S+ \\S+ (?:nginx|apache2?|httpd|apache-access|lighttpd) \\S+ \\S+ (?:-|(?:\\[(?:[^\\]\\\\]|\\\\.)*\\])+) )?(?:(?:[^\\s\"]+) )?(?:[0-9A-Fa-f:.]*[0-9A-Fa-f](?:%[0-9A-Za-z]+)?) \\S+ (?P<_sigma_user>\\S+) \\[`";

static const char D_PATH_STAGE[] =
	" | label_format _sigma_path_raw=`{{ regexReplaceAll \"(?s)\\\\?.*\" .request_uri \"\" }}`,"
	" _sigma_path=`{{ regexReplaceAll \"(?s)\\\\?.*\" .uri \"\" }}`,"
	" _sigma_query_raw=`{{ regexReplaceAll \"^(?s)[^?]*\\\\??\" .request_uri \"\" }}`,"
	" _sigma_query=`{{ regexReplaceAll \"^(?s)[^?]*\\\\??\" .uri \"\" }}`";
static const char D_EXT_STAGE[] =
	" | label_format _sigma_ext=`{{ regexReplaceAll \"^(?s)(?:.*\\\\.([^./]*)|.*)$\" (regexReplaceAll \"(?s)\\\\?.*\" .uri \"\") \"${1}\" }}`";
static const char D_HOST_STAGE[] =
	" | label_format _sigma_host=`{{ $h := regexReplaceAll \"^(?s)(?:[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)|([^/?#:]+):[0-9]+$|).*$\" .request_uri \"${1}${2}\" }}"
	"{{ if $h }}{{ $h }}{{ else }}{{ regexReplaceAll \":[0-9]+$\" .vhost \"\" }}{{ end }}`";

enum src_kind { SRC_WEB, SRC_LINUX, SRC_AUDITD };

#define FMAP_MAX 4
struct fmap {
	const char *sigma;
	const char *ward[FMAP_MAX];
	unsigned derived;
	const char *null_field;	/* what `field: null` tests, when not every target */
};

/* webserver / proxy taxonomy -> the access-log fields (docs/sigma.md). */
static const struct fmap WEB_FIELDS[] = {
	{ "c-ip", { "src_ip" }, 0, NULL },
	{ "src_ip", { "src_ip" }, 0, NULL },
	{ "cs-method", { "method" }, 0, NULL },
	{ "sc-status", { "status" }, 0, NULL },
	{ "c-useragent", { "user_agent" }, 0, NULL },
	{ "cs-user-agent", { "user_agent" }, 0, NULL },
	{ "cs(User-Agent)", { "user_agent" }, 0, NULL },
	{ "cs-referer", { "referer" }, 0, NULL },
	{ "cs-referrer", { "referer" }, 0, NULL },
	{ "cs(Referer)", { "referer" }, 0, NULL },
	{ "cs-version", { "server_protocol" }, 0, NULL },
	/* the query string, and the whole URI: text and combined logs do not
	 * split them, and SigmaHQ's rules use cs-uri-query for "in the request" */
	{ "cs-uri-query", { "request_uri", "uri", "_sigma_query_raw", "_sigma_query" }, D_PATH, "_sigma_query_raw" },
	{ "c-uri-query", { "request_uri", "uri", "_sigma_query_raw", "_sigma_query" }, D_PATH, "_sigma_query_raw" },
	{ "cs-uri", { "request_uri", "uri" }, 0, NULL },
	{ "c-uri", { "request_uri", "uri" }, 0, NULL },
	{ "url", { "request_uri", "uri" }, 0, NULL },
	{ "cs-uri-stem", { "_sigma_path_raw", "_sigma_path" }, D_PATH, NULL },
	{ "c-uri-stem", { "_sigma_path_raw", "_sigma_path" }, D_PATH, NULL },
	{ "c-uri-extension", { "_sigma_ext" }, D_EXT, NULL },
	{ "cs-host", { "_sigma_host" }, D_HOST, NULL },
	{ "r-dns", { "_sigma_host" }, D_HOST, NULL },
	{ "vhost", { "vhost" }, 0, NULL },
	/* proxy: the destination named by an absolute-form request URI */
	{ "dst_ip", { "_sigma_host" }, D_HOST, NULL },
	{ "cs-username", { "_sigma_user", "remote_user" }, D_USER, NULL },
	/* only in JSON access logs that carry nginx's $http_cookie / $content_type */
	{ "cs-cookie", { "http_cookie" }, 0, NULL },
	{ "cs(Cookie)", { "http_cookie" }, 0, NULL },
	{ "cs-content-type", { "content_type" }, 0, NULL },
};

/* sudo's log line (sudo's logging: "user : TTY=.. ; PWD=.. ; USER=.. ;
 * COMMAND=..", optional CHROOT, GROUP, TSID, ENV), anchored after the tag. */
static const char SUDO_FIELDS[][8] = { "USER", "COMMAND", "TTY", "PWD" };
#define SUDO_REGEX PROGRAM_AT_START("sudo") \
	" *\\S+ : (?:[^;]* ; )*?TTY=(?P<TTY>\\S*) ; (?:CHROOT=.*? ; )?PWD=(?P<PWD>.*?) ; USER=(?P<USER>.*?) ; " \
	"(?:GROUP=.*? ; )?(?:TSID=.*? ; )?(?:ENV=.*? ; )?COMMAND=(?P<COMMAND>.*)$"

enum { AUDITD_FIELDS_MAX = 32 };

struct gen {
	const struct sigma_rule *r;
	enum src_kind kind;
	bool sudo;
	unsigned derived;
	struct sigma_refusal fail;
	const char *null_field;	/* of the field map_field last mapped */
	struct ward_buf fref;	/* label_format stages of fieldref comparisons */
	unsigned nfref;
	const char *afields[AUDITD_FIELDS_MAX];	/* auditd: the fields the query reads */
	size_t nafields;
};

/* ---- label filter expression ------------------------------------------------ */

static bool is_plain(unsigned mods)
{
	return !(mods & (SM_CIDR | SM_GT | SM_GTE | SM_LT | SM_LTE | SM_EXISTS | SM_FIELDREF));
}

static bool label_name_ok(const char *s)
{
	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* Remember that the query reads auditd field f (auditd_stages). */
static bool auditd_field(struct gen *g, const char *f)
{
	for (size_t i = 0; i < g->nafields; i++)
		if (!strcmp(g->afields[i], f))
			return true;
	if (g->nafields == AUDITD_FIELDS_MAX) {
		sigma_refuse(&g->fail, "more than %d auditd fields", AUDITD_FIELDS_MAX);
		return false;
	}
	g->afields[g->nafields++] = f;
	return true;
}

/* The ward fields a Sigma field reads (1 or 2), or 0 with a refusal. */
static size_t map_field(struct gen *g, const char *f, unsigned mods, const char *out[FMAP_MAX])
{
	if (!f) {
		g->derived |= D_LINE;
		out[0] = "_sigma_line";
		return 1;
	}
	g->null_field = NULL;
	if (g->kind == SRC_WEB) {
		for (size_t i = 0; i < sizeof(WEB_FIELDS) / sizeof(WEB_FIELDS[0]); i++)
			if (!strcmp(WEB_FIELDS[i].sigma, f)) {
				g->null_field = WEB_FIELDS[i].null_field;
				size_t n = 0;
				while (n < FMAP_MAX && WEB_FIELDS[i].ward[n]) {
					out[n] = WEB_FIELDS[i].ward[n];
					n++;
				}
				/* the query string is a substring of the URI: for a search
				 * (contains, endswith, re) the URI alone gives the answer */
				bool search = mods & (SM_CONTAINS | SM_ENDSWITH | SM_RE | SM_BASE64OFFSET);
				if (g->null_field && search && !(mods & SM_EXISTS)) {
					g->null_field = NULL;
					return 2;
				}
				g->derived |= WEB_FIELDS[i].derived;
				return n;
			}
		sigma_refuse(&g->fail, "field %.60s has no mapping for web logs (docs/sigma.md)", f);
		return 0;
	}
	if (g->kind == SRC_AUDITD && label_name_ok(f)) {
		out[0] = f;
		return auditd_field(g, f) ? 1 : 0;
	}
	for (size_t i = 0; g->sudo && i < sizeof(SUDO_FIELDS) / sizeof(SUDO_FIELDS[0]); i++)
		if (!strcmp(f, SUDO_FIELDS[i])) {
			g->derived |= D_SUDO;
			out[0] = SUDO_FIELDS[i];
			return 1;
		}
	sigma_refuse(&g->fail, "field %.60s has no mapping for %s logs (only keywords)", f,
	      g->kind == SRC_AUDITD ? "auditd" : "linux syslog");
	return 0;
}

static bool numeric(const char *s)
{
	if (!s || !*s)
		return false;
	char *end;
	strtod(s, &end);
	return *end == '\0' && !isspace((unsigned char)*s) && strspn(s, "+-.0123456789eE") == strlen(s);
}

/* One leaf over one ward field, possibly negated. */
static void leaf_regex(struct ward_buf *out, const char *field, const char *re, bool neg)
{
	buf_printf(out, "%s %s ", field, neg ? "!~" : "=~");
	sigma_quote_logql(out, re);
}

/* field|fieldref: other - the two fields' values compared in a template
 * (case-insensitively unless cased; with contains/startswith/endswith),
 * whose result a label filter tests. */
static void fieldref_expr(struct gen *g, const struct sigma_item *it, const char *field, bool neg,
			  struct ward_buf *out)
{
	unsigned m = it->mods;
	if (m & ~(SM_FIELDREF | SM_CONTAINS | SM_STARTSWITH | SM_ENDSWITH | SM_CASED | SM_ALL)) {
		sigma_refuse(&g->fail, "fieldref with other modifiers than contains, startswith, endswith, cased");
		return;
	}
	bool all = (m & SM_ALL) && it->nvals > 1;
	buf_append_char(out, '(');
	for (size_t i = 0; i < it->nvals; i++) {
		const char *tg[FMAP_MAX] = { 0 };
		if (!it->vals[i].s || !map_field(g, it->vals[i].s, 0, tg)) {
			sigma_refuse(&g->fail, "fieldref needs a field name");
			return;
		}
		const char *fn = (m & SM_CONTAINS) ? "contains" : (m & SM_STARTSWITH) ? "hasPrefix" :
				 (m & SM_ENDSWITH) ? "hasSuffix" : "eq";
		bool lower = !(m & SM_CASED);
		unsigned k = g->nfref++;
		/* sprig's contains/hasPrefix/hasSuffix take (needle, haystack) */
		buf_printf(&g->fref, " | label_format _sigma_fr%u=`{{ if %s (%s.%s) (%s.%s) }}1{{ end }}`", k, fn,
			   lower ? "lower " : "", strcmp(fn, "eq") ? tg[0] : field, lower ? "lower " : "",
			   strcmp(fn, "eq") ? field : tg[0]);
		if (i)
			buf_append_str(out, (all != neg) ? " and " : " or ");
		buf_printf(out, "_sigma_fr%u %s \"1\"", k, neg ? "!=" : "=");
	}
	buf_append_char(out, ')');
}

/* The expression of one item (field + values), negated when neg. */
static void item_expr(struct gen *g, const struct sigma_item *it, bool neg, struct ward_buf *out)
{
	const char *tg[FMAP_MAX] = { 0 };
	size_t nt = map_field(g, it->field, it->mods, tg);
	if (!nt)
		return;
	unsigned m = it->mods;
	const char *join_t = neg ? " and " : " or ";		/* over targets */
	bool all = (m & SM_ALL) && it->nvals > 1;
	const char *join_v = (all != neg) ? " and " : " or ";	/* over values */
	if (m & SM_FIELDREF) {
		fieldref_expr(g, it, tg[0], neg, out);
		return;
	}
	if ((m & (SM_UTF16LE | SM_UTF16BE | SM_UTF16)) && !(m & (SM_BASE64 | SM_BASE64OFFSET))) {
		sigma_refuse(&g->fail, "utf16/wide without base64: ward matches text, not UTF-16 bytes");
		return;
	}
	if ((m & SM_RE) && (m & ~(SM_RE | SM_RE_I | SM_RE_M | SM_RE_S | SM_ALL))) {
		sigma_refuse(&g->fail, "re with other modifiers than i, m, s, all");
		return;
	}
	buf_append_char(out, '(');
	if (m & SM_EXISTS) {
		const char *v = it->vals[0].s ? it->vals[0].s : "";
		bool want = strcasecmp(v, "false") != 0;
		if (want == neg)
			buf_printf(out, "%s = \"\"", tg[0]);
		else
			buf_printf(out, "%s != \"\"", tg[0]);
		for (size_t t = 1; t < nt; t++)
			buf_printf(out, "%s%s %s \"\"", want == neg ? " and " : " or ", tg[t], want == neg ? "=" : "!=");
		buf_append_char(out, ')');
		return;
	}
	bool first = true;
	/* Plain string values in one regex per target (when not |all). */
	if (is_plain(m) && !all) {
		struct sigma_value *sv = ward_xcalloc(it->nvals, sizeof(*sv));
		size_t ns = 0;
		for (size_t i = 0; i < it->nvals; i++)
			if (it->vals[i].s)
				sv[ns++] = it->vals[i];
		if (ns) {
			struct ward_buf re = WARD_BUF_INIT;
			sigma_regex_item(&g->fail, it, sv, ns, it->field == NULL, &re);
			for (size_t t = 0; t < nt; t++) {
				if (!first)
					buf_append_str(out, join_t);
				leaf_regex(out, tg[t], buf_cstr(&re), neg);
				first = false;
			}
			buf_free(&re);
		}
		free(sv);
		for (size_t i = 0; i < it->nvals; i++)
			if (!it->vals[i].s) {	/* null: the field is empty or absent */
				if (!first)
					buf_append_str(out, join_v);
				buf_append_char(out, '(');
				if (g->null_field)
					buf_printf(out, "%s %s \"\"", g->null_field, neg ? "!=" : "=");
				else
					for (size_t t = 0; t < nt; t++)
						buf_printf(out, "%s%s %s \"\"", t ? (neg ? " or " : " and ") : "", tg[t],
							   neg ? "!=" : "=");
				buf_append_char(out, ')');
				first = false;
			}
		buf_append_char(out, ')');
		return;
	}
	for (size_t i = 0; i < it->nvals; i++) {
		const struct sigma_value *v = &it->vals[i];
		if (!first)
			buf_append_str(out, join_v);
		first = false;
		buf_append_char(out, '(');
		for (size_t t = 0; t < nt; t++) {
			if (t)
				buf_append_str(out, join_t);
			if (!v->s) {
				buf_printf(out, "%s %s \"\"", g->null_field ? g->null_field : tg[t], neg ? "!=" : "=");
			} else if (m & SM_CIDR) {
				if (strspn(v->s, "0123456789abcdefABCDEF:./") != strlen(v->s) || !*v->s) {
					sigma_refuse(&g->fail, "cidr %.60s is not an address range", v->s);
					break;
				}
				buf_printf(out, "%s %s ip(", tg[t], neg ? "!=" : "=");
				sigma_quote_logql(out, v->s);
				buf_append_char(out, ')');
			} else if (m & (SM_GT | SM_GTE | SM_LT | SM_LTE)) {
				if (!numeric(v->s)) {
					sigma_refuse(&g->fail, "%.60s is not a number for gt/gte/lt/lte", v->s);
					break;
				}
				const char *op = (m & SM_GT) ? ">" : (m & SM_GTE) ? ">=" : (m & SM_LT) ? "<" : "<=";
				const char *nop = (m & SM_GT) ? "<=" : (m & SM_GTE) ? "<" : (m & SM_LT) ? ">=" : ">";
				/* A number filter on a value that does not convert keeps the line in
				 * LogQL (LabelFilterErr): test the shape first. */
				if (neg)
					buf_printf(out, "(%s !~ \"[-+]?[0-9]+(?:\\\\.[0-9]+)?\" or %s %s %s)", tg[t], tg[t], nop, v->s);
				else
					buf_printf(out, "(%s =~ \"[-+]?[0-9]+(?:\\\\.[0-9]+)?\" and %s %s %s)", tg[t], tg[t], op, v->s);
			} else {
				struct ward_buf re = WARD_BUF_INIT;
				sigma_regex_item(&g->fail, it, v, 1, it->field == NULL, &re);
				leaf_regex(out, tg[t], buf_cstr(&re), neg);
				buf_free(&re);
			}
		}
		buf_append_char(out, ')');
	}
	buf_append_char(out, ')');
}

static void sel_expr(struct gen *g, const struct sigma_sel *s, bool neg, struct ward_buf *out)
{
	buf_append_char(out, '(');
	for (size_t a = 0; a < s->nalts; a++) {
		if (a)
			buf_append_str(out, neg ? " and " : " or ");
		const struct sigma_group *grp = &s->alts[a];
		buf_append_char(out, '(');
		for (size_t i = 0; i < grp->nitems; i++) {
			if (i)
				buf_append_str(out, neg ? " or " : " and ");
			item_expr(g, &grp->items[i], neg, out);
		}
		buf_append_char(out, ')');
	}
	buf_append_char(out, ')');
}

static void cond_expr(struct gen *g, const struct sigma_cnode *n, bool neg, struct ward_buf *out)
{
	switch (n->op) {
	case SC_SEL:
		sel_expr(g, &g->r->sels[n->sel], neg, out);
		return;
	case SC_NOT:
		cond_expr(g, n->a, !neg, out);
		return;
	case SC_AND:
	case SC_OR:
		buf_append_char(out, '(');
		cond_expr(g, n->a, neg, out);
		buf_append_str(out, (n->op == SC_AND) != neg ? " and " : " or ");
		cond_expr(g, n->b, neg, out);
		buf_append_char(out, ')');
		return;
	}
}

/* ---- top level -------------------------------------------------------------- */

/* A selection that is one keyword item: its line filter, if the term can be
 * one (positive; or negated without |all). */
static bool keyword_filter(struct gen *g, const struct sigma_cnode *n, struct ward_buf *lf)
{
	bool neg = false;
	if (n->op == SC_NOT) {
		neg = true;
		n = n->a;
	}
	if (n->op != SC_SEL)
		return false;
	const struct sigma_sel *s = &g->r->sels[n->sel];
	if (s->nalts != 1 || s->alts[0].nitems != 1)
		return false;
	const struct sigma_item *it = &s->alts[0].items[0];
	if (it->field || !is_plain(it->mods) || (it->mods & (SM_UTF16 | SM_UTF16BE | SM_UTF16LE)))
		return false;
	for (size_t i = 0; i < it->nvals; i++)
		if (!it->vals[i].s)
			return false;
	bool all = (it->mods & SM_ALL) && it->nvals > 1;
	if (neg && all)
		return false;
	size_t groups = all ? it->nvals : 1;
	for (size_t k = 0; k < groups; k++) {
		struct ward_buf re = WARD_BUF_INIT;
		unsigned m = it->mods;
		buf_append_str(&re, sigma_regex_flags(m));
		buf_append_lit(&re, "(?:");
		for (size_t i = all ? k : 0; i < (all ? k + 1 : it->nvals); i++) {
			if (i > (all ? k : 0))
				buf_append_char(&re, '|');
			if (m & SM_RE)
				buf_append_lit(&re, "(?:");
			sigma_regex_value(&g->fail, m, it->vals[i].s, true, &re);
			if (m & SM_RE)
				buf_append_char(&re, ')');
		}
		buf_append_char(&re, ')');
		buf_append_str(lf, neg ? " !~ " : " |~ ");
		sigma_quote_logql(lf, buf_cstr(&re));
		buf_free(&re);
	}
	return true;
}

/* Split the top-level AND terms into line filters and the rest. */
static void split_and(struct gen *g, const struct sigma_cnode *n, struct ward_buf *lf, struct ward_buf *lab,
		      bool *any_lab)
{
	if (n->op == SC_AND) {
		split_and(g, n->a, lf, lab, any_lab);
		split_and(g, n->b, lf, lab, any_lab);
		return;
	}
	if (keyword_filter(g, n, lf))
		return;
	if (*any_lab)
		buf_append_str(lab, " and ");
	cond_expr(g, n, false, lab);
	*any_lab = true;
}

static int source_of(struct gen *g, struct ward_buf *out)
{
	const struct sigma_rule *r = g->r;
	const char *cat = r->category, *prod = r->product, *svc = r->service;
	if (cat && (!strcmp(cat, "webserver") || !strcmp(cat, "proxy"))) {
		g->kind = SRC_WEB;
		/* An exact, cheap prefilter: the text formats' regexp needs `] "`
		 * (after the time), and `| json` finds no member without a `{`. */
		buf_append_lit(out, "{job=~\".+\"} |= \"] \\\"\" or \"{\"");
		return 0;
	}
	if (!cat && !prod && svc && (!strcmp(svc, "apache") || !strcmp(svc, "nginx"))) {
		/* the servers' error logs: keywords over the line */
		g->kind = SRC_LINUX;
		buf_append_lit(out, "{job=~\".+\"}");
		return 0;
	}
	if (cat) {
		sigma_refuse(&g->fail, "log source category %.40s is not supported (webserver, proxy, linux builtin, auditd)", cat);
		return -1;
	}
	if (prod && !strcmp(prod, "linux")) {
		buf_append_lit(out, "{job=~\".+\"}");
		if (svc && !strcmp(svc, "auditd")) {
			g->kind = SRC_AUDITD;
			buf_append_lit(out, " |= \"msg=audit(\"");
			return 0;
		}
		g->kind = SRC_LINUX;
		static const struct {
			const char *svc, *prog;
		} progs[] = {
			{ "sshd", "sshd(?:-session|-auth)?" },
			{ "sudo", "sudo" },
			{ "cron", "(?:cron|CRON|crond|anacron)" },
			{ "vsftpd", "vsftpd" },
			{ "clamav", "(?:clamd|freshclam|clamscan|clamav-[a-z]+)" },
			{ "guacamole", "(?:guacd|guacamole[\\w-]*)" },
			{ "su", "su" },
			{ "systemd", "systemd" },
			{ "auditd", "auditd" },
		};
		if (!svc || !strcmp(svc, "syslog") || !strcmp(svc, "auth"))
			return 0;	/* any program: keywords over the line */
		g->sudo = !strcmp(svc, "sudo");
		for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
			if (!strcmp(svc, progs[i].svc)) {
				struct ward_buf re = WARD_BUF_INIT;
				buf_printf(&re, RULE_PROGRAM_AT_START("%s"), progs[i].prog, progs[i].prog);
				buf_append_lit(out, " |~ ");
				sigma_quote_logql(out, buf_cstr(&re));
				buf_free(&re);
				return 0;
			}
		sigma_refuse(&g->fail, "linux service %.40s is not supported (sshd, sudo, cron, vsftpd, clamav, guacamole, syslog, auth, auditd)",
		      svc);
		return -1;
	}
	sigma_refuse(&g->fail, "log source %s%.40s%s%.40s is not supported (webserver, proxy, linux builtin, auditd)",
	      prod ? "product " : "", prod ? prod : "", svc ? " service " : "", svc ? svc : "");
	return -1;
}

/* auditd: the fields the query reads, from the record's pairs. An event of
 * `ward-ingest --format auditd` carries them already, with the values
 * auditd hex-encodes decoded; a raw line gets them from `| logfmt`, which
 * would overwrite the decoded ones. So logfmt extracts into private names
 * (_sigma_a_F), and each field F keeps the event's value when it has one,
 * else takes the line's: `{{ if .F }}{{ .F }}{{ else }}{{ ._sigma_a_F }}{{ end }}`.
 * A missing field is "" either way, as `F != ""` (exists) expects. */
static void auditd_stages(struct gen *g, struct ward_buf *out)
{
	if (g->nafields == 0)
		return;
	buf_append_lit(out, " | logfmt ");
	for (size_t i = 0; i < g->nafields; i++)
		buf_printf(out, "%s_sigma_a_%s=\"%s\"", i ? ", " : "", g->afields[i], g->afields[i]);
	buf_append_lit(out, " | label_format ");
	for (size_t i = 0; i < g->nafields; i++) {
		const char *f = g->afields[i];
		buf_printf(out, "%s%s=`{{ if .%s }}{{ .%s }}{{ else }}{{ ._sigma_a_%s }}{{ end }}`", i ? ", " : "", f, f,
			   f, f);
	}
}

int sigma_to_logql(const struct sigma_rule *r, struct ward_buf *out, char *err, size_t errlen)
{
	return sigma_to_logql_with(r, NULL, 0, out, err, errlen);
}

int sigma_to_logql_with(const struct sigma_rule *r, const char *const *extra, size_t nextra,
			struct ward_buf *out, char *err, size_t errlen)
{
	struct gen g = { .r = r, .fail = { .err = err, .errlen = errlen } };
	if (r->error) {
		snprintf(err, errlen, "%s", r->error);
		return -1;
	}
	if (r->corr.type != SC_NONE) {
		snprintf(err, errlen, "a correlation rule has no log query of its own");
		return -1;
	}
	struct ward_buf head = WARD_BUF_INIT, lf = WARD_BUF_INIT, lab = WARD_BUF_INIT;
	struct sigma_cnode *root = NULL;
	if (source_of(&g, &head) != 0)
		goto out;
	for (size_t i = 0; i < r->nconditions; i++) {
		char cerr[256];
		struct sigma_cnode *c = sigma_cond_parse(r->conditions[i], r->sels, r->nsels, cerr, sizeof(cerr));
		if (!c) {
			sigma_refuse(&g.fail, "%s", cerr);
			goto out;
		}
		if (root) {	/* a list of conditions: any of them */
			struct sigma_cnode *o = ward_xcalloc(1, sizeof(*o));
			o->op = SC_OR;
			o->a = root;
			o->b = c;
			c = o;
		}
		root = c;
	}
	if (!root) {
		sigma_refuse(&g.fail, "no condition");
		goto out;
	}
	bool any_lab = false;
	split_and(&g, root, &lf, &lab, &any_lab);
	if (g.fail.failed)
		goto out;
	buf_append(out, head.data ? head.data : "", head.len);
	buf_append(out, lf.data ? lf.data : "", lf.len);
	if (g.kind == SRC_WEB) {
		buf_append_char(out, ' ');
		buf_append_str(out, ACCESS_PIPELINE);
	} else if (g.kind == SRC_AUDITD && (any_lab || nextra)) {
		for (size_t i = 0; i < nextra && !g.fail.failed; i++)
			if (label_name_ok(extra[i]))
				auditd_field(&g, extra[i]);
		auditd_stages(&g, out);
	}
	if (g.derived & D_USER)
		buf_append_str(out, D_USER_STAGE);
	if (g.derived & D_SUDO) {
		buf_append_lit(out, " | regexp ");
		sigma_quote_logql(out, SUDO_REGEX);
	}
	if (g.derived & D_LINE)
		buf_append_lit(out, " | label_format _sigma_line=`{{ __line__ }}`");
	if (g.derived & D_PATH)
		buf_append_str(out, D_PATH_STAGE);
	if (g.derived & D_EXT)
		buf_append_str(out, D_EXT_STAGE);
	if (g.derived & D_HOST)
		buf_append_str(out, D_HOST_STAGE);
	if (g.fref.len)
		buf_append(out, g.fref.data, g.fref.len);
	if (any_lab) {
		buf_append_lit(out, " | ");
		sigma_paren_simplify(lab.data, out);
	}
	if ((g.derived & ~(unsigned)D_SUDO) || g.nfref || g.nafields) {
		buf_append_lit(out, " | drop ");
		const char *sep = "";
		for (size_t k = 0; k < g.nafields; k++) {
			buf_printf(out, "%s_sigma_a_%s", sep, g.afields[k]);
			sep = ", ";
		}
		for (unsigned k = 0; k < g.nfref; k++) {
			buf_printf(out, "%s_sigma_fr%u", sep, k);
			sep = ", ";
		}
		static const char *const names[][2] = { { "_sigma_line", "" }, { "_sigma_path_raw", "_sigma_path, _sigma_query_raw, _sigma_query" },
							{ "_sigma_ext", "" }, { "_sigma_host", "" },
							{ "_sigma_user", "" }, { "", "" } };
		for (unsigned k = 0; k < 6; k++)
			if (g.derived & (1u << k))
				for (unsigned j = 0; j < 2; j++)
					if (*names[k][j]) {
						buf_printf(out, "%s%s", sep, names[k][j]);
						sep = ", ";
					}
	}
out:
	sigma_cond_free(root);
	buf_free(&head);
	buf_free(&lf);
	buf_free(&lab);
	buf_free(&g.fref);
	return g.fail.failed ? -1 : 0;
}

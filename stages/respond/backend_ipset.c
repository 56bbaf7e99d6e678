/* backend_ipset.c - ipset sets with timeouts, matched by iptables and
 * ip6tables rules; every command is an argv run by spawn_run. */
#include <stdio.h>
#include <string.h>

#include "stages/respond/backend.h"
#include "stages/respond/spawn.h"

static int run(const struct fw_argv *a, char *err, size_t errlen)
{
	char out[256];
	int st = spawn_run(a, out, sizeof(out), err, errlen);

	if (st > 0) {
		out[strcspn(out, "\n")] = '\0';
		snprintf(err, errlen, "%s %s exited %d: %s", a->argv[0], a->argv[1], st, out);
	}
	return st;
}

static const char *const chains[] = { "INPUT", "FORWARD" };

/* Sets first (the rules reference them), then each rule unless present. */
static int ipset_setup(const struct fw_req *r, char *err, size_t errlen)
{
	struct fw_argv a;

	for (int i = 0; fwcmd_ipset(r, i, &a) == 0; i++)
		if (run(&a, err, errlen) != 0)
			return -1;
	for (int v6 = 0; v6 < 2; v6++) {
		for (size_t c = 0; c < 2; c++) {
			char ignored[160];
			fwcmd_ipt_setrule(v6, "-C", chains[c], &a);
			if (run(&a, ignored, sizeof(ignored)) == 0)
				continue;
			fwcmd_ipt_setrule(v6, "-I", chains[c], &a);
			if (run(&a, err, errlen) != 0)
				return -1;
		}
	}
	return 0;
}

static int ipset_apply(struct fw_backend *b, const struct fw_req *r, char *err, size_t errlen)
{
	struct fw_argv a;

	(void)b;
	if (r->op == FW_SETUP)
		return ipset_setup(r, err, errlen);
	for (int i = 0; fwcmd_ipset(r, i, &a) == 0; i++)
		if (run(&a, err, errlen) != 0)
			return -1;
	return 0;
}

static void ipset_render(const struct fw_cfg *cfg, const struct fw_req *r, struct ward_buf *out)
{
	struct fw_argv a;

	(void)cfg;
	for (int i = 0; fwcmd_ipset(r, i, &a) == 0; i++) {
		if (i)
			buf_append_str(out, "; ");
		fw_argv_render(&a, out);
	}
	if (r->op != FW_SETUP)
		return;
	for (int v6 = 0; v6 < 2; v6++) {
		for (size_t c = 0; c < 2; c++) {
			buf_append_str(out, "; ");
			fwcmd_ipt_setrule(v6, "-I", chains[c], &a);
			fw_argv_render(&a, out);
			buf_append_str(out, " (unless -C finds it)");
		}
	}
}

static int ipset_open(struct fw_backend *b, char *err, size_t errlen)
{
	(void)b, (void)err, (void)errlen;
	return 0;
}

static void ipset_close(struct fw_backend *b)
{
	(void)b;
}

const struct fw_backend_ops fw_ipset_ops = {
	.name = "iptables", .kernel_expiry = true, .flush_each = false,
	.open = ipset_open, .apply = ipset_apply, .render = ipset_render, .close = ipset_close,
};

/* backend_nft.c - nftables through libnftables, in-process.
 *
 * One nft_ctx for the life of the backend (its netlink socket belongs to
 * the namespace it was created in). Commands come from fwcmd_nft only. */
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

#include "stages/respond/backend.h"

static int nft_open(struct fw_backend *b, char *err, size_t errlen)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);

	if (!ctx) {
		snprintf(err, errlen, "nft_ctx_new failed");
		return -1;
	}
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	b->priv = ctx;
	return 0;
}

/* libnftables errors span lines (message, the command, a caret line):
 * keep the first line. */
static void first_line(const char *s, char *out, size_t n)
{
	size_t len = strcspn(s ? s : "", "\n");

	snprintf(out, n, "%.*s", (int)len, s ? s : "");
}

static int nft_apply(struct fw_backend *b, const struct fw_req *r, char *err, size_t errlen)
{
	struct ward_buf cmd = WARD_BUF_INIT;
	int rc;

	fwcmd_nft(r, &cmd);
	rc = nft_run_cmd_from_buffer(b->priv, buf_cstr(&cmd));
	/* Reading a buffer also rewinds it: without this, any output or
	 * warning would pile up for the life of the process. */
	const char *errors = nft_ctx_get_error_buffer(b->priv);
	(void)nft_ctx_get_output_buffer(b->priv);
	if (rc != 0) {
		char line[200];
		first_line(errors, line, sizeof(line));
		snprintf(err, errlen, "nftables %s failed: %s", fw_op_name(r->op),
			 line[0] ? line : "unknown error");
	}
	buf_free(&cmd);
	return rc == 0 ? 0 : -1;
}

static void nft_render(const struct fw_cfg *cfg, const struct fw_req *r, struct ward_buf *out)
{
	struct ward_buf text = WARD_BUF_INIT;
	const char *p;

	(void)cfg;
	fwcmd_nft(r, &text);
	/* One line in the audit event: "cmd; cmd; cmd". */
	p = buf_cstr(&text);
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (p != text.data)
			buf_append_str(out, "; ");
		buf_append(out, p, n);
		p += n;
		if (*p == '\n')
			p++;
	}
	buf_free(&text);
}

static void nft_close(struct fw_backend *b)
{
	if (b->priv)
		nft_ctx_free(b->priv);
	b->priv = NULL;
}

const struct fw_backend_ops fw_nft_ops = {
	.name = "nftables", .kernel_expiry = true, .flush_each = false,
	.open = nft_open, .apply = nft_apply, .render = nft_render, .close = nft_close,
};

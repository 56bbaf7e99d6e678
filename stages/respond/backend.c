/* backend.c - the backend table, and the "none" and "exec" backends. */
#include "stages/respond/backend.h"

#include <stdio.h>
#include <string.h>

#include "stages/respond/spawn.h"

const struct fw_backend_ops *fw_backend_find(const char *name)
{
	static const struct fw_backend_ops *const all[] = {
		&fw_nft_ops, &fw_ipset_ops, &fw_docker_ops, &fw_exec_ops, &fw_none_ops, NULL,
	};
	for (const struct fw_backend_ops *const *b = all; *b; b++)
		if (strcmp((*b)->name, name) == 0)
			return *b;
	return NULL;
}

static int none_open(struct fw_backend *b, char *err, size_t errlen)
{
	(void)b, (void)err, (void)errlen;
	return 0;
}

static int none_apply(struct fw_backend *b, const struct fw_req *r, char *err, size_t errlen)
{
	(void)b, (void)r, (void)err, (void)errlen;
	return 0;
}

static void none_render(const struct fw_cfg *cfg, const struct fw_req *r, struct ward_buf *out)
{
	(void)cfg, (void)r, (void)out;
}

static void none_close(struct fw_backend *b)
{
	(void)b;
}

const struct fw_backend_ops fw_none_ops = {
	.name = "none", .kernel_expiry = true, .flush_each = false,
	.open = none_open, .apply = none_apply, .render = none_render, .close = none_close,
};

static const struct exec_tmpl *exec_pick(const struct fw_cfg *cfg, const struct fw_req *r)
{
	if (r->op == FW_BAN)
		return &cfg->exec_ban;
	if (r->op == FW_UNBAN && cfg->exec_unban.argc > 0)
		return &cfg->exec_unban;
	return NULL;	/* setup and flush: nothing; flush goes target by target */
}

static int exec_apply(struct fw_backend *b, const struct fw_req *r, char *err, size_t errlen)
{
	const struct exec_tmpl *t = exec_pick(b->cfg, r);
	struct fw_argv a;
	char out[256];

	if (!t)
		return 0;
	if (exec_tmpl_expand(t, r, &a) != 0) {
		snprintf(err, errlen, "command too long");
		return -1;
	}
	int st = spawn_run(&a, out, sizeof(out), err, errlen);
	if (st < 0)
		return -1;
	if (st != 0) {
		out[strcspn(out, "\n")] = '\0';
		snprintf(err, errlen, "%s exited %d: %s", a.argv[0], st, out);
		return -1;
	}
	return 0;
}

static void exec_render(const struct fw_cfg *cfg, const struct fw_req *r, struct ward_buf *out)
{
	const struct exec_tmpl *t = exec_pick(cfg, r);
	struct fw_argv a;

	if (t && exec_tmpl_expand(t, r, &a) == 0)
		fw_argv_render(&a, out);
}

const struct fw_backend_ops fw_exec_ops = {
	.name = "exec", .kernel_expiry = false, .flush_each = true,
	.open = none_open, .apply = exec_apply, .render = exec_render, .close = none_close,
};

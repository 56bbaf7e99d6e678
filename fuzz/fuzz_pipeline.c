/* fuzz_pipeline - the pipeline file parser and its shell rendering. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stages/run/pipeline.h"

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	return name[0] == 'A' ? "a value" : NULL;
}

static int include(void *ctx, const char *from, const char *path, char **text, size_t *len,
		   char **resolved, char *err, size_t errlen)
{
	(void)ctx;
	(void)from;
	if (strcmp(path, "x") != 0) {
		strncpy(err, "not found", errlen);
		return -1;
	}
	*text = strdup("B=1\ninclude x\n");
	*len = strlen(*text);
	*resolved = strdup(path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pl_env env = { lookup, include, NULL, NULL, 0 };
	struct pipeline p;
	struct pl_error err;
	if (pipeline_parse((const char *)data, size, "fuzz.pipeline", &env, &p, &err) != 0)
		return 0;
	struct ward_buf sh = WARD_BUF_INIT;
	pipeline_to_shell(&p, &env, &sh);
	buf_free(&sh);
	pipeline_free(&p);
	return 0;
}

/* libFuzzer target: ward-respond --allow-file text (stages/respond/allowfile.h).
 * Invariants: no crash; a text that fails leaves the allowlist as it was; a
 * text that loads replaces the "file" entries with exactly the count it
 * returns, and loading it again gives the same count. */
#include <stdint.h>
#include <stdlib.h>

#include "stages/respond/allowfile.h"
#include "stages/respond/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct respond_policy p;
	char err[512];
	policy_init(&p);
	policy_allow(&p, "10.0.0.0/8", 10, "config");
	size_t before = p.nallow;
	long n = allowfile_parse(&p, "fuzz", (const char *)data, size, err, sizeof err);
	if (n < 0 && p.nallow != before)
		abort();
	if (n >= 0) {
		if (p.nallow != before + (size_t)n)
			abort();
		if (allowfile_parse(&p, "fuzz", (const char *)data, size, err, sizeof err) != n ||
		    p.nallow != before + (size_t)n)
			abort();
	}
	policy_free(&p);
	return 0;
}

/* logql_convert.c - LogQL's value conversions of label text: bytes
 * (20KB, 1.5KiB) and Go durations, for label filters, unwrap and
 * ward-window. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "logql.h"
#include "wtime.h"

int logql_parse_bytes(const char *s, size_t n, double *out)
{
	static const struct { const char *u; double m; } units[] = {
		{ "b", 1 }, { "kb", 1e3 }, { "k", 1e3 }, { "mb", 1e6 }, { "m", 1e6 }, { "gb", 1e9 },
		{ "g", 1e9 }, { "tb", 1e12 }, { "t", 1e12 }, { "pb", 1e15 }, { "p", 1e15 },
		{ "eb", 1e18 }, { "e", 1e18 }, { "kib", 1024.0 }, { "ki", 1024.0 },
		{ "mib", 1048576.0 }, { "mi", 1048576.0 }, { "gib", 1073741824.0 }, { "gi", 1073741824.0 },
		{ "tib", 1099511627776.0 }, { "ti", 1099511627776.0 }, { "pib", 1125899906842624.0 },
		{ "pi", 1125899906842624.0 }, { "eib", 1152921504606846976.0 }, { "ei", 1152921504606846976.0 },
	};
	char tmp[64];
	size_t i = 0, k;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || (i == 0 && (s[i] == '-' || s[i] == '+'))))
		i++;
	if (i == 0)
		return -1;
	memcpy(tmp, s, i);
	tmp[i] = '\0';
	char *end;
	double v = strtod(tmp, &end);
	if (*end != '\0')
		return -1;
	while (i < n && s[i] == ' ')
		i++;
	if (i == n) {
		*out = v;
		return 0;
	}
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
		if (strlen(units[k].u) == n - i && strncasecmp(units[k].u, s + i, n - i) == 0) {
			*out = v * units[k].m;
			return 0;
		}
	return -1;
}

int logql_parse_duration_seconds(const char *s, size_t n, double *out)
{
	bool neg = false;
	int64_t ns;
	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	if (duration_parse(s, n, &ns) != 0)
		return -1;
	if (n == 1 && s[0] == '0') {	/* Go accepts a bare 0 too */
		*out = 0;
		return 0;
	}
	*out = (neg ? -1.0 : 1.0) * (double)ns / 1e9;
	return 0;
}


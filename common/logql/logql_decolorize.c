/* logql_decolorize.c - the decolorize stage: ANSI escape sequences
 * removed from the line. */
#include "logql_extract_int.h"

void logql_decolorize(const char *s, size_t n, struct ward_buf *out)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c != 0x1b || i + 1 >= n) {
			buf_append_char(out, (char)c);
			i++;
			continue;
		}
		char t = s[i + 1];
		i += 2;
		if (t == '[') {		/* CSI: params then a final byte 0x40..0x7e */
			while (i < n && ((unsigned char)s[i] < 0x40 || (unsigned char)s[i] > 0x7e))
				i++;
			if (i < n)
				i++;
		} else if (t == ']') {	/* OSC: until BEL or ESC \ */
			while (i < n && s[i] != '\a' && !(s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\'))
				i++;
			if (i < n)
				i += s[i] == '\a' ? 1 : 2;
		}
		/* other two-byte escapes are dropped whole */
	}
}


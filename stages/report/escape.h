/* escape.h - text from events made safe for each output format.
 *
 * All of them first make the text valid UTF-8 (invalid bytes become
 * U+FFFD), turn control characters into spaces and cut it at `max` bytes
 * (on a character boundary, with an ellipsis), so a log line cannot break
 * a table row or smuggle markup. */
#ifndef WARD_REPORT_ESCAPE_H
#define WARD_REPORT_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* HTML text and attribute values: & < > " ' as entities. */
void esc_html(struct ward_buf *out, const char *s, size_t max);
/* Markdown inline text (also inside table cells): every character with a
 * meaning in CommonMark or GFM tables is backslash-escaped, and < > & as
 * entities so no raw HTML passes. */
void esc_md(struct ward_buf *out, const char *s, size_t max);
/* Inside a Markdown code span: the text with its backticks replaced. */
void esc_md_code(struct ward_buf *out, const char *s, size_t max);

#endif

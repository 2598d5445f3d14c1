/* Escaping text for XML and HTML output (JUnit results, report index). */
#ifndef MCASIM_SIM_MARKUP_ESCAPE_H
#define MCASIM_SIM_MARKUP_ESCAPE_H

#include <stdio.h>

/* Writes s to f with <, >, & and " replaced by entities, and control
 * characters XML forbids and bytes that are not UTF-8 as the text \xNN;
 * the result is valid XML and HTML text whatever s holds. NULL writes
 * nothing. */
void markup_escape(FILE *f, const char *s);

#endif

/* Escaping text for XML and HTML output (JUnit results, report index). */
#ifndef MCASIM_SIM_MARKUP_ESCAPE_H
#define MCASIM_SIM_MARKUP_ESCAPE_H

#include <stdio.h>

/* Writes s to f with <, >, & and " replaced by entities; NULL writes nothing. */
void markup_escape(FILE *f, const char *s);

#endif

/* Escaping text for XML and HTML output: the four characters that can end
 * an element or an attribute value become entities. */
#include "sim/results/markup_escape.h"

void markup_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

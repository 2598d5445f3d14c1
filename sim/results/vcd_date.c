/* Overwriting the wall-clock $date of a SystemC VCD in place (see vcd_date.h):
 * same length, so nothing after it moves and no copy of the file is needed. */
#include "sim/results/vcd_date.h"

#include <stdio.h>
#include <string.h>

int vcd_date_clear(const char *path)
{
    FILE *f = fopen(path, "r+b");
    if (!f)
        return -1;
    char head[4096];
    size_t n = fread(head, 1, sizeof(head) - 1, f);
    head[n] = 0;
    int rc = -1;
    char *date = strstr(head, "$date\n");
    char *line = date ? date + strlen("$date\n") : NULL;
    char *eol = line ? strchr(line, '\n') : NULL;
    if (eol) {
        static const char text[] = "     not recorded: deterministic";
        size_t len = (size_t)(eol - line);
        char fill[4096];
        memset(fill, ' ', len);
        memcpy(fill, text, len < sizeof(text) - 1 ? len : sizeof(text) - 1);
        if (fseek(f, (long)(line - head), SEEK_SET) == 0 && fwrite(fill, 1, len, f) == len)
            rc = 0;
    }
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

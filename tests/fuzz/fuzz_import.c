/*
 * fuzz_import.c - libFuzzer target for one importer, chosen at build time
 * (FUZZ_FORMAT, an enum scn_format: 2 mce-inject, 3 qemu, 4 xen-mceinj,
 * 5 einj; import.h): the input is imported into YAML and
 * the YAML loaded back. Whatever the bytes, the import fails with a message
 * at a line of the input, or writes YAML that the loader accepts: an
 * importer must never write a scenario mcasim refuses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *yaml = NULL;
    size_t ylen = 0;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    struct scn_error err;
    FILE *f = open_memstream(&yaml, &ylen);
    if (!f)
        abort();
    int rc = scn_import("fuzz.in", text, size, (enum scn_format)FUZZ_FORMAT, f, &err);
    fclose(f);
    if (rc != 0) {
        if (!err.msg[0] || err.line > lines + 1)
            abort();
    } else {
        struct scenario s;
        if (scenario_load_string("fuzz.yaml", yaml, &s, &err) != 0) {
            fprintf(stderr, "the import wrote a scenario mcasim refuses: %s:%u:%u: %s\n%s", err.file, err.line,
                    err.col, err.msg, yaml);
            abort();
        }
        scenario_free(&s);
    }
    free(yaml);
    free(text);
    return 0;
}

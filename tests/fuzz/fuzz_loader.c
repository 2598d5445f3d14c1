/*
 * fuzz_loader.c - libFuzzer target: the YAML scenario loader, keeping going
 * after errors as validate does. Whatever the bytes, the load ends (the
 * depth, time and occurrence bounds of sim/scenario), fails with a message
 * and a position inside the input, or gives a scenario with hosts; nothing
 * leaks (LeakSanitizer) and nothing is undefined (UBSan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    struct scenario s;
    struct scn_error err;
    /* YAML breaks lines at \n, \r and (in UTF-8) NEL, LS and PS: count
     * every byte that may end one, a bound on the lines */
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 || data[i] == 0xA8 || data[i] == 0xA9;
    if (scenario_load_string("fuzz.yaml", text, &s, &err) == 0) {
        if (!s.nhosts)
            abort();
        scenario_free(&s);
    } else if (!err.msg[0] || err.line > lines + 1) {
        abort();
    }
    free(text);
    return 0;
}

/*
 * test_chipkill_exhaustive.c - x4 chipkill detects every double-device
 * error: all 630 pairs of the 36 devices, all 255 x 255 non-zero error
 * values of each pair (41 M decodes). The code is linear, so the outcome
 * depends only on the error, and checking it on one codeword checks it on
 * all. Too slow for Valgrind, so it runs as a plain test (a few seconds
 * optimised); the single-device patterns are covered in test_memctl_ecc.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "models/memctl/ecc.h"

static void every_double_device_error_is_detected(void **state)
{
    (void)state;
    static struct chipkill c;
    chipkill_init(&c);
    uint8_t base[CK_SYMBOLS] = {0};
    for (int i = 0; i < 32; i++)
        base[i] = (uint8_t)(i * 37 + 11); /* any data: the code is linear */
    chipkill_encode(&c, base);
    unsigned long long n = 0, missed = 0;
    for (unsigned i = 0; i < CK_SYMBOLS; i++)
        for (unsigned j = i + 1; j < CK_SYMBOLS; j++)
            for (int a = 1; a < 256; a++)
                for (int b = 1; b < 256; b++) {
                    uint8_t s[CK_SYMBOLS];
                    memcpy(s, base, sizeof(s));
                    s[i] ^= (uint8_t)a;
                    s[j] ^= (uint8_t)b;
                    struct chipkill_result r = chipkill_decode(&c, s);
                    n++;
                    missed += r.status != ECC_DETECTED;
                }
    assert_int_equal(n, 630ull * 255 * 255);
    assert_int_equal(missed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_double_device_error_is_detected)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_text_fmt.c - text_fmt prints what snprintf prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/text_fmt.h"

/* Both into buffers of `len`, same text and same return value (through
 * va_lists, so the compiler does not check the deliberate truncations). */
static void same(size_t len, const char *fmt, ...)
{
    char want[128], got[128];
    va_list a, b;
    memset(want, 'x', sizeof(want));
    memset(got, 'x', sizeof(got));
    va_start(a, fmt);
    va_copy(b, a);
    int x = vsnprintf(want, len, fmt, a);
    int y = text_vfmt(got, len, fmt, b);
    va_end(b);
    va_end(a);
    assert_int_equal(x, y);
    assert_memory_equal(want, got, sizeof(want));
}

#define SAME(len, ...) same((len), __VA_ARGS__)

static void conversions(void **state)
{
    (void)state;
    SAME(128, "MCE %llu", 0ull);
    SAME(128, "MCE %llu", 18446744073709551615ull);
    SAME(128, "CPU %u BANK %u ", 3u, 17u);
    SAME(128, "MISC %llx ADDR %llx ", 0x86ull, 0xdeadbeef000ull);
    SAME(128, "%s %s %2d %02d:%02d:%02d %d", "Thu", "Jan", 1, 0, 5, 59, 1970);
    SAME(128, "%2d|%2d|%02d|%5d|%05d|%-d", 7, 12, 3, -42, -42, 9);
    SAME(128, "%x %X %02x %08lx %zu %ld %lld", 255u, 255u, 7u, 0xabcUL, (size_t)12345, -5L, -9223372036854775807LL);
    SAME(128, "100%% %c%c [%s] [%8s]", 'o', 'k', "", "pad");
    SAME(128, "%s", (const char *)NULL);
    SAME(128, "no conversions at all");
    SAME(128, "unsupported go to the C library: %.3f %-5s| %+d %#x", 1.5, "ab", 3, 16u);
}

static void truncation(void **state)
{
    (void)state;
    SAME(1, "abc %u", 12345u);
    SAME(4, "abc %u", 12345u);
    SAME(8, "abc %u", 12345u);
    SAME(9, "abc %05u|%s", 12u, "tail");
    SAME(0 + 1, "%s", "x");
    char b[4] = "zzz";
    assert_int_equal(text_fmt(b, 0, "%u", 123u), 3);
    assert_string_equal(b, "zzz"); /* len 0: nothing written */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conversions),
        cmocka_unit_test(truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

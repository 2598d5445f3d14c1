/*
 * test_markup_escape.c - text for XML and HTML is valid whatever bytes it
 * is given: every string of one and two bytes, and of three bytes from a
 * set that reaches every UTF-8 boundary, comes out as UTF-8 with no
 * character XML 1.0 forbids and no raw markup; valid text passes through
 * unchanged but for the four entities, and a bad byte is the text \xNN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/results/markup_escape.h"

static char *escaped(const char *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    markup_escape(f, s);
    fclose(f);
    return out;
}

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF) and only
 * characters XML 1.0 allows; no '<', '>' or '"'; '&' only as an entity. */
static void assert_valid_xml_text(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        uint32_t c;
        unsigned n;
        if (*s < 0x80) {
            c = *s;
            n = 1;
        } else if ((*s & 0xE0) == 0xC0) {
            c = *s & 0x1F;
            n = 2;
        } else if ((*s & 0xF0) == 0xE0) {
            c = *s & 0x0F;
            n = 3;
        } else {
            assert_true((*s & 0xF8) == 0xF0);
            c = *s & 0x07;
            n = 4;
        }
        for (unsigned k = 1; k < n; k++) {
            assert_true((s[k] & 0xC0) == 0x80);
            c = c << 6 | (s[k] & 0x3F);
        }
        static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
        assert_true(c >= least[n]);
        assert_true(c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF));
        assert_true(c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0x7F));
        assert_true(c != '<' && c != '>' && c != '"');
        if (c == '&')
            assert_true(!strncmp((const char *)s, "&lt;", 4) || !strncmp((const char *)s, "&gt;", 4) ||
                        !strncmp((const char *)s, "&amp;", 5) || !strncmp((const char *)s, "&quot;", 6));
        s += n;
    }
}

static void test_short_strings(void **state)
{
    (void)state;
    char s[4] = {0};
    for (unsigned a = 1; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            s[0] = (char)a;
            s[1] = (char)b;
            char *out = escaped(s);
            assert_valid_xml_text(out);
            free(out);
        }
    static const unsigned char edge[] = {0x01, 0x1F, 0x20, '&', '<', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                         0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
    for (unsigned a = 0; a < sizeof(edge); a++)
        for (unsigned b = 0; b < sizeof(edge); b++)
            for (unsigned c = 0; c < sizeof(edge); c++) {
                s[0] = (char)edge[a];
                s[1] = (char)edge[b];
                s[2] = (char)edge[c];
                char *out = escaped(s);
                assert_valid_xml_text(out);
                free(out);
            }
}

static void test_exact_forms(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c'"},
        {"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
        {"bell\x07 esc\x1b[31m del\x7f", "bell\\x07 esc\\x1B[31m del\\x7F"},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
        {"bad \xc3( \xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80", "bad \\xC3( \\xED\\xA0\\x80 \\xC0\\xAF \\xF4\\x90\\x80\\x80"},
        {"cut \xe2\x82", "cut \\xE2\\x82"},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = escaped(cases[i].in);
        assert_string_equal(out, cases[i].out);
        free(out);
    }
    char *out = escaped(NULL);
    assert_string_equal(out, "");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_strings),
        cmocka_unit_test(test_exact_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

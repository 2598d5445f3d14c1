/*
 * scenario_values.c - the value syntax of scenario files: integers (decimal
 * or 0x hex, the full uint64 range, so any MCi_STATUS can be written),
 * times with a unit converted exactly to picoseconds (the SystemC time
 * resolution mcasim runs at) and bounded by SCV_TIME_MAX_PS, sizes with binary suffixes, data rates with
 * decimal ones, strict booleans, and the name lookup behind "did you
 * mean" hints.
 *
 * Arithmetic is done in uint64 with explicit overflow checks; nothing is
 * rounded: a value that is not whole in the target unit is an error.
 */
#include "sim/scenario/scenario_values.h"

#include <string.h>

struct unit {
    const char *name;
    unsigned pow;   /* power of ten (times) or of two (sizes) */
};

/* A time unit is scale * 10^pow picoseconds: seconds are 10^12, minutes
 * and hours scale seconds (a day of scrub period reads 24h, not 86400s). */
struct time_unit {
    const char *name;
    unsigned pow;
    uint64_t scale;
};

static const struct time_unit time_units[] = {
    {"ps", 0, 1}, {"ns", 3, 1}, {"us", 6, 1}, {"ms", 9, 1}, {"s", 12, 1},
    {"min", 12, 60}, {"h", 12, 3600},
};

static const struct unit size_units[] = {
    {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40},
};

static int digit_value(char c, unsigned base)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (base == 16 && c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* v = v * base + d, false on overflow. */
static bool mul_add(uint64_t *v, unsigned base, unsigned d)
{
    if (*v > (UINT64_MAX - d) / base)
        return false;
    *v = *v * base + d;
    return true;
}

/* The integer at the start of s; *end is what follows it. */
static enum scv_status scan_uint(const char *s, uint64_t *out, const char **end)
{
    if (!*s)
        return SCV_EMPTY;
    if (*s == '-')
        return SCV_NEGATIVE;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    const char *first = s;
    uint64_t v = 0;
    for (int d; (d = digit_value(*s, base)) >= 0; s++)
        if (!mul_add(&v, base, (unsigned)d))
            return SCV_RANGE;
    if (s == first)
        return SCV_SYNTAX;
    *out = v;
    *end = s;
    return SCV_OK;
}

enum scv_status scv_uint(const char *s, uint64_t *out)
{
    const char *end;
    enum scv_status st = scan_uint(s, out, &end);
    if (st != SCV_OK)
        return st;
    return *end ? SCV_SYNTAX : SCV_OK;
}

static const struct unit *find_unit(const char *s, const struct unit *u, unsigned n)
{
    while (*s == ' ')
        s++;
    for (unsigned i = 0; i < n; i++)
        if (strcmp(s, u[i].name) == 0)
            return &u[i];
    return NULL;
}

/*
 * A decimal with an optional fraction, as mantissa * 10^-frac. Trailing
 * zeros of the fraction are dropped as they are read, so "1.000000000000s"
 * does not overflow the mantissa on its way to 10^12 ps.
 */
static enum scv_status scan_decimal(const char *s, uint64_t *mant, unsigned *frac, const char **end)
{
    uint64_t m = 0;
    unsigned f = 0, zeros = 0;
    for (; is_digit(*s); s++)
        if (!mul_add(&m, 10, (unsigned)(*s - '0')))
            return SCV_RANGE;
    if (*s == '.' && is_digit(s[1])) {
        for (s++; is_digit(*s); s++) {
            if (*s == '0') {
                zeros++;
                continue;
            }
            for (; zeros; zeros--, f++)
                if (!mul_add(&m, 10, 0))
                    return SCV_RANGE;
            if (!mul_add(&m, 10, (unsigned)(*s - '0')))
                return SCV_RANGE;
            f++;
        }
    }
    *mant = m;
    *frac = f;
    *end = s;
    return SCV_OK;
}

/* The same, refusing what cannot start a number. */
static enum scv_status scan_number(const char *s, uint64_t *mant, unsigned *frac, const char **end)
{
    if (!*s)
        return SCV_EMPTY;
    if (*s == '-')
        return SCV_NEGATIVE;
    if (!is_digit(*s))
        return SCV_SYNTAX;
    return scan_decimal(s, mant, frac, end);
}

/* A time of at most max ps, counted in 128 bits (a year is beyond 2^64). */
static enum scv_status parse_time(const char *s, rtime_t max, rtime_t *ps)
{
    uint64_t m64;
    unsigned frac;
    const char *rest;
    enum scv_status st = scan_number(s, &m64, &frac, &rest);
    if (st != SCV_OK)
        return st == SCV_RANGE ? SCV_TOO_LONG : st;
    if (!*rest)
        return SCV_NO_UNIT;
    while (*rest == ' ')
        rest++;
    const struct time_unit *u = NULL;
    for (unsigned i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++)
        if (strcmp(rest, time_units[i].name) == 0)
            u = &time_units[i];
    if (!u)
        return SCV_BAD_UNIT;
    if (frac > u->pow)
        return SCV_FRACTION;
    rtime_t m = m64;
    for (unsigned k = u->pow - frac; k; k--)
        if ((m *= 10) > max)
            return SCV_TOO_LONG;
    if (m * u->scale > max) /* m below 2^65, scale at most 3600: no wrap */
        return SCV_TOO_LONG;
    *ps = m * u->scale;
    return SCV_OK;
}

enum scv_status scv_time(const char *s, uint64_t *ps)
{
    rtime_t t;
    enum scv_status st = parse_time(s, SCV_TIME_MAX_PS, &t);
    if (st == SCV_OK)
        *ps = (uint64_t)t;
    return st;
}

enum scv_status scv_duration(const char *s, rtime_t *ps)
{
    return parse_time(s, SCV_DURATION_MAX_PS, ps);
}

/* The ps in one of a time unit (every unit fits: an hour is 3.6e15 ps). */
static uint64_t unit_ps(const struct time_unit *u)
{
    uint64_t v = u->scale;
    for (unsigned k = 0; k < u->pow; k++)
        v *= 10;
    return v;
}

const char *scv_time_unit_of(uint64_t a_ps, uint64_t b_ps, uint64_t *unit)
{
    /* The table runs from the smallest unit up; ps divides everything. */
    for (size_t i = sizeof(time_units) / sizeof(time_units[0]); i-- > 1;) {
        uint64_t u = unit_ps(&time_units[i]);
        if (a_ps % u == 0 && b_ps % u == 0) {
            *unit = u;
            return time_units[i].name;
        }
    }
    *unit = 1;
    return time_units[0].name;
}

/* A rate unit is 10^pow bytes per second, or bits when bits is set. */
struct rate_unit {
    const char *name;
    unsigned pow;
    bool bits;
};

static const struct rate_unit rate_units[] = {
    {"B/s", 0, false},    {"kB/s", 3, false},  {"MB/s", 6, false},  {"GB/s", 9, false},
    {"TB/s", 12, false},  {"bit/s", 0, true},  {"kbit/s", 3, true}, {"Mbit/s", 6, true},
    {"Gbit/s", 9, true},  {"Tbit/s", 12, true},
};

/* "e9", "E+3", "e-2": at most three digits, so scaling loops stay short. */
static enum scv_status scan_exponent(const char *s, int *exp, const char **end)
{
    *exp = 0;
    *end = s;
    if (*s != 'e' && *s != 'E')
        return SCV_OK;
    s++;
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    unsigned digits = 0;
    int v = 0;
    for (; is_digit(*s); s++, digits++)
        v = v * 10 + (*s - '0');
    if (digits == 0)
        return SCV_SYNTAX;
    if (digits > 3)
        return SCV_RANGE;
    *exp = sign * v;
    *end = s;
    return SCV_OK;
}

enum scv_status scv_rate(const char *s, uint64_t *bytes_per_s)
{
    uint64_t m;
    unsigned frac;
    int exp;
    const char *rest;
    enum scv_status st = scan_number(s, &m, &frac, &rest);
    if (st == SCV_OK)
        st = scan_exponent(rest, &exp, &rest);
    if (st != SCV_OK)
        return st;
    while (*rest == ' ')
        rest++;
    const struct rate_unit *u = &rate_units[0];
    if (*rest) {
        u = NULL;
        for (size_t i = 0; i < sizeof(rate_units) / sizeof(rate_units[0]); i++)
            if (strcmp(rest, rate_units[i].name) == 0)
                u = &rate_units[i];
        if (!u)
            return SCV_BAD_UNIT;
    }
    /* value = m * 10^p (bits: / 8), exactly */
    int p = (int)u->pow + exp - (int)frac;
    for (; p > 0; p--)
        if (!mul_add(&m, 10, 0))
            return SCV_RANGE;
    for (; p < 0; p++) {
        if (m % 10)
            return SCV_FRACTION;
        m /= 10;
    }
    if (u->bits && m % 8)
        return SCV_FRACTION;
    *bytes_per_s = u->bits ? m / 8 : m;
    return SCV_OK;
}

enum scv_status scv_size(const char *s, uint64_t *bytes)
{
    uint64_t m;
    const char *rest;
    enum scv_status st = scan_uint(s, &m, &rest);
    if (st != SCV_OK)
        return st;
    if (!*rest) {
        *bytes = m;
        return SCV_OK;
    }
    if (*rest == '.')
        return SCV_FRACTION;
    const struct unit *u = find_unit(rest, size_units, sizeof(size_units) / sizeof(size_units[0]));
    if (!u)
        return SCV_BAD_UNIT;
    if (m > (UINT64_MAX >> u->pow))
        return SCV_RANGE;
    *bytes = m << u->pow;
    return SCV_OK;
}

bool scv_bool(const char *s, bool *out)
{
    if (strcmp(s, "true") == 0)
        *out = true;
    else if (strcmp(s, "false") == 0)
        *out = false;
    else
        return false;
    return true;
}

int scv_lookup(const char *s, const char *const *names, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (names[i] && strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

#define SCV_DIST_MAX 64

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
    unsigned m = a < b ? a : b;
    return m < c ? m : c;
}

unsigned scv_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SCV_DIST_MAX || lb > SCV_DIST_MAX)
        return SCV_DIST_MAX + 1;
    unsigned row[SCV_DIST_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            row[j] = min3(up + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1]));
            diag = up;
        }
    }
    return row[lb];
}

int scv_closest(const char *s, const char *const *names, unsigned n)
{
    int best = -1;
    unsigned best_d = 3;
    for (unsigned i = 0; i < n; i++) {
        if (!names[i])
            continue;
        unsigned d = scv_distance(s, names[i]);
        /* A suggestion that shares nothing with the input only confuses. */
        if (d < best_d && d < strlen(names[i])) {
            best = (int)i;
            best_d = d;
        }
    }
    return best;
}

bool scv_join(char *buf, size_t len, const char *const *names, unsigned n)
{
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        if (!names[i])
            continue;
        size_t need = strlen(names[i]) + (used ? 2 : 0);
        if (used + need + 1 > len)
            return false;
        if (used) {
            memcpy(buf + used, ", ", 2);
            used += 2;
        }
        memcpy(buf + used, names[i], strlen(names[i]) + 1);
        used += strlen(names[i]);
    }
    return true;
}

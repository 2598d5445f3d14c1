/*
 * run_store.c - where workers leave their pieces (run.h, "the pieces"):
 * files with no name, opened by the parent before the fork (O_TMPFILE in
 * $TMPDIR), written by the worker through the descriptors it inherits,
 * and read back with pread() when it has ended: the summary into the job,
 * the other pieces appended to one nameless file per kind, at offsets
 * kept for the end.
 *
 * A folder of named pieces (five files a run) cost the scenario library
 * about a second of its ~4 s on ext4: creating and unlinking thousands of
 * entries of one directory, two workers contending for its lock
 * (docs/PERFORMANCE.md, "The work folder: nameless files"). Files with no name leave
 * nothing behind whatever ends mcasim, a SIGKILL included.
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/run.h"

static const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* A nameless file in dir: O_TMPFILE, or, where the file system has none,
 * a named one unlinked at once. -1 with errno. */
static int nameless(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
    char path[4096];
    snprintf(path, sizeof(path), "%s/mcasim.XXXXXX", dir);
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* n bytes of fd's file from off into buf: 0, or -1. */
static int pread_all(int fd, char *buf, size_t n, off_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* n bytes of fd's file from off, NUL-terminated (NULL: none, unreadable). */
static char *read_text(int fd, size_t n, off_t off)
{
    char *buf = n ? malloc(n + 1) : NULL;
    if (!buf)
        return NULL;
    if (pread_all(fd, buf, n, off) != 0) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

/* The whole of fd's file, as read_text; *len its length. */
static char *slurp_fd(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0)
        return NULL;
    *len = (size_t)st.st_size;
    return read_text(fd, *len, 0);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

unsigned run_pieces_wanted(const struct run_opts *o)
{
    unsigned w = 1u << W_SUM; /* the run's row */
    if (o->json || o->out[OUT_RESULTS])
        w |= 1u << W_JSON;
    if (o->out[OUT_RESULTS])
        w |= 1u << W_LAT | 1u << W_PT | 1u << W_MIG;
    return w;
}

/* A nameless file in $TMPDIR before anything runs: -1 after a message. */
static int open_or_say(void)
{
    const int fd = nameless(tmp_dir());
    if (fd < 0)
        fprintf(stderr, "mcasim run: cannot create a temporary file in %s: %s\n", tmp_dir(), strerror(errno));
    return fd;
}

int run_store_open(struct run_store *s, int n, unsigned wanted)
{
    *s = (struct run_store){.wanted = wanted};
    for (int k = 0; k < W__COUNT; k++)
        s->kind[k] = -1;
    s->at = calloc((size_t)n * W__COUNT, sizeof(*s->at));
    if (!s->at)
        abort();
    /* every worker's summary needs $TMPDIR: checked here, not run by run */
    const int probe = open_or_say();
    if (probe < 0) {
        run_store_close(s);
        return -1;
    }
    close(probe);
    for (int k = 0; k < W__COUNT; k++) {
        if (k == W_SUM || !(wanted >> k & 1))
            continue; /* (the summary is read into the job at once) */
        if ((s->kind[k] = open_or_say()) < 0) {
            run_store_close(s);
            return -1;
        }
    }
    return 0;
}

void run_store_close(struct run_store *s)
{
    for (int k = 0; k < W__COUNT; k++)
        if (s->kind[k] >= 0)
            close(s->kind[k]);
    free(s->at);
    *s = (struct run_store){0};
}

int run_store_files(const struct run_store *s, int fds[W__COUNT])
{
    for (int k = 0; k < W__COUNT; k++)
        fds[k] = -1;
    for (int k = 0; k < W__COUNT; k++)
        if ((s->wanted >> k & 1) && (fds[k] = nameless(tmp_dir())) < 0) {
            const int e = errno;
            run_store_drop(fds);
            errno = e;
            return -1;
        }
    return 0;
}

void run_store_drop(int fds[W__COUNT])
{
    for (int k = 0; k < W__COUNT; k++) {
        if (fds[k] >= 0)
            close(fds[k]);
        fds[k] = -1;
    }
}

int run_store_take(struct run_store *s, int i, int fds[W__COUNT], struct job *j)
{
    int bad = 0;
    for (int k = 0; k < W__COUNT; k++) {
        size_t len = 0;
        char *text = fds[k] >= 0 ? slurp_fd(fds[k], &len) : NULL;
        if (k == W_SUM) {
            run_read_summary(text, j);
        } else if (text) {
            struct run_piece *at = &s->at[(size_t)i * W__COUNT + (size_t)k];
            at->off = s->size[k];
            at->len = len;
            bad |= write_all(s->kind[k], text, len) != 0;
            s->size[k] += (off_t)len;
        }
        free(text);
    }
    run_store_drop(fds);
    return bad ? -1 : 0;
}

char *run_store_piece(const struct run_store *s, int i, enum work_file k)
{
    const struct run_piece *at = &s->at[(size_t)i * W__COUNT + (size_t)k];
    return s->kind[k] >= 0 ? read_text(s->kind[k], at->len, at->off) : NULL;
}

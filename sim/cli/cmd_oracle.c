/*
 * cmd_oracle.c - `mcasim oracle`: what mcasim does with a case against what
 * the real target did (oracle/README.md). Gets the real transcript, either
 * recorded (--compare FILE) or by running the target under QEMU now
 * (oracle/run-case.sh), runs the case in mcasim as that target (Xen's
 * release and build, its boot options; or the Linux guest model on bare
 * CPUs), renders mcasim's run as a transcript (transcript_render.h) and
 * compares the two section by section (oracle_compare.h), holding each
 * difference against the case's known deviations.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "sim/results/oracle_compare.h"
#include "sim/results/text_buf.h"
#include "sim/results/transcript_render.h"
#include "sim/runtime/bare_linux.h"
#include "sim/runtime/simulate.h"
#include "sim/scenario/scenario.h"

#ifndef MCASIM_ORACLE_SRC_DIR
#define MCASIM_ORACLE_SRC_DIR "oracle"
#endif
#ifndef MCASIM_ORACLE_SHARE_DIR
#define MCASIM_ORACLE_SHARE_DIR "/usr/local/share/mcasim/oracle"
#endif

struct oracle_opts {
    const char *case_path;
    enum oracle_target target;
    const char *compare;      /* recorded transcript, or NULL: record now */
    const char *deviations;   /* NULL: CASE.deviation when it exists */
    int no_deviations;
    const char *save_real;    /* --record: keep the real transcript */
    const char *output;       /* mcasim's transcript */
    int all;
};

void usage_oracle(void)
{
    fputs("usage: mcasim oracle CASE.yaml --target TARGET [--compare TRANSCRIPT | --record] [options]\n"
          "       mcasim oracle --rules\n"
          "\n"
          "Compare what mcasim does with a case against what the real target did with the\n"
          "same injections under QEMU (oracle/README.md). TARGET is xen-4.17, xen-4.20 or\n"
          "linux. The recorded cases are tests/oracle/TARGET/CASE.yaml with their\n"
          ".transcript (and .deviation: the known deviations).\n"
          "\n"
          "The real side: --compare reads a recorded transcript (no QEMU). --record, the\n"
          "default without --compare, runs the target now with oracle/run-case.sh (QEMU\n"
          "under TCG, 20 to 60 s; one run at a time); it needs what oracle/setup.sh\n"
          "installs and caches (qemu-system-x86_64, python3 with PyYAML, and in\n"
          "${MCASIM_ORACLE_CACHE:-~/.cache/mcasim-oracle} vmlinuz, initramfs.cpio.gz,\n"
          "versions and the hypervisor xen-4.17 or xen-4.20). The oracle scripts are\n"
          "found in $MCASIM_ORACLE_DIR, the source tree (" MCASIM_ORACLE_SRC_DIR "),\n"
          "or " MCASIM_ORACLE_SHARE_DIR ".\n"
          "\n"
          "The mcasim side: a Xen target runs the case with policy.xen_version set to\n"
          "the target's release, xen_debug false (Debian's packages are release builds)\n"
          "and boot mce_verbosity: verbose (the oracle's Xen command line); the rest of\n"
          "the case as written. The linux target runs the Linux guest model\n"
          "(guests/linux_guest.c) as the kernel that owns the machine, on mcasim's CPU\n"
          "models, without a hypervisor (sim/runtime/bare_linux.h).\n"
          "\n"
          "The comparison: each section of the transcript is compared after one table of\n"
          "normalization rules applied to both sides alike (which lines are dropped,\n"
          "which fields masked, and why: --rules prints it); a section that cannot be\n"
          "compared says \"not compared\" and why. Each differing section is printed as a\n"
          "diff (- real, + mcasim) with a digest. A difference is accepted only when the\n"
          "case's deviation file marks that section with that digest; a mark whose\n"
          "difference no longer occurs, or changed, fails too.\n"
          "\n"
          "options:\n"
          "  --target T          xen-4.17, xen-4.20 or linux (required)\n"
          "  --compare FILE      compare with this recorded transcript; its target line\n"
          "                      must be T\n"
          "  --record            run the real target now (the default without --compare)\n"
          "  --deviations FILE   the known deviations (default: CASE with .deviation in\n"
          "                      place of .yaml, when it exists). A line per section:\n"
          "                      SECTION | bug|limit | DIGEST | REASON\n"
          "  --no-deviations     ignore the marks: every difference fails\n"
          "  --save-real FILE    with --record: write the real target's transcript\n"
          "  -o, --output FILE   write mcasim's transcript\n"
          "  --all               print every compared section's lines, not only diffs\n"
          "  --rules             print the sections and normalization rules, and exit\n"
          "  -h, --help          show this help\n"
          "\n"
          "exit status: 0 every compared section agrees (or differs exactly as marked),\n"
          "1 a difference (or a stale mark), 2 usage error, a bad case, transcript or\n"
          "deviation file, or the oracle cannot run here (what is missing is named)\n",
          stdout);
}

static int print_rules(void)
{
    struct text_buf b = {0};
    oracle_rules_markdown(&b);
    fputs(tb_text(&b), stdout);
    tb_free(&b);
    return 0;
}

static int parse_opts(int argc, char **argv, struct oracle_opts *o)
{
    static const struct option longopts[] = {
        {"target", required_argument, 0, 't'},   {"compare", required_argument, 0, 'c'},
        {"record", no_argument, 0, 'r'},         {"deviations", required_argument, 0, 'd'},
        {"no-deviations", no_argument, 0, 'n'},  {"save-real", required_argument, 0, 's'},
        {"output", required_argument, 0, 'o'},   {"all", no_argument, 0, 'a'},
        {"rules", no_argument, 0, 'R'},          {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c, record = 0;
    const char *target = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't': target = optarg; break;
        case 'c': o->compare = optarg; break;
        case 'r': record = 1; break;
        case 'd': o->deviations = optarg; break;
        case 'n': o->no_deviations = 1; break;
        case 's': o->save_real = optarg; break;
        case 'o': o->output = optarg; break;
        case 'a': o->all = 1; break;
        case 'R': exit(print_rules());
        case 'h': usage_oracle(); exit(0);
        default: fputs("Try 'mcasim oracle --help'.\n", stderr); return -1;
        }
    }
    const char *why = optind != argc - 1          ? "give exactly one case file"
                      : !target                   ? "--target is required (xen-4.17, xen-4.20 or linux)"
                      : record && o->compare      ? "--record and --compare exclude each other"
                      : o->save_real && o->compare ? "--save-real goes with --record"
                                                   : NULL;
    if (!why && (o->target = oracle_target_from_name(target)) == ORC__COUNT)
        why = "--target must be xen-4.17, xen-4.20 or linux";
    if (why) {
        fprintf(stderr, "mcasim oracle: %s\nTry 'mcasim oracle --help'.\n", why);
        return -1;
    }
    o->case_path = argv[optind];
    return 0;
}

/* ---- the real side: a recorded transcript, or oracle/run-case.sh ---- */

static bool is_file(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The first directory of PATH holding an executable name, into buf. */
static bool in_path(const char *name, char *buf, size_t len)
{
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(buf, len, "%.*s/%s", (int)n, p, name);
        if (access(buf, X_OK) == 0)
            return true;
        p += n + (e ? 1 : 0);
    }
    return false;
}

static void oracle_dir(char *buf, size_t len)
{
    const char *env = getenv("MCASIM_ORACLE_DIR");
    const char *cand[] = {env && *env ? env : NULL, MCASIM_ORACLE_SRC_DIR, MCASIM_ORACLE_SHARE_DIR};
    for (unsigned i = 0; i < 3; i++) {
        char script[4096];
        snprintf(script, sizeof(script), "%s/run-case.sh", cand[i] ? cand[i] : "");
        if (cand[i] && is_file(script)) {
            snprintf(buf, len, "%s", cand[i]);
            return;
        }
    }
    buf[0] = 0;
}

/* oracle/run_case.py's cache_dir(). */
static void cache_dir(char *buf, size_t len)
{
    const char *c = getenv("MCASIM_ORACLE_CACHE"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    if (c && *c)
        snprintf(buf, len, "%s", c);
    else if (x && *x)
        snprintf(buf, len, "%s/mcasim-oracle", x);
    else
        snprintf(buf, len, "%s/.cache/mcasim-oracle", h ? h : "");
}

/* What setup.sh puts in the oracle cache; a NULL file is the target's
 * hypervisor (xen-4.17, xen-4.20). */
static const struct {
    const char *file, *what;
} cache_files[] = {
    {"vmlinuz", "the kernel (dom0's and the linux target's: Debian's linux-image-amd64)"},
    {"initramfs.cpio.gz", "the initramfs (busybox-static, mcelog-reader)"},
    {"versions", "the package versions"},
    {NULL, "the hypervisor (xen-4.17: Debian 12's xen-hypervisor-4.17-amd64, unzipped; xen-4.20: Debian 13's "
           "xen-hypervisor-4.20-amd64)"},
};

/* Everything run-case.sh needs, each missing piece named. 0 when all are
 * there; the oracle folder and cache into dir and cache. */
static int check_prerequisites(enum oracle_target t, char *dir, size_t dlen, char *cache, size_t clen)
{
    char buf[4200], miss[8192] = "";
    size_t used = 0;
#define MISSING(...) (used += (size_t)snprintf(miss + used, used < sizeof(miss) ? sizeof(miss) - used : 0, __VA_ARGS__))
    oracle_dir(dir, dlen);
    if (!dir[0])
        MISSING("  the oracle scripts (run-case.sh): not in $MCASIM_ORACLE_DIR, %s or %s\n", MCASIM_ORACLE_SRC_DIR,
                MCASIM_ORACLE_SHARE_DIR);
    if (!in_path("qemu-system-x86_64", buf, sizeof(buf)))
        MISSING("  QEMU: qemu-system-x86_64 is not in PATH (Debian: qemu-system-x86)\n");
    if (access("/usr/bin/python3", X_OK) != 0 && !in_path("python3", buf, sizeof(buf)))
        MISSING("  python3 (with PyYAML: Debian python3-yaml)\n");
    cache_dir(cache, clen);
    struct stat st;
    bool have_cache = stat(cache, &st) == 0 && S_ISDIR(st.st_mode);
    if (!have_cache)
        MISSING("  the oracle cache: %s does not exist (setup.sh fills it; MCASIM_ORACLE_CACHE moves it)\n", cache);
    for (unsigned i = 0; have_cache && i < sizeof(cache_files) / sizeof(cache_files[0]); i++) {
        const char *f = cache_files[i].file ? cache_files[i].file : oracle_target_name(t);
        snprintf(buf, sizeof(buf), "%s/%s", cache, f);
        if ((cache_files[i].file || oracle_target_is_xen(t)) && !is_file(buf))
            MISSING("  %s: %s is missing in the oracle cache\n", cache_files[i].what, buf);
    }
#undef MISSING
    if (!used)
        return 0;
    fprintf(stderr, "mcasim oracle: cannot run the %s target here:\n%s"
                    "Run oracle/setup.sh (as root on Debian 12) to install and cache them, or compare\n"
                    "with a recorded transcript: --compare tests/oracle/%s/CASE.transcript\n",
            oracle_target_name(t), miss, oracle_target_name(t));
    return -1;
}

/* One QEMU at a time on this machine: a lock on a file in the cache. */
static int lock_cache(const char *cache)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/.oracle.lock", cache);
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fd >= 0 && fcntl(fd, F_SETLK, &fl) != 0) {
        fprintf(stderr, "mcasim oracle: another oracle run holds %s; waiting\n", path);
        if (fcntl(fd, F_SETLKW, &fl) != 0) {
            close(fd);
            fd = -1;
        }
    }
    return fd;
}

/* Run run-case.sh TARGET CASE -o tmp; the transcript text, or NULL. */
static char *record(const struct oracle_opts *o)
{
    char dir[4096], cache[4096], script[4200], tmp[] = "/tmp/mcasim-oracle-XXXXXX";
    if (check_prerequisites(o->target, dir, sizeof(dir), cache, sizeof(cache)))
        return NULL;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "mcasim oracle: cannot create a temporary file: %s\n", strerror(errno));
        return NULL;
    }
    close(fd);
    int lock = lock_cache(cache);
    snprintf(script, sizeof(script), "%s/run-case.sh", dir);
    fprintf(stderr, "mcasim oracle: running %s on %s under QEMU (%s)\n", o->case_path, oracle_target_name(o->target),
            script);
    pid_t pid = fork();
    if (pid == 0) {
        execl(script, script, oracle_target_name(o->target), o->case_path, "-o", tmp, (char *)NULL);
        fprintf(stderr, "mcasim oracle: cannot run %s: %s\n", script, strerror(errno));
        _exit(127);
    }
    int st = 0;
    while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (lock >= 0)
        close(lock);
    char *text = pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? tb_slurp(tmp) : NULL;
    if (!text)
        fprintf(stderr, "mcasim oracle: %s failed (%s %d): no transcript\n", script,
                pid > 0 && WIFEXITED(st) ? "exit status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    unlink(tmp);
    return text;
}

/* The real transcript into *t: 0, or -1 after a message. */
static int real_side(const struct oracle_opts *o, struct transcript *t)
{
    char *text = o->compare ? tb_slurp(o->compare) : record(o);
    if (!text) {
        if (o->compare)
            fprintf(stderr, "mcasim oracle: cannot read %s: %s\n", o->compare, strerror(errno));
        return -1;
    }
    char err[256];
    const char *name = o->compare ? o->compare : "the recorded transcript";
    int rc = ts_parse(t, text, err, sizeof(err));
    if (rc)
        fprintf(stderr, "mcasim oracle: %s: %s\n", name, err);
    const char *target = rc ? NULL : ts_header(t, "target");
    if (!rc && (!target || strcmp(target, oracle_target_name(o->target)))) {
        fprintf(stderr, "mcasim oracle: %s is a transcript of target %s, not %s\n", name, target ? target : "(none)",
                oracle_target_name(o->target));
        ts_free(t);
        rc = -1;
    }
    if (!rc && o->save_real) {
        FILE *f = fopen(o->save_real, "w");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "mcasim oracle: cannot write %s\n", o->save_real);
            ts_free(t);
            rc = -1;
        }
    }
    free(text);
    return rc;
}

/* ---- the mcasim side ---- */

/* The case as the target: Xen's release, a release build, the oracle's
 * boot options. */
static void as_target(struct scenario *s, enum oracle_target t, char *producer, size_t len)
{
    if (oracle_target_is_xen(t)) {
        s->policy.xen_version = oracle_target_xen_version(t);
        s->policy.xen_debug = false;
        s->policy.boot_mce_verbose = true;
        snprintf(producer, len, "mcasim 0.1.0 (policy: xen_version \"%s\", xen_debug false, boot mce_verbosity: verbose)",
                 hv_xen_version_name(s->policy.xen_version));
    } else {
        snprintf(producer, len, "mcasim 0.1.0 (the Linux guest model on bare CPU models, sim/runtime/bare_linux.h)");
    }
}

static int mcasim_side(const struct oracle_opts *o, struct scenario *s, struct transcript *t)
{
    char producer[256], err[256];
    struct run_result r;
    as_target(s, o->target, producer, sizeof(producer));
    if (oracle_target_is_xen(o->target)) {
        struct sim_outputs so = {0};
        if (sim_run(s, s->seed, &so, &r) != 0) {
            rr_free(&r);
            return -1;
        }
    } else if (bare_linux_run(s, &r, err, sizeof(err)) != 0) {
        fprintf(stderr, "mcasim oracle: %s: %s\n", o->case_path, err);
        return -1;
    }
    transcript_render(&r, o->target, producer, t);
    rr_free(&r);
    if (!o->output)
        return 0;
    struct text_buf b = {0};
    ts_write(t, &b);
    FILE *f = fopen(o->output, "w");
    int bad = !f || fputs(tb_text(&b), f) < 0;
    bad |= f && fclose(f) != 0;
    tb_free(&b);
    if (bad)
        fprintf(stderr, "mcasim oracle: cannot write %s\n", o->output);
    return bad ? -1 : 0;
}

/* The marks: --deviations FILE, or CASE.deviation when it exists. */
static int load_marks(const struct oracle_opts *o, struct deviations *d)
{
    char def[4096];
    const char *path = o->deviations;
    memset(d, 0, sizeof(*d));
    if (o->no_deviations)
        return 0;
    if (!path) {
        size_t n = strlen(o->case_path);
        size_t stem = n > 5 && !strcmp(o->case_path + n - 5, ".yaml") ? n - 5 : n;
        snprintf(def, sizeof(def), "%.*s.deviation", (int)stem, o->case_path);
        if (!is_file(def))
            return 0;
        path = def;
    }
    char *text = tb_slurp(path), err[512];
    if (!text) {
        fprintf(stderr, "mcasim oracle: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = deviations_parse(text, path, o->target, d, err, sizeof(err));
    free(text);
    if (rc)
        fprintf(stderr, "mcasim oracle: %s\n", err);
    return rc;
}

int cmd_oracle(int argc, char **argv)
{
    struct oracle_opts o = {0};
    if (parse_opts(argc, argv, &o))
        return 2;
    struct scenario s;
    struct scn_error serr;
    if (scenario_load(o.case_path, &s, &serr) != 0) {
        scn_error_print(&serr, stderr);
        return 2;
    }
    struct transcript real, sim;
    struct deviations marks;
    if (load_marks(&o, &marks)) {
        scenario_free(&s);
        return 2;
    }
    if (real_side(&o, &real)) {
        deviations_free(&marks);
        scenario_free(&s);
        return 2;
    }
    int rc = 2;
    if (mcasim_side(&o, &s, &sim) == 0) {
        struct norm_case nc;
        struct oracle_report rep;
        struct text_buf b = {0};
        norm_case_init(&nc, &s, o.target);
        oracle_compare(&nc, &real, &sim, &marks, &rep);
        char name[600];
        snprintf(name, sizeof(name), "%s (%s)", oracle_target_name(o.target), o.compare ? o.compare : "recorded now");
        oracle_report_write(&rep, name, o.all, &b);
        fputs(tb_text(&b), stdout);
        rc = oracle_report_ok(&rep) ? 0 : 1;
        tb_free(&b);
        oracle_report_free(&rep);
        ts_free(&sim);
    }
    ts_free(&real);
    deviations_free(&marks);
    scenario_free(&s);
    return rc;
}

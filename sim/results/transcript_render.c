/*
 * transcript_render.c - a run record in the oracle's transcript format
 * (transcript_render.h). One function per section, each reading only the
 * run record and the case it was made from.
 */
#include "sim/results/transcript_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/results/kernel_records.h"
#include "sim/results/qemu_commands.h"

#define PANIC_LINE "Kernel panic - not syncing: "
#define STARS "****"

/* The oracle's section titles (oracle/transcript.py); the kernel
 * sections say where mcasim's come from instead. */
static const char *const title_injections = "injections (QEMU monitor)";
static const char *const title_console = "xen console";
static const char *const title_msrs = "vmce msr trace (per vCPU, in order)";
static const char *const title_heap = "xen free heap pages ('H': zones with fewer free pages after than before)";
static const char *const title_mcelog = "dom0 /dev/mcelog records (Xen telemetry as dom0 read it)";

/* "dom0: TEXT" of domain domid, or NULL when the line is another's. */
static const char *guest_text(const char *line, unsigned domid)
{
    char prefix[24];
    int k = snprintf(prefix, sizeof(prefix), "dom%u: ", domid);
    return strncmp(line, prefix, (size_t)k) ? NULL : line + k;
}

/* Xen's panic message: the lines after "Panic on CPU n:" up to "****". */
static bool xen_panic_message(const struct run_result *r, uint64_t from, char *msg, size_t len)
{
    for (unsigned i = 0; i < r->n_console; i++) {
        const struct rr_line *l = &r->console[i];
        unsigned cpu;
        char end;
        if (l->host || l->t_ps < from || sscanf(l->text, "Panic on CPU %u%c", &cpu, &end) != 2 || end != ':')
            continue;
        msg[0] = 0;
        for (unsigned j = i + 1; j < r->n_console && strncmp(r->console[j].text, STARS, 4); j++) {
            const char *t = r->console[j].text + strspn(r->console[j].text, " ");
            size_t used = strlen(msg);
            snprintf(msg + used, len - used, "%s%s", used ? " " : "", t);
        }
        return true;
    }
    return false;
}

/* A kernel's panic, from its log: "Kernel panic - not syncing: MSG". */
static const char *kernel_panic(const struct run_result *r, unsigned domid, uint64_t from)
{
    for (unsigned i = 0; i < r->n_guest_log; i++) {
        const struct rr_line *l = &r->guest_log[i];
        const char *t = l->host || l->t_ps < from ? NULL : guest_text(l->text, domid);
        if (t && !strncmp(t, PANIC_LINE, strlen(PANIC_LINE)))
            return t + strlen(PANIC_LINE);
    }
    return NULL;
}

static void render_outcome(const struct run_result *r, enum oracle_target t, uint64_t from,
                           struct ts_lines *out)
{
    const struct rr_host *h = &r->hosts[0];
    char msg[512];
    const char *kp = kernel_panic(r, 0, from);
    if (oracle_target_is_xen(t) && xen_panic_message(r, from, msg, sizeof(msg)))
        ts_lines_addf(out, "panic: %s", msg);
    else if (kp)
        ts_lines_addf(out, "panic: %s%s", oracle_target_is_xen(t) ? "dom0: " : "", kp);
    else if (h->outcome == SCN_OUT_RUNNING)
        ts_lines_add(out, "running");
    else if (h->outcome == SCN_OUT_PANIC)
        ts_lines_addf(out, "panic: %s", h->reason);
    else
        ts_lines_addf(out, "%s (%s)", scn_outcome_name(h->outcome), h->reason);
}

/* "MCE: dNvM: rd|wr MSR VALUE": Xen's vmce_rdmsr/vmce_wrmsr with
 * mce_verbosity=verbose. Fills the vCPU's name and the rest. */
static bool vmce_msr_line(const char *text, char *vcpu, size_t vlen, const char **rest)
{
    unsigned d, v;
    int k = -1;
    if (sscanf(text, "MCE: d%uv%u: %n", &d, &v, &k) != 2 || k < 0)
        return false;
    if (strncmp(text + k, "rd ", 3) && strncmp(text + k, "wr ", 3))
        return false;
    snprintf(vcpu, vlen, "d%uv%u", d, v);
    *rest = text + k;
    return true;
}

/* vCPU names in numeric order: d0v2 before d0v10. */
static int by_vcpu(const void *a, const void *b)
{
    unsigned d1 = 0, v1 = 0, d2 = 0, v2 = 0;
    sscanf(*(char *const *)a, "d%uv%u", &d1, &v1);
    sscanf(*(char *const *)b, "d%uv%u", &d2, &v2);
    if (d1 != d2)
        return d1 < d2 ? -1 : 1;
    return v1 < v2 ? -1 : v1 > v2;
}

static void render_console(const struct run_result *r, uint64_t from, struct ts_lines *console,
                           struct ts_lines *msrs)
{
    struct ts_lines vcpus = {0};
    for (unsigned i = 0; i < r->n_console; i++) {
        const struct rr_line *l = &r->console[i];
        char vcpu[32];
        const char *rest;
        if (l->host || l->t_ps < from)
            continue;
        if (!vmce_msr_line(l->text, vcpu, sizeof(vcpu), &rest)) {
            ts_lines_add(console, l->text);
            continue;
        }
        bool known = false;
        for (unsigned k = 0; k < vcpus.n && !known; k++)
            known = !strcmp(vcpus.v[k], vcpu);
        if (!known)
            ts_lines_add(&vcpus, vcpu);
    }
    qsort(vcpus.v, vcpus.n, sizeof(*vcpus.v), by_vcpu);
    for (unsigned k = 0; k < vcpus.n; k++)
        for (unsigned i = 0; i < r->n_console; i++) {
            char vcpu[32];
            const char *rest;
            const struct rr_line *l = &r->console[i];
            if (!l->host && l->t_ps >= from && vmce_msr_line(l->text, vcpu, sizeof(vcpu), &rest) &&
                !strcmp(vcpu, vcpus.v[k]))
                ts_lines_addf(msrs, "%s: %s", vcpu, rest);
        }
    ts_lines_free(&vcpus);
    if (!console->n)
        ts_lines_add(console, "(nothing)");
    if (!msrs->n)
        ts_lines_add(msrs, "(none)");
}

/* Xen's page_to_zone() (common/page_alloc.c): flsl(mfn), at least 1. */
static unsigned zone_of(uint64_t mfn)
{
    unsigned z = 0;
    while (mfn) {
        z++;
        mfn >>= 1;
    }
    return z ? z : 1;
}

static void render_heap(const struct run_result *r, struct ts_lines *out)
{
    const struct rr_host *h = &r->hosts[0];
    if (h->outcome != SCN_OUT_RUNNING) {
        ts_lines_add(out, "(no second dump: Xen did not answer the debug key)");
        return;
    }
    unsigned fewer[65] = {0};
    for (unsigned i = 0; i < h->npages; i++)
        if (h->pages[i].state == PAGE_OFFLINED)
            fewer[zone_of(h->pages[i].mfn)]++;
    for (unsigned z = 0; z < 65; z++)
        if (fewer[z])
            ts_lines_addf(out, "node 0 zone %u: -%u", z, fewer[z]);
    if (!out->n)
        ts_lines_add(out, "none fewer");
}

static void render_mcelog(const struct run_result *r, uint64_t from, struct ts_lines *out)
{
    for (unsigned i = 0; i < r->n_records; i++) {
        const struct rr_record *rr = &r->records[i];
        const struct mca_record *c = rr->rec;
        if (rr->host || !rr->delivered || c->time_ps < from)
            continue;
        for (unsigned b = 0; b < c->nbanks && b < MCA_REC_MAX_BANKS; b++)
            ts_lines_addf(out, "CPU %u BANK %u STATUS 0x%llx ADDR 0x%llx MISC 0x%llx MCGSTATUS 0x%llx MCGCAP 0x%llx",
                          c->cpu, c->bank[b].bank, (unsigned long long)c->bank[b].status,
                          (unsigned long long)c->bank[b].addr, (unsigned long long)c->bank[b].misc,
                          (unsigned long long)c->mcg_status, (unsigned long long)c->mcg_cap);
    }
    if (!out->n)
        ts_lines_add(out, "(none)");
}

static void render_kernel_lines(const struct run_result *r, uint64_t from, struct ts_lines *out)
{
    for (unsigned i = 0; i < r->n_guest_log; i++) {
        const struct rr_line *l = &r->guest_log[i];
        const char *t = l->host || l->t_ps < from ? NULL : guest_text(l->text, 0);
        if (t)
            ts_lines_add(out, t);
    }
    if (!out->n)
        ts_lines_add(out, "(none)");
}

/* A new section holding the lines of *l, which it takes over. */
static void attach(struct transcript *t, const char *title, struct ts_lines *l)
{
    ts_add_section(t, title)->lines = *l;
    memset(l, 0, sizeof(*l));
}

void transcript_render(const struct run_result *r, enum oracle_target t, const char *producer,
                       struct transcript *out)
{
    ts_init(out);
    const char *kernel = oracle_target_is_xen(t) ? "dom0" : "linux";
    uint64_t from = qemu_first_inject_ps(r->scn);
    struct ts_lines l = {0}, msrs = {0};
    ts_lines_add(&out->header, "# mcasim's run of an oracle case, in the oracle's transcript format");
    ts_lines_addf(&out->header, "target: %s", oracle_target_name(t));
    ts_lines_addf(&out->header, "simulator: %s", producer);
    ts_lines_addf(&out->header, "case: %s", r->scn->path);
    qemu_commands(r->scn, &l);
    attach(out, title_injections, &l);
    render_outcome(r, t, from, &l);
    attach(out, "outcome", &l);
    if (oracle_target_is_xen(t)) {
        render_console(r, from, &l, &msrs);
        attach(out, title_console, &l);
        attach(out, title_msrs, &msrs);
        render_heap(r, &l);
        attach(out, title_heap, &l);
        render_mcelog(r, from, &l);
        attach(out, title_mcelog, &l);
    }
    char title[128];
    if (!kernel_records(r, 0, from, &l))
        ts_lines_add(&l, "(none)");
    snprintf(title, sizeof(title), "%s kernel records (logged by mcasim's guest model)",
             kernel);
    attach(out, title, &l);
    render_kernel_lines(r, from, &l);
    snprintf(title, sizeof(title), "%s kernel lines (mcasim's guest model)", kernel);
    attach(out, title, &l);
}

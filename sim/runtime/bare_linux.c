/*
 * bare_linux.c - the Linux guest model on bare CPU models (bare_linux.h).
 * State: one register file and one execution context per CPU, the event
 * time (every access and line of a group is stamped with it), and the
 * guest. The guest ABI is served here: MSRs from the register files, log
 * lines and panics into the run record.
 */
#include "sim/runtime/bare_linux.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guests/linux_guest.h"
#include "models/cpu/cpu_mca.h"
#include "sim/results/qemu_commands.h"

struct bare {
    struct run_result *rr;
    struct cpu_mca *cpu;
    enum x86_exec_ctx *ctx;
    unsigned ncpus;
    uint64_t now_ps;
    bool booting;
    bool lmce_on;             /* firmware enabled LMCE (the host's lmce) */
    bool mc[256];             /* got a #MC in the current group */
    struct linux_guest g;
};

static void note(struct bare *b, unsigned vcpu, bool write, uint32_t msr, uint64_t val, int rc)
{
    struct rr_guest_msr *m = rr_add_guest_msr(b->rr);
    *m = (struct rr_guest_msr){b->now_ps, 0, 0, vcpu, write, rc != 0, msr, val};
}

static int g_rdmsr(void *ctx, unsigned vcpu, uint32_t msr, uint64_t *val)
{
    struct bare *b = ctx;
    int rc = vcpu < b->ncpus ? cpu_mca_rdmsr(&b->cpu[vcpu], msr, val) : -1;
    note(b, vcpu, false, msr, rc ? 0 : *val, rc);
    return rc;
}

/* A bank's MCi_CTL written at boot: Linux enables its banks on every CPU. */
static bool boot_bank_ctl(const struct bare *b, uint32_t msr)
{
    return b->booting && msr >= MSR_IA32_MC0_CTL && msr < MSR_IA32_MCx_CTL(MCA_MAX_BANKS) &&
           (msr - MSR_IA32_MC0_CTL) % 4 == 0;
}

static int g_wrmsr(void *ctx, unsigned vcpu, uint32_t msr, uint64_t val)
{
    struct bare *b = ctx;
    int rc = vcpu < b->ncpus ? cpu_mca_wrmsr(&b->cpu[vcpu], msr, val) : -1;
    for (unsigned c = 0; rc == 0 && boot_bank_ctl(b, msr) && c < b->ncpus; c++)
        cpu_mca_wrmsr(&b->cpu[c], msr, val);
    note(b, vcpu, true, msr, val, rc);
    return rc;
}

static void g_log(void *ctx, const char *line)
{
    struct bare *b = ctx;
    char text[320];
    snprintf(text, sizeof(text), "dom0: %s", line);
    rr_add_line(b->rr, RR_GUEST_LOG, b->now_ps, 0, text);
}

static void g_panic(void *ctx, const char *reason)
{
    struct bare *b = ctx;
    struct rr_host *h = &b->rr->hosts[0];
    if (h->outcome != SCN_OUT_RUNNING)
        return;
    h->outcome = SCN_OUT_PANIC;
    snprintf(h->reason, sizeof(h->reason), "kernel panic: %s", reason);
}

static void g_cr4(void *ctx, unsigned vcpu, int on)
{
    struct bare *b = ctx;
    if (vcpu < b->ncpus)
        b->cpu[vcpu].cr4_mce = on != 0;
}

static void g_stage(void *ctx, enum guest_stage st, uint64_t arg) { (void)ctx, (void)st, (void)arg; }
static void g_callback(void *ctx) { (void)ctx; }

static int setup(struct bare *b, const struct scenario *s, struct run_result *out)
{
    const struct scn_host *h = &s->hosts[0];
    memset(b, 0, sizeof(*b));
    b->rr = out;
    b->ncpus = h->ncpus < 256 ? h->ncpus : 256;
    b->lmce_on = h->lmce_on;
    b->cpu = calloc(b->ncpus, sizeof(*b->cpu));
    b->ctx = calloc(b->ncpus, sizeof(*b->ctx));
    if (!b->cpu || !b->ctx)
        abort();
    struct cpu_mca_config cc = {.nbanks = h->nbanks, .mcg_cap_flags = h->mcg_cap_flags, .id = h->id};
    for (unsigned c = 0; c < b->ncpus; c++) {
        if (cpu_mca_init(&b->cpu[c], &cc) != 0)
            return -1;
        b->ctx[c] = X86_CTX_GUEST_KERNEL; /* the idle task */
        if (h->mcg_cap_flags & MCG_CTL_P)
            cpu_mca_wrmsr(&b->cpu[c], MSR_IA32_MCG_CTL, ~0ull);
    }
    struct guest_abi abi = {.ctx = b, .domid = 0, .log = g_log, .stage = g_stage, .rdmsr = g_rdmsr,
                            .wrmsr = g_wrmsr, .set_cr4_mce = g_cr4, .register_mce_callback = g_callback,
                            .panic = g_panic};
    struct linux_guest_config kc = {.kind = GUEST_LINUX, .pv = false, .vendor = h->id.vendor,
                                    .family = h->id.family, .model = h->id.model, .nvcpus = b->ncpus};
    linux_guest_init(&b->g, &abi, &kc);
    b->booting = true;
    for (unsigned c = 0; c < b->ncpus; c++)
        linux_guest_boot(&b->g, c);
    b->booting = false;
    return 0;
}

/* Deliver a #MC to CPU c: a shutdown ends the run (SDM 15.10.1). An
 * exact MCG_STATUS (the case gave it) is what the CPU holds afterwards,
 * MCIP or not, as in the full simulator (cpu_sc::take_mc). */
static void deliver(struct bare *b, unsigned c, uint64_t mcg, bool exact)
{
    struct rr_host *h = &b->rr->hosts[0];
    if (cpu_mca_deliver_mc(&b->cpu[c], mcg) == CPU_MC_DELIVERED) {
        if (exact)
            b->cpu[c].mcg_status = mcg;
        b->mc[c] = true;
        return;
    }
    if (h->outcome == SCN_OUT_RUNNING) {
        h->outcome = SCN_OUT_SHUTDOWN;
        snprintf(h->reason, sizeof(h->reason), "CPU %u: %s", c, b->cpu[c].shutdown_reason);
    }
}

/* What hardware does for one inject event (the same rules as the full
 * simulator's host_rt::inject): latch, then signal. */
static void inject(struct bare *b, const struct scn_inject *in)
{
    if (in->cpu >= b->ncpus)
        return;
    if (in->context >= 0)
        b->ctx[in->cpu] = (enum x86_exec_ctx)in->context;
    struct cpu_mca *c = &b->cpu[in->cpu];
    struct cpu_latch_result lr = in->raw ? cpu_mca_write_raw(c, in->bank, in->status, in->addr, in->misc)
                                         : cpu_mca_latch(c, in->bank, in->status, in->addr, in->misc);
    if (!(in->signal == SCN_SIGNAL_MCE || (in->signal == SCN_SIGNAL_AUTO && lr.signal_mc)))
        return;
    bool local = in->local && cpu_mca_lmce_enabled(&b->cpu[in->cpu], b->lmce_on);
    uint64_t mcg = in->has_mcg_status ? in->mcg_status
                                      : cpu_mca_mcg_status_for(b->ctx[in->cpu], in->status, true, local);
    if (in->ripv >= 0)
        mcg = (mcg & ~MCG_STATUS_RIPV) | (in->ripv ? MCG_STATUS_RIPV : 0);
    if (in->eipv >= 0)
        mcg = (mcg & ~MCG_STATUS_EIPV) | (in->eipv ? MCG_STATUS_EIPV : 0);
    deliver(b, in->cpu, mcg, in->has_mcg_status);
    for (unsigned c = 0; !local && !in->no_broadcast && c < b->ncpus; c++)
        if (c != in->cpu)
            deliver(b, c, cpu_mca_mcg_status_for(b->ctx[c], in->status, false, false), false);
}

/* The n events of ev share a time: latch and signal all, then handle. */
static void run_group(struct bare *b, const struct scn_event *const *ev, unsigned n)
{
    memset(b->mc, 0, sizeof(b->mc));
    b->now_ps = ev[0]->at_ps;
    for (unsigned k = 0; k < n; k++) {
        if (ev[k]->kind == SCN_EV_INJECT)
            inject(b, &ev[k]->u.inject);
        else if (ev[k]->u.context.cpu < b->ncpus)
            b->ctx[ev[k]->u.context.cpu] = ev[k]->u.context.ctx;
    }
    for (unsigned c = 0; c < b->ncpus && b->rr->hosts[0].outcome == SCN_OUT_RUNNING; c++)
        if (b->mc[c])
            linux_guest_machine_check(&b->g, c, b->ctx[c]);
    /* The CPUs that got no #MC never enter the rendezvous: Linux's
     * mce_start times out (monarch_timeout, 1 s by default). */
    if (b->rr->hosts[0].outcome == SCN_OUT_RUNNING)
        linux_guest_rendezvous_timeout(&b->g);
}

static int check(const struct scenario *s, char *err, size_t errlen)
{
    if (s->nhosts != 1) {
        snprintf(err, errlen, "the linux target is one machine: the case has %u hosts", s->nhosts);
        return -1;
    }
    for (unsigned i = 0; i < s->nevents; i++)
        if (s->events[i].kind != SCN_EV_INJECT && s->events[i].kind != SCN_EV_CONTEXT) {
            snprintf(err, errlen, "line %u: the linux target runs inject and context events only",
                     s->events[i].loc.line);
            return -1;
        }
    return 0;
}

int bare_linux_run(const struct scenario *s, struct run_result *out, char *err, size_t errlen)
{
    if (check(s, err, errlen))
        return -1;
    rr_init(out, s, 1);
    snprintf(out->hosts[0].name, sizeof(out->hosts[0].name), "%s", s->hosts[0].name);
    out->hosts[0].ncpus = s->hosts[0].ncpus;
    out->seed = s->seed;
    out->end_ps = s->duration_ps;
    struct bare b;
    if (setup(&b, s, out)) {
        snprintf(err, errlen, "the host's CPU model cannot be built (banks, capabilities)");
        free(b.cpu);
        free(b.ctx);
        rr_free(out);
        return -1;
    }
    const struct scn_event **ev = case_events_in_order(s);
    for (unsigned i = 0, j; i < s->nevents && out->hosts[0].outcome == SCN_OUT_RUNNING; i = j) {
        for (j = i + 1; j < s->nevents && ev[j]->at_ps == ev[i]->at_ps; j++)
            ;
        if (ev[i]->at_ps <= s->duration_ps)
            run_group(&b, ev + i, j - i);
    }
    free(ev);
    free(b.cpu);
    free(b.ctx);
    return 0;
}

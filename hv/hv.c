/*
 * hv.c - life cycle of a hypervisor instance: init, console and trace
 * helpers, and stopping the host (panic / reset) with a
 * final dump of the telemetry that never reached dom0.
 */
#include "hv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"
#include "mce_internal.h"

void hv_config_defaults(struct hv_config *cfg, unsigned ncpus)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ncpus = ncpus;
    cfg->telem_urgent = 10;
    cfg->telem_nonurgent = 20;
    cfg->cmci_threshold = 2;
    cfg->poll_initial_ps = 8000000000000ull;
    cfg->poll_min_ps = 2000000000000ull;
    cfg->poll_max_ps = 16000000000000ull;
    cfg->storm = STORM_XEN; /* Xen has no storm handling (s.4) */
    cfg->vendor = CPU_VENDOR_INTEL; /* family 6 model 0x55 (Skylake-SP), */
    cfg->family = 6;                /* the scenarios' default CPU        */
    cfg->model = 0x55;
}

/* Domains get their memory from the regions they own, in region order. */
static int init_domains(struct hv *hv, const struct hv_config *cfg)
{
    hv->ndom = cfg->ndomains;
    if (!hv->ndom)
        return 0;
    hv->dom = calloc(hv->ndom, sizeof(*hv->dom));
    if (!hv->dom)
        return -1;
    for (unsigned i = 0; i < hv->ndom; i++) {
        const struct hv_domain_config *dc = &cfg->domains[i];
        struct domain *d = &hv->dom[i];
        if (domain_init(d, dc->id, dc->type, dc->nvcpus, &dc->vmce) != 0)
            return -1;
        for (unsigned v = 0; v < dc->nvcpus; v++)
            d->vcpu[v].pcpu = dc->pcpu ? dc->pcpu[v] % cfg->ncpus : v % cfg->ncpus;
        d->cpuid_vendor = dc->cpuid_vendor;
        d->cpuid_family = dc->cpuid_family;
        d->cpuid_model = dc->cpuid_model;
        d->pv_mca_driver = dc->pv_mca_driver;
        d->msr_relaxed = dc->msr_relaxed;
        d->honour_ctl = cfg->guest_mca_ctl == GUEST_MCA_CTL_HONOUR && dc->type == DOM_TYPE_HVM;
        d->host_vendor = cfg->vendor;
        d->paging = dc->paging;
        for (unsigned v = dc->vcpus_up; v && v < dc->nvcpus; v++)
            d->vcpu[v].up = false; /* never brought up by the guest */
        d->mca_handler = dc->mca_handler;
        /* dom0's kernel registers its #MC callback at boot */
        d->mce_callback = dc->type == DOM_TYPE_DOM0;
        if (dc->incoming) { /* Xen's restore creates the domain paused */
            d->state = DOM_PAUSED;
            snprintf(d->reason, sizeof(d->reason), "waiting for an incoming migration");
        }
        for (unsigned r = 0; r < cfg->nregions; r++)
            if (cfg->regions[r].owner == HV_OWNER_DOMAIN && cfg->regions[r].domid == dc->id &&
                domain_add_range_at(d, cfg->regions[r].has_gfn ? cfg->regions[r].gfn : DOMAIN_GFN_NEXT,
                                    cfg->regions[r].start_mfn, cfg->regions[r].npages) != 0)
                return -1;
    }
    return 0;
}

int hv_init(struct hv *hv, const struct hv_config *cfg, const struct hv_platform *plat)
{
    memset(hv, 0, sizeof(*hv));
    if (cfg->ncpus == 0 || cfg->ncpus > 256)
        return -1;
    hv->plat = plat;
    hv->cfg = *cfg;
    hv_spin_init(&hv->logout_lock);
    hv_spin_init(&hv->discover_lock);
    hv->monarch = -1;
    hv->x.severity_cpu = -1;
    hv->next_rec_id = 1;
    page_states_init(&hv->pages);
    hv->cpu = calloc(cfg->ncpus, sizeof(*hv->cpu));
    if (cfg->nregions) {
        hv->regions = calloc(cfg->nregions, sizeof(*hv->regions));
        if (hv->regions)
            memcpy(hv->regions, cfg->regions, cfg->nregions * sizeof(*hv->regions));
    }
    hv->nonline = cfg->ncpus; /* every CPU comes up at boot */
    hv->cfg.regions = hv->regions;
    hv->cfg.domains = NULL;
    for (unsigned i = 0; hv->cpu && i < cfg->ncpus; i++)
        hv->cpu[i].cur_domid = DOMID_NONE;
    if (!hv->cpu || (cfg->nregions && !hv->regions) ||
        telem_pool_init(&hv->telem, cfg->telem_urgent, cfg->telem_nonurgent, cfg->ncpus) != 0 ||
        init_domains(hv, cfg) != 0 || (cfg->firmware_first && hv_ff_init(hv) != 0)) {
        hv_fini(hv);
        return -1;
    }
    return 0;
}

void hv_fini(struct hv *hv)
{
    for (unsigned i = 0; hv->dom && i < hv->ndom; i++)
        domain_fini(&hv->dom[i]);
    free(hv->dom);
    hv->dom = NULL;
    telem_pool_fini(&hv->telem);
    hv_ff_fini(hv);
    page_states_fini(&hv->pages);
    free(hv->cpu);
    free(hv->regions);
    hv->cpu = NULL;
    hv->regions = NULL;
}

void hv_printk(struct hv *hv, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    hv->plat->console(hv->plat->ctx, line);
}

void hv_trace(struct hv *hv, enum hv_stage st, unsigned cpu, int bank, uint64_t status,
              uint64_t seq, const char *detail)
{
    struct hv_trace_event ev = {
        .stage = st, .cpu = cpu, .bank = bank, .status = status, .seq = seq, .detail = detail,
    };
    hv->plat->trace(hv->plat->ctx, &ev);
}

bool hv_trace_details(const struct hv *hv)
{
    return !hv->plat->trace_details || hv->plat->trace_details(hv->plat->ctx);
}

void hv_trace_record(struct hv *hv, enum hv_stage st, unsigned cpu, const struct mca_record *r,
                     int bank, const char *detail)
{
    const struct mca_bank_entry *b = bank >= 0 && (unsigned)bank < r->nbanks ? &r->bank[bank] : NULL;
    struct hv_trace_event ev = {
        .stage = st, .cpu = cpu, .bank = b ? (int)b->bank : -1, .status = b ? b->status : 0,
        .seq = r->seq, .detail = detail, .rec = r,
    };
    hv->plat->trace(hv->plat->ctx, &ev);
}

void hv_set_current(struct hv *hv, unsigned pcpu, unsigned domid, unsigned vcpu)
{
    if (pcpu >= hv->cfg.ncpus)
        return;
    hv->cpu[pcpu].cur_domid = domid;
    hv->cpu[pcpu].cur_vcpu = vcpu;
}

bool hv_cpu_busy(const struct hv *hv, unsigned cpu)
{
    return hv->cpu[cpu].in_mce || hv->cpu[cpu].spinning;
}

/* The #MC handler first: a #MC taken inside the softirq is the innermost. */
const char *hv_cpu_stuck_in(const struct hv *hv, unsigned cpu)
{
    const struct hv_cpu *c = &hv->cpu[cpu];
    if (!hv_cpu_busy(hv, cpu))
        return NULL;
    if (c->in_mce)
        return "the #MC handler (rendezvous never completed)";
    if (c->in_softirq)
        return "the MCE softirq (rendezvous never completed)";
    return "a spin lock";
}

struct dump_ctx {
    struct hv *hv;
    unsigned n;
};

static void dump_one(void *arg, const struct telem_entry *e)
{
    struct dump_ctx *d = arg;
    const struct mca_record *r = &e->rec;
    static const char *const st[] = {"free", "uncommitted", "committed", "processing"};
    hv_printk(d->hv, "MCE: undelivered record %llu (%s, %s): CPU %u MCGSTATUS %llx, %u bank(s)%s",
              (unsigned long long)r->seq, e->cls == TELEM_URGENT ? "urgent" : "nonurgent",
              st[e->state], r->cpu, (unsigned long long)r->mcg_status, r->nbanks,
              (r->flags & MCA_REC_F_INCOMPLETE) ? " (incomplete)" : "");
    for (unsigned i = 0; i < r->nbanks; i++) {
        const struct mca_bank_entry *b = &r->bank[i];
        hv_printk(d->hv, "MCE:   BANK %u STATUS %016llx ADDR %016llx MISC %016llx [%s]", b->bank,
                  (unsigned long long)b->status, (unsigned long long)b->addr,
                  (unsigned long long)b->misc, b->rule);
    }
    d->n++;
}

void hv_stop_quiet(struct hv *hv, unsigned cpu, enum hv_stop_kind kind, const char *reason)
{
    if (hv->stopped)
        return;
    hv->stopped = true;
    hv->stop_kind = kind;
    snprintf(hv->stop_reason, sizeof(hv->stop_reason), "%s", reason);
    hv->plat->shared_changed(hv->plat->ctx);
    hv->plat->host_stop(hv->plat->ctx, cpu, kind, reason);
}

void hv_stop(struct hv *hv, unsigned cpu, enum hv_stop_kind kind, const char *reason)
{
    if (hv->stopped)
        return;
    if (kind == HV_STOP_RESET)
        hv_printk(hv, "MCE: %s", reason);
    struct dump_ctx d = {.hv = hv};
    telem_foreach_undelivered(&hv->telem, dump_one, &d);
    hv_printk(hv, "MCE: %u undelivered telemetry record(s), %llu dropped", d.n,
              (unsigned long long)(hv->telem.stats.dropped[TELEM_URGENT] +
                                   hv->telem.stats.dropped[TELEM_NONURGENT]));
    hv_printk(hv, "****************************************");
    hv_printk(hv, "Panic on CPU %u:", cpu);
    hv_printk(hv, "HARDWARE ERROR: %s", reason);
    hv_printk(hv, "****************************************");
    hv_stop_quiet(hv, cpu, kind, reason);
}

void hv_halt(struct hv *hv)
{
    hv->stopped = true;
}

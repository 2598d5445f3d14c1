/*
 * kernel_records.c - a guest kernel's logged records from its MSR accesses
 * (kernel_records.h). One small state per vCPU: the pass's MCG_STATUS and,
 * per bank, what the pass read.
 */
#include "sim/results/kernel_records.h"

#include <stdlib.h>
#include <string.h>

#include "arch/x86_mca.h"

#define KR_MAX_VCPUS 64

struct bank_seen {
    bool valid;               /* MCi_STATUS read with VAL in this pass */
    uint64_t status, addr, misc;
};

struct pass {
    bool open;
    uint64_t mcg_status;
    struct bank_seen bank[MCA_MAX_BANKS];
};

/* Which register of which bank an MSR is: 0 CTL, 1 STATUS, 2 ADDR, 3 MISC;
 * -1 when it is no bank register. */
static int bank_reg(uint32_t msr, unsigned *bank)
{
    if (msr < MSR_IA32_MC0_CTL || msr >= MSR_IA32_MCx_CTL(MCA_MAX_BANKS))
        return -1;
    *bank = (msr - MSR_IA32_MC0_CTL) / 4;
    return (int)((msr - MSR_IA32_MC0_CTL) % 4);
}

static void on_read(struct pass *p, const struct rr_guest_msr *m)
{
    unsigned b;
    int reg = bank_reg(m->msr, &b);
    if (m->msr == MSR_IA32_MCG_STATUS && !p->open) {
        memset(p, 0, sizeof(*p));
        p->open = true;
        p->mcg_status = m->value;
    }
    if (reg < 0 || !p->open)
        return;
    struct bank_seen *s = &p->bank[b];
    if (reg == 1 && (m->value & MCI_STATUS_VAL)) {
        s->valid = true;
        s->status = m->value;
    } else if (reg == 2) {
        s->addr = m->value;
    } else if (reg == 3) {
        s->misc = m->value;
    }
}

static unsigned on_write(struct pass *p, const struct rr_guest_msr *m, struct ts_lines *out)
{
    unsigned b;
    if (m->msr == MSR_IA32_MCG_STATUS) {
        p->open = false;
        return 0;
    }
    if (bank_reg(m->msr, &b) != 1 || !p->open || !p->bank[b].valid)
        return 0;
    const struct bank_seen *s = &p->bank[b];
    ts_lines_addf(out, "CPU %u BANK %u STATUS 0x%llx ADDR 0x%llx MISC 0x%llx MCGSTATUS 0x%llx", m->vcpu, b,
                  (unsigned long long)s->status, (unsigned long long)s->addr, (unsigned long long)s->misc,
                  (unsigned long long)p->mcg_status);
    memset(&p->bank[b], 0, sizeof(p->bank[b]));
    return 1;
}

unsigned kernel_records(const struct run_result *r, unsigned domid, uint64_t from_ps, struct ts_lines *out)
{
    struct pass *pass = calloc(KR_MAX_VCPUS, sizeof(*pass)); /* 66 KiB: off the stack */
    if (!pass)
        abort();
    unsigned n = 0;
    for (unsigned i = 0; i < r->n_guest_msrs; i++) {
        const struct rr_guest_msr *m = &r->guest_msrs[i];
        if (m->host != 0 || m->domid != domid || m->t_ps < from_ps || m->gp || m->vcpu >= KR_MAX_VCPUS)
            continue;
        if (m->write)
            n += on_write(&pass[m->vcpu], m, out);
        else
            on_read(&pass[m->vcpu], m);
    }
    free(pass);
    return n;
}

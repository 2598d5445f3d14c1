/* mock_platform.c - the hv_platform of the unit tests (see the header). */
#include "mock_platform.h"

#include "arch/x86_mca.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct mock *M(void *ctx) { return ctx; }

/* The register file that holds msr for cpu: a core bank's is on the
 * core's first thread. */
static struct cpu_mca *home(struct mock *m, unsigned cpu, uint32_t msr)
{
    unsigned bank = MCA_MAX_BANKS;
    if (msr >= MSR_IA32_MC0_CTL && msr < MSR_IA32_MCx_CTL(MCA_MAX_BANKS))
        bank = (msr - MSR_IA32_MC0_CTL) / 4;
    else if (msr >= MSR_IA32_MC0_CTL2 && msr < MSR_IA32_MCx_CTL2(MCA_MAX_BANKS))
        bank = msr - MSR_IA32_MC0_CTL2;
    if (m->threads > 1 && bank < 32 && ((m->core_banks >> bank) & 1u))
        return &m->cpu[cpu - cpu % m->threads];
    return &m->cpu[cpu];
}

static int m_rdmsr(void *ctx, unsigned cpu, uint32_t msr, uint64_t *v)
{
    M(ctx)->now += M(ctx)->op_ps;
    return cpu_mca_rdmsr(home(M(ctx), cpu, msr), msr, v);
}

static int m_wrmsr(void *ctx, unsigned cpu, uint32_t msr, uint64_t v)
{
    M(ctx)->now += M(ctx)->op_ps;
    return cpu_mca_wrmsr(home(M(ctx), cpu, msr), msr, v);
}

static void m_call_function(void *ctx, unsigned cpu)
{
    if (cpu < MOCK_CPUS)
        M(ctx)->calls[cpu]++;
}

static void m_charge(void *ctx, unsigned cpu, enum hv_cost what, unsigned n)
{
    (void)cpu, (void)what;
    M(ctx)->now += M(ctx)->op_ps * n;
}

static void m_spin_wait(void *ctx, unsigned cpu, uint64_t deadline)
{
    struct mock *m = M(ctx);
    if (m->hv && cpu < MOCK_CPUS)
        m->stuck_in[cpu] = hv_cpu_stuck_in(m->hv, cpu);
    m->spins++;
    m->now += m->spin_ps;
    if (deadline != UINT64_MAX && m->now > deadline)
        m->now = deadline;
    if (m->stop_after_spins && m->spins >= m->stop_after_spins && m->hv)
        hv_halt(m->hv);
}

static void m_shared_changed(void *ctx) { (void)ctx; }
static uint64_t m_now(void *ctx) { return M(ctx)->now; }
static enum x86_exec_ctx m_context(void *ctx, unsigned cpu) { return M(ctx)->ctx[cpu]; }
static void m_raise_softirq(void *ctx, unsigned cpu) { M(ctx)->softirq_raised[cpu]++; }
static void m_raise_nmi(void *ctx, unsigned cpu) { M(ctx)->nmi_raised[cpu]++; }
static void m_arm_timer(void *ctx, unsigned cpu, uint64_t at)
{
    if (cpu < MOCK_CPUS) {
        M(ctx)->timer_at[cpu] = at;
        M(ctx)->timer_arms[cpu]++;
    }
}

static void m_send_virq(void *ctx, unsigned domid, unsigned virq)
{
    if (domid == 0 && virq == VIRQ_MCA)
        M(ctx)->virqs++;
}

static uint8_t *gptr(struct mock *m, uint64_t gaddr, size_t len)
{
    if (gaddr < MOCK_GBASE || len > MOCK_GLEN || gaddr - MOCK_GBASE > MOCK_GLEN - len)
        return NULL;
    return m->gmem + (gaddr - MOCK_GBASE);
}

static int m_from(void *ctx, unsigned domid, uint64_t gaddr, void *dst, size_t len)
{
    uint8_t *p = domid == 0 ? gptr(M(ctx), gaddr, len) : NULL;
    if (!p)
        return -EFAULT;
    memcpy(dst, p, len);
    return 0;
}

static int m_to(void *ctx, unsigned domid, uint64_t gaddr, const void *src, size_t len)
{
    uint8_t *p = domid == 0 ? gptr(M(ctx), gaddr, len) : NULL;
    if (!p)
        return -EFAULT;
    memcpy(p, src, len);
    return 0;
}

static void m_trace(void *ctx, const struct hv_trace_event *ev)
{
    struct mock *m = M(ctx);
    if ((unsigned)ev->stage >= HV_STAGE__COUNT)
        return;
    m->trace_count[ev->stage]++;
    m->last_bank[ev->stage] = ev->bank;
    snprintf(m->last_detail[ev->stage], sizeof(m->last_detail[ev->stage]), "%s",
             ev->detail ? ev->detail : "");
}

static void m_console(void *ctx, const char *line)
{
    struct mock *m = M(ctx);
    m->consoles++;
    snprintf(m->last_console, sizeof(m->last_console), "%s", line);
    size_t n = strlen(line);
    if (m->console_len + n + 2 <= sizeof(m->console_log)) {
        memcpy(m->console_log + m->console_len, line, n);
        m->console_len += n;
        m->console_log[m->console_len++] = '\n';
        m->console_log[m->console_len] = '\0';
    }
}

static void m_set_cr4_mce(void *ctx, unsigned cpu, int on)
{
    if (cpu < MOCK_CPUS)
        M(ctx)->cpu[cpu].cr4_mce = on != 0;
}

static void m_stop(void *ctx, unsigned cpu, enum hv_stop_kind kind, const char *reason)
{
    struct mock *m = M(ctx);
    (void)cpu;
    m->stopped = 1;
    m->stop_kind = kind;
    snprintf(m->stop_reason, sizeof(m->stop_reason), "%s", reason);
}

void mock_init(struct mock *m, unsigned ncpus, uint64_t cap_flags, unsigned nbanks)
{
    memset(m, 0, sizeof(*m));
    struct cpu_mca_config cfg = {.nbanks = nbanks, .mcg_cap_flags = cap_flags,
                                 .id = {CPU_VENDOR_INTEL, 6, 0x55}};
    for (unsigned i = 0; i < ncpus && i < MOCK_CPUS; i++) {
        cpu_mca_init(&m->cpu[i], &cfg);
        m->ctx[i] = X86_CTX_IDLE;
    }
    m->op_ps = 1000;
    m->spin_ps = 50000;
    m->plat = (struct hv_platform){
        .ctx = m, .rdmsr = m_rdmsr, .wrmsr = m_wrmsr, .charge = m_charge,
        .spin_wait = m_spin_wait, .shared_changed = m_shared_changed, .now_ps = m_now,
        .context = m_context, .raise_softirq = m_raise_softirq, .raise_nmi = m_raise_nmi, .arm_timer = m_arm_timer,
        .send_virq = m_send_virq, .copy_from_guest = m_from, .copy_to_guest = m_to,
        .trace = m_trace, .console = m_console, .host_stop = m_stop, .set_cr4_mce = m_set_cr4_mce,
        .call_function = m_call_function,
    };
}

bool mock_console_has(const struct mock *m, const char *line)
{
    const char *p = m->console_log;
    size_t n = strlen(line);
    for (; (p = strstr(p, line)) != NULL; p += n)
        if ((p == m->console_log || p[-1] == '\n') && p[n] == '\n')
            return true;
    return false;
}

const struct hv_domain_config mock_dom0 = {
    .id = 0, .type = DOM_TYPE_DOM0, .nvcpus = 1,
    .vmce = {.nbanks = 2, .err_bank = 1, .ser_p = true, .cmci_p = true, .tes_p = true},
    .mca_handler = true,
};

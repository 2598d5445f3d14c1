/*
 * dom0_ff.c - dom0's firmware-first CMC/CPE handler (dom0_ff.h): per
 * interrupt, one record: size (first time), get, log, clear.
 */
#include "guests/dom0/dom0_ff.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const type_name[FW_TYPE__COUNT] = {[FW_TYPE_CMC] = "CMC", [FW_TYPE_CPE] = "CPE",
                                                      [FW_TYPE_GHES] = "GHES"};
static const char *const type_what[FW_TYPE__COUNT] = {[FW_TYPE_CMC] = "corrected machine check",
                                                      [FW_TYPE_CPE] = "corrected platform error",
                                                      [FW_TYPE_GHES] = "CPER memory error section"};
static const char *const cper_sev[] = {"recoverable", "fatal", "corrected", "none"};
static const char *const fn_name[] = {[SAL_FN_GET_STATE_INFO_SIZE] = "SAL_GET_STATE_INFO_SIZE",
                                      [SAL_FN_GET_STATE_INFO] = "SAL_GET_STATE_INFO",
                                      [SAL_FN_CLEAR_STATE_INFO] = "SAL_CLEAR_STATE_INFO"};

void dom0_ff_init(struct dom0_ff *d, const struct guest_abi *abi, uint64_t arg)
{
    memset(d, 0, sizeof(*d));
    d->abi = *abi;
    d->arg = arg;
}

static void logf_(struct dom0_ff *d, const char *line) { d->abi.log(d->abi.ctx, line); }

/* One trapped SAL call; the struct in dom0's memory holds the answer. */
static long sal(struct dom0_ff *d, uint32_t fn, unsigned type, struct sal_call **out)
{
    struct sal_call *c = d->abi.gmem(d->abi.ctx, d->arg, sizeof(*c));
    if (!c)
        return -EFAULT;
    memset(c, 0, sizeof(*c));
    c->fn = fn;
    c->type = type;
    long rc = d->abi.hypercall_sal(d->abi.ctx, d->arg);
    if (rc) {
        char line[128];
        d->stats.errors++;
        snprintf(line, sizeof(line), "%s %s failed: %ld", fn_name[fn], type_name[type], rc);
        logf_(d, line);
    }
    *out = d->abi.gmem(d->abi.ctx, d->arg, sizeof(*c));
    return rc;
}

long dom0_ff_on_interrupt(struct dom0_ff *d, unsigned type)
{
    struct sal_call *c;
    char line[192];
    if (type >= FW_TYPE__COUNT)
        return -EINVAL;
    d->stats.interrupts++;
    long rc;
    if (!d->size[type] && type != FW_TYPE_GHES) {
        if ((rc = sal(d, SAL_FN_GET_STATE_INFO_SIZE, type, &c)) != 0)
            return rc;
        d->size[type] = c->size;
        snprintf(line, sizeof(line), "%s: SAL_GET_STATE_INFO_SIZE %llu bytes", type_name[type],
                 (unsigned long long)c->size);
        logf_(d, line);
    }
    if ((rc = sal(d, SAL_FN_GET_STATE_INFO, type, &c)) != 0)
        return rc;
    const struct fw_error_record *r = &c->rec;
    int n = type == FW_TYPE_GHES
                ? snprintf(line, sizeof(line), "GHES record %llu (error at %llu ns): %s", (unsigned long long)r->id,
                           (unsigned long long)(r->t_ps / 1000), type_what[type])
                : snprintf(line, sizeof(line), "%s record %llu from CPU %u (logged at %llu ns): %s", type_name[type],
                           (unsigned long long)r->id, r->cpu, (unsigned long long)(r->t_ps / 1000), type_what[type]);
    if ((r->flags & FW_REC_ADDRV) && n > 0 && (size_t)n < sizeof(line))
        n += snprintf(line + n, sizeof(line) - (size_t)n, " at %#llx", (unsigned long long)r->addr);
    if (type == FW_TYPE_GHES && n > 0 && (size_t)n < sizeof(line))
        snprintf(line + n, sizeof(line) - (size_t)n, ", severity %s, block status %#x",
                 r->severity < 4 ? cper_sev[r->severity] : "?", r->block_status);
    logf_(d, line);
    d->abi.charge(d->abi.ctx, GUEST_COST_DECODE, 1);
    if ((rc = sal(d, SAL_FN_CLEAR_STATE_INFO, type, &c)) != 0)
        return rc;
    d->stats.records++;
    return 0;
}

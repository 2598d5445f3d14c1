/*
 * kernel_records.c - a guest kernel's logged records from its log lines
 * (kernel_records.h).
 */
#include "sim/results/kernel_records.h"

#include <stdio.h>

/* The guest model's record line (guests/linux_guest.c log_record), after
 * the "domN: " every guest line starts with. */
#define RECORD_LINE "dom%u: mce: [Hardware Error]: CPU %u: Machine Check Exception: %llx Bank %u: %llx ADDR %llx MISC %llx"

unsigned kernel_records(const struct run_result *r, unsigned domid, uint64_t from_ps, struct ts_lines *out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->n_guest_log; i++) {
        const struct rr_line *l = &r->guest_log[i];
        unsigned d, cpu, bank;
        unsigned long long mcg, status, addr, misc;
        if (l->host != 0 || l->t_ps < from_ps ||
            sscanf(l->text, RECORD_LINE, &d, &cpu, &mcg, &bank, &status, &addr, &misc) != 7 || d != domid)
            continue;
        ts_lines_addf(out, "CPU %u BANK %u STATUS 0x%llx ADDR 0x%llx MISC 0x%llx MCGSTATUS 0x%llx", cpu, bank, status,
                      addr, misc, mcg);
        n++;
    }
    return n;
}

/*
 * hv_policy.h - the recovery policies a hypervisor instance can be
 * configured with (struct hv_config, hv.h), and their names as scenarios
 * and results spell them (DESIGN.md "Policies"). Each name is defined
 * once, beside the rows that implement the policy.
 */
#ifndef HV_PUBLIC_HV_POLICY_H
#define HV_PUBLIC_HV_POLICY_H

/* CMCI storm handling (cmci_storm.c: one row per policy). */
enum hv_storm_policy { STORM_XEN = 0, STORM_LINUX26, STORM_LINUX6, STORM__COUNT };
const char *hv_storm_policy_name(enum hv_storm_policy p);
/* "xen", "linux-2.6" or "linux-6": 0 and *out set, else -1. */
int hv_storm_policy_from_name(const char *name, enum hv_storm_policy *out);

/* Who handles an uncorrectable error in guest memory (decide.c). */
enum hv_decider {
    DECIDER_XEN = 0,  /* Xen: vMCE to the owner, crash it if impossible */
    DECIDER_SEED000,  /* Egger 2007: dom0 decides when it has a handler */
    DECIDER__COUNT
};
const char *hv_decider_name(enum hv_decider d);

/* How the #MC handler hands the rest of the work (mce_softirq's body:
 * the deferred records, their actions, dom0's VIRQ) out of #MC context
 * (mce_defer.c): Xen's MACHINE_CHECK_SOFTIRQ, run once the CPU leaves the
 * handler, or a self-NMI, the "NMI deferral" Egger's concept points to,
 * taken at once, inside the #MC handler that sent it. */
enum hv_deferral { DEFERRAL_SOFTIRQ = 0, DEFERRAL_NMI, DEFERRAL__COUNT };
const char *hv_deferral_name(enum hv_deferral d); /* "softirq", "nmi" */

/* What the hypervisor does when a guest touches a broken frame
 * (guest_ops.c). */
enum hv_broken_access { BROKEN_ACCESS_CRASH = 0, BROKEN_ACCESS_SRAR, BROKEN_ACCESS__COUNT };
const char *hv_broken_access_name(enum hv_broken_access b);

/* Which Xen release the hypervisor behaves as (xen_release.c: one row
 * per release). */
enum hv_xen_version { XEN_VER_4_20 = 0, XEN_VER_4_17, XEN_VER__COUNT };
const char *hv_xen_version_name(enum hv_xen_version v); /* "4.20", "4.17" */

/* The #MC handler's flow and grading (mce_xen.c, mce_linux.c).
 * ORDER_XEN: Xen's mcheck_cmn_handler (logout before the first barrier,
 * Xen's classification); ORDER_LINUX: an entry rendezvous first, a
 * Linux-style monarch, an optional rendezvous timeout, Linux's severity
 * table. */
enum hv_handler_order { ORDER_XEN = 0, ORDER_LINUX, ORDER__COUNT };
const char *hv_handler_order_name(enum hv_handler_order o); /* "xen", "linux" */

/* What a hypervisor memory error (its image, heap or page tables) does:
 * what Xen's offline_page and mc_memerr_dhandler make of it (an SRAO only
 * taints, an SRAR resets), or a reset for every one, as the RAS Enabling
 * Update (Xen Summit 2009) lists "critical memory: reset the system"
 * (memerr.c). */
enum hv_memory_policy { HV_MEMORY_XEN = 0, HV_MEMORY_RESET, HV_MEMORY__COUNT };
const char *hv_memory_policy_name(enum hv_memory_policy p); /* "xen", "reset" */

/* Who hears of an SRAR a domain consumed in another domain's page (dom0's
 * toolstack reading a guest frame): Xen tells only the owner (the consumer
 * re-executes the load), or the consumer also gets a vMCE, as the V4
 * broken-page migration patch thread (xen-devel, 2012) assumed. */
enum hv_foreign_srar { FOREIGN_SRAR_XEN = 0, FOREIGN_SRAR_VMCE, FOREIGN_SRAR__COUNT };
const char *hv_foreign_srar_name(enum hv_foreign_srar p); /* "xen", "vmce" */

/* Which vMCE caps a restored VMCE_VCPU record may carry (domctl.c):
 * Xen's fixed set for the host's vendor, count free (vmce_restore_vcpu),
 * or what this host can back, count included (the named alternative of
 * `policy.migration.mcg_cap: refuse`). */
enum hv_restore_check { RESTORE_CHECK_XEN = 0, RESTORE_CHECK_HOST, RESTORE_CHECK__COUNT };

#endif

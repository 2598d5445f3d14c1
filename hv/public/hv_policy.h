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

/* What the hypervisor does before it reads a domain's frame itself
 * (hv_touch.c): Xen looks only at the owner's p2m, where an HVM guest's
 * frame taken away is p2m_ram_broken; `avoid` also refuses a frame its
 * frame table knows broken, on every path, as the RAS Enabling Update
 * (Xen Summit 2009) proposes ("avoid high-possibility access"). */
enum hv_touch_policy { HV_TOUCH_XEN = 0, HV_TOUCH_AVOID, HV_TOUCH__COUNT };
const char *hv_touch_policy_name(enum hv_touch_policy p); /* "xen", "avoid" */

/* The vMCE design RFC (Jan Beulich, xen-devel 2012) asks for "a way to
 * tell the hypervisor e.g. via command line option which extra MSRs have
 * to be treated read-as-zero/writes-ignored upon guest accesses": at most
 * this many (guest_msr.c). Xen has no such list. */
#define HV_MAX_RAZ_MSRS 16

/* An HVM guest that turned a bank's error reporting off (MCi_CTL = 0) or
 * never enabled machine-check exceptions (CR4.MCE clear, polling): Xen
 * injects regardless (bank_mce_wrmsr drops MCi_CTL writes, inject_vmce
 * does not look at CR4), which is also what Egger's concept prefers
 * ("always inject exceptions into the HVM guest"); `honour` answers the
 * question it raises the other way (vmce_deliver.c). */
enum hv_guest_mca_ctl { GUEST_MCA_CTL_INJECT = 0, GUEST_MCA_CTL_HONOUR, GUEST_MCA_CTL__COUNT };
const char *hv_guest_mca_ctl_name(enum hv_guest_mca_ctl p); /* "inject", "honour" */

/* Which vMCE caps a restored VMCE_VCPU record may carry (domctl.c):
 * Xen's fixed set for the host's vendor, count free (vmce_restore_vcpu),
 * or what this host can back, count included (the named alternative of
 * `policy.migration.mcg_cap: refuse`). */
enum hv_restore_check { RESTORE_CHECK_XEN = 0, RESTORE_CHECK_HOST, RESTORE_CHECK__COUNT };

/* Xen's nmi= option (traps.c opt_nmi): what a PCI SERR or I/O check NMI
 * does. NMI_OPT_BUILD: the build's default, "dom0" in a release build
 * (NDEBUG), "fatal" in a debug one (nmi.c). */
enum hv_nmi_opt { NMI_OPT_BUILD = 0, NMI_OPT_DOM0, NMI_OPT_FATAL, NMI_OPT_IGNORE, NMI_OPT__COUNT };
const char *hv_nmi_opt_name(enum hv_nmi_opt o); /* "default", "dom0", "fatal", "ignore" */

#endif

/*
 * mca_abi.h - the guest-visible machine-check ABI of the hosted hypervisor.
 *
 * This is the only hv/ header guests may include: hypercall commands and
 * argument layouts, the telemetry record dom0 fetches, and VIRQ numbers.
 * It follows the shape of Xen's public arch-x86/xen-mca.h (fetch, ack by
 * fetch_id, physical CPU info; interface version 0x01ecc003) without being
 * binary compatible with it: a record is one CPU's logout, as Xen's struct
 * mc_info is (a global part and every valid bank of that CPU), flat.
 *
 * Guest pointers are guest-physical addresses (uint64_t) that the
 * hypervisor reads and writes only through copy_from/to_guest, so a bad
 * address is -EFAULT, never a host crash.
 */
#ifndef HV_PUBLIC_MCA_ABI_H
#define HV_PUBLIC_MCA_ABI_H

#include <stdint.h>

#include "arch/rtime.h"

#define MCA_INTERFACE_VERSION 0x01ecc003u

/* VIRQ_MCA is VIRQ_ARCH_0 in Xen's public xen.h. */
#define VIRQ_MCA 16u

/* No domain (a record about no guest page). */
#define DOMID_NONE 0xFFFFu

enum mca_cmd {
    MCA_CMD_FETCH = 1,        /* fetch (and, with MCA_FLAG_ACK, ack) a record */
    MCA_CMD_NOTIFYDOMAIN = 2, /* dom0's decision about a DomU's error (Egger, case II) */
    MCA_CMD_PHYSCPUINFO = 3,  /* physical CPU information                    */
    MCA_CMD_OFFLINE_PAGE = 7, /* take a host page out of service (Egger, case II) */
    MCA_CMD_SPARE_RANK = 8,   /* the spare rank replaces a failing rank (Egger's self-healing) */
};

/* What dom0 tells the hypervisor to do with a DomU hit by an error. */
enum mca_dom0_action {
    MCA_DOM0_NOTIFY = 1, /* deliver the vMCE to the DomU */
    MCA_DOM0_KILL,       /* crash (destroy) the DomU     */
    MCA_DOM0_SAVE,       /* pause it and save its state  */
    MCA_DOM0_IGNORE,     /* leave it running, untold     */
};

/* mca_fetch.flags, in */
#define MCA_FLAG_URGENT 0x1u
#define MCA_FLAG_NONURGENT 0x2u
#define MCA_FLAG_ACK 0x4u
/* mca_fetch.flags, out */
#define MCA_FLAG_OK 0x0u
#define MCA_FLAG_FETCHFAILED 0x10u
#define MCA_FLAG_NODATA 0x20u

/* Classes of a record as graded by the hypervisor (severity.h). */
enum mca_rec_class {
    MCA_REC_NONE = 0,
    MCA_REC_CORRECTED,
    MCA_REC_UCNA,
    MCA_REC_SRAO,
    MCA_REC_SRAR,
    MCA_REC_FATAL,
    MCA_REC__COUNT
};

/* How the error reached the hypervisor. */
enum mca_rec_source { MCA_SRC_MCE = 0, MCA_SRC_CMCI, MCA_SRC_POLL, MCA_SRC__COUNT };

/* What the hypervisor did about the domain that owns the page. */
enum mca_rec_action {
    MCA_ACT_NONE = 0,
    MCA_ACT_OFFLINED,  /* free page taken out of service             */
    MCA_ACT_PENDING,   /* owned page: offlined when freed            */
    MCA_ACT_VMCE,      /* vMCE delivered to the owner                */
    MCA_ACT_DEFERRED,  /* dom0 decides (MCA_CMD_NOTIFYDOMAIN)        */
    MCA_ACT_KILLED,    /* owner killed: nobody could handle it       */
    MCA_ACT_CRASHED,   /* vMCE could not be delivered: owner crashed */
    MCA_ACT_POLLED,    /* left in the guest's bank, no #MC (honour)  */
    MCA_ACT__COUNT
};

/* Result of the recovery action (Xen's enum mce_result). */
enum mca_rec_result {
    MCA_RES_NONE = 0,   /* corrected/logged, no action needed */
    MCA_RES_RECOVERED,
    MCA_RES_CONTINUE,   /* system tainted, continues */
    MCA_RES_RESET,
    MCA_RES__COUNT
};

#define MCA_RULE_LEN 64

/* Banks one record holds. Xen's mc_info (public xen-mca.h) has 760 bytes
 * of entries (MCINFO_MAXSIZE 768 less its 8-byte header): a 32-byte
 * mcinfo_global and then 48-byte mcinfo_bank entries, so (760 - 32) / 48
 * = 15 banks when no mcinfo_extended is logged. A logout with more valid
 * banks keeps the first 15, sets MCA_REC_F_INCOMPLETE and counts the
 * others in nlost (Xen: MCINFO_FLAGS_UNCOMPLETE, set by mca_init_bank in
 * mce.c when x86_mcinfo_reserve finds no room). */
#define MCA_REC_MAX_BANKS 15

/* mca_record.flags: Xen's MC_FLAG_* (mcinfo_global.mc_flags, same bit
 * values), as mcheck_mca_logout (mce.c) sets them: the source, then one
 * summary bit over the banks (PCC anywhere: UNCORRECTABLE; else UC
 * anywhere: RECOVERABLE; else CORRECTABLE). INCOMPLETE is Xen's
 * MCINFO_FLAGS_UNCOMPLETE of mc_info.flags, kept in the same word. */
#define MCA_REC_F_CORRECTABLE (1u << 0)
#define MCA_REC_F_UNCORRECTABLE (1u << 1)
#define MCA_REC_F_RECOVERABLE (1u << 2)
#define MCA_REC_F_POLLED (1u << 3)
#define MCA_REC_F_CMCI (1u << 5)
#define MCA_REC_F_MCE (1u << 6)
#define MCA_REC_F_INCOMPLETE (1u << 16)

/* One valid bank of a logout (Xen's mcinfo_bank), with what the
 * hypervisor made of it. */
struct mca_bank_entry {
    uint32_t bank;
    uint32_t cls;        /* enum mca_rec_class, as graded             */
    uint64_t status;
    uint64_t addr;
    uint64_t misc;
    char rule[MCA_RULE_LEN]; /* grading rule that fired, NUL-terminated */
    uint32_t domid;      /* domain owning the page, DOMID_NONE for none */
    uint32_t action;     /* enum mca_rec_action                        */
    uint64_t gaddr;      /* guest-physical address in that domain      */
};

/* One CPU's logout (Xen's mc_info: mcinfo_global + mcinfo_bank...). */
struct mca_record {
    uint64_t seq;        /* reservation order, from 1                 */
    rtime_t time_ps;     /* real time of logout (arch/rtime.h)        */
    uint32_t cpu;
    uint32_t flags;      /* MCA_REC_F_*                               */
    uint64_t mcg_cap;
    uint64_t mcg_status;
    uint32_t source;     /* enum mca_rec_source                       */
    uint32_t cls;        /* worst enum mca_rec_class of its banks     */
    uint32_t result;     /* worst enum mca_rec_result of its banks    */
    uint32_t context;    /* enum x86_exec_ctx at signalling           */
    uint32_t nbanks;     /* entries used in bank[]                    */
    uint32_t nlost;      /* valid banks that did not fit (INCOMPLETE) */
    struct mca_bank_entry bank[MCA_REC_MAX_BANKS];
};

struct mca_notifydomain {
    uint32_t domid;      /* the DomU the record named                 */
    uint32_t action;     /* enum mca_dom0_action                      */
    uint64_t record;     /* the record's seq                          */
    uint32_t bank;       /* index in that record's bank[] that named it */
    uint32_t pad;        /* must be 0                                 */
};

/* MCA_CMD_OFFLINE_PAGE: dom0 asks the hypervisor to take a host page out
 * of service (its CE accounting expects an uncorrected error there: the
 * Xen MCA/MCE concept, Egger 2007, case II), to put one back, or asks
 * where one stands. Xen does this with XEN_SYSCTL_page_offline_op
 * (common/sysctl.c), not with do_mca; this interface keeps dom0's MCA
 * hypercall but has that operation's semantics for one page: op is
 * sysctl_page_offline / _online / sysctl_query_page_offline, status comes
 * back as the PG_OFFLINE_* word of public/sysctl.h that offline_page,
 * online_page and query_page_offline (common/page_alloc.c) write (the
 * owner in bits 31:16), and the call returns what they return: 0, -EPERM
 * for a page of the hypervisor's image, -EINVAL for a frame that is not
 * conventional RAM or beyond the last page, or an online of a broken page.
 * status is written back whatever the return, as the sysctl does. */
#define MCA_OFFLINE_MFN_LIMIT (1ull << 40) /* frames at or above: !mfn_valid */
enum mca_offline_op { MCA_OFFLINE_OP_OFFLINE = 1, MCA_OFFLINE_OP_ONLINE, MCA_OFFLINE_OP_QUERY };

/* status of OFFLINE (and ONLINE: ONLINED is OFFLINED's bit, FAILED the same) */
#define MCA_PG_INVALID (1u << 0)      /* the hypervisor did not handle it      */
#define MCA_PG_OFFLINED (1u << 1)
#define MCA_PG_PENDING (1u << 2)      /* offlined when its owner frees it      */
#define MCA_PG_FAILED (1u << 3)
#define MCA_PG_AGAIN (1u << 4)        /* broken already, owner crashed         */
#define MCA_PG_XENPAGE (1u << 8)
#define MCA_PG_DOM0PAGE (1u << 9)
#define MCA_PG_ANONYMOUS (1u << 10)   /* in use by nobody Xen can name         */
#define MCA_PG_NOT_CONV_RAM (1u << 11)
#define MCA_PG_OWNED (1u << 12)
#define MCA_PG_BROKEN (1u << 13)
#define MCA_PG_ONLINED MCA_PG_OFFLINED
/* what status holds when nothing wrote it: the sysctl fills its status
 * array with PG_OFFLINE_INVALID bytes before the loop */
#define MCA_PG_UNTOUCHED 0x01010101u
/* status of QUERY */
#define MCA_PG_STATUS_OFFLINED (1u << 1)
#define MCA_PG_STATUS_ONLINE (1u << 2)
#define MCA_PG_STATUS_OFFLINE_PENDING (1u << 3)
#define MCA_PG_STATUS_BROKEN (1u << 4)
/* the owner, with PENDING or FAILED: a domid, DOMID_XEN or DOMID_INVALID */
#define MCA_PG_OWNER_SHIFT 16
#define MCA_PG_OWNER_XEN 0x7FF2u     /* Xen's DOMID_XEN     */
#define MCA_PG_OWNER_INVALID 0x7FF4u /* Xen's DOMID_INVALID */

struct mca_offline {
    uint64_t mfn;        /* in: host frame                             */
    uint32_t op;         /* in: enum mca_offline_op                    */
    uint32_t status;     /* out: MCA_PG_* | owner << 16                */
};

/* MCA_CMD_SPARE_RANK: dom0 asks the hypervisor to have the memory
 * controller's online-spare rank take over, or mirror, the rank holding
 * addr (the copy runs in the background). Egger's "Xen MCA/MCE concept" (2007):
 * hardware self-healing is the hypervisor's alone, never visible to a
 * DomU, and "only the Dom0 can tell Xen to do something using HW
 * features". Xen has no such command; only the seed000 policy set answers
 * it (-EINVAL otherwise, as an unknown command). 0, -ENODEV (no spare
 * rank), -EBUSY (the spare is in use), -EINVAL (addr past the end of
 * memory). */
enum mca_spare_mode {
    MCA_SPARE_MODE_SPARE = 0,  /* the spare replaces the rank           */
    MCA_SPARE_MODE_MIRROR = 1, /* the spare mirrors it (reads fail over) */
};
struct mca_spare {
    uint64_t addr;       /* in: a machine address in the failing rank */
    uint32_t mode;       /* in: enum mca_spare_mode (other: -EINVAL)  */
    uint32_t pad;
};

struct mca_fetch {
    uint32_t flags;      /* in: URGENT or NONURGENT, optional ACK; out: OK/NODATA/FETCHFAILED */
    uint32_t pad;
    uint64_t fetch_id;   /* out on fetch, in on ack                   */
    uint64_t data;       /* guest address of a struct mca_record      */
};

struct mca_cpuinfo {
    uint32_t cpu;
    uint32_t vendor;     /* the Xen release's mc_vendor number: Intel 0
                          * (4.20.4) or 1 (4.17.7), AMD 2 (xen_release.c) */
    uint32_t family;
    uint32_t model;
    uint32_t nbanks;
    uint32_t pad;
    uint64_t mcg_cap;
};

struct mca_physcpuinfo {
    uint32_t ncpus;      /* in: entries available at info; out: host CPUs */
    uint32_t pad;
    uint64_t info;       /* guest address of ncpus mca_cpuinfo, or 0 to ask the count */
};

struct mca_hypercall {
    uint32_t cmd;
    uint32_t interface_version;
    union {
        struct mca_fetch fetch;
        struct mca_notifydomain notifydomain;
        struct mca_physcpuinfo physcpuinfo;
        struct mca_offline offline;
        struct mca_spare spare;
    } u;
};

#endif

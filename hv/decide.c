/*
 * decide.c - the decision table for errors in guest memory (decide.h).
 * Rows quote the branches of the Xen MCA/MCE concept (Egger, 2007; case I
 * 2b-3b).
 */
#include "decide.h"

enum tri { ANY = 0, YES, NO };

struct dt_row {
    enum hv_decider decider;
    enum tri dom0, pv, hvm, callback, pv_driver, mca_enabled, dom0_handler;
    enum dt_action action;
    const char *branch;
};

static const struct dt_row rows[] = {
    /* Xen as shipped (mc_memerr_dhandler): always a vMCE; failure
     * to deliver it crashes the domain. */
    {DECIDER_XEN, ANY, ANY, ANY, ANY, ANY, ANY, ANY, DT_VMCE,
     "Xen: inject a vMCE into the owner (crash it if that fails)"},
    /* the Xen MCA/MCE concept (Egger, 2007) */
    {DECIDER_SEED000, YES, ANY, ANY, ANY, ANY, ANY, ANY, DT_VMCE,
     "2b: UE impacts Dom0: self-healing, notify Dom0"},
    {DECIDER_SEED000, NO, ANY, ANY, ANY, ANY, ANY, YES, DT_DEFER,
     "2c: Dom0 installed an MCA event handler: Dom0 decides"},
    {DECIDER_SEED000, NO, YES, NO, YES, ANY, ANY, NO, DT_VMCE,
     "3a: PV DomU installed an MCA event handler: notify it"},
    {DECIDER_SEED000, NO, NO, YES, YES, YES, ANY, NO, DT_VMCE,
     "3b: HVM DomU with a PV driver behaves as 3a: notify it"},
    {DECIDER_SEED000, NO, NO, YES, ANY, ANY, YES, NO, DT_VMCE,
     "3b: HVM DomU enabled MCA via MSR: inject #MC"},
    {DECIDER_SEED000, NO, ANY, ANY, ANY, ANY, ANY, NO, DT_KILL,
     "3a/3b: neither DomU nor Dom0 installed a handler: kill the DomU"},
};

static bool tri_ok(enum tri t, bool v)
{
    return t == ANY || (t == YES) == v;
}

struct dt_result decide_domain_error(const struct dt_input *in)
{
    bool dom0 = in->type == DOM_TYPE_DOM0;
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct dt_row *r = &rows[i];
        if (r->decider == in->decider && tri_ok(r->dom0, dom0) && tri_ok(r->pv, in->type == DOM_TYPE_PV) &&
            tri_ok(r->hvm, in->type == DOM_TYPE_HVM) && tri_ok(r->callback, in->callback) &&
            tri_ok(r->pv_driver, in->pv_driver) && tri_ok(r->mca_enabled, in->mca_enabled) &&
            tri_ok(r->dom0_handler, in->dom0_handler))
            return (struct dt_result){r->action, r->branch};
    }
    return (struct dt_result){DT_KILL, "no rule: kill the DomU"};
}

const char *hv_decider_name(enum hv_decider d)
{
    static const char *const n[DECIDER__COUNT] = {"xen", "seed000"};
    return (unsigned)d < DECIDER__COUNT ? n[d] : "unknown";
}

const char *dt_action_name(enum dt_action a)
{
    static const char *const n[] = {"vmce", "defer-to-dom0", "kill"};
    return (unsigned)a < 3 ? n[a] : "unknown";
}

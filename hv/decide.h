/*
 * decide.h - who handles an uncorrectable error in memory a guest owns.
 *
 * The Xen MCA/MCE concept (Egger, 2007) lays out a decision tree; Xen as
 * shipped simplified it to "inject a vMCE, crash the domain if that
 * fails". Both are policies here (hv_decider), each a block of rows in one
 * table, first match wins, and every decision names the branch that fired.
 */
#ifndef HV_DECIDE_H
#define HV_DECIDE_H

#include <stdbool.h>

#include "domain.h"
#include "public/hv_policy.h"

/* enum hv_decider and its names: public/hv_policy.h */

enum dt_action {
    DT_VMCE = 0, /* notify the owner with a vMCE (#MC or PV callback) */
    DT_DEFER,    /* dom0 decides, by MCA_CMD_NOTIFYDOMAIN             */
    DT_KILL,     /* nobody can handle it: the hypervisor kills the DomU */
};

struct dt_input {
    enum hv_decider decider;
    enum dom_type type;     /* of the owner                          */
    bool callback;          /* PV: machine-check callback registered  */
    bool pv_driver;         /* HVM: PV MCA driver                      */
    bool mca_enabled;       /* HVM: MCA enabled in its MSRs            */
    bool dom0_handler;      /* dom0 installed an MCA event handler     */
};

struct dt_result {
    enum dt_action action;
    const char *branch;     /* the seed's words for the branch taken  */
};

struct dt_result decide_domain_error(const struct dt_input *in);
const char *dt_action_name(enum dt_action a);

#endif

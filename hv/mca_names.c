/* mca_names.c - the name tables of public/mca_names.h. */
#include "public/mca_names.h"

const char *const mca_rec_class_names[MCA_REC__COUNT] = {
    [MCA_REC_NONE] = "none", [MCA_REC_CORRECTED] = "corrected", [MCA_REC_UCNA] = "ucna",
    [MCA_REC_SRAO] = "srao", [MCA_REC_SRAR] = "srar",           [MCA_REC_FATAL] = "fatal",
};

const char *const mca_rec_result_names[MCA_RES__COUNT] = {
    [MCA_RES_NONE] = "none", [MCA_RES_RECOVERED] = "recovered", [MCA_RES_CONTINUE] = "continue",
    [MCA_RES_RESET] = "reset",
};

const char *const mca_rec_source_names[MCA_SRC__COUNT] = {
    [MCA_SRC_MCE] = "mce", [MCA_SRC_CMCI] = "cmci", [MCA_SRC_POLL] = "poll",
};

const char *const mca_rec_action_names[MCA_ACT__COUNT] = {
    [MCA_ACT_NONE] = "none",         [MCA_ACT_OFFLINED] = "offlined", [MCA_ACT_PENDING] = "pending",
    [MCA_ACT_VMCE] = "vmce",         [MCA_ACT_DEFERRED] = "deferred", [MCA_ACT_KILLED] = "killed",
    [MCA_ACT_CRASHED] = "crashed",
    [MCA_ACT_POLLED] = "polled",
};

static const char *pick(const char *const *names, unsigned n, unsigned i)
{
    return i < n ? names[i] : "unknown";
}

const char *mca_rec_class_name(unsigned c) { return pick(mca_rec_class_names, MCA_REC__COUNT, c); }
const char *mca_rec_result_name(unsigned r) { return pick(mca_rec_result_names, MCA_RES__COUNT, r); }
const char *mca_rec_source_name(unsigned s) { return pick(mca_rec_source_names, MCA_SRC__COUNT, s); }
const char *mca_rec_action_name(unsigned a) { return pick(mca_rec_action_names, MCA_ACT__COUNT, a); }

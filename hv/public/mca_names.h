/*
 * mca_names.h - the names of the record ABI's enums (mca_abi.h), as
 * traces, results, expectations and the console spell them. One table per
 * enum, defined once in hv/mca_names.c; everyone else looks names up here.
 */
#ifndef HV_PUBLIC_MCA_NAMES_H
#define HV_PUBLIC_MCA_NAMES_H

#include "mca_abi.h"

extern const char *const mca_rec_class_names[MCA_REC__COUNT];   /* "none" ... "fatal"      */
extern const char *const mca_rec_result_names[MCA_RES__COUNT];  /* "none" ... "reset"      */
extern const char *const mca_rec_source_names[MCA_SRC__COUNT];  /* "mce", "cmci", "poll"   */
extern const char *const mca_rec_action_names[MCA_ACT__COUNT];  /* "none" ... "crashed"    */

/* The name, or "unknown" for a value past the table. */
const char *mca_rec_class_name(unsigned cls);
const char *mca_rec_result_name(unsigned result);
const char *mca_rec_source_name(unsigned source);
const char *mca_rec_action_name(unsigned action);

#endif

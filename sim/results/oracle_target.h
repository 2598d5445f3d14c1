/*
 * oracle_target.h - the systems the oracle boots under QEMU (oracle/README.md)
 * and what each means for mcasim: the Xen release and build a Xen target
 * is (Debian's packages are release builds, booted with
 * mce_verbosity=verbose), or the bare Linux kernel of the linux target.
 */
#ifndef SIM_ORACLE_TARGET_H
#define SIM_ORACLE_TARGET_H

#include <stdbool.h>

#include "hv/public/hv_policy.h"

enum oracle_target { ORC_XEN_417 = 0, ORC_XEN_420, ORC_LINUX, ORC__COUNT };

/* "xen-4.17", "xen-4.20", "linux" */
const char *oracle_target_name(enum oracle_target t);
/* ORC__COUNT when the name is none of them. */
enum oracle_target oracle_target_from_name(const char *name);
bool oracle_target_is_xen(enum oracle_target t);
/* The Xen release a Xen target runs (XEN_VER_4_20 for linux: unused). */
enum hv_xen_version oracle_target_xen_version(enum oracle_target t);

#endif

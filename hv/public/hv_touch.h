/*
 * hv_touch.h - the paths on which the hypervisor itself reads a domain's
 * frame (hv_touch.c), as scenarios and results spell them. The RAS
 * Enabling Update (Xen Summit 2009) names them as the places where "Xen
 * may access broken guest memory": hypercall arguments, grant copies,
 * instruction emulation, the shadow code's walk of guest page tables,
 * kexec, and granted memory a backend uses.
 */
#ifndef HV_PUBLIC_HV_TOUCH_H
#define HV_PUBLIC_HV_TOUCH_H

enum hv_path {
    HV_PATH_COPY_FROM_GUEST = 0, /* a hypercall's arguments: copy_from_guest */
    HV_PATH_GRANT_COPY,          /* GNTTABOP_copy: Xen copies a granted frame */
    HV_PATH_EMULATION,           /* emulating an instruction that reads memory */
    HV_PATH_SHADOW_WALK,         /* walking the guest's page tables (shadow)  */
    HV_PATH_KEXEC_LOAD,          /* KEXEC_CMD_kexec_load copies dom0's image  */
    HV_PATH_GRANT_MAP,           /* a backend reads a frame it grant-mapped   */
    HV_PATH__COUNT
};
const char *hv_path_name(enum hv_path p);
/* HV_PATH__COUNT when the name is unknown. */
enum hv_path hv_path_from_name(const char *name);

/* Xen's GNTST_bad_page (public/grant_table.h): a grant operation's status
 * for a frame that is not a usable page. */
#define HV_GNTST_BAD_PAGE (-9)

#endif

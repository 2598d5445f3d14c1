/*
 * x86_context.h - what a CPU was executing when an error was signalled.
 *
 * Hardware does not know about hypervisors, but it knows the privilege level
 * and whether the CPU was in VMX root or non-root operation, and whether the
 * interrupted instruction can be restarted. These five contexts are what the
 * hypervisor can tell apart from the saved CS and the VM-exit reason, so
 * they are what severity grading and RIPV/EIPV depend on.
 */
#ifndef ARCH_X86_CONTEXT_H
#define ARCH_X86_CONTEXT_H

enum x86_exec_ctx {
    X86_CTX_IDLE = 0,     /* hypervisor idle loop (HLT): restartable      */
    X86_CTX_HV,           /* hypervisor code, VMX root, ring 0            */
    X86_CTX_DOM0_KERNEL,  /* dom0 kernel                                  */
    X86_CTX_DOM0_USER,    /* dom0 user process (toolstack, mcelog)        */
    X86_CTX_GUEST_KERNEL, /* domU kernel, VMX non-root or PV ring 1       */
    X86_CTX_GUEST_USER,   /* domU user process                            */
    X86_CTX__COUNT
};

/* Scenario and trace spelling of each context. */
const char *x86_ctx_name(enum x86_exec_ctx c);
/* Returns X86_CTX__COUNT when the name is unknown. */
enum x86_exec_ctx x86_ctx_from_name(const char *name);

static inline int x86_ctx_is_hv(enum x86_exec_ctx c) { return c == X86_CTX_HV || c == X86_CTX_IDLE; }
static inline int x86_ctx_is_user(enum x86_exec_ctx c) { return c == X86_CTX_DOM0_USER || c == X86_CTX_GUEST_USER; }

#endif

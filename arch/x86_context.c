/* x86_context.c - names of execution contexts, as scenarios and traces spell them. */
#include "x86_context.h"

#include <string.h>

static const char *const ctx_names[X86_CTX__COUNT] = {
    [X86_CTX_IDLE] = "idle",
    [X86_CTX_HV] = "hypervisor",
    [X86_CTX_DOM0_KERNEL] = "dom0-kernel",
    [X86_CTX_DOM0_USER] = "dom0-user",
    [X86_CTX_GUEST_KERNEL] = "guest-kernel",
    [X86_CTX_GUEST_USER] = "guest-user",
};

const char *x86_ctx_name(enum x86_exec_ctx c)
{
    return (unsigned)c < X86_CTX__COUNT ? ctx_names[c] : "unknown";
}

enum x86_exec_ctx x86_ctx_from_name(const char *name)
{
    for (unsigned i = 0; i < X86_CTX__COUNT; i++)
        if (strcmp(name, ctx_names[i]) == 0)
            return (enum x86_exec_ctx)i;
    return X86_CTX__COUNT;
}

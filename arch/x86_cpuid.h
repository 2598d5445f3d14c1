/*
 * x86_cpuid.h - who made a CPU and which one it is, as CPUID leaf 0 (the
 * vendor string) and leaf 1 (family, model) report it. Shared by the CPU
 * model, the scenario language, the hypervisor (Xen's machine-check code
 * picks its vendor code and quirks from these) and the guests (Linux's
 * quirks for the CPU it is shown).
 *
 * The vendors are the ones Xen's x86 code names (X86_VENDOR_*): Intel,
 * AMD, Hygon (AMD's Zen licensed to Hygon, family 0x18), Centaur (VIA)
 * and Zhaoxin (Xen's X86_VENDOR_SHANGHAI). Values are mcasim's own, in
 * this order; nothing outside the simulator sees them.
 */
#ifndef ARCH_X86_CPUID_H
#define ARCH_X86_CPUID_H

enum cpu_vendor {
    CPU_VENDOR_INTEL = 0,
    CPU_VENDOR_AMD,
    CPU_VENDOR_HYGON,
    CPU_VENDOR_CENTAUR,
    CPU_VENDOR_ZHAOXIN,
    CPU_VENDOR__COUNT
};

struct cpu_model_id {
    enum cpu_vendor vendor;
    unsigned family;   /* display family: base, plus extended when base is 0xF */
    unsigned model;    /* display model, extended model included              */
};

/* "intel", "amd", "hygon", "centaur", "zhaoxin" (scenario spelling). */
const char *cpu_vendor_name(enum cpu_vendor v);
/* CPU_VENDOR__COUNT when the name is unknown. */
enum cpu_vendor cpu_vendor_from_name(const char *name);
/* The scenario spellings in enum order, CPU_VENDOR__COUNT of them. */
const char *const *cpu_vendor_names(void);

#endif

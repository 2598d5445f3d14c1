/*
 * bits.h - bit counting without a library call: the build targets plain
 * x86-64 (no -mpopcnt), where __builtin_popcountll becomes a call of
 * libgcc's __popcountdi2, and the fault footprint's arithmetic
 * (fault_map.c) counts bits on every fold. The SWAR sum (Hacker's Delight,
 * 5-1): pairs, nibbles, bytes, then one multiply adds the bytes.
 */
#ifndef ARCH_BITS_H
#define ARCH_BITS_H

#include <stdint.h>

static inline unsigned bits_popcount64(uint64_t v)
{
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((v * 0x0101010101010101ull) >> 56);
}

#endif

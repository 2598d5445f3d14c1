/*
 * json_out.h - minimal JSON emitting on a FILE: escaped strings and hex
 * numbers. Register values are written as "0x..." strings because JSON
 * numbers lose precision above 2^53 in most readers.
 */
#ifndef SIM_JSON_OUT_H
#define SIM_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "arch/rtime.h"

void json_str(FILE *f, const char *s);
void json_hex(FILE *f, uint64_t v);
/* "key": string / hex / unsigned / bool, preceded by a comma unless first. */
void json_kv_str(FILE *f, int *first, const char *key, const char *val);
void json_kv_hex(FILE *f, int *first, const char *key, uint64_t v);
void json_kv_u64(FILE *f, int *first, const char *key, uint64_t v);
/* an rtime_t (arch/rtime.h): exact digits, beyond 2^64 too */
void json_kv_rtime(FILE *f, int *first, const char *key, rtime_t v);
void json_kv_i64(FILE *f, int *first, const char *key, long long v);
void json_kv_bool(FILE *f, int *first, const char *key, int v);
/* "key": (the caller writes the value) */
void json_key(FILE *f, int *first, const char *key);

#endif

/* The VCD header's $date, made deterministic. */
#ifndef MCASIM_SIM_VCD_DATE_H
#define MCASIM_SIM_VCD_DATE_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * SystemC writes the wall-clock time into the $date block of a VCD, so two
 * runs of one scenario differ there. This overwrites that line in place, at
 * its own length, with a fixed text. Returns 0, or -1 when the file cannot
 * be opened or has no $date block in its first 4 KiB (it is then left as is).
 */
int vcd_date_clear(const char *path);

#ifdef __cplusplus
}
#endif

#endif

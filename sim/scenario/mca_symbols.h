/*
 * mca_symbols.h - the names of IA32_MCi_STATUS and IA32_MCG_STATUS bits as
 * people write them: the bits of SDM Vol. 3B §15.3.2.2 and §15.3.1.2, and
 * the groups Linux's mce-inject accepts (CORRECTED = VAL|EN, UNCORRECTED =
 * VAL|UC|EN, FATAL = VAL|UC|EN|PCC, SRAO = S, SRAR = S|AR, UCNA = 0; its
 * mce.lex). One table serves the scenario language (`status: [val, uc, en,
 * s, ar, mcacod: 0x134]`), every importer, and the text that names a value
 * in the YAML an import writes. Names match without regard to case.
 */
#ifndef SIM_SCENARIO_MCA_SYMBOLS_H
#define SIM_SCENARIO_MCA_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mca_reg { MCA_REG_STATUS = 0, MCA_REG_MCG_STATUS };

/* The bits a name stands for in a register; false when it names none. */
bool mca_symbol(enum mca_reg reg, const char *name, uint64_t *bits);
/* Whether a name is a symbol of the other register (for hints such as
 * "EIPV is an MCG_STATUS bit"). */
bool mca_symbol_elsewhere(enum mca_reg reg, const char *name);
/* The names of a register's symbols, lower case, in table order, for hints
 * and "did you mean". */
unsigned mca_symbol_names(enum mca_reg reg, const char **buf, unsigned max);
/* A value as the names of its single bits, with MCACOD and MSCOD for a
 * status and any bits without a name: "VAL|UC|EN|S|AR, MCACOD 0x0134". */
void mca_symbol_text(enum mca_reg reg, uint64_t v, char *buf, size_t len);

#endif

/*
 * vs_hw.h: the H extension's hardware for lab02's nested mode (priv 1.12,
 * chapter 8), as lab01's hw.h is the rest of the machine: the pure-C
 * parts (gstage.c, vs_exit.c) reach hgatp and HLVX only through these;
 * run_vs.c and vs_hlvx.S implement them.
 */
#ifndef VMM_VS_HW_H
#define VMM_VS_HW_H

#include <stdint.h>

/*
 * Install hgatp and fence the G-stage (hfence.gvma with rs1 = rs2 = x0,
 * 8.3.2): the table was written before, and a write of hgatp alone
 * orders nothing (8.2.10). Returns hgatp as read back (WARL: VMID bits
 * the hart does not have read 0).
 */
uint64_t hw_set_hgatp(uint64_t hgatp);

/*
 * HLVX.HU (8.3.1): the halfword at guest virtual va, read with execute
 * permission through both stages, as the guest at hstatus.SPVP would
 * fetch it. 0 ok (*half set); else the real scause the access raised.
 */
uint64_t hw_hlvx_hu(uint64_t va, uint16_t *half);

#endif

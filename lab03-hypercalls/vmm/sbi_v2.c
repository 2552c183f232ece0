/*
 * sbi_v2.c: lab03's VMM reports SBI spec 2.0 (Base, 4.1), replacing
 * lab01's sbi_v1.c: its guests get the 2.0 extensions (DBCN, STA) and
 * every function of the earlier ones.
 */
#include "vmm_sbi.h"

const unsigned long vmm_sbi_spec_version = SBI_SPEC_VERSION(2, 0);

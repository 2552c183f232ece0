/*
 * sbi_rows.c: the SBI table's rows (lab01's vmm_sbi.h SBI_EXTENSION) of
 * the extensions whose handlers are in lab03's student files: HSM
 * (chapter 9), IPI (7), DBCN (12). Not a student file.
 */
#include "smp.h"
#include "vmm_sbi.h"

SBI_EXTENSION(hsm, SBI_EXT_HSM, SBI_EXT_HSM, sbi_hsm_handler);
SBI_EXTENSION(ipi, SBI_EXT_IPI, SBI_EXT_IPI, sbi_ipi_handler);
SBI_EXTENSION(dbcn, SBI_EXT_DBCN, SBI_EXT_DBCN, sbi_dbcn_handler);

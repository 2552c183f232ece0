/*
 * sbi_table.c: the SBI extension table, built by the linker from every
 * linked file's SBI_EXTENSION() entry (vmm_sbi.h). Not a student file: a
 * later lab's extensions join it without an edit here.
 */
#include "vmm_sbi.h"

/* the linker's bounds of the kit_sbi_exts section (GNU ld makes them) */
extern const struct sbi_ext __start_kit_sbi_exts[], __stop_kit_sbi_exts[];

const struct sbi_ext *vmm_sbi_find(unsigned long eid)
{
	for (const struct sbi_ext *e = __start_kit_sbi_exts; e < __stop_kit_sbi_exts; e++)
		if (eid >= e->eid_min && eid <= e->eid_max)
			return e;
	return 0;
}

/*
 * TIME's handler is in a student file (sbi_time.c); its row is here so
 * that a student object holds no entry of a kit table (the grader checks
 * what each student object refers to: grader/src/calls.c).
 */
SBI_EXTENSION(time, SBI_EXT_TIME, SBI_EXT_TIME, sbi_time_handler);

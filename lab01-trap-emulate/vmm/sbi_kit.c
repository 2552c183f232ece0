/*
 * sbi_kit.c: the kit's measurement extension, EID 0x084B4954 ("KIT" in the
 * experimental range 0x08000000..0x08FFFFFF, SBI spec 2.0, 3.3).
 *   FID 0: value = the number of exits so far (this call's own included).
 *   FID 1: a0 = an exit class (enum exit_class in stats.h); value = its
 *          count, or SBI_ERR_INVALID_PARAM for an unknown class.
 * Benchmarks read it before and after an operation.
 */
#include "stats.h"
#include "vmm_sbi.h"

struct sbiret sbi_kit_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	(void)eid;
	switch (fid) {
	case SBI_KIT_EXITS_TOTAL:
		return (struct sbiret){ SBI_SUCCESS, (long)v->stats.total };
	case SBI_KIT_EXITS_CLASS:
		if (v->x[10] >= EXIT_NCLASSES)
			return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
		return (struct sbiret){ SBI_SUCCESS, (long)v->stats.count[v->x[10]] };
	}
	return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

SBI_EXTENSION(kit, SBI_EXT_KIT, SBI_EXT_KIT, sbi_kit_handler);

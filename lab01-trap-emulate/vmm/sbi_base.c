/*
 * sbi_base.c: the Base extension (SBI spec 2.0, chapter 4). The spec
 * version is the VMM's link-time choice (vmm_sbi_spec_version): lab01 and
 * lab02 report 1.0, like the OpenSBI 1.1 below them (sbi_v1.c: no DBCN,
 * no STA, Linux keeps using the UART); lab03 reports 2.0.
 */
#include "vmm_sbi.h"

struct sbiret sbi_base_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	(void)eid;
	switch (fid) {
	case SBI_BASE_GET_SPEC_VERSION:
		return (struct sbiret){ SBI_SUCCESS, vmm_sbi_spec_version };
	case SBI_BASE_GET_IMPL_ID:
		return (struct sbiret){ SBI_SUCCESS, VMM_SBI_IMPL_ID };
	case SBI_BASE_GET_IMPL_VERSION:
		return (struct sbiret){ SBI_SUCCESS, VMM_SBI_IMPL_VERSION };
	case SBI_BASE_PROBE_EXTENSION:
		/* 0 = not available; nonzero (here 1) = available (4.4) */
		return (struct sbiret){ SBI_SUCCESS, vmm_sbi_find(v->x[10]) != 0 };
	case SBI_BASE_GET_MVENDORID:
	case SBI_BASE_GET_MARCHID:
	case SBI_BASE_GET_MIMPID:
		/* the virtual hart is no vendor's: 0 is "not implemented" (4.5..4.7) */
		return (struct sbiret){ SBI_SUCCESS, 0 };
	}
	return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

SBI_EXTENSION(base, SBI_EXT_BASE, SBI_EXT_BASE, sbi_base_handler);

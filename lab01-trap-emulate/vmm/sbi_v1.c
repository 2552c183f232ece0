/*
 * sbi_v1.c: the SBI version the VMM reports and the legacy calls that
 * need several harts, as lab01 and lab02 offer them (one vCPU): spec 1.0,
 * like the OpenSBI 1.1 below (no DBCN, no STA: Linux keeps the UART), and
 * legacy IPIs and remote fences not supported. lab03 links its own
 * (lab03-hypercalls/vmm/sbi_v2.c, sbi_legacy_smp.c).
 */
#include "vmm_sbi.h"

const unsigned long vmm_sbi_spec_version = SBI_SPEC_VERSION(1, 0);

struct sbiret sbi_legacy_smp(struct vcpu *v, unsigned long eid)
{
	(void)v, (void)eid;
	return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

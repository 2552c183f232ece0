/*
 * sbi_legacy_smp.c: the legacy calls that need several harts (SBI 2.0,
 * 5.3 to 5.7), lab01's sbi_legacy.c's sbi_legacy_smp replaced. Their
 * hart mask is a pointer to an unsigned long in the guest's virtual
 * memory, read through the guest's translation (smp_translate); one that
 * cannot be read is SBI_ERR_INVALID_ADDRESS. The result is a0 alone.
 */
#include "riscv.h"
#include "smp.h"
#include "vmm_sbi.h"

/* The mask at guest virtual gva, byte by byte (it may cross a page). */
static int read_mask(struct vcpu *v, uint64_t gva, unsigned long *mask)
{
	uint8_t b[8];
	uint64_t gpa;

	for (unsigned i = 0; i < 8; i++)
		if (smp_translate(v, gva + i, &gpa) != 0 || gmem_read(v->vm, gpa, &b[i], 1) != 0)
			return -1;
	*mask = 0;
	for (unsigned i = 0; i < 8; i++)
		*mask |= (unsigned long)b[i] << (8 * i);
	return 0;
}

struct sbiret sbi_legacy_smp(struct vcpu *v, unsigned long eid)
{
	unsigned long mask;

	if (eid == SBI_EXT_LEGACY_CLEAR_IPI) {
		/* 5.3: the calling hart's pending software interrupt */
		v->sip &= ~SIP_SSIP;
		return (struct sbiret){ 0, 0 };
	}
	if (eid < SBI_EXT_LEGACY_SEND_IPI || eid > SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	if (read_mask(v, v->x[10], &mask) != 0)
		return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
	switch (eid) {
	case SBI_EXT_LEGACY_SEND_IPI:
		return (struct sbiret){ smp_send_ipi(v, mask, 0), 0 };
	case SBI_EXT_LEGACY_REMOTE_FENCE_I:
		return (struct sbiret){ smp_remote_fence_i(v, mask, 0), 0 };
	case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA:
		return (struct sbiret){ smp_remote_sfence(v, mask, 0, v->x[11], v->x[12], false, 0), 0 };
	default:
		return (struct sbiret){ smp_remote_sfence(v, mask, 0, v->x[11], v->x[12], true, v->x[13]), 0 };
	}
}

/*
 * sbi_srst.c: the System Reset extension (SBI spec 2.0, chapter 10). Any
 * valid request stops the VM: the VMM then prints its exit table and powers
 * the machine off (a reboot request is recorded, not performed).
 */
#include "vmm_sbi.h"

struct sbiret sbi_srst_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	uint64_t type = v->x[10], reason = v->x[11];

	(void)eid;
	if (fid != SBI_SRST_SYSTEM_RESET)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	/*
	 * Types above 2 and reasons above 1 are reserved, or SBI-implementation,
	 * vendor or platform specific; the kit implements none of those, and
	 * SBI_ERR_INVALID_PARAM is the answer for both (10.1).
	 */
	if (type > SBI_SRST_TYPE_WARM_REBOOT || reason > SBI_SRST_REASON_FAILURE)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	v->state = VM_SHUTDOWN;
	v->reset_type = (uint32_t)type;
	v->reset_reason = (uint32_t)reason;
	return (struct sbiret){ SBI_SUCCESS, 0 };
}

SBI_EXTENSION(srst, SBI_EXT_SRST, SBI_EXT_SRST, sbi_srst_handler);

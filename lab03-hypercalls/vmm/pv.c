/*
 * pv.c: the kit's paravirtual SBI extension, EID SBI_EXT_KIT_PV
 * (0x084B5056, "KPV", in the experimental range 0x08000000..0x08FFFFFF,
 * SBI spec 2.0, 3.3): the dispatch of its functions (PV.md), and the two
 * that need no state of their own: console output from a buffer and the
 * timer. The probe of Base answers it from the SBI table.
 */
#include "gmem.h"
#include "hw.h"
#include "pv.h"

/* CONSOLE_WRITE: len bytes at GPA buf, all in guest RAM, in one call. */
static struct sbiret console_write(struct vcpu *v, uint64_t buf, uint64_t len)
{
	const char *p;

	if (len > PV_CONSOLE_MAX)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	if (len == 0)
		return (struct sbiret){ SBI_SUCCESS, 0 };
	p = gmem_ptr(v->vm, buf, len);
	if (!p)
		return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
	for (uint64_t i = 0; i < len; i++)
		hw_console_putc(p[i]);
	return (struct sbiret){ SBI_SUCCESS, (long)len };
}

struct sbiret sbi_pv_handler(struct vcpu *v, unsigned long eid, unsigned long fid);

struct sbiret sbi_pv_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	uint64_t a0 = v->x[10], a1 = v->x[11];

	(void)eid;
	switch (fid) {
	case PV_FID_VERSION:
		return (struct sbiret){ SBI_SUCCESS, PV_VERSION };
	case PV_FID_SHARED_SET:
		return pv_shared_set(v, a0);
	case PV_FID_TRAP_RETURN:
		return pv_trap_return(v, a0);
	case PV_FID_IRQ_POLL:
		/* nothing to do here: the end of this exit injects what is
		 * pending and unmasked (vcpu_handle_exit) */
		return (struct sbiret){ pv_page(v) ? SBI_SUCCESS : SBI_ERR_NO_SHMEM, 0 };
	case PV_FID_MMU_UPDATE:
		return pv_mmu_update(v, a0, a1);
	case PV_FID_TLB_FLUSH:
		return pv_tlb_flush(v, a0, a1);
	case PV_FID_CONSOLE_WRITE:
		return console_write(v, a0, a1);
	case PV_FID_SET_TIMER:
		/* as SBI TIME set_timer (6.1): the pending STIP is cleared */
		vcpu_set_timer(v, a0);
		return (struct sbiret){ SBI_SUCCESS, 0 };
	}
	return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

SBI_EXTENSION(kit_pv, SBI_EXT_KIT_PV, SBI_EXT_KIT_PV, sbi_pv_handler);

/*
 * sbi_sta.c: the Steal-time Accounting extension (SBI 2.0, chapter 16):
 * each vCPU's record (struct sta_record, 16.2) in guest RAM, written by
 * the VMM whenever the scheduler switches the vCPU in or out (sched.c):
 * sequence made odd, steal and preempted written, sequence made even
 * again, so a guest that reads the same even sequence before and after
 * its read has a consistent record.
 */
#include "smp.h"
#include "vmm_sbi.h"

/* stolen time in nanoseconds: the timebase is 10 MHz (lab01's guest.dts) */
#define STA_NS_PER_TICK 100UL

void sta_update(struct hart *h, bool preempted)
{
	struct sta_record *r;

	if (h->sta_gpa == STA_OFF || !(r = gmem_ptr(h->v.vm, h->sta_gpa, sizeof *r)))
		return;
	volatile uint32_t *seq = &r->sequence;
	*seq = *seq + 1;
	__asm__ volatile("fence w, w" ::: "memory");
	r->steal = h->steal * STA_NS_PER_TICK;
	r->preempted = preempted;
	__asm__ volatile("fence w, w" ::: "memory");
	*seq = *seq + 1;
}

/* 16.1 set_shmem(shmem_phys_lo, shmem_phys_hi, flags) */
static struct sbiret set_shmem(struct vcpu *v, uint64_t lo, uint64_t hi, uint64_t flags)
{
	struct hart *h = hart_of(v);
	struct sta_record *r;

	if (flags != 0)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	if (lo == STA_OFF && hi == STA_OFF) {
		/* all ones: reporting off */
		h->sta_gpa = STA_OFF;
		return (struct sbiret){ SBI_SUCCESS, 0 };
	}
	if (lo & 63)
		return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
	if (hi != 0 || !(r = gmem_ptr(v->vm, lo, sizeof *r)))
		return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
	/* the VMM sets the whole record up: sequence 0, flags 0, steal so far */
	*r = (struct sta_record){ 0 };
	h->sta_gpa = lo;
	sta_update(h, false);
	return (struct sbiret){ SBI_SUCCESS, 0 };
}

struct sbiret sbi_sta_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	(void)eid;
	if (fid != SBI_STA_STEAL_TIME_SET_SHMEM)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	return set_shmem(v, v->x[10], v->x[11], v->x[12]);
}

SBI_EXTENSION(sta, SBI_EXT_STA, SBI_EXT_STA, sbi_sta_handler);

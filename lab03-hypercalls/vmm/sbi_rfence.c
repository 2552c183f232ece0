/*
 * sbi_rfence.c: the RFENCE extension (SBI 2.0, chapter 8): fence.i,
 * sfence.vma and sfence.vma by ASID carried out for every hart of the
 * hart list (3.1), as each would run them (smp_sfence_vma: on the shadow
 * tables, or hfence.vvma in nested mode). The guest's harts have no H
 * extension: the HFENCE functions (8.4 to 8.7) are not supported.
 */
#include "smp.h"
#include "vmm_sbi.h"

/* Beyond this many pages a range is flushed whole (8.2 allows more than asked). */
#define RFENCE_MAX_PAGES 64

/*
 * 8.2, 8.3: start_addr = size = 0, or size = all ones, is the whole
 * address space; a range that wraps around is no range (INVALID_ADDRESS).
 */
struct sfence_req {
	bool all, with_asid;
	uint64_t start, size, asid;
};

/* The sfence.vma of one target hart: the range page by page, or all. */
static void sfence_one(struct vcpu *t, void *arg)
{
	const struct sfence_req *r = arg;

	if (r->all) {
		smp_sfence_vma(t, false, 0, r->with_asid, r->asid);
		return;
	}
	/* by offset, not by address: a range ending in the top page would
	 * wrap va to 0, still below the end, and loop for 2^52 pages (the
	 * span is at most RFENCE_MAX_PAGES pages plus one) */
	uint64_t first = r->start & ~4095UL, span = (r->start & 4095UL) + r->size;
	for (uint64_t off = 0; off < span; off += 4096)
		smp_sfence_vma(t, true, first + off, r->with_asid, r->asid);
}

long smp_remote_sfence(struct vcpu *v, unsigned long mask, unsigned long base, uint64_t start,
		       uint64_t size, bool with_asid, uint64_t asid)
{
	struct sfence_req r = { (start == 0 && size == 0) || size == ~0UL, with_asid, start, size, asid };
	uint64_t set;
	long err = smp_hart_set(v->vm, mask, base, &set);

	if (err != SBI_SUCCESS)
		return err;
	if (!r.all && start + size < start)
		return SBI_ERR_INVALID_ADDRESS;
	if (size > RFENCE_MAX_PAGES * 4096UL)
		r.all = true;
	return smp_each_hart(v, mask, base, sfence_one, &r);
}

static void fence_i_one(struct vcpu *t, void *arg)
{
	(void)arg;
	smp_fence_i(t);
}

long smp_remote_fence_i(struct vcpu *v, unsigned long mask, unsigned long base)
{
	return smp_each_hart(v, mask, base, fence_i_one, 0);
}

struct sbiret sbi_rfence_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	unsigned long mask = v->x[10], base = v->x[11];

	(void)eid;
	switch (fid) {
	case SBI_RFENCE_REMOTE_FENCE_I:
		return (struct sbiret){ smp_remote_fence_i(v, mask, base), 0 };
	case SBI_RFENCE_REMOTE_SFENCE_VMA:
		return (struct sbiret){ smp_remote_sfence(v, mask, base, v->x[12], v->x[13], false, 0), 0 };
	case SBI_RFENCE_REMOTE_SFENCE_VMA_ASID:
		return (struct sbiret){ smp_remote_sfence(v, mask, base, v->x[12], v->x[13], true, v->x[14]), 0 };
	}
	/* HFENCE (8.4 to 8.7): no H extension on the guest's harts */
	return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

SBI_EXTENSION(rfence, SBI_EXT_RFENCE, SBI_EXT_RFENCE, sbi_rfence_handler);

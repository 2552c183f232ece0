/*
 * gmem_fetch.c: gmem_fetch_insn (gmem.h) where the VMM translates the
 * guest's addresses itself: through the backend's mmu_translate, then
 * guest RAM. lab02's nested mode links run_vs's HLVX fetch instead (the
 * hardware walks both stages there).
 */
#include "gmem.h"
#include "mmu.h"
#include "riscv.h"

/* One halfword of guest instruction memory (fetches are halfword-aligned with C). */
static int fetch16(const struct vcpu *v, uint64_t va, uint16_t *h, uint64_t *fault_addr)
{
	uint64_t pa;
	int cause = mmu_translate(v, va, GMEM_FETCH, &pa);

	if (cause == 0 && gmem_read(v->vm, pa, h, 2) != 0)
		cause = CAUSE_FETCH_ACCESS;	/* no RAM there: nothing to execute */
	if (cause != 0)
		*fault_addr = va;
	return cause;
}

int gmem_fetch_insn(const struct vcpu *v, uint64_t pc, uint32_t *raw, uint64_t *fault_addr)
{
	uint16_t lo, hi;
	int cause = fetch16(v, pc, &lo, fault_addr);

	if (cause != 0)
		return cause;
	if ((lo & 3) != 3) {
		*raw = lo;
		return 0;
	}
	/* the upper half may be on the next page: translate it separately */
	cause = fetch16(v, pc + 2, &hi, fault_addr);
	if (cause != 0)
		return cause;
	*raw = (uint32_t)lo | ((uint32_t)hi << 16);
	return 0;
}

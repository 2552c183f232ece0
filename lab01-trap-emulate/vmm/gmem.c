/* gmem.c: guest RAM as the VMM reaches it, and instruction fetch at a guest virtual pc. */
#include <string.h>

#include "gmem.h"
#include "mmu.h"
#include "riscv.h"

void gmem_init(struct vm *vm, void *host, uint64_t gpa_base, uint64_t size)
{
	vm->ram = (struct gmem){ host, gpa_base, size };
}

bool gmem_contains(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	const struct gmem *r = &vm->ram;

	/* written to avoid overflow for any gpa and len */
	return r->host && gpa >= r->base && gpa - r->base <= r->size &&
	       len <= r->size - (gpa - r->base);
}

void *gmem_ptr(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	return gmem_contains(vm, gpa, len) ? vm->ram.host + (gpa - vm->ram.base) : 0;
}

int gmem_read(const struct vm *vm, uint64_t gpa, void *dst, size_t len)
{
	void *p = gmem_ptr(vm, gpa, len);
	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

int gmem_write(const struct vm *vm, uint64_t gpa, const void *src, size_t len)
{
	void *p = gmem_ptr(vm, gpa, len);
	if (!p)
		return -1;
	memcpy(p, src, len);
	return 0;
}

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

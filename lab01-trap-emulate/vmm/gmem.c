/* gmem.c: guest RAM as the VMM reaches it. */
#include <string.h>

#include "gmem.h"

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

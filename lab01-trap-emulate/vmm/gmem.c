/*
 * gmem.c: guest RAM as the VMM reaches it, and guest address translation
 * (lab01: the guest's satp is Bare, so guest virtual = guest physical).
 */
#include <string.h>

#include "gmem.h"
#include "riscv.h"

static uint8_t *ram_host;
static uint64_t ram_base, ram_size;

void gmem_init(void *host, uint64_t gpa_base, uint64_t size)
{
	ram_host = host;
	ram_base = gpa_base;
	ram_size = size;
}

uint64_t gmem_base(void) { return ram_base; }
uint64_t gmem_size(void) { return ram_size; }

bool gmem_contains(uint64_t gpa, uint64_t len)
{
	/* written to avoid overflow for any gpa and len */
	return ram_host && gpa >= ram_base && gpa - ram_base <= ram_size &&
	       len <= ram_size - (gpa - ram_base);
}

void *gmem_ptr(uint64_t gpa, uint64_t len)
{
	return gmem_contains(gpa, len) ? ram_host + (gpa - ram_base) : 0;
}

int gmem_read(uint64_t gpa, void *dst, size_t len)
{
	void *p = gmem_ptr(gpa, len);
	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

int gmem_write(uint64_t gpa, const void *src, size_t len)
{
	void *p = gmem_ptr(gpa, len);
	if (!p)
		return -1;
	memcpy(p, src, len);
	return 0;
}

bool gmem_satp_mode_supported(unsigned mode)
{
	return mode == SATP_MODE_BARE;
}

int gmem_translate(const struct vcpu *v, uint64_t gva, enum gmem_access acc, uint64_t *gpa)
{
	(void)v, (void)acc;
	/* satp = Bare: no translation, no protection (priv 4.1.11) */
	*gpa = gva;
	return 0;
}

/* One halfword of guest instruction memory (fetches are halfword-aligned with C). */
static int fetch16(const struct vcpu *v, uint64_t va, uint16_t *h, uint64_t *fault_addr)
{
	uint64_t pa;

	if (gmem_translate(v, va, GMEM_FETCH, &pa) != 0 || gmem_read(pa, h, 2) != 0) {
		*fault_addr = va;
		return -1;
	}
	return 0;
}

int gmem_fetch_insn(const struct vcpu *v, uint64_t pc, uint32_t *raw, uint64_t *fault_addr)
{
	uint16_t lo, hi;

	if (fetch16(v, pc, &lo, fault_addr) != 0)
		return -1;
	if ((lo & 3) != 3) {
		*raw = lo;
		return 0;
	}
	/* the upper half may be on the next page: translate it separately */
	if (fetch16(v, pc + 2, &hi, fault_addr) != 0)
		return -1;
	*raw = (uint32_t)lo | ((uint32_t)hi << 16);
	return 0;
}

/*
 * gstage_runner.c: the G-stage tests' student runner (gstage_rpc.h,
 * common/test/student_rpc.h): the student's gstage.c over the fake
 * machine below hw.h and vs_hw.h. Nothing here judges: the test does.
 */
#include <string.h>

#include "gmem.h"
#include "gstage_rpc.h"
#include "hw.h"
#include "mmu.h"
#include "vm.h"
#include "vs_hw.h"

/* guest RAM's backing: only its address matters (GS_RAM_PA) */
static uint8_t ram_host[PAGE_SIZE];
static struct vm unit_vm;
static void *stop_frame[5];	/* __builtin_setjmp: hw_shutdown ends the call */

unsigned long hw_table_pool(void **pages)
{
	*pages = gs_pool;
	return gs_hw.pool_pages < GS_POOL_MAX ? gs_hw.pool_pages : GS_POOL_MAX;
}

uint64_t hw_table_pa(const void *va)
{
	const char *p = va;

	if (p >= (const char *)gs_pool && p < (const char *)gs_pool + sizeof gs_pool)
		return GS_POOL_PA + (uint64_t)(p - (const char *)gs_pool);
	if (p == (const char *)ram_host)
		return GS_RAM_PA;
	rpc_fail("hw_table_pa(%p): neither a table page of hw_table_pool() nor guest RAM's "
		 "start", va);
}

void *hw_table_va(uint64_t pa)
{
	if (pa >= GS_POOL_PA && pa - GS_POOL_PA < sizeof gs_pool)
		return (char *)gs_pool + (pa - GS_POOL_PA);
	rpc_fail("hw_table_va(%#llx): not a table page of hw_table_pool()", (unsigned long long)pa);
}

uint64_t hw_set_hgatp(uint64_t hgatp)
{
	gs_hw.hgatp = hgatp;
	gs_hw.hgatp_writes++;
	/* the hart's WARL: Sv39x4 and Bare only, 14 VMID bits */
	if ((hgatp >> HGATP_MODE_SHIFT) != HGATP_MODE_SV39X4)
		return 0;
	return hgatp;
}

void hw_shutdown(int failure)
{
	gs_hw.shutdown = failure + 1;
	__builtin_longjmp(stop_frame, 1);
}

static void call(struct rpc_frame *f)
{
	switch (f->fn) {
	case FN_gstage_vm_init:
		vm_init(&unit_vm);
		gmem_init(&unit_vm, ram_host, f->s[0], f->s[1]);
		if (__builtin_setjmp(stop_frame) == 0)
			mmu_vm_init(&unit_vm);
		break;
	default:
		rpc_fail("the G-stage runner has no function %u (gstage_rpc.h)", f->fn);
	}
}

int main(void)
{
	gstage_rpc_regions(1);
	rpc_serve(call);
}

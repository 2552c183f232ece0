/*
 * unit_runner.c: lab02's student runner (common/test/student_rpc.h): the
 * student's walk.c and shadow.c, with the kit's shadow_query.c and gmem.c,
 * over the fake guest RAM (walk_ram.c) and the fake machine below hw.h
 * (unit_rpc.h), answering the calls of a unit test (unit_stubs.c).
 * Nothing here judges: the test's cr_asserts do, in the test process.
 */
#include <string.h>

#include "gmem.h"
#include "hw.h"
#include "mmu.h"
#include "shadow.h"
#include "runner_vm.h"
#include "unit_rpc.h"
#include "vm.h"
#include "walk.h"

static const struct walk_mem ram = { walk_ram_pte, NULL };

/* ---- the fake machine below hw.h (what shadow.c reaches) ---- */

static uint64_t fake_pool[FAKE_POOL_MAX][PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));
static struct vm unit_vm;

unsigned long hw_table_pool(void **pages)
{
	*pages = fake_pool;
	return fake_hw.pool_pages < FAKE_POOL_MAX ? fake_hw.pool_pages : FAKE_POOL_MAX;
}

uint64_t hw_table_pa(const void *va)
{
	const char *p = va;

	if (p >= (const char *)fake_pool && p < (const char *)fake_pool + sizeof fake_pool)
		return FAKE_POOL_PA + (uint64_t)(p - (const char *)fake_pool);
	if (p >= (const char *)walk_ram && p < (const char *)walk_ram + sizeof walk_ram)
		return FAKE_RAM_PA + (uint64_t)(p - (const char *)walk_ram);
	rpc_fail("hw_table_pa(%p): neither a table page of hw_table_pool() nor guest RAM", va);
}

void *hw_table_va(uint64_t pa)
{
	if (pa >= FAKE_POOL_PA && pa - FAKE_POOL_PA < sizeof fake_pool)
		return (char *)fake_pool + (pa - FAKE_POOL_PA);
	if (pa >= FAKE_RAM_PA && pa - FAKE_RAM_PA < sizeof walk_ram)
		return (char *)walk_ram + (pa - FAKE_RAM_PA);
	return NULL;	/* the VMM's own tables, or nothing: not the backend's */
}

uint64_t hw_vmm_satp(void) { return FAKE_VMM_SATP; }
uint64_t hw_vmm_root_entry(void) { return FAKE_VMM_ROOT_ENTRY; }

void hw_set_satp(uint64_t satp)
{
	fake_hw.satp = satp;
	fake_hw.satp_writes++;
}

void hw_sfence_vma_all(void) { fake_hw.sfence_all++; }
void hw_sfence_vma_va(uint64_t va) { (void)va; fake_hw.sfence_va++; }

/* paging off, the guest would run on the VMM's table: nothing to fake */
void hw_map_guest_ram(uint64_t gpa, void *host, uint64_t size)
{
	(void)gpa, (void)host, (void)size;
}

/* shadow.c's kit part defines it (lab03 runs two VMs); a shadow.c without
 * it still links, and only the test that switches VMs fails, saying why */
__attribute__((weak)) void mmu_vm_switch(struct vm *vm)
{
	rpc_fail("vmm/shadow.c has no mmu_vm_switch (VM %u): keep the kit's part of the file as the "
		 "starter has it", vm->id);
}

/* ---- the calls ---- */

#define P(i) (f->p[i])
#define S(i) (f->s[i])

static void call(struct rpc_frame *f)
{
	switch (f->fn) {
	case FN_sv_walk: RPC_RET(f, int, sv_walk(&ram, P(0), P(1))); break;
	case FN_mmu_vm_init: mmu_vm_init(&unit_vm); break;
	case FN_mmu_vm_switch:
		unit_vm.id = (unsigned)S(0);
		mmu_vm_switch(&unit_vm);
		break;
	case FN_mmu_satp_write: mmu_satp_write(P(0), S(1)); break;
	case FN_mmu_sfence_vma: mmu_sfence_vma(P(0), S(1) != 0, S(2), S(3) != 0, S(4)); break;
	case FN_mmu_translate: RPC_RET(f, int, mmu_translate(P(0), S(1), (enum gmem_access)S(2), P(3))); break;
	case FN_mmu_page_fault:
		*(struct mmu_fault *)P(3) = mmu_page_fault(P(0), (enum gmem_access)S(1), S(2));
		break;
	case FN_mmu_prepare_entry: mmu_prepare_entry(P(0)); break;
	case FN_shadow_leaf:
		RPC_RET(f, uint64_t, shadow_leaf(P(0), S(1), (enum gmem_access)S(2), P(3), S(4)));
		break;
	case FN_shadow_query_leaf:
		RPC_RET(f, uint64_t, shadow_query_leaf((enum shadow_view)S(0), S(1)));
		break;
	case FN_shadow_query_root_entry:
		RPC_RET(f, uint64_t, shadow_query_root_entry((enum shadow_view)S(0), (unsigned)S(1)));
		break;
	case FN_shadow_query_stats: shadow_query_stats(P(0)); break;
	case FN_shadow_real_satp: RPC_RET(f, uint64_t, shadow_real_satp()); break;
	case FN_shadow_pool_used: RPC_RET(f, unsigned, shadow_pool_used()); break;
	default:
		rpc_fail("the student runner has no function %u (unit_rpc.h)", f->fn);
	}
}

/* The calls whose first argument is a struct vcpu. */
static bool takes_vcpu(unsigned fn)
{
	return fn == FN_mmu_satp_write || fn == FN_mmu_sfence_vma || fn == FN_mmu_translate ||
	       fn == FN_mmu_page_fault || fn == FN_mmu_prepare_entry || fn == FN_shadow_leaf;
}

/* the call on the runner's machine (runner_vm.h) */
static void dispatch(struct rpc_frame *f)
{
	runner_call_on(&unit_vm, takes_vcpu(f->fn) ? P(0) : 0, call, f);
}

int main(void)
{
	gmem_init(&unit_vm, walk_ram, WALK_RAM_GPA, WALK_RAM_SIZE);
	lab02_rpc_regions(true);
	rpc_serve(dispatch);
}

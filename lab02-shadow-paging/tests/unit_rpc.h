/*
 * unit_rpc.h: lab02's unit tests and their student runner (common/test/
 * student_rpc.h), as lab01's (lab01-trap-emulate/tests/unit_rpc.h). The
 * test binaries link unit_stubs.c instead of the VMM's files; the runner
 * (build/lab02/tests/unit_runner) links the student's walk.c and shadow.c,
 * the kit's shadow_query.c and gmem.c, walk_ram.c and unit_runner.c (the
 * fake machine below hw.h). This header is what both sides agree on.
 */
#ifndef LAB02_UNIT_RPC_H
#define LAB02_UNIT_RPC_H

#include <stdbool.h>
#include <stdint.h>

#include "riscv.h"
#include "student_rpc.h"

#define LAB02_RUNNER "unit_runner"

enum lab02_fn {
	FN_sv_walk,
	FN_mmu_vm_init,
	FN_mmu_satp_write,
	FN_mmu_sfence_vma,
	FN_mmu_translate,
	FN_mmu_page_fault,
	FN_mmu_prepare_entry,
	FN_shadow_leaf,
	FN_shadow_query_leaf,
	FN_shadow_query_root_entry,
	FN_shadow_query_stats,
	FN_shadow_real_satp,
	FN_shadow_pool_used,
	FN_mmu_vm_switch,
};

enum lab02_region {
	R_WALK_RAM,
	R_WALK_RAM_LOOKUPS,
	R_FAKE_HW,
};

/*
 * The machine below hw.h, as lab02's runner fakes it (shadow.c's side):
 * the table pool is the runner's own (fake_hw.pool_pages of at most
 * FAKE_POOL_MAX, read by mmu_vm_init), at host physical FAKE_POOL_PA;
 * walk_ram, guest RAM, is backed at FAKE_RAM_PA; the VMM's own table is
 * FAKE_VMM_SATP with root entry FAKE_VMM_ROOT_ENTRY. A test sets
 * pool_pages and reads what the backend did to the real MMU.
 */
#define FAKE_POOL_MAX 256
#define FAKE_POOL_PA 0x84000000UL
#define FAKE_RAM_PA  0x88000000UL
#define FAKE_VMM_SATP ((SATP_MODE_SV48 << SATP_MODE_SHIFT) | 0x80001UL)
#define FAKE_VMM_ROOT_ENTRY ((0x80002UL << PTE_PPN_SHIFT) | PTE_V)

struct fake_hw {
	unsigned pool_pages;	/* the pool mmu_vm_init gets */
	uint64_t satp;		/* the real satp (hw_set_satp) */
	unsigned satp_writes, sfence_all, sfence_va;
};
extern struct fake_hw fake_hw;

/*
 * The guest RAM the walker's tables live in: 8 pages at the guest's RAM
 * address, small because every call compares it with its shadow on both
 * sides. The walker reaches it only through walk_ram_pte() (a struct
 * walk_mem the stub checks): the runner has no other guest memory.
 */
#define WALK_RAM_GPA   0x80000000UL
#define WALK_RAM_PAGES 8
#define WALK_RAM_SIZE  (WALK_RAM_PAGES * PAGE_SIZE)

extern uint64_t walk_ram[WALK_RAM_SIZE / 8];
/* walk_ram_pte() calls that returned a PTE (each side counts its own;
 * the runner's count comes back after each call) */
extern unsigned walk_ram_lookups;

uint64_t *walk_ram_pte(void *ctx, uint64_t gpa);
void lab02_rpc_regions(bool runner);

#endif

/*
 * unit_rpc.h: lab02's unit tests and their student runner (common/test/
 * student_rpc.h), as lab01's (lab01-trap-emulate/tests/unit_rpc.h). The
 * test binaries link unit_stubs.c instead of the VMM's files; the runner
 * (build/lab02/tests/unit_runner) links the student's walk.c, walk_ram.c
 * and unit_runner.c. This header is what both sides agree on.
 */
#ifndef LAB02_UNIT_RPC_H
#define LAB02_UNIT_RPC_H

#include <stdbool.h>
#include <stdint.h>

#include "riscv.h"
#include "student_rpc.h"

#define LAB02_RUNNER "unit_runner"

enum lab02_fn {
	FN_sv39_walk,
};

enum lab02_region {
	R_WALK_RAM,
	R_WALK_RAM_LOOKUPS,
};

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

/*
 * gstage_rpc.h: the G-stage's unit tests (unit_gstage.c) and their student
 * runner (gstage_runner.c), as unit_rpc.h is for the shadow tables: the
 * test binary links gstage_stubs.c; the runner links the student's
 * gstage.c, the kit's todo.c and gmem.c, and fakes the machine below
 * hw.h and vs_hw.h. gstage.c defines mmu_vm_init, as shadow.c does, so it
 * has a runner of its own.
 */
#ifndef LAB02_GSTAGE_RPC_H
#define LAB02_GSTAGE_RPC_H

#include <stdint.h>

#include "riscv.h"
#include "student_rpc.h"

#define GSTAGE_RUNNER "gstage_runner"

enum gstage_fn {
	FN_gstage_vm_init,	/* mmu_vm_init on a VM with RAM [s0, s0 + s1) */
};

enum gstage_region {
	R_GS_HW,
	R_GS_POOL,
};

/*
 * The fake machine: a table pool of gs_hw.pool_pages (at most
 * GS_POOL_MAX) at host physical GS_POOL_PA, guest RAM backed at host
 * physical GS_RAM_PA (nothing behind it: the G-stage only names it).
 * hw_set_hgatp records what it was given; hw_shutdown records the
 * failure and ends the call.
 */
#define GS_POOL_MAX 64
#define GS_POOL_PA  0x84000000UL
#define GS_RAM_PA   0x88000000UL

struct gs_hw {
	unsigned pool_pages;
	uint64_t hgatp;		/* the last hgatp written */
	unsigned hgatp_writes;	/* each with its hfence.gvma */
	int shutdown;		/* hw_shutdown(failure + 1), 0 = none */
};
extern struct gs_hw gs_hw;
extern uint64_t gs_pool[GS_POOL_MAX][PAGE_SIZE / 8];

void gstage_rpc_regions(int runner);

#endif

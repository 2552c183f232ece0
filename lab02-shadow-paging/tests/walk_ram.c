/*
 * walk_ram.c: the fake guest RAM of lab02's unit tests (unit_rpc.h), in
 * the test and, a second copy, in the student runner; student_rpc keeps
 * the two in step around every call, so a test writes tables and reads
 * back A/D updates as if the walker ran in the test process.
 */
#include <stddef.h>

#include "unit_rpc.h"

uint64_t walk_ram[WALK_RAM_SIZE / 8];
unsigned walk_ram_lookups;
struct fake_hw fake_hw = { .pool_pages = 64 };

uint64_t *walk_ram_pte(void *ctx, uint64_t gpa)
{
	(void)ctx;
	/* a PTE address is always 8-aligned (4.3.2 step 2): another one is
	 * not a PTE of this RAM */
	if (gpa < WALK_RAM_GPA || gpa - WALK_RAM_GPA >= WALK_RAM_SIZE || gpa % 8)
		return NULL;
	walk_ram_lookups++;
	return &walk_ram[(gpa - WALK_RAM_GPA) / 8];
}

void lab02_rpc_regions(bool runner)
{
	/* the test's values win: its first call sends them whole */
	unsigned f = runner ? 0 : RPC_SEND_ALL;
	rpc_region(R_WALK_RAM, walk_ram, sizeof walk_ram, NULL, f);
	rpc_region(R_WALK_RAM_LOOKUPS, &walk_ram_lookups, sizeof walk_ram_lookups, NULL, f);
	rpc_region(R_FAKE_HW, &fake_hw, sizeof fake_hw, NULL, f);
}

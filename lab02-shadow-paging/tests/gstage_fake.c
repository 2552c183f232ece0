/*
 * gstage_fake.c: the G-stage tests' fake machine (gstage_rpc.h), in the
 * test and, a second copy, in the student runner; student_rpc keeps the
 * two in step around every call, so a test reads the tables the runner's
 * gstage.c built as if it ran in the test process.
 */
#include "gstage_rpc.h"

struct gs_hw gs_hw = { .pool_pages = GS_POOL_MAX };
uint64_t gs_pool[GS_POOL_MAX][PAGE_SIZE / 8] __attribute__((aligned(4 * PAGE_SIZE)));

void gstage_rpc_regions(int runner)
{
	/* the test's values win: its first call sends them whole */
	unsigned f = runner ? 0 : RPC_SEND_ALL;
	rpc_region(R_GS_HW, &gs_hw, sizeof gs_hw, 0, f);
	rpc_region(R_GS_POOL, gs_pool, sizeof gs_pool, 0, f);
}

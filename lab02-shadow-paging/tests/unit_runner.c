/*
 * unit_runner.c: lab02's student runner (common/test/student_rpc.h): the
 * student's walk.c over the fake guest RAM (walk_ram.c), answering the
 * calls of a unit test (unit_stubs.c). Nothing here judges: the test's
 * cr_asserts do, in the test process.
 */
#include <string.h>

#include "unit_rpc.h"
#include "walk.h"

static const struct walk_mem ram = { walk_ram_pte, NULL };

#define P(i) (f->p[i])

static void dispatch(struct rpc_frame *f)
{
	switch (f->fn) {
	case FN_sv39_walk: RPC_RET(f, int, sv39_walk(&ram, P(0), P(1))); break;
	default:
		rpc_fail("the student runner has no function %u (unit_rpc.h)", f->fn);
	}
}

int main(void)
{
	lab02_rpc_regions(true);
	rpc_serve(dispatch);
}

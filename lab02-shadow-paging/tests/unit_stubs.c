/*
 * unit_stubs.c: the VMM functions lab02's unit tests call, as the test
 * binary has them: each runs the real one in the student runner
 * (unit_rpc.h, common/test/student_rpc.h).
 */
#include "unit_rpc.h"
#include "walk.h"

#include <criterion/criterion.h>

static void setup(void)
{
	lab02_rpc_regions(false);
}

static const struct rpc_lab lab02 = { LAB02_RUNNER, setup };
#define L (&lab02)

/* A function pointer means nothing in another process: the runner walks
 * its copy of walk_ram, so that is the only memory a test may name. */
int sv39_walk(const struct walk_mem *m, const struct walk_req *r, struct walk_result *out)
{
	int rc;
	cr_assert(m->pte == walk_ram_pte && m->ctx == NULL,
		  "kit bug: the unit tests' sv39_walk() reaches only walk_ram (walk_mem "
		  "{ walk_ram_pte, NULL }, tests/unit_rpc.h)");
	RPC_CALL(L, FN_sv39_walk, &rc, RPC_P(r), RPC_P(out));
	return rc;
}

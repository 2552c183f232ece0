/*
 * unit_stubs.c: the VMM functions lab02's unit tests call, as the test
 * binary has them: each runs the real one in the student runner
 * (unit_rpc.h, common/test/student_rpc.h).
 */
#include "mmu.h"
#include "shadow.h"
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
int sv_walk(const struct walk_mem *m, const struct walk_req *r, struct walk_result *out)
{
	int rc;
	cr_assert(m->pte == walk_ram_pte && m->ctx == NULL,
		  "kit bug: the unit tests' sv_walk() reaches only walk_ram (walk_mem "
		  "{ walk_ram_pte, NULL }, tests/unit_rpc.h)");
	RPC_CALL(L, FN_sv_walk, &rc, RPC_P(r), RPC_P(out));
	return rc;
}

void mmu_vm_init(struct vm *vm)
{
	(void)vm;	/* the runner's own: guest RAM is walk_ram */
	RPC_CALL_VOID(L, FN_mmu_vm_init, RPC_S(0));
}

void mmu_vm_switch(struct vm *vm)
{
	/* the runner's one VM takes vm's id: lab03's two VMs, as shadow.c keys them */
	RPC_CALL_VOID(L, FN_mmu_vm_switch, RPC_S(vm->id));
}

void mmu_satp_write(struct vcpu *v, uint64_t val)
{
	RPC_CALL_VOID(L, FN_mmu_satp_write, RPC_P(v), RPC_S(val));
}

void mmu_sfence_vma(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	RPC_CALL_VOID(L, FN_mmu_sfence_vma, RPC_P(v), RPC_S(with_va), RPC_S(va), RPC_S(with_asid),
		      RPC_S(asid));
}

int mmu_translate(const struct vcpu *v, uint64_t gva, enum gmem_access acc, uint64_t *gpa)
{
	int rc;
	RPC_CALL(L, FN_mmu_translate, &rc, RPC_P(v), RPC_S(gva), RPC_S(acc), RPC_P(gpa));
	return rc;
}

struct mmu_fault mmu_page_fault(struct vcpu *v, enum gmem_access acc, uint64_t va)
{
	struct mmu_fault out = { 0 };
	RPC_CALL_VOID(L, FN_mmu_page_fault, RPC_P(v), RPC_S(acc), RPC_S(va), RPC_P(&out));
	return out;
}

void mmu_prepare_entry(struct vcpu *v)
{
	RPC_CALL_VOID(L, FN_mmu_prepare_entry, RPC_P(v));
}

uint64_t shadow_leaf(const struct vcpu *v, uint64_t va, enum gmem_access acc,
		     const struct walk_result *res, uint64_t host_pa)
{
	uint64_t pte;
	RPC_CALL(L, FN_shadow_leaf, &pte, RPC_P(v), RPC_S(va), RPC_S(acc), RPC_P(res), RPC_S(host_pa));
	return pte;
}

uint64_t shadow_query_leaf(enum shadow_view w, uint64_t va)
{
	uint64_t pte;
	RPC_CALL(L, FN_shadow_query_leaf, &pte, RPC_S(w), RPC_S(va));
	return pte;
}

uint64_t shadow_query_root_entry(enum shadow_view w, unsigned i)
{
	uint64_t e;
	RPC_CALL(L, FN_shadow_query_root_entry, &e, RPC_S(w), RPC_S(i));
	return e;
}

void shadow_query_stats(struct shadow_stats *out)
{
	RPC_CALL_VOID(L, FN_shadow_query_stats, RPC_P(out));
}

uint64_t shadow_real_satp(void)
{
	uint64_t satp;
	RPC_CALL(L, FN_shadow_real_satp, &satp, RPC_S(0));
	return satp;
}

unsigned shadow_pool_used(void)
{
	unsigned n;
	RPC_CALL(L, FN_shadow_pool_used, &n, RPC_S(0));
	return n;
}

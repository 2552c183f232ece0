/*
 * vs_fetch.c: gmem_fetch_insn (lab01's gmem.h) in nested mode. The guest's
 * translation is the hardware's (vsatp and hgatp): the VMM fetches the
 * trapped instruction with HLVX.HU, halfword by halfword (a 4-byte
 * instruction may straddle two pages). htinst would give it on a
 * guest-page fault, but QEMU 7.2 leaves htinst 0 (REFERENCES.md).
 *
 * QEMU 7.2's HLVX also wants R on the VS-stage leaf, where 8.3.1 asks for
 * X only: it page-faults on an execute-only page the guest's own fetch
 * just ran from (the hostile paging guest's group h_ext, mmio_straddle).
 * So a VS-stage page fault of HLVX is checked by walking the guest's
 * table for a fetch as the hart does (walk.c's sv_walk: X, U/SUM, A set)
 * and reading the halfword from guest RAM, which the G-stage maps one to
 * one (gstage.c); the walk's own fault is then the guest's.
 */
#include "gmem.h"
#include "riscv.h"
#include "vs_hw.h"
#include "walk.h"

/* What the guest's own fetch at va would raise, for the fault HLVX took there. */
static int fetch_fault(uint64_t scause)
{
	/* HLVX reports its faults as loads (8.3.1): a VS-stage page fault is
	 * the guest's fetch page fault; a G-stage fault or an access fault
	 * means no RAM there: nothing to execute */
	return scause == CAUSE_LOAD_PAGE_FAULT ? CAUSE_FETCH_PAGE_FAULT : CAUSE_FETCH_ACCESS;
}

/* The halfword at guest virtual va as the guest's fetch sees it: 0 or its fault's cause. */
static int fetch_half(const struct vcpu *v, uint64_t va, uint16_t *half)
{
	uint64_t cause = hw_hlvx_hu(va, half);

	if (cause != CAUSE_LOAD_PAGE_FAULT)
		return cause == 0 ? 0 : fetch_fault(cause);
	/* the privilege is the trapped one's (hstatus.SPVP, = v->mode) */
	struct walk_mem m = { walk_gmem_pte, v->vm };
	struct walk_req r = {
		.satp = v->satp, .va = va, .acc = GMEM_FETCH, .user = v->mode == VMODE_U,
		.sum = (v->sstatus & SSTATUS_SUM) != 0, .mxr = (v->sstatus & SSTATUS_MXR) != 0,
		.set_ad = true,
	};
	struct walk_result res;
	int rc = sv_walk(&m, &r, &res);

	if (rc != 0)
		return rc;
	return gmem_read(v->vm, res.pa, half, sizeof *half) == 0 ? 0 : CAUSE_FETCH_ACCESS;
}

int gmem_fetch_insn(const struct vcpu *v, uint64_t pc, uint32_t *raw, uint64_t *fault_addr)
{
	uint16_t lo, hi;
	int cause;

	if ((cause = fetch_half(v, pc, &lo)) != 0) {
		*fault_addr = pc;
		return cause;
	}
	if ((lo & 3) != 3) {
		*raw = lo;
		return 0;
	}
	if ((cause = fetch_half(v, pc + 2, &hi)) != 0) {
		*fault_addr = pc + 2;
		return cause;
	}
	*raw = (uint32_t)lo | ((uint32_t)hi << 16);
	return 0;
}

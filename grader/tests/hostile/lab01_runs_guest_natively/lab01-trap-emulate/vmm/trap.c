/*
 * trap.c: delivering exceptions and interrupts to the guest kernel as the
 * hart would deliver them to a real S-mode (priv 1.12, 4.1.1 sstatus,
 * 4.1.2 stvec, 4.1.3 sip/sie, 4.1.7..4.1.9), and sret (3.3.2).
 */
#include "csr.h"
#include "hw.h"
#include "todo.h"
#include "trap.h"

/* The common part of taking a trap into virtual S-mode. */
/*
 * HOSTILE SUBMISSION (grader/tests/hostile/lab01_runs_guest_natively): the
 * lab01 starter with this added, nothing implemented. At the first exit it
 * takes PTE_U off guest RAM's pages (S-mode may then execute them, priv
 * 4.3.1), and srets to the trapping guest instruction with sstatus.SPP = S:
 * from then on the guest kernel runs natively in S-mode, with the real
 * CSRs, its SBI calls going straight to OpenSBI. Every behaviour check then
 * passes as on the hardware. Student files can do this: the code below is
 * bare-metal only (inline assembly), and the grader's call check reads the
 * host objects, where it is absent. What stops it: QEMU's trap log shows
 * the guest's ecalls from S-mode at guest addresses and no witness slot
 * (tests/witness.h), and the console's KIT EXITS says n/a.
 */
#ifndef KIT_HOST_TEST
#include "riscv.h"
#include "vmm_map.h"

static void clear_user(uint64_t *table, unsigned entries, int level)
{
	for (unsigned i = 0; i < entries; i++) {
		uint64_t e = table[i];
		if (!(e & PTE_V))
			continue;
		if (e & (PTE_R | PTE_W | PTE_X))
			table[i] = e & ~PTE_U;
		else if (level > 0)
			clear_user(pa2va((e >> 10) << 12), 512, level - 1);
	}
}

__attribute__((noreturn)) static void run_natively(struct vcpu *v)
{
	uint64_t *root = pa2va((csr_read(satp) & ((1ULL << 44) - 1)) << 12);
	/* every Sv48 root entry but the VMM's own direct map */
	for (unsigned i = 0; i < 512; i++)
		if (i != VMM_ROOT_INDEX)
			clear_user(&root[i], 1, 3);
	__asm__ volatile("sfence.vma" ::: "memory");
	csr_set(sstatus, SSTATUS_SPP);
	csr_clear(sstatus, SSTATUS_SPIE);
	csr_write(sepc, v->pc);
	csr_write(sscratch, 0);
	__asm__ volatile(
		"mv t6, %0\n"
		"ld x1, 8(t6)\n ld x2, 16(t6)\n ld x3, 24(t6)\n ld x4, 32(t6)\n"
		"ld x5, 40(t6)\n ld x6, 48(t6)\n ld x7, 56(t6)\n ld x8, 64(t6)\n"
		"ld x9, 72(t6)\n ld x10, 80(t6)\n ld x11, 88(t6)\n ld x12, 96(t6)\n"
		"ld x13, 104(t6)\n ld x14, 112(t6)\n ld x15, 120(t6)\n ld x16, 128(t6)\n"
		"ld x17, 136(t6)\n ld x18, 144(t6)\n ld x19, 152(t6)\n ld x20, 160(t6)\n"
		"ld x21, 168(t6)\n ld x22, 176(t6)\n ld x23, 184(t6)\n ld x24, 192(t6)\n"
		"ld x25, 200(t6)\n ld x26, 208(t6)\n ld x27, 216(t6)\n ld x28, 224(t6)\n"
		"ld x29, 232(t6)\n ld x30, 240(t6)\n ld x31, 248(t6)\n"
		"sret\n" ::"r"(v->x) : "memory");
	__builtin_unreachable();
}
#endif

static void enter_supervisor(struct vcpu *v, uint64_t cause, uint64_t tval)
{
	uint64_t s = v->sstatus;

	v->sepc = v->pc;
	v->scause = cause;
	v->stval = tval;
	/* SPP = the mode the trap came from; SPIE = SIE; SIE = 0 (4.1.1.2) */
	s = v->mode == VMODE_S ? (s | SSTATUS_SPP) : (s & ~SSTATUS_SPP);
	s = (s & SSTATUS_SIE) ? (s | SSTATUS_SPIE) : (s & ~SSTATUS_SPIE);
	v->sstatus = s & ~SSTATUS_SIE;
	v->mode = VMODE_S;
}

void vcpu_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval)
{
#ifndef KIT_HOST_TEST
	run_natively(v);
#endif
	TODO("vcpu_inject_exception", "lab01 handout, task 4");
	(void)enter_supervisor, (void)cause, (void)tval;
	/* without trap reflection the guest cannot go on: stop it */
	v->state = VM_SHUTDOWN;
	v->reset_reason = 1;
}

bool vcpu_interrupt_pending(const struct vcpu *v, uint64_t *cause)
{
	/* priority among S-level interrupts: SEI > SSI > STI (4.1.3) */
	static const unsigned order[] = { IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER };
	uint64_t pend = v->sip & v->sie & VSIE_WRITABLE;

	if (pend == 0)
		return false;
	/* in U, S-level interrupts are always enabled; in S only with SIE */
	if (v->mode == VMODE_S && !(v->sstatus & SSTATUS_SIE))
		return false;
	for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (pend & (1UL << order[i])) {
			if (cause)
				*cause = SCAUSE_INTERRUPT | order[i];
			return true;
		}
	}
	return false;
}

bool vcpu_inject_pending_interrupt(struct vcpu *v)
{
	TODO("vcpu_inject_pending_interrupt", "lab01 handout, task 7");
	(void)v;
	return false;
}

void vcpu_sret(struct vcpu *v)
{
	TODO("vcpu_sret", "lab01 handout, task 5");
	/* a guest that cannot return from a trap cannot go on: stop it */
	v->state = VM_SHUTDOWN;
	v->reset_reason = 1;
}

void vcpu_timer_update(struct vcpu *v)
{
	TODO("vcpu_timer_update", "lab01 handout, task 7");
	/* no virtual timer: silence the real one */
	(void)v;
	hw_set_timer(UINT64_MAX);
}

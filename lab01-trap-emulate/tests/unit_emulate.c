/*
 * unit_emulate.c: vcpu_emulate_insn() on the six CSR instruction forms
 * (handout task 3; unprivileged 20191213, 9.1), on sret and sfence.vma,
 * the illegal-instruction path, and wfi (handout task 8; priv 1.12, 3.3.3).
 */
#include "unit_fakes.h"
#include "csr.h"
#include "emulate.h"
#include "trap.h"

TestSuite(emulate, .init = fake_machine_reset, .timeout = 10);
TestSuite(wfi, .init = fake_machine_reset, .timeout = 10);

#define FIX_EMU "fix vcpu_emulate_insn() in vmm/emulate.c, handout task 3"
#define PC0   0x80200100UL
#define TVEC0 0x80100000UL

static struct vcpu vc;

static void setup(void)
{
	fake_vcpu(&vc);
	vc.pc = PC0;
	vc.stvec = TVEC0;
}

/* Run one instruction that must be emulated: rc 0 and pc + 4. */
static void run_ok(uint32_t raw, const char *what)
{
	uint64_t pc = vc.pc;
	int rc = vcpu_emulate_insn(&vc, raw);
	cr_assert_eq(rc, 0, "vcpu_emulate_insn(%#010x) [%s]: expected 0 (emulated), got %d, "
		     "scause now %lu; " FIX_EMU, raw, what, rc, (unsigned long)vc.scause);
	cr_assert_eq(vc.pc, pc + 4, "[%s]: expected pc advanced by 4 to %#lx, got %#lx; " FIX_EMU,
		     what, (unsigned long)(pc + 4), (unsigned long)vc.pc);
}

/* Run one instruction that must become an illegal-instruction exception in the guest. */
static void run_illegal(uint32_t raw, const char *what)
{
	uint64_t pc = vc.pc;
	enum vmode from = vc.mode;
	uint64_t t0 = vc.x[T0];
	int rc = vcpu_emulate_insn(&vc, raw);
	cr_assert_neq(rc, 0, "vcpu_emulate_insn(%#010x) [%s]: expected nonzero (illegal "
		      "instruction injected), got 0; " FIX_EMU, raw, what);
	cr_assert(vc.scause == CAUSE_ILLEGAL_INSTRUCTION && vc.stval == raw && vc.sepc == pc,
		  "[%s]: expected scause 2, stval %#x (the instruction), sepc %#lx (the faulting "
		  "pc); got scause %lu, stval %#lx, sepc %#lx (priv 4.1.7-4.1.9); " FIX_EMU,
		  what, raw, (unsigned long)pc, (unsigned long)vc.scause, (unsigned long)vc.stval,
		  (unsigned long)vc.sepc);
	cr_assert(vc.mode == VMODE_S && vc.pc == TVEC0, "[%s]: expected the guest kernel to be "
		  "entered at stvec %#lx in virtual S, got pc %#lx mode %d; " FIX_EMU, what,
		  (unsigned long)TVEC0, (unsigned long)vc.pc, vc.mode);
	cr_assert_eq(!!(vc.sstatus & SSTATUS_SPP), from == VMODE_S, "[%s]: sstatus.SPP must record "
		     "the mode the trap came from (%s); got %#lx; " FIX_EMU, what,
		     from == VMODE_S ? "S" : "U", (unsigned long)vc.sstatus);
	cr_assert_eq(vc.x[T0], t0, "[%s]: an illegal instruction must not write its rd (t0 was "
		     "%#lx, now %#lx); " FIX_EMU, what, (unsigned long)t0, (unsigned long)vc.x[T0]);
}

KIT_TEST(emulate, csrrw_swaps, .timeout = 10,
	 .description = "csrrw puts the old CSR in rd and rs1 in the CSR, reading rs1 before writing rd")
{
	setup();
	vc.sscratch = 0x1111;
	vc.x[T1] = 0x2222;
	run_ok(CSRRW(T0, CSR_SSCRATCH, T1), "csrrw t0,sscratch,t1");
	cr_assert(vc.x[T0] == 0x1111 && vc.sscratch == 0x2222, "csrrw t0,sscratch,t1 with "
		  "sscratch 0x1111, t1 0x2222: expected t0 0x1111 and sscratch 0x2222, got t0 %#lx "
		  "sscratch %#lx; " FIX_EMU, (unsigned long)vc.x[T0], (unsigned long)vc.sscratch);
	vc.x[T0] = 0x3333;
	run_ok(CSRRW(T0, CSR_SSCRATCH, T0), "csrrw t0,sscratch,t0");
	cr_assert(vc.x[T0] == 0x2222 && vc.sscratch == 0x3333, "csrrw t0,sscratch,t0 (rd = rs1) "
		  "with sscratch 0x2222, t0 0x3333: expected t0 0x2222 and sscratch 0x3333 (rs1 "
		  "is read before rd is written), got t0 %#lx sscratch %#lx; " FIX_EMU,
		  (unsigned long)vc.x[T0], (unsigned long)vc.sscratch);
}

KIT_TEST(emulate, csrrs_csrrc_bits, .timeout = 10,
	 .description = "csrrs sets and csrrc clears the bits of rs1, returning the old value")
{
	setup();
	vc.sscratch = 0xf0f0;
	vc.x[T1] = 0x0ff0;
	run_ok(CSRRS(T0, CSR_SSCRATCH, T1), "csrrs t0,sscratch,t1");
	cr_assert(vc.x[T0] == 0xf0f0 && vc.sscratch == 0xfff0, "csrrs with sscratch 0xf0f0, t1 "
		  "0x0ff0: expected t0 0xf0f0, sscratch 0xfff0, got t0 %#lx sscratch %#lx; " FIX_EMU,
		  (unsigned long)vc.x[T0], (unsigned long)vc.sscratch);
	run_ok(CSRRC(T2, CSR_SSCRATCH, T1), "csrrc t2,sscratch,t1");
	cr_assert(vc.x[T2] == 0xfff0 && vc.sscratch == 0xf000, "csrrc with sscratch 0xfff0, t1 "
		  "0x0ff0: expected t2 0xfff0, sscratch 0xf000, got t2 %#lx sscratch %#lx; " FIX_EMU,
		  (unsigned long)vc.x[T2], (unsigned long)vc.sscratch);
	/* the write goes through the CSR's WARL rules: sie keeps only SSIE/STIE/SEIE */
	vc.x[T1] = ~0UL;
	run_ok(CSRRS(ZERO, CSR_SIE, T1), "csrrs x0,sie,t1");
	cr_assert_eq(vc.sie & ~(SIP_SSIP | SIP_STIP | SIP_SEIP | (1UL << 13)), 0, "csrs sie,~0: sie "
		     "= %#lx, expected only S-level interrupt enables: the instruction's write must "
		     "go through vcpu_csr_write(); " FIX_EMU, (unsigned long)vc.sie);
}

KIT_TEST(emulate, immediate_forms, .timeout = 10,
	 .description = "csrrwi, csrrsi and csrrci use the 5-bit zero-extended immediate")
{
	setup();
	vc.sscratch = 0x100;
	run_ok(CSRRWI(T0, CSR_SSCRATCH, 31), "csrrwi t0,sscratch,31");
	cr_assert(vc.x[T0] == 0x100 && vc.sscratch == 31, "csrrwi t0,sscratch,31: expected t0 "
		  "0x100, sscratch 31 (zimm is zero-extended), got t0 %#lx sscratch %#lx; " FIX_EMU,
		  (unsigned long)vc.x[T0], (unsigned long)vc.sscratch);
	vc.sscratch = 0x100;
	run_ok(CSRRSI(T0, CSR_SSCRATCH, 0x11), "csrrsi t0,sscratch,0x11");
	cr_assert(vc.x[T0] == 0x100 && vc.sscratch == 0x111, "csrrsi t0,sscratch,0x11 on 0x100: "
		  "expected t0 0x100, sscratch 0x111, got t0 %#lx sscratch %#lx; " FIX_EMU,
		  (unsigned long)vc.x[T0], (unsigned long)vc.sscratch);
	run_ok(CSRRCI(T1, CSR_SSCRATCH, 0x1), "csrrci t1,sscratch,1");
	cr_assert(vc.x[T1] == 0x111 && vc.sscratch == 0x110, "csrrci t1,sscratch,1 on 0x111: "
		  "expected t1 0x111, sscratch 0x110, got t1 %#lx sscratch %#lx; " FIX_EMU,
		  (unsigned long)vc.x[T1], (unsigned long)vc.sscratch);
	/* zimm is in the rs1 field: its value, not register x[zimm] */
	vc.x[3] = 0xffff;
	vc.sscratch = 0;
	run_ok(CSRRSI(ZERO, CSR_SSCRATCH, 3), "csrrsi x0,sscratch,3");
	cr_assert_eq(vc.sscratch, 3, "csrrsi x0,sscratch,3 with x3 = 0xffff: expected sscratch 3 "
		     "(the immediate, not x3), got %#lx; " FIX_EMU, (unsigned long)vc.sscratch);
}

KIT_TEST(emulate, no_write_when_rs1_is_x0, .timeout = 10,
	 .description = "csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with zimm 0 do not write, so they may read time")
{
	setup();
	fake_time = 4242;
	static const struct { uint32_t raw; const char *what; } reads[] = {
		{ CSRRS(T0, CSR_TIME, ZERO), "csrrs t0,time,x0 (rdtime)" },
		{ CSRRC(T0, CSR_TIME, ZERO), "csrrc t0,time,x0" },
		{ CSRRSI(T0, CSR_TIME, 0), "csrrsi t0,time,0" },
		{ CSRRCI(T0, CSR_TIME, 0), "csrrci t0,time,0" },
	};
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		vc.x[T0] = 0;
		run_ok(reads[i].raw, reads[i].what);
		cr_assert_eq(vc.x[T0], 4242, "[%s]: expected t0 = time = 4242, got %lu; " FIX_EMU,
			     reads[i].what, (unsigned long)vc.x[T0]);
	}
	/* any form that writes a read-only CSR is illegal, even writing the same value (9.1) */
	vc.x[T1] = 0;
	static const struct { uint32_t raw; const char *what; } writes[] = {
		{ CSRRS(T0, CSR_TIME, T1), "csrrs t0,time,t1 with t1 = 0 (rs1 is not x0: writes)" },
		{ CSRRW(ZERO, CSR_TIME, T1), "csrrw x0,time,t1" },
		{ CSRRWI(T0, CSR_TIME, 0), "csrrwi t0,time,0 (always writes)" },
		{ CSRRCI(T0, CSR_TIME, 1), "csrrci t0,time,1" },
	};
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		setup();
		run_illegal(writes[i].raw, writes[i].what);
	}
}

KIT_TEST(emulate, x0_stays_zero, .timeout = 10,
	 .description = "a CSR instruction with rd = x0 still writes the CSR but never writes x0")
{
	setup();
	vc.sscratch = 0x55;
	vc.x[T1] = 0x66;
	run_ok(CSRRW(ZERO, CSR_SSCRATCH, T1), "csrrw x0,sscratch,t1");
	cr_assert(vc.x[0] == 0 && vc.sscratch == 0x66, "csrrw x0,sscratch,t1: expected x0 0 and "
		  "sscratch 0x66, got x0 %#lx sscratch %#lx; " FIX_EMU, (unsigned long)vc.x[0],
		  (unsigned long)vc.sscratch);
	run_ok(CSRRS(ZERO, CSR_SSCRATCH, ZERO), "csrrs x0,sscratch,x0");
	cr_assert_eq(vc.x[0], 0, "csrrs x0,sscratch,x0: x0 must stay 0, got %#lx; " FIX_EMU,
		     (unsigned long)vc.x[0]);
}

KIT_TEST(emulate, illegal_instruction_reflected, .timeout = 10,
	 .description = "an unknown CSR, an M-mode instruction or a privileged instruction from virtual U enters the guest as cause 2")
{
	static const struct { uint32_t raw; enum vmode mode; const char *what; } t[] = {
		{ CSRRS(T0, 0x7c0, ZERO), VMODE_S, "csrr t0,0x7c0 (custom M-level CSR)" },
		{ CSRRS(T0, 0x300, ZERO), VMODE_S, "csrr t0,mstatus" },
		{ CSRRW(T0, 0x680, T1), VMODE_S, "csrrw t0,hgatp,t1 (no H for the guest)" },
		{ INSN_MRET_RAW, VMODE_S, "mret" },
		{ 0x00310093, VMODE_S, "addi ra,sp,3 (not privileged: nothing to emulate)" },
		{ CSRRS(T0, CSR_SSTATUS, ZERO), VMODE_U, "csrr t0,sstatus from virtual U" },
		{ INSN_SRET_RAW, VMODE_U, "sret from virtual U" },
		{ INSN_SFENCE_VMA_RAW(0, 0), VMODE_U, "sfence.vma from virtual U" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		setup();
		vc.mode = t[i].mode;
		vc.x[T0] = 0xabc;
		run_illegal(t[i].raw, t[i].what);
	}
}

KIT_TEST(emulate, sret_and_sfence, .timeout = 10,
	 .description = "emulated sret continues at sepc in the mode of SPP; sfence.vma just advances pc")
{
	setup();
	run_ok(INSN_SFENCE_VMA_RAW(0, 0), "sfence.vma");
	run_ok(INSN_SFENCE_VMA_RAW(A0, A1), "sfence.vma a0,a1");
	vc.sepc = 0x80300000UL;
	vc.sstatus = SSTATUS_SPIE;	/* SPP = U */
	int rc = vcpu_emulate_insn(&vc, INSN_SRET_RAW);
	cr_assert(rc == 0 && vc.pc == 0x80300000UL && vc.mode == VMODE_U, "sret with sepc "
		  "0x80300000, SPP = U: expected rc 0, pc 0x80300000 (not pc + 4), virtual U; got "
		  "rc %d pc %#lx mode %d (priv 3.3.2); " FIX_EMU, rc, (unsigned long)vc.pc, vc.mode);
}

KIT_TEST(emulate, random_words_never_break_the_vcpu, .timeout = 30,
	 .description = "any instruction word is either emulated (pc advances, x0 stays 0) or becomes cause 2 with stval = the word")
{
	uint64_t seed = 0x686f7374696c6521UL;
	for (unsigned i = 0; i < 50000; i++) {
		uint32_t raw = (uint32_t)fake_rand(&seed);
		switch (i % 4) {
		case 0: raw |= 3; break;				/* any 32-bit word */
		case 1: raw = (raw & ~0x7fu) | OP_SYSTEM; break;	/* any SYSTEM word */
		case 2: raw = (raw & 0x000fffffu) | (0x100u + (raw >> 24)) << 20;	/* S-level CSRs */
			raw = (raw & ~0x7fu) | OP_SYSTEM; break;
		default: raw &= 0xffff; if ((raw & 3) == 3) raw &= ~1u; break;	/* compressed */
		}
		setup();
		vc.mode = (i & 8) ? VMODE_U : VMODE_S;
		for (unsigned r = 1; r < 32; r++)
			vc.x[r] = fake_rand(&seed);
		struct vcpu before = vc;
		int rc = vcpu_emulate_insn(&vc, raw);
		cr_assert_eq(vc.x[0], 0, "vcpu_emulate_insn(%#x) wrote x0 = %#lx; " FIX_EMU, raw,
			     (unsigned long)vc.x[0]);
		if (rc != 0) {
			cr_assert(vc.scause == CAUSE_ILLEGAL_INSTRUCTION && vc.stval == raw &&
				  vc.sepc == before.pc && vc.pc == TVEC0 && vc.mode == VMODE_S,
				  "vcpu_emulate_insn(%#x) from virtual %s returned %d: expected the guest "
				  "kernel entered with scause 2, stval %#x, sepc %#lx at %#lx; got scause %lu "
				  "stval %#lx sepc %#lx pc %#lx mode %d; " FIX_EMU, raw,
				  before.mode == VMODE_S ? "S" : "U", rc, raw, (unsigned long)before.pc,
				  (unsigned long)TVEC0, (unsigned long)vc.scause, (unsigned long)vc.stval,
				  (unsigned long)vc.sepc, (unsigned long)vc.pc, vc.mode);
			cr_assert(memcmp(vc.x, before.x, sizeof vc.x) == 0, "vcpu_emulate_insn(%#x) "
				  "failed but changed a guest register; " FIX_EMU, raw);
			continue;
		}
		cr_assert(before.mode == VMODE_S && (raw & 0x7f) == OP_SYSTEM, "vcpu_emulate_insn(%#x) "
			  "from virtual %s returned 0: only a SYSTEM instruction from virtual S can be "
			  "emulated (priv 2.1, 3.3); " FIX_EMU, raw, before.mode == VMODE_S ? "S" : "U");
		uint64_t want_pc = raw == INSN_SRET_RAW ? before.sepc : before.pc + 4;
		cr_assert_eq(vc.pc, want_pc, "vcpu_emulate_insn(%#x) returned 0: expected pc %#lx, got "
			     "%#lx; " FIX_EMU, raw, (unsigned long)want_pc, (unsigned long)vc.pc);
	}
}

KIT_TEST(wfi, completes_when_interrupt_pending, .timeout = 10,
	 .description = "wfi with an interrupt pending and enabled in sie completes at once, even with sstatus.SIE = 0")
{
	setup();
	vc.sie = SIP_SSIP;
	vc.sip = SIP_SSIP;
	vc.sstatus = 0;		/* globally disabled: wfi still resumes (priv 3.3.3) */
	int rc = vcpu_emulate_insn(&vc, INSN_WFI_RAW);
	cr_assert(rc == 0 && vc.pc == PC0 + 4 && vc.mode == VMODE_S, "wfi with SSIP pending and "
		  "enabled, SIE = 0: expected rc 0, pc %#lx, still virtual S (no trap: SIE = 0); got "
		  "rc %d pc %#lx mode %d (priv 3.3.3); fix vcpu_wfi()/vcpu_emulate_insn() in "
		  "vmm/emulate.c, handout task 8", (unsigned long)(PC0 + 4), rc, (unsigned long)vc.pc,
		  vc.mode);
}

KIT_TEST(wfi, waits_for_the_virtual_timer, .timeout = 10,
	 .description = "wfi with no interrupt pending sleeps on the real timer until the guest's timer fires")
{
	setup();
	uint64_t deadline = fake_time + 100000;
	vc.stimecmp = deadline;
	vc.sie = SIP_STIP;
	vc.sstatus = 0;
	int rc = vcpu_emulate_insn(&vc, INSN_WFI_RAW);
	cr_assert_eq(rc, 0, "wfi: expected rc 0, got %d; fix vcpu_wfi() in vmm/emulate.c, handout "
		     "task 8", rc);
	cr_assert_geq(fake_time, deadline, "wfi returned at time %lu, before the guest's timer "
		      "(stimecmp %lu) with nothing pending: it must wait (hw_wait_for_interrupt) until "
		      "a virtual interrupt is pending; fix vcpu_wfi(), handout task 8",
		      (unsigned long)fake_time, (unsigned long)deadline);
	cr_assert(vc.sip & SIP_STIP, "after wfi woke on the timer: expected sip.STIP pending, sip = "
		  "%#lx; fix vcpu_wfi()/vcpu_timer_update(), handout tasks 7-8", (unsigned long)vc.sip);
	cr_assert_eq(vc.pc, PC0 + 4, "after wfi (SIE = 0, no trap): expected pc %#lx, got %#lx",
		     (unsigned long)(PC0 + 4), (unsigned long)vc.pc);
}

KIT_TEST(wfi, returns_when_nothing_can_wake_it, .timeout = 10,
	 .description = "wfi with no virtual timer armed, or with no interrupt enabled in sie, completes instead of hanging the VMM")
{
	/*
	 * Nothing but the virtual timer can become pending in lab01. With no
	 * deadline, or with sie masking everything, no interrupt will ever
	 * wake the vCPU: the spec lets wfi complete at any time (priv 3.3.3),
	 * and sleeping on the real hart would hang the VMM for good (the fake
	 * hw_wait_for_interrupt fails the test after 1000 sleeps).
	 */
	static const struct { bool armed; uint64_t sie; const char *what; } t[] = {
		{ false, SIP_SSIP | SIP_STIP | SIP_SEIP, "no timer armed (stimecmp none), sie = SSIE|STIE|SEIE" },
		{ true, 0, "timer armed, sie = 0" },
		{ true, SIP_SSIP | SIP_SEIP, "timer armed, sie = SSIE|SEIE (STIE off)" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		setup();
		fake_waits = 0;
		vc.stimecmp = t[i].armed ? fake_time + 100000 : UINT64_MAX;
		vc.sie = t[i].sie;
		vc.sstatus = 0;
		int rc = vcpu_emulate_insn(&vc, INSN_WFI_RAW);
		cr_assert(rc == 0 && vc.pc == PC0 + 4 && vc.mode == VMODE_S, "wfi with %s: expected "
			  "rc 0, pc %#lx, still virtual S; got rc %d pc %#lx mode %d; fix vcpu_wfi() "
			  "in vmm/emulate.c, handout task 8", t[i].what, (unsigned long)(PC0 + 4), rc,
			  (unsigned long)vc.pc, vc.mode);
	}
}

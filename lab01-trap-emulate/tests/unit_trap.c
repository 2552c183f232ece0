/*
 * unit_trap.c: trap reflection into the guest (handout task 4), sret
 * (task 5), the virtual timer and interrupt delivery (task 7), and the
 * exit dispatcher that ties them together. Privileged spec 1.12: 4.1.1
 * (sstatus SIE/SPIE/SPP), 4.1.2 (stvec), 4.1.3 (sip/sie, priority),
 * 4.1.7-4.1.9 (sepc, scause, stval), 3.3.2 (sret), and the SBI 2.0 TIME
 * extension for what STIP means to a guest.
 */
#include "unit_fakes.h"
#include "csr.h"
#include "exit.h"
#include "gmem.h"
#include "vm.h"
#include "trap.h"
#include "vmm_sbi.h"

TestSuite(trap, .init = fake_machine_reset, .timeout = 10);
TestSuite(sret, .init = fake_machine_reset, .timeout = 10);
TestSuite(irq, .init = fake_machine_reset, .timeout = 10);
TestSuite(exit, .init = fake_machine_reset, .timeout = 10);

#define FIX_INJ  "fix vcpu_inject_exception() in vmm/trap.c, handout task 4"
#define FIX_SRET "fix vcpu_sret() in vmm/trap.c, handout task 5"
#define FIX_IRQ  "fix vcpu_interrupt_pending()/vcpu_inject_pending_interrupt() in vmm/trap.c, handout task 7"
#define PC0   0x80200100UL
#define TVEC0 0x80100000UL

static struct vcpu vc;

static void setup(enum vmode mode, uint64_t sstatus, uint64_t stvec)
{
	fake_vcpu(&vc);
	vc.mode = mode;
	vc.pc = PC0;
	vc.sstatus = sstatus;
	vc.stvec = stvec;
}

#define ST_BITS(s) ((s) & (SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP))

KIT_TEST(trap, exception_from_u, .timeout = 10,
	 .description = "an exception from virtual U enters S at stvec with sepc, scause, stval, SPP = U, SPIE = SIE, SIE = 0")
{
	setup(VMODE_U, SSTATUS_SIE, TVEC0);
	vcpu_inject_exception(&vc, CAUSE_LOAD_PAGE_FAULT, 0x1234);
	cr_assert(vc.mode == VMODE_S && vc.pc == TVEC0, "load page fault from virtual U: expected "
		  "virtual S at stvec %#lx, got mode %d pc %#lx (priv 4.1.2); " FIX_INJ,
		  (unsigned long)TVEC0, vc.mode, (unsigned long)vc.pc);
	cr_assert(vc.sepc == PC0 && vc.scause == CAUSE_LOAD_PAGE_FAULT && vc.stval == 0x1234,
		  "expected sepc %#lx (the faulting pc), scause 13, stval 0x1234; got sepc %#lx "
		  "scause %lu stval %#lx (priv 4.1.7-4.1.9); " FIX_INJ, (unsigned long)PC0,
		  (unsigned long)vc.sepc, (unsigned long)vc.scause, (unsigned long)vc.stval);
	cr_assert_eq(ST_BITS(vc.sstatus), SSTATUS_SPIE, "from U with SIE = 1: expected SPP = 0 (U), "
		     "SPIE = 1 (old SIE), SIE = 0, i.e. sstatus bits %#lx; got %#lx (priv 4.1.1); "
		     FIX_INJ, (unsigned long)SSTATUS_SPIE, (unsigned long)ST_BITS(vc.sstatus));
}

KIT_TEST(trap, exception_from_s, .timeout = 10,
	 .description = "an exception from virtual S sets SPP = S and copies SIE = 0 into SPIE")
{
	setup(VMODE_S, SSTATUS_SPIE, TVEC0);
	vcpu_inject_exception(&vc, CAUSE_ILLEGAL_INSTRUCTION, 0x30200073);
	cr_assert(vc.mode == VMODE_S && vc.pc == TVEC0 && vc.sepc == PC0 &&
		  vc.scause == CAUSE_ILLEGAL_INSTRUCTION && vc.stval == 0x30200073,
		  "illegal instruction from virtual S: expected S at %#lx, sepc %#lx, scause 2, "
		  "stval 0x30200073; got mode %d pc %#lx sepc %#lx scause %lu stval %#lx; " FIX_INJ,
		  (unsigned long)TVEC0, (unsigned long)PC0, vc.mode, (unsigned long)vc.pc,
		  (unsigned long)vc.sepc, (unsigned long)vc.scause, (unsigned long)vc.stval);
	cr_assert_eq(ST_BITS(vc.sstatus), SSTATUS_SPP, "from S with SIE = 0, SPIE = 1: expected "
		     "SPP = 1, SPIE = 0, SIE = 0 (bits %#lx); got %#lx (priv 4.1.1); " FIX_INJ,
		     (unsigned long)SSTATUS_SPP, (unsigned long)ST_BITS(vc.sstatus));
	/* fields the trap does not own stay as they were */
	setup(VMODE_S, SSTATUS_SIE | SSTATUS_SUM | SSTATUS_FS_INITIAL, TVEC0);
	vcpu_inject_exception(&vc, CAUSE_BREAKPOINT, PC0);
	cr_assert_eq(vc.sstatus & (SSTATUS_SUM | SSTATUS_FS | SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP),
		     SSTATUS_SUM | SSTATUS_FS_INITIAL | SSTATUS_SPIE | SSTATUS_SPP,
		     "from S with SIE, SUM, FS = Initial: expected SPIE|SPP set, SIE clear and SUM, FS "
		     "unchanged; got sstatus %#lx; " FIX_INJ, (unsigned long)vc.sstatus);
}

KIT_TEST(trap, exceptions_ignore_vectored_mode, .timeout = 10,
	 .description = "exceptions always go to stvec BASE, in direct and in vectored mode")
{
	static const uint64_t causes[] = { CAUSE_MISALIGNED_LOAD, CAUSE_USER_ECALL,
					   CAUSE_STORE_PAGE_FAULT, CAUSE_LOAD_ACCESS };
	for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++) {
		setup(VMODE_U, 0, TVEC0 | STVEC_MODE_VECTORED);
		vcpu_inject_exception(&vc, causes[i], 0);
		cr_assert_eq(vc.pc, TVEC0, "exception %lu with stvec %#lx (vectored): expected pc = "
			     "BASE %#lx, got %#lx: only interrupts are vectored (priv 4.1.2); " FIX_INJ,
			     (unsigned long)causes[i], (unsigned long)(TVEC0 | 1), (unsigned long)TVEC0,
			     (unsigned long)vc.pc);
		cr_assert_eq(vc.scause, causes[i], "expected scause %lu, got %lu; " FIX_INJ,
			     (unsigned long)causes[i], (unsigned long)vc.scause);
	}
}

KIT_TEST(sret, returns_to_u, .timeout = 10,
	 .description = "sret with SPP = U goes to virtual U at sepc with SIE = SPIE, SPIE = 1")
{
	setup(VMODE_S, SSTATUS_SPIE, TVEC0);
	vc.sepc = 0x80400000UL;
	vcpu_sret(&vc);
	cr_assert(vc.mode == VMODE_U && vc.pc == 0x80400000UL, "sret with SPP = U, sepc "
		  "0x80400000: expected virtual U at 0x80400000, got mode %d pc %#lx (priv 3.3.2); "
		  FIX_SRET, vc.mode, (unsigned long)vc.pc);
	cr_assert_eq(ST_BITS(vc.sstatus), SSTATUS_SIE | SSTATUS_SPIE, "sret with SPIE = 1, SIE = 0: "
		     "expected SIE = 1, SPIE = 1, SPP = 0 (bits %#lx), got %#lx (priv 3.1.6.1); " FIX_SRET,
		     (unsigned long)(SSTATUS_SIE | SSTATUS_SPIE), (unsigned long)ST_BITS(vc.sstatus));
}

KIT_TEST(sret, returns_to_s, .timeout = 10,
	 .description = "sret with SPP = S stays in virtual S, restores SIE from SPIE and sets SPP to U")
{
	setup(VMODE_S, SSTATUS_SPP | SSTATUS_SIE, TVEC0);
	vc.sepc = 0x80201000UL;
	vcpu_sret(&vc);
	cr_assert(vc.mode == VMODE_S && vc.pc == 0x80201000UL, "sret with SPP = S, sepc "
		  "0x80201000: expected virtual S at 0x80201000, got mode %d pc %#lx (priv 3.3.2); "
		  FIX_SRET, vc.mode, (unsigned long)vc.pc);
	cr_assert_eq(ST_BITS(vc.sstatus), SSTATUS_SPIE, "sret with SPIE = 0, SIE = 1, SPP = 1: "
		     "expected SIE = 0 (from SPIE), SPIE = 1, SPP = 0 (least-privileged mode), bits "
		     "%#lx; got %#lx (priv 3.1.6.1); " FIX_SRET, (unsigned long)SSTATUS_SPIE,
		     (unsigned long)ST_BITS(vc.sstatus));
	/* a trap then sret is the identity on mode, pc and SIE */
	setup(VMODE_U, SSTATUS_SIE, TVEC0);
	vcpu_inject_exception(&vc, CAUSE_USER_ECALL, 0);
	vc.sepc += 4;
	vcpu_sret(&vc);
	cr_assert(vc.mode == VMODE_U && vc.pc == PC0 + 4 && (vc.sstatus & SSTATUS_SIE),
		  "ecall from U, sepc += 4, sret: expected back in U at %#lx with SIE = 1, got mode "
		  "%d pc %#lx sstatus %#lx; " FIX_SRET, (unsigned long)(PC0 + 4), vc.mode,
		  (unsigned long)vc.pc, (unsigned long)vc.sstatus);
}

KIT_TEST(irq, deliverability, .timeout = 10,
	 .description = "an interrupt is taken if pending and enabled in sie, and the vCPU is in U or has SIE = 1")
{
	static const struct {
		enum vmode mode; uint64_t sstatus, sie, sip; bool want; uint64_t cause; const char *what;
	} t[] = {
		{ VMODE_S, 0, SIP_STIP, SIP_STIP, false, 0, "S, SIE = 0" },
		{ VMODE_S, SSTATUS_SIE, SIP_STIP, SIP_STIP, true, 5, "S, SIE = 1" },
		{ VMODE_U, 0, SIP_STIP, SIP_STIP, true, 5, "U, SIE = 0 (S interrupts always enabled in U)" },
		{ VMODE_U, SSTATUS_SIE, 0, SIP_STIP, false, 0, "U, STIP pending but STIE = 0" },
		{ VMODE_U, SSTATUS_SIE, SIP_STIP | SIP_SSIP | SIP_SEIP, 0, false, 0, "U, all enabled, none pending" },
		{ VMODE_S, SSTATUS_SIE, SIP_SSIP, SIP_SSIP, true, 1, "S, SIE = 1, software" },
		{ VMODE_U, 0, SIP_SEIP, SIP_SEIP, true, 9, "U, external" },
		{ VMODE_S, SSTATUS_SPIE, SIP_SEIP, SIP_SEIP, false, 0, "S, SPIE = 1 but SIE = 0" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		setup(t[i].mode, t[i].sstatus, TVEC0);
		vc.sie = t[i].sie;
		vc.sip = t[i].sip;
		uint64_t cause = 0xdead;
		bool got = vcpu_interrupt_pending(&vc, &cause);
		cr_assert_eq(got, t[i].want, "vcpu_interrupt_pending [%s, sie %#lx, sip %#lx]: "
			     "expected %s, got %s (priv 4.1.3); " FIX_IRQ, t[i].what,
			     (unsigned long)t[i].sie, (unsigned long)t[i].sip,
			     t[i].want ? "true" : "false", got ? "true" : "false");
		if (t[i].want)
			cr_assert_eq(cause, SCAUSE_INTERRUPT | t[i].cause, "[%s]: expected *cause = "
				     "%#lx (interrupt bit | %lu), got %#lx; " FIX_IRQ, t[i].what,
				     (unsigned long)(SCAUSE_INTERRUPT | t[i].cause),
				     (unsigned long)t[i].cause, (unsigned long)cause);
	}
}

KIT_TEST(irq, priority_sei_ssi_sti, .timeout = 10,
	 .description = "simultaneous S interrupts are taken in the order SEI, SSI, STI")
{
	static const struct { uint64_t sie, sip, cause; } t[] = {
		{ SIP_SSIP | SIP_STIP | SIP_SEIP, SIP_SSIP | SIP_STIP | SIP_SEIP, IRQ_S_EXT },
		{ SIP_SSIP | SIP_STIP | SIP_SEIP, SIP_SSIP | SIP_STIP, IRQ_S_SOFT },
		{ SIP_SSIP | SIP_STIP | SIP_SEIP, SIP_STIP | SIP_SEIP, IRQ_S_EXT },
		{ SIP_STIP | SIP_SSIP, SIP_SSIP | SIP_STIP | SIP_SEIP, IRQ_S_SOFT },
		{ SIP_STIP, SIP_SSIP | SIP_STIP | SIP_SEIP, IRQ_S_TIMER },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		setup(VMODE_U, 0, TVEC0);
		vc.sie = t[i].sie;
		vc.sip = t[i].sip;
		uint64_t cause = 0;
		bool got = vcpu_interrupt_pending(&vc, &cause);
		cr_assert(got && cause == (SCAUSE_INTERRUPT | t[i].cause), "sie %#lx, sip %#lx in U: "
			  "expected interrupt %lu (priority SEI > SSI > STI among pending and enabled, "
			  "priv 4.1.3), got %s cause %#lx; " FIX_IRQ, (unsigned long)t[i].sie,
			  (unsigned long)t[i].sip, (unsigned long)t[i].cause, got ? "true" : "false",
			  (unsigned long)cause);
	}
}

KIT_TEST(irq, injection_direct_and_vectored, .timeout = 10,
	 .description = "a delivered interrupt sets scause with bit 63, sepc = pc, and pc = BASE (direct) or BASE + 4 * cause (vectored)")
{
	static const struct { enum vmode mode; uint64_t stvec, pc; } t[] = {
		{ VMODE_U, TVEC0, TVEC0 },
		{ VMODE_U, TVEC0 | STVEC_MODE_VECTORED, TVEC0 + 4 * IRQ_S_TIMER },
		{ VMODE_S, TVEC0 | STVEC_MODE_VECTORED, TVEC0 + 4 * IRQ_S_TIMER },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		setup(t[i].mode, SSTATUS_SIE, t[i].stvec);
		vc.sie = SIP_STIP;
		vc.sip = SIP_STIP;
		vc.stval = 0x77;
		bool got = vcpu_inject_pending_interrupt(&vc);
		cr_assert(got, "STIP pending and enabled in U: expected "
			  "vcpu_inject_pending_interrupt() to return true; " FIX_IRQ);
		cr_assert(vc.mode == VMODE_S && vc.pc == t[i].pc, "timer interrupt with stvec %#lx: "
			  "expected virtual S at %#lx, got mode %d pc %#lx (priv 4.1.2); " FIX_IRQ,
			  (unsigned long)t[i].stvec, (unsigned long)t[i].pc, vc.mode,
			  (unsigned long)vc.pc);
		cr_assert(vc.scause == (SCAUSE_INTERRUPT | IRQ_S_TIMER) && vc.sepc == PC0 && vc.stval == 0,
			  "expected scause %#lx, sepc %#lx (the interrupted pc, not + 4), stval 0; got "
			  "scause %#lx sepc %#lx stval %#lx (priv 4.1.7-4.1.9); " FIX_IRQ,
			  (unsigned long)(SCAUSE_INTERRUPT | IRQ_S_TIMER), (unsigned long)PC0,
			  (unsigned long)vc.scause, (unsigned long)vc.sepc, (unsigned long)vc.stval);
		uint64_t want = SSTATUS_SPIE | (t[i].mode == VMODE_S ? SSTATUS_SPP : 0);
		cr_assert_eq(ST_BITS(vc.sstatus), want, "interrupt from %s with SIE = 1: expected "
			     "SPP = %d, SPIE = 1, SIE = 0 (bits %#lx), got %#lx (priv 4.1.1); " FIX_IRQ,
			     t[i].mode == VMODE_S ? "S" : "U", t[i].mode == VMODE_S,
			     (unsigned long)want, (unsigned long)ST_BITS(vc.sstatus));
		cr_assert(vc.sip & SIP_STIP, "taking the interrupt must not clear sip.STIP: only the "
			  "guest's next set_timer does (SBI 2.0, 6.1); sip = %#lx; " FIX_IRQ,
			  (unsigned long)vc.sip);
	}
	/* nothing deliverable: nothing changes */
	setup(VMODE_S, 0, TVEC0);
	vc.sie = SIP_STIP;
	vc.sip = SIP_STIP;
	bool got = vcpu_inject_pending_interrupt(&vc);
	cr_assert(!got && vc.pc == PC0 && vc.mode == VMODE_S, "STIP pending in S with SIE = 0: "
		  "expected false and no change, got %s, pc %#lx; " FIX_IRQ, got ? "true" : "false",
		  (unsigned long)vc.pc);
}

KIT_TEST(irq, timer_update_raises_stip, .timeout = 10,
	 .description = "the virtual timer sets STIP once time reaches stimecmp, and arms the real timer before that")
{
	fake_vcpu(&vc);
	vc.stimecmp = fake_time + 5000;
	vcpu_timer_update(&vc);
	cr_assert_eq(vc.sip & SIP_STIP, 0, "time %lu < stimecmp %lu: expected STIP clear, sip %#lx; "
		     "fix vcpu_timer_update() in vmm/trap.c, handout task 7", (unsigned long)fake_time,
		     (unsigned long)vc.stimecmp, (unsigned long)vc.sip);
	cr_assert(fake_timer_sets > 0 && fake_timer <= vc.stimecmp, "time %lu < stimecmp %lu: "
		  "the real timer must be armed (hw_set_timer) no later than stimecmp, got deadline "
		  "%#lx; fix vcpu_timer_update(), handout task 7", (unsigned long)fake_time,
		  (unsigned long)vc.stimecmp, (unsigned long)fake_timer);
	fake_time += 5000;
	vcpu_timer_update(&vc);
	cr_assert(vc.sip & SIP_STIP, "time %lu = stimecmp: expected sip.STIP set, sip %#lx; fix "
		  "vcpu_timer_update(), handout task 7", (unsigned long)fake_time, (unsigned long)vc.sip);
	/* STIP stays pending until the guest's next set_timer (SBI 6.1): a real
	 * timer left armed in the past would fire at every return to the guest */
	cr_assert(fake_timer > fake_time, "time %lu = stimecmp, virtual STIP raised: expected the "
		  "real timer disarmed (hw_set_timer(UINT64_MAX)) until the guest sets a new "
		  "deadline, got it armed at %#lx, which fires again at once; fix "
		  "vcpu_timer_update(), handout task 7", (unsigned long)fake_time,
		  (unsigned long)fake_timer);
}

KIT_TEST(exit, dispatch_to_guest, .timeout = 10,
	 .description = "vcpu_handle_exit emulates a CSR access, reflects a guest ebreak, and delivers a due timer interrupt")
{
	/* the instruction is in guest RAM at pc and in stval, as QEMU reports it */
	static uint32_t ram[4096];
	uint32_t raw = CSRRS(T0, CSR_SSCRATCH, ZERO);
	gmem_init(&unit_vm, ram, PC0 & ~0xfffUL, sizeof ram);
	ram[(PC0 & 0xfff) / 4] = raw;
	setup(VMODE_S, 0, TVEC0);
	vc.sscratch = 0x99;
	vcpu_handle_exit(&vc, CAUSE_ILLEGAL_INSTRUCTION, raw, 0);
	cr_assert(vc.x[T0] == 0x99 && vc.pc == PC0 + 4, "exit cause 2, stval = csrr t0,sscratch: "
		  "expected t0 0x99 and pc + 4, got t0 %#lx pc %#lx; vcpu_handle_exit() passes this "
		  "to vcpu_emulate_insn(): fix the emulate tests first (handout task 3)",
		  (unsigned long)vc.x[T0], (unsigned long)vc.pc);

	setup(VMODE_U, 0, TVEC0);
	vcpu_handle_exit(&vc, CAUSE_BREAKPOINT, PC0, 0);
	cr_assert(vc.mode == VMODE_S && vc.pc == TVEC0 && vc.scause == CAUSE_BREAKPOINT &&
		  vc.sepc == PC0, "exit cause 3 (ebreak) from virtual U: expected the guest kernel "
		  "entered with scause 3, sepc %#lx; got mode %d pc %#lx scause %lu sepc %#lx; "
		  "fix vcpu_handle_exit(), handout task 4", (unsigned long)PC0, vc.mode,
		  (unsigned long)vc.pc, (unsigned long)vc.scause, (unsigned long)vc.sepc);

	/* the real timer fired for the guest's deadline: it sees a timer interrupt */
	setup(VMODE_U, 0, TVEC0);
	vc.sie = SIP_STIP;
	vc.stimecmp = fake_time - 1;
	vcpu_handle_exit(&vc, SCAUSE_INTERRUPT | IRQ_S_TIMER, 0, 0);
	cr_assert(vc.mode == VMODE_S && vc.pc == TVEC0 && vc.scause == (SCAUSE_INTERRUPT | IRQ_S_TIMER)
		  && vc.sepc == PC0, "real timer exit with the guest's stimecmp passed, STIE on, in U: "
		  "expected the guest entered with scause %#lx at %#lx; got mode %d pc %#lx scause "
		  "%#lx sepc %#lx; fix vcpu_handle_exit()/vcpu_timer_update(), handout task 7",
		  (unsigned long)(SCAUSE_INTERRUPT | IRQ_S_TIMER), (unsigned long)TVEC0, vc.mode,
		  (unsigned long)vc.pc, (unsigned long)vc.scause, (unsigned long)vc.sepc);
}

KIT_TEST(exit, every_exit_counted_once, .timeout = 10,
	 .description = "each exit is counted once under its class, and a system call's exits are counted from ecall to sret")
{
	static uint32_t ram[4096];
	gmem_init(&unit_vm, ram, PC0 & ~0xfffUL, sizeof ram);
	setup(VMODE_U, 0, TVEC0);
	/* 1: a system call from the guest's user program */
	vcpu_handle_exit(&vc, CAUSE_USER_ECALL, 0, 0);
	/* 2: its kernel reads sscratch (the instruction at its handler) */
	uint32_t csrr = CSRRS(T0, CSR_SSCRATCH, ZERO);
	gmem_init(&unit_vm, ram, vc.pc & ~0xfffUL, sizeof ram);
	ram[(vc.pc & 0xfff) / 4] = csrr;
	vcpu_handle_exit(&vc, CAUSE_ILLEGAL_INSTRUCTION, csrr, 0);
	/* 3: an SBI call from the kernel */
	vc.x[A7] = SBI_EXT_BASE;
	vc.x[A6] = SBI_BASE_GET_SPEC_VERSION;
	vcpu_handle_exit(&vc, CAUSE_USER_ECALL, 0, 0);
	/* 4: sret back to the user program ends the system call */
	vc.sepc = PC0 + 4;
	ram[(vc.pc & 0xfff) / 4] = INSN_SRET_RAW;
	vcpu_handle_exit(&vc, CAUSE_ILLEGAL_INSTRUCTION, INSN_SRET_RAW, 0);
	cr_assert(vc.mode == VMODE_U && vc.pc == PC0 + 4, "after ecall, csrr, SBI call, sret: expected "
		  "the user program resumed at %#lx, got mode %d pc %#lx", (unsigned long)(PC0 + 4),
		  vc.mode, (unsigned long)vc.pc);
	const struct vcpu_stats *s = &vc.stats;
	cr_assert(s->total == 4 && s->count[EXIT_SYSCALL] == 1 && s->count[EXIT_CSR] == 1 &&
		  s->count[EXIT_SBI] == 1 && s->count[EXIT_SRET] == 1, "4 exits (syscall, csr, sbi, "
		  "sret): expected total 4 and one of each class, got total %lu syscall %lu csr %lu sbi "
		  "%lu sret %lu; fix vmm/exit.c or vmm/stats.c", (unsigned long)s->total,
		  (unsigned long)s->count[EXIT_SYSCALL], (unsigned long)s->count[EXIT_CSR],
		  (unsigned long)s->count[EXIT_SBI], (unsigned long)s->count[EXIT_SRET]);
	cr_assert(s->syscalls == 1 && s->syscall_exits == 4, "one system call spanning 4 exits: "
		  "expected syscalls 1, syscall_exits 4, got %lu and %lu; fix vmm/stats.c",
		  (unsigned long)s->syscalls, (unsigned long)s->syscall_exits);
}

/*
 * unit_sbi.c: the SBI the VMM offers its guest (SBI spec 2.0: chapter 3
 * calling convention and errors, 4 Base, 6 TIME, 10 SRST, 5 legacy) and
 * ecall routing by virtual privilege (handout tasks 6 and 7).
 */
#include "unit_fakes.h"
#include "vmm_sbi.h"
#include "trap.h"

TestSuite(sbi, .init = fake_machine_reset, .timeout = 10);
TestSuite(ecall, .init = fake_machine_reset, .timeout = 10);

#define PC0   0x80200100UL
#define TVEC0 0x80100000UL
#define FIX_SBI "fix the SBI handlers in vmm/sbi*.c"

static struct vcpu vc;

static struct sbiret call(unsigned long eid, unsigned long fid, unsigned long a0, unsigned long a1)
{
	vc.x[A7] = eid;
	vc.x[A6] = fid;
	vc.x[A0] = a0;
	vc.x[A1] = a1;
	return vmm_sbi_call(&vc);
}

static void setup(void)
{
	fake_vcpu(&vc);
	vc.pc = PC0;
	vc.stvec = TVEC0;
}

KIT_TEST(sbi, base_spec_version, .timeout = 10,
	 .description = "get_spec_version succeeds with major in bits 30:24, minor in 23:0, bit 31 zero, at least 0.3")
{
	setup();
	struct sbiret r = call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0);
	cr_assert_eq(r.error, SBI_SUCCESS, "Base get_spec_version: expected error 0, got %ld; "
		     FIX_SBI " (sbi_base.c)", r.error);
	unsigned long v = (unsigned long)r.value;
	cr_assert(v >> 31 == 0, "spec version %#lx: bit 31 and up must be 0 (SBI 2.0, 4.1); "
		  FIX_SBI " (sbi_base.c)", v);
	/* SRST, which the guest may use, exists since SBI 0.3 */
	cr_assert_geq(v, 3UL, "spec version %lu.%lu: the VMM offers SRST, so it must claim at least "
		      "0.3 (SBI 2.0, 4.1: major bits 30:24, minor bits 23:0); " FIX_SBI " (sbi_base.c)",
		      v >> 24, v & 0xffffff);
}

KIT_TEST(sbi, base_probe_extension, .timeout = 10,
	 .description = "probe_extension is nonzero for Base, TIME, SRST and the kit extension, 0 for extensions not offered")
{
	setup();
	static const struct { unsigned long eid; bool present; const char *name; } t[] = {
		{ SBI_EXT_BASE, true, "Base" },
		{ SBI_EXT_TIME, true, "TIME" },
		{ SBI_EXT_SRST, true, "SRST" },
		{ SBI_EXT_KIT, true, "kit measurement" },
		{ SBI_EXT_STA, false, "STA" },
		{ 0x53555350, false, "SUSP" },
		{ 0x4E41434C, false, "NACL" },
		{ 0x12345678, false, "unallocated 0x12345678" },
		{ 0x0A000000, false, "firmware-specific 0x0A000000" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct sbiret r = call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, t[i].eid, 0);
		cr_assert_eq(r.error, SBI_SUCCESS, "probe_extension(%s): expected error 0, got %ld "
			     "(SBI 2.0, 4.4); " FIX_SBI " (sbi_base.c)", t[i].name, r.error);
		cr_assert_eq(r.value != 0, t[i].present, "probe_extension(%s, %#lx): expected %s, got "
			     "%ld (SBI 2.0, 4.4); " FIX_SBI " (sbi_base.c, table in sbi.c)", t[i].name,
			     t[i].eid, t[i].present ? "nonzero" : "0", r.value);
	}
	/* the other Base functions all succeed (any value is legal for the ids) */
	static const unsigned long fids[] = { SBI_BASE_GET_IMPL_ID, SBI_BASE_GET_IMPL_VERSION,
					      SBI_BASE_GET_MVENDORID, SBI_BASE_GET_MARCHID,
					      SBI_BASE_GET_MIMPID };
	for (size_t i = 0; i < sizeof fids / sizeof fids[0]; i++) {
		struct sbiret r = call(SBI_EXT_BASE, fids[i], 0, 0);
		cr_assert_eq(r.error, SBI_SUCCESS, "Base FID %lu: expected error 0, got %ld (SBI 2.0, "
			     "4.2-4.7); " FIX_SBI " (sbi_base.c)", fids[i], r.error);
	}
}

KIT_TEST(sbi, unsupported_calls, .timeout = 10,
	 .description = "an unknown extension or function returns SBI_ERR_NOT_SUPPORTED")
{
	setup();
	static const struct { unsigned long eid, fid; const char *what; } t[] = {
		{ 0x12345678, 0, "unknown EID 0x12345678" },
		{ SBI_EXT_STA, 0, "STA (not offered)" },
		{ SBI_EXT_BASE, 7, "Base FID 7" },
		{ SBI_EXT_BASE, 0x80000000UL, "Base FID 0x80000000" },
		{ SBI_EXT_TIME, 1, "TIME FID 1" },
		{ SBI_EXT_SRST, 1, "SRST FID 1" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		setup();
		struct sbiret r = call(t[i].eid, t[i].fid, 0, 0);
		cr_assert_eq(r.error, SBI_ERR_NOT_SUPPORTED, "[%s]: expected error -2 "
			     "(SBI_ERR_NOT_SUPPORTED, SBI 2.0, 3.2), got %ld; " FIX_SBI, t[i].what, r.error);
		cr_assert_eq(vc.state, VM_RUNNING, "[%s]: the VM must keep running", t[i].what);
	}
}

KIT_TEST(sbi, set_timer_programs_and_clears_stip, .timeout = 10,
	 .description = "set_timer records the deadline, arms the real timer and clears the pending timer interrupt")
{
	setup();
	vc.sip = SIP_STIP;	/* the previous deadline fired */
	uint64_t deadline = fake_time + 10000;
	struct sbiret r = call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline, 0);
	cr_assert_eq(r.error, SBI_SUCCESS, "set_timer(now + 10000): expected error 0, got %ld; fix "
		     "vmm/sbi_time.c, handout task 7", r.error);
	cr_assert_eq(vc.sip & SIP_STIP, 0, "set_timer(now + 10000) with STIP pending: expected sip.STIP "
		     "cleared (SBI 2.0, 6.1), sip %#lx; fix vmm/sbi_time.c, handout task 7",
		     (unsigned long)vc.sip);
	cr_assert_eq(vc.stimecmp, deadline, "set_timer(%lu): expected stimecmp %lu, got %lu; fix "
		     "vmm/sbi_time.c, handout task 7", (unsigned long)deadline, (unsigned long)deadline,
		     (unsigned long)vc.stimecmp);
	cr_assert(fake_timer_sets > 0 && fake_timer <= deadline, "set_timer(%lu): expected the real "
		  "timer armed (hw_set_timer) no later than the deadline, got %#lx; fix "
		  "vmm/sbi_time.c, handout task 7", (unsigned long)deadline, (unsigned long)fake_timer);

	/* a deadline already passed: the interrupt is due now */
	r = call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, fake_time - 1, 0);
	cr_assert(r.error == SBI_SUCCESS && ((vc.sip & SIP_STIP) || fake_timer <= fake_time),
		  "set_timer(now - 1): expected success and the timer interrupt due at once (STIP "
		  "set, or the real timer armed in the past); got error %ld sip %#lx real deadline "
		  "%#lx; fix vmm/sbi_time.c, handout task 7", r.error, (unsigned long)vc.sip,
		  (unsigned long)fake_timer);

	/* "infinitely far into the future" cancels it (SBI 2.0, 6.1) */
	vc.sip = SIP_STIP;
	r = call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, UINT64_MAX, 0);
	vcpu_timer_update(&vc);
	cr_assert(r.error == SBI_SUCCESS && !(vc.sip & SIP_STIP), "set_timer(UINT64_MAX): expected "
		  "success and STIP clear even after vcpu_timer_update(), got error %ld sip %#lx; fix "
		  "vmm/sbi_time.c, handout task 7", r.error, (unsigned long)vc.sip);
}

KIT_TEST(sbi, srst_system_reset, .timeout = 10,
	 .description = "system_reset shutdown stops the VM; a reserved type or reason is SBI_ERR_INVALID_PARAM")
{
	static const struct { unsigned long type, reason; const char *what; } bad[] = {
		{ 3, 0, "type 3 (reserved)" },
		{ 0xDFFFFFFFUL, 0, "type 0xDFFFFFFF (reserved)" },
		{ 0, 2, "reason 2 (reserved)" },
		{ 0, 0xDFFFFFFFUL, "reason 0xDFFFFFFF (reserved)" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		setup();
		struct sbiret r = call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, bad[i].type, bad[i].reason);
		cr_assert(r.error == SBI_ERR_INVALID_PARAM && vc.state == VM_RUNNING, "system_reset "
			  "[%s]: expected error -3 (SBI_ERR_INVALID_PARAM, SBI 2.0, 10.1) and the VM "
			  "still running; got error %ld state %d; " FIX_SBI " (sbi_srst.c)",
			  bad[i].what, r.error, vc.state);
	}
	setup();
	call(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE);
	cr_assert(vc.state == VM_SHUTDOWN && vc.reset_type == SBI_SRST_TYPE_SHUTDOWN &&
		  vc.reset_reason == SBI_SRST_REASON_FAILURE, "system_reset(shutdown, system failure): "
		  "expected state VM_SHUTDOWN with type 0 reason 1 recorded, got state %d type %u "
		  "reason %u; " FIX_SBI " (sbi_srst.c)", vc.state, vc.reset_type, vc.reset_reason);
	setup();
	vc.x[A7] = SBI_EXT_LEGACY_SHUTDOWN;
	vc.x[A6] = 0;
	vmm_sbi_call(&vc);
	cr_assert_eq(vc.state, VM_SHUTDOWN, "legacy shutdown (EID 0x08): expected state VM_SHUTDOWN, "
		     "got %d (SBI 2.0, 5.9); " FIX_SBI " (sbi_legacy.c)", vc.state);
}

KIT_TEST(sbi, kit_exit_counters, .timeout = 10,
	 .description = "the kit extension reports exits per class and rejects an unknown class")
{
	setup();
	vc.stats.count[EXIT_CSR] = 7;
	vc.stats.count[EXIT_SBI] = 3;
	struct sbiret r = call(SBI_EXT_KIT, SBI_KIT_EXITS_CLASS, EXIT_CSR, 0);
	cr_assert(r.error == SBI_SUCCESS && r.value == 7, "kit FID 1 (EXIT_CSR): expected 0, 7; got "
		  "%ld, %ld; fix vmm/sbi_kit.c", r.error, r.value);
	r = call(SBI_EXT_KIT, SBI_KIT_EXITS_CLASS, EXIT_NCLASSES, 0);
	cr_assert_eq(r.error, SBI_ERR_INVALID_PARAM, "kit FID 1 with class %d (out of range): "
		     "expected -3, got %ld; fix vmm/sbi_kit.c", EXIT_NCLASSES, r.error);
	vc.stats.total = 10;
	r = call(SBI_EXT_KIT, SBI_KIT_EXITS_TOTAL, 0, 0);
	cr_assert(r.error == SBI_SUCCESS && (r.value == 10 || r.value == 11), "kit FID 0 with 10 exits "
		  "counted: expected 0 and 10 (11 if the call counts itself), got %ld, %ld; fix "
		  "vmm/sbi_kit.c", r.error, r.value);
}

KIT_TEST(ecall, from_s_is_an_sbi_call, .timeout = 10,
	 .description = "ecall from virtual S is an SBI call: error in a0, value in a1, pc + 4, no trap into the guest")
{
	setup();
	vc.scause = 0x55;
	vc.x[A7] = SBI_EXT_BASE;
	vc.x[A6] = SBI_BASE_PROBE_EXTENSION;
	vc.x[A0] = SBI_EXT_TIME;
	vc.x[A2] = 0xa2;
	vcpu_ecall(&vc);
	cr_assert(vc.mode == VMODE_S && vc.pc == PC0 + 4 && vc.scause == 0x55, "ecall from virtual S: "
		  "expected an SBI call (pc %#lx, still S, scause untouched), got pc %#lx mode %d "
		  "scause %#lx; fix vcpu_ecall(), handout task 6", (unsigned long)(PC0 + 4),
		  (unsigned long)vc.pc, vc.mode, (unsigned long)vc.scause);
	cr_assert(vc.x[A0] == 0 && vc.x[A1] != 0 && vc.x[A2] == 0xa2, "probe_extension(TIME) by "
		  "ecall: expected a0 = 0, a1 != 0, a2 preserved; got a0 %#lx a1 %#lx a2 %#lx (SBI "
		  "2.0, 3.1); fix vcpu_ecall(), handout task 6", (unsigned long)vc.x[A0],
		  (unsigned long)vc.x[A1], (unsigned long)vc.x[A2]);
	setup();
	vc.x[A7] = 0x12345678;
	vcpu_ecall(&vc);
	cr_assert(vc.x[A0] == (uint64_t)(long)SBI_ERR_NOT_SUPPORTED && vc.pc == PC0 + 4, "ecall with "
		  "an unknown EID from S: expected a0 = -2 and pc + 4, got a0 %#lx pc %#lx; fix "
		  "vcpu_ecall(), handout task 6", (unsigned long)vc.x[A0], (unsigned long)vc.pc);
	/* legacy console: the byte goes out; getchar returns it in a0 (SBI 2.0, 5.2, 5.3) */
	setup();
	vc.x[A7] = SBI_EXT_LEGACY_CONSOLE_PUTCHAR;
	vc.x[A0] = 'K';
	vcpu_ecall(&vc);
	cr_assert(fake_out_len == 1 && fake_out[0] == 'K' && vc.pc == PC0 + 4, "legacy putchar('K'): "
		  "expected 'K' on the console and pc + 4, got \"%s\" pc %#lx; " FIX_SBI
		  " (sbi_legacy.c)", fake_out, (unsigned long)vc.pc);
	fake_in = "z";
	vc.x[A7] = SBI_EXT_LEGACY_CONSOLE_GETCHAR;
	vc.x[A1] = 0xa1;
	vcpu_ecall(&vc);
	cr_assert_eq(vc.x[A0], 'z', "legacy getchar with 'z' waiting: expected a0 = 'z', got %#lx; "
		     FIX_SBI " (sbi_legacy.c)", (unsigned long)vc.x[A0]);
	/* legacy calls return nothing in a1: every register but a0 is preserved (SBI 2.0, ch. 5) */
	cr_assert_eq(vc.x[A1], 0xa1, "legacy getchar: expected a1 preserved (0xa1), got %#lx: a "
		     "legacy call (EID 0x00..0x08) returns in a0 only; fix vcpu_ecall(), handout task 6",
		     (unsigned long)vc.x[A1]);
	vc.x[A7] = SBI_EXT_LEGACY_CONSOLE_GETCHAR;
	vcpu_ecall(&vc);
	cr_assert_eq(vc.x[A0], (uint64_t)-1L, "legacy getchar with nothing waiting: expected a0 = -1, "
		     "got %#lx; " FIX_SBI " (sbi_legacy.c)", (unsigned long)vc.x[A0]);
}

KIT_TEST(ecall, from_u_is_reflected, .timeout = 10,
	 .description = "ecall from virtual U is a system call: the guest kernel gets cause 8 at stvec, registers untouched")
{
	setup();
	vc.mode = VMODE_U;
	vc.sstatus = SSTATUS_SIE;
	for (unsigned r = 1; r < 32; r++)
		vc.x[r] = 0x1000 + r;
	vc.x[A7] = SBI_EXT_BASE;	/* looks like an SBI call: must not be one */
	vc.x[A6] = SBI_BASE_GET_SPEC_VERSION;
	uint64_t before[32];
	memcpy(before, vc.x, sizeof before);
	vcpu_ecall(&vc);
	cr_assert(vc.mode == VMODE_S && vc.pc == TVEC0 && vc.scause == CAUSE_USER_ECALL &&
		  vc.sepc == PC0, "ecall from virtual U: expected the guest kernel entered at %#lx "
		  "with scause 8, sepc %#lx (the ecall itself); got mode %d pc %#lx scause %lu sepc "
		  "%#lx; fix vcpu_ecall(), handout task 6", (unsigned long)TVEC0, (unsigned long)PC0,
		  vc.mode, (unsigned long)vc.pc, (unsigned long)vc.scause, (unsigned long)vc.sepc);
	cr_assert(!(vc.sstatus & SSTATUS_SPP) && (vc.sstatus & SSTATUS_SPIE), "ecall from U with "
		  "SIE = 1: expected SPP = 0, SPIE = 1, got sstatus %#lx; fix vcpu_ecall(), handout "
		  "task 6", (unsigned long)vc.sstatus);
	for (unsigned r = 1; r < 32; r++)
		cr_assert_eq(vc.x[r], before[r], "ecall from virtual U changed x%u from %#lx to %#lx: "
			     "the VMM must not answer a guest system call itself; fix vcpu_ecall(), "
			     "handout task 6", r, (unsigned long)before[r], (unsigned long)vc.x[r]);
}

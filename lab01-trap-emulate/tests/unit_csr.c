/*
 * unit_csr.c: vcpu_csr_read() and vcpu_csr_write() (handout task 2), the
 * guest's view of the S-mode CSRs with the WARL rules of the privileged
 * spec 1.12: 2.1 (CSR address map), 4.1.1 (sstatus), 4.1.2 (stvec), 4.1.3
 * (sip/sie), 4.1.5 (scounteren), 4.1.7 (sepc), 4.1.10 (senvcfg), 4.1.11
 * (satp), and the unprivileged 20191213 chapter 10 (time, a read-only CSR).
 */
#include "unit_fakes.h"
#include "csr.h"

TestSuite(csr, .init = fake_machine_reset, .timeout = 10);

#define FIX_CSR "fix vcpu_csr_read/vcpu_csr_write in vmm/csr.c, handout task 2"

static struct vcpu vc;

static uint64_t rd(unsigned csr)
{
	uint64_t val = 0xdeadbeefdeadbeefUL;
	int rc = vcpu_csr_read(&vc, csr, &val);
	cr_assert_eq(rc, 0, "vcpu_csr_read(%#x) in virtual %s-mode: expected 0 (the CSR exists), "
		     "got %d; " FIX_CSR, csr, vc.mode == VMODE_S ? "S" : "U", rc);
	return val;
}

static void wr(unsigned csr, uint64_t val)
{
	int rc = vcpu_csr_write(&vc, csr, val);
	cr_assert_eq(rc, 0, "vcpu_csr_write(%#x, %#lx): expected 0 (writable S-mode CSR), got %d; "
		     FIX_CSR, csr, (unsigned long)val, rc);
}

static uint64_t write_read(unsigned csr, uint64_t val)
{
	wr(csr, val);
	return rd(csr);
}

KIT_TEST(csr, plain_registers_round_trip, .timeout = 10,
	 .description = "sscratch, sepc, scause and stval keep what is written (sepc bit 0 reads 0)")
{
	fake_vcpu(&vc);
	static const struct { unsigned csr; uint64_t in, out; const char *why; } t[] = {
		{ CSR_SSCRATCH, 0x0123456789abcdefUL, 0x0123456789abcdefUL, "all 64 bits (4.1.6)" },
		{ CSR_SSCRATCH, ~0UL, ~0UL, "all 64 bits (4.1.6)" },
		{ CSR_SEPC, 0x80201234UL, 0x80201234UL, "a 2-aligned pc (4.1.7)" },
		{ CSR_SEPC, 0x80200003UL, 0x80200002UL, "sepc[0] is always 0; C is on, so IALIGN = 16 (4.1.7)" },
		{ CSR_SCAUSE, 2, 2, "an exception code (4.1.8)" },
		{ CSR_SCAUSE, SCAUSE_INTERRUPT | 5, SCAUSE_INTERRUPT | 5, "an interrupt code (4.1.8)" },
		{ CSR_STVAL, 0x80201234UL, 0x80201234UL, "an address (4.1.9)" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		uint64_t got = write_read(t[i].csr, t[i].in);
		cr_assert_eq(got, t[i].out, "csr %#x: wrote %#lx, expected to read %#lx (%s), got %#lx; "
			     FIX_CSR, t[i].csr, (unsigned long)t[i].in, (unsigned long)t[i].out,
			     t[i].why, (unsigned long)got);
	}
}

/* Every field sstatus defines (priv 1.12, figure 4.2); the rest is WPRI, read-only 0. */
#define SSTATUS_DEFINED (SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_UBE | SSTATUS_SPP | SSTATUS_VS | \
			 SSTATUS_FS | SSTATUS_XS | SSTATUS_SUM | SSTATUS_MXR | SSTATUS_UXL | \
			 SSTATUS_SD)

static void check_sd(uint64_t s, const char *after)
{
	/* 4.1.1 (and 3.1.6.6): SD summarizes FS, VS or XS = Dirty */
	bool dirty = (s & SSTATUS_FS) == SSTATUS_FS || (s & SSTATUS_XS) == SSTATUS_XS ||
		     (s & SSTATUS_VS) == SSTATUS_VS;
	cr_assert_eq(!!(s & SSTATUS_SD), dirty, "sstatus after %s = %#lx: SD must be 1 exactly when "
		     "FS, VS or XS reads Dirty (3) (priv 4.1.1, 3.1.6.6); got SD = %d; " FIX_CSR,
		     after, (unsigned long)s, !!(s & SSTATUS_SD));
}

KIT_TEST(csr, sstatus_warl, .timeout = 10,
	 .description = "sstatus: SIE, SPIE, SPP and FS are writable, WPRI bits read 0, UXL reads 2, SD summarizes FS")
{
	fake_vcpu(&vc);
	uint64_t s = write_read(CSR_SSTATUS, ~0UL);
	uint64_t need = SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP;
	cr_assert_eq(s & need, need, "wrote sstatus = ~0, read %#lx: expected SIE (bit 1), SPIE "
		     "(bit 5) and SPP (bit 8) set (priv 4.1.1); " FIX_CSR, (unsigned long)s);
	cr_assert_eq(s & ~SSTATUS_DEFINED, 0, "wrote sstatus = ~0, read %#lx: bits %#lx are WPRI and "
		     "must read 0 (priv 2.3, 4.1.1); " FIX_CSR, (unsigned long)s,
		     (unsigned long)(s & ~SSTATUS_DEFINED));
	cr_assert_eq((s & SSTATUS_UXL) >> 32, 2, "sstatus = %#lx: UXL (bits 33:32) must read 2, "
		     "U-mode is 64-bit (priv 4.1.1.1), got %lu; " FIX_CSR, (unsigned long)s,
		     (unsigned long)((s & SSTATUS_UXL) >> 32));
	check_sd(s, "writing ~0");

	s = write_read(CSR_SSTATUS, 0);
	cr_assert_eq(s & (need | SSTATUS_SUM | SSTATUS_MXR | SSTATUS_FS), 0, "wrote sstatus = 0, "
		     "read %#lx: SIE, SPIE, SPP, SUM, MXR and FS must read 0; " FIX_CSR, (unsigned long)s);
	cr_assert_eq((s & SSTATUS_UXL) >> 32, 2, "wrote sstatus = 0, read %#lx: UXL is read-only 2 "
		     "(priv 4.1.1.1); " FIX_CSR, (unsigned long)s);
	check_sd(s, "writing 0");

	s = write_read(CSR_SSTATUS, SSTATUS_SPP | SSTATUS_SIE);
	cr_assert_eq(s & need, SSTATUS_SPP | SSTATUS_SIE, "wrote SPP|SIE, read %#lx: expected "
		     "exactly SPP and SIE of {SIE, SPIE, SPP}; " FIX_CSR, (unsigned long)s);

	/* FS is the guest's own: the VMM virtualizes it (REFERENCES, trap-and-emulate) */
	s = write_read(CSR_SSTATUS, SSTATUS_FS_DIRTY);
	cr_assert_eq(s & SSTATUS_FS, SSTATUS_FS_DIRTY, "wrote FS = Dirty, read %#lx: the guest "
		     "kernel manages FS, it must read back 3; " FIX_CSR, (unsigned long)s);
	check_sd(s, "writing FS = Dirty");
	s = write_read(CSR_SSTATUS, SSTATUS_FS_INITIAL);
	cr_assert_eq(s & SSTATUS_FS, SSTATUS_FS_INITIAL, "wrote FS = Initial, read %#lx; " FIX_CSR,
		     (unsigned long)s);
	check_sd(s, "writing FS = Initial");
}

KIT_TEST(csr, sie_sip_masks, .timeout = 10,
	 .description = "sie holds SSIE, STIE, SEIE only; in sip only SSIP is writable, STIP and SEIP are read-only")
{
	fake_vcpu(&vc);
	const uint64_t s_irqs = SIP_SSIP | SIP_STIP | SIP_SEIP;
	uint64_t got = write_read(CSR_SIE, ~0UL);
	cr_assert_eq(got & s_irqs, s_irqs, "wrote sie = ~0, read %#lx: expected SSIE, STIE and SEIE "
		     "(bits 1, 5, 9) set (priv 4.1.3); " FIX_CSR, (unsigned long)got);
	/* bit 13 is LCOFIE (Sscofpmf), allowed but not required */
	cr_assert_eq(got & ~(s_irqs | (1UL << 13)), 0, "wrote sie = ~0, read %#lx: M-level and "
		     "unknown interrupt bits %#lx must read 0 (priv 4.1.3); " FIX_CSR,
		     (unsigned long)got, (unsigned long)(got & ~(s_irqs | (1UL << 13))));
	got = write_read(CSR_SIE, SIP_STIP);
	cr_assert_eq(got, SIP_STIP, "wrote sie = STIE, read %#lx; " FIX_CSR, (unsigned long)got);

	got = write_read(CSR_SIP, ~0UL);
	cr_assert_eq(got, SIP_SSIP, "no interrupt pending, wrote sip = ~0, read %#lx: expected "
		     "only SSIP (%#lx): STIP and SEIP are read-only in sip (priv 4.1.3); " FIX_CSR,
		     (unsigned long)got, (unsigned long)SIP_SSIP);
	/* the VMM raises the timer and external lines (vcpu_timer_update, a PLIC model) */
	vc.sip |= SIP_STIP | SIP_SEIP;
	got = write_read(CSR_SIP, 0);
	cr_assert_eq(got, SIP_STIP | SIP_SEIP, "STIP and SEIP pending, wrote sip = 0, read %#lx: "
		     "expected SSIP cleared and STIP|SEIP (%#lx) still pending, the guest cannot "
		     "clear them by writing sip (priv 4.1.3); " FIX_CSR, (unsigned long)got,
		     (unsigned long)(SIP_STIP | SIP_SEIP));
}

KIT_TEST(csr, stvec_modes, .timeout = 10,
	 .description = "stvec keeps a direct or vectored BASE|MODE and never reads back a reserved MODE")
{
	fake_vcpu(&vc);
	uint64_t got = write_read(CSR_STVEC, 0x80201000UL);
	cr_assert_eq(got, 0x80201000UL, "wrote stvec = 0x80201000 (direct), read %#lx; " FIX_CSR,
		     (unsigned long)got);
	got = write_read(CSR_STVEC, 0x80201001UL);
	cr_assert_eq(got, 0x80201001UL, "wrote stvec = 0x80201001 (vectored), read %#lx: both "
		     "modes must be supported (priv 4.1.2); " FIX_CSR, (unsigned long)got);
	for (uint64_t mode = 2; mode <= 3; mode++) {
		got = write_read(CSR_STVEC, 0x80202000UL | mode);
		cr_assert_leq(got & STVEC_MODE_MASK, 1, "wrote stvec MODE = %lu (reserved), read %#lx: "
			      "MODE is WARL, it must read a legal value 0 or 1 (priv 4.1.2); " FIX_CSR,
			      (unsigned long)mode, (unsigned long)got);
	}
}

KIT_TEST(csr, satp_unsupported_mode_ignored, .timeout = 10,
	 .description = "a satp write with an unsupported MODE has no effect at all; Bare is accepted")
{
	fake_vcpu(&vc);
	uint64_t got = write_read(CSR_SATP, 0);
	cr_assert_eq(got, 0, "wrote satp = 0 (Bare), read %#lx; " FIX_CSR, (unsigned long)got);
	/* MODE 1..7 are reserved for standard use: unsupported everywhere (priv 4.1.11) */
	for (uint64_t mode = 1; mode <= 7; mode++) {
		uint64_t val = mode << SATP_MODE_SHIFT | 3UL << SATP_ASID_SHIFT | 0x80123;
		int rc = vcpu_csr_write(&vc, CSR_SATP, val);
		got = rd(CSR_SATP);
		cr_assert(rc == 0 && got == 0, "wrote satp = %#lx (MODE %lu, reserved): expected the "
			  "write to succeed with no effect at all, satp still 0 (priv 4.1.11); got "
			  "rc %d, satp %#lx; " FIX_CSR, (unsigned long)val, (unsigned long)mode, rc,
			  (unsigned long)got);
	}
}

KIT_TEST(csr, counters_and_config, .timeout = 10,
	 .description = "time reads the real time and is read-only; scounteren is 32-bit; senvcfg WPRI bits read 0")
{
	fake_vcpu(&vc);
	fake_time = 0x123456789UL;
	uint64_t got = rd(CSR_TIME);
	cr_assert_eq(got, 0x123456789UL, "csrr time: expected hw_time() = 0x123456789, got %#lx; "
		     FIX_CSR, (unsigned long)got);
	/* bits 11:10 = 11: read-only; a write raises illegal instruction (priv 2.1) */
	static const unsigned ro[] = { CSR_CYCLE, CSR_TIME, CSR_INSTRET };
	for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++) {
		int rc = vcpu_csr_write(&vc, ro[i], 0);
		cr_assert_eq(rc, -1, "vcpu_csr_write(%#x) (a read-only CSR): expected -1, got %d "
			     "(priv 2.1); " FIX_CSR, ro[i], rc);
	}
	got = write_read(CSR_SCOUNTEREN, ~0UL);
	cr_assert_eq(got >> 32, 0, "wrote scounteren = ~0, read %#lx: scounteren is a 32-bit "
		     "register (priv 4.1.5); " FIX_CSR, (unsigned long)got);
	got = write_read(CSR_SENVCFG, ~0UL);
	cr_assert_eq(got & ~0xf1UL, 0, "wrote senvcfg = ~0, read %#lx: only FIOM (bit 0) and the "
		     "Zicbo* fields (bits 7:4) exist, the rest is WPRI (priv 4.1.10); " FIX_CSR,
		     (unsigned long)got);
}

/*
 * What a virtual S-mode may find at each CSR number. MUST: the S-mode
 * CSRs of lab01 and time. MAY: standard CSRs of extensions the VMM may or
 * may not give its guest. Everything else (M-level, H-level, custom,
 * unallocated numbers) must be illegal.
 */
enum csr_class { CSR_MUST_FAIL, CSR_MAY, CSR_MUST_EXIST };

static enum csr_class classify(unsigned csr)
{
	switch (csr) {
	case CSR_SSTATUS: case CSR_SIE: case CSR_STVEC: case CSR_SCOUNTEREN: case CSR_SENVCFG:
	case CSR_SSCRATCH: case CSR_SEPC: case CSR_SCAUSE: case CSR_STVAL: case CSR_SIP:
	case CSR_SATP: case CSR_TIME:
		return CSR_MUST_EXIST;
	}
	if ((csr >= 0x001 && csr <= 0x003) ||	/* fflags, frm, fcsr (F) */
	    (csr >= 0x008 && csr <= 0x00f) ||	/* vstart .. vcsr (V) */
	    csr == 0x015 ||			/* seed (Zkr) */
	    (csr >= 0xc00 && csr <= 0xc22) ||	/* counters, vl, vtype, vlenb */
	    (csr >= 0x10c && csr <= 0x10f) ||	/* sstateen0..3 */
	    csr == 0x14d ||			/* stimecmp (Sstc) */
	    (csr >= 0x150 && csr <= 0x15f) ||	/* AIA siselect, sireg, stopei */
	    csr == 0x5a8 ||			/* scontext (Sdtrig) */
	    csr == 0xda0 || csr == 0xdb0)	/* scountovf, stopi */
		return CSR_MAY;
	return CSR_MUST_FAIL;
}

KIT_TEST(csr, every_csr_number_classified, .timeout = 20,
	 .description = "of all 4096 CSR numbers, the S-mode CSRs exist and every M, H, custom or unknown one is illegal")
{
	char bad[512] = "";
	size_t bad_len = 0;
	unsigned nbad = 0;
	for (unsigned csr = 0; csr < 4096; csr++) {
		enum csr_class c = classify(csr);
		if (c == CSR_MAY)
			continue;
		fake_vcpu(&vc);
		uint64_t val = 0;
		int rrc = vcpu_csr_read(&vc, csr, &val);
		/* a zero write is harmless to every legal CSR (satp Bare, sstatus all off) */
		int wrc = vcpu_csr_write(&vc, csr, 0);
		bool ro = (csr >> 10) == 3;
		bool ok = c == CSR_MUST_EXIST ? (rrc == 0 && wrc == (ro ? -1 : 0))
					      : (rrc == -1 && wrc == -1);
		if (!ok) {
			nbad++;
			if (bad_len + 40 < sizeof bad)
				bad_len += (size_t)snprintf(bad + bad_len, sizeof bad - bad_len,
							    " %#x(read %d, write %d)", csr, rrc, wrc);
		}
	}
	cr_assert_eq(nbad, 0, "%u CSR numbers answered wrongly from virtual S-mode:%s%s. Expected: "
		     "the lab01 S-mode CSRs and time read with 0 (time: write -1, read-only); M-level "
		     "(bits 9:8 = 11), H-level (10), custom and unallocated numbers -1 for read and "
		     "write (priv 2.1, 2.2); " FIX_CSR, nbad, bad, nbad > 10 ? " ..." : "");
}

KIT_TEST(csr, user_mode_privilege, .timeout = 10,
	 .description = "in virtual U-mode S-level CSRs are illegal and time needs scounteren.TM")
{
	fake_vcpu(&vc);
	vc.mode = VMODE_U;
	static const unsigned s_csrs[] = { CSR_SSTATUS, CSR_SIE, CSR_STVEC, CSR_SSCRATCH, CSR_SEPC,
					   CSR_SIP, CSR_SATP };
	for (size_t i = 0; i < sizeof s_csrs / sizeof s_csrs[0]; i++) {
		uint64_t val;
		int rrc = vcpu_csr_read(&vc, s_csrs[i], &val);
		int wrc = vcpu_csr_write(&vc, s_csrs[i], 0);
		cr_assert(rrc == -1 && wrc == -1, "csr %#x from virtual U-mode: expected read -1 and "
			  "write -1 (bits 9:8 = 01: S-level, priv 2.1), got %d and %d; " FIX_CSR,
			  s_csrs[i], rrc, wrc);
	}
	uint64_t val;
	vc.scounteren = 0;
	int rc = vcpu_csr_read(&vc, CSR_TIME, &val);
	cr_assert_eq(rc, -1, "time from virtual U with scounteren.TM = 0: expected -1 (priv 4.1.5), "
		     "got %d; " FIX_CSR, rc);
	vc.scounteren = 1UL << 1;
	fake_time = 777;
	rc = vcpu_csr_read(&vc, CSR_TIME, &val);
	cr_assert(rc == 0 && val == 777, "time from virtual U with scounteren.TM = 1: expected rc 0 "
		  "and hw_time() = 777, got rc %d, %lu (priv 4.1.5); " FIX_CSR, rc, (unsigned long)val);
}

TestSuite(vcpu, .init = fake_machine_reset, .timeout = 10);

KIT_TEST(vcpu, reset_like_opensbi, .timeout = 10,
	 .description = "vcpu_reset starts the guest as SBI starts a hart: S-mode at entry, a0 = hartid, a1 = device tree, satp = 0, SIE = 0, no timer")
{
	memset(&vc, 0x5a, sizeof vc);
	vcpu_reset(&vc, GUEST_ENTRY, 3, GUEST_DTB);
	/* SBI 2.0, 9.1 (hart_start): satp = 0, sstatus.SIE = 0, a0 = hartid, a1 = opaque */
	cr_assert(vc.mode == VMODE_S && vc.pc == GUEST_ENTRY && vc.x[10] == 3 && vc.x[11] == GUEST_DTB,
		  "vcpu_reset(entry %#lx, hart 3, dtb %#lx): expected virtual S at entry with a0 = 3, "
		  "a1 = dtb; got mode %d pc %#lx a0 %#lx a1 %#lx; fix vcpu_reset() in vmm/vcpu.c",
		  (unsigned long)GUEST_ENTRY, (unsigned long)GUEST_DTB, vc.mode, (unsigned long)vc.pc,
		  (unsigned long)vc.x[10], (unsigned long)vc.x[11]);
	cr_assert(vc.satp == 0 && !(vc.sstatus & SSTATUS_SIE) && vc.sie == 0 && vc.sip == 0 &&
		  vc.x[0] == 0, "after vcpu_reset: expected satp 0 (Bare), SIE 0, sie 0, sip 0, x0 0; "
		  "got satp %#lx sstatus %#lx sie %#lx sip %#lx x0 %#lx; fix vcpu_reset() in vmm/vcpu.c",
		  (unsigned long)vc.satp, (unsigned long)vc.sstatus, (unsigned long)vc.sie,
		  (unsigned long)vc.sip, (unsigned long)vc.x[0]);
	cr_assert(vc.stimecmp == UINT64_MAX && vc.state == VM_RUNNING, "after vcpu_reset: expected no "
		  "timer deadline (UINT64_MAX) and VM_RUNNING, got stimecmp %#lx state %d; fix "
		  "vcpu_reset() in vmm/vcpu.c", (unsigned long)vc.stimecmp, vc.state);
}

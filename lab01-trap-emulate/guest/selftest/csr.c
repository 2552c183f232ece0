/*
 * csr.c: the S-mode CSRs as a kernel sees them (priv 1.12, chapter 4;
 * Zicsr, chapter 9 of the unprivileged spec). Under the VMM every access
 * here traps and is emulated; the values must be the hardware's.
 */
#include "checks.h"
#include "kernel.h"


/* csr_rw: each register holds what the spec says it must. */
void group_csr_rw(void)
{
	uint64_t a, b, c;

	csr_write(sscratch, 0x0123456789abcdefULL);
	a = csr_read(sscratch);
	csr_write(sscratch, 0);
	b = csr_read(sscratch);
	CHECK("sscratch_rw", a, b);

	csr_write(sepc, 0x80201234ULL);
	a = csr_read(sepc);
	/* QEMU 7.2 keeps sepc[0] when written (the spec makes it 0), so
	 * only sepc[1] and a high address are checked: both must hold */
	csr_write(sepc, 0x80201232ULL);
	b = csr_read(sepc);
	csr_write(sepc, 0xffffffffc0201234ULL);
	c = csr_read(sepc);
	CHECK("sepc_rw", a, b, c);

	csr_write(stval, 0x80201234ULL);
	a = csr_read(stval);
	csr_write(stval, 0);
	b = csr_read(stval);
	CHECK("stval_rw", a, b);

	csr_write(scause, 2);
	a = csr_read(scause);
	csr_write(scause, SCAUSE_INTERRUPT | IRQ_S_TIMER);
	b = csr_read(scause);
	CHECK("scause_rw", a, b);

	/* no trap can come while stvec points nowhere: nothing is enabled */
	csr_write(stvec, 0x80201000ULL);
	a = csr_read(stvec);
	csr_write(stvec, 0x80201100ULL | STVEC_MODE_VECTORED);
	b = csr_read(stvec);
	csr_write(stvec, (uint64_t)trap_vector);
	CHECK("stvec_rw", a, b);

	csr_write(satp, 0);
	CHECK("satp_bare", csr_read(satp));

	csr_write(scounteren, 7);
	a = csr_read(scounteren);
	csr_write(scounteren, 0);
	b = csr_read(scounteren);
	CHECK("scounteren_rw", a & 7, b & 7);

	/* senvcfg (0x10a): the assembler may not know its name */
	csr_write(0x10a, 0);
	a = csr_read(0x10a);
	csr_write(0x10a, ~0ULL);
	b = csr_read(0x10a);
	csr_write(0x10a, 0);
	CHECK("senvcfg_rw", a, b & ~SENVCFG_DEFINED);
}

static uint64_t sstatus_bit_rw(uint64_t bit)
{
	csr_set(sstatus, bit);
	uint64_t on = (csr_read(sstatus) & bit) != 0;
	csr_clear(sstatus, bit);
	uint64_t off = (csr_read(sstatus) & bit) != 0;
	return on << 1 | off;
}

/* csr_warl: fixed, read-only and masked fields. */
void group_csr_warl(void)
{
	uint64_t v, a, b, c;

	v = sstatus_bit_rw(SSTATUS_SPP);
	CHECK("sstatus_spp", v >> 1, v & 1);
	v = sstatus_bit_rw(SSTATUS_SPIE);
	CHECK("sstatus_spie", v >> 1, v & 1);
	/* sie = 0: setting SIE cannot take an interrupt */
	csr_write(sie, 0);
	v = sstatus_bit_rw(SSTATUS_SIE);
	CHECK("sstatus_sie", v >> 1, v & 1);

	/* UXL is read-only 2 (64-bit U) on a hart with only RV64 U-mode */
	CHECK("sstatus_uxl", (csr_read(sstatus) & SSTATUS_UXL) >> 32);

	uint64_t fs[6];
	static const uint64_t fs_vals[3] = { SSTATUS_FS_INITIAL, SSTATUS_FS_DIRTY, SSTATUS_FS_OFF };
	for (int i = 0; i < 3; i++) {
		csr_clear(sstatus, SSTATUS_FS);
		csr_set(sstatus, fs_vals[i]);
		v = csr_read(sstatus);
		fs[2 * i] = (v & SSTATUS_FS) >> 13;
		fs[2 * i + 1] = v >> 63;
	}
	CHECK("sstatus_fs_sd", fs[0], fs[1], fs[2], fs[3], fs[4], fs[5]);

	v = csr_read(sstatus);
	csr_write(sstatus, v | SSTATUS_WPRI_MASK);
	a = csr_read(sstatus);
	csr_write(sstatus, v);
	CHECK("sstatus_wpri", a & SSTATUS_WPRI_MASK);

	/* sstatus.SIE is 0: enabling every source cannot take an interrupt */
	csr_write(sie, ~0ULL);
	a = csr_read(sie);
	csr_write(sie, 0);
	b = csr_read(sie);
	CHECK("sie_mask", a & 0x222, a & 0x888, b & 0x222);

	csr_set(sip, SIP_SSIP);
	a = csr_read(sip) & SIP_SSIP;
	csr_clear(sip, SIP_SSIP);
	b = csr_read(sip) & SIP_SSIP;
	CHECK("sip_ssip", a, b);

	/* no timer is armed (kmain), so STIP is 0 and a write cannot set it */
	csr_set(sip, SIP_STIP);
	c = csr_read(sip) & SIP_STIP;
	CHECK("sip_stip_readonly", c);

	csr_write(satp, 0);
	csr_write(satp, 1ULL << SATP_MODE_SHIFT | 0x1234);
	CHECK("satp_mode_unsupported", csr_read(satp));
}

/* csr_forms: csrrw, csrrs, csrrc and their immediate forms (Zicsr 9.1). */
void group_csr_forms(void)
{
	uint64_t t0, t1, t2, t3, t4, t5, fin;

	csr_write(sscratch, 0xf0f0f0f0f0f0f0f0ULL);
	__asm__ volatile("csrrw %0, sscratch, %1" : "=r"(t0) : "r"(0x1111000011110000ULL));
	__asm__ volatile("csrrs %0, sscratch, %1" : "=r"(t1) : "r"(0x2222ULL));
	__asm__ volatile("csrrc %0, sscratch, %1" : "=r"(t2) : "r"(0x10000200ULL));
	__asm__ volatile("csrrwi %0, sscratch, 0x15" : "=r"(t3));
	__asm__ volatile("csrrsi %0, sscratch, 0x0a" : "=r"(t4));
	__asm__ volatile("csrrci %0, sscratch, 0x03" : "=r"(t5));
	fin = csr_read(sscratch);
	csr_write(sscratch, 0);
	CHECK("csr_six_forms", t0, t1, t2, t3, t4, t5, fin);

	/* rs1 = x0 or uimm = 0: csrrs/csrrc read and do not write */
	uint64_t a, b, c;
	csr_write(sscratch, 0xabcdef);
	__asm__ volatile("csrrs %0, sscratch, x0" : "=r"(a));
	__asm__ volatile("csrrsi %0, sscratch, 0" : "=r"(b));
	__asm__ volatile("csrrci %0, sscratch, 0" : "=r"(c));
	/* rd = x0: csrrw writes and does not read (csrw) */
	__asm__ volatile("csrrw x0, sscratch, %0" :: "r"(0x123ULL));
	uint64_t d = csr_read(sscratch);
	csr_write(sscratch, 0);
	CHECK("csr_x0_forms", a, b, c, d);

	/* rd and rs1 encodings beyond a0..a5: the VMM decodes every register */
	uint64_t ra7, rs11, rt6;
	__asm__ volatile("li t6, 0xa7a7\n\tcsrw sscratch, t6\n\tcsrr a7, sscratch\n\tmv %0, a7"
			 : "=r"(ra7) :: "t6", "a7");
	__asm__ volatile("li a7, 0x5b5b\n\tcsrrw s11, sscratch, a7\n\tcsrr s11, sscratch\n\tmv %0, s11"
			 : "=r"(rs11) :: "a7", "s11");
	__asm__ volatile("li s11, 0x7676\n\tcsrw sscratch, s11\n\tcsrr t6, sscratch\n\tmv %0, t6"
			 : "=r"(rt6) :: "s11", "t6");
	csr_write(sscratch, 0);
	CHECK("csr_rd_regs", ra7, rs11, rt6);
}

/* compressed: traps at 2-byte instructions, and a CSR access at pc % 4 == 2. */
void group_compressed(void)
{
	uint64_t at;

	rec_arm();
	__asm__ volatile(".option push\n\t.option rvc\n\t"
			 "lla %0, 1f\n1:\tc.ebreak\n\t.option pop" : "=r"(at));
	CHECK("c_ebreak", rec.scause, rec.count == 1 && rec.sepc == at, rec.insn_len);

	rec_arm();
	/* 0x0000 is the defined-illegal compressed instruction (16.6) */
	__asm__ volatile("lla %0, 1f\n1:\t.2byte 0\n\t" : "=r"(at));
	CHECK("c_illegal", rec.scause, rec.count == 1 && rec.sepc == at && rec.stval == 0,
	      rec.insn_len);

	rec_arm();
	__asm__ volatile(".option push\n\t.option norvc\n\t"
			 "lla %0, 1f\n1:\tebreak\n\t.option pop" : "=r"(at));
	CHECK("ebreak_32", rec.scause, rec.count == 1 && rec.sepc == at, rec.insn_len);

	/* csrr at a halfword boundary, compressed instructions around it */
	uint64_t x, y;
	csr_write(sscratch, 0x4242);
	__asm__ volatile(".option push\n\t.option rvc\n\t"
			 ".balign 4\n\t"
			 "c.nop\n\t"
			 "csrr %0, sscratch\n\t"
			 "c.addi %0, 1\n\t"
			 "mv %1, %0\n\t"
			 "c.addi %1, 1\n\t"
			 ".option pop"
			 : "=&r"(x), "=&r"(y));
	csr_write(sscratch, 0);
	CHECK("csr_at_halfword", x, y);
}

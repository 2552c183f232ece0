/*
 * csr.c: the guest's CSRs (priv 1.12, chapter 4), read and written with
 * each field's WARL/WLRL rule. Every other CSR number is illegal for the
 * guest: M-level and H-level ones (priv 2.1: csr[9:8] is the lowest
 * privilege that may access it), and S-level ones the kit does not offer
 * (stimecmp, the AIA registers ...).
 *
 * Counters (cycle, time, instret): the guest sees the real ones (there is
 * no offset to hide: its clock is the machine's). From virtual U a read
 * needs the guest's scounteren bit (priv 4.1.5); hpmcounter3..31 do not
 * exist (illegal).
 */
#include "csr.h"
#include "mmu.h"
#include "hw.h"
#include "todo.h"

/* Lowest privilege that may access csr (priv 2.1): 0 U, 1 S, 2 H, 3 M. */
static unsigned csr_priv(unsigned csr)
{
	return (csr >> 8) & 3;
}

/* Read-only CSRs have csr[11:10] = 11 (priv 2.1). */
static int csr_read_only(unsigned csr)
{
	return ((csr >> 10) & 3) == 3;
}

static int counter_allowed(const struct vcpu *v, unsigned csr)
{
	if (v->mode == VMODE_S)
		return 1;
	return (v->scounteren >> (csr - CSR_CYCLE)) & 1;
}

int vcpu_csr_read(struct vcpu *v, unsigned csr, uint64_t *val)
{
	// BEGIN SOLUTION: the guest's view of each CSR (priv 4.1)
	uint64_t x;

	if (csr_priv(csr) > (unsigned)v->mode)
		return -1;
	switch (csr) {
	case CSR_SSTATUS:
		x = (v->sstatus & VSSTATUS_WRITABLE) | SSTATUS_UXL_64;
		/* SD summarizes FS/VS/XS = Dirty (priv 4.1.1.6) */
		if ((x & SSTATUS_FS) == SSTATUS_FS_DIRTY)
			x |= SSTATUS_SD;
		break;
	case CSR_SIE:        x = v->sie & VSIE_WRITABLE; break;
	case CSR_SIP:        x = v->sip & VSIE_WRITABLE; break;
	case CSR_STVEC:      x = v->stvec; break;
	case CSR_SCOUNTEREN: x = v->scounteren; break;
	case CSR_SENVCFG:    x = v->senvcfg; break;
	case CSR_SSCRATCH:   x = v->sscratch; break;
	case CSR_SEPC:       x = v->sepc; break;
	case CSR_SCAUSE:     x = v->scause; break;
	case CSR_STVAL:      x = v->stval; break;
	case CSR_SATP:       x = v->satp; break;
	case CSR_CYCLE:
	case CSR_TIME:
	case CSR_INSTRET:
		if (!counter_allowed(v, csr))
			return -1;
		x = csr == CSR_TIME ? hw_time() : csr == CSR_CYCLE ? hw_cycle() : hw_instret();
		break;
	default:
		return -1;
	}
	*val = x;
	return 0;
	// STARTER:
	// TODO("vcpu_csr_read", "lab01 handout, task 2");
	// (void)v, (void)csr, (void)val, (void)csr_priv, (void)counter_allowed;
	// return -1;
	// END SOLUTION
}

int vcpu_csr_write(struct vcpu *v, unsigned csr, uint64_t val)
{
	// BEGIN SOLUTION: WARL writes (priv 4.1)
	if (csr_priv(csr) > (unsigned)v->mode || csr_read_only(csr))
		return -1;
	switch (csr) {
	case CSR_SSTATUS:
		v->sstatus = (v->sstatus & ~VSSTATUS_WRITABLE) | (val & VSSTATUS_WRITABLE);
		break;
	case CSR_SIE:
		v->sie = val & VSIE_WRITABLE;
		break;
	case CSR_SIP:
		v->sip = (v->sip & ~VSIP_WRITABLE) | (val & VSIP_WRITABLE);
		break;
	case CSR_STVEC:
		/* MODE >= 2 is reserved (4.1.2): like QEMU, ignore such a write */
		if ((val & STVEC_MODE_MASK) <= STVEC_MODE_VECTORED)
			v->stvec = val;
		break;
	case CSR_SCOUNTEREN:
		v->scounteren = val & VSCOUNTEREN_WRITABLE;
		break;
	case CSR_SENVCFG:
		v->senvcfg = val & VSENVCFG_WRITABLE;
		break;
	case CSR_SSCRATCH:
		v->sscratch = val;
		break;
	case CSR_SEPC:
		/* with C, IALIGN = 16: bit 0 is always zero (4.1.7) */
		v->sepc = val & ~1UL;
		break;
	case CSR_SCAUSE:
		v->scause = val;
		break;
	case CSR_STVAL:
		v->stval = val;
		break;
	case CSR_SATP:
		/* WARL by the modes the guest-memory backend offers (4.1.11) */
		mmu_satp_write(v, val);
		break;
	default:
		return -1;
	}
	return 0;
	// STARTER:
	// TODO("vcpu_csr_write", "lab01 handout, task 2");
	// (void)v, (void)csr, (void)val, (void)csr_read_only;
	// return -1;
	// END SOLUTION
}

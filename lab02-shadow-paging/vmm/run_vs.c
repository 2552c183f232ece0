/*
 * run_vs.c: lab02's nested-mode run loop (lab01's run.h): the guest runs
 * in VS-mode (its user programs in VU), with the H extension (priv 1.12,
 * chapter 8). Its S-level CSRs are the hardware's VS CSRs while it runs:
 * its CSR instructions, sret, wfi, satp writes and sfence.vma execute
 * without the VMM, and its traps go to its own stvec in hardware.
 *
 * The vCPU (struct vcpu) stays the one copy the VMM's C code reads and
 * writes: the VS CSRs are saved into it on every exit and loaded from it
 * on every entry, so lab01's injection (trap.c), SBI (sbi.c) and device
 * emulation (mmio.c) work on it unchanged. trapvec.S saves and restores
 * the registers and returns with sret: hstatus.SPV = 1 makes that sret
 * enter VS or VU-mode (sstatus.SPP), 8.6.4.
 */
#include "gmem.h"
#include "riscv.h"
#include "run.h"
#include "stats.h"
#include "vcpus.h"
#include "vs_exit.h"
#include "vs_hw.h"

/* hideleg: the VS-level interrupts are the guest's S-level ones */
#define HIDELEG_GUEST (HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP)
/*
 * hcounteren (8.2.6): cycle, time, instret readable in VS-mode (as lab01
 * gives its virtual S all three): the real counters, time without offset
 * (htimedelta 0). For VU, the guest's own scounteren decides, in
 * hardware.
 */
#define HCOUNTEREN_GUEST 7UL
/*
 * henvcfg (8.2.5): 0. STCE = 0: no Sstc for the guest, its stimecmp
 * raises virtual instruction, injected as illegal; the guest's device
 * tree says rv64imac, so Linux uses SBI set_timer. PBMTE, CBIE, CBCFE,
 * CBZE = 0 and FIOM = 0: none of those offered.
 */
#define HENVCFG_GUEST 0UL

uint64_t hw_set_hgatp(uint64_t hgatp)
{
	csr_write(hgatp, hgatp);
	/* hfence.gvma x0, x0 (8.3.2): no G-stage entry cached before stays */
	__asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" ::: "memory");
	return csr_read(hgatp);
}

/* The guest's VS state into the vCPU, after a trap from VS or VU. */
static void save_guest(struct vcpu *v)
{
	/* sstatus.SPP is the nominal privilege the trap came from (8.6.2) */
	v->mode = (csr_read(sstatus) & SSTATUS_SPP) ? VMODE_S : VMODE_U;
	v->sstatus = csr_read(vsstatus);
	v->sie = csr_read(vsie);
	v->stvec = csr_read(vstvec);
	v->sscratch = csr_read(vsscratch);
	v->sepc = csr_read(vsepc);
	v->scause = csr_read(vscause);
	v->stval = csr_read(vstval);
	v->satp = csr_read(vsatp);
	/* SSIP is the guest's to write (vsip.SSIP is hvip.VSSIP, 8.2.3);
	 * STIP and SEIP are the VMM's */
	v->sip = (v->sip & ~SIP_SSIP) | ((csr_read(hvip) & HVIP_VSSIP) ? SIP_SSIP : 0);
}

/* The vCPU into the VS CSRs, hvip, hstatus and sstatus, for trapvec.S's sret. */
static void load_guest(struct vcpu *v)
{
	uint64_t h = csr_read(hstatus), s = csr_read(sstatus);
	uint64_t vip = 0;

	csr_write(vsstatus, v->sstatus);
	csr_write(vsie, v->sie);
	csr_write(vstvec, v->stvec);
	csr_write(vsscratch, v->sscratch);
	csr_write(vsepc, v->sepc);
	csr_write(vscause, v->scause);
	csr_write(vstval, v->stval);
	csr_write(vsatp, v->satp);
	/* the virtual interrupts pending, as the guest's sip shows them */
	if (v->sip & SIP_SSIP)
		vip |= HVIP_VSSIP;
	if (v->sip & SIP_STIP)
		vip |= HVIP_VSTIP;
	if (v->sip & SIP_SEIP)
		vip |= HVIP_VSEIP;
	csr_write(hvip, vip);
	/* sret to V = 1 at the vCPU's privilege; HLV/HLVX at the same
	 * (SPVP); wfi, sret, satp and sfence.vma not trapped (8.2.1) */
	h &= ~(HSTATUS_SPVP | HSTATUS_VTW | HSTATUS_VTSR | HSTATUS_VTVM | HSTATUS_HU);
	h |= HSTATUS_SPV | (v->mode == VMODE_S ? HSTATUS_SPVP : 0);
	if (vmm_vs_wfi_yields)
		h |= HSTATUS_VTW;	/* several vCPUs: a wfi gives the hart away (vcpus.h) */
	csr_write(hstatus, h);
	/* SPP: VS or VU. SPIE = 0 keeps the VMM's SIE = 0 after the next
	 * trap. FS: the HS-level FS must be on for the guest's own vsstatus.FS
	 * to decide (8.2.11); the VMM itself has no FP state. */
	s &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
	s |= (v->mode == VMODE_S ? SSTATUS_SPP : 0);
	if ((s & SSTATUS_FS) == SSTATUS_FS_OFF)
		s |= SSTATUS_FS_INITIAL;
	csr_write(sstatus, s);
}

/*
 * A virtual instruction that is the guest kernel's wfi, trapped by
 * hstatus.VTW = 1 (8.2.1; QEMU 7.2 gives its bits in stval, 8.6.1 allows
 * 0: then they are fetched): the vCPU waits off the hart (vmm_sched_wfi,
 * pc past the wfi). VU's wfi is left to vs_handle_exit: illegal, as on a
 * hart without H (3.3.3).
 */
static bool wfi_yields(struct vcpu *v, uint64_t stval)
{
	uint32_t raw = (uint32_t)stval;
	uint64_t fault;

	if (!vmm_vs_wfi_yields || v->mode != VMODE_S)
		return false;
	if (stval == 0 && gmem_fetch_insn(v, v->pc, &raw, &fault) != 0)
		return false;
	if (raw != INSN_BITS_WFI)
		return false;
	stats_exit(v, EXIT_WFI);
	v->pc += 4;
	vmm_sched_wfi(v);	/* false: the wfi just completes, which 3.3.3 allows */
	return true;
}

void vmm_run_start(struct vcpu *v)
{
	csr_write(hedeleg, HEDELEG_GUEST);
	csr_write(hideleg, HIDELEG_GUEST);
	csr_write(hcounteren, HCOUNTEREN_GUEST);
	csr_write(htimedelta, 0);
	csr_write(henvcfg, HENVCFG_GUEST);
	csr_write(hgeie, 0);
	/* the guest's sstatus.UXL reads 64 (VSXL = 64, read-only on QEMU) */
	v->sstatus |= SSTATUS_UXL_64;
	load_guest(v);
}

struct vcpu *vmm_exit(struct vcpu *v)
{
	/* read before anything can trap again (an HLVX that faults) */
	uint64_t scause = csr_read(scause), stval = csr_read(stval), htval = csr_read(htval);

	save_guest(v);
	if (scause == CAUSE_VIRTUAL_INSTRUCTION && wfi_yields(v, stval))
		;	/* the scheduler has it (vmm_sched_wfi) */
	else
		vs_handle_exit(v, scause, stval, htval);
	if (v->state != VM_RUNNING)
		vmm_finish(v);
	v = vmm_sched_next(v);	/* the same vCPU unless lab03 has several */
	vcpu_pv_exit_end(v);	/* lab03's PV interface: pending into the shared page, as v enters */
	load_guest(v);
	return v;
}

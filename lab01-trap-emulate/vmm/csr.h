/*
 * csr.h: the guest's view of the CSRs it may touch (priv 1.12, chapter 4,
 * with the WARL rules of each field). Reached from the emulation of the six
 * CSR instructions.
 */
#ifndef VMM_CSR_H
#define VMM_CSR_H

#include <stdint.h>

#include "riscv.h"
#include "vcpu.h"

/* CSR numbers (CSR_SSTATUS ...): riscv.h, shared with the guests */

/* Bits of the guest's sstatus that a write may change (priv 1.12, 4.1.1). */
#define VSSTATUS_WRITABLE (SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP | \
			   SSTATUS_FS | SSTATUS_SUM | SSTATUS_MXR)
/* sie: only the three S-level interrupts exist (priv 1.12, 4.1.3). */
#define VSIE_WRITABLE (SIP_SSIP | SIP_STIP | SIP_SEIP)
/* sip: the guest may only set/clear SSIP; STIP and SEIP come from the VMM. */
#define VSIP_WRITABLE SIP_SSIP
/* scounteren: CY, TM, IR (no hpmcounters) */
#define VSCOUNTEREN_WRITABLE 0x7UL
/* senvcfg: FIOM only (no Zicbom/Zicboz) */
#define VSENVCFG_WRITABLE 0x1UL

/* 0 ok; -1 illegal (unknown CSR, or not accessible at the vCPU's mode). */
int vcpu_csr_read(struct vcpu *v, unsigned csr, uint64_t *val);
/* 0 ok (WARL applied); -1 illegal (unknown CSR, read-only CSR, privilege). */
int vcpu_csr_write(struct vcpu *v, unsigned csr, uint64_t val);

#endif

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

/* CSR numbers (priv 1.12, table 2.2..2.5) */
#define CSR_SSTATUS    0x100
#define CSR_SIE        0x104
#define CSR_STVEC      0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG    0x10A
#define CSR_SSCRATCH   0x140
#define CSR_SEPC       0x141
#define CSR_SCAUSE     0x142
#define CSR_STVAL      0x143
#define CSR_SIP        0x144
#define CSR_SATP       0x180
#define CSR_CYCLE      0xC00
#define CSR_TIME       0xC01
#define CSR_INSTRET    0xC02

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

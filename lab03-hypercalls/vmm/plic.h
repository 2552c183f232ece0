/*
 * plic.h: the guest's PLIC (RISC-V Platform-Level Interrupt Controller
 * Specification 1.0.0), at QEMU virt's address (VIRT_PLIC_BASE) with one
 * context per vCPU, hart N's S-mode as context N (the guest's device tree
 * names them with interrupts-extended = <&cpu0_intc 9 &cpu1_intc 9>: Linux
 * 6.1 sets every online hart's threshold, so a hart without a context
 * would make its bring-up write through a NULL context base). Context N's
 * output is vCPU N's virtual sip.SEIP (nested mode turns that into
 * hvip.VSEIP: run_vs.c).
 */
#ifndef LAB03_PLIC_H
#define LAB03_PLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

#define PLIC_NSOURCES   31	/* sources 1..31 (riscv,ndev); 0 means "none" */
#define PLIC_MAX_PRIO   7	/* priorities are WARL 0..7 */
/* register map (spec, "Memory Map") */
#define PLIC_PRIORITY   0x000000	/* 4 bytes per source */
#define PLIC_PENDING    0x001000	/* 1 bit per source */
#define PLIC_ENABLE     0x002000	/* per context: 0x80 bytes, 1 bit per source */
#define PLIC_ENABLE_STRIDE 0x80
#define PLIC_CONTEXT    0x200000	/* per context 0x1000: threshold, claim/complete */
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_CLAIM      0x4
#define PLIC_CONTEXTS   VM_MAX_VCPUS	/* context N: vCPU N's S-mode */

struct plic {
	struct vm *vm;
	uint32_t priority[PLIC_NSOURCES + 1];
	uint32_t pending;	/* bit n: source n pending (gateway forwarded it) */
	uint32_t level;		/* bit n: the device's line is high */
	uint32_t claimed;	/* bit n: claimed, not yet completed */
	uint32_t enable[PLIC_CONTEXTS];
	uint32_t threshold[PLIC_CONTEXTS];
};

void plic_reset(struct plic *p, struct vm *vm);
/* A device's interrupt line (level-triggered): high or low. */
void plic_set_level(struct plic *p, unsigned src, bool high);
extern const struct vm_device_ops plic_ops;

#endif

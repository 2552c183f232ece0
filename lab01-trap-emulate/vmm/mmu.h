/*
 * mmu.h: the guest-memory backend, how the guest's addresses reach guest
 * RAM. Exactly one backend is linked into a VMM, chosen at link time (as
 * Bao picks its MMU or MPU code): mmu_bare.c in lab01 (the guest's satp
 * can only be Bare), the shadow tables of lab02, the G-stage of lab02's
 * nested mode. Everything that depends on the guest's translation goes
 * through these hooks, and none of them lives in a student file: the
 * student files call them (csr.c for satp, emulate.c for sfence.vma) and
 * the exit path calls the rest.
 */
#ifndef VMM_MMU_H
#define VMM_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "gmem.h"
#include "vcpu.h"
#include "vm.h"

/* The VMM's boot banner, which names the lab its backend belongs to. */
extern const char vmm_banner[];
/*
 * A later lab that links this backend names itself first (lab03: banner.c);
 * weak, so that lab01 and lab02, which define none, print their backend's.
 */
extern const char vmm_lab_banner[] __attribute__((weak));

/*
 * Set up the backend for a VM whose RAM is registered and loaded (the boot
 * staging area is free from then on: lab02's shadow tables live there).
 */
void mmu_vm_init(struct vm *vm);

/*
 * The real hart moves to a vCPU of vm, another VM than the last one's
 * (lab03 runs two): install vm's translation. lab02's backends define it.
 */
void mmu_vm_switch(struct vm *vm);

/*
 * A guest write of satp (priv 1.12, 4.1.11): apply the WARL rule (a MODE
 * the backend does not offer leaves satp unchanged) and switch address
 * spaces if it changed.
 */
void mmu_satp_write(struct vcpu *v, uint64_t val);

/*
 * sfence.vma from virtual S (priv 1.12, 4.2.1): with_va / with_asid say
 * whether rs1 / rs2 was x0.
 */
void mmu_sfence_vma(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid);

/*
 * Translate a guest virtual address for an access the VMM makes on the
 * guest's behalf (the trapped instruction's fetch, an emulated load or
 * store), as the guest's hart would at its current privilege. 0 ok (*gpa
 * set); else the exception cause the guest gets, stval = gva.
 */
int mmu_translate(const struct vcpu *v, uint64_t gva, enum gmem_access acc, uint64_t *gpa);

enum mmu_fault_kind {
	MMU_RETRY,	/* a hidden fault: the backend fixed its tables; run the guest again */
	MMU_INJECT,	/* the guest's own fault: deliver `cause` with stval = the address */
	MMU_NO_RAM,	/* the address translates to `gpa`, which is not RAM: a device, or nothing */
};

struct mmu_fault {
	enum mmu_fault_kind kind;
	uint64_t cause;
	uint64_t gpa;
};

/* A real page fault (cause 12, 13, 15) the guest took at guest virtual va. */
struct mmu_fault mmu_page_fault(struct vcpu *v, enum gmem_access acc, uint64_t va);

/* Just before the guest runs again: the real translation for v's mode. */
void mmu_prepare_entry(struct vcpu *v);

/* The backend's own figures, after the exit table when the guest stops. */
void mmu_print_stats(void);

#endif

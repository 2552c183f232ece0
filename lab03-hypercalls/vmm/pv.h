/*
 * pv.h: lab03's paravirtual interface inside the VMM (PV.md is its spec,
 * pv_abi.h its numbers and layouts). One handler (pv.c) dispatches the
 * functions; the shared vCPU page and the trap path through it are
 * pv_shared.c, the batched page-table updates and TLB flushes pv_mmu.c;
 * what depends on the way the guest runs is one file per mode
 * (pv_shadow.c, pv_nested.c).
 */
#ifndef VMM_PV_H
#define VMM_PV_H

#include <stdbool.h>
#include <stdint.h>

#include "pv_abi.h"
#include "vcpu.h"
#include "vmm_sbi.h"

/* What the VMM keeps per vCPU (nothing in struct vcpu: lab01's core stays as it is). */
struct pv_vcpu {
	struct vcpu *v;		/* NULL: a free slot */
	bool on;		/* a page is registered */
	uint64_t gpa;		/* its guest-physical address */
	bool delivered;		/* a trap went into virtual S during this exit */
};

#define PV_MAX_VCPUS 8

/* v's state, made by its first SHARED_SET (NULL only once PV_MAX_VCPUS
 * vCPUs have one: SBI_ERR_FAILED); pv_find: v's if made, else NULL (the
 * exit hooks: a vCPU that never asked takes no slot). */
struct pv_vcpu *pv_of(struct vcpu *v);
struct pv_vcpu *pv_find(struct vcpu *v);
/* The registered page as the VMM reaches it, or NULL (none registered). */
struct pv_shared *pv_page(struct vcpu *v);

/* ---- the functions (a0.. of the call as arguments) ---- */

/* lab03 handout, task 4: register (or with PV_SHARED_OFF drop) v's shared page. */
struct sbiret pv_shared_set(struct vcpu *v, uint64_t gpa);
struct sbiret pv_trap_return(struct vcpu *v, uint64_t flags);
/* lab03 handout, task 5: count page-table updates listed at GPA list. */
struct sbiret pv_mmu_update(struct vcpu *v, uint64_t list, uint64_t count);
struct sbiret pv_tlb_flush(struct vcpu *v, uint64_t list, uint64_t count);

/* ---- per mode (pv_shadow.c, pv_nested.c) ---- */

/* PV_FLAG_* this mode offers: PV_FLAG_TRAPS only where traps pass the VMM. */
extern const uint32_t pv_mode_flags;
/* What sfence.vma va, asid would drop, done for the guest (with_*: not x0). */
void pv_tlb_drop(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid);
/* After a PTE update: install va's translation now if the guest's tables
 * grant it without changing A/D, so its first access does not fault. */
void pv_prefill(struct vcpu *v, uint64_t va);

#endif

/*
 * pv_guest.h: the PV layer of lab02's paging guest kernel (lab03). Built
 * with -DKIT_PV, lab02's guest/paging sources include it (paging.h) and
 * their fences, leaf PTE stores, console and trap path become the kit's
 * hypercalls (lab03-hypercalls/PV.md); nothing else of the kernel changes.
 * Where the VMM does not offer the extension (natively on OpenSBI), or its
 * page carries no traps (nested mode: traps never pass the VMM, the CSRs
 * cost nothing), the layer falls back to the instructions.
 */
#ifndef PV_GUEST_H
#define PV_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "pv_abi.h"
#include "sbi.h"

/* the shared vCPU page (pv_layer.c), page-aligned in the image: its
 * address is its GPA (the kernel runs on its identity mapping) */
extern struct pv_shared pv_shared;
/* 1: the page is registered (pv_on), and traps come through it (pv_traps_on) */
extern int pv_on, pv_traps_on;
/* interrupts taken through the PV entry (pv_trap.S) */
extern volatile uint64_t pv_irq_count;

/* Register the page (once, at boot); the CSR path stays if that fails. */
void pv_init(void);
/* The paging kernel's leaf store: done now, and queued for the next fence
 * (one MMU_UPDATE carries the queue: the VMM refills the shadow at once). */
void pv_pte_store(uint64_t *pte, uint64_t val, uint64_t va);
/* sfence.vma va, asid (PV_ALL for x0): one TLB_FLUSH, then the queue. */
void pv_sfence(uint64_t va, uint64_t asid);
/* The virtual SIE: the page's mask (no exit), or sstatus.SIE without a page
 * carrying traps; enabling with an interrupt pending makes one IRQ_POLL. */
void pv_irq_enable(void);
void pv_irq_disable(void);
/* Pending virtual interrupts (sip bits): the page, or sip. */
uint64_t pv_irq_pending(void);
/* The next timer deadline: PV_FID_SET_TIMER, or SBI TIME natively. */
void pv_set_timer(uint64_t deadline);

/* HSM non-retentive suspend, resumed in place (pv_trap.S): 1, or the error */
long pv_nonret_suspend(uint64_t ctx[18]);

/* lab03's own groups (pv_groups.c), in main.c's table under KIT_PV */
void group_pv_events(void);
void group_pv_hostile(void);
#define PV_GROUPS { "pv_events", group_pv_events }, { "pv_hostile", group_pv_hostile },

#endif

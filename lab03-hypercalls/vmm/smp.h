/*
 * smp.h: lab03's harts: every vCPU of a VM with its HSM state (SBI 2.0,
 * chapter 9), its place in the scheduler (sched.c, which answers lab01's
 * vcpus.h) and its steal-time record (STA, chapter 16). A vCPU's hart id
 * is its index in its VM (vm->vcpus[]), as the guest's device tree
 * numbers its cpus (cpu@0, cpu@1, ...).
 *
 * The pool of harts is the VMM's one run queue, shared by every VM it
 * runs (one real hart multiplexes them all); nothing of one VM is kept
 * outside its own harts and struct vm.
 */
#ifndef VMM_SMP_H
#define VMM_SMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gmem.h"
#include "sbi.h"
#include "vcpu.h"
#include "vm.h"

/* STA: shared memory off (SBI 2.0, 16.1: all-ones lo and hi) */
#define STA_OFF (~0UL)
/*
 * The IPI and RFENCE functions on a hart list (sbi_ipi.c, sbi_rfence.c),
 * which the legacy calls share (sbi_legacy_smp.c): an SBI error code.
 */
long smp_send_ipi(struct vcpu *v, unsigned long mask, unsigned long base);
long smp_remote_fence_i(struct vcpu *v, unsigned long mask, unsigned long base);
long smp_remote_sfence(struct vcpu *v, unsigned long mask, unsigned long base, uint64_t start,
		       uint64_t size, bool with_asid, uint64_t asid);

/*
 * The handlers of lab03's student files (their rows are sbi_rows.c's, so
 * that a student object holds no entry of a kit table, as lab01's
 * sbi_table.c does for TIME).
 */
struct sbiret;
struct sbiret sbi_hsm_handler(struct vcpu *v, unsigned long eid, unsigned long fid);
struct sbiret sbi_ipi_handler(struct vcpu *v, unsigned long eid, unsigned long fid);
struct sbiret sbi_dbcn_handler(struct vcpu *v, unsigned long eid, unsigned long fid);

/* The steal-time record (SBI 2.0, 16.2, table 97): 64 bytes, 64-aligned */
struct sta_record {
	uint32_t sequence;	/* odd while the VMM writes (16.2) */
	uint32_t flags;		/* 0 */
	uint64_t steal;		/* stolen nanoseconds */
	uint8_t preempted;	/* 1 while the vCPU is kept from running */
	uint8_t pad[47];
};
_Static_assert(sizeof(struct sta_record) == 64, "SBI 2.0 16.2");

/* the VMM's vCPUs, every VM's together */
#define SCHED_MAX_HARTS 8

struct hart {
	struct vcpu v;		/* lab01's vCPU (registers, CSRs, exit counts) */
	bool used;
	unsigned long hartid;	/* its index in v.vm->vcpus */
	unsigned long hsm;	/* SBI_HSM_STATE_* (sbi.h: SBI 2.0, 9, table 25) */
	/* wfi or a retentive/non-retentive suspend: runs again once an
	 * interrupt is pending and enabled in its sie (priv 3.3.3, SBI 9.4) */
	bool waiting;
	bool non_retentive;	/* the suspend resumes at resume_addr */
	uint64_t resume_addr, resume_opaque;
	uint64_t slice_end;	/* while it runs: the end of its time slice (time) */
	uint64_t ready_since;	/* runnable but kept from running since (time), 0: not */
	uint64_t steal;		/* stolen time so far, time ticks */
	uint64_t sta_gpa;	/* its STA record (guest physical), STA_OFF: none */
	uint64_t runs;		/* times it was switched in */
};

static inline struct hart *hart_of(struct vcpu *v)
{
	return (struct hart *)((char *)v - offsetof(struct hart, v));
}

/* The vCPU of hart hartid in vm, or NULL if it has none. */
struct hart *vm_hart(struct vm *vm, unsigned long hartid);

/*
 * SBI 2.0, 3.1 "Hart list parameter": hart_mask_base = -1 names every
 * hart (hart_mask ignored), else bit i of hart_mask names hart
 * base + i. 0 and *set = the harts (bit = hart id), or
 * SBI_ERR_INVALID_PARAM if a named hart does not exist.
 */
long smp_hart_set(struct vm *vm, unsigned long mask, unsigned long base, uint64_t *set);
/* fn(target, arg) for every hart of the hart list; the error smp_hart_set gives, or 0 */
long smp_each_hart(struct vcpu *v, unsigned long mask, unsigned long base,
		   void (*fn)(struct vcpu *target, void *arg), void *arg);

/* The VM whose vCPU the real hart runs (or last ran): whose console output this is. */
struct vm *vmm_current_vm(void);
/* console_mux.c: a VM with a name shares the console (its lines prefixed). */
void console_mux_add(struct vm *vm);
/* vm stopped: what it printed of its last line goes out. */
void console_mux_stopped(struct vm *vm);

/* The steal-time record of h written now (preempted as given), if it has one. */
void sta_update(struct hart *h, bool preempted);

/* ---- the mode's (smp_shadow.c, smp_nested.c) ---- */

/* sfence.vma as the target hart would run it (shadow tables, or hfence.vvma). */
void smp_sfence_vma(struct vcpu *target, bool with_va, uint64_t va, bool with_asid, uint64_t asid);
/* fence.i for the target hart (the one real hart's). */
void smp_fence_i(struct vcpu *target);
/* The real hart moves from VM from to VM to (vm_switch.c, task 7): to's translation. */
void vm_switch(struct vm *from, struct vm *to);
/* The real hart moves from vCPU from to vCPU to (of the same VM or another). */
void smp_switch(struct vcpu *from, struct vcpu *to);
/*
 * The vCPU about to run, after the scheduler's timers: what became pending
 * since its exit path looked (a deadline that passed meanwhile, an IPI) is
 * taken now (shadow mode: injected as the exit path does; nested mode: the
 * hart takes it from hvip), as a real hart would at once, not at its next
 * trap, which a guest spinning on a flag never takes.
 */
void smp_deliver(struct vcpu *v);
/* gva of v as its hart would translate it for a load (the legacy calls' masks). */
int smp_translate(const struct vcpu *v, uint64_t gva, uint64_t *gpa);

#endif

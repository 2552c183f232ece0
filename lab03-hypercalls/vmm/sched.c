/*
 * sched.c: several vCPUs per VM on the one real hart (lab01's vcpus.h).
 *
 * The guest's device tree lists the vCPUs (cpu@0, cpu@1, ...: vmm/
 * guest.dts); hart 0 boots, the others wait in HSM STOPPED until the
 * guest starts them (sbi_hsm.c). After every exit the VMM picks the vCPU
 * to enter: the one that exited while its time slice lasts and it can
 * run, else the next runnable one in the pool's order (round-robin). A
 * vCPU that executes wfi or suspends (hart_suspend) waits without the
 * hart; it is runnable again once an interrupt is pending and enabled in
 * its sie (priv 1.12, 3.3.3; SBI 2.0, 9.4). The real timer is armed at
 * the earliest of the running vCPU's slice end (only while another vCPU
 * could run) and every vCPU's own virtual timer deadline. With nothing
 * runnable the hart sleeps (real wfi) until the next deadline.
 *
 * The pool holds the vCPUs of every VM the VMM runs: the run queue of
 * the one real hart. Time a vCPU was runnable but kept from running is
 * its steal time (STA, sbi_sta.c).
 */
#include <stdio.h>

#include "csr.h"
#include "fdt.h"
#include "hw.h"
#include "riscv.h"
#include "sbi.h"
#include "run.h"
#include "smp.h"
#include "trap.h"
#include "vcpus.h"

/* 1 ms of time (the guest's timebase, 10 MHz: lab01's guest.dts) */
#define SCHED_SLICE 10000UL

static struct hart pool[SCHED_MAX_HARTS];
/* pool[0 .. npool) have been used (harts are never freed): the loops run
 * after every exit, so they go no further than that */
static unsigned npool;
static unsigned long vm_switches;
static struct hart *running;	/* the vCPU the real hart runs */

struct vm *vmm_current_vm(void)
{
	return running ? running->v.vm : 0;
}	/* the real hart went to another VM's vCPU */

struct hart *vm_hart(struct vm *vm, unsigned long hartid)
{
	return hartid < vm->nvcpus ? hart_of(vm->vcpus[hartid]) : 0;
}

struct vcpu *vmm_vcpus_create(struct vm *vm, const void *dtb, uint64_t entry, uint64_t dtb_gpa)
{
	struct hart *boot = 0;
	char path[24];

	for (unsigned long id = 0; id < VM_MAX_VCPUS; id++) {
		snprintf(path, sizeof path, "/cpus/cpu@%lu", id);
		if (fdt_path_offset(dtb, path) < 0)
			break;
		struct hart *h = 0;
		for (unsigned i = 0; i < SCHED_MAX_HARTS && !h; i++)
			if (!pool[i].used)
				h = &pool[i];
		if (!h || vm_add_vcpu(vm, &h->v) != 0)
			return 0;
		h->used = true;
		if ((unsigned)(h - pool) + 1 > npool)
			npool = (unsigned)(h - pool) + 1;
		h->hartid = id;
		h->sta_gpa = STA_OFF;
		if (id == 0) {
			vcpu_reset(&h->v, entry, 0, dtb_gpa);
			h->hsm = SBI_HSM_STATE_STARTED;
			h->slice_end = hw_time() + SCHED_SLICE;
			h->runs = 1;
			boot = h;
			if (!running)
				running = h;
		} else {
			h->hsm = SBI_HSM_STATE_STOPPED;
		}
	}
	console_mux_add(vm);
	return boot ? &boot->v : 0;
}

const bool vmm_vs_wfi_yields = true;

bool vmm_sched_wfi(struct vcpu *v)
{
	hart_of(v)->waiting = true;
	return true;
}

/* An interrupt pending and enabled in its sie: what ends a wait (3.3.3). */
static bool wakes(const struct hart *h)
{
	return (h->v.sip & h->v.sie & VSIE_WRITABLE) != 0;
}

/* a hart of a VM still running that has not stopped (HSM) */
static bool alive(const struct hart *h)
{
	return h->used && h->v.state == VM_RUNNING && h->hsm != SBI_HSM_STATE_STOPPED;
}

static bool runnable(const struct hart *h)
{
	if (!h->used || h->v.state != VM_RUNNING)
		return false;
	switch (h->hsm) {
	case SBI_HSM_STATE_STARTED:
	case SBI_HSM_STATE_SUSPENDED:
		return !h->waiting || wakes(h);
	case SBI_HSM_STATE_START_PENDING:
		return true;
	default:
		return false;
	}
}

/* Every vCPU's virtual timer (lab01's vcpu_timer_update), and who became runnable. */
static void timers(uint64_t now)
{
	for (unsigned i = 0; i < npool; i++) {
		struct hart *h = &pool[i];
		if (!h->used)
			continue;
		if (h->v.stimecmp != UINT64_MAX && now >= h->v.stimecmp)
			h->v.sip |= SIP_STIP;	/* pending until set_timer (SBI 6.1) */
		if (runnable(h) && h->ready_since == 0 && h->waiting)
			h->ready_since = now;
	}
}

/* The next runnable vCPU after cur in the pool's order, cur itself last. */
static struct hart *next_after(struct hart *cur)
{
	unsigned at = (unsigned)(cur - pool);

	for (unsigned k = 1; k <= npool; k++) {
		struct hart *h = &pool[(at + k) % npool];
		if (runnable(h))
			return h;
	}
	return 0;
}

/* The earliest virtual timer deadline not yet fired, UINT64_MAX: none. */
static uint64_t earliest_deadline(void)
{
	uint64_t t = UINT64_MAX;

	for (unsigned i = 0; i < npool; i++) {
		const struct hart *h = &pool[i];
		if (alive(h) && !(h->v.sip & SIP_STIP) && h->v.stimecmp < t)
			t = h->v.stimecmp;
	}
	return t;
}

/*
 * Nothing can run: sleep on the real hart until a deadline, or end the
 * waits; NULL when no vCPU of any VM is left that could ever run.
 */
static struct hart *idle(struct hart *cur)
{
	struct hart *h;

	while (!(h = next_after(cur))) {
		uint64_t t = earliest_deadline();
		if (t == UINT64_MAX) {
			/* nothing will ever wake a waiting vCPU: its wfi completes
			 * (3.3.3 allows it at any time) */
			bool any = false;
			for (unsigned i = 0; i < npool; i++)
				if (alive(&pool[i]) && pool[i].waiting) {
					pool[i].waiting = false;
					any = true;
				}
			if (!any)
				return 0;
			continue;
		}
		hw_set_timer(t);
		hw_wait_for_interrupt();
		timers(hw_time());
	}
	return h;
}

/* Every vCPU of vm is stopped (HSM hart_stop): the VM stops, as on SRST. */
static bool vm_all_stopped(const struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (hart_of(vm->vcpus[i])->hsm != SBI_HSM_STATE_STOPPED)
			return false;
	return true;
}

static void __attribute__((noreturn)) stop_vm_of(struct hart *cur)
{
	printf("vmm: every vCPU of the VM is stopped (HSM hart_stop): stopping the VM\n");
	cur->v.state = VM_SHUTDOWN;
	cur->v.reset_type = SBI_SRST_TYPE_SHUTDOWN;
	cur->v.reset_reason = SBI_SRST_REASON_NONE;
	vmm_finish(&cur->v);
}

/* h leaves its wait or suspend, or starts (HSM 9.1, 9.4). */
static void wake(struct hart *h)
{
	if (h->hsm == SBI_HSM_STATE_START_PENDING)
		h->hsm = SBI_HSM_STATE_STARTED;
	if (!h->waiting)
		return;
	h->waiting = false;
	if (h->hsm == SBI_HSM_STATE_SUSPENDED && h->non_retentive) {
		/* resume at resume_addr: a0 = hartid, a1 = opaque, satp = 0,
		 * sstatus.SIE = 0, S-mode (9.4); what woke it stays pending */
		struct vcpu keep = h->v;
		vcpu_reset(&h->v, h->resume_addr, h->hartid, h->resume_opaque);
		h->v.sip = keep.sip;
		h->v.sie = keep.sie;
		h->v.stvec = keep.stvec;
		h->v.sscratch = keep.sscratch;
		h->v.stimecmp = keep.stimecmp;
		h->v.scounteren = keep.scounteren;
		h->v.stats = keep.stats;
	}
	h->non_retentive = false;
	h->hsm = SBI_HSM_STATE_STARTED;
}

/* The real hart goes from cur (which exited) to next at time now. */
static struct vcpu *enter(struct hart *cur, struct hart *next)
{
	uint64_t now = hw_time();

	if (next != cur) {
		if (runnable(cur)) {
			cur->ready_since = now;	/* preempted: its steal time starts */
			sta_update(cur, true);
		}
		if (next->ready_since) {
			next->steal += now - next->ready_since;
			next->ready_since = 0;
		}
		next->runs++;
		next->slice_end = now + SCHED_SLICE;
		wake(next);
		sta_update(next, false);
		if (next->v.vm != cur->v.vm)
			vm_switches++;
		smp_switch(&cur->v, &next->v);
	} else if (now >= cur->slice_end) {
		cur->slice_end = now + SCHED_SLICE;	/* alone: a new slice */
	}
	if (next->waiting)
		wake(next);
	smp_deliver(&next->v);
	running = next;

	/* the real timer: the next deadline, and the slice's end if another could run */
	uint64_t t = earliest_deadline();
	for (unsigned i = 0; i < npool; i++)
		if (&pool[i] != next && runnable(&pool[i]) && next->slice_end < t)
			t = next->slice_end;
	hw_set_timer(t);
	return &next->v;
}

struct vcpu *vmm_sched_next(struct vcpu *v)
{
	struct hart *cur = hart_of(v), *next;
	uint64_t now = hw_time();

	if (vm_all_stopped(v->vm))
		stop_vm_of(cur);
	timers(now);
	if (runnable(cur) && now < cur->slice_end)
		next = cur;
	else if (!(next = idle(cur)))
		stop_vm_of(cur);
	return enter(cur, next);
}

struct vcpu *vmm_sched_vm_stopped(struct vcpu *v)
{
	struct hart *cur = hart_of(v), *next;

	/* every vCPU of the VM leaves the pool's runnable set (SRST: the
	 * whole system of that VM, SBI 2.0, 10.1), the other VM's stay */
	for (unsigned i = 0; i < v->vm->nvcpus; i++) {
		struct hart *h = hart_of(v->vm->vcpus[i]);
		h->v.state = VM_SHUTDOWN;
		h->waiting = false;
		h->ready_since = 0;
	}
	console_mux_stopped(v->vm);
	printf("vmm: %lu switches between VMs so far\n", vm_switches);
	timers(hw_time());
	if (!(next = idle(cur)))
		return 0;
	return enter(cur, next);
}

long smp_hart_set(struct vm *vm, unsigned long mask, unsigned long base, uint64_t *set)
{
	*set = 0;
	if (base == ~0UL) {
		/* every hart (3.1) */
		*set = vm->nvcpus >= 64 ? ~0UL : (1UL << vm->nvcpus) - 1;
		return SBI_SUCCESS;
	}
	for (unsigned i = 0; i < 64 && mask >> i; i++) {
		if (!((mask >> i) & 1))
			continue;
		if (base + i < base || base + i >= vm->nvcpus)
			return SBI_ERR_INVALID_PARAM;	/* a hart that does not exist */
		*set |= 1UL << (base + i);
	}
	return SBI_SUCCESS;
}

long smp_each_hart(struct vcpu *v, unsigned long mask, unsigned long base,
		   void (*fn)(struct vcpu *target, void *arg), void *arg)
{
	uint64_t set;
	long err = smp_hart_set(v->vm, mask, base, &set);

	if (err != SBI_SUCCESS)
		return err;
	for (unsigned long id = 0; id < v->vm->nvcpus; id++)
		if ((set >> id) & 1)
			fn(&vm_hart(v->vm, id)->v, arg);
	return SBI_SUCCESS;
}

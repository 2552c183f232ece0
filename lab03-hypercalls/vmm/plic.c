/*
 * plic.c: the PLIC's gateways, its pending bits, priorities, per-context
 * enables, threshold and claim/complete (riscv-plic-spec 1.0.0), for one
 * context, hart 0's S-mode. Interrupts are level-triggered: a source whose
 * line is high becomes pending unless it is claimed; a completion lets the
 * gateway forward the line again. Only aligned 32-bit accesses to the
 * registers that exist; anything else is an access fault.
 */
#include "csr.h"
#include "plic.h"
#include "vcpu.h"

/* The best pending, enabled source above the threshold (ties: the lowest ID), or 0. */
static unsigned best(const struct plic *p)
{
	unsigned id = 0;
	uint32_t prio = 0;

	for (unsigned s = 1; s <= PLIC_NSOURCES; s++) {
		if (!(p->pending & p->enable & (1u << s)))
			continue;
		if (p->priority[s] > p->threshold && p->priority[s] > prio) {
			prio = p->priority[s];
			id = s;
		}
	}
	return id;
}

/* The context's output: the vCPU's virtual SEIP (priv 1.12, 4.1.3: set and cleared by the PLIC). */
static void update(struct plic *p)
{
	/* the gateway: a line high and not claimed becomes a request */
	p->pending |= p->level & ~p->claimed;
	for (unsigned i = 0; i < p->vm->nvcpus; i++) {
		struct vcpu *v = p->vm->vcpus[i];
		if (i == 0 && best(p))
			v->sip |= SIP_SEIP;
		else
			v->sip &= ~SIP_SEIP;
	}
}

void plic_reset(struct plic *p, struct vm *vm)
{
	*p = (struct plic){ .vm = vm };
}

void plic_set_level(struct plic *p, unsigned src, bool high)
{
	if (src == 0 || src > PLIC_NSOURCES)
		return;
	if (high)
		p->level |= 1u << src;
	else
		p->level &= ~(1u << src);
	update(p);
}

static int plic_read(const struct vm_device *d, uint64_t off, unsigned width, uint64_t *val)
{
	struct plic *p = d->state;

	if (width != 4 || (off & 3))
		return -1;
	if (off <= 4 * PLIC_NSOURCES) {
		*val = p->priority[off / 4];
	} else if (off == PLIC_PENDING) {
		*val = p->pending;
	} else if (off == PLIC_ENABLE) {
		*val = p->enable;
	} else if (off == PLIC_CONTEXT) {
		*val = p->threshold;
	} else if (off == PLIC_CONTEXT + PLIC_CLAIM) {
		/* claim: the best source's ID, its pending bit cleared (0: none) */
		unsigned id = best(p);
		if (id) {
			p->pending &= ~(1u << id);
			p->claimed |= 1u << id;
		}
		*val = id;
		update(p);
	} else if ((off > 4 * PLIC_NSOURCES && off < PLIC_PENDING + 0x80) ||
		   (off > PLIC_ENABLE && off < PLIC_ENABLE + 0x80)) {
		*val = 0;	/* words of sources this PLIC does not have */
	} else {
		return -1;
	}
	return 0;
}

static int plic_write(const struct vm_device *d, uint64_t off, unsigned width, uint64_t val)
{
	struct plic *p = d->state;

	if (width != 4 || (off & 3))
		return -1;
	if (off <= 4 * PLIC_NSOURCES) {
		if (off)	/* source 0 does not exist */
			p->priority[off / 4] = (uint32_t)val & PLIC_MAX_PRIO;
	} else if (off == PLIC_ENABLE) {
		p->enable = (uint32_t)val & ~1u;
	} else if (off == PLIC_CONTEXT) {
		p->threshold = (uint32_t)val & PLIC_MAX_PRIO;
	} else if (off == PLIC_CONTEXT + PLIC_CLAIM) {
		/* complete: ignored unless the source is enabled for this
		 * context (spec, "Interrupt Completion") */
		if (val >= 1 && val <= PLIC_NSOURCES && (p->enable & (1u << val)))
			p->claimed &= ~(1u << val);
	} else if (off == PLIC_PENDING || (off > 4 * PLIC_NSOURCES && off < PLIC_PENDING + 0x80) ||
		   (off > PLIC_ENABLE && off < PLIC_ENABLE + 0x80)) {
		/* pending bits are read-only; absent sources' words ignore writes */
	} else {
		return -1;
	}
	update(p);
	return 0;
}

const struct vm_device_ops plic_ops = { plic_read, plic_write };

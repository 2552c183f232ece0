/*
 * plic.c: the PLIC's gateways, its pending bits, priorities, per-context
 * enables, threshold and claim/complete (riscv-plic-spec 1.0.0), one
 * context per vCPU (its S-mode). Interrupts are level-triggered: a source whose
 * line is high becomes pending unless it is claimed; a completion lets the
 * gateway forward the line again. Only aligned 32-bit accesses to the
 * registers that exist; anything else is an access fault.
 */
#include "csr.h"
#include "plic.h"
#include "vcpu.h"

/* Context c's best pending, enabled source above its threshold (ties: the lowest ID), or 0. */
static unsigned best(const struct plic *p, unsigned c)
{
	unsigned id = 0;
	uint32_t prio = 0;

	for (unsigned s = 1; s <= PLIC_NSOURCES; s++) {
		if (!(p->pending & p->enable[c] & (1u << s)))
			continue;
		if (p->priority[s] > p->threshold[c] && p->priority[s] > prio) {
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
		if (i < PLIC_CONTEXTS && best(p, i))
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

/* Which context's enable word (0x80 bytes each) or register page (0x1000 each) off is in. */
static bool enable_word(uint64_t off, unsigned *c)
{
	if (off < PLIC_ENABLE || off >= PLIC_ENABLE + PLIC_CONTEXTS * PLIC_ENABLE_STRIDE ||
	    (off - PLIC_ENABLE) % PLIC_ENABLE_STRIDE != 0)
		return false;
	*c = (unsigned)((off - PLIC_ENABLE) / PLIC_ENABLE_STRIDE);
	return true;
}

static bool context_reg(uint64_t off, uint64_t reg, unsigned *c)
{
	if (off < PLIC_CONTEXT || off >= PLIC_CONTEXT + PLIC_CONTEXTS * PLIC_CONTEXT_STRIDE ||
	    (off - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE != reg)
		return false;
	*c = (unsigned)((off - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE);
	return true;
}

/* The rest of a context's 0x80 bytes of enables: sources this PLIC does not have. */
static bool absent_enable(uint64_t off)
{
	return off >= PLIC_ENABLE && off < PLIC_ENABLE + PLIC_CONTEXTS * PLIC_ENABLE_STRIDE;
}

static int plic_read(const struct vm_device *d, uint64_t off, unsigned width, uint64_t *val)
{
	struct plic *p = d->state;
	unsigned c;

	if (width != 4 || (off & 3))
		return -1;
	if (off <= 4 * PLIC_NSOURCES) {
		*val = p->priority[off / 4];
	} else if (off == PLIC_PENDING) {
		*val = p->pending;
	} else if (enable_word(off, &c)) {
		*val = p->enable[c];
	} else if (context_reg(off, 0, &c)) {
		*val = p->threshold[c];
	} else if (context_reg(off, PLIC_CLAIM, &c)) {
		/* claim: the best source's ID, its pending bit cleared (0: none) */
		unsigned id = best(p, c);
		if (id) {
			p->pending &= ~(1u << id);
			p->claimed |= 1u << id;
		}
		*val = id;
		update(p);
	} else if ((off > 4 * PLIC_NSOURCES && off < PLIC_PENDING + 0x80) || absent_enable(off)) {
		*val = 0;	/* words of sources this PLIC does not have */
	} else {
		return -1;
	}
	return 0;
}

static int plic_write(const struct vm_device *d, uint64_t off, unsigned width, uint64_t val)
{
	struct plic *p = d->state;
	unsigned c;

	if (width != 4 || (off & 3))
		return -1;
	if (off <= 4 * PLIC_NSOURCES) {
		if (off)	/* source 0 does not exist */
			p->priority[off / 4] = (uint32_t)val & PLIC_MAX_PRIO;
	} else if (enable_word(off, &c)) {
		p->enable[c] = (uint32_t)val & ~1u;
	} else if (context_reg(off, 0, &c)) {
		p->threshold[c] = (uint32_t)val & PLIC_MAX_PRIO;
	} else if (context_reg(off, PLIC_CLAIM, &c)) {
		/* complete: ignored unless the source is enabled for this
		 * context (spec, "Interrupt Completion") */
		if (val >= 1 && val <= PLIC_NSOURCES && (p->enable[c] & (1u << val)))
			p->claimed &= ~(1u << val);
	} else if (off == PLIC_PENDING || (off > 4 * PLIC_NSOURCES && off < PLIC_PENDING + 0x80) ||
		   absent_enable(off)) {
		/* pending bits are read-only; absent sources' words ignore writes */
	} else {
		return -1;
	}
	update(p);
	return 0;
}

const struct vm_device_ops plic_ops = { plic_read, plic_write };

/*
 * virtq.c: split virtqueues from the device's side (virtio 1.2, 2.7).
 * Every ring and buffer is the guest's: each address is checked as guest
 * RAM before it is touched (gmem_ptr, gmem_read, gmem_write), each index
 * against the queue size, and a chain is walked at most num descriptors
 * long, so a loop or a chain longer than the queue is caught (2.7.5.3.1:
 * the driver MUST NOT create such a chain). What the driver broke is
 * the caller's to answer (DEVICE_NEEDS_RESET, virtio_mmio.c).
 */
#include <string.h>

#include "gmem.h"
#include "todo.h"
#include "virtio.h"

/* 2.7: sizes of the three parts of a queue of num entries */
#define DESC_SIZE 16
static uint64_t desc_bytes(uint32_t num) { return DESC_SIZE * (uint64_t)num; }
static uint64_t avail_bytes(uint32_t num) { return 6 + 2 * (uint64_t)num; }
static uint64_t used_bytes(uint32_t num) { return 6 + 8 * (uint64_t)num; }

int virtq_ring_check(const struct vm *vm, const struct virtq *q)
{
	if (q->num == 0 || q->num > VIRTQ_NUM_MAX || (q->num & (q->num - 1)))
		return -1;
	/* 2.7: descriptor table 16-byte, available ring 2-byte, used ring 4-byte aligned */
	if ((q->desc & 15) || (q->avail & 1) || (q->used & 3))
		return -1;
	if (!gmem_contains(vm, q->desc, desc_bytes(q->num)) ||
	    !gmem_contains(vm, q->avail, avail_bytes(q->num)) ||
	    !gmem_contains(vm, q->used, used_bytes(q->num)))
		return -1;
	return 0;
}

static int ld16(const struct vm *vm, uint64_t gpa, uint16_t *v)
{
	return gmem_read(vm, gpa, v, sizeof *v);
}

/* 2.7.5: struct virtq_desc { le64 addr; le32 len; le16 flags; le16 next; } */
struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static int load_desc(const struct vm *vm, const struct virtq *q, uint16_t i, struct desc *d)
{
	uint8_t raw[DESC_SIZE];

	if (gmem_read(vm, q->desc + DESC_SIZE * (uint64_t)i, raw, sizeof raw) != 0)
		return -1;
	memcpy(&d->addr, raw, 8);
	memcpy(&d->len, raw + 8, 4);
	memcpy(&d->flags, raw + 12, 2);
	memcpy(&d->next, raw + 14, 2);
	return 0;
}

int virtq_pop(const struct vm *vm, struct virtq *q, struct virtq_chain *c)
{
	// BEGIN SOLUTION: pop the next chain from the avail ring, walk it
	uint16_t idx, head, i;
	struct desc d;

	/* 2.7.6: struct virtq_avail { le16 flags; le16 idx; le16 ring[num]; } */
	if (ld16(vm, q->avail + 2, &idx) != 0)
		return -1;
	if (idx == q->last_avail)
		return 0;
	/* the driver never has more than num entries outstanding */
	if ((uint16_t)(idx - q->last_avail) > q->num)
		return -1;
	if (ld16(vm, q->avail + 4 + 2 * (uint64_t)(q->last_avail % q->num), &head) != 0 || head >= q->num)
		return -1;
	q->last_avail++;

	*c = (struct virtq_chain){ .head = head };
	for (i = head;; i = d.next) {
		/* at most num descriptors: a longer chain loops (2.7.5.3.1) */
		if (c->nsegs == q->num || load_desc(vm, q, i, &d) != 0)
			return -1;
		/* no VIRTIO_F_INDIRECT_DESC offered (2.7.5.3.1) */
		if (d.flags & VIRTQ_DESC_F_INDIRECT)
			return -1;
		bool w = d.flags & VIRTQ_DESC_F_WRITE;
		/* readable elements before writable ones (2.7.4.2) */
		if (!w && c->wlen)
			return -1;
		c->seg[c->nsegs++] = (struct virtq_seg){ d.addr, d.len, w };
		if (w)
			c->wlen += d.len;
		else
			c->rlen += d.len;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 1;
		if (d.next >= q->num)
			return -1;
	}
	// STARTER:
	// TODO("virtq_pop", "lab03 handout, task 6");
	// (void)vm, (void)q, (void)c, (void)ld16, (void)load_desc;
	// return 0;
	// END SOLUTION
}

int virtq_push(const struct vm *vm, struct virtq *q, uint16_t head, uint32_t len)
{
	// BEGIN SOLUTION: push a used element, then the index (2.7.8, 2.7.14)
	/* 2.7.8: struct virtq_used { le16 flags; le16 idx; struct { le32 id; le32 len; } ring[num]; } */
	uint32_t elem[2] = { head, len };
	uint64_t at = q->used + 4 + 8 * (uint64_t)(q->used_idx % q->num);

	if (gmem_write(vm, at, elem, sizeof elem) != 0)
		return -1;
	q->used_idx++;
	return gmem_write(vm, q->used + 2, &q->used_idx, sizeof q->used_idx);
	// STARTER:
	// TODO("virtq_push", "lab03 handout, task 6");
	// (void)vm, (void)q, (void)head, (void)len;
	// return -1;
	// END SOLUTION
}

/* Copy len bytes at offset off of c's readable (write = false) or writable part. */
static int chain_copy(const struct vm *vm, const struct virtq_chain *c, bool write, uint64_t off,
		      void *buf, uint64_t len)
{
	uint8_t *p = buf;

	for (unsigned i = 0; i < c->nsegs && len; i++) {
		const struct virtq_seg *s = &c->seg[i];
		if (s->write != write)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		uint64_t n = s->len - off < len ? s->len - off : len;
		if ((write ? gmem_write(vm, s->gpa + off, p, n) : gmem_read(vm, s->gpa + off, p, n)) != 0)
			return -1;
		p += n;
		len -= n;
		off = 0;
	}
	return len ? -1 : 0;
}

int virtq_chain_read(const struct vm *vm, const struct virtq_chain *c, uint64_t off, void *dst, uint64_t len)
{
	return chain_copy(vm, c, false, off, dst, len);
}

int virtq_chain_write(const struct vm *vm, const struct virtq_chain *c, uint64_t off, const void *src, uint64_t len)
{
	return chain_copy(vm, c, true, off, (void *)src, len);
}

bool virtq_chain_in_ram(const struct vm *vm, const struct virtq_chain *c)
{
	for (unsigned i = 0; i < c->nsegs; i++)
		if (!gmem_contains(vm, c->seg[i].gpa, c->seg[i].len))
			return false;
	return true;
}

/*
 * vdrv.c: the guest's own virtio-mmio driver (virtio 1.2): the
 * initialization of 3.1.1 on the modern transport (4.2.3), one split
 * virtqueue (2.7) and block requests (5.2.6). The device completes a
 * request while it handles the QueueNotify store (the kit's VMM), or a
 * little later (QEMU's own devices): the used ring is polled.
 */
#include <string.h>

#include "vguest.h"

struct vq vq0;
static struct vdesc desc_mem[VQ_NUM] __attribute__((aligned(4096)));
static uint16_t avail_mem[3 + VQ_NUM] __attribute__((aligned(4096)));
static uint8_t used_mem[6 + 8 * VQ_NUM] __attribute__((aligned(4096)));
uint8_t blk_status;
uint8_t blk_buf[4096] __attribute__((aligned(4096)));
static struct {
	uint32_t type, reserved;
	uint64_t sector;
} blk_hdr __attribute__((aligned(16)));

static uintptr_t slot_base(unsigned slot)
{
	return VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_STRIDE;
}

uint32_t mr32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

void mw32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

uint32_t vr(unsigned slot, unsigned off)
{
	return mr32(slot_base(slot) + off);
}

void vw(unsigned slot, unsigned off, uint32_t val)
{
	mw32(slot_base(slot) + off, val);
}

static void w64(unsigned slot, unsigned off, uint64_t v)
{
	vw(slot, off, (uint32_t)v);
	vw(slot, off + 4, (uint32_t)(v >> 32));
}

uint32_t vdev_setup(unsigned slot, unsigned q, uint64_t desc, uint64_t avail, uint64_t used,
		    uint32_t num, bool driver_ok)
{
	memset(desc_mem, 0, sizeof desc_mem);
	memset(avail_mem, 0, sizeof avail_mem);
	memset(used_mem, 0, sizeof used_mem);
	vq0 = (struct vq){ desc_mem, avail_mem, used_mem, 0 };
	/* 3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK */
	vw(slot, VMMIO_STATUS, 0);
	vw(slot, VMMIO_STATUS, VSTAT_ACKNOWLEDGE);
	vw(slot, VMMIO_STATUS, VSTAT_ACKNOWLEDGE | VSTAT_DRIVER);
	vw(slot, VMMIO_DRIVER_FEATURES_SEL, 0);
	vw(slot, VMMIO_DRIVER_FEATURES, 0);
	vw(slot, VMMIO_DRIVER_FEATURES_SEL, 1);
	vw(slot, VMMIO_DRIVER_FEATURES, 1);	/* VIRTIO_F_VERSION_1, bit 32 */
	vw(slot, VMMIO_STATUS, VSTAT_ACKNOWLEDGE | VSTAT_DRIVER | VSTAT_FEATURES_OK);
	/* 4.2.3.2: the queue */
	vw(slot, VMMIO_QUEUE_SEL, q);
	vw(slot, VMMIO_QUEUE_NUM, num);
	w64(slot, VMMIO_QUEUE_DESC, desc ? desc : (uint64_t)(uintptr_t)desc_mem);
	w64(slot, VMMIO_QUEUE_DRIVER, avail ? avail : (uint64_t)(uintptr_t)avail_mem);
	w64(slot, VMMIO_QUEUE_DEVICE, used ? used : (uint64_t)(uintptr_t)used_mem);
	vw(slot, VMMIO_QUEUE_READY, 1);
	if (driver_ok)
		vw(slot, VMMIO_STATUS, vr(slot, VMMIO_STATUS) | VSTAT_DRIVER_OK);
	return vr(slot, VMMIO_STATUS);
}

void vq_post(unsigned slot, unsigned q, uint16_t head, bool notify)
{
	/* 2.7.13: the ring entry, a barrier, then the index */
	vq0.avail[2 + vq0.avail_idx % VQ_NUM] = head;
	__asm__ volatile("fence w, w" ::: "memory");
	vq0.avail[1] = ++vq0.avail_idx;
	__asm__ volatile("fence w, o" ::: "memory");
	if (notify)
		vw(slot, VMMIO_QUEUE_NOTIFY, q);
}

uint16_t vq_used_idx(uint16_t have)
{
	volatile uint16_t *idx = (volatile uint16_t *)(vq0.used + 2);
	for (unsigned i = 0; i < 200000 && *idx == have; i++)
		__asm__ volatile("" ::: "memory");
	return *idx;
}

uint32_t vq_used_id(unsigned i)
{
	uint32_t v;
	memcpy(&v, vq0.used + 4 + 8 * (i % VQ_NUM), 4);
	return v;
}

uint32_t vq_used_len(unsigned i)
{
	uint32_t v;
	memcpy(&v, vq0.used + 8 + 8 * (i % VQ_NUM), 4);
	return v;
}

void blk_chain(uint32_t type, uint64_t sector, uint64_t data, uint32_t len, bool data_write, uint64_t st)
{
	blk_hdr.type = type;
	blk_hdr.reserved = 0;
	blk_hdr.sector = sector;
	blk_status = 0xff;
	vq0.desc[0] = (struct vdesc){ (uint64_t)(uintptr_t)&blk_hdr, sizeof blk_hdr, VDESC_F_NEXT, 1 };
	vq0.desc[1] = (struct vdesc){ data, len, (uint16_t)(VDESC_F_NEXT | (data_write ? VDESC_F_WRITE : 0)), 2 };
	vq0.desc[2] = (struct vdesc){ st ? st : (uint64_t)(uintptr_t)&blk_status, 1, VDESC_F_WRITE, 0 };
}

uint8_t blk_rw(uint32_t type, uint64_t sector, void *buf, uint32_t len)
{
	vdev_setup(SLOT_BLK, 0, 0, 0, 0, VQ_NUM, true);
	blk_chain(type, sector, (uint64_t)(uintptr_t)buf, len, type == VBLK_T_IN, 0);
	vq_post(SLOT_BLK, 0, 0, true);
	vq_used_idx(0);
	return *(volatile uint8_t *)&blk_status;
}

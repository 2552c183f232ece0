/*
 * vguest.h: the kit's virtio test guest (README.md): its own small
 * virtio-mmio driver (vdrv.c: the transport, one split virtqueue, block
 * requests) and its groups of checks (blk.c, console.c, hostile.c), each
 * check a row of checks.h.
 */
#ifndef VGUEST_H
#define VGUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"
#include "virt.h"

/* virtio 1.2, 4.2.2 (the register names of the spec) */
#define VMMIO_MAGIC_VALUE     0x000
#define VMMIO_VERSION         0x004
#define VMMIO_DEVICE_ID       0x008
#define VMMIO_DEVICE_FEATURES 0x010
#define VMMIO_DEVICE_FEATURES_SEL 0x014
#define VMMIO_DRIVER_FEATURES 0x020
#define VMMIO_DRIVER_FEATURES_SEL 0x024
#define VMMIO_QUEUE_SEL       0x030
#define VMMIO_QUEUE_NUM_MAX   0x034
#define VMMIO_QUEUE_NUM       0x038
#define VMMIO_QUEUE_READY     0x044
#define VMMIO_QUEUE_NOTIFY    0x050
#define VMMIO_INTERRUPT_STATUS 0x060
#define VMMIO_INTERRUPT_ACK   0x064
#define VMMIO_STATUS          0x070
#define VMMIO_QUEUE_DESC      0x080	/* low, high at + 4 */
#define VMMIO_QUEUE_DRIVER    0x090
#define VMMIO_QUEUE_DEVICE    0x0a0
#define VMMIO_CONFIG          0x100

#define VSTAT_ACKNOWLEDGE 1
#define VSTAT_DRIVER      2
#define VSTAT_DRIVER_OK   4
#define VSTAT_FEATURES_OK 8
#define VSTAT_NEEDS_RESET 64

#define VDESC_F_NEXT     1
#define VDESC_F_WRITE    2
#define VDESC_F_INDIRECT 4

#define VBLK_T_IN  0
#define VBLK_T_OUT 1
#define VBLK_S_OK     0
#define VBLK_S_IOERR  1
#define VBLK_S_UNSUPP 2

#define SLOT_BLK     0
#define SLOT_CONSOLE 1
#define VQ_NUM       8	/* the queue size the driver uses */

/* riscv-plic-spec 1.0.0 (context 0: hart 0's S-mode in the kit's tree) */
#define PLIC_PRIORITY(s) (VIRT_PLIC_BASE + 4 * (s))
#define PLIC_ENABLE0     (VIRT_PLIC_BASE + 0x2000)
#define PLIC_THRESHOLD0  (VIRT_PLIC_BASE + 0x200000)
#define PLIC_CLAIM0      (VIRT_PLIC_BASE + 0x200004)

struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* One split virtqueue of VQ_NUM entries in the guest's RAM (2.7). */
struct vq {
	struct vdesc *desc;
	uint16_t *avail;	/* flags, idx, ring[VQ_NUM], used_event */
	uint8_t *used;		/* flags, idx, ring[VQ_NUM] of {id, len} */
	uint16_t avail_idx;
};
extern struct vq vq0;

uint32_t vr(unsigned slot, unsigned off);
void vw(unsigned slot, unsigned off, uint32_t val);
uint32_t mr32(uintptr_t a);
void mw32(uintptr_t a, uint32_t v);
/* The slot's device: reset, ACKNOWLEDGE, DRIVER, VERSION_1, FEATURES_OK;
 * queue q set up on vq0 (its rings at desc, avail, used: 0 = vq0's own);
 * DRIVER_OK if driver_ok. Returns the status read back. */
uint32_t vdev_setup(unsigned slot, unsigned q, uint64_t desc, uint64_t avail, uint64_t used,
		    uint32_t num, bool driver_ok);
/* Offer chain head to the device; notify queue q if notify. */
void vq_post(unsigned slot, unsigned q, uint16_t head, bool notify);
/* The used ring's idx and its element i (after polling for up to a while for idx > have). */
uint16_t vq_used_idx(uint16_t have);
uint32_t vq_used_len(unsigned i);
uint32_t vq_used_id(unsigned i);
/* A block request in descriptors 0..2 (header, data of len bytes at data, status at st). */
void blk_chain(uint32_t type, uint64_t sector, uint64_t data, uint32_t len, bool data_write, uint64_t st);
/* Read (IN) or write (OUT) len bytes at sector through a fresh device; returns the status byte. */
uint8_t blk_rw(uint32_t type, uint64_t sector, void *buf, uint32_t len);

extern uint8_t blk_status;		/* the request's status byte */
extern uint8_t blk_buf[4096];	/* data buffer */

/* external interrupts taken, and the last source claimed (main.c) */
extern volatile unsigned irq_seen, irq_id;

bool vcheck(const char *name, const uint64_t *got, unsigned n);

void group_blk(void);
void group_console(void);
void group_hostile(void);
void group_disk(void);
void group_disk_hostile(void);

#endif

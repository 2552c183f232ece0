/*
 * virtio.h: lab03's virtio devices (Virtual I/O Device (VIRTIO) Version
 * 1.2): the MMIO transport (4.2, modern interface only, Version 2), split
 * virtqueues (2.7) and the device types behind them (5.2 block, 5.3
 * console). A device type fills struct virtio_type; virtio_mmio.c is the
 * register file, virtq.c the rings, virtio_blk.c and virtio_console.c the
 * requests.
 */
#ifndef LAB03_VIRTIO_H
#define LAB03_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "plic.h"
#include "vm.h"

/* 4.2.2 MMIO device register layout */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000	/* "virt" */
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_SHM_SEL             0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW         0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH        0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW        0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH       0x0bc
#define VIRTIO_MMIO_QUEUE_RESET         0x0c0
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC   0x74726976u
#define VIRTIO_MMIO_VERSION_MODERN 2
#define VIRTIO_KIT_VENDOR   0x0054494bu	/* "KIT" */

/* 2.1 Device Status Field */
#define VIRTIO_STATUS_ACKNOWLEDGE        1
#define VIRTIO_STATUS_DRIVER             2
#define VIRTIO_STATUS_DRIVER_OK          4
#define VIRTIO_STATUS_FEATURES_OK        8
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED             128

/* 4.2.2: InterruptStatus bits */
#define VIRTIO_INT_USED_BUFFER 1
#define VIRTIO_INT_CONFIG      2

/* 6: reserved feature bits */
#define VIRTIO_F_VERSION_1 32

/* 5: device IDs */
#define VIRTIO_ID_NONE    0	/* 4.2.2: a placeholder slot */
#define VIRTIO_ID_BLOCK   2
#define VIRTIO_ID_CONSOLE 3

#define VIRTQ_MAX_QUEUES 2
#define VIRTQ_NUM_MAX    16	/* QueueNumMax of every queue */

/* 2.7.5 The Virtqueue Descriptor Table */
#define VIRTQ_DESC_F_NEXT     1
#define VIRTQ_DESC_F_WRITE    2
#define VIRTQ_DESC_F_INDIRECT 4
/* 2.7.6 The Virtqueue Available Ring */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

/* One split virtqueue as the device keeps it (2.7). */
struct virtq {
	uint32_t num;		/* QueueNum */
	bool ready;		/* QueueReady */
	uint64_t desc, avail, used;	/* QueueDesc, QueueDriver, QueueDevice */
	uint16_t last_avail;	/* the next avail ring entry the device reads */
	uint16_t used_idx;	/* the device's own copy of used->idx */
};

/* One element of a descriptor chain: guest RAM [gpa, gpa + len). */
struct virtq_seg {
	uint64_t gpa;
	uint32_t len;
	bool write;		/* device-writable */
};

/* A descriptor chain popped from the avail ring (2.7.13.1). */
struct virtq_chain {
	uint16_t head;
	unsigned nsegs;
	struct virtq_seg seg[VIRTQ_NUM_MAX];
	uint64_t rlen, wlen;	/* bytes device-readable, device-writable */
};

struct virtio_dev;

/* What a device type adds to the transport. */
struct virtio_type {
	uint32_t device_id;
	unsigned nqueues;
	uint64_t features;	/* offered; VIRTIO_F_VERSION_1 always */
	uint32_t config_len;
	/* a byte of the device configuration space (4.2.2: offset 0x100 on) */
	uint8_t (*config_byte)(const struct virtio_dev *d, unsigned off);
	/* the queues whose notify serves their chains (bit q: queue q; a
	 * receive queue's buffers wait), and one chain's answer: 0 with
	 * *written bytes, -1 if the device cannot answer it (virtio_serve) */
	uint32_t served_queues;
	int (*serve)(struct virtio_dev *d, const struct virtq_chain *c, uint32_t *written);
	void (*reset)(struct virtio_dev *d);
};

struct virtio_dev {
	const struct virtio_type *type;
	struct vm *vm;
	struct plic *plic;
	unsigned irq;
	uint32_t status, interrupt_status;
	uint32_t device_features_sel, driver_features_sel, queue_sel;
	uint64_t driver_features;
	struct virtq q[VIRTQ_MAX_QUEUES];
	void *priv;		/* the device type's state */
};

/* Put d on the bus: a device of type t (NULL: the placeholder, Device ID 0). */
void virtio_dev_init(struct virtio_dev *d, const struct virtio_type *t, struct vm *vm,
		     struct plic *plic, unsigned irq, void *priv);
/* The device hit an error it cannot recover from (2.1.2): DEVICE_NEEDS_RESET, a configuration change notification. */
void virtio_needs_reset(struct virtio_dev *d);
/* Raise the used-buffer notification (4.2.3.4) unless the driver suppressed it (2.7.7). */
void virtio_used_notify(struct virtio_dev *d, struct virtq *q);
extern const struct vm_device_ops virtio_mmio_ops;

/*
 * virtq.c. virtq_ring_check: the rings of a queue about to be made ready
 * lie in guest RAM, aligned (2.7 table of alignments), num a power of 2
 * no larger than VIRTQ_NUM_MAX; 0 or -1.
 * virtq_pop: the next chain: 1 popped into *c, 0 the ring is empty, -1
 * the driver broke the ring (an index or descriptor out of range, a loop,
 * a chain longer than the queue, an indirect descriptor, a readable
 * descriptor after a writable one, a ring outside guest RAM).
 * virtq_push: put the chain back in the used ring with len bytes written; 0 or -1.
 */
int virtq_ring_check(const struct vm *vm, const struct virtq *q);
int virtq_pop(const struct vm *vm, struct virtq *q, struct virtq_chain *c);
int virtq_push(const struct vm *vm, struct virtq *q, uint16_t head, uint32_t len);
/*
 * Copy between a chain's buffers and the VMM: len bytes at offset off of
 * its readable (virtq_chain_read) or writable (virtq_chain_write) part.
 * 0, or -1 if that part is too short or any byte lies outside guest RAM.
 */
int virtq_chain_read(const struct vm *vm, const struct virtq_chain *c, uint64_t off, void *dst, uint64_t len);
int virtq_chain_write(const struct vm *vm, const struct virtq_chain *c, uint64_t off, const void *src, uint64_t len);
/* True if every buffer of c lies wholly in guest RAM. */
bool virtq_chain_in_ram(const struct vm *vm, const struct virtq_chain *c);

/* The device types (virtio_blk.c, virtio_console.c). */
struct virtio_blk_disk {
	uint8_t *data;		/* the VMM's pointer to the disk's RAM copy */
	uint64_t sectors;	/* 512 bytes each */
};
extern const struct virtio_type virtio_blk_type;
extern const struct virtio_type virtio_console_type;

#endif

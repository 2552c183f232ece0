/*
 * hostile.c: group hostile, a driver that fills descriptors, rings and
 * registers with garbage (virtio 1.2's "driver MUST NOT"s). Each case gets
 * the device's error answer (status VIRTIO_BLK_S_IOERR or _UNSUPP,
 * DEVICE_NEEDS_RESET with the queue left alone, a queue that does not
 * become ready, a notify ignored), and the device keeps working after a
 * reset. Addresses outside guest RAM: 0x70000000 (nothing there), the
 * UART, host addresses of the VMM's (the disk's copy, a second guest's
 * RAM), the device's own registers, the PLIC, the last bytes of RAM.
 */
#include <string.h>

#include "checks.h"
#include "lab03_map.h"
#include "vguest.h"

#define NOWHERE 0x70000000UL

static uint64_t needs_reset(unsigned slot)
{
	return (vr(slot, VMMIO_STATUS) & VSTAT_NEEDS_RESET) != 0;
}

static uint64_t used_idx(void)
{
	return *(volatile uint16_t *)(vq0.used + 2);
}

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* A fresh block device with a well-formed IN request of sector 1 in descriptors 0..2. */
static void fresh_request(void)
{
	vdev_setup(SLOT_BLK, 0, 0, 0, 0, VQ_NUM, true);
	blk_chain(VBLK_T_IN, 1, addr(blk_buf), 512, true, 0);
}

static void go(uint16_t head)
{
	vq_post(SLOT_BLK, 0, head, true);
}

static uint8_t status_byte(void)
{
	return *(volatile uint8_t *)&blk_status;
}

/* A request whose data buffer is at data: its status byte, NEEDS_RESET. */
static void data_at(const char *name, uint64_t data)
{
	fresh_request();
	vq0.desc[1].addr = data;
	go(0);
	uint64_t v[] = { status_byte(), needs_reset(SLOT_BLK) };
	vcheck(name, v, 2);
}

/* A broken chain or ring: NEEDS_RESET, and nothing in the used ring. */
static void broken(const char *name)
{
	uint64_t v[] = { needs_reset(SLOT_BLK), used_idx() };
	vcheck(name, v, 2);
}

/* A queue set up with these rings and size: QueueReady, NEEDS_RESET. */
static void bad_queue(uint64_t v[2], uint64_t desc, uint64_t avail, uint64_t used, uint32_t num)
{
	vdev_setup(SLOT_BLK, 0, desc, avail, used, num, true);
	v[0] = vr(SLOT_BLK, VMMIO_QUEUE_READY);
	v[1] = needs_reset(SLOT_BLK);
}

static void ring_cases(void)
{
	uint64_t v[4];

	bad_queue(v, 0, 0, 0, 2 * vr(SLOT_BLK, VMMIO_QUEUE_NUM_MAX) + 2 * VQ_NUM);
	vcheck("queue_num_above_max", v, 2);
	bad_queue(v, 0, 0, 0, 3);
	vcheck("queue_num_not_power_of_2", v, 2);
	bad_queue(v, VIRT_VIRTIO_BASE, 0, 0, VQ_NUM);
	bad_queue(v + 2, 0, 0, VIRT_PLIC_BASE, VQ_NUM);
	vcheck("rings_in_mmio", v, 4);
	bad_queue(v, addr(blk_buf) + 8, 0, 0, VQ_NUM);
	vcheck("rings_unaligned", v, 2);
}

static void request_cases(void)
{
	uint64_t v[4];

	fresh_request();
	vq0.desc[0].addr = addr(blk_buf);
	memset(blk_buf, 0, 16);
	blk_buf[0] = 99;	/* type 99 */
	vq0.desc[1].addr = addr(blk_buf) + 512;
	go(0);
	v[0] = status_byte();
	v[1] = used_idx();
	vcheck("bad_type", v, 2);

	fresh_request();
	vq0.desc[1].len = 100;	/* no whole sector */
	go(0);
	v[0] = status_byte();
	fresh_request();
	blk_chain(VBLK_T_IN, KIT_DISK_SECTORS, addr(blk_buf), 512, true, 0);	/* past the end */
	go(0);
	v[1] = status_byte();
	fresh_request();
	blk_chain(VBLK_T_OUT, KIT_DISK_SECTORS - 1, addr(blk_buf), 1024, false, 0);	/* across the end */
	go(0);
	v[2] = status_byte();
	vcheck("bad_lengths", v, 3);

	/* 3.1.1: no notify before DRIVER_OK; the device ignores one */
	vdev_setup(SLOT_BLK, 0, 0, 0, 0, VQ_NUM, false);
	blk_chain(VBLK_T_IN, 1, addr(blk_buf), 512, true, 0);
	go(0);
	v[0] = used_idx();
	v[1] = status_byte();
	vw(SLOT_BLK, VMMIO_STATUS, vr(SLOT_BLK, VMMIO_STATUS) | VSTAT_DRIVER_OK);
	vw(SLOT_BLK, VMMIO_QUEUE_NOTIFY, 0);
	v[2] = vq_used_idx(0);
	v[3] = status_byte();
	vcheck("notify_before_driver_ok", v, 4);

	/* a reset between posting and notifying: the request is gone */
	fresh_request();
	vq_post(SLOT_BLK, 0, 0, false);
	vw(SLOT_BLK, VMMIO_STATUS, 0);
	vw(SLOT_BLK, VMMIO_QUEUE_NOTIFY, 0);
	v[0] = vr(SLOT_BLK, VMMIO_STATUS);
	v[1] = vr(SLOT_BLK, VMMIO_QUEUE_READY);
	v[2] = used_idx();
	v[3] = status_byte();
	vcheck("reset_in_the_middle", v, 4);

	/* 6.1: a modern device refuses FEATURES_OK without VERSION_1 */
	vw(SLOT_BLK, VMMIO_STATUS, 0);
	vw(SLOT_BLK, VMMIO_STATUS, VSTAT_ACKNOWLEDGE | VSTAT_DRIVER);
	vw(SLOT_BLK, VMMIO_DRIVER_FEATURES_SEL, 1);
	vw(SLOT_BLK, VMMIO_DRIVER_FEATURES, 0);
	vw(SLOT_BLK, VMMIO_STATUS, VSTAT_ACKNOWLEDGE | VSTAT_DRIVER | VSTAT_FEATURES_OK);
	v[0] = (vr(SLOT_BLK, VMMIO_STATUS) & VSTAT_FEATURES_OK) != 0;
	vcheck("features_without_version_1", v, 1);
}

static void console_case(void)
{
	uint64_t v[3];

	/* transmit buffers outside RAM, one of 4 GiB: nothing printed, both used */
	vdev_setup(SLOT_CONSOLE, 1, 0, 0, 0, VQ_NUM, true);
	vq0.desc[0] = (struct vdesc){ NOWHERE, 100, 0, 0 };
	vq0.desc[1] = (struct vdesc){ addr(blk_buf), 0xffffffffu, 0, 0 };
	vq_post(SLOT_CONSOLE, 1, 0, false);
	vq_post(SLOT_CONSOLE, 1, 1, true);
	v[0] = vq_used_idx(0);
	v[1] = needs_reset(SLOT_CONSOLE);
	v[2] = vq_used_len(0) == 0 && vq_used_len(1) == 0;
	vcheck("console_garbage", v, 3);
	vw(SLOT_CONSOLE, VMMIO_STATUS, 0);
}

void group_hostile(void)
{
	data_at("data_outside_ram", NOWHERE);
	data_at("data_at_uart", VIRT_UART0_BASE);
	/* the host address of the disk's RAM copy and of guest RAM's backing:
	 * guest-physical addresses with nothing behind them (a VMM that took
	 * them as host addresses would give the guest its own disk and RAM) */
	data_at("data_at_disk_copy", DISK_BACKING_PA);
	data_at("data_at_second_guest", VM1_BACKING_PA);

	/* the last 256 bytes of RAM and 256 beyond: nothing of it written */
	volatile uint8_t *end = (volatile uint8_t *)(uintptr_t)(ginfo.ram_base + ginfo.ram_size);
	for (int i = 1; i <= 256; i++)
		end[-i] = 0x5a;
	fresh_request();
	vq0.desc[1].addr = addr((const void *)(end - 256));
	go(0);
	uint64_t intact = 1;
	for (int i = 1; i <= 256; i++)
		intact &= end[-i] == 0x5a;
	uint64_t v[3] = { status_byte(), needs_reset(SLOT_BLK), intact };
	vcheck("data_across_ram_end", v, 3);

	fresh_request();
	vq0.desc[2].addr = NOWHERE;
	go(0);
	broken("status_outside_ram");

	fresh_request();
	vq0.desc[1].next = 0;	/* 0 -> 1 -> 0 -> ... */
	go(0);
	broken("chain_loop");

	fresh_request();
	vq0.desc[1].next = 200;
	go(0);
	broken("chain_next_past_queue");

	fresh_request();
	go(99);
	broken("head_past_queue");

	fresh_request();
	vq0.avail[2] = 0;
	vq0.avail[1] = VQ_NUM + 5;	/* more entries than the queue holds */
	vw(SLOT_BLK, VMMIO_QUEUE_NOTIFY, 0);
	broken("avail_idx_jump");

	fresh_request();
	vq0.desc[0].flags |= VDESC_F_INDIRECT;
	go(0);
	broken("indirect_not_offered");

	fresh_request();
	vq0.desc[2].flags = 0;	/* status readable, after the writable data */
	go(0);
	broken("readable_after_writable");

	ring_cases();
	request_cases();
	console_case();

	uint64_t ok[2] = { blk_rw(VBLK_T_IN, 5, blk_buf, 512), 0 };
	for (unsigned i = 0; i < 512; i++)
		ok[1] += blk_buf[i] == kit_disk_byte(5, i);
	vcheck("device_still_works", ok, 2);
	vw(SLOT_BLK, VMMIO_STATUS, 0);
}

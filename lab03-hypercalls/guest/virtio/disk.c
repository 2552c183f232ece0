/*
 * disk.c: groups disk and disk_hostile, for two VMs side by side (tests/
 * qemu_two.c), each with its own disk image (lab03_map.h).
 *
 * disk: which disk slot 0 serves. Its values depend on the VM, so they
 * are printed as observed (kit_check_values) and the host test holds
 * them against the VM's number: the slot's Device ID (2, or 0 where no
 * image was loaded: virtio 1.2, 4.2.2), the header of sector 0 with the
 * disk's number (kitdisk.h), sector 5, then the scratch sector written
 * with this run's token (vg_disk_scratch_byte) and read back, which the
 * test finds from outside, in the disk's host RAM copy.
 *
 * disk_hostile: the same on its own disk, then requests aimed at the
 * other VM: data buffers at the host addresses of both disks' copies and
 * of both VMs' RAM (guest-physical addresses outside this VM's RAM, the
 * first just past its end), writes whose sector lies past this disk's
 * room or wraps around to below it (the other disk, were the bound
 * unchecked), rings at the disks' copies. Each gets the device's error
 * answer (checks.h); the disk still works after them.
 *
 * kit.hold=1: hold after the group (no SRST), so that the test can read
 * both disks through QEMU's monitor before the machine powers off.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "lab03_map.h"
#include "riscv.h"
#include "sbi.h"
#include "vguest.h"

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t needs_reset(void)
{
	return (vr(SLOT_BLK, VMMIO_STATUS) & VSTAT_NEEDS_RESET) != 0;
}

/* What this VM's slot 0 holds; false if no block device. */
static bool own_disk(void)
{
	uint64_t slot[] = { vr(SLOT_BLK, VMMIO_MAGIC_VALUE), vr(SLOT_BLK, VMMIO_VERSION),
			    vr(SLOT_BLK, VMMIO_DEVICE_ID) };
	kit_check_values("disk_slot", slot, 3);
	if (slot[2] != VG_DEVICE_ID_BLOCK)
		return false;

	/* sector 0: the header (magic, sectors, the disk's number); sector 5: the image's bytes */
	uint64_t id[5] = { blk_rw(VBLK_T_IN, 0, blk_buf, 512), memcmp(blk_buf, KIT_DISK_MAGIC, 8) == 0 };
	memcpy(&id[2], blk_buf + 8, 8);
	memcpy(&id[3], blk_buf + KIT_DISK_NUMBER_AT, 8);
	if (blk_rw(VBLK_T_IN, 5, blk_buf, 512) == VBLK_S_OK)
		for (unsigned i = 0; i < 512; i++)
			id[4] += blk_buf[i] == kit_disk_byte(5, i);
	kit_check_values("disk_id", id, 5);

	for (unsigned i = 0; i < 512; i++)
		blk_buf[i] = vg_disk_scratch_byte(ginfo.token, i);
	uint64_t wr[2] = { blk_rw(VBLK_T_OUT, KIT_DISK_SCRATCH, blk_buf, 512), 0 };
	memset(blk_buf, 0, 512);
	if (blk_rw(VBLK_T_IN, KIT_DISK_SCRATCH, blk_buf, 512) == VBLK_S_OK)
		for (unsigned i = 0; i < 512; i++)
			wr[1] += blk_buf[i] == vg_disk_scratch_byte(ginfo.token, i);
	kit_check_values("disk_write", wr, 2);
	return true;
}

/* kit.hold=1: stay here, the hart asleep (a far timer armed, so the VMM sleeps too). */
static void hold(void)
{
	if (!strstr(ginfo.bootargs, "kit.hold=1"))
		return;
	printf("KIT HOLD\n");
	csr_clear(sstatus, SSTATUS_SIE);
	csr_set(sie, SIP_STIP);
	for (;;) {
		sbi_set_timer(csr_read(time) + 100000000ULL);	/* 10 s at 10 MHz */
		wfi();
	}
}

void group_disk(void)
{
	own_disk();
	vw(SLOT_BLK, VMMIO_STATUS, 0);
	hold();
}

/* One request of type at sector with its data buffer at data: its status byte, NEEDS_RESET. */
static void request_at(const char *name, uint32_t type, uint64_t sector, uint64_t data)
{
	vdev_setup(SLOT_BLK, 0, 0, 0, 0, VQ_NUM, true);
	blk_chain(type, sector, data, 512, type == VBLK_T_IN, 0);
	vq_post(SLOT_BLK, 0, 0, true);
	uint64_t v[] = { *(volatile uint8_t *)&blk_status, needs_reset() };
	vcheck(name, v, 2);
}

void group_disk_hostile(void)
{
	if (!own_disk())
		return;
	/* the device writes the sector into guest-physical data (IN) */
	request_at("in_to_disk0_copy", VBLK_T_IN, 1, DISK_BACKING_PA);
	request_at("in_to_disk1_copy", VBLK_T_IN, 1, DISK1_BACKING_PA);
	request_at("in_to_vm0_ram", VBLK_T_IN, 1, VM0_BACKING_PA);
	request_at("in_to_vm1_ram", VBLK_T_IN, 1, VM1_BACKING_PA);
	/* the device reads the sector from guest-physical data (OUT): a copy of the other disk */
	request_at("out_from_disk0_copy", VBLK_T_OUT, KIT_DISK_SCRATCH, DISK_BACKING_PA);
	request_at("out_from_disk1_copy", VBLK_T_OUT, KIT_DISK_SCRATCH, DISK1_BACKING_PA);
	/* 5.2.6: sectors past the capacity; were it unchecked, where the next
	 * disk's room starts, and (sector * 512 wrapping) where the one below begins */
	request_at("out_at_next_disk", VBLK_T_OUT, DISK_BACKING_MAX / 512, addr(blk_buf));
	request_at("out_wrapping_to_disk_below", VBLK_T_OUT, (0 - DISK_BACKING_MAX) / 512, addr(blk_buf));

	/* rings at the disks' copies: the queue does not become ready */
	uint64_t v[4];
	vdev_setup(SLOT_BLK, 0, DISK_BACKING_PA, 0, 0, VQ_NUM, true);
	v[0] = vr(SLOT_BLK, VMMIO_QUEUE_READY);
	v[1] = needs_reset();
	vdev_setup(SLOT_BLK, 0, 0, 0, DISK1_BACKING_PA, VQ_NUM, true);
	v[2] = vr(SLOT_BLK, VMMIO_QUEUE_READY);
	v[3] = needs_reset();
	vcheck("rings_at_disk_copies", v, 4);

	uint64_t ok[2] = { blk_rw(VBLK_T_IN, 5, blk_buf, 512), 0 };
	for (unsigned i = 0; i < 512; i++)
		ok[1] += blk_buf[i] == kit_disk_byte(5, i);
	vcheck("own_disk_still_works", ok, 2);
	vw(SLOT_BLK, VMMIO_STATUS, 0);
	hold();
}

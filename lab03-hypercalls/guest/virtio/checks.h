/*
 * checks.h: the virtio guest's checks with the values the virtio 1.2 spec
 * (and the kit's disk, kitdisk.h) require of the VMM's devices, in the
 * order the guest runs them. Included by the guest (kit_check_table) and
 * by tests/qemu_virtio.c (the digests and the witness path).
 */
#ifndef VGUEST_CHECKS_H
#define VGUEST_CHECKS_H

#include "kitcheck.h"
#include "kitdisk.h"

#define VG_MAGIC 0x74726976	/* "virt", 4.2.2 */
#define VG_IOERR 1
#define VG_UNSUPP 2
#define VG_DEVICE_ID_BLOCK 2	/* 5: Device ID 2, block */

/*
 * The byte group disk (disk.c) writes at offset off of its disk's
 * scratch sector: the run's token (kit.token=), then kitdisk.h's scratch
 * bytes. The host test looks for it in the disk's host RAM copy: each
 * VM's token on its own disk only.
 */
static inline uint8_t vg_disk_scratch_byte(const char *token, unsigned off)
{
	for (unsigned i = 0; i <= off; i++)
		if (token[i] == '\0')
			return kit_disk_scratch_byte(off);
	return (uint8_t)token[off];
}

static const struct kit_check_spec virtio_checks[] = {
	/* slot 0: MagicValue, Version 2 (modern), Device ID 2 (block) */
	{ "blk", "blk_probe", 3, { VG_MAGIC, 2, 2 } },
	/* VERSION_1 offered (DeviceFeatures word 1 bit 0); FEATURES_OK and
	 * DRIVER_OK kept; QueueNumMax at least the driver's 8 */
	{ "blk", "blk_setup", 3, { 1, 1, 1 } },
	/* 5.2.4: capacity, 512-byte sectors */
	{ "blk", "blk_capacity", 1, { KIT_DISK_SECTORS } },
	/* sector 0: status OK, used len 513, the header; sector 5: every byte the image's */
	{ "blk", "blk_read", 5, { 0, 513, 1, 0, 512 } },
	/* the scratch sector written (OK, used len 1), read back intact */
	{ "blk", "blk_write", 3, { 0, 1, 512 } },
	/* a completion: InterruptStatus bit 0; no external interrupt while
	 * the source's priority is not above the threshold, one when it is;
	 * the claim gave source 1, the next claim 0; InterruptACK cleared it */
	{ "blk", "blk_plic", 5, { 1, 0, 1, 1, 0 } },
	/* slot 1: Device ID 3 (console) */
	{ "console", "console_probe", 3, { VG_MAGIC, 2, 3 } },
	/* a line on transmitq: used once, head 0, 0 bytes written (5.3.6.1) */
	{ "console", "console_tx", 3, { 1, 0, 0 } },
	/* each garbage case: the device's error answer (status byte,
	 * DEVICE_NEEDS_RESET, QueueReady), and the device used nothing it should not */
	{ "hostile", "data_outside_ram", 2, { VG_IOERR, 0 } },
	{ "hostile", "data_at_uart", 2, { VG_IOERR, 0 } },
	{ "hostile", "data_at_disk_copy", 2, { VG_IOERR, 0 } },
	{ "hostile", "data_at_second_guest", 2, { VG_IOERR, 0 } },
	{ "hostile", "data_across_ram_end", 3, { VG_IOERR, 0, 1 } },
	{ "hostile", "status_outside_ram", 2, { 1, 0 } },
	{ "hostile", "chain_loop", 2, { 1, 0 } },
	{ "hostile", "chain_next_past_queue", 2, { 1, 0 } },
	{ "hostile", "head_past_queue", 2, { 1, 0 } },
	{ "hostile", "avail_idx_jump", 2, { 1, 0 } },
	{ "hostile", "indirect_not_offered", 2, { 1, 0 } },
	{ "hostile", "readable_after_writable", 2, { 1, 0 } },
	{ "hostile", "queue_num_above_max", 2, { 0, 1 } },
	{ "hostile", "queue_num_not_power_of_2", 2, { 0, 1 } },
	{ "hostile", "rings_in_mmio", 4, { 0, 1, 0, 1 } },
	{ "hostile", "rings_unaligned", 2, { 0, 1 } },
	{ "hostile", "bad_type", 2, { VG_UNSUPP, 1 } },
	{ "hostile", "bad_lengths", 3, { VG_IOERR, VG_IOERR, VG_IOERR } },
	{ "hostile", "notify_before_driver_ok", 4, { 0, 0xff, 1, 0 } },
	{ "hostile", "reset_in_the_middle", 4, { 0, 0, 0, 0xff } },
	{ "hostile", "features_without_version_1", 1, { 0 } },
	{ "hostile", "console_garbage", 3, { 2, 0, 1 } },
	{ "hostile", "device_still_works", 2, { 0, 512 } },
	/* group disk_hostile (disk.c), after its own disk's checks (whose
	 * values depend on the VM: kit_check_values): requests aimed at the
	 * other VM's disk copy and RAM, each VIRTIO_BLK_S_IOERR (5.2.6.1)
	 * without DEVICE_NEEDS_RESET; rings there never ready, NEEDS_RESET */
	{ "disk_hostile", "in_to_disk0_copy", 2, { VG_IOERR, 0 } },
	{ "disk_hostile", "in_to_disk1_copy", 2, { VG_IOERR, 0 } },
	{ "disk_hostile", "in_to_vm0_ram", 2, { VG_IOERR, 0 } },
	{ "disk_hostile", "in_to_vm1_ram", 2, { VG_IOERR, 0 } },
	{ "disk_hostile", "out_from_disk0_copy", 2, { VG_IOERR, 0 } },
	{ "disk_hostile", "out_from_disk1_copy", 2, { VG_IOERR, 0 } },
	{ "disk_hostile", "out_at_next_disk", 2, { VG_IOERR, 0 } },
	{ "disk_hostile", "out_wrapping_to_disk_below", 2, { VG_IOERR, 0 } },
	{ "disk_hostile", "rings_at_disk_copies", 4, { 0, 1, 0, 1 } },
	{ "disk_hostile", "own_disk_still_works", 2, { 0, 512 } },
};
#define VIRTIO_NCHECKS (sizeof virtio_checks / sizeof virtio_checks[0])

#endif

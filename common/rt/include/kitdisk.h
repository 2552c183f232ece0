/*
 * kitdisk.h: the disk image lab03's virtio block device serves (built by
 * lab03-hypercalls/disk/mkdisk.c, loaded by QEMU's generic loader into
 * host RAM outside guest RAM: lab03-hypercalls/vmm/lab03_map.h).
 *
 * KIT_DISK_SECTORS sectors of 512 bytes. Sector 0 starts with a header,
 * KIT_DISK_MAGIC (8 bytes) and the sector count (little-endian, 8 bytes),
 * which is how the VMM knows a disk is there and how large it is, then
 * the disk's number (little-endian, 8 bytes: n for VM n's disk, lab03's
 * disk.img 0 and disk1.img 1), which is how a test tells them apart; every
 * other byte of the image is kit_disk_byte(sector, offset), so a reader
 * checks any sector without a copy of the image. The last sector is the
 * scratch sector the kit's guests write and read back.
 *
 * Pure C, header only: the VMM, the guests, Linux's init, the host tool
 * and the host tests include it.
 */
#ifndef KIT_KITDISK_H
#define KIT_KITDISK_H

#include <stdint.h>

#define KIT_DISK_SECTOR_SIZE 512
#define KIT_DISK_SECTORS     2048	/* 1 MiB */
#define KIT_DISK_MAGIC       "KITDISK1"
#define KIT_DISK_HEADER      24	/* magic, the sector count, the disk's number */
#define KIT_DISK_NUMBER_AT   16	/* the disk's number: its offset in sector 0 */
#define KIT_DISK_SCRATCH     (KIT_DISK_SECTORS - 1)

/* The image's byte at offset off of sector s (outside sector 0's header). */
static inline uint8_t kit_disk_byte(uint64_t s, unsigned off)
{
	return (uint8_t)(s * 131u + off * 7u + (s >> 8) + 1u);
}

/* The byte the kit's guests write at offset off of the scratch sector. */
static inline uint8_t kit_disk_scratch_byte(unsigned off)
{
	return (uint8_t)(0xa5u ^ (off * 13u));
}

#endif

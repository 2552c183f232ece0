/*
 * virtio_blk.c: the block device (virtio 1.2, 5.2) on the kit's disk
 * image, which QEMU loaded into host RAM outside guest RAM (lab03_map.h).
 * One request queue; the configuration space is capacity alone (no
 * feature bits but VERSION_1). A request (5.2.6) is a 16-byte header
 * (type, reserved, sector) in the readable part, data, and a status byte
 * at the end of the writable part. A request that names sectors past the
 * end, data that are no whole sectors, or buffers outside guest RAM gets
 * VIRTIO_BLK_S_IOERR; an unknown type VIRTIO_BLK_S_UNSUPP (5.2.6.1); one
 * without room for its status byte, or a broken ring, DEVICE_NEEDS_RESET.
 * Writes go to the RAM copy (the image file is never written).
 */
#include <string.h>

#include "virtio.h"

#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_ID_BYTES 20
#define SECTOR 512

static uint8_t blk_config_byte(const struct virtio_dev *d, unsigned off)
{
	const struct virtio_blk_disk *disk = d->priv;

	/* 5.2.4: le64 capacity, in 512-byte sectors */
	return (uint8_t)(disk->sectors >> (8 * off));
}

/* Serve one request; the status byte, or -1 if it cannot be written. */
static int serve(struct virtio_dev *d, const struct virtq_chain *c, uint32_t *written)
{
	struct virtio_blk_disk *disk = d->priv;
	uint8_t hdr[16], st = VIRTIO_BLK_S_OK;
	uint32_t type;
	uint64_t sector, data;

	if (c->wlen == 0)
		return -1;
	data = c->wlen - 1;	/* the writable part less the status byte */
	*written = 1;
	if (virtq_chain_read(d->vm, c, 0, hdr, sizeof hdr) != 0) {
		st = VIRTIO_BLK_S_IOERR;
		goto out;
	}
	memcpy(&type, hdr, 4);
	memcpy(&sector, hdr + 8, 8);
	switch (type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT: {
		uint64_t len = type == VIRTIO_BLK_T_IN ? data : c->rlen - sizeof hdr;
		if (len % SECTOR || sector > disk->sectors || len / SECTOR > disk->sectors - sector) {
			st = VIRTIO_BLK_S_IOERR;
			break;
		}
		uint8_t *at = disk->data + sector * SECTOR;
		if (type == VIRTIO_BLK_T_IN) {
			if (virtq_chain_write(d->vm, c, 0, at, len) != 0)
				st = VIRTIO_BLK_S_IOERR;
			else
				*written += (uint32_t)len;
		} else if (virtq_chain_read(d->vm, c, sizeof hdr, at, len) != 0) {
			/* the copy may have stopped part way: the spec allows a
			 * failed write to leave the sectors undefined (5.2.6) */
			st = VIRTIO_BLK_S_IOERR;
		}
		break;
	}
	case VIRTIO_BLK_T_GET_ID: {
		static const char id[VIRTIO_BLK_ID_BYTES] = "kit-disk";
		uint64_t n = data < sizeof id ? data : sizeof id;
		if (virtq_chain_write(d->vm, c, 0, id, n) != 0)
			st = VIRTIO_BLK_S_IOERR;
		else
			*written += (uint32_t)n;
		break;
	}
	default:
		st = VIRTIO_BLK_S_UNSUPP;
		break;
	}
out:
	/* the status byte is the last writable byte (5.2.6) */
	if (virtq_chain_write(d->vm, c, data, &st, 1) != 0)
		return -1;
	return st;
}

const struct virtio_type virtio_blk_type = {
	.device_id = VIRTIO_ID_BLOCK,
	.nqueues = 1,
	.features = 0,
	.config_len = 8,
	.config_byte = blk_config_byte,
	.served_queues = 1u << 0,
	.serve = serve,
};

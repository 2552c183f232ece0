/* blk.c: group blk, the block device driven as a driver must (5.2). */
#include <string.h>

#include "checks.h"
#include "riscv.h"
#include "vguest.h"

/* The external interrupts taken so far, after a moment for one to arrive. */
static uint64_t settle(void)
{
	for (unsigned i = 0; i < 10000 && !irq_seen; i++)
		__asm__ volatile("" ::: "memory");
	return irq_seen;
}

void group_blk(void)
{
	uint64_t probe[] = { vr(SLOT_BLK, VMMIO_MAGIC_VALUE), vr(SLOT_BLK, VMMIO_VERSION),
			     vr(SLOT_BLK, VMMIO_DEVICE_ID) };
	vcheck("blk_probe", probe, 3);

	uint32_t st = vdev_setup(SLOT_BLK, 0, 0, 0, 0, VQ_NUM, true);
	vw(SLOT_BLK, VMMIO_DEVICE_FEATURES_SEL, 1);
	uint64_t setup[] = { vr(SLOT_BLK, VMMIO_DEVICE_FEATURES) & 1,
			     (st & (VSTAT_FEATURES_OK | VSTAT_DRIVER_OK)) == (VSTAT_FEATURES_OK | VSTAT_DRIVER_OK),
			     vr(SLOT_BLK, VMMIO_QUEUE_NUM_MAX) >= VQ_NUM };
	vcheck("blk_setup", setup, 3);
	uint64_t cap[] = { vr(SLOT_BLK, VMMIO_CONFIG) | (uint64_t)vr(SLOT_BLK, VMMIO_CONFIG + 4) << 32 };
	vcheck("blk_capacity", cap, 1);

	/* sector 0 (the header) and sector 5 */
	uint64_t rd[5] = { 0 };
	rd[0] = blk_rw(VBLK_T_IN, 0, blk_buf, 512);
	rd[1] = vq_used_len(0);
	uint64_t n = 0;
	memcpy(&n, blk_buf + 8, 8);
	rd[2] = memcmp(blk_buf, KIT_DISK_MAGIC, 8) == 0 && n == KIT_DISK_SECTORS;
	rd[3] = blk_rw(VBLK_T_IN, 5, blk_buf, 512);
	for (unsigned i = 0; i < 512; i++)
		rd[4] += blk_buf[i] == kit_disk_byte(5, i);
	vcheck("blk_read", rd, 5);

	for (unsigned i = 0; i < 512; i++)
		blk_buf[i] = kit_disk_scratch_byte(i);
	uint64_t wr[3] = { blk_rw(VBLK_T_OUT, KIT_DISK_SCRATCH, blk_buf, 512), vq_used_len(0), 0 };
	memset(blk_buf, 0, 512);
	blk_rw(VBLK_T_IN, KIT_DISK_SCRATCH, blk_buf, 512);
	for (unsigned i = 0; i < 512; i++)
		wr[2] += blk_buf[i] == kit_disk_scratch_byte(i);
	vcheck("blk_write", wr, 3);

	/* the PLIC: source 1 at priority 1, enabled for context 0, the
	 * guest's external interrupt on (main.c's on_trap claims it). The
	 * interrupt is taken, not read from sip: QEMU 7.2's vsip does not
	 * show hvip.VSEIP (a VS-mode guest reads 0 there). */
	mw32(PLIC_PRIORITY(1), 1);
	mw32(PLIC_ENABLE0, 1u << 1);
	mw32(PLIC_THRESHOLD0, 1);
	irq_seen = irq_id = 0;
	csr_set(sie, SIP_SEIP);
	csr_set(sstatus, SSTATUS_SIE);
	blk_rw(VBLK_T_IN, 1, blk_buf, 512);
	uint64_t irq[5];
	irq[0] = vr(SLOT_BLK, VMMIO_INTERRUPT_STATUS) & 1;
	irq[1] = settle();	/* priority 1 is not above threshold 1 */
	mw32(PLIC_THRESHOLD0, 0);
	irq[2] = settle();
	irq[3] = irq_id == 1 && mr32(PLIC_CLAIM0) == 0;
	irq[4] = vr(SLOT_BLK, VMMIO_INTERRUPT_STATUS);
	csr_clear(sstatus, SSTATUS_SIE);
	csr_clear(sie, SIP_SEIP);
	mw32(PLIC_ENABLE0, 0);
	vcheck("blk_plic", irq, 5);
	vw(SLOT_BLK, VMMIO_STATUS, 0);
}

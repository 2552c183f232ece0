/*
 * main.c: the virtio guest's kernel: groups blk, console, hostile, disk
 * and disk_hostile (kit.only=<group>), then "KIT DONE" and SBI SRST. It expects no trap:
 * one is a FAIL and the end of the run.
 */
#include <stdio.h>

#include "checks.h"
#include "riscv.h"
#include "sbi.h"
#include "vguest.h"

bool vcheck(const char *name, const uint64_t *got, unsigned n)
{
	return kit_check_table(virtio_checks, VIRTIO_NCHECKS, name, got, n);
}

volatile unsigned irq_seen, irq_id;

/*
 * The one trap expected: the external interrupt of group blk's request
 * (scause 9 | interrupt): claimed at the PLIC, acknowledged at the device
 * (InterruptACK, 4.2.3.4), completed. Anything else is a FAIL.
 */
static void __attribute__((interrupt("supervisor"), aligned(4))) on_trap(void)
{
	if (csr_read(scause) == (SCAUSE_INTERRUPT | IRQ_S_EXT)) {
		irq_id = mr32(PLIC_CLAIM0);
		irq_seen++;
		vw(SLOT_BLK, VMMIO_INTERRUPT_ACK, vr(SLOT_BLK, VMMIO_INTERRUPT_STATUS));
		mw32(PLIC_CLAIM0, irq_id);
		return;
	}
	printf("KIT CHECK unexpected_trap FAIL expected no trap got scause %#lx stval %#lx sepc %#lx\n",
	       (unsigned long)csr_read(scause), (unsigned long)csr_read(stval),
	       (unsigned long)csr_read(sepc));
	sbi_shutdown_failure();
}

static const struct guest_group groups[] = {
	{ "blk", group_blk },
	{ "console", group_console },
	{ "hostile", group_hostile },
	{ "disk", group_disk },
	{ "disk_hostile", group_disk_hostile },
};

static const struct guest_kernel kernel = {
	.banner = "virtio",
	.stvec = (const void *)on_trap,
	.groups = groups,
	.ngroups = sizeof groups / sizeof groups[0],
};

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	guest_main(hartid, dtb, &kernel);
}

/*
 * virt.h: the kit's machine, QEMU 7.2's virt board with OpenSBI 1.1
 * (../../../../shared/REFERENCES.md, "QEMU virt machine"; QEMU's
 * hw/riscv/virt.c, virt_memmap[]).
 * Programs that can read the device tree take these from it; these are
 * the values for what has none (defaults before the tree is read, host
 * tests that check guest addresses).
 */
#ifndef KIT_VIRT_H
#define KIT_VIRT_H

#define VIRT_UART0_BASE 0x10000000UL	/* NS16550A, registers in ns16550.h */
#define VIRT_DRAM_BASE  0x80000000UL	/* RAM, -m bytes of it */
/* The PLIC (riscv-plic-spec 1.0.0; QEMU's sifive_plic, "riscv,plic0")
 * and the eight virtio-mmio slots, slot n at VIRT_VIRTIO_BASE + n *
 * VIRT_VIRTIO_STRIDE on PLIC source VIRT_VIRTIO_IRQ(n). lab03's VMM gives
 * its guests the same map. */
#define VIRT_PLIC_BASE     0x0c000000UL
#define VIRT_PLIC_SIZE     0x600000UL
#define VIRT_VIRTIO_BASE   0x10001000UL
#define VIRT_VIRTIO_STRIDE 0x1000UL
#define VIRT_VIRTIO_SLOTS  8
#define VIRT_VIRTIO_IRQ(n) (1 + (n))
/* Where OpenSBI (fw_jump, -bios default) enters an S-mode payload. */
#define VIRT_PAYLOAD_BASE 0x80200000UL

#endif

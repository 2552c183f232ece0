/*
 * witness.S: the witness slots (guest/README.md, "Witness path").
 *
 * Sixteen 8-byte slots, each a read of sscratch (csrrs x0, sscratch, x0:
 * Zicsr 9.1, rd = x0 still reads) and a return. report.c calls two slots
 * after every check, chosen by a running hash of the values the check
 * observed. Natively (S-mode) a slot is an ordinary CSR read; under a
 * trap-and-emulate VMM the guest kernel runs in U-mode, where it is an
 * illegal instruction (priv 1.12, 2.1: S-level CSRs are not accessible
 * from U), so QEMU's own trap log (-d int) shows the slot's address as the
 * trap's epc: the sequence of slots the guest really executed, written by
 * QEMU, outside anything the VMM controls. No compressed instructions, so
 * every slot is exactly 8 bytes and the host can map an epc to its slot.
 */
	.section .text.kit_witness, "ax", @progbits
	.option push
	.option norvc
	.balign 8
	.globl kit_witness_slots
kit_witness_slots:
	.rept 16
	csrrs	x0, sscratch, x0
	jalr	x0, 0(ra)
	.endr
	.option pop

/*
 * emul.S: two pages of code for group emulate (access.c): a CSR read
 * (which a trap-and-emulate VMM fetches and emulates at the guest's
 * virtual pc) at the start of the first page, and one whose 4 bytes
 * straddle the two pages. Both pages are mapped execute-only.
 */
	.section .text
	.option norvc
	.balign 4096
	.globl hp_csr_pages, hp_csr_read, hp_csr_read_cross
hp_csr_pages:
hp_csr_read:
	csrr	a0, sscratch
	ret
	.skip	4096 - 8 - 2
hp_csr_read_cross:
	csrr	a0, sscratch	/* bytes 4094..4097: across the page boundary */
	ret
	.balign 4096

/*
 * Two more for group h_ext (hext.c): an MMIO load (lbu a0, 5(a0): the
 * UART's LSR) whose 4 bytes straddle two execute-only pages. A VMM that
 * emulates it fetches both halves through the guest's tables with X
 * (nested mode: two HLVX.HU, vs_fetch.c).
 */
	.globl hp_mmio_pages, hp_mmio_cross
hp_mmio_pages:
	.skip	4096 - 2
hp_mmio_cross:
	lbu	a0, 5(a0)	/* bytes 4094..4097: across the page boundary */
	ret
	.balign 4096

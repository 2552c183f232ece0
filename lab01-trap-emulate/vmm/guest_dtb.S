/* guest_dtb.S: the guest's device tree blob (guest.dts, compiled by dtc). */
	.section .rodata
	.balign 8
	.globl guest_dtb_start, guest_dtb_end
guest_dtb_start:
	.incbin "guest.dtb"
guest_dtb_end:

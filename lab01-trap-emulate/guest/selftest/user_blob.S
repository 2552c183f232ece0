/* user_blob.S: the user program's binary, embedded in the kernel image. */
	.section .rodata
	.balign 16
	.globl user_blob_start, user_blob_end
user_blob_start:
	.incbin USER_BIN
user_blob_end:

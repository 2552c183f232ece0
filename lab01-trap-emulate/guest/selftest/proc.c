/*
 * proc.c: user mode. run_user() enters U-mode with sret (priv 1.12, 3.3.2:
 * SPP = 0 selects U, SPIE becomes SIE) and returns when the user code
 * exits, or traps into the recorder, or the tick scheduler is done; the
 * trap handler comes back here with longjmp, leaving the trap stack.
 */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "sbi.h"
#include "user/syscall.h"

static jmp_buf kernel_ctx;
static bool in_run;	/* kernel_ctx is valid */
static uint64_t user_stack[2][512] __attribute__((aligned(16)));
uint64_t user_exit_code;
bool user_probe;
char user_output[64];
unsigned user_output_len, user_syscalls;

/* Copy the embedded user program to the address it is linked at. */
void user_load(void)
{
	size_t n = (size_t)(user_blob_end - user_blob_start);
	memcpy((void *)USER_BASE, user_blob_start, n);
	/* the copy is code: make instruction fetches see it (Zifencei) */
	fence_i();
}

int run_user(uint64_t entry, uint64_t a0, uint64_t a1)
{
	static struct trapframe tf;
	int why = setjmp(kernel_ctx);
	if (why != 0) {
		in_run = false;
		return why;
	}
	in_run = true;
	memset(&tf, 0, sizeof tf);
	tf.sepc = entry;
	tf.x[REG_A0] = a0;
	tf.x[REG_A1] = a1;
	tf.x[REG_SP] = (uint64_t)&user_stack[0][512];
	/* SPP = U; SPIE = 1 so U runs with SIE set; SIE = 0 until the sret */
	tf.sstatus = (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE)) | SSTATUS_SPIE;
	trap_return(&tf);
}

void user_end(int why)
{
	if (!in_run) {
		/* a trap "from U" while no user code runs: the privilege the
		 * guest kernel runs at is wrong; nothing sane is left to do */
		printf("KIT NOTE trap from user mode outside run_user (sstatus.SPP = 0 in "
		       "the kernel)\n");
		kit_done();
		sbi_shutdown_failure();
	}
	longjmp(kernel_ctx, why);
}

static void user_write(const char *buf, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++) {
		if (user_output_len < sizeof user_output)
			user_output[user_output_len++] = buf[i];
		putchar(buf[i]);
	}
}

void syscall(struct trapframe *tf)
{
	uint64_t *a = &tf->x[REG_A0];
	uint64_t ret;

	user_syscalls++;
	/* return to the instruction after ecall (always 4 bytes) */
	tf->sepc += 4;
	switch (tf->x[REG_A7]) {
	case SYS_write:
		/* satp is Bare: the user's address is a physical address */
		user_write((const char *)a[1], a[2]);
		ret = a[2];
		break;
	case SYS_getpid:
		ret = 1;
		break;
	case SYS_yield:
		ret = 0;
		break;
	case SYS_exit:
		user_exit_code = a[0];
		user_end(RUN_EXIT);
	default:
		ret = (uint64_t)-1;
		break;
	}
	a[0] = ret;
}

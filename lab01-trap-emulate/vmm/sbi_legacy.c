/*
 * sbi_legacy.c: the legacy extensions (SBI spec 2.0, chapter 5, EIDs
 * 0x00..0x08): set_timer, console_putchar, console_getchar, shutdown.
 * IPIs and remote fences (0x03..0x07) are sbi_legacy_smp's (vmm_sbi.h):
 * not supported with one vCPU, lab03 carries them out.
 */
#include "hw.h"
#include "uart.h"
#include "vm.h"
#include "vmm_sbi.h"

struct sbiret sbi_legacy_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	int c;

	(void)fid;
	switch (eid) {
	case SBI_EXT_LEGACY_SET_TIMER:
		vcpu_set_timer(v, v->x[10]);
		return (struct sbiret){ 0, 0 };
	case SBI_EXT_LEGACY_CONSOLE_PUTCHAR:
		hw_console_putc((char)v->x[10]);
		return (struct sbiret){ 0, 0 };
	case SBI_EXT_LEGACY_CONSOLE_GETCHAR:
		/* a byte the UART model already took from the console comes first */
		if (v->vm->uart.rx >= 0) {
			c = v->vm->uart.rx;
			v->vm->uart.rx = -1;
		} else {
			c = hw_console_getc();
		}
		return (struct sbiret){ c, 0 };
	case SBI_EXT_LEGACY_SHUTDOWN:
		v->state = VM_SHUTDOWN;
		v->reset_type = SBI_SRST_TYPE_SHUTDOWN;
		v->reset_reason = SBI_SRST_REASON_NONE;
		return (struct sbiret){ 0, 0 };
	}
	return sbi_legacy_smp(v, eid);
}

SBI_EXTENSION(legacy, SBI_EXT_LEGACY_SET_TIMER, SBI_EXT_LEGACY_SHUTDOWN, sbi_legacy_handler);

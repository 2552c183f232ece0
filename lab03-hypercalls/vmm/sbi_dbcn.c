/*
 * sbi_dbcn.c: the Debug Console extension (SBI 2.0, chapter 12): the
 * guest's bytes to and from the real console, by guest physical address
 * (base_addr_lo, base_addr_hi: 3.2 "Shared memory physical address
 * range"). Every byte of the range must be guest RAM, or the call is
 * SBI_ERR_INVALID_PARAM (12.1, 12.2) and nothing is read or written.
 */
#include "dbcn.h"
#include "hw.h"
#include "smp.h"
#include "todo.h"
#include "vmm_sbi.h"

/* The VMM's pointer to the guest's [lo | hi << 64, + n), or NULL if it is not all guest RAM. */
static uint8_t *dbcn_buffer(struct vcpu *v, uint64_t n, uint64_t lo, uint64_t hi)
{
	// BEGIN SOLUTION: a guest physical range checked as guest RAM
	/* RV64: a nonzero high half is beyond any memory the guest has */
	if (hi != 0)
		return 0;
	return gmem_ptr(v->vm, lo, n);
	// STARTER:
	// TODO("dbcn_buffer", "lab03 handout, task 3");
	// (void)v, (void)n, (void)lo, (void)hi;
	// return 0;
	// END SOLUTION
}

struct sbiret sbi_dbcn_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	uint64_t n = v->x[10];
	uint8_t *p;
	int c;

	(void)eid;
	switch (fid) {
	case SBI_DBCN_CONSOLE_WRITE:
		/* 12.1: value = the bytes written (at most DBCN_WRITE_MAX) */
		if (!(p = dbcn_buffer(v, n, v->x[11], v->x[12])))
			return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
		if (n > DBCN_WRITE_MAX)
			n = DBCN_WRITE_MAX;
		for (uint64_t i = 0; i < n; i++)
			hw_console_putc((char)p[i]);
		return (struct sbiret){ SBI_SUCCESS, (long)n };
	case SBI_DBCN_CONSOLE_READ:
		/* 12.2: value = the bytes read, 0 when none is waiting */
		if (!(p = dbcn_buffer(v, n, v->x[11], v->x[12])))
			return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
		uint64_t got = 0;
		for (; got < n; got++) {
			/* a byte the UART model already took from the console comes first */
			if (v->vm->uart.rx >= 0) {
				c = v->vm->uart.rx;
				v->vm->uart.rx = -1;
			} else if ((c = hw_console_getc()) < 0) {
				break;
			}
			p[got] = (uint8_t)c;
		}
		return (struct sbiret){ SBI_SUCCESS, (long)got };
	case SBI_DBCN_CONSOLE_WRITE_BYTE:
		/* 12.3: the low 8 bits of a0 */
		hw_console_putc((char)(n & 0xff));
		return (struct sbiret){ SBI_SUCCESS, 0 };
	}
	return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

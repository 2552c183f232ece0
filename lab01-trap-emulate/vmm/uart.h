/*
 * uart.h: the NS16550A the guest sees at 0x10000000 (registers as in the
 * TI PC16550D datasheet; byte-wide, no reg-shift, as QEMU virt). THR goes to
 * the real console, RBR comes from it (both through hw.h). No interrupts
 * are raised (the guest gets no PLIC in lab01): the register model's IIR
 * reads "none"; dev_uart.c adds the identification a 16550 shows in IIR
 * even without an interrupt line ("THR empty", "data available").
 */
#ifndef VMM_UART_H
#define VMM_UART_H

#include <stdbool.h>
#include <stdint.h>

#include "ns16550.h"	/* common/rt: register offsets and bits */

#define UART_GPA  0x10000000UL
#define UART_SIZE 0x100UL	/* the window in the device tree */
#define UART_NREGS 8		/* the registers that exist in it */

struct uart16550 {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	int rx;		/* a byte read from the real console, not yet taken; -1 none */
	bool thre_pending;	/* "THR empty" waits in IIR (dev_uart.c) */
};

void uart_reset(struct uart16550 *u);
/* A guest read of register `off` (0..7; other offsets read 0). */
uint8_t uart_read(struct uart16550 *u, unsigned off);
/* A guest write of register `off` (0..7; other offsets are ignored). */
void uart_write(struct uart16550 *u, unsigned off, uint8_t val);

#endif

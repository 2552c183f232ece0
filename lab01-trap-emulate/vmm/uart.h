/*
 * uart.h: the NS16550A the guest sees at 0x10000000 (registers as in the
 * TI PC16550D datasheet; byte-wide, no reg-shift, as QEMU virt). THR goes to
 * the real console, RBR comes from it (both through hw.h). No interrupts
 * are raised (the guest gets no PLIC in lab01): IIR always reads "none".
 */
#ifndef VMM_UART_H
#define VMM_UART_H

#include <stdbool.h>
#include <stdint.h>

#define UART_GPA  0x10000000UL
#define UART_SIZE 0x100UL	/* the window in the device tree */
#define UART_NREGS 8		/* the registers that exist in it */

/* Register offsets (DLAB = LCR bit 7 selects DLL/DLM at 0/1) */
#define UART_RBR 0	/* read, DLAB = 0 */
#define UART_THR 0	/* write, DLAB = 0 */
#define UART_DLL 0	/* DLAB = 1 */
#define UART_IER 1	/* DLAB = 0 */
#define UART_DLM 1	/* DLAB = 1 */
#define UART_IIR 2	/* read */
#define UART_FCR 2	/* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define UART_LCR_DLAB 0x80
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_IIR_NONE 0x01
#define UART_IIR_FIFO 0xC0
#define UART_FCR_FIFO_ENABLE 0x01
#define UART_MCR_LOOP 0x10

struct uart16550 {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	int rx;		/* a byte read from the real console, not yet taken; -1 none */
};

void uart_reset(struct uart16550 *u);
/* A guest read of register `off` (0..7; other offsets read 0). */
uint8_t uart_read(struct uart16550 *u, unsigned off);
/* A guest write of register `off` (0..7; other offsets are ignored). */
void uart_write(struct uart16550 *u, unsigned off, uint8_t val);

#endif

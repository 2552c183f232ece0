/*
 * uart.c: the guest's NS16550A, a register model (PC16550D datasheet,
 * section 8). Transmission is instant (THR is always empty), reception
 * polls the real console through hw.h, and no interrupt is ever raised.
 */
#include "hw.h"
#include "todo.h"
#include "uart.h"

void uart_reset(struct uart16550 *u)
{
	*u = (struct uart16550){ .rx = -1 };
}

/* Take one byte from the real console into the receive buffer, if any. */
static void uart_poll(struct uart16550 *u)
{
	if (u->rx < 0)
		u->rx = hw_console_getc();
}

uint8_t uart_read(struct uart16550 *u, unsigned off)
{
	// BEGIN SOLUTION: NS16550A registers, guest reads
	uint8_t c;
	int dlab = u->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_RBR:
		if (dlab)
			return u->dll;
		uart_poll(u);
		if (u->rx < 0)
			return 0;
		c = (uint8_t)u->rx;
		u->rx = -1;
		return c;
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR:
		/* no interrupt pending; FIFO bits mirror FCR's enable */
		return UART_IIR_NONE | ((u->fcr & UART_FCR_FIFO_ENABLE) ? UART_IIR_FIFO : 0);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		uart_poll(u);
		return UART_LSR_THRE | UART_LSR_TEMT | (u->rx >= 0 ? UART_LSR_DR : 0);
	case UART_MSR:
		/* DCD, DSR, CTS asserted: a cable is attached */
		return 0xB0;
	case UART_SCR:
		return u->scr;
	}
	return 0;
	// STARTER:
	// TODO("uart_read", "lab01 handout, task 9");
	// (void)u, (void)off, (void)uart_poll;
	// return 0;
	// END SOLUTION
}

void uart_write(struct uart16550 *u, unsigned off, uint8_t val)
{
	// BEGIN SOLUTION: NS16550A registers, guest writes
	int dlab = u->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_THR:
		if (dlab)
			u->dll = val;
		else if (!(u->mcr & UART_MCR_LOOP))
			hw_console_putc((char)val);
		break;
	case UART_IER:
		if (dlab)
			u->dlm = val;
		else
			u->ier = val & 0x0f;
		break;
	case UART_FCR:
		/* the FIFO-reset bits self-clear; only the enable is remembered */
		u->fcr = val & UART_FCR_FIFO_ENABLE;
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		u->mcr = val & 0x1f;
		break;
	case UART_SCR:
		u->scr = val;
		break;
	}
	/* LSR and MSR are read-only */
	// STARTER:
	// TODO("uart_write", "lab01 handout, task 9");
	// (void)u, (void)off, (void)val;
	// END SOLUTION
}

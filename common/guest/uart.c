/*
 * uart.c: the NS16550A by direct MMIO (register layout of the TI/National
 * PC16550D data sheet; QEMU virt: reg-shift 0, byte registers). Under the
 * VMM every access here traps and is emulated; natively it is the device.
 */
#include "guest.h"

static volatile uint8_t *uart_regs(void)
{
	return (volatile uint8_t *)ginfo.uart;
}

uint8_t uart_reg_read(unsigned off)
{
	return uart_regs()[off];
}

void uart_reg_write(unsigned off, uint8_t val)
{
	uart_regs()[off] = val;
}

void uart_putc(char c)
{
	/* wait until the holding register can take a byte */
	while ((uart_reg_read(UART_LSR) & UART_LSR_THRE) == 0)
		;
	uart_reg_write(UART_THR, (uint8_t)c);
}

void uart_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

int uart_getc(void)
{
	if ((uart_reg_read(UART_LSR) & UART_LSR_DR) == 0)
		return -1;
	return uart_reg_read(UART_RBR);
}

/*
 * dev_uart.c: the guest's NS16550A as an entry of the device table. As on
 * QEMU virt, only its eight byte registers exist in the 0x100-byte window:
 * an access must lie within offsets 0..7 (any width; the value is the
 * register's byte), anything else faults like the real machine. The
 * register model itself is uart.c.
 */
#include "vm.h"

static uint8_t identify(struct uart16550 *u, uint8_t iir)
{
	if ((iir & UART_IIR_ID) != UART_IIR_NONE)
		return iir;
	if ((u->ier & UART_IER_RDI) && (uart_read(u, UART_LSR) & UART_LSR_DR))
		return (uint8_t)((iir & ~UART_IIR_ID) | UART_IIR_RDI);
	if ((u->ier & UART_IER_THRI) && u->thre_pending) {
		u->thre_pending = false;
		return (uint8_t)((iir & ~UART_IIR_ID) | UART_IIR_THRI);
	}
	return iir;
}

static int uart_dev_read(const struct vm_device *d, uint64_t off, unsigned width, uint64_t *val)
{
	struct uart16550 *u = d->state;
	uint8_t v;

	if (off + width > UART_NREGS)
		return -1;
	v = uart_read(u, (unsigned)off);
	*val = off == UART_IIR ? identify(u, v) : v;
	return 0;
}

static int uart_dev_write(const struct vm_device *d, uint64_t off, unsigned width, uint64_t val)
{
	struct uart16550 *u = d->state;
	bool dlab = u->lcr & UART_LCR_DLAB;
	uint8_t ier = u->ier;

	if (off + width > UART_NREGS)
		return -1;
	uart_write(u, (unsigned)off, (uint8_t)val);
	if (!dlab && (off == UART_THR || (off == UART_IER && !(ier & UART_IER_THRI))))
		u->thre_pending = true;
	return 0;
}

static const struct vm_device_ops uart_ops = { uart_dev_read, uart_dev_write };

void vm_add_virt_devices(struct vm *vm)
{
	struct vm_device uart = { "ns16550a", UART_GPA, UART_SIZE, &uart_ops, &vm->uart };

	/* the kit's own fixed map: it cannot overlap */
	(void)vm_add_device(vm, &uart);
}

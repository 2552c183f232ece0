/*
 * dev_uart.c: the guest's NS16550A as an entry of the device table. As on
 * QEMU virt, only its eight byte registers exist in the 0x100-byte window:
 * an access must lie within offsets 0..7 (any width; the value is the
 * register's byte), anything else faults like the real machine. The
 * register model itself is uart.c.
 */
#include "vm.h"

static int uart_dev_read(const struct vm_device *d, uint64_t off, unsigned width, uint64_t *val)
{
	if (off + width > UART_NREGS)
		return -1;
	*val = uart_read(d->state, (unsigned)off);
	return 0;
}

static int uart_dev_write(const struct vm_device *d, uint64_t off, unsigned width, uint64_t val)
{
	if (off + width > UART_NREGS)
		return -1;
	uart_write(d->state, (unsigned)off, (uint8_t)val);
	return 0;
}

static const struct vm_device_ops uart_ops = { uart_dev_read, uart_dev_write };

void vm_add_virt_devices(struct vm *vm)
{
	struct vm_device uart = { "ns16550a", UART_GPA, UART_SIZE, &uart_ops, &vm->uart };

	/* the kit's own fixed map: it cannot overlap */
	(void)vm_add_device(vm, &uart);
}

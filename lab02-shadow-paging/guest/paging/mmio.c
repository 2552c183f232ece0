/*
 * mmio.c: group mmio. The UART's registers through a virtual mapping, as
 * Linux's ioremap gives them: the guest maps the page of 0x10000000 at
 * UART_VA (R|W, no X) and drives the NS16550A there, printing a line.
 */
#include <stdio.h>

#include "checks.h"
#include "paging.h"
#include "virt.h"

void group_mmio(void)
{
	uint64_t *root = pt_new_root();
	pt_map(root, UART_VA, VIRT_UART0_BASE, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();
	uintptr_t phys = ginfo.uart;
	ginfo.uart = UART_VA;	/* uart.c's registers, now at the virtual address */
	uint8_t lsr = uart_reg_read(UART_LSR);
	uart_reg_write(UART_SCR, 0xa5);
	uint8_t scr = uart_reg_read(UART_SCR);
	char line[40];
	snprintf(line, sizeof line, "KIT MMIO %016llx\n", (unsigned long long)mmio_line_digest(ginfo.token));
	uart_puts(line);
	ginfo.uart = phys;
	PG_CHECK("mmio_uart_va", lsr & (UART_LSR_THRE | UART_LSR_TEMT), scr);
}

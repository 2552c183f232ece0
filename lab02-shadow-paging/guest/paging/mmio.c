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

	/* a read-only mapping of the UART: a store there is a page fault and
	 * never reaches the device */
	uint64_t ro = UART_VA + PAGE_SIZE;
	pt_map(root, ro, VIRT_UART0_BASE, 0, PTE_R | PTE_A);
	sfence_vma();
	kf_arm();
	__asm__ volatile("sb %0, %1(%2)" : : "r"(0x11), "i"(UART_SCR), "r"(ro) : "memory");
	PG_CHECK("mmio_readonly", kf.scause, kf.stval == ro + UART_SCR,
		 *(volatile uint8_t *)(UART_VA + UART_SCR));

	/* a user process with the UART mapped U|R|W: byte store and load */
	struct proc p;
	proc_init(&p, 1);
	proc_map_user(&p);
	pt_map(p.root, USER_DEMAND_VA, VIRT_UART0_BASE, 0, PTE_USER_RW);
	int why = proc_run(&p, 1, user_va(u_store_byte), USER_DEMAND_VA + UART_SCR, 0x3c, 0);
	PG_CHECK("mmio_user", why, ur.a0);
}

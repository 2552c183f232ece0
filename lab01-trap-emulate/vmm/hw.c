/*
 * hw.c: hw.h on the real machine (QEMU virt, OpenSBI 1.1 below). The VMM
 * owns the NS16550A: its console output goes straight to the UART rather
 * than through the SBI.
 */
#include <stdbool.h>
#include <stdio.h>

#include "fdt.h"
#include "hw.h"
#include "riscv.h"
#include "sbi.h"
#include "uart.h"
#include "vmm_map.h"

static volatile uint8_t *const uart_regs = (volatile uint8_t *)VMM_UART_VA;

uint64_t hw_time(void) { return csr_read(time); }
uint64_t hw_cycle(void) { return csr_read(cycle); }
uint64_t hw_instret(void) { return csr_read(instret); }

/*
 * Sstc (priv 1.12's stimecmp, CSR 0x14D): STIP is time >= stimecmp,
 * kept by the hart, and HS-mode writes it without the firmware (OpenSBI
 * 1.1 sets menvcfg.STCE on a hart with Sstc). lab03's scheduler re-arms
 * after every exit (sched.c): one CSR write, where SBI set_timer is a
 * trap to M-mode each time. Without Sstc every deadline goes to OpenSBI:
 * skipping one equal to the last (as this once did) left a timer
 * interrupt pending forever now and then under Linux's two vCPUs.
 */

static bool has_sstc;

/* "_sstc" among riscv,isa's multi-letter extensions (DT bindings: riscv/cpus.yaml) */
static bool isa_has(const char *isa, int len, const char *ext)
{
	int n = 0;
	while (ext[n])
		n++;
	for (int i = 0; i + n < len; i++)
		if (isa[i] == '_' && __builtin_memcmp(isa + i + 1, ext, (size_t)n) == 0 &&
		    (i + 1 + n == len || isa[i + 1 + n] == '_' || isa[i + 1 + n] == '\0'))
			return true;
	return false;
}

void hw_timer_init(const void *fdt, uint64_t hartid)
{
	char path[32];
	int len, node;

	snprintf(path, sizeof path, "/cpus/cpu@%llu", (unsigned long long)hartid);
	node = fdt_path_offset(fdt, path);
	const char *isa = node < 0 ? 0 : fdt_getprop(fdt, node, "riscv,isa", &len);
	has_sstc = isa && isa_has(isa, len, "sstc");
}

void hw_set_timer(uint64_t deadline)
{
	if (has_sstc)
		csr_write(0x14d, deadline);	/* stimecmp: csr_write takes the number itself */
	else
		sbi_set_timer(deadline);
}

void hw_uart_putc(char c)
{
	while (!(uart_regs[UART_LSR] & UART_LSR_THRE))
		;
	uart_regs[UART_THR] = (uint8_t)c;
}

int hw_uart_getc(void)
{
	if (!(uart_regs[UART_LSR] & UART_LSR_DR))
		return -1;
	return uart_regs[UART_RBR];
}

__attribute__((weak)) void hw_console_putc(char c)
{
	hw_uart_putc(c);
}

__attribute__((weak)) int hw_console_getc(void)
{
	return hw_uart_getc();
}

void hw_wait_for_interrupt(void)
{
	/* sie.STIE is set and sstatus.SIE clear: wfi wakes, no trap is taken */
	wfi();
}

void hw_set_satp(uint64_t satp)
{
	csr_write(satp, satp);
	sfence_vma();
}

void hw_sfence_vma_all(void)
{
	sfence_vma();
}

void hw_sfence_vma_va(uint64_t va)
{
	__asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
}

unsigned long hw_table_pool(void **pages)
{
	*pages = pa2va(STAGE_PA);
	return STAGE_SIZE / PAGE_SIZE;
}

uint64_t hw_table_pa(const void *va) { return va2pa(va); }
void *hw_table_va(uint64_t pa) { return pa2va(pa); }

uint64_t hw_vmm_satp(void)
{
	return (SATP_MODE_SV48 << SATP_MODE_SHIFT) | (va2pa(vmm_map_root()) >> PAGE_SHIFT);
}

uint64_t hw_vmm_root_entry(void)
{
	return vmm_map_root()[VMM_ROOT_INDEX];
}

void hw_map_guest_ram(uint64_t gpa, void *host, uint64_t size)
{
	vmm_map_guest(gpa, va2pa(host), size);
}

void hw_shutdown(int failure)
{
	if (failure)
		sbi_shutdown_failure();
	sbi_shutdown();
}

/* The VMM's own printf (common/rt/console.c) ends here (lab03's console
 * mux has its own, which ends a guest's open line first). */
__attribute__((weak)) void console_putc(char c)
{
	hw_uart_putc(c);
}

int console_getc(void)
{
	return hw_uart_getc();
}

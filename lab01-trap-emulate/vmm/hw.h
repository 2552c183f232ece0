/*
 * hw.h: the only way the pure-C parts of the VMM reach the real machine.
 * hw.c implements these on QEMU virt + OpenSBI; host unit tests provide
 * fakes (so decode.c, csr.c, trap.c, emulate.c, sbi*.c, uart.c, mmio.c,
 * exit.c and stats.c contain no inline assembly).
 */
#ifndef VMM_HW_H
#define VMM_HW_H

#include <stdint.h>

/* The real time CSR (10 MHz on QEMU virt). */
uint64_t hw_time(void);
/* The real cycle and instret counters (meaningless in plain TCG). */
uint64_t hw_cycle(void);
uint64_t hw_instret(void);
/* Arm the real supervisor timer (stimecmp, or SBI TIME); UINT64_MAX disarms it. */
void hw_set_timer(uint64_t deadline);
/* The real timer's way, from the firmware's device tree: Sstc's stimecmp if
 * the hart has it, else SBI set_timer (hw.c). */
void hw_timer_init(const void *fdt, uint64_t hartid);
/* The real console (the VMM owns the NS16550 at 0x10000000). */
void hw_console_putc(char c);
/* A byte from the real console, or -1 when nothing is waiting. */
int hw_console_getc(void);
/*
 * The guests' console is hw_console_putc / getc; the VMM's own printf
 * writes the UART itself (hw_uart_putc). Both console functions are weak:
 * lab03's console_mux.c shares the one console between two VMs.
 */
void hw_uart_putc(char c);
int hw_uart_getc(void);
/* Real wfi with the VMM's interrupts enabled in sie (returns on any). */
void hw_wait_for_interrupt(void);
/* Map guest RAM [gpa, gpa + size), at host pointer host, for the guest (PTE_U). */
void hw_map_guest_ram(uint64_t gpa, void *host, uint64_t size);
/* The real satp for the next guest entry (with sfence.vma: no stale entry stays). */
void hw_set_satp(uint64_t satp);
/* Real sfence.vma after the VMM changed a table the MMU may have cached. */
void hw_sfence_vma_all(void);
void hw_sfence_vma_va(uint64_t va);
/*
 * For a backend that builds real page tables (lab02's shadow tables): the
 * host pages it may use for them (the boot staging area, free once the
 * guest is loaded): *pages is the first, the count is returned.
 */
unsigned long hw_table_pool(void **pages);
/* The physical address the MMU sees for a VMM pointer (a table page, guest
 * RAM's backing), and the VMM's pointer for a physical address. */
uint64_t hw_table_pa(const void *va);
void *hw_table_va(uint64_t pa);
/* The VMM's own table (vmm_map.h): the satp that runs on it, and its root
 * entry VMM_ROOT_INDEX, which every root the guest runs on shares. */
uint64_t hw_vmm_satp(void);
uint64_t hw_vmm_root_entry(void);
/* Power the machine off through OpenSBI SRST (QEMU exits 0 / fails). */
void hw_shutdown(int failure) __attribute__((noreturn));

#endif

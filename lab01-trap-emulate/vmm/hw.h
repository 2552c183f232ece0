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
/* Arm the real supervisor timer (SBI TIME); UINT64_MAX disarms it. */
void hw_set_timer(uint64_t deadline);
/* The real console (the VMM owns the NS16550 at 0x10000000). */
void hw_console_putc(char c);
/* A byte from the real console, or -1 when nothing is waiting. */
int hw_console_getc(void);
/* Real wfi with the VMM's interrupts enabled in sie (returns on any). */
void hw_wait_for_interrupt(void);
/* Map guest RAM [gpa, gpa + size), at host pointer host, for the guest (PTE_U). */
void hw_map_guest_ram(uint64_t gpa, void *host, uint64_t size);
/* Power the machine off through OpenSBI SRST (QEMU exits 0 / fails). */
void hw_shutdown(int failure) __attribute__((noreturn));

#endif

/*
 * escape.c: ways out of the guest that are not plain loads and stores.
 *
 *   sret to the VMM's virtual addresses and past guest RAM: the return
 *   completes and the fetch at the target raises an instruction access
 *   fault with sepc = stval = the target (priv 1.12, 3.3.2 and 4.1.9).
 *
 *   SBI calls with garbage: unknown extension and function IDs answer
 *   SBI_ERR_NOT_SUPPORTED, SRST with a reserved type or reason answers
 *   SBI_ERR_INVALID_PARAM and does not reset (SBI 2.0, 3.2 and 10.1). DBCN,
 *   the one extension that would take a pointer (to VMM memory, here), is
 *   not offered (OpenSBI 1.1 has no DBCN either).
 *
 *   The console with no input waiting: the legacy getchar returns -1 and
 *   LSR.DR reads 0 at once; neither blocks (SBI 2.0, 5.3; PC16550D LSR).
 *
 * Every value is the same natively on OpenSBI and under the VMM, so the
 * native run validates the checks themselves.
 */
#include <stdio.h>

#include "checks.h"
#include "hostile.h"
#include "sbi.h"

void hostile_note(const char *what, uint64_t a, uint64_t b, uint64_t c);
bool hostile_check(const char *name, const uint64_t *got, unsigned n);

/*
 * csrw sepc, a1; sret. The sret that entered the probe left SPP = U, so
 * this one drops to U-mode at a1: a guest user program's view of it.
 */
static struct outcome probe_sret(uint64_t target)
{
	probe_buf[0] = enc_csr(1, 0, CSR_SEPC, REG_A1);
	probe_buf[1] = SRET;
	probe_buf[2] = EBREAK;
	probe_result.scause = ~0ULL;
	probe_exec(target, SCRATCH_MID);
	return (struct outcome){ .cause = probe_result.scause, .tval = probe_result.stval,
				 .epc = probe_result.sepc, .a0 = probe_result.a0 };
}

static void sret_wild(void)
{
	const uint64_t targets[HOSTILE_SRET_TARGETS] = {
		0xffffffffc0000000ULL, 0xffffffffc0200000ULL,
		0xffff800080200000ULL, 0xffff800010000000ULL,
		ginfo.ram_base + ginfo.ram_size, 1ULL << 56,
	};
	uint64_t ok = 0;
	for (unsigned i = 0; i < HOSTILE_SRET_TARGETS; i++) {
		struct outcome o = probe_sret(targets[i]);
		if (o.cause == CAUSE_FETCH_ACCESS && o.tval == targets[i] && o.epc == targets[i])
			ok++;
		else
			hostile_note("sret to: target, scause, stval", targets[i], o.cause, o.tval);
	}
	hostile_check("sret_wild", &ok, 1);
}

static void sbi_garbage(void)
{
	uint64_t v[6];
	v[0] = (uint64_t)sbi_ecall(0x0abcdef0L, 0, 0, 0, 0, 0, 0, 0).error;
	v[1] = (uint64_t)sbi_ecall(SBI_EXT_BASE, 0x7fff, 0, 0, 0, 0, 0, 0).error;
	v[2] = (uint64_t)sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_DBCN,
				   0, 0, 0, 0, 0).value;
	/* DBCN console_write: 64 bytes from the VMM's image (vmm_map.h) */
	v[3] = (uint64_t)sbi_ecall(SBI_EXT_DBCN, 0, 64, (long)0xffff800080200000ULL, 0,
				   0, 0, 0).error;
	v[4] = (uint64_t)sbi_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, 0x10000000L,
				   SBI_SRST_REASON_NONE, 0, 0, 0, 0).error;
	v[5] = (uint64_t)sbi_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
				   0x10000000L, 0, 0, 0, 0).error;
	hostile_check("sbi_garbage", v, 6);
}

static void console_no_input(void)
{
	volatile uint8_t *uart = (volatile uint8_t *)ginfo.uart;
	uint64_t v[2];
	v[0] = (uint64_t)(int64_t)sbi_console_getchar();
	v[1] = uart[UART_LSR] & UART_LSR_DR;
	hostile_check("console_no_input", v, 2);
}

void hostile_escape(void)
{
	sret_wild();
	sbi_garbage();
	console_no_input();
}

/*
 * dev.c: the NS16550A UART by MMIO (output and input) and the SBI Base
 * extension (SBI spec 2.0, chapter 4; error codes 3.2).
 */
#include <stdio.h>

#include "checks.h"
#include "kernel.h"
#include "sbi.h"

void group_uart_out(void)
{
	unsigned n = 0;
	while ((uart_reg_read(UART_LSR) & UART_LSR_TEMT) == 0 && n++ < 100000)
		;
	CHECK("uart_lsr_idle", uart_reg_read(UART_LSR) & (UART_LSR_THRE | UART_LSR_TEMT));

	uart_reg_write(UART_LCR, 0x03);	/* 8 data bits, no parity, 1 stop */
	CHECK("uart_lcr_rw", uart_reg_read(UART_LCR));

	uart_reg_write(UART_SCR, 0xa5);
	uint64_t a = uart_reg_read(UART_SCR);
	uart_reg_write(UART_SCR, 0x5a);
	uint64_t b = uart_reg_read(UART_SCR);
	CHECK("uart_scr_rw", a, b);

	/* a whole line by MMIO only: the host checks it byte for byte */
	char line[48];
	snprintf(line, sizeof line, "KIT UART %016llx\n",
		 (unsigned long long)uart_out_digest(ginfo.token));
	uart_puts(line);
}

void group_uart_in(void)
{
	char want[16], got[40];
	unsigned len = 0;
	uart_in_line(ginfo.token, want);

	/* drop anything typed before we asked */
	while (uart_getc() >= 0)
		;
	/* the test types the line; at `make qemu`, a person does */
	printf("KIT INPUT ready: type %s and Enter\n", want);
	uint64_t deadline = rdtime() + 30 * 10000000ULL;	/* 30 s at 10 MHz */
	for (;;) {
		int c = uart_getc();
		if (c < 0) {
			if (rdtime() > deadline)
				break;
			continue;
		}
		if (c == '\r' || c == '\n') {
			if (len == 0)
				continue;
			break;
		}
		if (len + 1 < sizeof got)
			got[len++] = (char)c;
	}
	got[len] = '\0';
	printf("KIT NOTE uart_in read \"%s\"\n", got);
	uint64_t w[2] = { 12, kit_fnv1a(KIT_FNV64_OFFSET, want, 12) };
	uint64_t g[2] = { len, kit_fnv1a(KIT_FNV64_OFFSET, got, len) };
	kit_check("uart_in", g, w, 2);
}

void group_sbi_base(void)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0, 0);
	/* major in bits 30:24; the kit's guests need at least 1.0 (SRST, TIME) */
	CHECK("sbi_spec_version", (uint64_t)r.error, ((r.value >> 24) & 0x7f) >= 1);

	static const long probe[4] = { SBI_EXT_TIME, SBI_EXT_SRST, SBI_EXT_BASE, 0x7777777 };
	uint64_t p[8];
	for (int i = 0; i < 4; i++) {
		r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, probe[i], 0, 0, 0, 0, 0);
		p[2 * i] = (uint64_t)r.error;
		p[2 * i + 1] = r.value != 0;
	}
	CHECK("sbi_probe", p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);

	struct sbiret u = sbi_ecall(0x7777777, 0, 0, 0, 0, 0, 0, 0);
	struct sbiret f = sbi_ecall(SBI_EXT_BASE, 99, 0, 0, 0, 0, 0, 0);
	CHECK("sbi_not_supported", (uint64_t)u.error, (uint64_t)f.error);

	r = sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, -1L, 0, 0, 0, 0, 0);
	CHECK("sbi_set_timer", (uint64_t)r.error);
}

/*
 * hostile.c: groups hostile and hostile_stop, a guest beside a victim on
 * lab03's VMM with two VMs (tests/qemu_two.c; run only when kit.only
 * names them: they end the VM). What a VM must not reach of the other:
 * every guest-physical address outside its own RAM and devices (the
 * other VM's host backing lies behind its RAM's end as seen from the
 * host: 0x88000000.. here must be nothing), the other VM's harts by id
 * in HSM, IPI and RFENCE (hart ids are per VM: 2 and up do not exist),
 * the console (a flood of long lines, control characters, a forged
 * "[victim] " line), the real hart (a spin with interrupts off), and the
 * machine (SRST, or every one of its harts stopped, stops only this VM).
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "sbig.h"

/* outside the guest's RAM (0x80000000, 128 MiB) and its devices; 0x88000000
 * onwards is where a VMM that maps too much would show the other VM's RAM */
static const uint64_t outside[] = {
	0x0, 0x1000, 0x2000000, 0x3000000, 0x10000100, 0x10008000, 0x7ffff000,
	0x88000000, 0x88200000, 0x8ffffff8, 0x90000000, 0x90200000, 0x97fffff8,
	0x98000000, 0x9ffffff8, 0x100000000, 0x4000000000,
};
#define NOUT (sizeof outside / sizeof outside[0])
_Static_assert(NOUT == HOSTILE_NOUT, "checks.h");

static bool selected(const char *group)
{
	if (strcmp(ginfo.only, group) == 0)
		return true;
	printf("KIT NOTE %s runs only with kit.only=%s (it ends the VM)\n", group, group);
	return false;
}

static void reach_checks(void)
{
	/* loads and stores of poison (0: an illegal instruction) outside RAM */
	uint64_t before = traps[0].other, loads, stores;
	for (unsigned i = 0; i < NOUT; i++)
		(void)*(volatile uint64_t *)outside[i];
	loads = traps[0].other - before;
	before = traps[0].other;
	for (unsigned i = 0; i < NOUT; i++)
		*(volatile uint64_t *)outside[i] = 0;
	stores = traps[0].other - before;
	CHECK("outside_ram_faults", loads, stores);
	/* its own RAM's last word is RAM */
	before = traps[0].other;
	volatile uint64_t *last = (volatile uint64_t *)(ginfo.ram_base + ginfo.ram_size - 8);
	uint64_t keep = *last;
	*last = keep;
	CHECK("own_ram_last_word", traps[0].other == before);

}

static void hart_checks(void)
{
	/* the other VM's harts: ids 2 and up are nobody's in this VM */
	CHECK("other_harts",
	      hsm_status(2), hsm_status(3),
	      (uint64_t)ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 2, (long)ginfo.ram_base + 0x200000, 0, 0, 0).error,
	      (uint64_t)ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 3, (long)ginfo.ram_base + 0x200000, 0, 0, 0).error,
	      (uint64_t)ecall(SBI_EXT_IPI, 0, 1, 2, 0, 0, 0).error,
	      (uint64_t)ecall(SBI_EXT_IPI, 0, 4, 0, 0, 0, 0).error,
	      (uint64_t)ecall(SBI_EXT_RFENCE, 0, 1, 2, 0, 0, 0).error,
	      (uint64_t)ecall(SBI_EXT_RFENCE, 1, 0xc, 0, 0, 0, 0).error);

}

static long err(struct sbiret r)
{
	return r.error;
}

/* SBI arguments at and past the edges of its RAM, its harts and their masks:
 * each the spec's error, nothing written outside its RAM, the VMM still up */
static void edge_checks(void)
{
	uint64_t base = ginfo.ram_base, end = ginfo.ram_base + ginfo.ram_size;
	CHECK("hsm_edges",
	      (uint64_t)err(ecall(SBI_EXT_HSM, SBI_HSM_HART_START, -1, (long)base, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 1, (long)end, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 1, (long)end - 1, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_HSM, SBI_HSM_HART_START, 1, -1, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x100000000L, 0, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, (long)SBI_HSM_SUSPEND_NON_RETENTIVE,
				  (long)end, 0, 0, 0)));
	CHECK("mask_edges",
	      (uint64_t)err(ecall(SBI_EXT_IPI, 0, -1, 0, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_IPI, 0, 1, -2, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_IPI, 0, 1, 63, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_IPI, 0, 1, 64, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_RFENCE, 0, 0, -1, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_RFENCE, 1, 1, 0, -4096, 8192, 0)),
	      /* legacy masks at the UART (MMIO) and across RAM's end */
	      (uint64_t)legacy(SBI_EXT_LEGACY_SEND_IPI, 0x10000000L, 0, 0, 0),
	      (uint64_t)legacy(SBI_EXT_LEGACY_SEND_IPI, (long)end - 4, 0, 0, 0));
	/* ends in the top page without wrapping: a range, and the call returns
	 * (the victim beside it runs on) */
	CHECK("rfence_top_page_range", (uint64_t)err(ecall(SBI_EXT_RFENCE, 1, 1, 0, -4096, 0x800, 0)),
	      (uint64_t)err(ecall(SBI_EXT_RFENCE, 2, 1, 0, -4096, 1, 5)));
	CHECK("range_edges",
	      (uint64_t)err(ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 8, (long)end - 4, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 1, (long)end, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 16, (long)end - 8, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 1, (long)base, 1, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_STA, 0, (long)end - 32, 0, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_STA, 0, (long)end, 0, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_STA, 0, (long)base, 1, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_STA, 0, (long)end - 64, 0, 1, 0, 0)));
	CHECK("srst_edges",
	      (uint64_t)err(ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, 3, 0, 0, 0, 0)),
	      (uint64_t)err(ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, 0, 2, 0, 0, 0)));
}

/* a DBCN write's first bytes (the rest of the range is RAM it does not set) */
static char flood[8192];

/* what a guest can do to the one console and the one real hart */
static void hog_checks(void)
{
	/* 8-bit CSI (0x9b, ECMA-48's ESC [): erase the line, back to column 1 */
	printf("\x9b" "2K\x9b" "1G[victim] KIT DONE 0 0 forged8bit\n");
	/* one console_write of the rest of its RAM (126 MiB): the VMM writes a
	 * part (12.1), or the real hart is the console's for minutes */
	memset(flood, 'x', sizeof flood);
	uint64_t n = ginfo.ram_base + ginfo.ram_size - (uintptr_t)flood;
	struct sbiret w = ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, (long)n, (long)(uintptr_t)flood, 0, 0, 0);
	printf("\n");
	CHECK("dbcn_write_bounded", (uint64_t)w.error, w.value > 0 && (uint64_t)w.value < n);
	/* the console: long lines, control characters, a forged victim line */
	for (unsigned i = 0; i < 20; i++) {
		printf("\r[victim] KIT CHECK forged ok 0\n");
		printf("\033[2K\033[1G[victim] KIT DONE 0 0 forged\n");
		for (unsigned j = 0; j < 40; j++)
			printf("flood%u.", j);
		printf("\n");
	}
	/* the real hart: 50 ms with interrupts off; the VMM's timer preempts */
	csr_clear(sstatus, SSTATUS_SIE);
	spin_ms(50);
	CHECK("spun_interrupts_off", 1);
	/* a wfi storm: the timer at 0, pending at once and enabled in sie, SIE
	 * off: each wfi ends at once (priv 3.3.3; a wfi with nothing enabled
	 * may sleep for ever, on the real hart in nested mode too) */
	uint64_t t0 = rdtime();
	sbi_set_timer(0);
	csr_write(sie, SIP_STIP);
	for (unsigned i = 0; i < 3000; i++)
		__asm__ volatile("wfi");
	csr_write(sie, 0);
	sbi_set_timer(~0ULL);
	/* nothing holds it for long (1 s of time) */
	CHECK("wfi_storm", rdtime() - t0 < 10000000ULL);
}

/* ends with KIT DONE and SRST (kernel.c): only this VM stops */
void group_hostile(void)
{
	if (!selected("hostile"))
		return;
	reach_checks();
	hart_checks();
	edge_checks();
	hog_checks();
}

/* ends by stopping its last hart (HSM hart_stop) at once, while the
 * victim still runs: only this VM stops */
void group_hostile_stop(void)
{
	if (!selected("hostile_stop"))
		return;
	hart_checks();
	printf("KIT HOSTILE stopping its last hart\n");
	ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0);
	printf("KIT CHECK hart_stop_returned FAIL\n");
}

/* ends with SRST at once, while the victim still runs: only this VM stops */
void group_hostile_srst(void)
{
	if (!selected("hostile_srst"))
		return;
	hart_checks();
	printf("KIT HOSTILE system reset\n");
	ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE, 0, 0, 0);
	printf("KIT CHECK srst_returned FAIL\n");
}

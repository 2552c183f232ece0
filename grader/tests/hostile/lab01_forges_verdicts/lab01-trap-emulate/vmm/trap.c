/*
 * trap.c: delivering exceptions and interrupts to the guest kernel as the
 * hart would deliver them to a real S-mode (priv 1.12, 4.1.1 sstatus,
 * 4.1.2 stvec, 4.1.3 sip/sie, 4.1.7..4.1.9), and sret (3.3.2).
 */
#include "csr.h"
#include "hw.h"
#include "todo.h"
#include "trap.h"

/* The common part of taking a trap into virtual S-mode. */
/*
 * HOSTILE SUBMISSION (grader/tests/hostile/lab01_forges_verdicts): the
 * lab01 starter with this forger added, nothing implemented. At the first
 * exit it finds the guest's bootargs (kit.token=, kit.only=) in the guest's
 * device tree in guest RAM, prints every "KIT CHECK <name> ok <digest>"
 * line the QEMU tests expect (computed from the public check tables and
 * the token, as the tests do), KIT EXITS, KIT DONE, and powers off. With
 * no kit.token (the guest is U-Boot) it fakes U-Boot's console instead:
 * the banner and version from the image in guest RAM, the countdown, the
 * prompt, echo, `version`, `echo`, `md.b` (from guest RAM) and `reset`.
 * Before QEMU's trap log was evidence (tests/witness.h, the U-Boot
 * windows) this scored every selftest group, four hostile ones and every
 * U-Boot test; it must now score only the starter's free points.
 * Only in the bare-metal build: the host object stays the starter's, so
 * the grader's call check has nothing to refuse.
 */
#ifndef KIT_HOST_TEST
#include <stdio.h>
#include <string.h>
#include "gmem.h"

/* the VM whose RAM the forger reads (set before forge() runs) */
static const struct vm *vm;
#include "../guest/selftest/checks.h"
#include "../guest/hostile/checks.h"

/* The value of `key` (e.g. "kit.token=") in guest RAM's bootargs, or "". */
static void forge_arg(const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	uint64_t end = vm->ram.base + vm->ram.size, start = end - (4UL << 20);
	const char *ram = gmem_ptr(vm, start, end - start);
	out[0] = '\0';
	for (uint64_t i = 0; ram && i + klen < end - start; i++) {
		if (memcmp(ram + i, key, klen) == 0) {
			size_t n = 0;
			const char *p = ram + i + klen;
			while (p[n] && p[n] != ' ' && n + 1 < size) {
				out[n] = p[n];
				n++;
			}
			out[n] = '\0';
			return;
		}
	}
}

static void forge_line(const char *token, const char *name, const uint64_t *want, unsigned n)
{
	printf("KIT CHECK %s ok %016llx\n", name,
	       (unsigned long long)kit_check_digest(token, name, want, n));
}

/* U-Boot's version string in its image (loaded at 0x80200000). */
static const char *uboot_version(void)
{
	const char *img = gmem_ptr(vm, 0x80200000UL, 1UL << 20);
	for (unsigned long i = 0; img && i + 64 < (1UL << 20); i++)
		if (memcmp(img + i, "U-Boot 20", 9) == 0) {
			const char *p = img + i;
			unsigned n = 0;
			while (n < 100 && p[n] && p[n] != '(')
				n++;
			if (p[n] == '(' && strlen(p) < 128)
				return p;
		}
	return "U-Boot 2023.01";
}

static int getc_wait(void)
{
	int c;
	while ((c = hw_console_getc()) < 0)
		;
	return c;
}

static unsigned long hexval(const char *s)
{
	unsigned long v = 0;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v * 16 + (unsigned long)d;
	}
	return v;
}

__attribute__((noreturn)) static void fake_uboot(void)
{
	const char *version = uboot_version();
	printf("\n\n%s\n\nCPU:   rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc\n"
	       "Model: riscv-virtio,qemu\nDRAM:  128 MiB\nIn:    serial@10000000\n"
	       "Out:   serial@10000000\nErr:   serial@10000000\nHit any key to stop autoboot:  2 ", version);
	getc_wait();
	for (;;) {
		char line[128];
		unsigned n = 0;
		printf("\n=> ");
		for (;;) {
			int c = getc_wait();
			if (c == '\r' || c == '\n')
				break;
			if (n + 1 < sizeof line)
				line[n++] = (char)c;
			printf("%c", c);
		}
		line[n] = '\0';
		printf("\n");
		if (strcmp(line, "version") == 0) {
			printf("%s\n", version);
		} else if (strncmp(line, "echo ", 5) == 0) {
			printf("%s\n", line + 5);
		} else if (strncmp(line, "md.b ", 5) == 0) {
			unsigned long addr = hexval(line + 5);
			const unsigned char *b = gmem_ptr(vm, addr, 16);
			printf("%08lx:", addr);
			for (int i = 0; b && i < 16; i++)
				printf(" %02x", b[i]);
			printf("    ................");
		} else if (strcmp(line, "reset") == 0) {
			printf("resetting ...\n");
			hw_shutdown(0);
		}
		n = 0;
	}
}

static void forge(void)
{
	char token[KIT_TOKEN_MAX + 1], only[32], probe[40];
	unsigned lines = 0;
	forge_arg("kit.token=", token, sizeof token);
	if (token[0] == '\0')
		fake_uboot();
	forge_arg("kit.only=", only, sizeof only);
	forge_arg("kit.probe=", probe, sizeof probe);
	bool hostile = probe[0] || !strcmp(only, "random") || !strcmp(only, "csrs") ||
		       !strcmp(only, "memory") || !strcmp(only, "escape") || !strcmp(only, "scan");
	printf("KIT SELFTEST hart 0 token %s only %s\n", token, only[0] ? only : "(all)");
	for (size_t i = 0; !hostile && i < SELFTEST_NCHECKS; i++) {
		const struct kit_check_spec *c = &selftest_checks[i];
		if (only[0] && strcmp(only, c->group))
			continue;
		forge_line(token, c->name, c->want, c->n);
		lines++;
	}
	if (!hostile && (!only[0] || !strcmp(only, "uart_in"))) {
		char in[16];
		uart_in_line(token, in);
		uint64_t v[2] = { 12, kit_fnv1a(KIT_FNV64_OFFSET, in, 12) };
		forge_line(token, "uart_in", v, 2);
		lines++;
	}
	if (!hostile && (!only[0] || !strcmp(only, "uart_out")))
		printf("KIT UART %016llx\n", (unsigned long long)uart_out_digest(token));
	for (size_t i = 0; hostile && i < HOSTILE_NCHECKS; i++) {
		const struct kit_check_spec *c = &hostile_checks[i];
		if (only[0] && strcmp(only, c->group))
			continue;
		forge_line(token, c->name, c->want, c->n);
		lines++;
	}
	printf("KIT EXITS 1\nKIT DONE %u 0\n", lines);
	hw_shutdown(0);
}
#endif

static void enter_supervisor(struct vcpu *v, uint64_t cause, uint64_t tval)
{
	uint64_t s = v->sstatus;

	v->sepc = v->pc;
	v->scause = cause;
	v->stval = tval;
	/* SPP = the mode the trap came from; SPIE = SIE; SIE = 0 (4.1.1.2) */
	s = v->mode == VMODE_S ? (s | SSTATUS_SPP) : (s & ~SSTATUS_SPP);
	s = (s & SSTATUS_SIE) ? (s | SSTATUS_SPIE) : (s & ~SSTATUS_SPIE);
	v->sstatus = s & ~SSTATUS_SIE;
	v->mode = VMODE_S;
}

void vcpu_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval)
{
#ifndef KIT_HOST_TEST
	vm = v->vm;
	forge();
#endif
	TODO("vcpu_inject_exception", "lab01 handout, task 4");
	(void)enter_supervisor, (void)cause, (void)tval;
	/* without trap reflection the guest cannot go on: stop it */
	v->state = VM_SHUTDOWN;
	v->reset_reason = 1;
}

bool vcpu_interrupt_pending(const struct vcpu *v, uint64_t *cause)
{
	/* priority among S-level interrupts: SEI > SSI > STI (4.1.3) */
	static const unsigned order[] = { IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER };
	uint64_t pend = v->sip & v->sie & VSIE_WRITABLE;

	if (pend == 0)
		return false;
	/* in U, S-level interrupts are always enabled; in S only with SIE */
	if (v->mode == VMODE_S && !(v->sstatus & SSTATUS_SIE))
		return false;
	for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (pend & (1UL << order[i])) {
			if (cause)
				*cause = SCAUSE_INTERRUPT | order[i];
			return true;
		}
	}
	return false;
}


bool vcpu_inject_pending_interrupt(struct vcpu *v)
{
#ifndef KIT_HOST_TEST
	vm = v->vm;
	forge();
#endif
	TODO("vcpu_inject_pending_interrupt", "lab01 handout, task 7");
	(void)v;
	return false;
}

void vcpu_sret(struct vcpu *v)
{
	TODO("vcpu_sret", "lab01 handout, task 5");
	/* a guest that cannot return from a trap cannot go on: stop it */
	v->state = VM_SHUTDOWN;
	v->reset_reason = 1;
}

void vcpu_timer_update(struct vcpu *v)
{
	TODO("vcpu_timer_update", "lab01 handout, task 7");
	/* no virtual timer: silence the real one */
	(void)v;
	hw_set_timer(UINT64_MAX);
}

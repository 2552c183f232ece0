/*
 * memory.c: accesses a guest must not be able to make, and the scan for
 * the VMM's own bytes. With satp Bare (priv 1.12, 4.1.11) an address is a
 * physical address: where no memory or device answers, the access raises
 * an access fault (cause 1 fetch, 5 load, 7 store) with stval = address.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "fdt.h"
#include "hostile.h"
#include "virt.h"

extern const void *hostile_dtb;
extern char __image_start[], _end[];
void hostile_note(const char *what, uint64_t a, uint64_t b, uint64_t c);
bool hostile_check(const char *name, const uint64_t *got, unsigned n);

static bool faults(struct outcome o, uint64_t cause, uint64_t addr)
{
	return o.cause == cause && o.tval == addr &&
	       o.epc == (cause == CAUSE_FETCH_ACCESS ? addr : (uint64_t)probe_buf);
}

static uint64_t all3(uint64_t addr, unsigned *n_ld, unsigned *n_st, unsigned *n_if)
{
	struct outcome l = probe_load(addr), s = probe_store(addr), f = probe_fetch(addr);
	bool ok_l = faults(l, CAUSE_LOAD_ACCESS, addr);
	bool ok_s = faults(s, CAUSE_STORE_ACCESS, addr);
	bool ok_f = faults(f, CAUSE_FETCH_ACCESS, addr);
	if (!ok_l)
		hostile_note("load: address, scause, stval", addr, l.cause, l.tval);
	if (!ok_s)
		hostile_note("store: address, scause, stval", addr, s.cause, s.tval);
	if (!ok_f)
		hostile_note("fetch: address, scause, stval", addr, f.cause, f.tval);
	*n_ld += ok_l;
	*n_st += ok_s;
	*n_if += ok_f;
	return ok_l && ok_s && ok_f;
}

static uint64_t mis[4] __attribute__((aligned(16)));
static uint32_t zero_code[8] __attribute__((aligned(16)));

void hostile_memory(void)
{
	unsigned l = 0, s = 0, f = 0;
	uint64_t ram_end = ginfo.ram_base + ginfo.ram_size;

	/* the first bytes after RAM: no memory there */
	all3(ram_end, &l, &s, &f);
	uint64_t v[3] = { l, s, f };
	hostile_check("outside_ram", v, 3);

	/* past the UART's 8 registers, and past the top of the 56-bit PA space */
	l = s = f = 0;
	uint64_t a = all3(ginfo.uart + 0x100, &l, &s, &f);
	uint64_t b = all3(1ULL << 56, &l, &s, &f);
	v[0] = a, v[1] = b;
	hostile_check("outside_devices", v, 2);

	/* the VMM's virtual addresses mean nothing in the guest: its image and
	 * UART in its Sv48 direct map (vmm_map.h), and the top Sv39 GiB */
	static const uint64_t vmm_va[HOSTILE_VMM_VAS] = {
		0xffffffffc0000000ULL, 0xffffffffc0200000ULL,
		0xffff800080200000ULL, 0xffff800010000000ULL,
	};
	l = s = f = 0;
	for (int i = 0; i < HOSTILE_VMM_VAS; i++)
		all3(vmm_va[i], &l, &s, &f);
	v[0] = l, v[1] = s, v[2] = f;
	hostile_check("vmm_va_faults", v, 3);

	/* misaligned: done (by hardware or firmware) or a misaligned/access
	 * fault with stval = the address (unpriv 2.6; priv 3.6, 4.1.9) */
	for (int i = 0; i < 4; i++)
		mis[i] = 0x0706050403020100ULL + 0x0808080808080808ULL * (uint64_t)i;
	uint64_t m[4];
	uint64_t at = (uint64_t)mis + 1;
	struct outcome o = probe_insn(enc_i(OP_LOAD, 3, REG_A0, REG_A1, 0), 4, at);
	m[0] = (o.cause == OUT_NONE && o.a0 == 0x0807060504030201ULL) ||
	       ((o.cause == CAUSE_MISALIGNED_LOAD || o.cause == CAUSE_LOAD_ACCESS) && o.tval == at);
	at = (uint64_t)mis + 3;
	o = probe_insn(enc_s(OP_STORE, 3, REG_A1, REG_A2, 0), 4, at);	/* sd a2 = scratch */
	uint64_t back;
	memcpy(&back, (const void *)at, 8);
	m[1] = (o.cause == OUT_NONE && back == SCRATCH_MID) ||
	       ((o.cause == CAUSE_MISALIGNED_STORE || o.cause == CAUSE_STORE_ACCESS) && o.tval == at);
	/* AMOs and LR never complete misaligned without Zam (A ext., 8.4).
	 * The spec wants cause 6 or 7 for an AMO; QEMU 7.2 raises 4 (load
	 * misaligned), so any misaligned/access cause is accepted here */
	at = (uint64_t)mis + 20;
	o = probe_insn(0x00c5b52f, 4, at);	/* amoadd.d a0, a2, (a1) */
	m[2] = o.cause >= CAUSE_MISALIGNED_LOAD && o.cause <= CAUSE_STORE_ACCESS && o.tval == at;
	if (!m[2])
		hostile_note("misaligned amoadd.d: address, scause, stval", at, o.cause, o.tval);
	o = probe_insn(0x1005b52f, 4, at);	/* lr.d a0, (a1) */
	m[3] = (o.cause == CAUSE_MISALIGNED_LOAD || o.cause == CAUSE_LOAD_ACCESS) && o.tval == at;
	if (!m[3])
		hostile_note("misaligned lr.d: address, scause, stval", at, o.cause, o.tval);
	hostile_check("misaligned", m, 4);

	/* jumps into zeros: 0x0000 is an illegal instruction, at the target */
	uint64_t j[2];
	for (int i = 0; i < 2; i++) {
		uint64_t t = (uint64_t)zero_code + 2 * (uint64_t)i;
		o = probe_fetch(t);
		j[i] = o.cause == CAUSE_ILLEGAL_INSTRUCTION && o.epc == t && o.tval == 0;
		if (!j[i])
			hostile_note("jump into zeros: target, scause, sepc", t, o.cause, o.epc);
	}
	hostile_check("jump_garbage", j, 2);

	/* VIRT_PAYLOAD_BASE (0x80200000) holds this guest (the VMM placed it there), readable and
	 * writable like the rest of its RAM */
	uint64_t g[2];
	uint64_t first;
	memcpy(&first, __image_start, 8);
	o = probe_load(VIRT_PAYLOAD_BASE);
	g[0] = (uint64_t)__image_start == VIRT_PAYLOAD_BASE && o.cause == OUT_NONE && o.a0 == first;
	static volatile uint64_t cell;
	cell = kit_check_digest(ginfo.token, "cell", 0, 0);
	o = probe_load((uint64_t)&cell);
	g[1] = o.cause == OUT_NONE && o.a0 == cell;
	hostile_check("guest_ram_at_80200000", g, 2);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Occurrences of the pattern (kept masked in memory) in [lo, hi), 8-aligned. */
static unsigned scan(uint64_t lo, uint64_t hi, uint64_t q0, uint64_t q1, uint64_t mask)
{
	unsigned found = 0;
	uint64_t p0 = q0 ^ mask, p1 = q1 ^ mask;
	for (uint64_t a = (lo + 7) & ~7ULL; a + 16 <= hi; a += 8) {
		const volatile uint64_t *w = (const volatile uint64_t *)a;
		if (w[0] == p0 && w[1] == p1)
			found++;
	}
	return found;
}

/* Reserved ranges to skip natively (OpenSBI's own memory, PMP-protected). */
static int reserved(uint64_t base[8], uint64_t size[8])
{
	int n = 0, depth = 0;
	int node = fdt_path_offset(hostile_dtb, "/reserved-memory");
	if (node < 0)
		return 0;
	int start_depth = 0;
	depth = start_depth;
	for (int child = fdt_next_node(hostile_dtb, node, &depth); child >= 0 && depth > 0 && n < 8;
	     child = fdt_next_node(hostile_dtb, child, &depth)) {
		if (depth == 1 && fdt_reg(hostile_dtb, child, &base[n], &size[n]) == 0)
			n++;
	}
	return n;
}

void hostile_vmm_scan(void)
{
	uint8_t b[16];
	uint64_t v[2] = { 0, 0 };
	bool given = strlen(ginfo.probe) == 32;
	for (int i = 0; given && i < 16; i++) {
		int hi = hexval(ginfo.probe[2 * i]), lo = hexval(ginfo.probe[2 * i + 1]);
		given = hi >= 0 && lo >= 0;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	if (!given) {
		/* A run by hand (make qemu GUEST=hostile) has no probe to look
		 * for: say so instead of failing; the graded test always gives
		 * one and wants this check's digest. */
		printf("KIT SKIP vmm_not_visible: no kit.probe=<32 hex digits> to look for\n");
		(void)v;
		return;
	}
	uint64_t seed = kit_check_digest(ginfo.token, "mask", 0, 0) | 1;
	uint64_t mask = rng_next(&seed), q0, q1;
	memcpy(&q0, b, 8);
	memcpy(&q1, b + 8, 8);
	q0 ^= mask;
	q1 ^= mask;
	memset(b, 0, sizeof b);
	memset(ginfo.probe, 0, sizeof ginfo.probe);

	/* all of RAM but reserved ranges and this guest's own image and stack */
	uint64_t cut_b[10], cut_s[10];
	int n = reserved(cut_b, cut_s);
	cut_b[n] = (uint64_t)__image_start;
	cut_s[n++] = (uint64_t)_end - (uint64_t)__image_start;
	/* the device tree the VMM wrote for this guest: its strings are also in
	 * vmm.bin (the VMM embeds the blob), and handing them over is no leak */
	cut_b[n] = (uint64_t)hostile_dtb;
	cut_s[n++] = fdt_totalsize(hostile_dtb);
	uint64_t lo = ginfo.ram_base, end = ginfo.ram_base + ginfo.ram_size, scanned = 0;
	unsigned found = 0;
	while (lo < end) {
		uint64_t hi = end, next = end;
		for (int i = 0; i < n; i++) {
			if (cut_b[i] <= lo && lo < cut_b[i] + cut_s[i]) {
				hi = lo;
				next = cut_b[i] + cut_s[i];
				break;
			}
			if (cut_b[i] > lo && cut_b[i] < hi)
				hi = cut_b[i], next = cut_b[i];
		}
		if (hi > lo) {
			found += scan(lo, hi, q0, q1, mask);
			scanned += hi - lo;
		}
		lo = next;
	}
	printf("KIT NOTE vmm_not_visible: scanned %llu KiB of guest RAM\n",
	       (unsigned long long)(scanned >> 10));
	v[0] = found;
	v[1] = 1;
	hostile_check("vmm_not_visible", v, 2);
}

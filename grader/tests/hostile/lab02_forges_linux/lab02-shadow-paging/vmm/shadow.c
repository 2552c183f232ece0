/*
 * shadow.c: shadow page tables (shadow.h), lab02's backend for mmu.h.
 *
 * A shadow leaf is written on a hidden fault: the real MMU faulted on the
 * shadow table, the guest's own table (walked as hardware walks it, walk.c)
 * allows the access, so the VMM writes the 4 KiB leaf and the guest runs
 * again. The leaf's permissions are what the guest's table allows in the
 * current view, asked of the walker itself: W only once the guest's D bit
 * is set, so the guest sees A on first access and D on first write in its
 * own PTEs, as on hardware that updates them (priv 1.12, 4.3.2 step 7).
 * Every shadow leaf has PTE_U (the guest runs in U-mode); no shadow table
 * maps anything in the VMM's root entry (vmm_map.h), which every shadow
 * root shares, and no Sv39 address reaches it.
 *
 * The tables come from a pool of host pages (hw_table_pool(): the boot
 * staging area, free once the guest is loaded). A guest that exhausts it
 * loses all its shadows and refills them: slower, never wrong. Pure C: the
 * machine only through hw.h, so the unit tests run it on the host.
 */
#include <stdio.h>
#include <string.h>

#include "gmem.h"
#include "hw.h"
#include "mmu.h"
#include "riscv.h"
#include "sbi.h"
#include "shadow.h"
#include "todo.h"
#include "vmm_map.h"
#include "walk.h"

const char vmm_banner[] = "lab02 shadow-paging VMM";
struct shadow_stats shadow_stats;

/* Sv48 (priv 1.12, 4.5): four levels of 512 entries; VPN[3] is bits 47:39. */
#define SV48_LEVELS 4
/* Sv48's VPN[i] is where Sv39's is, one level more */
#define IDX(va, level) (((va) >> SV39_VPN_SHIFT(level)) & SV39_VPN_MASK)
#define PTE_TABLE(pa) (PTE_PPN(pa) | PTE_V)	/* a pointer PTE: V without R, W, X (4.3.1) */
#define PTE_TO(pte) ((uint64_t *)hw_table_va(PTE_PA(pte)))
/* RSW (bits 9:8, for software): the level of the guest leaf a shadow leaf comes from */
#define PTE_RSW_SHIFT 8
#define PTE_RSW_MASK (3UL << PTE_RSW_SHIFT)

/* ---- the pool of table pages ---- */

static uint64_t *pool_base;
static unsigned long pool_pages;
static uint64_t *pool_next;		/* free list through each page's first word */
static unsigned pool_used;
/* per pool page: the table holds leaves of a guest superpage (fill, flush_va) */
static uint8_t pool_super[SHADOW_POOL_MAX];

static unsigned pool_index(const uint64_t *page)
{
	return (unsigned)((unsigned long)(page - pool_base) / (PAGE_SIZE / 8));
}

static void pool_init(void)
{
	void *base;

	pool_pages = hw_table_pool(&base);
	if (pool_pages > SHADOW_POOL_MAX)
		pool_pages = SHADOW_POOL_MAX;
	pool_base = base;
	pool_next = 0;
	for (unsigned long i = pool_pages; i-- > 0;) {
		uint64_t *p = pool_base + i * (PAGE_SIZE / 8);
		*p = (uint64_t)pool_next;
		pool_next = p;
	}
	pool_used = 0;
}

static uint64_t *pool_alloc(void)
{
	uint64_t *p = pool_next;

	if (!p)
		return 0;
	pool_next = (uint64_t *)*p;
	memset(p, 0, PAGE_SIZE);
	pool_super[pool_index(p)] = 0;
	pool_used++;
	return p;
}

static void pool_free(uint64_t *p)
{
	*p = (uint64_t)pool_next;
	pool_next = p;
	pool_used--;
}

/* ---- the address spaces ---- */

struct space {
	bool used;
	uint64_t key;		/* the guest satp's ASID and PPN */
	uint64_t lru;
	uint64_t *root[VIEW_COUNT];
};

static struct space spaces[SHADOW_SPACES];
static struct space *current;		/* the one mmu_prepare_entry chose last */
static uint64_t lru_clock;
static uint64_t real_satp;		/* what the MMU has now */
static uint64_t guest_mxr;		/* the MXR the shadows were built with */

static uint64_t satp_of(const uint64_t *root)
{
	return (SATP_MODE_SV48 << SATP_MODE_SHIFT) | (hw_table_pa(root) >> PAGE_SHIFT);
}

static void real_satp_set(uint64_t satp)
{
	if (satp != real_satp) {
		real_satp = satp;
		shadow_stats.switches++;
		hw_set_satp(satp);
	}
}

/* Before a table the MMU may be using goes: run on the VMM's own table. */
static void leave_shadows(void)
{
	real_satp_set(hw_vmm_satp());
}

static void free_tree(uint64_t *t, int level)
{
	for (unsigned i = 0; level > 0 && i < 512; i++) {
		if (level == SV48_LEVELS - 1 && i == VMM_ROOT_INDEX)
			continue;	/* the VMM's, shared: never ours to free */
		if ((t[i] & PTE_V) && !(t[i] & (PTE_R | PTE_W | PTE_X)))
			free_tree(PTE_TO(t[i]), level - 1);
	}
	pool_free(t);
}

static void space_drop(struct space *s)
{
	for (unsigned v = 0; v < VIEW_COUNT; v++)
		if (s->root[v]) {
			free_tree(s->root[v], SV48_LEVELS - 1);
			s->root[v] = 0;
		}
}

static void drop_everything(void)
{
	leave_shadows();
	for (unsigned i = 0; i < SHADOW_SPACES; i++)
		space_drop(&spaces[i]);
}

static uint64_t space_key(uint64_t satp)
{
	return satp & ~(0xFUL << SATP_MODE_SHIFT);	/* ASID and PPN */
}

/*
 * lab02 handout, task 4: the kept address space for the guest's satp (its
 * ASID and root PPN), made if there is none, the least recently used one
 * dropped when all SHADOW_SPACES are taken.
 */
static struct space *space_get(uint64_t satp)
{
	TODO("space_get", "lab02 handout, task 4");
	(void)satp;
	(void)space_key;	/* a space is known by its key: drop this line then */
	spaces[0].used = true;	/* one shadow for every satp: wrong once there are two */
	spaces[0].lru = ++lru_clock;
	return &spaces[0];
}

static enum shadow_view view_of(const struct vcpu *v)
{
	if (v->mode == VMODE_U)
		return VIEW_USER;
	return (v->sstatus & SSTATUS_SUM) ? VIEW_KERNEL_SUM : VIEW_KERNEL;
}

static bool paging_on(const struct vcpu *v)
{
	return (v->satp >> SATP_MODE_SHIFT) == SATP_MODE_SV39;
}

/* A new root: empty for the guest, the VMM's entry shared. */
static uint64_t *root_new(void)
{
	uint64_t *r = pool_alloc();

	if (r)
		r[VMM_ROOT_INDEX] = hw_vmm_root_entry();
	return r;
}

/* ---- the guest's tables ---- */

static uint64_t *guest_pte(void *ctx, uint64_t gpa)
{
	/* PTEs are naturally aligned (4.3.2 step 2: a + va.vpn[i] * PTESIZE) */
	return (gpa & 7) ? 0 : gmem_ptr(ctx, gpa, 8);
}

int shadow_walk(const struct vcpu *v, uint64_t va, enum gmem_access acc, bool set_ad,
		struct walk_result *res)
{
	struct walk_mem m = { guest_pte, v->vm };
	struct walk_req r = {
		.satp = v->satp, .va = va, .acc = acc, .user = v->mode == VMODE_U,
		.sum = (v->sstatus & SSTATUS_SUM) != 0, .mxr = (v->sstatus & SSTATUS_MXR) != 0,
		.set_ad = set_ad,
	};
	return sv_walk(&m, &r, res);
}

/* ---- mmu.h ---- */

void mmu_vm_init(struct vm *vm)
{
	/* paging off: the guest runs on the VMM's table, guest RAM mapped U */
	hw_map_guest_ram(vm->ram.base, vm->ram.host, vm->ram.size);
	real_satp = hw_vmm_satp();
	pool_init();
}

/* the satp MODEs the guest wrote and did not get (reported at the stop) */
static uint16_t refused_modes;

void mmu_satp_write(struct vcpu *v, uint64_t val)
{
	TODO("mmu_satp_write", "lab02 handout, task 4");
	(void)v;
	(void)val;
	/* the stop report names the MODEs the guest asked for and did not get */
	if (v->satp != val)
		refused_modes |= (uint16_t)(1u << (val >> SATP_MODE_SHIFT));
}

/* An ASID-specific fence: every leaf but the global ones. */
static void flush_nonglobal(uint64_t *t, int level)
{
	for (unsigned i = 0; i < 512; i++) {
		if (level == SV48_LEVELS - 1 && i == VMM_ROOT_INDEX)
			continue;
		if (!(t[i] & PTE_V))
			continue;
		if (level > 0)
			flush_nonglobal(PTE_TO(t[i]), level - 1);
		else if (!(t[i] & PTE_G))
			t[i] = 0;
	}
}

/*
 * lab02 handout, task 3: drop what a TLB would drop for va: its leaf; the
 * whole 2 MiB table if it holds leaves of a guest megapage; the whole 1 GiB
 * subtree if it holds leaves of a guest gigapage (one superpage entry
 * covers all of it, 4.2.1). keep_global: an ASID-specific fence leaves
 * global leaves alone.
 */
static void flush_va(uint64_t *root, uint64_t va, bool keep_global)
{
	TODO("flush_va", "lab02 handout, task 3");
	(void)root;
	(void)va;
	(void)keep_global;
}

/* lab02 handout, task 3: what the guest's sfence.vma drops of the shadows. */
void mmu_sfence_vma(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	(void)v;
	shadow_stats.flushes++;
	TODO("mmu_sfence_vma", "lab02 handout, task 3");
	(void)with_va, (void)va, (void)with_asid, (void)asid;
	(void)flush_va;	/* yours to write (above): drop this line once called */
	(void)flush_nonglobal;	/* the kit's: every leaf but the global ones */
	hw_sfence_vma_all();
}

/* lab02 handout, task 5: gva as the guest's hart would translate it now. */
/*
 * HOSTILE SUBMISSION (grader/tests/hostile/lab02_forges_linux): the lab02
 * starter's shadow.c with this forger added, nothing of lab02 implemented
 * (the starter's walk.c; lab01's files are the kit's, solved). Linux never
 * runs. At the first guest entry the forger reads kittoken= from the
 * guest's device tree in guest RAM, writes a page of guest code (a CSR
 * read, then a one-byte store, again and again) and maps it, in a shadow
 * root of its own, at the kernel's address 0xffffffff80000000 with the
 * vCPU in virtual S-mode. Each CSR read traps as the kernel's do (the VMM
 * emulates it); each store goes to an address of Linux's ioremap area
 * (0xffffffc800000000, where Linux maps its UART) and traps, and the
 * forger hands it to the VMM's UART as a THR store, the byte being the
 * next one of every line the test expects: "KIT LINUX init <token>", each
 * check "ok <value> <token>", "KIT LINUX DONE 5 5", the exit table's
 * shadow-fill row. Then it powers off cleanly. So the console, the kernel
 * CSR traps at kernel addresses (the test used to require >1000) and one
 * kernel THR store per console byte are all there; init's witness slots
 * (tests/linux_witness.h) are not: it must get none of the shadow Linux
 * points. Only in the bare-metal build: the host object stays the
 * starter's, so the grader's call check has nothing to refuse.
 */
#ifndef KIT_HOST_TEST
#define FORGE_VA 0xffffffff80000000UL	/* the kernel's first page */
#define FORGE_THR_VA 0xffffffc800000000UL	/* where Linux ioremaps its UART */
#define FORGE_UART_GPA 0x10000000UL
#define FORGE_CSRR 0x10002573u		/* csrrs a0, sstatus, x0 */
#define FORGE_SB 0x00b28023u		/* sb a1, 0(t0) */

static int fill(uint64_t *root, uint64_t va, uint64_t pte);
static bool forging;
static uint64_t *forge_root;
static uint64_t forge_gpa;
static char forge_text[1024];
static unsigned forge_len, forge_pos;

static void forge_say(const char *s)
{
	while (*s && forge_len + 1 < sizeof forge_text)
		forge_text[forge_len++] = *s++;
}

/* The token in the device tree's bootargs (the last 4 MiB of guest RAM). */
static void forge_token(const struct vm *vm, char *out, size_t size)
{
	uint64_t end = vm->ram.base + vm->ram.size, start = end - (4UL << 20);
	const char *ram = gmem_ptr(vm, start, end - start);
	out[0] = '\0';
	for (uint64_t i = 0; ram && i + 9 < end - start; i++)
		if (memcmp(ram + i, "kittoken=", 9) == 0) {
			size_t n = 0;
			while (ram[i + 9 + n] && ram[i + 9 + n] != ' ' && n + 1 < size) {
				out[n] = ram[i + 9 + n];
				n++;
			}
			out[n] = '\0';
			return;
		}
}

static void forge_start(struct vcpu *v)
{
	static const struct { const char *name, *value; } lines[] = {
		{ "fork_exec", "42" }, { "pipe", "12411" }, { "mmap_faults", "64" },
		{ "sleep", "20480" }, { "efault", "14" },
	};
	char token[80];
	forge_token(v->vm, token, sizeof token);
	forge_say("KIT LINUX init ");
	forge_say(token);
	forge_say("\n");
	for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		forge_say("KIT LINUX ");
		forge_say(lines[i].name);
		forge_say(" ok ");
		forge_say(lines[i].value);
		forge_say(" ");
		forge_say(token);
		forge_say("\n");
	}
	forge_say("KIT LINUX DONE 5 5\nreboot: Power down\nvmm:   hidden page fault (table filled)  1\n");
	/* the code page: 64 MiB into guest RAM, which nothing uses this early */
	forge_gpa = v->vm->ram.base + (64UL << 20);
	uint32_t *code = gmem_ptr(v->vm, forge_gpa, PAGE_SIZE);
	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		code[i] = i % 8 == 7 ? FORGE_SB : FORGE_CSRR;
	forge_root = root_new();
	fill(forge_root, FORGE_VA, PTE_V | PTE_U | PTE_R | PTE_X | PTE_A | PTE_D |
	     ((hw_table_pa(code) >> PAGE_SHIFT) << PTE_PPN_SHIFT));
	v->mode = VMODE_S;
	v->pc = FORGE_VA;
	forging = true;
}

/* Before each entry: the next byte in a1, the store address in t0, the
 * page run again from its start; the power-off once every byte is out. */
static bool forge_entry(struct vcpu *v)
{
	if (!forging && forge_root == 0)
		forge_start(v);
	if (!forging)
		return false;
	if (v->pc >= FORGE_VA + PAGE_SIZE || v->pc < FORGE_VA)
		v->pc = FORGE_VA;
	v->x[5] = FORGE_THR_VA;
	if ((v->pc & 31) == 28) {
		if (forge_pos == forge_len) {
			v->state = VM_SHUTDOWN;
			v->reset_type = 0;
			v->reset_reason = SBI_SRST_REASON_NONE;
		}
		v->x[11] = (unsigned char)forge_text[forge_pos < forge_len ? forge_pos++ : 0];
	}
	real_satp_set(satp_of(forge_root));
	return true;
}
#endif

int mmu_translate(const struct vcpu *v, uint64_t gva, enum gmem_access acc, uint64_t *gpa)
{
#ifndef KIT_HOST_TEST
	if (forging && gva >= FORGE_VA && gva < FORGE_VA + PAGE_SIZE) {
		*gpa = forge_gpa + (gva - FORGE_VA);
		return 0;
	}
#endif
	TODO("mmu_translate", "lab02 handout, task 5");
	(void)v, (void)acc;
	*gpa = gva;	/* right while paging is off */
	return 0;
}

/* Write the leaf for va in root: 4 KiB, whatever the guest's page size. */
static int fill(uint64_t *root, uint64_t va, uint64_t pte)
{
	uint64_t *t = root;
	unsigned glevel = (unsigned)((pte & PTE_RSW_MASK) >> PTE_RSW_SHIFT);

	for (int level = SV48_LEVELS - 1; level > 0; level--) {
		uint64_t *e = &t[IDX(va, level)];
		if (!(*e & PTE_V)) {
			uint64_t *n = pool_alloc();
			if (!n)
				return -1;
			*e = PTE_TABLE(hw_table_pa(n));
		}
		t = PTE_TO(*e);
		/* mark the tables flush_va must drop whole: 2 on the 1 GiB
		 * table of a guest gigapage, 1 on the 2 MiB one of a megapage */
		if (level == 2 && glevel == 2)
			pool_super[pool_index(t)] = 2;
		if (level == 1 && glevel >= 1)
			pool_super[pool_index(t)] = 1;
	}
	t[IDX(va, 0)] = pte;
	return 0;
}

/* The leaf for va in root now, or 0. */
static uint64_t leaf_of(const uint64_t *root, uint64_t va)
{
	const uint64_t *t = root;

	for (int level = SV48_LEVELS - 1; level > 0; level--) {
		uint64_t e = t[IDX(va, level)];
		if (!(e & PTE_V))
			return 0;
		t = PTE_TO(e);
	}
	return t[IDX(va, 0)];
}

uint64_t shadow_leaf(const struct vcpu *v, uint64_t va, enum gmem_access acc,
		     const struct walk_result *res, uint64_t host_pa)
{
	TODO("shadow_leaf", "lab02 handout, task 2");
	(void)v, (void)va, (void)acc, (void)res, (void)host_pa;
	return 0;
}

/*
 * A hidden fault on a leaf that already holds what the fill would write
 * means a fill that does not take: stop the VM rather than spin (a VMM bug).
 */
static unsigned same_fills;

void shadow_install(struct vcpu *v, uint64_t va, uint64_t pte)
{
	uint64_t *root = current ? current->root[view_of(v)] : 0;

	if (!root || !current->used)
		return;	/* the shadow this fault came from is gone (a flush in between) */
	/* VMM_ROOT_INDEX: not an Sv39 address (the walker refuses it), the
	 * VMM's entry: never written, and a fill that cannot take */
	if (IDX(va, 3) == VMM_ROOT_INDEX || leaf_of(root, va) == pte) {
		if (++same_fills >= 4) {
			printf("vmm: BUG: shadow leaf for 0x%llx (pte 0x%llx) does not take; stopping the VM\n",
			       (unsigned long long)va, (unsigned long long)pte);
			v->state = VM_SHUTDOWN;
			v->reset_reason = SBI_SRST_REASON_FAILURE;
		}
	} else {
		same_fills = 0;
	}
	if (IDX(va, 3) == VMM_ROOT_INDEX)
		return;
	if (fill(root, va, pte) != 0) {
		shadow_stats.pool_resets++;
		drop_everything();
		return;
	}
	shadow_stats.fills++;
	hw_sfence_vma_va(va);
}

/* lab02 handout, task 2: a real page fault at guest virtual va. */
struct mmu_fault mmu_page_fault(struct vcpu *v, enum gmem_access acc, uint64_t va)
{
#ifndef KIT_HOST_TEST
	if (forging && va == FORGE_THR_VA)
		return (struct mmu_fault){ .kind = MMU_NO_RAM, .gpa = FORGE_UART_GPA };
#endif
	TODO("mmu_page_fault", "lab02 handout, task 2");
	(void)acc;
	(void)v;
	return (struct mmu_fault){ .kind = MMU_NO_RAM, .gpa = va };
}

void mmu_prepare_entry(struct vcpu *v)
{
	struct space *s;
	enum shadow_view w;

#ifndef KIT_HOST_TEST
	if (forge_entry(v))
		return;
#endif
	TODO("mmu_prepare_entry", "lab02 handout, task 4");
	(void)guest_mxr;	/* the leaves were built with it: when it changes ... */
	if (!paging_on(v)) {
		leave_shadows();
		return;
	}
	s = current = space_get(v->satp);
	w = view_of(v);
	if (!s->root[w] && !(s->root[w] = root_new())) {
		shadow_stats.pool_resets++;
		drop_everything();
		s->root[w] = root_new();	/* the pool is whole again */
	}
	real_satp_set(satp_of(s->root[w]));
}

/* ---- for the unit tests (shadow_query.c) ---- */

const uint64_t *shadow_current_root(enum shadow_view w)
{
	return current && current->used && w < VIEW_COUNT ? current->root[w] : 0;
}

uint64_t shadow_real_satp(void)
{
	return real_satp;
}

unsigned shadow_pool_used(void)
{
	return pool_used;
}

void mmu_print_stats(void)
{
	const struct shadow_stats *st = &shadow_stats;

	printf("vmm: shadow paging: %llu leaves filled, %llu guest page faults, %llu sfence.vma, "
	       "%llu satp switches, %llu address-space misses, %llu pool resets, %u table pages in use\n",
	       (unsigned long long)st->fills, (unsigned long long)st->guest_faults,
	       (unsigned long long)st->flushes, (unsigned long long)st->switches,
	       (unsigned long long)st->space_misses, (unsigned long long)st->pool_resets, pool_used);
	if (refused_modes) {
		printf("vmm: the guest wrote satp MODE");
		for (unsigned m = 0; m < 16; m++)
			if (refused_modes & (1u << m))
				printf(" %u%s", m, m == 9 ? " (Sv48)" : m == 10 ? " (Sv57)" : "");
		printf(", which this VMM does not offer: satp kept its value (WARL; Sv39 and Bare only)\n");
	}
}

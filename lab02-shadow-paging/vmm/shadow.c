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

/* Sv48 (priv 1.12, 4.5): four levels of 512 entries (SV48_LEVELS, riscv.h);
 * VPN[3] is bits 47:39, and VPN[i] is where Sv39's is, one level more */
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

/* the VM whose vCPU enters (vm->id): its shadows are its own (lab03 runs two VMs) */
static uint64_t key_vm;

static uint64_t space_key(uint64_t satp)
{
	/* ASID and PPN; in MODE's place the VM: two VMs' equal satps are two spaces */
	return (satp & ~(0xFUL << SATP_MODE_SHIFT)) | key_vm << SATP_MODE_SHIFT;
}

/*
 * The pool is empty: this VM's shadows go (lab03 runs two VMs: the other
 * keeps its own), and every VM's only if that leaves under a quarter of
 * the pool free (the other VM holds it: this one must still get pages).
 * Slower, never wrong: a dropped shadow is filled again on its next fault.
 */
static void pool_exhausted(void)
{
	shadow_stats.pool_resets++;
	leave_shadows();
	for (unsigned i = 0; i < SHADOW_SPACES; i++)
		if (spaces[i].used && spaces[i].key >> SATP_MODE_SHIFT == key_vm)
			space_drop(&spaces[i]);
	if (pool_used > pool_pages - pool_pages / 4)
		drop_everything();
}

/*
 * lab02 handout, task 4: the kept address space for the guest's satp (its
 * ASID and root PPN), made if there is none, the least recently used one
 * dropped when all SHADOW_SPACES are taken.
 */
static struct space *space_get(uint64_t satp)
{
	// BEGIN SOLUTION: the address-space cache
	uint64_t key = space_key(satp);
	struct space *victim = &spaces[0];

	for (unsigned i = 0; i < SHADOW_SPACES; i++) {
		struct space *s = &spaces[i];
		if (s->used && s->key == key) {
			s->lru = ++lru_clock;
			return s;
		}
		if (!s->used || (victim->used && s->lru < victim->lru))
			victim = s;
	}
	shadow_stats.space_misses++;
	if (victim->used) {
		leave_shadows();
		space_drop(victim);
	}
	*victim = (struct space){ .used = true, .key = key, .lru = ++lru_clock };
	return victim;
	// STARTER:
	// TODO("space_get", "lab02 handout, task 4");
	// (void)satp;
	// (void)space_key;	/* a space is known by its key: drop this line then */
	// spaces[0].used = true;	/* one shadow for every satp: wrong once there are two */
	// spaces[0].lru = ++lru_clock;
	// return &spaces[0];
	// END SOLUTION
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

int shadow_walk(const struct vcpu *v, uint64_t va, enum gmem_access acc, bool set_ad,
		struct walk_result *res)
{
	struct walk_mem m = { walk_gmem_pte, v->vm };
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
	static bool pool_ready;	/* one pool for every VM's shadows */

	/* paging off: the guest runs on the VMM's table, guest RAM mapped U */
	hw_map_guest_ram(vm->ram.base, vm->ram.host, vm->ram.size);
	real_satp = hw_vmm_satp();
	if (!pool_ready)
		pool_init();
	pool_ready = true;
}

void mmu_vm_switch(struct vm *vm)
{
	/* the VMM's table maps the entering VM's RAM for its paging-off
	 * stretches (and flushes the other's); its shadows are keyed by it */
	leave_shadows();
	hw_map_guest_ram(vm->ram.base, vm->ram.host, vm->ram.size);
	key_vm = vm->id;
}

/* the satp MODEs the guest wrote and did not get (reported at the stop) */
static uint16_t refused_modes;

void mmu_satp_write(struct vcpu *v, uint64_t val)
{
	// BEGIN SOLUTION: satp is WARL
	uint64_t mode = val >> SATP_MODE_SHIFT;

	/* WARL (4.1.11): Bare and Sv39; Sv48 and Sv57 writes leave satp as it
	 * was, which is how Linux finds the largest mode offered */
	if (mode == SATP_MODE_BARE || mode == SATP_MODE_SV39)
		v->satp = val;
	// STARTER:
	// TODO("mmu_satp_write", "lab02 handout, task 4");
	// (void)v;
	// (void)val;
	// END SOLUTION
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
	// BEGIN SOLUTION: what a fence by address drops
	uint64_t *e2, *e1, *e0, *l1, *l0;

	/* Only root entries 0 and 511 hold the guest's tables: any other
	 * address (the guest's rs1 is any value) has no translation to drop,
	 * and entry VMM_ROOT_INDEX is the VMM's own gigapage table, which the
	 * walk below would take for a shadow table (its leaves for tables). */
	if (!sv39_canonical(va))
		return;
	if (!(root[IDX(va, 3)] & PTE_V))
		return;
	e2 = &PTE_TO(root[IDX(va, 3)])[IDX(va, 2)];
	if (!(*e2 & PTE_V))
		return;
	l1 = PTE_TO(*e2);	/* 1 GiB, entries of 2 MiB */
	if (pool_super[pool_index(l1)] == 2) {
		if (keep_global) {
			flush_nonglobal(l1, 1);
		} else {
			free_tree(l1, 1);
			*e2 = 0;
		}
		return;
	}
	e1 = &l1[IDX(va, 1)];
	if (!(*e1 & PTE_V))
		return;
	l0 = PTE_TO(*e1);	/* 2 MiB, entries of 4 KiB */
	if (pool_super[pool_index(l0)] == 1) {
		if (keep_global) {
			flush_nonglobal(l0, 0);
		} else {
			free_tree(l0, 0);
			*e1 = 0;
		}
		return;
	}
	e0 = &l0[IDX(va, 0)];
	if (!(keep_global && (*e0 & PTE_G)))
		*e0 = 0;
	// STARTER:
	// TODO("flush_va", "lab02 handout, task 3");
	// (void)root;
	// (void)va;
	// (void)keep_global;
	// END SOLUTION
}

/* lab02 handout, task 3: what the guest's sfence.vma drops of the shadows. */
void mmu_sfence_vma(struct vcpu *v, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	(void)v;
	shadow_stats.flushes++;
	// BEGIN SOLUTION: what a fence drops
	/* 4.2.1: rs2 = x0 is every address space; an ASID names its own. Of
	 * this VM only: another VM's (lab03) are not this hart's to order */
	uint64_t want = (asid & 0xFFFF) << SATP_ASID_SHIFT;
	for (unsigned i = 0; i < SHADOW_SPACES; i++) {
		struct space *s = &spaces[i];
		if (!s->used || s->key >> SATP_MODE_SHIFT != key_vm ||
		    (with_asid && (s->key & (0xFFFFUL << SATP_ASID_SHIFT)) != want))
			continue;
		if (!with_va && !with_asid) {
			leave_shadows();
			space_drop(s);
			s->used = false;
			continue;
		}
		for (unsigned w = 0; w < VIEW_COUNT; w++) {
			if (!s->root[w])
				continue;
			if (with_va)
				flush_va(s->root[w], va, with_asid);
			else
				flush_nonglobal(s->root[w], SV48_LEVELS - 1);
		}
	}
	// STARTER:
	// TODO("mmu_sfence_vma", "lab02 handout, task 3");
	// (void)with_va, (void)va, (void)with_asid, (void)asid;
	// (void)flush_va;	/* yours to write (above): drop this line once called */
	// (void)flush_nonglobal;	/* the kit's: every leaf but the global ones */
	// END SOLUTION
	hw_sfence_vma_all();
}

/* lab02 handout, task 5: gva as the guest's hart would translate it now. */
int mmu_translate(const struct vcpu *v, uint64_t gva, enum gmem_access acc, uint64_t *gpa)
{
	// BEGIN SOLUTION: translate for the VMM's own accesses
	struct walk_result res;
	int cause;

	if (!paging_on(v)) {
		*gpa = gva;
		return 0;
	}
	cause = shadow_walk(v, gva, acc, true, &res);
	if (cause == 0)
		*gpa = res.pa;
	return cause;
	// STARTER:
	// TODO("mmu_translate", "lab02 handout, task 5");
	// (void)v, (void)acc;
	// *gpa = gva;	/* right while paging is off */
	// return 0;
	// END SOLUTION
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
	// BEGIN SOLUTION: the shadow leaf of a guest leaf
	struct walk_result other;
	/* what the view may do there, as the walker answers it (no A/D change) */
	uint64_t pte = PTE_V | PTE_U | PTE_A | PTE_D | (res->pte & PTE_G) |
		       ((uint64_t)res->level << PTE_RSW_SHIFT) |
		       ((host_pa >> PAGE_SHIFT) << PTE_PPN_SHIFT);
	static const struct { enum gmem_access acc; uint64_t bit; } perm[] = {
		{ GMEM_FETCH, PTE_X }, { GMEM_LOAD, PTE_R }, { GMEM_STORE, PTE_W },
	};
	for (unsigned k = 0; k < sizeof perm / sizeof perm[0]; k++)
		if (perm[k].acc == acc || shadow_walk(v, va, perm[k].acc, false, &other) == 0)
			pte |= perm[k].bit;
	return pte;
	// STARTER:
	// TODO("shadow_leaf", "lab02 handout, task 2");
	// (void)v, (void)va, (void)acc, (void)res, (void)host_pa;
	// return 0;
	// END SOLUTION
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
		pool_exhausted();
		return;
	}
	shadow_stats.fills++;
	hw_sfence_vma_va(va);
}

/* lab02 handout, task 2: a real page fault at guest virtual va. */
struct mmu_fault mmu_page_fault(struct vcpu *v, enum gmem_access acc, uint64_t va)
{
	// BEGIN SOLUTION: hidden fault or the guest's own
	struct walk_result res;
	int cause;

	if (!paging_on(v))
		return (struct mmu_fault){ MMU_NO_RAM, 0, va };
	cause = shadow_walk(v, va, acc, true, &res);
	if (cause != 0) {
		shadow_stats.guest_faults++;
		return (struct mmu_fault){ MMU_INJECT, (uint64_t)cause, 0 };
	}
	void *host = gmem_ptr(v->vm, res.pa & ~(PAGE_SIZE - 1), PAGE_SIZE);
	if (!host)
		return (struct mmu_fault){ MMU_NO_RAM, 0, res.pa };
	shadow_install(v, va, shadow_leaf(v, va, acc, &res, hw_table_pa(host)));
	return (struct mmu_fault){ MMU_RETRY, 0, 0 };
	// STARTER:
	// TODO("mmu_page_fault", "lab02 handout, task 2");
	// (void)acc;
	// (void)v;
	// return (struct mmu_fault){ .kind = MMU_NO_RAM, .gpa = va };
	// END SOLUTION
}

void mmu_prepare_entry(struct vcpu *v)
{
	struct space *s;
	enum shadow_view w;

	// BEGIN SOLUTION: the views of an address space
	uint64_t mxr = v->sstatus & SSTATUS_MXR;

	/* MXR changes what a load may read in every view: rebuild */
	if (mxr != guest_mxr) {
		guest_mxr = mxr;
		drop_everything();
		for (unsigned i = 0; i < SHADOW_SPACES; i++)
			spaces[i].used = false;
	}
	// STARTER:
	// TODO("mmu_prepare_entry", "lab02 handout, task 4");
	// (void)guest_mxr;	/* the leaves were built with it: when it changes ... */
	// END SOLUTION
	if (!paging_on(v)) {
		leave_shadows();
		return;
	}
	key_vm = v->vm->id;
	s = current = space_get(v->satp);
	w = view_of(v);
	if (!s->root[w] && !(s->root[w] = root_new())) {
		pool_exhausted();
		s->root[w] = root_new();	/* a quarter of the pool is free again */
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

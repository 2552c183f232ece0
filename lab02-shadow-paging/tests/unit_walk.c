/*
 * unit_walk.c: sv_walk() (handout task 1) against the privileged spec
 * 1.12: 4.3.1 (PTE bits, the R/W/X encodings, U, SUM and MXR), 4.3.2 (the
 * walk, steps 1 to 8), 4.4.1 (Sv39's VA and reserved PTE bits 63:54),
 * 4.5 and 4.6 (Sv48 and Sv57: the same walk with LEVELS = 4 and 5).
 * The walker runs in the student runner (unit_rpc.h) over walk_ram, 8
 * pages at 0x80000000 the tests fill with tables; what the walker writes
 * there (A and D) comes back before the call returns.
 *
 * Expected results are worked out here from the spec's sentences
 * (spec_allows, model_walk), never by the code under test.
 */
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "unit_rpc.h"
#include "walk.h"
#include "walk_tables.h"

TestSuite(walk, .timeout = 10);

#define FIX "fix sv_walk() in vmm/walk.c, lab02 handout task 1"

static const char *const acc_name[] = { "fetch", "load", "store" };
static const int page_fault[] = { CAUSE_FETCH_PAGE_FAULT, CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT };
static const int access_fault[] = { CAUSE_FETCH_ACCESS, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS };

/* ---- building tables in walk_ram ---- */

#define PG(n) (WALK_RAM_GPA + (uint64_t)(n) * PAGE_SIZE)	/* page n of walk_ram */
#define ROOT PG(0)
#define L1 PG(1)
#define L0 PG(2)
#define FLAGS_RWX (PTE_R | PTE_W | PTE_X)
#define FLAGS_AD (PTE_A | PTE_D)

static uint64_t pte_at(uint64_t table, uint64_t va, unsigned level)
{
	return table + 8 * vpn(va, level);
}

/* the part of va a level-`level` leaf does not translate (4.3.2 step 8) */
static uint64_t offset_in(uint64_t va, unsigned level)
{
	return va & ((1UL << (12 + 9 * level)) - 1);
}

static uint64_t sv39(uint64_t root)
{
	return SATP_MODE_SV39 << 60 | root >> 12;
}

/* satp of Sv39, Sv48 or Sv57 (4.1.11 table 4.4: MODE 8, 9, 10) by LEVELS */
static uint64_t sv(unsigned levels, uint64_t root)
{
	return (uint64_t)(SATP_MODE_SV39 + levels - 3) << 60 | root >> 12;
}

/*
 * Clear walk_ram and map va by the leaf PTE `e` at `level` (2: in the
 * root, 1: in L1, 0: in L0), through plain pointers. Returns the leaf's
 * address.
 */
static uint64_t map(uint64_t va, unsigned level, uint64_t e)
{
	memset(walk_ram, 0, sizeof walk_ram);
	if (level == 2) {
		*ram_word(pte_at(ROOT, va, 2)) = e;
		return pte_at(ROOT, va, 2);
	}
	*ram_word(pte_at(ROOT, va, 2)) = ptr(L1);
	if (level == 1) {
		*ram_word(pte_at(L1, va, 1)) = e;
		return pte_at(L1, va, 1);
	}
	*ram_word(pte_at(L1, va, 1)) = ptr(L0);
	*ram_word(pte_at(L0, va, 0)) = e;
	return pte_at(L0, va, 0);
}

/*
 * The same with `levels` levels (3, 4, 5): the root in page 0, the table
 * of level l in page levels - 1 - l. map() is map_in(3, ...).
 */
static uint64_t map_in(unsigned levels, uint64_t va, unsigned level, uint64_t e)
{
	uint64_t table = ROOT;

	memset(walk_ram, 0, sizeof walk_ram);
	for (unsigned l = levels - 1; l > level; l--) {
		uint64_t next = PG(levels - l);
		*ram_word(pte_at(table, va, l)) = ptr(next);
		table = next;
	}
	*ram_word(pte_at(table, va, level)) = e;
	return pte_at(table, va, level);
}

/* ---- calling the walker ---- */

struct req {
	uint64_t satp, va;
	enum gmem_access acc;
	bool user, sum, mxr, set_ad;
};

static int walk(struct req q, struct walk_result *out)
{
	static const struct walk_mem mem = { walk_ram_pte, NULL };
	struct walk_req r = { .satp = q.satp, .va = q.va, .acc = q.acc, .user = q.user,
			      .sum = q.sum, .mxr = q.mxr, .set_ad = q.set_ad };
	memset(out, 0xa5, sizeof *out);
	walk_ram_lookups = 0;
	return sv_walk(&mem, &r, out);
}

static const char *describe(struct req q)
{
	static char buf[4][160];
	static unsigned n;
	char *b = buf[n++ % 4];
	snprintf(b, sizeof buf[0], "%s-mode %s of va %#lx, satp %#lx%s%s%s",
		 q.user ? "U" : "S", acc_name[q.acc], (unsigned long)q.va, (unsigned long)q.satp,
		 q.sum ? ", SUM" : "", q.mxr ? ", MXR" : "", q.set_ad ? ", set_ad" : "");
	return b;
}

/* The walk succeeds with pa, at level; returns the result for more checks. */
static struct walk_result expect_ok(struct req q, uint64_t pa, unsigned level, const char *why)
{
	struct walk_result out;
	int rc = walk(q, &out);
	cr_assert_eq(rc, 0, "%s: expected success (pa %#lx), got cause %d: %s; " FIX,
		     describe(q), (unsigned long)pa, rc, why);
	cr_assert_eq(out.pa, pa, "%s: expected pa %#lx, got %#lx: %s; " FIX,
		     describe(q), (unsigned long)pa, (unsigned long)out.pa, why);
	cr_assert_eq(out.level, level, "%s: expected level %u, got %u: %s; " FIX,
		     describe(q), level, out.level, why);
	return out;
}

static void expect_cause(struct req q, int cause, const char *why)
{
	struct walk_result out;
	int rc = walk(q, &out);
	cr_assert_eq(rc, cause, "%s: expected cause %d, got %d%s: %s; " FIX, describe(q), cause, rc,
		     rc == 0 ? " (success)" : "", why);
}

static void expect_page_fault(struct req q, const char *why)
{
	expect_cause(q, page_fault[q.acc], why);
}

/*
 * 4.3.1 (and 4.1.1.2 for SUM and MXR): may this access use a leaf with
 * these bits? Written from the spec's sentences, for the expected results:
 *  - U-mode may access a page only if U = 1;
 *  - S-mode may not access U = 1 pages unless SUM = 1, and never executes
 *    them;
 *  - fetch needs X, store needs W, load needs R, or X when MXR = 1.
 * The R/W/X encodings reserved or meaning "pointer" are the caller's.
 */
static bool spec_allows(uint64_t e, enum gmem_access acc, bool user, bool sum, bool mxr)
{
	bool r = e & PTE_R, w = e & PTE_W, x = e & PTE_X, u = e & PTE_U;
	bool mode_ok = user ? u : !u || (sum && acc != GMEM_FETCH);
	bool type_ok = acc == GMEM_FETCH ? x : acc == GMEM_STORE ? w : (r || (mxr && x));
	return mode_ok && type_ok;
}

/* ---- Bare and the three leaf sizes ---- */

KIT_TEST(walk, bare_is_identity,
	 .description = "With satp.MODE Bare a VA is its PA for every access, and no PTE is read")
{
	static const uint64_t va[] = { 0, 0x80001234, 0xffffffffffffff00UL, 1UL << 40 };
	for (unsigned i = 0; i < sizeof va / sizeof va[0]; i++)
		for (unsigned acc = 0; acc < 3; acc++) {
			struct req q = { .satp = 0, .va = va[i], .acc = acc };
			struct walk_result out = expect_ok(q, va[i], 0,
				"Bare means no translation and no protection (priv 1.12, 4.1.11)");
			cr_assert_eq(walk_ram_lookups, 0, "%s: expected no PTE read, got %u: Bare has no "
				     "table (priv 1.12, 4.1.11); " FIX, describe(q), walk_ram_lookups);
			cr_assert_eq(out.refs, 0, "%s: expected refs 0, got %u; " FIX, describe(q), out.refs);
		}
}

static void check_leaf(uint64_t va, unsigned level, uint64_t page_pa)
{
	uint64_t e = leaf(page_pa, FLAGS_RWX | FLAGS_AD);
	uint64_t at = map(va, level, e);
	uint64_t off = offset_in(va, level);
	for (unsigned acc = 0; acc < 3; acc++) {
		struct req q = { .satp = sv39(ROOT), .va = va, .acc = acc };
		struct walk_result out = expect_ok(q, page_pa | off, level,
			"pa is the leaf's PPN over the VA's low 12 + 9 * level bits (priv 1.12, 4.3.2 step 8)");
		cr_assert_eq(out.pte, e, "%s: expected leaf PTE %#lx, got %#lx; " FIX, describe(q),
			     (unsigned long)e, (unsigned long)out.pte);
		cr_assert_eq(out.pte_gpa, at, "%s: expected the leaf at %#lx, got %#lx: the PTE "
			     "address is a + va.vpn[i] * 8 (priv 1.12, 4.3.2 step 2); " FIX, describe(q),
			     (unsigned long)at, (unsigned long)out.pte_gpa);
	}
}

KIT_TEST(walk, leaf_4k,
	 .description = "A level-0 leaf maps a 4 KiB page: pa = PPN * 4096 + va[11:0], low and high canonical VAs")
{
	check_leaf(0x12345678, 0, 0x87654000);
	check_leaf(0xffffffc012345abcUL, 0, 0x80003000);
	check_leaf(0x3fffffffffUL, 0, 0xfffffffffff000UL);	/* last page, 56-bit PA */
}

KIT_TEST(walk, leaf_2m,
	 .description = "A level-1 leaf maps a 2 MiB page: pa = PPN * 4096 + va[20:0]")
{
	check_leaf(0x2023456789UL, 1, 0x80400000);
	check_leaf(0xffffffffc01fffffUL, 1, 0x8fe00000);
}

KIT_TEST(walk, leaf_1g,
	 .description = "A level-2 leaf maps a 1 GiB page: pa = PPN * 4096 + va[29:0]")
{
	check_leaf(0x1234567890UL, 2, 0xc0000000);
	check_leaf(0xffffffff80abcdefUL, 2, 0xffffffc0000000UL);
}

KIT_TEST(walk, refs_count_pte_reads,
	 .description = "A 4 KiB walk reads 3 PTEs, a 2 MiB walk 2, a 1 GiB walk 1, and refs says so")
{
	for (unsigned level = 0; level < 3; level++) {
		uint64_t va = 0x2345678000UL;
		map(va, level, leaf(0x80000000, FLAGS_RWX | FLAGS_AD));
		struct req q = { .satp = sv39(ROOT), .va = va, .acc = GMEM_LOAD };
		struct walk_result out = expect_ok(q, 0x80000000 | offset_in(va, level),
						   level, "a plain mapping");
		unsigned want = 3 - level;
		cr_assert_eq(walk_ram_lookups, want, "%s: expected %u PTE reads for a level-%u leaf, the "
			     "walker asked for %u: one per level from the root down (priv 1.12, 4.3.2 "
			     "steps 2 to 4), each PTE looked up once; " FIX, describe(q), want, level,
			     walk_ram_lookups);
		cr_assert_eq(out.refs, want, "%s: expected refs %u (PTE reads), got %u; " FIX,
			     describe(q), want, out.refs);
	}
}

/* ---- step 3, 4.4.1: what makes a PTE or a VA invalid ---- */

KIT_TEST(walk, non_canonical_va_faults,
	 .description = "A VA whose bits 63:39 are not all equal to bit 38 page-faults for each access type")
{
	/* every VA's VPNs select valid gigapages: only canonicity can fail them */
	memset(walk_ram, 0, sizeof walk_ram);
	for (unsigned i = 0; i < 512; i++)
		walk_ram[i] = leaf((uint64_t)i << 30, FLAGS_RWX | FLAGS_AD);
	static const uint64_t bad[] = {
		1UL << 38, 1UL << 39, 1UL << 63, 0x7fffffffffffffffUL, 0xffffffbfffffffffUL,
		0xffffff8000000000UL, 0x0000ffc000000000UL, 0xfffffec000000000UL,
	};
	static const uint64_t good[] = { 0, 0x3fffffffffUL, 0xffffffc000000000UL, 0xffffffffffffffffUL };
	for (unsigned acc = 0; acc < 3; acc++) {
		for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++) {
			struct req q = { .satp = sv39(ROOT), .va = good[i], .acc = acc };
			expect_ok(q, good[i] & ((1UL << 39) - 1), 2, "a canonical VA (bits 63:38 equal) "
				  "whose gigapage is mapped (priv 1.12, 4.4.1)");
		}
		for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			struct req q = { .satp = sv39(ROOT), .va = bad[i], .acc = acc };
			expect_page_fault(q, "bits 63:39 of an Sv39 VA must equal bit 38, or the access "
					  "page-faults (priv 1.12, 4.4.1)");
		}
	}
}

KIT_TEST(walk, invalid_pte_faults,
	 .description = "A PTE with V = 0 page-faults at every level, whatever its other bits")
{
	uint64_t va = 0x2345678abcUL;
	for (unsigned level = 0; level < 3; level++) {
		for (unsigned bad = level; bad < 3; bad++) {
			uint64_t at = map(va, level, leaf(0x80000000, FLAGS_RWX | FLAGS_AD));
			struct req q = { .satp = sv39(ROOT), .va = va, .acc = GMEM_LOAD };
			expect_ok(q, 0x80000000 | offset_in(va, level), level,
				  "the same table with V = 1 everywhere");
			/* the PTE read at level `bad` (a pointer, or the leaf) loses V */
			uint64_t pte_gpa = bad == level ? at : pte_at(bad == 2 ? ROOT : L1, va, bad);
			*ram_word(pte_gpa) &= ~PTE_V;
			for (unsigned acc = 0; acc < 3; acc++) {
				q.acc = acc;
				expect_page_fault(q, "pte.v = 0 stops the walk with a page fault "
						  "(priv 1.12, 4.3.2 step 3)");
			}
		}
	}
}

KIT_TEST(walk, w_without_r_faults,
	 .description = "A PTE with W = 1 and R = 0 (reserved) page-faults at every level, even for a store or fetch")
{
	uint64_t va = 0x1122334455UL;
	for (unsigned level = 0; level < 3; level++) {
		uint64_t pa = 0x80000000, off = offset_in(va, level);
		map(va, level, leaf(pa, PTE_R | PTE_W | PTE_X | FLAGS_AD));
		for (unsigned acc = 0; acc < 3; acc++)
			expect_ok((struct req){ .satp = sv39(ROOT), .va = va, .acc = acc }, pa | off, level,
				  "an RWX leaf");
		static const uint64_t flags[] = { PTE_W, PTE_W | PTE_X };
		for (unsigned f = 0; f < 2; f++) {
			map(va, level, leaf(pa, flags[f] | FLAGS_AD));
			for (unsigned acc = 0; acc < 3; acc++)
				expect_page_fault((struct req){ .satp = sv39(ROOT), .va = va, .acc = acc },
						  "pte.r = 0 with pte.w = 1 is reserved: a page fault "
						  "(priv 1.12, 4.3.2 step 3)");
		}
	}
}

KIT_TEST(walk, reserved_bits_fault,
	 .description = "A PTE with any of bits 63:54 set page-faults, in a leaf and in a pointer")
{
	uint64_t va = 0x0123456789UL, pa = 0x80000000 | (va & 0xfff);
	map(va, 0, leaf(0x80000000, FLAGS_RWX | FLAGS_AD));
	expect_ok((struct req){ .satp = sv39(ROOT), .va = va, .acc = GMEM_LOAD }, pa, 0, "a plain 4 KiB mapping");
	for (unsigned bit = 54; bit < 64; bit++) {
		for (unsigned where = 0; where < 3; where++) {
			/* where: 0 the leaf, 1 the level-1 pointer, 2 the root's pointer */
			uint64_t at = map(va, 0, leaf(0x80000000, FLAGS_RWX | FLAGS_AD));
			if (where)
				at = pte_at(where == 2 ? ROOT : L1, va, where);
			*ram_word(at) |= 1UL << bit;
			for (unsigned acc = 0; acc < 3; acc++)
				expect_page_fault((struct req){ .satp = sv39(ROOT), .va = va, .acc = acc },
						  "bits 63:54 of an Sv39 PTE are reserved (no Svnapot or "
						  "Svpbmt here): set, they page-fault (priv 1.12, 4.4.1 and "
						  "4.3.2 step 3)");
		}
	}
}

KIT_TEST(walk, pointer_at_level_0_faults,
	 .description = "A level-0 PTE with R = W = X = 0 (a pointer) page-faults after 3 reads")
{
	uint64_t va = 0x0040201000UL;
	map(va, 0, leaf(0x80000000, PTE_X | FLAGS_AD));
	expect_ok((struct req){ .satp = sv39(ROOT), .va = va, .acc = GMEM_FETCH }, 0x80000000, 0,
		  "an X leaf at level 0");
	map(va, 0, ptr(PG(3)));
	*ram_word(PG(3)) = leaf(0x80000000, FLAGS_RWX | FLAGS_AD);	/* never reached */
	for (unsigned acc = 0; acc < 3; acc++) {
		struct req q = { .satp = sv39(ROOT), .va = va, .acc = acc };
		struct walk_result out;
		int rc = walk(q, &out);
		cr_assert_eq(rc, page_fault[acc], "%s: expected page fault %d, got %d: a pointer at "
			     "level 0 has no next level (priv 1.12, 4.3.2 step 4: i < 0); " FIX,
			     describe(q), page_fault[acc], rc);
		cr_assert_eq(out.refs, 3, "%s: expected refs 3, got %u; " FIX, describe(q), out.refs);
	}
}

KIT_TEST(walk, misaligned_superpage_faults,
	 .description = "A 2 MiB leaf with any of PPN[0] set, a 1 GiB leaf with any of PPN[1:0] set, page-faults")
{
	uint64_t va = 0x0040200000UL;
	for (unsigned level = 1; level < 3; level++) {
		uint64_t base = level == 1 ? 0x80200000UL : 0x80000000UL;
		map(va, level, leaf(base, FLAGS_RWX | FLAGS_AD));
		for (unsigned acc = 0; acc < 3; acc++)
			expect_ok((struct req){ .satp = sv39(ROOT), .va = va, .acc = acc },
				  base | offset_in(va, level), level, "an aligned superpage");
		for (unsigned bit = 0; bit < 9 * level; bit++) {
			map(va, level, leaf(base | (PAGE_SIZE << bit), FLAGS_RWX | FLAGS_AD));
			for (unsigned acc = 0; acc < 3; acc++) {
				struct req q = { .satp = sv39(ROOT), .va = va, .acc = acc };
				struct walk_result out;
				int rc = walk(q, &out);
				cr_assert_eq(rc, page_fault[acc], "%s: a level-%u leaf with PPN bit %u set: "
					     "expected page fault %d, got %d: PPN[%u:0] of a superpage "
					     "must be 0 (priv 1.12, 4.3.2 step 6); " FIX, describe(q),
					     level, bit, page_fault[acc], rc, level - 1);
			}
		}
	}
}

/* ---- step 5: U, SUM, MXR, R/W/X ---- */

/* map va by a level-0 leaf with flags (A and D set) and check each access */
static void check_perm(uint64_t flags, bool user, bool sum, bool mxr, const bool ok[3], const char *why)
{
	uint64_t va = 0x0000123000UL | 0x9a8;
	map(va, 0, leaf(0x80005000, flags | FLAGS_AD));
	for (unsigned acc = 0; acc < 3; acc++) {
		struct req q = { .satp = sv39(ROOT), .va = va, .acc = acc, .user = user, .sum = sum, .mxr = mxr };
		if (ok[acc])
			expect_ok(q, 0x800059a8, 0, why);
		else
			expect_page_fault(q, why);
	}
}

static const bool ALL[3] = { true, true, true }, NONE[3] = { false, false, false };
static const bool DATA[3] = { false, true, true }, LOAD_ONLY[3] = { false, true, false };

KIT_TEST(walk, user_needs_u,
	 .description = "U-mode may access a page only if its PTE has U = 1, whatever SUM says")
{
	const char *why = "U-mode accesses need pte.u = 1 (priv 1.12, 4.3.1; 4.3.2 step 5)";
	check_perm(FLAGS_RWX | PTE_U, true, false, false, ALL, why);
	check_perm(FLAGS_RWX, true, false, false, NONE, why);
	check_perm(FLAGS_RWX, true, true, true, NONE, why);
}

KIT_TEST(walk, supervisor_u_page_needs_sum,
	 .description = "S-mode loads and stores to a U = 1 page page-fault unless SUM = 1; U = 0 pages need no SUM")
{
	const char *why = "S-mode may load and store U pages only with sstatus.SUM = 1 (priv 1.12, "
			  "4.1.1.2 and 4.3.1; 4.3.2 step 5)";
	check_perm(FLAGS_RWX | PTE_U, false, false, false, NONE, why);
	check_perm(FLAGS_RWX | PTE_U, false, true, false, DATA, why);
	check_perm(FLAGS_RWX, false, false, false, ALL, why);
}

KIT_TEST(walk, supervisor_never_executes_u_page,
	 .description = "S-mode fetches from a U = 1 page page-fault, with SUM = 0 and with SUM = 1")
{
	const char *why = "S-mode never executes code on a U page, SUM or not (priv 1.12, 4.3.1)";
	check_perm(PTE_X | PTE_R | PTE_U, false, true, false, LOAD_ONLY, why);
	check_perm(PTE_X | PTE_R | PTE_U, false, false, false, NONE, why);
	check_perm(PTE_X | PTE_R, false, false, false, (const bool[3]){ true, true, false }, why);
}

KIT_TEST(walk, mxr_makes_x_readable,
	 .description = "With MXR = 1 loads may read execute-only pages; without it they page-fault; stores never")
{
	const char *why = "MXR = 1 makes loads from X pages succeed; MXR = 0 needs R (priv 1.12, "
			  "4.1.1.2; 4.3.2 step 5)";
	check_perm(PTE_X, false, false, false, (const bool[3]){ true, false, false }, why);
	check_perm(PTE_X, false, false, true, (const bool[3]){ true, true, false }, why);
	check_perm(PTE_X | PTE_U, true, false, true, (const bool[3]){ true, true, false }, why);
	check_perm(PTE_R, false, false, false, LOAD_ONLY, why);
}

KIT_TEST(walk, store_needs_w,
	 .description = "A store page-faults unless the leaf has W = 1")
{
	const char *why = "a store needs pte.w = 1 (priv 1.12, 4.3.1; 4.3.2 step 5)";
	check_perm(PTE_R, false, false, false, LOAD_ONLY, why);
	check_perm(PTE_R | PTE_X, false, false, false, (const bool[3]){ true, true, false }, why);
	check_perm(PTE_R | PTE_W, false, false, false, DATA, why);
}

KIT_TEST(walk, fetch_needs_x,
	 .description = "A fetch page-faults unless the leaf has X = 1")
{
	const char *why = "a fetch needs pte.x = 1 (priv 1.12, 4.3.1; 4.3.2 step 5)";
	check_perm(PTE_R | PTE_W, false, false, false, DATA, why);
	check_perm(PTE_R, false, false, true, LOAD_ONLY, why);
	check_perm(PTE_X, false, false, false, (const bool[3]){ true, false, false }, why);
}

KIT_TEST(walk, permission_truth_table,
	 .description = "Every R/W/X/U leaf (V = 1) under U and S, fetch, load and store, SUM and MXR gives the spec's answer")
{
	uint64_t va = 0xffffffc000403210UL;
	for (unsigned bits = 0; bits < 16; bits++) {
		uint64_t flags = (uint64_t)(bits & 7) << 1 | ((bits & 8) ? PTE_U : 0);
		unsigned rwx = bits & 7;	/* R bit 0, W bit 1, X bit 2 of this number */
		map(va, 0, leaf(0x80007000, flags | FLAGS_AD));
		for (unsigned m = 0; m < 8; m++)
			for (unsigned acc = 0; acc < 3; acc++) {
				struct req q = { .satp = sv39(ROOT), .va = va, .acc = acc,
						 .user = m & 1, .sum = m & 2, .mxr = m & 4 };
				/* 000 is a pointer (none at level 0: step 4), 010 and 110 reserved (step 3) */
				bool expect = rwx != 0 && rwx != 2 && rwx != 6 &&
					      spec_allows(flags, acc, q.user, q.sum, q.mxr);
				struct walk_result out;
				int rc = walk(q, &out);
				cr_assert_eq(rc, expect ? 0 : page_fault[acc],
					     "%s, leaf %s%s%s%s: expected %s, got %s %d (priv 1.12, 4.3.1 and "
					     "4.3.2 steps 3 to 5); " FIX, describe(q),
					     flags & PTE_R ? "R" : "-", flags & PTE_W ? "W" : "-",
					     flags & PTE_X ? "X" : "-", flags & PTE_U ? "U" : "-",
					     expect ? "success" : "a page fault", rc ? "cause" : "rc", rc);
				if (expect)
					cr_assert_eq(out.pa, 0x80007210UL, "%s: expected pa 0x80007210, got %#lx; " FIX,
						     describe(q), (unsigned long)out.pa);
			}
	}
}

/* ---- step 7: A and D ---- */

static uint64_t snapshot[WALK_RAM_SIZE / 8];

/* walk_ram is the snapshot except perhaps the word at `except` */
static void expect_ram_unchanged(struct req q, uint64_t except, const char *why)
{
	for (unsigned i = 0; i < WALK_RAM_SIZE / 8; i++) {
		uint64_t gpa = WALK_RAM_GPA + 8 * i;
		if (gpa != except)
			cr_assert_eq(walk_ram[i], snapshot[i], "%s: the word at %#lx changed from %#lx "
				     "to %#lx: %s; " FIX, describe(q), (unsigned long)gpa,
				     (unsigned long)snapshot[i], (unsigned long)walk_ram[i], why);
	}
}

KIT_TEST(walk, ad_clear_faults_without_set_ad,
	 .description = "Without set_ad, A = 0 page-faults every access and D = 0 every store; no PTE changes")
{
	uint64_t va = 0x0000401000UL;
	static const struct { uint64_t ad; bool ok[3]; } t[] = {
		{ 0, { false, false, false } },
		{ PTE_D, { false, false, false } },
		{ PTE_A, { true, true, false } },
		{ PTE_A | PTE_D, { true, true, true } },
	};
	for (unsigned i = 0; i < 4; i++) {
		for (unsigned level = 0; level < 3; level++) {
			map(va, level, leaf(0x80000000, FLAGS_RWX | t[i].ad));
			memcpy(snapshot, walk_ram, sizeof snapshot);
			for (unsigned acc = 0; acc < 3; acc++) {
				struct req q = { .satp = sv39(ROOT), .va = va, .acc = acc };
				const char *why = "without hardware A/D updates, A = 0 (or D = 0 on a store) "
						  "is a page fault (priv 1.12, 4.3.2 step 7)";
				if (t[i].ok[acc])
					expect_ok(q, 0x80000000 | offset_in(va, level), level, why);
				else
					expect_page_fault(q, why);
				expect_ram_unchanged(q, 0, "without set_ad the walker writes no PTE");
			}
		}
	}
}

KIT_TEST(walk, ad_set_exactly_as_the_spec_says,
	 .description = "With set_ad a permitted access sets A, a store also D, in the leaf only; nothing else changes")
{
	uint64_t va = 0x0000401000UL;
	for (unsigned level = 0; level < 3; level++)
		for (uint64_t ad = 0; ad < 4; ad++) {
			uint64_t old_ad = (ad & 1 ? PTE_A : 0) | (ad & 2 ? PTE_D : 0);
			for (unsigned acc = 0; acc < 3; acc++) {
				uint64_t e = leaf(0x80000000, FLAGS_RWX | PTE_G | old_ad);
				uint64_t at = map(va, level, e);
				memcpy(snapshot, walk_ram, sizeof snapshot);
				struct req q = { .satp = sv39(ROOT), .va = va, .acc = acc, .set_ad = true };
				struct walk_result out = expect_ok(q, 0x80000000 | offset_in(va, level),
					level, "set_ad: the walker sets A (and D) instead of faulting (priv 1.12, 4.3.2 step 7)");
				uint64_t want = e | PTE_A | (acc == GMEM_STORE ? PTE_D : 0);
				cr_assert_eq(*ram_word(at), want, "%s, leaf A=%d D=%d: expected the guest's PTE "
					     "%#lx, got %#lx: set A, and D only for a store, nothing else (priv "
					     "1.12, 4.3.2 step 7); " FIX, describe(q), !!(old_ad & PTE_A),
					     !!(old_ad & PTE_D), (unsigned long)want, (unsigned long)*ram_word(at));
				cr_assert_eq(out.pte, want, "%s: expected out->pte %#lx (the leaf after the "
					     "update), got %#lx; " FIX, describe(q), (unsigned long)want,
					     (unsigned long)out.pte);
				expect_ram_unchanged(q, at, "only the leaf's A and D may change (pointers' A "
						     "and D are reserved, priv 1.12, 4.3.1)");
			}
		}
}

KIT_TEST(walk, ad_untouched_when_the_access_faults,
	 .description = "With set_ad, a walk that faults (permission, misaligned superpage) leaves A and D clear")
{
	uint64_t va = 0x0000401000UL;
	static const struct { unsigned level; uint64_t pa, flags; enum gmem_access acc; bool user, sum; const char *what; } t[] = {
		{ 0, 0x80000000, PTE_R, GMEM_STORE, false, false, "store to a read-only page" },
		{ 0, 0x80000000, PTE_R | PTE_W, GMEM_FETCH, false, false, "fetch from a non-X page" },
		{ 0, 0x80000000, FLAGS_RWX, GMEM_LOAD, true, false, "U-mode load from a U = 0 page" },
		{ 0, 0x80000000, FLAGS_RWX | PTE_U, GMEM_STORE, false, false, "S-mode store to a U page, SUM = 0" },
		{ 1, 0x80001000, FLAGS_RWX, GMEM_STORE, false, false, "store to a misaligned 2 MiB page" },
		{ 2, 0x80200000, FLAGS_RWX, GMEM_LOAD, false, false, "load from a misaligned 1 GiB page" },
	};
	for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
		map(va, t[i].level, leaf(t[i].pa, t[i].flags));
		memcpy(snapshot, walk_ram, sizeof snapshot);
		struct req q = { .satp = sv39(ROOT), .va = va, .acc = t[i].acc, .user = t[i].user,
				 .sum = t[i].sum, .set_ad = true };
		expect_page_fault(q, t[i].what);
		expect_ram_unchanged(q, 0, "A and D are set only once the access is known to be "
				     "allowed (priv 1.12, 4.3.2 step 7 comes after steps 5 and 6)");
	}
	/* the same leaves, made legal, do get A: the faults above are the checks' */
	map(va, 0, leaf(0x80000000, PTE_R));
	struct req q = { .satp = sv39(ROOT), .va = va, .acc = GMEM_LOAD, .set_ad = true };
	struct walk_result out = expect_ok(q, 0x80000000, 0, "a load from a read-only page with set_ad");
	cr_assert(out.pte & PTE_A, "%s: expected A set in out->pte, got %#lx; " FIX, describe(q),
		  (unsigned long)out.pte);
}

KIT_TEST(walk, pointer_a_d_u_ignored,
	 .description = "A, D and U in pointer PTEs neither fault nor grant, and the walk never writes them (as QEMU 7.2)")
{
	uint64_t va = 0x0040200000UL;
	map(va, 0, leaf(0x80000000, FLAGS_RWX | FLAGS_AD));
	*ram_word(pte_at(ROOT, va, 2)) |= PTE_A | PTE_D | PTE_U;
	*ram_word(pte_at(L1, va, 1)) |= PTE_U;
	memcpy(snapshot, walk_ram, sizeof snapshot);
	for (unsigned acc = 0; acc < 3; acc++) {
		struct req q = { .satp = sv39(ROOT), .va = va, .acc = acc, .set_ad = true };
		expect_ok(q, 0x80000000, 0, "U on a pointer is reserved, not a U page: S-mode reaches "
			  "the S leaf below it (priv 1.12, 4.3.1; QEMU 7.2 ignores it)");
		expect_ram_unchanged(q, 0, "A and D are set in leaves only");
		q.user = true;
		expect_page_fault(q, "the leaf decides U (priv 1.12, 4.3.2 step 5), not a U pointer above it");
	}
}

/* ---- step 2: a PTE outside guest RAM ---- */

KIT_TEST(walk, pte_outside_ram_is_access_fault,
	 .description = "A PTE address outside guest RAM, at any level, is an access fault of the access type (1, 5, 7)")
{
	uint64_t va = 0x0000401000UL;
	static const uint64_t outside[] = { WALK_RAM_GPA + WALK_RAM_SIZE, WALK_RAM_GPA - PAGE_SIZE, 0,
					    0xfffffffffff000UL };
	for (unsigned o = 0; o < sizeof outside / sizeof outside[0]; o++)
		for (unsigned level = 0; level < 3; level++) {
			/* level 2: satp names the outside table; 1, 0: the pointer above does */
			map(va, 0, leaf(0x80000000, FLAGS_RWX | FLAGS_AD));
			expect_ok((struct req){ .satp = sv39(ROOT), .va = va }, 0x80000000, 0, "inside RAM");
			uint64_t satp = sv39(ROOT);
			if (level == 2)
				satp = sv39(outside[o]);
			else
				*ram_word(pte_at(level == 1 ? ROOT : L1, va, level + 1)) = ptr(outside[o]);
			for (unsigned acc = 0; acc < 3; acc++) {
				struct req q = { .satp = satp, .va = va, .acc = acc };
				expect_cause(q, access_fault[acc], "a PTE that is not in guest RAM cannot be "
					     "read: an access fault of the original access type (priv 1.12, "
					     "4.3.2 step 2)");
			}
		}
}

/* ---- termination ---- */

KIT_TEST(walk, self_referencing_tables_terminate,
	 .description = "Tables that point to themselves or each other end in a page fault after 3 reads")
{
	/* va with VPN[2] = VPN[1] = VPN[0] = 5: every level reads the same entry */
	uint64_t va = 5UL << 30 | 5UL << 21 | 5UL << 12;
	struct { const char *what; uint64_t root; } t[] = {
		{ "the root's entry points to the root", ROOT },
		{ "root -> L1 -> root", ROOT },
		{ "root -> L1, L1's entry points to L1", ROOT },
	};
	for (unsigned i = 0; i < 3; i++) {
		memset(walk_ram, 0, sizeof walk_ram);
		if (i == 0) {
			walk_ram[5] = ptr(ROOT);
		} else if (i == 1) {
			walk_ram[5] = ptr(L1);
			*ram_word(L1 + 40) = ptr(ROOT);
		} else {
			walk_ram[5] = ptr(L1);
			*ram_word(L1 + 40) = ptr(L1);
		}
		for (unsigned acc = 0; acc < 3; acc++) {
			struct req q = { .satp = sv39(t[i].root), .va = va, .acc = acc, .set_ad = true };
			struct walk_result out;
			int rc = walk(q, &out);
			cr_assert_eq(rc, page_fault[acc], "%s [%s]: expected page fault %d, got %d: a "
				     "pointer at level 0 is a page fault (priv 1.12, 4.3.2 step 4); " FIX,
				     describe(q), t[i].what, page_fault[acc], rc);
			cr_assert_eq(walk_ram_lookups, 3, "%s [%s]: expected 3 PTE reads, got %u: one per "
				     "level, LEVELS = 3 (priv 1.12, 4.4.1); " FIX, describe(q), t[i].what,
				     walk_ram_lookups);
			cr_assert_eq(out.refs, 3, "%s [%s]: expected refs 3, got %u; " FIX, describe(q),
				     t[i].what, out.refs);
		}
	}
}

/* ---- Sv48 and Sv57: the same walk with LEVELS = 4 and 5 (4.5, 4.6) ---- */

static const unsigned wide_levels[] = { 4, 5 };	/* Sv48, Sv57 */
#define EACH_WIDE(levels) \
	for (unsigned w_ = 0, levels; w_ < 2 && (levels = wide_levels[w_], 1); w_++)

KIT_TEST(walk, sv48_sv57_leaves_at_every_level,
	 .description = "Sv48 and Sv57 walks start at level 3 and 4 and map 4 KiB to 512 GiB and 256 TiB leaves, one PTE read per level")
{
	/* low and high canonical VAs whose VPN[3] and VPN[4] are not 0 */
	static const uint64_t va48[] = { 0x00007f8123456789UL, 0xffff8f0123456abcUL };
	static const uint64_t va57[] = { 0x00ff7f8123456789UL, 0xff80123456789abcUL };
	EACH_WIDE(levels)
		for (unsigned level = 0; level < levels; level++)
			for (unsigned k = 0; k < 2; k++) {
				uint64_t va = levels == 4 ? va48[k] : va57[k];
				/* the top of the 56-bit PA space, aligned to the leaf */
				uint64_t pa = 0xfff0000000000000UL >> 8 & ~((1UL << (12 + 9 * level)) - 1);
				uint64_t e = leaf(pa, FLAGS_RWX | FLAGS_AD);
				uint64_t at = map_in(levels, va, level, e);
				for (unsigned acc = 0; acc < 3; acc++) {
					struct req q = { .satp = sv(levels, ROOT), .va = va, .acc = acc };
					struct walk_result out = expect_ok(q, pa | offset_in(va, level), level,
						"Sv48 and Sv57 read VPN[3] and VPN[4] above Sv39's VPNs, and "
						"pa is the leaf's PPN over the VA's low 12 + 9 * level bits "
						"(priv 1.12, 4.5, 4.6; 4.3.2 step 8)");
					cr_assert_eq(out.pte_gpa, at, "%s: expected the leaf at %#lx, got %#lx "
						     "(priv 1.12, 4.3.2 step 2); " FIX, describe(q),
						     (unsigned long)at, (unsigned long)out.pte_gpa);
					cr_assert_eq(out.refs, levels - level, "%s: expected refs %u, got %u: "
						     "one PTE per level from LEVELS - 1 = %u down (4.3.2 step 1); "
						     FIX, describe(q), levels - level, out.refs, levels - 1);
					cr_assert_eq(walk_ram_lookups, levels - level, "%s: expected %u PTE "
						     "reads, the walker asked for %u; " FIX, describe(q),
						     levels - level, walk_ram_lookups);
				}
			}
}

KIT_TEST(walk, sv48_sv57_canonical_widths,
	 .description = "Sv48 VAs have 48 bits and Sv57 VAs 57: bits above must equal the top one, or the access page-faults before any PTE read")
{
	static const uint64_t good48[] = { 1UL << 38, 0x00007fffffffffffUL, 0xffff800000000000UL, 0xffffffbfffffffffUL };
	static const uint64_t bad48[] = { 1UL << 47, 1UL << 48, 1UL << 63, 0xffff7fffffffffffUL, 0x00ff000000000000UL };
	static const uint64_t good57[] = { 1UL << 47, 0x00ffffffffffffffUL, 0xff00000000000000UL, 0xffff7fffffffffffUL };
	static const uint64_t bad57[] = { 1UL << 56, 1UL << 57, 1UL << 63, 0xfeffffffffffffffUL, 0x7f00000000000000UL };
	EACH_WIDE(levels) {
		/* every root entry a top-level leaf: only canonicity can fail */
		unsigned top = levels - 1;
		memset(walk_ram, 0, sizeof walk_ram);
		for (unsigned i = 0; i < 512; i++)
			walk_ram[i] = leaf((uint64_t)(i % 256) << (12 + 9 * top), FLAGS_RWX | FLAGS_AD);
		const uint64_t *good = levels == 4 ? good48 : good57, *bad = levels == 4 ? bad48 : bad57;
		for (unsigned acc = 0; acc < 3; acc++) {
			for (unsigned i = 0; i < 4; i++) {
				struct req q = { .satp = sv(levels, ROOT), .va = good[i], .acc = acc };
				uint64_t pa = (uint64_t)(vpn(good[i], top) % 256) << (12 + 9 * top) |
					      offset_in(good[i], top);
				expect_ok(q, pa, top, "a canonical VA of this mode (priv 1.12, 4.5.1, 4.6.1)");
			}
			for (unsigned i = 0; i < 5; i++) {
				struct req q = { .satp = sv(levels, ROOT), .va = bad[i], .acc = acc };
				expect_page_fault(q, "bits 63:48 of an Sv48 VA must equal bit 47, bits 63:57 "
						  "of an Sv57 VA bit 56 (priv 1.12, 4.5.1, 4.6.1)");
				cr_assert_eq(walk_ram_lookups, 0, "%s: expected no PTE read, got %u: the VA "
					     "is checked first; " FIX, describe(q), walk_ram_lookups);
			}
		}
	}
}

KIT_TEST(walk, sv48_sv57_misaligned_superpage_faults,
	 .description = "A 512 GiB leaf with any of PPN[2:0] set, a 256 TiB leaf with any of PPN[3:0] set, page-faults")
{
	uint64_t va = 0x0000408040200000UL;
	EACH_WIDE(levels)
		for (unsigned level = 3; level < levels; level++) {
			uint64_t base = 1UL << (12 + 9 * level);
			map_in(levels, va, level, leaf(base, FLAGS_RWX | FLAGS_AD));
			expect_ok((struct req){ .satp = sv(levels, ROOT), .va = va, .acc = GMEM_LOAD },
				  base | offset_in(va, level), level, "an aligned superpage");
			for (unsigned bit = 0; bit < 9 * level; bit++) {
				map_in(levels, va, level, leaf(base | (PAGE_SIZE << bit), FLAGS_RWX | FLAGS_AD));
				for (unsigned acc = 0; acc < 3; acc++)
					expect_page_fault((struct req){ .satp = sv(levels, ROOT), .va = va, .acc = acc },
							  "PPN[level-1:0] of a superpage must be 0 (priv 1.12, "
							  "4.3.2 step 6)");
			}
		}
}

KIT_TEST(walk, sv48_sv57_bad_ptes_fault,
	 .description = "In Sv48 and Sv57, V = 0 or a reserved bit 63:54 at any level page-faults, and a pointer at level 0 faults after LEVELS reads")
{
	uint64_t va = 0x0000408040201000UL;
	EACH_WIDE(levels) {
		for (unsigned bad = 0; bad < levels; bad++)
			for (unsigned kind = 0; kind < 2; kind++) {
				map_in(levels, va, 0, leaf(0x80000000, FLAGS_RWX | FLAGS_AD));
				/* the PTE of level `bad`: in the table at page levels - 1 - bad */
				uint64_t at = pte_at(PG(levels - 1 - bad), va, bad);
				*ram_word(at) = kind ? *ram_word(at) | 1UL << (54 + bad) : *ram_word(at) & ~PTE_V;
				for (unsigned acc = 0; acc < 3; acc++)
					expect_page_fault((struct req){ .satp = sv(levels, ROOT), .va = va, .acc = acc },
							  kind ? "bits 63:54 are reserved in Sv48 and Sv57 PTEs too "
							  "(priv 1.12, 4.5.1, 4.6.1; 4.3.2 step 3)"
							  : "pte.v = 0 stops the walk (priv 1.12, 4.3.2 step 3)");
			}
		/* every entry of the root points to the root: a walk that does
		 * not stop at level 0 goes on forever */
		memset(walk_ram, 0, sizeof walk_ram);
		for (unsigned i = 0; i < 512; i++)
			walk_ram[i] = ptr(ROOT);
		for (unsigned acc = 0; acc < 3; acc++) {
			struct req q = { .satp = sv(levels, ROOT), .va = va, .acc = acc, .set_ad = true };
			struct walk_result out;
			int rc = walk(q, &out);
			cr_assert_eq(rc, page_fault[acc], "%s: expected page fault %d, got %d: a pointer at "
				     "level 0 (priv 1.12, 4.3.2 step 4); " FIX, describe(q), page_fault[acc], rc);
			cr_assert_eq(out.refs, levels, "%s: expected refs %u (LEVELS), got %u; " FIX,
				     describe(q), levels, out.refs);
		}
	}
}

KIT_TEST(walk, sv48_sv57_pte_outside_ram_is_access_fault,
	 .description = "In Sv48 and Sv57, a PTE address outside guest RAM at any level is an access fault of the access type")
{
	uint64_t va = 0x0000408040201000UL, outside = WALK_RAM_GPA + WALK_RAM_SIZE;
	EACH_WIDE(levels)
		for (unsigned level = 0; level < levels; level++) {
			map_in(levels, va, 0, leaf(0x80000000, FLAGS_RWX | FLAGS_AD));
			uint64_t satp = sv(levels, ROOT);
			if (level == levels - 1)
				satp = sv(levels, outside);
			else	/* the pointer above names a table outside RAM */
				*ram_word(pte_at(PG(levels - 2 - level), va, level + 1)) = ptr(outside);
			for (unsigned acc = 0; acc < 3; acc++)
				expect_cause((struct req){ .satp = satp, .va = va, .acc = acc }, access_fault[acc],
					     "a PTE that is not in guest RAM: an access fault of the original "
					     "access type (priv 1.12, 4.3.2 step 2)");
		}
}

KIT_TEST(walk, sv48_sv57_leaf_rules_as_sv39,
	 .description = "Every R/W/X/U leaf in Sv48 and Sv57 gives Sv39's answer under U and S, SUM and MXR, and A and D are set in the leaf only")
{
	uint64_t va = 0xffffffc000403210UL;
	EACH_WIDE(levels)
		for (unsigned bits = 0; bits < 16; bits++) {
			uint64_t flags = (uint64_t)(bits & 7) << 1 | ((bits & 8) ? PTE_U : 0);
			unsigned rwx = bits & 7;
			for (unsigned m = 0; m < 8; m++)
				for (unsigned acc = 0; acc < 3; acc++) {
					uint64_t at = map_in(levels, va, 0, leaf(0x80007000, flags));
					memcpy(snapshot, walk_ram, sizeof snapshot);
					struct req q = { .satp = sv(levels, ROOT), .va = va, .acc = acc,
							 .user = m & 1, .sum = m & 2, .mxr = m & 4, .set_ad = true };
					bool expect = rwx != 0 && rwx != 2 && rwx != 6 &&
						      spec_allows(flags, acc, q.user, q.sum, q.mxr);
					struct walk_result out;
					int rc = walk(q, &out);
					cr_assert_eq(rc, expect ? 0 : page_fault[acc], "%s, leaf flags %#lx: expected "
						     "%s, got %d (priv 1.12, 4.3.1, 4.3.2 steps 3 to 5); " FIX,
						     describe(q), (unsigned long)flags, expect ? "success" : "a page fault", rc);
					uint64_t want = leaf(0x80007000, flags) |
						(expect ? PTE_A | (acc == GMEM_STORE ? PTE_D : 0) : 0);
					cr_assert_eq(*ram_word(at), want, "%s, leaf flags %#lx: expected the leaf "
						     "%#lx after the walk, got %#lx (priv 1.12, 4.3.2 step 7); " FIX,
						     describe(q), (unsigned long)flags, (unsigned long)want,
						     (unsigned long)*ram_word(at));
					expect_ram_unchanged(q, at, "only the leaf's A and D may change");
				}
		}
}

KIT_TEST(walk, reserved_satp_modes_fault,
	 .description = "A satp MODE other than Bare, Sv39, Sv48 and Sv57 page-faults and reads no PTE, where those three translate")
{
	memset(walk_ram, 0, sizeof walk_ram);
	for (unsigned i = 0; i < 512; i++)
		walk_ram[i] = leaf((uint64_t)(i % 256) << 30, FLAGS_RWX | FLAGS_AD);
	for (uint64_t mode = 1; mode < 16; mode++) {
		if (mode >= SATP_MODE_SV39 && mode <= SATP_MODE_SV57) {
			/* root[0] maps PA 0 up, a leaf at the root's level in each */
			unsigned levels = (unsigned)mode - 5;
			expect_ok((struct req){ .satp = sv(levels, ROOT), .va = 0x1000, .acc = GMEM_LOAD },
				  0x1000, levels - 1, "the same root under MODE 8, 9, 10: a leaf at level "
				  "LEVELS - 1 (priv 1.12, 4.1.11 table 4.4, 4.3.2)");
			continue;
		}
		for (unsigned acc = 0; acc < 3; acc++) {
			struct req q = { .satp = mode << 60 | ROOT >> 12, .va = 0x1000, .acc = acc };
			expect_page_fault(q, "no walk for a reserved MODE (priv 1.12, 4.1.11 table 4.4): "
					  "a fault, never a guess at its levels");
			cr_assert_eq(walk_ram_lookups, 0, "%s: expected no PTE read, got %u; " FIX,
				     describe(q), walk_ram_lookups);
		}
	}
}

/* ---- random tables ---- */

/*
 * The test's own reading of 4.3.2 over model[], a copy of walk_ram: the
 * cause, the result and (in model[]) the A/D update the walker must make.
 */
static unsigned model_ad_updates;

static int model_walk(uint64_t *model, struct req q, struct walk_result *res)
{
	res->refs = 0;
	if (q.satp >> 60 == 0) {
		res->pa = q.va;
		return 0;
	}
	/* MODE 8, 9, 10: Sv39, Sv48, Sv57, LEVELS 3, 4, 5 (4.1.11 table 4.4) */
	int levels = (int)(q.satp >> 60) - 5;
	unsigned bits = 12 + 9 * levels;	/* 39, 48, 57 */
	uint64_t top = q.va >> (bits - 1);	/* bits 63:bits-1: all 0 or all 1 */
	if (top != 0 && top != (1UL << (65 - bits)) - 1)
		return page_fault[q.acc];
	uint64_t table = (q.satp & ((1UL << 44) - 1)) * PAGE_SIZE;
	for (int level = levels - 1; level >= 0; level--) {
		uint64_t at = table + 8 * vpn(q.va, level);
		if (at < WALK_RAM_GPA || at >= WALK_RAM_GPA + WALK_RAM_SIZE)
			return access_fault[q.acc];
		uint64_t e = model[(at - WALK_RAM_GPA) / 8];
		uint64_t ppn = (e >> 10) & ((1UL << 44) - 1);
		unsigned rwx = (e >> 1) & 7;
		res->refs++;
		if (!(e & PTE_V) || rwx == 2 || rwx == 6 || e >> 54)
			return page_fault[q.acc];
		if (rwx == 0) {
			table = ppn * PAGE_SIZE;
			continue;
		}
		if (!spec_allows(e, q.acc, q.user, q.sum, q.mxr) || ppn % (1UL << (9 * level)))
			return page_fault[q.acc];
		uint64_t need = PTE_A | (q.acc == GMEM_STORE ? PTE_D : 0);
		if ((e & need) != need) {
			if (!q.set_ad)
				return page_fault[q.acc];
			e |= need;
			model_ad_updates++;
			model[(at - WALK_RAM_GPA) / 8] = e;
		}
		uint64_t size = 1UL << (12 + 9 * level);
		res->pa = ppn * PAGE_SIZE + q.va % size;
		res->pte = e;
		res->pte_gpa = at;
		res->level = level;
		return 0;
	}
	return page_fault[q.acc];
}

/* xorshift64*: a fixed sequence, the same on every machine */
static uint64_t rng = 0x9e3779b97f4a7c15UL;
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dUL;
}

/* A random PTE: often a pointer into walk_ram, else a leaf of any bits
 * (aligned superpages among them), sometimes pointing outside RAM or with
 * a reserved bit set. */
static uint64_t random_pte(void)
{
	uint64_t r = rnd(), flags = rnd() & 0xff, ppn;
	unsigned kind = r % 20, pick = (r >> 8) % 20;
	const uint64_t ram_ppn = WALK_RAM_GPA >> 12, ppn_mask = (1UL << 44) - 1;
	if (kind < 8) {		/* a pointer: R = W = X = 0, A/D/U/G anything */
		flags &= ~(uint64_t)(PTE_R | PTE_W | PTE_X);
		ppn = pick < 17 ? ram_ppn + (r >> 16) % WALK_RAM_PAGES
		    : pick < 19 ? ram_ppn + WALK_RAM_PAGES + (r >> 16) % 3 : (r >> 16) & ppn_mask;
	} else {		/* any bits, a leaf most of the time, half of them readable and used */
		if (rnd() % 2)
			flags |= PTE_R | PTE_A | PTE_D;
		ppn = pick < 8 ? ram_ppn + (r >> 16) % WALK_RAM_PAGES
		    : pick < 10 ? ((r >> 16) << 36) & ppn_mask	/* 256 TiB aligned */
		    : pick < 11 ? ((r >> 16) << 27) & ppn_mask	/* 512 GiB aligned */
		    : pick < 12 ? ((r >> 16) << 18) & ppn_mask	/* 1 GiB aligned */
		    : pick < 16 ? ((r >> 16) << 9) & ppn_mask	/* 2 MiB aligned */
		    : (r >> 16) & ppn_mask;
	}
	if (rnd() % 10)
		flags |= PTE_V;
	uint64_t e = ppn << 10 | flags;
	if (rnd() % 40 == 0)
		e |= 1UL << (54 + rnd() % 10);
	return e;
}

static uint64_t model[WALK_RAM_SIZE / 8];

KIT_TEST(walk, random_tables, .timeout = 60,
	 .description = "100000 walks of random Sv39, Sv48 and Sv57 tables never crash and agree with the spec: no pa unless the leaf permits the access")
{
	/* how often each outcome came up: a fuzz that never reaches one proves nothing of it */
	unsigned seen_level[5] = { 0 }, seen_pf = 0, seen_af = 0, seen_ad = 0;
	for (unsigned round = 0; round < 1000; round++) {
		for (unsigned i = 0; i < WALK_RAM_SIZE / 8; i++)
			walk_ram[i] = random_pte();
		memcpy(model, walk_ram, sizeof model);
		for (unsigned n = 0; n < 100; n++) {
			uint64_t r = rnd();
			struct req q = {
				.satp = r % 20 == 0 ? 0 : sv(3 + (r >> 56) % 3, r % 19 == 0 ? (r >> 20) << 12
										 : PG((r >> 8) % WALK_RAM_PAGES)),
				.acc = (r >> 40) % 3, .user = r >> 50 & 1, .sum = r >> 51 & 1,
				.mxr = r >> 52 & 1, .set_ad = r >> 53 & 1,
			};
			q.va = rnd();
			if (rnd() % 10 && q.satp) {	/* mostly canonical: sign-extend bit 38, 47 or 56 */
				unsigned keep = 64 - (12 + 9 * (unsigned)((q.satp >> 60) - 5));
				q.va = (uint64_t)((int64_t)(q.va << keep) >> keep);
			}
			struct walk_result want = { 0 }, got;
			unsigned updates = model_ad_updates;
			int expect = model_walk(model, q, &want);
			seen_ad += model_ad_updates != updates;
			if (expect == 0 && q.satp >> 60)
				seen_level[want.level]++;
			seen_pf += expect == page_fault[q.acc];
			seen_af += expect == access_fault[q.acc];
			int rc = walk(q, &got);
			unsigned w = round * 100 + n;
			if (rc == 0 && q.satp >> 60) {
				/* the property a shadow pager's safety rests on */
				uint64_t gpa = got.pte_gpa;
				bool in_ram = gpa >= WALK_RAM_GPA && gpa < WALK_RAM_GPA + WALK_RAM_SIZE && gpa % 8 == 0;
				uint64_t e = in_ram ? walk_ram[(gpa - WALK_RAM_GPA) / 8] : 0;
				cr_assert(in_ram && spec_allows(e, q.acc, q.user, q.sum, q.mxr),
					  "walk %u, %s: the walker returned pa %#lx through the PTE %#lx at "
					  "%#lx, which does not permit this access (priv 1.12, 4.3.2 step 5); " FIX,
					  w, describe(q), (unsigned long)got.pa, (unsigned long)e, (unsigned long)gpa);
			}
			cr_assert_eq(rc, expect, "walk %u, %s: expected cause %d, got %d (priv 1.12, 4.3.2); " FIX,
				     w, describe(q), expect, rc);
			cr_assert_eq(got.refs, want.refs, "walk %u, %s: expected refs %u, got %u; " FIX,
				     w, describe(q), want.refs, got.refs);
			if (expect == 0)
				cr_assert(got.pa == want.pa && (q.satp >> 60 == 0 ||
					  (got.pte == want.pte && got.pte_gpa == want.pte_gpa && got.level == want.level)),
					  "walk %u, %s: expected pa %#lx, leaf %#lx at %#lx level %u; got pa %#lx, "
					  "leaf %#lx at %#lx level %u (priv 1.12, 4.3.2 step 8); " FIX, w, describe(q),
					  (unsigned long)want.pa, (unsigned long)want.pte, (unsigned long)want.pte_gpa,
					  want.level, (unsigned long)got.pa, (unsigned long)got.pte,
					  (unsigned long)got.pte_gpa, got.level);
			cr_assert(memcmp(walk_ram, model, sizeof model) == 0,
				  "walk %u, %s: the guest's tables differ from what the spec's A/D update "
				  "leaves (priv 1.12, 4.3.2 step 7: only the leaf, only A and D for a "
				  "store, only with set_ad and an allowed access); " FIX, w, describe(q));
		}
	}
	cr_assert(seen_level[0] > 500 && seen_level[1] > 500 && seen_level[2] > 500 && seen_level[3] > 100 &&
		  seen_level[4] > 50 && seen_pf > 1000 && seen_af > 1000 && seen_ad > 400,
		  "test bug: the random tables gave %u/%u/%u/%u/%u leaves at levels 0 to 4, %u page "
		  "faults, %u access faults, %u A/D updates: too few of some", seen_level[0],
		  seen_level[1], seen_level[2], seen_level[3], seen_level[4], seen_pf, seen_af, seen_ad);
}

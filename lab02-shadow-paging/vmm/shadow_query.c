/*
 * shadow_query.c: what lab02's unit tests may ask of the shadow tables
 * (shadow.h), kit code that no task changes: the tests read the tables as
 * the MMU would, through these, in the student runner.
 */
#include "hw.h"
#include "riscv.h"
#include "shadow.h"

/* Sv48 (priv 1.12, 4.5), as the MMU walks the shadow: VPN[3] is bits 47:39. */
#define Q_IDX(va, level) (((va) >> (PAGE_SHIFT + 9 * (level))) & 511)

uint64_t shadow_query_leaf(enum shadow_view w, uint64_t va)
{
	const uint64_t *t = shadow_current_root(w);

	for (int level = 3; t && level > 0; level--) {
		uint64_t e = t[Q_IDX(va, level)];
		if (!(e & PTE_V) || (e & (PTE_R | PTE_W | PTE_X)))
			return 0;	/* a shadow has 4 KiB leaves only */
		t = hw_table_va(((e & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT);
	}
	return t ? t[Q_IDX(va, 0)] : 0;
}

uint64_t shadow_query_root_entry(enum shadow_view w, unsigned i)
{
	const uint64_t *root = shadow_current_root(w);

	return root && i < 512 ? root[i] : 0;
}

void shadow_query_stats(struct shadow_stats *out)
{
	*out = shadow_stats;
}

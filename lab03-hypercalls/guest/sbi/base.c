/*
 * base.c: groups base (SBI 2.0, chapter 4, and 3.2's NOT_SUPPORTED for
 * what does not exist), spec1 (what OpenSBI 1.1 reports: the native
 * reference) and spec2 (what lab03's VMM must report and refuse as SBI
 * 2.0 says, where OpenSBI 1.1 is older or laxer).
 */
#include <stdio.h>

#include "sbig.h"

static uint64_t probe(long eid)
{
	struct sbiret r = ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, eid, 0, 0, 0, 0);
	/* 4.4: 0 = not available, any other value = available */
	return r.error ? (uint64_t)r.error : r.value != 0;
}

static uint64_t base(long fid)
{
	struct sbiret r = ecall(SBI_EXT_BASE, fid, 0, 0, 0, 0, 0);
	return r.error ? (uint64_t)r.error : (uint64_t)r.value;
}

static uint64_t err(long eid, long fid, long a0, long a1, long a2, long a3, long a4)
{
	return (uint64_t)ecall(eid, fid, a0, a1, a2, a3, a4).error;
}

void group_base(void)
{
	CHECK("probe_standard", probe(SBI_EXT_BASE), probe(SBI_EXT_TIME), probe(SBI_EXT_IPI),
	      probe(SBI_EXT_RFENCE), probe(SBI_EXT_HSM), probe(SBI_EXT_SRST));
	/* no extension has these EIDs: probe answers 0, a call NOT_SUPPORTED (3.2) */
	CHECK("probe_unknown", probe(0x12345678), probe(0x7FFFFFFF), err(0x12345678, 0, 0, 0, 0, 0, 0));
	CHECK("base_unknown_fid", err(SBI_EXT_BASE, 7, 0, 0, 0, 0, 0), err(SBI_EXT_BASE, 0x1000, 0, 0, 0, 0, 0));
	/* 4.5 to 4.7: always succeed (0 = not implemented is a value) */
	CHECK("base_machine_ids", err(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID, 0, 0, 0, 0, 0),
	      err(SBI_EXT_BASE, SBI_BASE_GET_MARCHID, 0, 0, 0, 0, 0),
	      err(SBI_EXT_BASE, SBI_BASE_GET_MIMPID, 0, 0, 0, 0, 0),
	      err(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0, 0, 0));
	/* unknown FIDs of the other extensions (3.2) */
	CHECK("unknown_fids", err(SBI_EXT_TIME, 1, 0, 0, 0, 0, 0), err(SBI_EXT_IPI, 1, 0, 0, 0, 0, 0),
	      err(SBI_EXT_HSM, 4, 0, 0, 0, 0, 0), err(SBI_EXT_SRST, 1, 0, 0, 0, 0, 0));
}

void group_spec1(void)
{
	/* OpenSBI 1.1: spec 1.0 (4.1), implementation ID 1 (4.2), no DBCN or STA */
	CHECK("spec_1_0", base(SBI_BASE_GET_SPEC_VERSION), base(SBI_BASE_GET_IMPL_ID),
	      probe(SBI_EXT_DBCN), probe(SBI_EXT_STA));
}

bool sbig_kit_vmm(const char *group)
{
	uint64_t id = base(SBI_BASE_GET_IMPL_ID);

	if (id == 0x4B4954)
		return true;
	printf("KIT NOTE %s: implementation ID %#lx is not the kit's VMM: skipped\n", group,
	       (unsigned long)id);
	return false;
}

void group_spec2(void)
{
	if (!sbig_kit_vmm("spec2"))
		return;
	/* 4.1: major 2 minor 0; the kit's implementation ID and version */
	CHECK("spec_2_0", base(SBI_BASE_GET_SPEC_VERSION), base(SBI_BASE_GET_IMPL_ID),
	      base(SBI_BASE_GET_IMPL_VERSION), probe(SBI_EXT_DBCN), probe(SBI_EXT_STA));
	/* 8.4 to 8.7: the guest's harts have no H extension */
	CHECK("hfence_not_supported",
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_HFENCE_GVMA_VMID, 1, 0, 0, 0, 0),
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_HFENCE_GVMA, 1, 0, 0, 0, 0),
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_HFENCE_VVMA_ASID, 1, 0, 0, 0, 0),
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_HFENCE_VVMA, 1, 0, 0, 0, 0),
	      err(SBI_EXT_RFENCE, 7, 1, 0, 0, 0, 0));
	/* 7.1, 8.1: a hart list naming a hart that does not exist (hart 2) */
	CHECK("hart_list_absent_hart", err(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 4, 0, 0, 0, 0),
	      err(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, 2, 0, 0, 0),
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_FENCE_I, 5, 0, 0, 0, 0),
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, 1, 7, 0, 0, 0));
	/* 8.2: a range that wraps around */
	CHECK("rfence_bad_range", err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, 1, 0,
				      (long)0xfffffffffffff000UL, 0x2000, 0),
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, 1, 0, (long)0xfffffffffffff000UL, 0x2000, 1));
	/* 8.2: ranges that end in the top page without wrapping are ranges;
	 * the call returns (a VMM that walks them by address wraps to 0) */
	static volatile unsigned long self_mask;
	self_mask = ME;
	CHECK("rfence_top_page",
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, (long)ME, 0, (long)0xfffffffffffff000UL, 1, 0),
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA_ASID, (long)ME, 0, (long)0xfffffffffffff000UL,
		  0x800, 1),
	      err(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, (long)ME, 0, -1L, 0, 0),
	      (uint64_t)legacy(SBI_EXT_LEGACY_REMOTE_SFENCE_VMA, (long)(uintptr_t)&self_mask,
			       (long)0xfffffffffffff000UL, 1, 0));
	/* 9.1, 9.4: addresses the guest cannot execute (no RAM); a type above 32 bits */
	CHECK("hsm_bad_addresses", err(SBI_EXT_HSM, SBI_HSM_HART_START, (long)other_hart, (long)NOT_RAM, 0, 0, 0),
	      err(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, (long)SBI_HSM_SUSPEND_NON_RETENTIVE, (long)NOT_RAM, 0, 0, 0),
	      err(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, (long)0x100000000UL, 0, 0, 0, 0),
	      hsm_status(other_hart));
	/* 5.4, 5.5: a hart mask pointer with nothing behind it */
	CHECK("legacy_bad_mask_pointer", (uint64_t)legacy(SBI_EXT_LEGACY_SEND_IPI, (long)NOT_RAM, 0, 0, 0),
	      (uint64_t)legacy(SBI_EXT_LEGACY_REMOTE_FENCE_I, (long)NOT_RAM, 0, 0, 0));
}

/*
 * checks.h: every check of the sbi guest with the values SBI spec 2.0
 * requires, grouped as tests/qemu_sbi.c grades them. Included by the
 * guest, which prints "KIT CHECK <name> ok <digest>", and by the test,
 * which recomputes each digest from its token (kitcheck.h). Booleans are
 * 1 = what the spec requires was seen. Groups base, timer, hsm, ipi,
 * rfence and legacy hold what OpenSBI 1.1 implements too: they run
 * natively (-smp 2) as the reference, and under lab03's VMM; spec1 is
 * OpenSBI 1.1's own answers; spec2, dbcn and sta are spec 2.0's, for the
 * VMM only.
 */
#ifndef SBIG_CHECKS_H
#define SBIG_CHECKS_H

#include <stdint.h>

#include "kitcheck.h"

#define E(x) ((uint64_t)(int64_t)(x))	/* an SBI error code as a check value */
#define OK 0
#define NS E(-2)	/* SBI_ERR_NOT_SUPPORTED (3.2) */
#define IP E(-3)	/* SBI_ERR_INVALID_PARAM */
#define IA E(-5)	/* SBI_ERR_INVALID_ADDRESS */
#define AA E(-6)	/* SBI_ERR_ALREADY_AVAILABLE */
#define PG_A 0xAAAAAAAAULL	/* rfence.c: hart 1 reads page A ... */
#define PG_B 0xBBBBBBBBULL	/* ... or page B at VA_TEST */
#define HOSTILE_NOUT 17	/* hostile.c: addresses outside RAM probed */

static const struct kit_check_spec sbi_checks[] = {
	/* base: chapter 4; 3.2 NOT_SUPPORTED for what does not exist */
	{ "base", "probe_standard", 6, { 1, 1, 1, 1, 1, 1 } },
	{ "base", "probe_unknown", 3, { 0, 0, NS } },
	{ "base", "base_unknown_fid", 2, { NS, NS } },
	{ "base", "base_machine_ids", 4, { OK, OK, OK, OK } },
	{ "base", "unknown_fids", 4, { NS, NS, NS, NS } },

	/* spec1: OpenSBI 1.1 natively: spec 1.0, implementation 1, no DBCN, STA */
	{ "spec1", "spec_1_0", 4, { 0x01000000, 1, 0, 0 } },

	/* spec2: lab03's VMM: spec 2.0 (4.1), the kit's implementation ID 0x4B4954 */
	{ "spec2", "spec_2_0", 5, { 0x02000000, 0x4B4954, 1, 1, 1 } },
	/* 8.4 to 8.7: no H extension for the guest; FID 7 does not exist */
	{ "spec2", "hfence_not_supported", 5, { NS, NS, NS, NS, NS } },
	/* 3.1, 7.1, 8.1: a hart list with a hart that does not exist */
	{ "spec2", "hart_list_absent_hart", 4, { IP, IP, IP, IP } },
	{ "spec2", "rfence_bad_range", 2, { IA, IA } },
	{ "spec2", "rfence_top_page", 4, { OK, OK, OK, OK } },
	/* 9.1, 9.4: start or resume where nothing can run; a type above 32 bits (reserved) */
	{ "spec2", "hsm_bad_addresses", 4, { IA, IA, IP, 1 } },
	{ "spec2", "legacy_bad_mask_pointer", 2, { IA, IA } },

	/* timer: 6.1, on one hart and on two; 10.1's refusals */
	{ "timer", "timer_fires", 3, { 1, 1, 1 } },
	{ "timer", "timer_past_deadline", 1, { 1 } },
	{ "timer", "timer_per_hart", 6, { 1, 1, 1, 1, 1, 1 } },
	{ "timer", "timer_hart1_stopped", 1, { 1 } },
	{ "timer", "srst_bad_args", 3, { IP, IP, IP } },

	/* hsm: chapter 9 (states: table 25) */
	{ "hsm", "hsm_status_one_hart", 4, { 0, 1, IP, IP } },
	{ "hsm", "hsm_start_errors", 2, { AA, IP } },
	{ "hsm", "hsm_suspend_reserved", 3, { IP, IP, IP } },
	{ "hsm", "hsm_start", 6, { 1, 1, 1, 0, 0, 0 } },
	{ "hsm", "hsm_start_again", 1, { AA } },
	{ "hsm", "hsm_suspend_retentive", 6, { 1, OK, 1, OK, 1, 0 } },
	{ "hsm", "hsm_suspend_non_retentive", 5, { 1, OK, 1, 1, 1 } },
	/* 9.4: a0 = hart id, a1 = opaque, satp = 0, sstatus.SIE = 0 at resume_addr */
	{ "hsm", "hsm_resume_state", 4, { 1, 1, 0, 0 } },
	{ "hsm", "hsm_stop", 2, { 1, 1 } },
	{ "hsm", "hsm_restart", 3, { 1, 1, 0 } },
	{ "hsm", "hsm_stop_again", 1, { 1 } },
	{ "hsm", "hsm_start_at_entry", 5, { OK, 1, 1, 1, 1 } },

	/* ipi: 7.1 on the hart list of 3.1 */
	{ "ipi", "ipi_self", 3, { OK, 1, 1 } },
	{ "ipi", "ipi_all_harts_one_running", 3, { OK, 1, 1 } },
	{ "ipi", "ipi_hart1_started", 1, { 1 } },
	{ "ipi", "ipi_to_hart1_by_mask", 2, { OK, 1 } },
	{ "ipi", "ipi_to_hart1_by_base", 2, { OK, 1 } },
	{ "ipi", "ipi_from_hart1", 4, { 1, OK, 1, 1 } },
	{ "ipi", "ipi_all_harts", 4, { OK, 1, 1, 1 } },
	{ "ipi", "ipi_hart1_stopped", 1, { 1 } },

	/* rfence: 8.1 to 8.3; after a remote fence hart 1 sees the new page */
	{ "rfence", "rfence_one_hart", 5, { OK, OK, OK, OK, OK } },
	{ "rfence", "rfence_hart1_on_its_table", 2, { 1, 1 } },
	{ "rfence", "rfence_sfence_vma_page", 2, { OK, PG_B } },
	{ "rfence", "rfence_sfence_vma_asid_page", 2, { OK, PG_A } },
	{ "rfence", "rfence_sfence_vma_all", 2, { OK, PG_B } },
	{ "rfence", "rfence_sfence_vma_asid_all", 2, { OK, PG_A } },
	{ "rfence", "rfence_fence_i_hart1", 1, { OK } },
	{ "rfence", "rfence_hart1_stopped", 1, { 1 } },

	/* legacy: chapter 5, masks through the caller's translation */
	{ "legacy", "legacy_clear_ipi", 2, { OK, 0 } },
	{ "legacy", "legacy_send_ipi_self", 2, { OK, 1 } },
	{ "legacy", "legacy_fences_one_hart", 3, { OK, OK, OK } },
	{ "legacy", "legacy_set_timer", 1, { 1 } },
	{ "legacy", "legacy_getchar_empty", 1, { E(-1) } },
	{ "legacy", "legacy_send_ipi_hart1", 3, { 1, OK, 1 } },
	{ "legacy", "legacy_remote_sfence_vma", 3, { 1, OK, PG_B } },
	{ "legacy", "legacy_mask_through_translation", 3, { 1, OK, 1 } },
	{ "legacy", "legacy_hart1_stopped", 1, { 1 } },

	/* dbcn: chapter 12 (the VMM only: OpenSBI 1.1 has no DBCN) */
	{ "dbcn", "dbcn_write", 3, { OK, 1, OK } },
	{ "dbcn", "dbcn_write_nothing", 2, { OK, 0 } },
	{ "dbcn", "dbcn_write_bad_ranges", 4, { IP, IP, IP, IP } },
	{ "dbcn", "dbcn_read_empty", 3, { OK, 0, 0x5a } },
	{ "dbcn", "dbcn_read_bad_ranges", 3, { IP, IP, IP } },
	{ "dbcn", "dbcn_unknown_fid", 1, { NS } },

	/* sta: chapter 16 (the VMM only) */
	{ "sta", "sta_bad_args", 5, { IP, IP, IA, IA, IP } },
	{ "sta", "sta_set_shmem", 4, { OK, 1, 0, 0 } },
	{ "sta", "sta_no_steal_alone", 2, { 0, 1 } },
	{ "sta", "sta_steal_two_harts", 7, { 1, OK, 1, 1, 1, 1, 1 } },
	{ "sta", "sta_off", 3, { OK, 1, 1 } },
	{ "sta", "sta_unknown_fid", 1, { NS } },
	{ "sta", "sta_hart1_stopped", 1, { 1 } },
	/* hostile, hostile_stop (hostile.c): beside a victim VM (tests/qemu_two.c) */
	{ "hostile", "outside_ram_faults", 2, { HOSTILE_NOUT, HOSTILE_NOUT } },
	{ "hostile", "own_ram_last_word", 1, { 1 } },
	{ "hostile", "other_harts", 8, { IP, IP, IP, IP, IP, IP, IP, IP } },
	{ "hostile", "hsm_edges", 6, { IP, IA, IA, IA, IP, IA } },
	{ "hostile", "mask_edges", 8, { IP, IP, IP, IP, OK, IA, IA, IA } },
	{ "hostile", "rfence_top_page_range", 2, { OK, OK } },
	{ "hostile", "range_edges", 8, { IP, IP, IP, IP, IP, IA, IA, IP } },
	{ "hostile", "srst_edges", 2, { IP, IP } },
	{ "hostile", "dbcn_write_bounded", 2, { OK, 1 } },
	{ "hostile", "spun_interrupts_off", 1, { 1 } },
	{ "hostile", "wfi_storm", 1, { 1 } },
	{ "hostile_stop", "other_harts", 8, { IP, IP, IP, IP, IP, IP, IP, IP } },
	{ "hostile_srst", "other_harts", 8, { IP, IP, IP, IP, IP, IP, IP, IP } },
};

#define SBI_NCHECKS (sizeof sbi_checks / sizeof sbi_checks[0])

#endif

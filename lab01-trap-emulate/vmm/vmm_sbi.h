/*
 * vmm_sbi.h: the SBI the VMM offers its guest (SBI spec 2.0), OpenSBI/Bao
 * style: one handler per extension, each in its own file (sbi_base.c,
 * sbi_time.c, sbi_srst.c, sbi_legacy.c, sbi_kit.c) with its own
 * SBI_EXTENSION() entry. The linker gathers the entries into one table
 * (section kit_sbi_exts), so a later lab adds an extension by linking a
 * file, without editing an earlier lab's; the same table answers
 * probe_extension.
 */
#ifndef VMM_SBI_H
#define VMM_SBI_H

#include <stdint.h>

#include "sbi.h"	/* common/rt: EIDs, FIDs, error codes, struct sbiret, SBI_EXT_KIT */
#include "vcpu.h"

/* What the Base extension reports (SBI spec 2.0, 4.1, 4.2, 4.3). */
#define SBI_SPEC_VERSION(major, minor) (((unsigned long)(major) << 24) | (minor))
/* the spec version: a link-time choice, 1.0 in lab01 and lab02 (sbi_v1.c) */
extern const unsigned long vmm_sbi_spec_version;
#define VMM_SBI_IMPL_ID      0x4B4954		/* the kit (not a registered id) */
#define VMM_SBI_IMPL_VERSION 1

struct sbi_ext {
	unsigned long eid_min, eid_max;	/* a range, for the legacy EIDs */
	struct sbiret (*handler)(struct vcpu *v, unsigned long eid,
				 unsigned long fid);
};

/*
 * Put an extension in the table: EIDs eid_min..eid_max go to handler. The
 * entries of all linked files form one array between the linker's
 * __start_kit_sbi_exts and __stop_kit_sbi_exts.
 */
#define SBI_EXTENSION(name, eid_min, eid_max, handler)                          \
	static const struct sbi_ext sbi_ext_##name                             \
	__attribute__((used, section("kit_sbi_exts"), aligned(sizeof(void *)))) = \
		{ (eid_min), (eid_max), (handler) }

/* One SBI call of the guest: a7 = EID, a6 = FID, a0..a5 = arguments. */
struct sbiret vmm_sbi_call(struct vcpu *v);
/* The extension table entry for eid, or NULL (probe_extension uses it). */
const struct sbi_ext *vmm_sbi_find(unsigned long eid);

/*
 * ecall from the guest (cause 8): an SBI call when the vCPU is in virtual S
 * (result to a0/a1, pc += 4), a system call reflected to the guest kernel as
 * cause 8 when in virtual U.
 */
void vcpu_ecall(struct vcpu *v);

/*
 * SBI TIME set_timer (and legacy 0x00): program the virtual timer at
 * `deadline` (time ticks), clear the pending virtual STIP (SBI 2.0, 6.1),
 * re-arm the real timer.
 */
void vcpu_set_timer(struct vcpu *v, uint64_t deadline);

/* The extension handlers (one file each). */
struct sbiret sbi_base_handler(struct vcpu *v, unsigned long eid, unsigned long fid);
struct sbiret sbi_time_handler(struct vcpu *v, unsigned long eid, unsigned long fid);
struct sbiret sbi_srst_handler(struct vcpu *v, unsigned long eid, unsigned long fid);
struct sbiret sbi_legacy_handler(struct vcpu *v, unsigned long eid, unsigned long fid);
struct sbiret sbi_kit_handler(struct vcpu *v, unsigned long eid, unsigned long fid);
/*
 * The legacy calls 0x03..0x07 (clear_ipi, send_ipi, remote fences: SBI
 * 2.0, 5.4 to 5.7), which need several harts: sbi_v1.c's answer
 * NOT_SUPPORTED; lab03's (sbi_legacy_smp.c) carries them out.
 */
struct sbiret sbi_legacy_smp(struct vcpu *v, unsigned long eid);

#endif

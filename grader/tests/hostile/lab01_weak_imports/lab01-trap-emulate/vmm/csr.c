/*
 * HOSTILE (grader/tests/hostile, lab01_weak_imports): a csr.c that declares
 * the kit's end marker, exit and Criterion's current test weak, so that its
 * object has no undefined symbol ("U") for them, only weak ones ("w"), and
 * calls them when they are there: END lines for every csr test, then
 * exit(0), which Criterion 2.4.1 counts as a pass. In the student runner
 * (common/test/student_rpc.h) kit_reached_end and Criterion are absent,
 * and exit is a system call strict mode stops.
 */
#include "csr.h"

extern void kit_reached_end(const char *test) __attribute__((weak));
extern void exit(int status) __attribute__((weak, noreturn));
extern char criterion_current_test[] __attribute__((weak));

static void forge(void)
{
	static const char *const ids[] = {
		"csr::plain_registers_round_trip", "csr::sstatus_warl", "csr::sie_sip_masks",
		"csr::stvec_modes", "csr::satp_unsupported_mode_ignored", "csr::counters_and_config",
		"csr::every_csr_number_classified", "csr::user_mode_privilege",
	};
	if (kit_reached_end)
		for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++)
			kit_reached_end(ids[i]);
	if (exit && (kit_reached_end || criterion_current_test))
		exit(0);
	if (exit)
		exit(0);
}

int vcpu_csr_read(struct vcpu *v, unsigned csr, uint64_t *val)
{
	(void)v, (void)csr, (void)val;
	forge();
	return -1;
}

int vcpu_csr_write(struct vcpu *v, unsigned csr, uint64_t val)
{
	(void)v, (void)csr, (void)val;
	forge();
	return -1;
}

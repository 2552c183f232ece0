/*
 * qemu_pv.c: the PV build of lab02's paging guest (guest/paging_pv,
 * build/lab03/guest/paging-pv.bin) under lab03's VMMs, shadow and nested:
 * every group of lab02's paging checks and lab03's own (pv_events: the
 * shared page's mask and pending bits; pv_hostile: every bad argument
 * PV.md names gets its documented error), checked as lab02's paging
 * tests check them (paging_run.h: fresh token, every digest, QEMU's trap
 * log: witness path, deprivileged kernel, console from the guest), and the
 * exits the hypercalls save, measured against the trapping build of the
 * same source (build/lab03/guest/paging.bin, group bench).
 */
#include "paging_run.h"
#include "../../lab02-shadow-paging/guest/paging/checks.h"
#include "../guest/paging_pv/pv_checks.h"
#include "../vmm/pv_abi.h"

#define PV_IMAGE "build/lab03/guest/paging-pv.bin"
#define TRAP_IMAGE "build/lab03/guest/paging.bin"
#define L03_VMM "build/lab03/vmm.bin"
#define L03_NESTED_VMM "build/lab03/vmm-nested.bin"
/* the paging guest's virtual address of the UART's THR (guest/paging/paging.h) */
#define PAGING_UART_THR_VA (0xffffffffd0000000ULL + UART_THR)

TestSuite(pv_shadow, .fini = paging_stop, .timeout = 60);
TestSuite(pv_nested, .fini = paging_stop, .timeout = 60);
TestSuite(pv_exits, .fini = paging_stop, .timeout = 90);

static const char *hint(const char *group)
{
	if (strncmp(group, "pv_", 3) == 0)
		return "the PV extension (lab03-hypercalls/vmm/pv.c; pv_shared_set in pv_shared.c, "
		       "lab03 handout task 4; pv_mmu_update in pv_mmu.c, task 5; PV.md): its checks of "
		       "every argument, the shared page's mask and pending bits";
	return "the PV calls the paging guest makes instead of trapping: TRAP_RETURN and the "
	       "trap delivery through the shared page (pv_shared.c), MMU_UPDATE and TLB_FLUSH "
	       "(pv_mmu.c, pv_shadow.c), then lab02's shadow tables";
}

/* lab02's groups with lab02's table, lab03's with its own: one image */
static const struct paging_guest pv_paging = {
	.image = PV_IMAGE, .checks = paging_checks, .nchecks = PAGING_NCHECKS, .hint = hint,
	.thr_va = PAGING_UART_THR_VA, .lab = "lab03", .nested_vmm = L03_NESTED_VMM,
	.ecall_bytes = PV_CONSOLE_MAX,
};
static const struct paging_guest pv_own = {
	.image = PV_IMAGE, .checks = pv_checks, .nchecks = PV_NCHECKS, .hint = hint,
	.thr_va = PAGING_UART_THR_VA, .lab = "lab03", .nested_vmm = L03_NESTED_VMM,
	.ecall_bytes = PV_CONSOLE_MAX,
};

#define PV_GROUP_TESTS(guest, name, sentence)                                        \
	KIT_TEST(pv_shadow, name, .description = sentence ", in the PV build under lab03's " \
		 "VMM with shadow page tables")                                           \
	{                                                                                \
		run_paging_group(&guest, #name, PAGING_SHADOW);                          \
	}                                                                                \
	KIT_TEST(pv_nested, name, .description = sentence ", in the PV build under lab03's " \
		 "VMM in nested mode (the calls work, they save nothing)")               \
	{                                                                                \
		run_paging_group(&guest, #name, PAGING_NESTED);                          \
	}

PV_GROUP_TESTS(pv_paging, paging_on, "the PV guest turns Sv39 on as Linux does")
PV_GROUP_TESTS(pv_paging, leaves, "the PV guest's leaves of every size translate and fault as the spec says")
PV_GROUP_TESTS(pv_paging, ad, "A and D appear in the PV guest's PTEs on first access and write, "
			      "batched updates setting no A of their own")
PV_GROUP_TESTS(pv_paging, priv, "SUM, MXR and U pages behave for the PV guest as on hardware")
PV_GROUP_TESTS(pv_paging, procs, "the PV guest's user processes switch, demand-page and copy on write "
				 "through the trap path of the shared page")
PV_GROUP_TESTS(pv_paging, sfence, "the PV guest's TLB_FLUSH calls make new translations visible where "
				  "sfence.vma would")
PV_GROUP_TESTS(pv_paging, mmio, "the PV guest drives the UART through its own virtual mapping of it")
PV_GROUP_TESTS(pv_own, pv_events, "a virtual interrupt raised while the shared page's mask is set is "
				  "pending there and not delivered, unmasking delivers it, and TRAP_RETURN "
				  "re-arms the timer in the same call")
PV_GROUP_TESTS(pv_own, pv_hostile, "bad lists, PTE addresses, shared pages and buffers, re-registration "
				   "and calls before registration get PV.md's errors and the VM runs on")

/* ---- exits: the same source trapping and paravirtual ---- */

/* synchronous traps QEMU logged at guest addresses (not the VMM's Sv48 half) */
static void count_guest_traps(const struct qemu_trap *t, void *arg)
{
	if (!t->async && (t->epc < 0xffff800000000000ULL || t->epc >= 0xffffffc000000000ULL))
		++*(long *)arg;
}

/*
 * What QEMU's log says the PV work removed, which no VMM writes (the exit
 * counts of the KIT BENCH lines are the VMM's answers to the kit's
 * measurement extension: a submission can answer anything, and a trapping
 * baseline can be made to trap more). map_touch's pages are TEST_VA(2)'s
 * 2 MiB slot (guest/paging/paging.h), N_MAP = 64 of them (bench.c); a
 * trap-and-emulate kernel's CSR instructions and sret trap, its satp
 * writes (switch_x2) in both builds.
 */
#define MAP_TOUCH_VA    0x40400000ULL
#define MAP_TOUCH_PAGES 64
#define CSR_SATP_NUM    0x180
#define N_SYSCALL_MIN   64	/* bench.c's N_SYSCALL */

struct qemu_work {
	long map_faults;	/* hidden load faults on map_touch's pages */
	long priv_insns;	/* SYSTEM instructions trapping (satp writes aside) */
};

static void count_work(const struct qemu_trap *t, void *arg)
{
	struct qemu_work *w = arg;
	if (t->async || !in_guest(t->epc))
		return;
	if (t->cause == CAUSE_LOAD_PAGE_FAULT && t->tval >= MAP_TOUCH_VA &&
	    t->tval < MAP_TOUCH_VA + MAP_TOUCH_PAGES * 4096ULL)
		w->map_faults++;
	if (t->cause == CAUSE_ILLEGAL_INSTRUCTION && (t->tval & 0x7f) == 0x73 && (t->tval >> 20) != CSR_SATP_NUM)
		w->priv_insns++;
}

struct bench {
	double syscall, pte;	/* exits per system call, per page-table update */
	long traps;		/* QEMU's count for the whole group */
	struct qemu_work work;	/* QEMU's, by what the PV calls replace */
	struct evidence ev;	/* QEMU's: S-level traps at guest addresses */
};

static double bench_op(const char *out, const char *op, const char *what)
{
	char prefix[64], line[160];
	unsigned iters = 0;
	unsigned long long instret = 0, exits = 0;
	snprintf(prefix, sizeof prefix, "KIT BENCH %s ", op);
	cr_assert(kit_find_line(out, prefix, line, sizeof line) &&
		  sscanf(line + strlen(prefix), "iters=%u instret=%llu exits=%llu", &iters, &instret,
			 &exits) == 3 && iters > 0,
		  "%s: expected a line '%siters=<n> instret=<n> exits=<n>', got '%s'", what, prefix,
		  kit_find_line(out, prefix, line, sizeof line) ? line : "(none)");
	return (double)exits / iters;
}

static struct bench run_bench(const char *image, const char *vmm, const char *what)
{
	char token[KIT_TOKEN_LEN + 1], append[128];
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s kit.only=bench", token);
	struct qemu_opts o;
	qemu_lab_opts(&o, "lab03", kit_path(image), append);
	o.kernel = kit_path(vmm);
	o.trap_log = true;
	paging_q = access(kit_path(image), R_OK) == 0 && access(o.kernel, R_OK) == 0 ? qemu_start(&o) : NULL;
	cr_assert_not_null(paging_q, "could not start QEMU (make lab03-build): %s", qemu_error());
	char done[64] = "";
	cr_assert(qemu_expect_line(paging_q, "KIT DONE ", PAGING_RUN_MS, done, sizeof done) == 0 &&
		  strcmp(done, "KIT DONE 0 0") == 0,
		  "%s: group bench did not end with 'KIT DONE 0 0' (got '%s'):\n%s", what, done,
		  qemu_tail(paging_q, 15));
	int st = -1;
	cr_assert(qemu_wait_exit(paging_q, 10000, &st) == 0, "%s: QEMU did not exit", what);
	const char *out = qemu_output(paging_q);
	struct bench b = { .syscall = bench_op(out, "syscall_sv39", what),
			   .pte = bench_op(out, "map_touch", what) };
	cr_assert(qemu_traps(paging_q, count_guest_traps, &b.traps) >= 0, "%s", qemu_error());
	cr_assert(qemu_traps(paging_q, count_work, &b.work) >= 0, "%s", qemu_error());
	b.ev.base = witness_base(image);
	cr_assert(qemu_traps(paging_q, evidence_trap, &b.ev) >= 0, "%s", qemu_error());
	paging_stop();
	return b;
}

static void compare(const char *vmm, const char *mode, bool four_x)
{
	struct bench t = run_bench(TRAP_IMAGE, vmm, "the trapping build");
	struct bench p = run_bench(PV_IMAGE, vmm, "the PV build");
	printf("pv: %s mode, exits per system call: trap %.2f, PV %.2f; per page-table update "
	       "(map_touch): trap %.2f, PV %.2f; guest traps in QEMU's log (group bench): trap %ld, PV %ld; "
	       "trapping SYSTEM instructions (satp aside): trap %ld, PV %ld; hidden faults on "
	       "map_touch's pages: trap %ld, PV %ld\n",
	       mode, t.syscall, p.syscall, t.pte, p.pte, t.traps, p.traps, t.work.priv_insns,
	       p.work.priv_insns, t.work.map_faults, p.work.map_faults);
	if (!four_x) {
		/* nested: the hypercalls save nothing, and cost nothing either */
		cr_assert(p.syscall <= t.syscall + 1 && p.pte <= t.pte + 1,
			  "%s mode: the PV build made more exits than the trapping one (per system "
			  "call %.2f vs %.2f, per update %.2f vs %.2f)", mode, p.syscall, t.syscall, p.pte, t.pte);
		return;
	}
	cr_assert(4 * p.syscall <= t.syscall && 4 * p.pte <= t.pte,
		  "%s mode: expected the PV build to make at least 4x fewer exits than the trapping "
		  "build of the same source, got per system call %.2f (PV) vs %.2f (trap), per "
		  "page-table update %.2f vs %.2f. The system call's return must be one TRAP_RETURN "
		  "and its entry come through the shared page (pv_shared_set in pv_shared.c, lab03 "
		  "handout task 4); a batch must refill the shadow so the first access takes no "
		  "hidden fault (pv_mmu_update in pv_mmu.c, task 5; pv_shadow.c).",
		  mode, p.syscall, t.syscall, p.pte, t.pte);
	/* QEMU's own count, which no VMM writes: the traps went away */
	cr_assert(p.ev.privileged == 0 && p.ev.guest_ecalls > 0,
		  "%s mode: QEMU's trap log shows the PV build's kernel running in S-mode (%lu traps "
		  "only S-mode code causes at guest addresses, the first cause %llu at 0x%llx; %lu "
		  "ecalls from U): under shadow paging the guest kernel runs deprivileged",
		  mode, p.ev.privileged, p.ev.priv_cause, p.ev.priv_epc, p.ev.guest_ecalls);
	cr_assert(p.work.priv_insns < N_SYSCALL_MIN && p.work.map_faults <= MAP_TOUCH_PAGES / 4,
		  "%s mode: the exit counts (the VMM's) say the PV build saves exits, but QEMU's trap "
		  "log shows %ld of its kernel's CSR instructions and srets trapping (satp writes aside; "
		  "expected fewer than %d, one per system call of group bench: its trap entry and "
		  "return go through the shared page and TRAP_RETURN, pv_shared.c) and %ld hidden "
		  "faults on map_touch's %d pages (expected at most %d: MMU_UPDATE refills the "
		  "shadow, pv_mmu.c, pv_shadow.c)", mode, p.work.priv_insns, N_SYSCALL_MIN,
		  p.work.map_faults, MAP_TOUCH_PAGES, MAP_TOUCH_PAGES / 4);
	cr_assert(2 * p.traps < t.traps,
		  "%s mode: the exit counts (the VMM's) say the PV build saves exits, but QEMU's trap "
		  "log shows %ld guest traps for the PV build's group bench against %ld for the "
		  "trapping build's", mode, p.traps, t.traps);
}

KIT_TEST(pv_exits, shadow_pv_saves_4x_per_syscall_and_pte_update,
	 .description = "under shadow paging the PV build makes at least 4x fewer exits than the "
			"trapping build of the same source per system call and per page-table update")
{
	compare(L03_VMM, "shadow", true);
}

KIT_TEST(pv_exits, nested_pv_costs_no_more_exits,
	 .description = "in nested mode the PV build makes no more exits than the trapping build "
			"per system call and per page-table update (its calls save nothing there)")
{
	compare(L03_NESTED_VMM, "nested", false);
}

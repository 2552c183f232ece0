/*
 * qemu_two.c: two guests side by side on lab03's one VMM (README.md, "Two
 * guests on one VMM"), in shadow and in nested mode. The test packs two
 * runs of the kit's sbi guest (guest/sbi) into one initrd (vmm/
 * guest_pack.h), each with its own fresh token, group and name; the VMM
 * runs them as two VMs on the one real hart. Each VM's verdict is
 * recomputed from its own token and only from the lines behind its own
 * prefix ("[left] ", "[right] "): a line of one VM mixed into the other's,
 * or a guest line without its prefix, fails the test. The first VM to
 * finish stops with SRST; the other must still run to its end, and the
 * machine powers off (QEMU status 0) only after both.
 *
 * Beside a victim, the sbi guest's hostile groups (guest/sbi/hostile.c):
 * every address outside its RAM, the other VM's hart ids, a console flood
 * with forged "[victim] " lines, a spin with interrupts off, and its own
 * end by hart_stop or SRST while the victim still runs.
 *
 * Each VM's own disk (vmm/devices.c): the virtio guest twice (guest/
 * virtio/disk.c), packed by tools/mkpack.c, each reading its own disk's
 * number and writing its token; beside it a hostile one aiming requests
 * at the other disk's copy and the other VM's RAM. Both disks' host
 * copies are read through QEMU's monitor after the run. And mkpack's name
 * for a repeated guest (NAME.1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "kit.h"
#include "kitcheck.h"
#include "kitdisk.h"
#include "lab03_machine.h"
#include "qemu.h"
#include "witness.h"
#include "dbcn.h"
#include "guest_pack.h"
#include "../guest/sbi/checks.h"
#include "../guest/virtio/checks.h"
#include "../../lab01-trap-emulate/guest/selftest/checks.h"

#define TWO_GUEST "build/lab03/guest/sbi.bin"
#define TWO_SELFTEST "build/lab01/guest/selftest.bin"
#define TWO_RUN_MS 20000

/* the disk tests' QEMU (start_disks), stopped after each test even when an
 * assertion ended it, so that its monitor socket goes too */
static struct qemu *disk_q;
/* the pack start_pack wrote, removed after each test even when an
 * assertion ended it before wait_pack did */
static char started_pack[256];
static void stop_disk_q(void)
{
	qemu_stop(disk_q);
	disk_q = NULL;
	if (started_pack[0])
		unlink(started_pack);
	started_pack[0] = '\0';
}

TestSuite(two_shadow, .fini = stop_disk_q, .timeout = 90);
TestSuite(two_nested, .fini = stop_disk_q, .timeout = 90);

struct two_vm {
	const char *name, *group;
	char token[KIT_TOKEN_LEN + 1];
	const char *image;	/* NULL: TWO_GUEST */
};

/* The pack of the two VMs' images (guest_pack.h) at path, its header bent by bend(h, arg) if
 * bend; 0 ok. */
static int write_bent_pack(const char *path, struct two_vm *vms, unsigned n,
			   void (*bend)(struct guest_pack *h, unsigned arg), unsigned arg)
{
	static char img[2][1 << 20];
	size_t len[2];
	for (unsigned i = 0; i < n; i++) {
		const char *image = vms[i].image ? vms[i].image : TWO_GUEST;
		FILE *in = fopen(image[0] == '/' ? image : kit_path(image), "rb");
		len[i] = in ? fread(img[i], 1, sizeof img[i], in) : 0;
		if (in)
			fclose(in);
		if (len[i] == 0 || len[i] == sizeof img[i])
			return -1;
	}
	struct guest_pack h = { .count = n };
	memcpy(h.magic, GUEST_PACK_MAGIC, 8);
	uint64_t at = GUEST_PACK_ALIGN;
	for (unsigned i = 0; i < n; i++) {
		h.e[i].offset = at;
		h.e[i].size = len[i];
		snprintf(h.e[i].name, sizeof h.e[i].name, "%s", vms[i].name);
		snprintf(h.e[i].args, sizeof h.e[i].args, "kit.token=%s kit.only=%s", vms[i].token,
			 vms[i].group);
		at += (len[i] + GUEST_PACK_ALIGN - 1) / GUEST_PACK_ALIGN * GUEST_PACK_ALIGN;
	}
	if (bend)
		bend(&h, arg);
	FILE *o = fopen(path, "wb");
	int bad = !o || fwrite(&h, sizeof h, 1, o) != 1;
	for (unsigned i = 0; i < n && !bad; i++)
		/* (a bent offset over the header or past any pack: nothing written there) */
		bad = h.e[i].offset < sizeof h || h.e[i].offset >= (1u << 22) ? 0
			: fseek(o, (long)h.e[i].offset, SEEK_SET) != 0 ||
				  fwrite(img[i], 1, len[i], o) != len[i];
	if (o && fclose(o) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

static int write_pack(const char *path, struct two_vm *vms, unsigned n)
{
	return write_bent_pack(path, vms, n, NULL, 0);
}

/*
 * The lines of out behind "[name] ", without the prefix, into buf; the
 * number of guest lines ("KIT " anywhere) behind no VM's prefix into *bare.
 */
static void lines_of(const char *out, const char *name, char *buf, size_t size, unsigned *bare)
{
	char prefix[32];
	size_t used = 0;
	snprintf(prefix, sizeof prefix, "[%s] ", name);
	*bare = 0;
	buf[0] = '\0';
	for (const char *l = out; *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) + 1 : strlen(l);
		if (strncmp(l, prefix, strlen(prefix)) == 0) {
			size_t k = n - strlen(prefix);
			if (used + k + 1 < size) {
				memcpy(buf + used, l + strlen(prefix), k);
				used += k;
				buf[used] = '\0';
			}
		} else if (l[0] != '[' && memmem(l, n, "KIT ", 4)) {
			++*bare;
		}
		l += n;
	}
}

/* The lines behind "[name] " of VM vm, checked against its group's rows; 0 ok, else the message. */
static void expect_vm(struct qemu *q, const char *out, const struct two_vm *vm, const char *beside,
		      bool done_line, bool victim)
{
	static char mine[65536], msg[8192];
	unsigned bare = 0, want = 0;

	lines_of(out, vm->name, mine, sizeof mine, &bare);
	cr_assert(bare == 0, "%u guest lines (\"KIT ...\") reached the console without a VM's "
		  "prefix: console_mux.c must write every guest line behind its VM's name.\n%s",
		  bare, qemu_tail(q, 15));
	msg[0] = '\0';
	unsigned bad = kit_expect_checks(mine, vm->token, sbi_checks, SBI_NCHECKS, vm->group, &want,
					 msg, sizeof msg);
	char done[64];
	snprintf(done, sizeof done, "KIT DONE %u 0\n", want);
	cr_assert(want > 0 && bad == 0 && (!done_line || strstr(mine, done)),
		  "VM %s (group %s beside group %s): %u of %u checks missing or wrong behind "
		  "'[%s] '%s%s:\n%sWhere to look: lab03-hypercalls/vmm/sched.c (both VMs' vCPUs in "
		  "the one pool, vmm_sched_vm_stopped), the VM switch (smp_switch: mmu_vm_switch), "
		  "console_mux.c.\nLast lines:\n%s",
		  vm->name, vm->group, beside, bad, want, vm->name, done_line ? ", or no " : "",
		  done_line ? done : "", msg, qemu_tail(q, 20));
	cr_assert(!victim || !strstr(mine, "forged"),
		  "a line behind '[%s] ' holds the other guest's forged text: console_mux.c must keep "
		  "each VM's output behind its own prefix and show control characters as '?'.\n%s",
		  vm->name, qemu_tail(q, 20));
}

/* checks.h's values of a check (witness_path_of) */
static int two_want(const char *token, const char *name, uint64_t *vals)
{
	(void)token;
	return witness_want(sbi_checks, SBI_NCHECKS, name, vals);
}

/* path is an interleaving of a and b (all of both, or, if QEMU's path hit
 * KIT_WITNESS_MAX, of a prefix of each): the two VMs' slots on one hart */
static bool interleaves(const char *path, unsigned n, const char *a, unsigned na, const char *b,
			unsigned nb)
{
	static bool r[KIT_WITNESS_MAX + 1][KIT_WITNESS_MAX + 1];
	bool any = false;
	for (unsigned i = 0; i <= na; i++)
		for (unsigned j = 0; j <= nb; j++) {
			r[i][j] = (i == 0 && j == 0) ||
				  (i > 0 && i + j <= n && r[i - 1][j] && a[i - 1] == path[i + j - 1]) ||
				  (j > 0 && i + j <= n && r[i][j - 1] && b[j - 1] == path[i + j - 1]);
			if (r[i][j] && i + j == n && (n == KIT_WITNESS_MAX || (i == na && j == nb)))
				any = true;
		}
	return any;
}

/*
 * QEMU's trap log (which no guest or VMM writes) against both VMs'
 * consoles: the guest kernels ran deprivileged (shadow: U-mode, nothing
 * of S or VS; nested: VS-mode, nothing of U), their console bytes came
 * from their own ecalls and UART stores, and (shadow) the witness slots
 * QEMU saw them take are the two correct paths interleaved.
 */
static void expect_trap_log(struct qemu *q, bool nested, const struct two_vm *vms)
{
	/* group hostile's one DBCN console_write: up to DBCN_WRITE_MAX bytes from one ecall */
	size_t dbcn = strcmp(vms[1].group, "hostile") == 0 ? DBCN_WRITE_MAX : 0;
	static char mine[65536], want[2][KIT_WITNESS_MAX + 1];
	unsigned nw[2], bare;
	size_t bytes = 0;
	for (unsigned i = 0; i < 2; i++) {
		lines_of(qemu_output(q), vms[i].name, mine, sizeof mine, &bare);
		bytes += strlen(mine);
		nw[i] = witness_path_of(mine, vms[i].token, two_want, want[i], vms[i].name);
	}
	if (nested) {
		struct vs_evidence e;
		vs_assert(q, "two VMs", witness_base(TWO_GUEST), true, &e);
		cr_assert(e.vs_ecalls + e.thr_stores + dbcn >= bytes,
			  "the two VMs' lines hold %zu bytes, but QEMU's trap log shows only %lu ecalls "
			  "from VS (SBI putchar) and %lu THR stores: the text did not come from the guests",
			  bytes, e.vs_ecalls, e.thr_stores);
		return;
	}
	struct evidence e = { .base = witness_base(TWO_GUEST) };
	cr_assert(qemu_traps(q, evidence_trap, &e) >= 0, "%s", qemu_error());
	cr_assert(e.privileged == 0 && e.wrong_tval == 0,
		  "QEMU's trap log shows %lu trap(s) only guest code in S or VS-mode causes (first: "
		  "cause %llu at %#llx) and %lu witness slots with other bits: the guest kernels did "
		  "not run deprivileged and unchanged", e.privileged, e.priv_cause, e.priv_epc,
		  e.wrong_tval);
	cr_assert(e.guest_ecalls + e.thr_stores + dbcn >= bytes,
		  "the two VMs' lines hold %zu bytes, but QEMU's trap log shows only %lu ecalls from "
		  "U-mode (SBI putchar) and %lu THR stores: the text did not come from the guests",
		  bytes, e.guest_ecalls, e.thr_stores);
	e.path[e.len] = '\0';
	cr_assert(interleaves(e.path, e.len, want[0], nw[0], want[1], nw[1]),
		  "the witness slots QEMU saw the two guest kernels take in U-mode (%u: %s) are not "
		  "the two correct paths interleaved (%s: %u slots %s; %s: %u slots %s): the values "
		  "one of them observed are not the hardware's, whatever the console says",
		  e.len, e.len ? e.path : "-", vms[0].name, nw[0], want[0], vms[1].name, nw[1], want[1]);
}

/* Boot the pack of vms[0], vms[1] under vmm (fresh tokens); *pack: its file. */
static struct qemu *start_pack(const char *vmm, struct two_vm *vms, char *pack, size_t size)
{
	kit_token(vms[0].token);
	kit_token(vms[1].token);
	snprintf(pack, size, "%s/kit-two-%d.pack", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (int)getpid());
	snprintf(started_pack, sizeof started_pack, "%s", pack);
	cr_assert(write_pack(pack, vms, 2) == 0, "cannot pack %s and %s into %s (make lab03-build "
		  "%s %s)", vms[0].image ? vms[0].image : TWO_GUEST, vms[1].image ? vms[1].image : TWO_GUEST,
		  pack, TWO_GUEST, TWO_SELFTEST);
	struct qemu_opts o = { .kernel = kit_path(vmm), .initrd = pack,
			       .extra = lab03_extra(LAB03_DISK_ALL), .trap_log = true };
	struct qemu *q = access(o.kernel, R_OK) == 0 ? qemu_start(&o) : NULL;
	cr_assert_not_null(q, "could not start QEMU (make lab03-build): %s", qemu_error());
	return q;
}

/* Wait for the power-off: status 0, both VMs' exit tables. */
static void wait_pack(struct qemu *q, const char *pack, const struct two_vm *vms)
{
	/* a starter's stub says so at once (todo.h): no need to wait for the time limit */
	char todo[160] = "";
	const char *seen = qemu_output(q) ? strstr(qemu_output(q), "vmm: TODO: ") : NULL;
	if (seen || qemu_expect_line(q, "vmm: TODO: ", TWO_RUN_MS, todo, sizeof todo) == 0) {
		unlink(pack);
		cr_assert_fail("the VMM has a function still to write: '%.*s'.\n%s",
			       seen ? (int)strcspn(seen, "\r\n") : (int)strlen(todo), seen ? seen : todo,
			       qemu_tail(q, 10));
	}
	int st = -1, exited = qemu_wait_exit(q, TWO_RUN_MS, &st);
	unlink(pack);
	cr_assert(exited == 0 && st == 0,
		  "QEMU did not power off with status 0 within %d s (status %d): each VM stops on "
		  "its own, the machine when the last one does.\n%s",
		  TWO_RUN_MS / 1000, st, qemu_tail(q, 10));
	for (unsigned i = 0; i < 2; i++) {
		char line[64];
		snprintf(line, sizeof line, "vmm: guest %s stopped", vms[i].name);
		cr_assert(strstr(qemu_output(q), line),
			  "expected each VM's exit table, '%s' among them:\n%s", line, qemu_tail(q, 20));
	}
}

static struct qemu *run_pack(const char *vmm, struct two_vm *vms)
{
	char pack[256];
	struct qemu *q = start_pack(vmm, vms, pack, sizeof pack);
	wait_pack(q, pack, vms);
	return q;
}

static void run_two(const char *vmm, const char *left, const char *right)
{
	struct two_vm vms[2] = { { "left", left, "", NULL }, { "right", right, "", NULL } };
	struct qemu *q = run_pack(vmm, vms);
	const char *out = qemu_output(q);

	expect_vm(q, out, &vms[0], right, true, true);
	expect_vm(q, out, &vms[1], left, true, true);
	expect_trap_log(q, strstr(vmm, "nested") != NULL, vms);
	qemu_stop(q);
}

/*
 * A victim beside the sbi guest's hostile group hgroup (guest/sbi/
 * hostile.c). early: the hostile VM stops (hart_stop, SRST) while the
 * victim still runs, which must run on to its end.
 */
static void run_hostile(const char *vmm, const char *victim, const char *hgroup, bool early)
{
	struct two_vm vms[2] = { { "victim", victim, "", NULL }, { "hostile", hgroup, "", NULL } };
	struct qemu *q = run_pack(vmm, vms);
	const char *out = qemu_output(q);

	expect_vm(q, out, &vms[0], hgroup, true, true);
	/* the hostile guest's own rows: what it could reach (nothing of the other) */
	expect_vm(q, out, &vms[1], victim, !early, false);
	if (early) {
		const char *stop = strstr(out, "vmm: guest hostile stopped");
		const char *done = strstr(out, "[victim] KIT DONE");
		cr_assert(stop && done && stop < done,
			  "expected the hostile VM to stop (group %s) while the victim still ran, and "
			  "the victim to run on to its KIT DONE: vmm_sched_vm_stopped (sched.c) must "
			  "take only the stopped VM's vCPUs out of the pool.\n%s", hgroup, qemu_tail(q, 20));
	} else {
		cr_assert(strstr(out, "[hostile] ?[victim] KIT CHECK forged"),
			  "expected the hostile guest's forged line behind its own prefix, its CR "
			  "shown as '?' (console_mux.c):\n%s", qemu_tail(q, 20));
		cr_assert(strstr(out, "[hostile] ?2K?1G[victim] KIT DONE 0 0 forged8bit"),
			  "expected the hostile guest's 8-bit CSI (0x9b: erase the line, column 1) "
			  "shown as '?' behind its own prefix: console_mux.c must show every byte that "
			  "is not printable ASCII as '?':\n%s", qemu_tail(q, 20));
	}
	expect_trap_log(q, strstr(vmm, "nested") != NULL, vms);
	qemu_stop(q);
}

#define TWO(name, left, right, sentence)                                                  \
	KIT_TEST(two_shadow, name, .description = sentence ", in shadow mode")           \
	{                                                                                 \
		run_two("build/lab03/vmm.bin", left, right);                              \
	}                                                                                 \
	KIT_TEST(two_nested, name, .description = sentence ", in nested mode")           \
	{                                                                                 \
		run_two("build/lab03/vmm-nested.bin", left, right);                       \
	}

TWO(hsm_beside_ipi, "hsm", "ipi",
    "two VMs of two vCPUs each run side by side, each with its own hart ids, HSM and IPIs, "
    "and each passes its own checks behind its own console prefix")
TWO(rfence_beside_timer, "rfence", "timer",
    "one VM's remote fences on its own page tables and the other's timers run side by side; "
    "the first to stop (SRST) stops only itself")

#define HOSTILE(name, victim, hgroup, early, sentence)                                    \
	KIT_TEST(two_shadow, name, .description = sentence ", in shadow mode")           \
	{                                                                                 \
		run_hostile("build/lab03/vmm.bin", victim, hgroup, early);                \
	}                                                                                 \
	KIT_TEST(two_nested, name, .description = sentence ", in nested mode")           \
	{                                                                                 \
		run_hostile("build/lab03/vmm-nested.bin", victim, hgroup, early);         \
	}

HOSTILE(hostile_neighbour_cannot_reach_or_forge, "hsm", "hostile", false,
	"a hostile VM that probes every address outside its RAM (the other VM's backing among "
	"them), names the other VM's harts in HSM, IPI and RFENCE, floods the console with "
	"forged victim lines and spins with interrupts off leaves the victim's checks passing "
	"and its console lines its own")
HOSTILE(hostile_hart_stop_stops_only_itself, "timer", "hostile_stop", true,
	"a hostile VM that stops its last hart stops itself only: the victim runs on to its end")
HOSTILE(hostile_srst_stops_only_itself, "timer", "hostile_srst", true,
	"a hostile VM's SRST stops itself only: the victim runs on to its end")

/*
 * Input to one guest at a time: two selftest VMs (group uart_in) each
 * wait for the line their own token gives; the test types the second's
 * after Ctrl-T (the input starts with the first), then Ctrl-T and the
 * first's. Each must read exactly its own line.
 */
static void run_input(const char *vmm)
{
	struct two_vm vms[2] = { { "first", "uart_in", "", TWO_SELFTEST },
				 { "second", "uart_in", "", TWO_SELFTEST } };
	char pack[256], line[2][16], typed[24];
	struct qemu *q = start_pack(vmm, vms, pack, sizeof pack);
	uart_in_line(vms[0].token, line[0]);
	uart_in_line(vms[1].token, line[1]);
	/* a starter's stub says so at once (todo.h), as in wait_pack */
	int ready = qemu_expect_or(q, "KIT INPUT ready", "vmm: TODO: ", TWO_RUN_MS);
	if (ready == 0)
		ready = qemu_expect_or(q, "KIT INPUT ready", "vmm: TODO: ", TWO_RUN_MS);
	const char *todo = ready == 1 ? strstr(qemu_output(q), "vmm: TODO: ") : NULL;
	cr_assert(ready != 1, "the VMM has a function still to write: '%.*s'.\n%s",
		  todo ? (int)strcspn(todo, "\r\n") : 0, todo ? todo : "", qemu_tail(q, 10));
	cr_assert(ready == 0, "expected both VMs' 'KIT INPUT ready' prompts:\n%s", qemu_tail(q, 15));
	snprintf(typed, sizeof typed, "\x14%s\r", line[1]);
	qemu_send(q, typed);
	cr_assert(qemu_expect(q, "vmm: console input goes to [second]", TWO_RUN_MS) == 0,
		  "expected 'vmm: console input goes to [second]' after Ctrl-T (console_mux.c):\n%s",
		  qemu_tail(q, 15));
	snprintf(typed, sizeof typed, "\x14%s\r", line[0]);
	qemu_send(q, typed);
	wait_pack(q, pack, vms);
	static char mine[65536];
	for (unsigned i = 0; i < 2; i++) {
		unsigned bare;
		lines_of(qemu_output(q), vms[i].name, mine, sizeof mine, &bare);
		uint64_t v[2] = { 12, kit_fnv1a(KIT_FNV64_OFFSET, line[i], 12) };
		char want[64];
		snprintf(want, sizeof want, "KIT CHECK uart_in ok %016llx\n",
			 (unsigned long long)kit_check_digest(vms[i].token, "uart_in", v, 2));
		cr_assert(strstr(mine, want),
			  "VM %s did not read exactly its own line %s (expected '%.*s' behind '[%s] '): "
			  "input goes to the focused guest only, Ctrl-T moves the focus "
			  "(console_mux.c: route_input, hw_console_getc).\nLast lines:\n%s",
			  vms[i].name, line[i], (int)strlen(want) - 1, want, vms[i].name, qemu_tail(q, 20));
	}
	qemu_stop(q);
}

KIT_TEST(two_shadow, input_goes_to_one_guest_and_ctrl_t_switches,
	 .description = "console input goes to one guest at a time and Ctrl-T gives it to the "
			"next, in shadow mode")
{
	run_input("build/lab03/vmm.bin");
}
KIT_TEST(two_nested, input_goes_to_one_guest_and_ctrl_t_switches,
	 .description = "console input goes to one guest at a time and Ctrl-T gives it to the "
			"next, in nested mode")
{
	run_input("build/lab03/vmm-nested.bin");
}

/*
 * A prompt: stock U-Boot (VM "uboot", focused) beside a selftest waiting
 * for its line. U-Boot's "=> " shows behind its prefix while it waits,
 * and the echo of what is typed continues that line ("[uboot] =>
 * version"), not a line of its own per 100 ms of typing. Then U-Boot's
 * reset stops it, Ctrl-T and the selftest's line end the other.
 */
#define TWO_UBOOT "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"	/* common/mk/qemu.mk */
static void run_prompt(const char *vmm)
{
	struct two_vm vms[2] = { { "uboot", "none", "", TWO_UBOOT }, { "second", "uart_in", "", TWO_SELFTEST } };
	char pack[256], line[16], typed[24];
	struct qemu *q = start_pack(vmm, vms, pack, sizeof pack);
	uart_in_line(vms[1].token, line);
	cr_assert(qemu_expect(q, "[uboot] Hit any key", TWO_RUN_MS) == 0,
		  "expected U-Boot's countdown, a line it leaves open while it waits for a key, behind its "
		  "prefix (console_mux.c: show):\n%s", qemu_tail(q, 15));
	qemu_send(q, "\r");
	cr_assert(qemu_expect(q, "[uboot] => ", TWO_RUN_MS) == 0,
		  "expected U-Boot's prompt '=> ' behind its prefix while it waits for input:\n%s", qemu_tail(q, 15));
	qemu_send(q, "version\r");
	cr_assert(qemu_expect(q, "U-Boot 20", TWO_RUN_MS) == 0, "expected U-Boot's version after 'version':\n%s",
		  qemu_tail(q, 15));
	cr_assert(strstr(qemu_output(q), "[uboot] => version\n"),
		  "expected the echo of what was typed on the prompt's own line, '[uboot] => version': a line "
		  "left open at a prompt continues until something else is written (console_mux.c: show, "
		  "end_open):\n%s", qemu_tail(q, 15));
	qemu_send(q, "reset\r");
	cr_assert(qemu_expect(q, "vmm: guest uboot stopped", TWO_RUN_MS) == 0,
		  "expected U-Boot's reset to stop its VM:\n%s", qemu_tail(q, 15));
	snprintf(typed, sizeof typed, "\x14%s\r", line);
	qemu_send(q, typed);
	wait_pack(q, pack, vms);
	qemu_stop(q);
}
KIT_TEST(two_shadow, prompt_line_stays_open_for_its_echo,
	 .description = "a focused guest's prompt shows while it waits, and what it echoes continues the "
			"prompt's line (stock U-Boot beside a selftest), in shadow mode")
{
	run_prompt("build/lab03/vmm.bin");
}
KIT_TEST(two_nested, prompt_line_stays_open_for_its_echo,
	 .description = "a focused guest's prompt shows while it waits, and what it echoes continues the "
			"prompt's line (stock U-Boot beside a selftest), in nested mode")
{
	run_prompt("build/lab03/vmm-nested.bin");
}

/*
 * A malformed pack (guest_pack.h) is refused with a message naming what is
 * wrong, and no guest runs: each bend below, with the line pack.c prints.
 */
static void bend_pack(struct guest_pack *h, unsigned c)
{
	switch (c) {
	case 0: h->count = 0; break;
	case 1: h->count = 0x80000001u; break;
	case 2: h->reserved = 1; break;
	case 3: h->e[1].size = 0; break;
	case 4: h->e[1].size += 1 << 20; break;			/* past the initrd's end */
	case 5: h->e[1].offset = ~0ULL - 8; h->e[1].size = 16; break;	/* a sum that wraps */
	case 6: h->e[0].offset = 0; break;			/* over the header */
	case 7: h->e[1].offset += 8; break;
	case 8: h->e[1].offset = h->e[0].offset; break;		/* the same bytes twice */
	case 9: h->e[1].offset = h->e[0].offset + GUEST_PACK_ALIGN; break;
	case 10: memset(h->e[1].name, 'A', sizeof h->e[1].name); break;	/* no NUL */
	case 11: h->e[0].name[0] = '\0'; break;
	case 12: strcpy(h->e[1].name, "a\033[2Kb"); break;
	case 13: memset(h->e[0].args, 'k', sizeof h->e[0].args); break;	/* bootargs too long */
	case 14: strcpy(h->e[1].name, "x] [left"); break;	/* "[x] [left] ..." */
	default: strcpy(h->e[1].name, h->e[0].name); break;
	}
}

static const char *const bent_says[] = {
	"images (1 to 2)", "images (1 to 2)", "reserved field is 0x1, not 0", "image 1 is empty",
	"image 1 is not within the pack", "image 1 is not within the pack",
	"image 0 is not within the pack", "image 1 does not start on a page",
	"image 1 overlaps an earlier image", "image 1 overlaps an earlier image",
	"image 1 has a name that is empty, not NUL", "image 0 has a name that is empty, not NUL",
	"image 1 has a name that is empty, not NUL", "image 0 has bootargs not NUL",
	"image 1 has a name with other characters",
	"image 1 has the name of an earlier image",
};

KIT_TEST(two_shadow, malformed_pack_is_refused_with_what_is_wrong,
	 .description = "a malformed guest pack (count 0 or huge, empty, past its end, wrapping, "
			"over its header, off a page, overlapping images, names without NUL, "
			"with control characters or with brackets, bootargs too long, two equal names) is refused "
			"with a message naming what is wrong, and no guest runs")
{
	for (unsigned c = 0; c < sizeof bent_says / sizeof bent_says[0]; c++) {
		struct two_vm vms[2] = { { "left", "base", "", NULL }, { "right", "base", "", NULL } };
		char pack[256], want[96];
		kit_token(vms[0].token);
		kit_token(vms[1].token);
		snprintf(pack, sizeof pack, "%s/kit-bent-%d.pack",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
		cr_assert(write_bent_pack(pack, vms, 2, bend_pack, c) == 0, "cannot write %s", pack);
		struct qemu_opts o = { .kernel = kit_path("build/lab03/vmm.bin"), .initrd = pack,
				       .extra = lab03_extra(LAB03_DISK_ALL) };
		struct qemu *q = access(o.kernel, R_OK) == 0 ? qemu_start(&o) : NULL;
		cr_assert_not_null(q, "could not start QEMU (make lab03-build): %s", qemu_error());
		int st = -1, exited = qemu_wait_exit(q, TWO_RUN_MS, &st);
		unlink(pack);
		snprintf(want, sizeof want, "vmm: guest pack: ");
		const char *out = qemu_output(q), *said = out ? strstr(out, want) : NULL;
		cr_assert(exited == 0 && said && strstr(said, bent_says[c]) && !strstr(out, "KIT "),
			  "bent pack %u: expected the VMM to refuse it with '%s...%s...' and run no guest "
			  "(vmm/pack.c checks every field of guest_pack.h before use):\n%s",
			  c, want, bent_says[c], qemu_tail(q, 10));
		qemu_stop(q);
	}
}

/*
 * Each VM its own disk (vmm/devices.c; vmm/lab03_map.h: VM n's image at
 * disk_backing_pa(n)). The kit's virtio guest runs in both VMs, packed by
 * the kit's own tool (tools/mkpack.c), group disk (guest/virtio/disk.c):
 * each reads its disk's header (the disk's number, kitdisk.h), writes its
 * own token into the scratch sector and holds (kit.hold=1), so that the
 * test reads both disks' host RAM copies through QEMU's monitor
 * (pmemsave) before anything powers off: each disk must be its image,
 * its scratch sector holding the token of its own VM only.
 */
#define DISK_GUEST "build/lab03/guest/virtio.bin"
#define MKPACK "build/lab03/mkpack"
#define DISK_BYTES (KIT_DISK_SECTORS * KIT_DISK_SECTOR_SIZE)
#define SCRATCH_AT ((size_t)KIT_DISK_SCRATCH * KIT_DISK_SECTOR_SIZE)

struct disk_vm {
	const char *name, *group;
	char token[KIT_TOKEN_LEN + 1];
};

static const char *tmpdir(void)
{
	return getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
}

/* Run the kit's pack tool on its arguments (kit names, paths, bootargs: no quotes in them);
 * its exit status, and what it printed into out. */
static int run_mkpack(const char *const *args, unsigned n, char *out, size_t size)
{
	char cmd[2048];
	size_t used = (size_t)snprintf(cmd, sizeof cmd, "'%s'", kit_path(MKPACK));
	for (unsigned i = 0; i < n && used < sizeof cmd; i++)
		used += (size_t)snprintf(cmd + used, sizeof cmd - used, " '%s'", args[i]);
	cr_assert(used + 8 < sizeof cmd && access(kit_path(MKPACK), X_OK) == 0,
		  "no %s, or its command line too long (make lab03-build)", MKPACK);
	strcat(cmd, " 2>&1");
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p, "cannot run %s", cmd);
	size_t got = fread(out, 1, size - 1, p);
	out[got] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The pack of the virtio guest twice, named name0 and name1 (mkpack renames a repeated one),
 * each with its token and group, the holding ones with kit.hold=1. */
static void mkpack_disks(const char *pack, const char *name0, const char *name1, struct disk_vm *vms)
{
	char args[2][160], out[1024];
	for (unsigned i = 0; i < 2; i++) {
		kit_token(vms[i].token);
		snprintf(args[i], sizeof args[i], "kit.token=%s kit.only=%s%s", vms[i].token, vms[i].group,
			 strcmp(vms[i].group, "disk") == 0 ? " kit.hold=1" : "");
	}
	char img[2][512];
	snprintf(img[0], sizeof img[0], "%s", kit_path(DISK_GUEST));
	snprintf(img[1], sizeof img[1], "%s", kit_path(DISK_GUEST));
	const char *argv[] = { pack, name0, img[0], args[0], name1, img[1], args[1] };
	int st = run_mkpack(argv, 7, out, sizeof out);
	cr_assert(st == 0, "mkpack %s %s %s ...: exit status %d: %s", pack, name0, name1, st, out);
}

static struct qemu *start_disks(const char *vmm, const char *pack, unsigned disks)
{
	struct qemu_opts o = { .kernel = kit_path(vmm), .initrd = pack, .extra = lab03_extra(disks),
			       .monitor = true };
	for (unsigned d = 0; d < LAB03_DISKS; d++)
		cr_assert(!(disks & (1u << d)) || access(kit_path(LAB03_DISK_IMG(d)), R_OK) == 0,
			  "no %s (make lab03-build)", LAB03_DISK_IMG(d));
	struct qemu *q = access(o.kernel, R_OK) == 0 ? qemu_start(&o) : NULL;
	cr_assert_not_null(q, "could not start QEMU (make lab03-build): %s", qemu_error());
	return disk_q = q;
}

/* Wait until each of want[0..n) is in the output, in any order. */
static bool wait_all(struct qemu *q, const char *const *want, unsigned n, int ms)
{
	for (int t = 0; t <= ms; t += 100) {
		unsigned seen = 0;
		for (unsigned i = 0; i < n; i++)
			seen += qemu_output(q) && strstr(qemu_output(q), want[i]) != NULL;
		if (seen == n)
			return true;
		if (qemu_exited(q))
			return false;
		qemu_expect(q, "\001(never printed)", 100);
	}
	return false;
}

/* The line "KIT CHECK name ok <digest>" of these values under token, into line. */
static void ok_line(char *line, size_t size, const char *token, const char *name, const uint64_t *v, size_t n)
{
	snprintf(line, size, KIT_CHECK_OK_FMT, name, (unsigned long long)kit_check_digest(token, name, v, n));
}

/* VM vm's group disk lines (disk.c) behind its prefix: it found disk number disk in slot 0, or
 * (disk < 0) an empty slot. */
static void expect_own_disk(struct qemu *q, const struct disk_vm *vm, unsigned vm_id, int disk)
{
	static char mine[65536];
	char want[128];
	unsigned bare;
	lines_of(qemu_output(q), vm->name, mine, sizeof mine, &bare);

	uint64_t slot[3] = { VG_MAGIC, 2, disk < 0 ? 0 : VG_DEVICE_ID_BLOCK };
	ok_line(want, sizeof want, vm->token, "disk_slot", slot, 3);
	if (!strstr(mine, want)) {
		uint64_t other[3] = { VG_MAGIC, 2, disk < 0 ? VG_DEVICE_ID_BLOCK : 0 };
		ok_line(want, sizeof want, vm->token, "disk_slot", other, 3);
		cr_assert_fail("VM %u (%s): %s: VM n's slot 0 is a block device (Device ID 2) when QEMU "
			       "loaded an image at disk_backing_pa(n) = %#lx, else empty (Device ID 0, "
			       "virtio 1.2, 4.2.2): vmm/devices.c, vm_add_lab_devices.\n%s",
			       vm_id, vm->name, strstr(mine, want) ? (disk < 0 ? "slot 0 holds a block device "
			       "although no image was loaded for it" : "slot 0 is empty although its image "
			       "was loaded") : "no 'KIT CHECK disk_slot ok ...' line with MagicValue, Version "
			       "2 and that Device ID", disk_backing_pa(vm_id), qemu_tail(q, 20));
	}
	if (disk < 0) {
		cr_assert(!strstr(mine, "KIT CHECK disk_id"), "VM %u (%s) read a disk from an empty slot:\n%s",
			  vm_id, vm->name, qemu_tail(q, 20));
		return;
	}
	uint64_t id[5] = { 0, 1, KIT_DISK_SECTORS, (uint64_t)disk, KIT_DISK_SECTOR_SIZE };
	ok_line(want, sizeof want, vm->token, "disk_id", id, 5);
	if (!strstr(mine, want)) {
		for (unsigned d = 0; d < LAB03_DISKS; d++) {
			id[3] = d;
			ok_line(want, sizeof want, vm->token, "disk_id", id, 5);
			cr_assert(!strstr(mine, want),
				  "VM %u (%s) read the header of disk %u (build/lab03/%s), not its own disk "
				  "%d's: VM n's block device must serve the image at disk_backing_pa(n) "
				  "(vmm/lab03_map.h; vmm/devices.c, vm_add_lab_devices).\n%s",
				  vm_id, vm->name, d, d ? "disk1.img" : "disk.img", disk, qemu_tail(q, 20));
		}
		cr_assert_fail("VM %u (%s): no 'KIT CHECK disk_id ok ...' line for disk %d (read status "
			       "0, the kit's magic, %u sectors, disk number %d, sector 5 the image's: "
			       "virtio_blk.c on the disk's RAM copy).\n%s", vm_id, vm->name, disk,
			       KIT_DISK_SECTORS, disk, qemu_tail(q, 20));
	}
	uint64_t wr[2] = { 0, KIT_DISK_SECTOR_SIZE };
	ok_line(want, sizeof want, vm->token, "disk_write", wr, 2);
	cr_assert(strstr(mine, want), "VM %u (%s): its scratch sector written with its token did not read "
		  "back (no 'KIT CHECK disk_write ok ...' line with status 0 and 512 bytes intact): "
		  "virtio_blk.c's OUT request.\n%s", vm_id, vm->name, qemu_tail(q, 20));
}

/* size bytes of host RAM at pa, read through QEMU's monitor (pmemsave), into buf. */
static void read_host(struct qemu *q, uint64_t pa, void *buf, size_t size)
{
	char path[256], cmd[400];
	snprintf(path, sizeof path, "%s/kit-pmem-%d.bin", tmpdir(), (int)getpid());
	/* quoted: HMP reads an unquoted "/" after the size as a division */
	snprintf(cmd, sizeof cmd, "pmemsave %#llx %zu \"%s\"", (unsigned long long)pa, size, path);
	cr_assert(qemu_monitor(q, cmd, 10000) == 0, "QEMU's monitor: %s", qemu_error());
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(buf, 1, size, f) : 0;
	if (f)
		fclose(f);
	unlink(path);
	cr_assert(got == size, "QEMU's monitor wrote %zu of %zu bytes of host %#llx into %s (%s):\n%s", got,
		  size, (unsigned long long)pa, path, cmd, qemu_tail(q, 10));
}

/* Does the scratch sector at s hold token's bytes (vg_disk_scratch_byte)? */
static bool scratch_of(const uint8_t *s, const char *token)
{
	for (unsigned i = 0; i < KIT_DISK_SECTOR_SIZE; i++)
		if (s[i] != vg_disk_scratch_byte(token, i))
			return false;
	return true;
}

/*
 * Disk n's host RAM copy after the run, VM owner's disk: its image (build/
 * lab03/disk.img, disk1.img) but for the scratch sector, which holds the
 * owner's token; other: the VM beside it.
 */
static void expect_disk_copy(struct qemu *q, unsigned n, const struct disk_vm *owner,
			     const struct disk_vm *other)
{
	static uint8_t img[DISK_BYTES], copy[DISK_BYTES];
	FILE *f = fopen(kit_path(LAB03_DISK_IMG(n)), "rb");
	size_t got = f ? fread(img, 1, sizeof img, f) : 0;
	if (f)
		fclose(f);
	cr_assert(got == sizeof img, "cannot read %s (make lab03-build)", LAB03_DISK_IMG(n));
	read_host(q, disk_backing_pa(n), copy, sizeof copy);

	unsigned changed = 0, first = 0;
	for (unsigned s = 0; s < KIT_DISK_SECTORS; s++)
		if (s != KIT_DISK_SCRATCH && memcmp(img + s * KIT_DISK_SECTOR_SIZE, copy + s * KIT_DISK_SECTOR_SIZE,
						    KIT_DISK_SECTOR_SIZE) != 0 && !changed++)
			first = s;
	cr_assert(changed == 0,
		  "disk %u (VM %s's, host %#lx): %u sectors other than the scratch sector differ from %s "
		  "after the run (the first: sector %u): a request reached this disk's copy outside what "
		  "its own VM wrote: virtio_blk.c (sector and length within the capacity, no product or "
		  "sum that wraps), virtq.c (every buffer in the VM's own RAM).\n%s",
		  n, owner->name, disk_backing_pa(n), changed, LAB03_DISK_IMG(n), first, qemu_tail(q, 10));
	const uint8_t *s = copy + SCRATCH_AT;
	cr_assert(!scratch_of(s, other->token),
		  "disk %u (VM %s's, host %#lx) holds VM %s's token in its scratch sector: VM %s's writes "
		  "reached the other VM's disk. VM n's block device must serve the image at "
		  "disk_backing_pa(n) only (vmm/devices.c, vm_add_lab_devices), and no request may read "
		  "from the other disk's host copy (virtq.c: every buffer in the VM's own RAM).\n%s",
		  n, owner->name, disk_backing_pa(n), other->name, other->name, qemu_tail(q, 10));
	cr_assert(scratch_of(s, owner->token),
		  "disk %u (VM %s's, host %#lx): its scratch sector does not hold VM %s's token (%s): "
		  "the VM's write never reached its own disk's host copy. VM n's block device must serve "
		  "the image at disk_backing_pa(n) (vmm/devices.c, vm_add_lab_devices).\n%s",
		  n, owner->name, disk_backing_pa(n), owner->name,
		  memcmp(s, img + SCRATCH_AT, KIT_DISK_SECTOR_SIZE) == 0 ? "it is the image's still"
		  : "it holds other bytes", qemu_tail(q, 10));
}

static void vmm_disk_line(struct qemu *q, unsigned vm, bool loaded)
{
	char want[96];
	if (loaded)
		snprintf(want, sizeof want, "vmm: virtio-blk: VM %u's disk, %u sectors", vm, KIT_DISK_SECTORS);
	else
		snprintf(want, sizeof want, "vmm: virtio-blk: VM %u's disk: none at host %#lx", vm,
			 disk_backing_pa(vm));
	cr_assert(strstr(qemu_output(q), want), "expected the VMM's line '%s...' (vmm/devices.c):\n%s",
		  want, qemu_tail(q, 30));
}

/* Both VMs run group disk, with the disk images of bits disks loaded. */
static void run_own_disks(const char *vmm, unsigned disks)
{
	struct disk_vm vms[2] = { { "virtio", "disk", "" }, { "virtio.1", "disk", "" } };
	char pack[256];
	snprintf(pack, sizeof pack, "%s/kit-disks-%d.pack", tmpdir(), (int)getpid());
	/* the same kit guest twice: mkpack names the second virtio.1 */
	mkpack_disks(pack, "virtio", "virtio", vms);
	struct qemu *q = start_disks(vmm, pack, disks);
	static const char *const held[] = { "[virtio] KIT HOLD", "[virtio.1] KIT HOLD" };
	bool both = wait_all(q, held, 2, TWO_RUN_MS);
	unlink(pack);
	cr_assert(both, "expected both VMs of the pack ('[virtio] ', '[virtio.1] ': mkpack's name for "
		  "the repeated guest) to reach 'KIT HOLD' after group disk:\n%s", qemu_tail(q, 30));
	for (unsigned i = 0; i < 2; i++) {
		bool loaded = disks & (1u << i);
		vmm_disk_line(q, i, loaded);
		expect_own_disk(q, &vms[i], i, loaded ? (int)i : -1);
	}
	cr_assert_eq(qemu_monitor(q, "stop", 10000), 0, "QEMU's monitor: %s", qemu_error());
	for (unsigned i = 0; i < 2; i++)
		if (disks & (1u << i))
			expect_disk_copy(q, i, &vms[i], &vms[1 - i]);
	stop_disk_q();
}

#define OWN_DISKS(name, disks, sentence)                                                  \
	KIT_TEST(two_shadow, name, .description = sentence ", in shadow mode")           \
	{                                                                                 \
		run_own_disks("build/lab03/vmm.bin", disks);                              \
	}                                                                                 \
	KIT_TEST(two_nested, name, .description = sentence ", in nested mode")           \
	{                                                                                 \
		run_own_disks("build/lab03/vmm-nested.bin", disks);                       \
	}

OWN_DISKS(each_vm_reads_and_writes_its_own_disk, LAB03_DISK_ALL,
	  "the same kit guest packed twice (virtio, virtio.1) runs as two VMs, each reading its own disk "
	  "(disk number 0 or 1 in the header) and writing its token into its own disk's scratch "
	  "sector only; both disks' host copies, read through QEMU's monitor, are their images but "
	  "for that sector")
OWN_DISKS(vm_without_its_disk_image_sees_an_empty_slot, 1u << 0,
	  "with only VM 0's disk image loaded, VM 1's slot 0 is empty (Device ID 0) and VM 0 still "
	  "reads and writes its own disk")

/*
 * A hostile VM beside a victim (group disk_hostile, guest/virtio/disk.c):
 * its own disk's checks, then requests whose buffers lie at the other
 * disk's host copy and the other VM's RAM (guest-physical addresses
 * outside its own RAM), writes at sectors past its disk that would reach
 * the disk above or (wrapping) below, rings at the disks' copies: each
 * the device's error answer (checks.h). After the run, from outside: the
 * victim's disk is its image but for the victim's own token, the
 * hostile's disk its image but for its own token, and neither VM's RAM
 * begins with the sector the IN requests would have copied there.
 */
static void run_disk_hostile(const char *vmm, unsigned hostile_id)
{
	/* in the pack's order: VM 0, VM 1 */
	struct disk_vm vms[2];
	unsigned victim_id = 1 - hostile_id;
	vms[victim_id] = (struct disk_vm){ "victim", "disk", "" };
	vms[hostile_id] = (struct disk_vm){ "hostile", "disk_hostile", "" };
	const struct disk_vm *victim = &vms[victim_id], *hostile = &vms[hostile_id];
	char pack[256];
	snprintf(pack, sizeof pack, "%s/kit-disks-%d.pack", tmpdir(), (int)getpid());
	mkpack_disks(pack, vms[0].name, vms[1].name, vms);
	struct qemu *q = start_disks(vmm, pack, LAB03_DISK_ALL);
	static const char *const ends[] = { "[victim] KIT HOLD", "vmm: guest hostile stopped" };
	bool both = wait_all(q, ends, 2, TWO_RUN_MS);
	unlink(pack);
	cr_assert(both, "expected the victim (VM %u) to reach 'KIT HOLD' after group disk and the hostile "
		  "VM (VM %u) to stop on its own after group disk_hostile:\n%s", victim_id, hostile_id,
		  qemu_tail(q, 30));
	for (unsigned i = 0; i < 2; i++)
		vmm_disk_line(q, i, true);
	expect_own_disk(q, victim, victim_id, (int)victim_id);
	expect_own_disk(q, hostile, hostile_id, (int)hostile_id);

	static char mine[65536], msg[8192];
	unsigned bare, rows = 0;
	lines_of(qemu_output(q), hostile->name, mine, sizeof mine, &bare);
	msg[0] = '\0';
	unsigned bad = kit_expect_checks(mine, hostile->token, virtio_checks, VIRTIO_NCHECKS, "disk_hostile",
					 &rows, msg, sizeof msg);
	cr_assert(rows > 0 && bad == 0,
		  "the hostile VM (VM %u): %u of %u requests aimed at the other VM's disk copy and RAM "
		  "did not get the device's error answer:\n%sWhere to look: virtio_blk.c (sector and "
		  "length within the capacity, no product or sum that wraps), virtq.c (every buffer and "
		  "ring in the VM's own RAM: gmem), vmm/devices.c (VM n's device on disk n).\n%s",
		  hostile_id, bad, rows, msg, qemu_tail(q, 20));

	cr_assert_eq(qemu_monitor(q, "stop", 10000), 0, "QEMU's monitor: %s", qemu_error());
	expect_disk_copy(q, victim_id, victim, hostile);
	expect_disk_copy(q, hostile_id, hostile, victim);
	/* the IN requests at either VM's RAM backing would have put sector 1 there */
	for (unsigned i = 0; i < 2; i++) {
		uint8_t ram[KIT_DISK_SECTOR_SIZE];
		unsigned same = 0;
		read_host(q, i ? VM1_BACKING_PA : VM0_BACKING_PA, ram, sizeof ram);
		for (unsigned b = 0; b < sizeof ram; b++)
			same += ram[b] == kit_disk_byte(1, b);
		cr_assert(same < sizeof ram,
			  "VM %u's RAM (host %#lx) begins with the disk's sector 1: the hostile VM's IN "
			  "request with its buffer at that host address was served into host RAM. A "
			  "descriptor's address is guest-physical: outside the VM's own RAM it is an "
			  "error (virtq.c, gmem).\n%s", i, i ? VM1_BACKING_PA : VM0_BACKING_PA,
			  qemu_tail(q, 10));
	}
	stop_disk_q();
}

#define DISK_HOSTILE(name, hostile_id, sentence)                                          \
	KIT_TEST(two_shadow, name, .description = sentence ", in shadow mode")           \
	{                                                                                 \
		run_disk_hostile("build/lab03/vmm.bin", hostile_id);                      \
	}                                                                                 \
	KIT_TEST(two_nested, name, .description = sentence ", in nested mode")           \
	{                                                                                 \
		run_disk_hostile("build/lab03/vmm-nested.bin", hostile_id);               \
	}

DISK_HOSTILE(hostile_vm1_reaches_neither_vm0_disk_nor_its_ram, 1,
	     "a hostile VM 1 that aims virtio-blk requests at VM 0's disk copy and RAM (buffers at "
	     "their host addresses, sectors past its own disk, rings there) gets the device's error "
	     "answers, and VM 0's disk, read through QEMU's monitor, holds only VM 0's own write")
DISK_HOSTILE(hostile_vm0_reaches_neither_vm1_disk_nor_its_ram, 0,
	     "a hostile VM 0 that aims virtio-blk requests at VM 1's disk copy and RAM gets the "
	     "device's error answers, and VM 1's disk, read through QEMU's monitor, holds only "
	     "VM 1's own write")

/*
 * The pack tool (tools/mkpack.c) and a guest named twice: the second
 * becomes NAME.1 (pack.c refuses two equal names: the console prefix
 * must say one VM), a name too long for that suffix is refused.
 */
KIT_TEST(two_shadow, mkpack_names_a_repeated_guest_apart,
	 .description = "the pack tool names the second of two guests of one name NAME.1 (GUESTS=\"virtio "
			"virtio\" packs virtio and virtio.1) and refuses a repeated name with no room for "
			"the suffix")
{
	char pack[256], out[1024], img[512];
	snprintf(pack, sizeof pack, "%s/kit-names-%d.pack", tmpdir(), (int)getpid());
	snprintf(img, sizeof img, "%s", kit_path(DISK_GUEST));
	static const struct {
		const char *name, *second;	/* NULL: refused */
	} cases[] = {
		{ "virtio", "virtio.1" },
		{ "abcdefghijklm", "abcdefghijklm.1" },	/* 13 + 2 = 15 characters */
		{ "abcdefghijklmn", NULL },
	};
	for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const char *argv[] = { pack, cases[c].name, img, "", cases[c].name, img, "" };
		unlink(pack);
		int st = run_mkpack(argv, 7, out, sizeof out);
		if (!cases[c].second) {
			cr_assert(st == 1 && strstr(out, "at most 13 characters") && access(pack, F_OK) != 0,
				  "mkpack with %s twice: expected it refused (status 1, 'a name of at most 13 "
				  "characters when it repeats ...'), no pack; got status %d: %s", cases[c].name,
				  st, out);
			continue;
		}
		struct guest_pack h;
		FILE *f = st == 0 ? fopen(pack, "rb") : NULL;
		size_t got = f ? fread(&h, sizeof h, 1, f) : 0;
		if (f)
			fclose(f);
		unlink(pack);
		cr_assert(got == 1 && h.count == 2 && strcmp(h.e[0].name, cases[c].name) == 0 &&
			  strcmp(h.e[1].name, cases[c].second) == 0 && strstr(out, cases[c].second),
			  "mkpack with %s twice: expected the images named %s and %s (tools/mkpack.c "
			  "renames a repeated name: vmm/pack.c refuses two equal ones) and a note saying "
			  "so; got status %d, names '%s', '%s': %s", cases[c].name, cases[c].name,
			  cases[c].second, st, got ? h.e[0].name : "-", got ? h.e[1].name : "-", out);
	}
}

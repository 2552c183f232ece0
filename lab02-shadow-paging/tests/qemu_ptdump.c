/*
 * qemu_ptdump.c: make ptdump (common/scripts/ptdump.sh, kit_ptdump.py) on
 * the paging guest under lab02's VMM. Stopped in proc_trap, the first
 * yield of group procs, the guest runs on process 1's table, which
 * proc.c and pt.c build: the kernel's two global 1 GiB leaves and the user
 * code and data pages. The DOT's mappings must be exactly those, with the
 * flags the guest's source gives them, and the shadow must hold what the
 * guest touched since: its two user pages in the user view and proc_trap's
 * own page in the kernel view, each at guest RAM's backing (vmm_map.h).
 * Then the errors: an unknown symbol, paging off, an AT never reached.
 */
#include "ptdump_run.h"

TestSuite(ptdump, .timeout = 120);

KIT_TEST(ptdump, paging_guest_table_and_shadow_match_what_the_guest_maps,
	 .description = "ptdump at proc_trap (group procs) draws process 1's Sv39 table as proc.c "
			"and pt.c build it and the shadow leaves of the pages the guest touched, each "
			"at guest RAM's backing with the permissions the guest's table grants")
{
	need_build();
	struct dump *d = ptdump("proc_trap", "kit.token=0123abcd kit.only=procs");
	cr_assert_eq(d->status, 0, "make ptdump AT=proc_trap failed:\n%s", d->out);
	cr_assert(strstr(d->out, ".svg (and "), "expected the SVG's path in the output:\n%s", d->out);

	/* pt_new_root: identity and high 1 GiB leaves, PTE_KERNEL (paging.h) */
	const uint64_t kernel = PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D;
	const uint64_t vas[] = { RAM_GIB_VA, KERNEL_HIGH_VA };
	for (unsigned i = 0; i < 2; i++) {
		const struct map *m = find(d, "guest", vas[i]);
		cr_assert(m && m->va == vas[i] && m->level == 2 && m->pa == RAM_GIB_VA && m->flags == kernel,
			  "guest va 0x%lx: expected a 1 GiB leaf to gpa 0x%lx, flags 0x%lx (pt_new_root); "
			  "got %s level %u gpa 0x%lx flags 0x%lx", vas[i], RAM_GIB_VA, kernel,
			  m ? "a leaf at" : "none", m ? m->level : 0, m ? m->pa : 0, m ? m->flags : 0);
	}
	/* proc_map_user: the code page U|R|X|A at user_code_start, the data page U|R|W|A|D */
	const struct map *code = find(d, "guest", USER_CODE_VA);
	uint64_t code_gpa = guest_symbol("user_code_start");
	cr_assert(code && code->level == 0 && code->pages == 1 && code->pa == code_gpa &&
		  code->flags == (PTE_V | PTE_U | PTE_R | PTE_X | PTE_A),
		  "guest va 0x%lx: expected a 4 KiB leaf to gpa 0x%lx (user_code_start), flags VR-XU-A-; "
		  "got gpa 0x%lx flags 0x%lx", USER_CODE_VA, code_gpa, code ? code->pa : 0,
		  code ? code->flags : 0);
	const struct map *data = find(d, "guest", USER_DATA_VA);
	cr_assert(data && data->level == 0 && data->pages == 1 &&
		  data->flags == (PTE_V | PTE_U | PTE_R | PTE_W | PTE_A | PTE_D) &&
		  data->pa >= GUEST_RAM_GPA && data->pa < GUEST_RAM_GPA + GUEST_RAM_SIZE,
		  "guest va 0x%lx: expected a 4 KiB leaf in guest RAM, flags VRW-U-AD (PTE_USER_RW); "
		  "got gpa 0x%lx flags 0x%lx", USER_DATA_VA, data ? data->pa : 0, data ? data->flags : 0);
	cr_assert_eq(count(d, "guest"), 4, "expected exactly 4 guest leaves (two kernel, code, data), "
		     "got %u: the tool found mappings the guest never made", count(d, "guest"));

	/* the user view: u_count fetched its code and stored to its data page */
	const struct map *scode = find(d, "shadow-user", USER_CODE_VA);
	cr_assert(scode && scode->va == USER_CODE_VA && scode->pa == backing(code_gpa) &&
		  (scode->flags & (PTE_V | PTE_U | PTE_R | PTE_X)) == (PTE_V | PTE_U | PTE_R | PTE_X) &&
		  !(scode->flags & PTE_W) && scode->from == 0 && !scode->mismatch,
		  "shadow user view, va 0x%lx: expected host pa 0x%lx (guest RAM's backing of gpa 0x%lx) "
		  "U R X without W, from a 4 KiB guest leaf; got %s pa 0x%lx flags 0x%lx",
		  USER_CODE_VA, backing(code_gpa), code_gpa, scode ? "a leaf," : "none,",
		  scode ? scode->pa : 0, scode ? scode->flags : 0);
	const struct map *sdata = find(d, "shadow-user", USER_DATA_VA);
	cr_assert(sdata && sdata->pa == backing(data->pa) &&
		  (sdata->flags & (PTE_U | PTE_R | PTE_W)) == (PTE_U | PTE_R | PTE_W) &&
		  !(sdata->flags & PTE_X) && !sdata->mismatch,
		  "shadow user view, va 0x%lx: expected host pa 0x%lx, U R W (D is set: the store "
		  "went through) without X; got %s pa 0x%lx flags 0x%lx", USER_DATA_VA,
		  backing(data->pa), sdata ? "a leaf," : "none,", sdata ? sdata->pa : 0,
		  sdata ? sdata->flags : 0);
	cr_assert_eq(count(d, "shadow-user"), 2, "the user view must hold only the two pages the "
		     "user program touched, got %u runs", count(d, "shadow-user"));

	/* the kernel view: the guest stopped at proc_trap, so its page is mapped executable */
	uint64_t pt = guest_symbol("proc_trap");
	const struct map *sk = find(d, "shadow-kernel", pt);
	cr_assert(sk && sk->pa + (pt & ~(PAGE_SIZE - 1)) - sk->va == backing(pt & ~(PAGE_SIZE - 1)) &&
		  (sk->flags & (PTE_X | PTE_G)) == (PTE_X | PTE_G) && sk->from == 2,
		  "shadow kernel view: expected proc_trap's page (va 0x%lx, where the guest runs) at host "
		  "pa 0x%lx, X and G, from the guest's 1 GiB leaf; got %s", pt & ~(PAGE_SIZE - 1),
		  backing(pt & ~(PAGE_SIZE - 1)), sk ? "another mapping" : "none");
	for (unsigned i = 0; i < d->n; i++) {
		const struct map *m = &d->maps[i];
		cr_assert(!m->mismatch && (strcmp(m->kind, "shadow-kernel") != 0 ||
					   (m->va >= RAM_GIB_VA && m->pa == backing(m->va))),
			  "%s va 0x%lx -> host 0x%lx: every kernel-view leaf must come from the identity "
			  "GiB, at its backing 0x%lx", m->kind, m->va, m->pa, backing(m->va));
	}
	cr_assert(strstr(d->out, "in use: the kernel view"),
		  "the guest kernel runs at proc_trap: expected the kernel view in use:\n%s", d->out);
	dump_free(d);
}

/* ptdump at `at` must fail, print `message` and draw nothing. */
static void expect_failure(const char *at, const char *bootargs, const char *message)
{
	need_build();
	struct dump *d = ptdump(at, bootargs);
	cr_assert(d->status != 0 && strstr(d->out, message) && !strstr(d->out, ".svg"),
		  "AT=%s: expected a failure '%s' and no SVG, got status %d:\n%s", at, message,
		  d->status, d->out);
	dump_free(d);
}

KIT_TEST(ptdump, an_unknown_symbol_is_refused_by_name,
	 .description = "AT=<a name in neither ELF> stops with an error naming it, before any run")
{
	expect_failure("no_such_function", "kit.token=0123abcd", "AT=no_such_function: no such symbol");
}

KIT_TEST(ptdump, a_data_symbol_is_refused_as_data,
	 .description = "AT=<a variable> (pg_magic) stops with an error saying it is data, not "
			"code, instead of running the guest to its end")
{
	expect_failure("pg_magic", "kit.token=0123abcd", "AT=pg_magic is data, not code");
}

KIT_TEST(ptdump, a_number_of_exits_past_gdbs_range_is_refused,
	 .description = "AT=99999999999999999999 stops with an error giving the largest number of "
			"exits, not a Python traceback")
{
	expect_failure("99999999999999999999", "kit.token=0123abcd", "at most 2147483647 exits");
}

KIT_TEST(ptdump, paging_off_is_said_not_drawn,
	 .description = "AT=kmain (satp still Bare) stops with 'paging is off' and draws nothing")
{
	expect_failure("kmain", "kit.token=0123abcd", "paging is off");
}

KIT_TEST(ptdump, an_AT_the_guest_never_reaches_says_so,
	 .description = "AT=group_bench with kit.only=procs: the VM ends first, and ptdump says "
			"AT was never reached")
{
	expect_failure("group_bench", "kit.token=0123abcd kit.only=procs",
		       "AT=group_bench was never reached: the VM ended first");
}

KIT_TEST(ptdump, a_number_stops_at_that_exit_of_the_vmm,
	 .description = "AT=300 stops in vcpu_handle_exit with 299 exits counted before it")
{
	need_build();
	struct dump *d = ptdump("300", "kit.token=0123abcd");
	cr_assert(d->status == 0 && strstr(d->out, "stopped at the VMM's exit 300 (299 handled before)"),
		  "expected 'stopped at the VMM's exit 300 (299 handled before)', got status %d:\n%s",
		  d->status, d->out);
	dump_free(d);
}

/* Linux 6.1 links its kernel at KERNEL_LINK_ADDR and runs it where it was
 * loaded (arch/riscv/mm/init.c, kernel_map): VA - KERNEL_LINK_ADDR + load. */
#define LINUX_KERNEL_LINK_ADDR 0xffffffff80000000UL
/* the kit's init: a static nolibc ELF linked at 0x10000 (guest/linux/init.c) */
#define LINUX_INIT_TEXT 0x10000UL

KIT_TEST(ptdump, linux_kernel_text_and_init_are_shadowed_where_linux_maps_them,
	 .description = "ptdump of Linux at __do_sys_reboot (init powering off): the guest table maps "
			"the kernel text at its load address, the kernel view holds the page the guest "
			"runs in at its backing, the user view init's code page")
{
	struct dump *d = ptdump_guest("linux", LINUX_IMAGE, LINUX_VMLINUX, "__do_sys_reboot",
				      "console=ttyS0 quiet");
	cr_assert_eq(d->status, 0, "make ptdump GUEST=linux AT=__do_sys_reboot failed:\n%s", d->out);
	uint64_t va = elf_symbol(LINUX_VMLINUX, "__do_sys_reboot") & ~(PAGE_SIZE - 1);
	uint64_t gpa = va - LINUX_KERNEL_LINK_ADDR + GUEST_LOAD_GPA;
	const struct map *g = find(d, "guest", va);
	cr_assert(g && g->pa + (va - g->va) == gpa && (g->flags & (PTE_X | PTE_U)) == PTE_X,
		  "guest va 0x%lx (__do_sys_reboot's page): expected gpa 0x%lx, X, not U; got %s "
		  "gpa 0x%lx flags 0x%lx", va, gpa, g ? "a leaf," : "none,", g ? g->pa + (va - g->va) : 0,
		  g ? g->flags : 0);
	const struct map *s = find(d, "shadow-kernel", va);
	cr_assert(s && s->pa + (va - s->va) == backing(gpa) && (s->flags & PTE_X) && s->from == g->level &&
		  !s->mismatch,
		  "shadow kernel view, va 0x%lx: expected host pa 0x%lx with X, from the guest's level-%u "
		  "leaf; got %s pa 0x%lx flags 0x%lx", va, backing(gpa), g->level, s ? "a leaf," : "none,",
		  s ? s->pa + (va - s->va) : 0, s ? s->flags : 0);
	const struct map *gi = find(d, "guest", LINUX_INIT_TEXT), *si = find(d, "shadow-user", LINUX_INIT_TEXT);
	cr_assert(gi && si && (gi->flags & (PTE_U | PTE_X)) == (PTE_U | PTE_X) &&
		  si->pa + (LINUX_INIT_TEXT - si->va) == backing(gi->pa + (LINUX_INIT_TEXT - gi->va)) &&
		  (si->flags & PTE_X),
		  "init's code page 0x%lx: expected a U X guest leaf and the user view's leaf at its "
		  "backing; got guest %s, shadow %s", LINUX_INIT_TEXT, gi ? "a leaf" : "none",
		  si ? "a leaf" : "none");
	dump_free(d);
}

/*
 * Linux 6.1 in nested mode: vsatp is QEMU 7.2's WARL satp, which has
 * Sv57, and Linux takes the widest mode that sticks (arch/riscv/mm/init.c,
 * set_satp_mode): the guest table drawn must be Sv57's five levels, and
 * the kernel text where vmlinux's symbols and the load address put it.
 */
KIT_TEST(ptdump, linux_in_nested_mode_is_drawn_as_its_sv57_table_over_the_gstage,
	 .description = "ptdump MODE=nested of Linux at __do_sys_reboot: the guest's Sv57 table maps "
			"the kernel text at its load address, and the G-stage maps that page to its backing")
{
	struct dump *d = ptdump_in("nested", "linux", LINUX_IMAGE, LINUX_VMLINUX, "__do_sys_reboot",
				   "console=ttyS0 quiet");
	cr_assert_eq(d->status, 0, "make ptdump MODE=nested GUEST=linux AT=__do_sys_reboot failed "
		     "(an Sv57 guest table must be drawn, not called paging off: kit_ptdump.py "
		     "walk_guest):\n%s", d->out);
	cr_assert_eq(d->guest_sv, 57, "expected the guest table drawn as Sv57 (vsatp MODE 10: Linux "
		     "on QEMU 7.2's satp), got Sv%u; fix kit_ptdump.py's levels by satp.MODE",
		     d->guest_sv);
	uint64_t va = elf_symbol(LINUX_VMLINUX, "__do_sys_reboot") & ~(PAGE_SIZE - 1);
	uint64_t gpa = va - LINUX_KERNEL_LINK_ADDR + GUEST_LOAD_GPA;
	const struct map *g = find(d, "guest", va);
	cr_assert(g && g->pa + (va - g->va) == gpa && (g->flags & (PTE_X | PTE_U)) == PTE_X,
		  "guest va 0x%lx (__do_sys_reboot's page, from vmlinux): expected gpa 0x%lx, X, not "
		  "U; got %s gpa 0x%lx flags 0x%lx (the Sv57 walk: 5 levels, VA bits 56:0)", va, gpa,
		  g ? "a leaf," : "none,", g ? g->pa + (va - g->va) : 0, g ? g->flags : 0);
	const struct map *s = find(d, "gstage", gpa);
	cr_assert(s && s->pa + (gpa - s->va) == backing(gpa) && (s->flags & PTE_X) && !s->outside,
		  "G-stage, gpa 0x%lx: expected host pa 0x%lx with X; got %s pa 0x%lx flags 0x%lx",
		  gpa, backing(gpa), s ? "a leaf," : "none,", s ? s->pa + (gpa - s->va) : 0,
		  s ? s->flags : 0);
	cr_assert_eq(count(d, "shadow-kernel") + count(d, "shadow-user"), 0,
		     "nested mode has no shadow tables, yet the dump drew %u shadow leaves",
		     count(d, "shadow-kernel") + count(d, "shadow-user"));
	dump_free(d);
}

/*
 * The G-stage reader (MODE=nested) against a table this test builds by the
 * spec (priv 1.12, 8.5.1: Sv39x4, a 16 KiB root of 2048 entries indexed by
 * GPA bits 40:30, then Sv39's levels; leaves with U), written into host RAM
 * the VMM does not use (the staging area's end) with hgatp and vsatp set
 * through gdb on a hart with the H extension. The shadow VMM runs there
 * unchanged; the kit's nested VMM will set hgatp itself.
 */
#define GS_ROOT (STAGE_PA + STAGE_SIZE - 0x10000)	/* 16 KiB aligned (8.2.10) */
#define GS_L1   (GS_ROOT + 0x4000)
#define GS_L0   (GS_ROOT + 0x5000)
#define GS_FAR_INDEX 1500UL		/* a root index only an 11-bit index reaches */
#define GS_FAR_PA 0xc0000000UL		/* not guest RAM's backing: must be flagged */
#define GS_PTE(pa, flags) (PTE_PPN(pa) | (flags) | PTE_V)

static struct qemu *gq;

static void gq_stop(void)
{
	qemu_stop(gq);
	gq = NULL;
}

/* The paging guest (group procs) under the VMM, stopped for gdb, in gq;
 * extra: more QEMU arguments or NULL. dot: a fresh file name for kit-ptdump. */
static void start_for_gdb(const char *const *extra, char *dot)
{
	struct qemu_opts o;
	need_build();
	qemu_lab_opts(&o, "lab02", kit_path("build/lab02/guest/paging.bin"), "kit.token=0123abcd kit.only=procs");
	o.extra = extra;
	o.gdb_port = QEMU_GDB_AUTO;
	o.gdb_wait = true;
	gq = qemu_start(&o);
	cr_assert_not_null(gq, "%s", qemu_error());
	int fd = mkstemp(dot);
	cr_assert_geq(fd, 0, "mkstemp %s failed", dot);
	close(fd);
}

KIT_TEST(ptdump, gstage_reader_draws_an_sv39x4_table_built_by_the_spec, .fini = gq_stop,
	 .description = "kit-ptdump FILE nested walks hgatp's Sv39x4 table: a 2 MiB and a 4 KiB leaf "
			"under root entry 2, a 1 GiB leaf at root entry 1500, flagged as not guest RAM")
{
	const char *vmm_elf = kit_path("build/lab02/vmm.elf");
	static const char *const hcpu[] = { "-cpu", "rv64,h=true", NULL };
	char dot[] = "/tmp/kit-ptdump-gstage-XXXXXX";
	start_for_gdb(hcpu, dot);
	const uint64_t rwxu = PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;
	char steps[4096];
	snprintf(steps, sizeof steps,
		 "source %s\n"
		 "break vmm_main\ncontinue\ndelete\n"
		 "break shadow_install\ncontinue\ndelete\n"
		 "python\n"
		 "import gdb\n"
		 "def w(pa, v): gdb.selected_inferior().write_memory(pa, v.to_bytes(8, 'little'))\n"
		 "with Phys():\n"
		 "    for pa in range(0x%lx, 0x%lx, 4096): gdb.selected_inferior().write_memory(pa, bytes(4096))\n"
		 "    w(0x%lx + 2 * 8, 0x%lx)\n"		/* root[2] -> L1 */
		 "    w(0x%lx + %lu * 8, 0x%lx)\n"		/* root[1500]: 1 GiB leaf */
		 "    w(0x%lx + 0 * 8, 0x%lx)\n"		/* L1[0]: 2 MiB leaf */
		 "    w(0x%lx + 2 * 8, 0x%lx)\n"		/* L1[2] -> L0 */
		 "    w(0x%lx + 0 * 8, 0x%lx)\n"		/* L0[0]: 4 KiB leaf */
		 "    satp = int(vmm_value(lookup('vcpu0'))['satp'])\n"
		 "gdb.execute('set $vsatp = %%d' %% satp)\n"
		 "gdb.execute('set $hgatp = 0x%lx')\n"
		 "end\n"
		 "kit-ptdump %s nested\n",
		 kit_path("common/scripts/kit_ptdump.py"), GS_ROOT, GS_L0 + PAGE_SIZE,
		 GS_ROOT, GS_PTE(GS_L1, 0UL), GS_ROOT, GS_FAR_INDEX, GS_PTE(GS_FAR_PA, PTE_R | PTE_U | PTE_A),
		 GS_L1, GS_PTE(GUEST_BACKING_PA, rwxu), GS_L1, GS_PTE(GS_L0, 0UL),
		 GS_L0, GS_PTE(GUEST_BACKING_PA + 0x400000, rwxu & ~PTE_X),
		 (8UL << 60) | (1UL << 44) | (GS_ROOT >> PAGE_SHIFT), dot);
	char *out = kit_gdb_batch(gq, vmm_elf, PAGING_ELF, steps, 60);

	struct dump d = { 0 };
	d.out = out;
	snprintf(d.dot, sizeof d.dot, "%s", dot);
	read_maps(&d);
	unlink(dot);
	static const struct { uint64_t gpa, pa, pages; unsigned level; uint64_t flags; const char *what; } want[] = {
		{ 0x80000000UL, GUEST_BACKING_PA, 512, 1, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D,
		  "L1[0], a 2 MiB leaf" },
		{ 0x80400000UL, GUEST_BACKING_PA + 0x400000, 1, 0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D,
		  "L0[0] under L1[2], a 4 KiB leaf" },
		{ GS_FAR_INDEX << 30, GS_FAR_PA, 1UL << 18, 2, PTE_V | PTE_R | PTE_U | PTE_A,
		  "root[1500], a 1 GiB leaf" },
	};
	cr_assert_eq(count(&d, "gstage"), 3, "expected the G-stage's 3 leaves, got %u:\n%s",
		     count(&d, "gstage"), out);
	for (unsigned i = 0; i < 3; i++) {
		const struct map *m = find(&d, "gstage", want[i].gpa);
		cr_assert(m && m->va == want[i].gpa && m->pa == want[i].pa && m->pages == want[i].pages &&
			  m->level == want[i].level && m->flags == want[i].flags &&
			  m->outside == (want[i].pa == GS_FAR_PA),
			  "G-stage %s: expected gpa 0x%lx -> host 0x%lx, %lu pages, level %u, flags 0x%lx "
			  "(flagged outside guest RAM's backing if not 0x%lx..); got %s gpa 0x%lx -> 0x%lx, %lu pages, level %u, flags 0x%lx", want[i].what,
			  want[i].gpa, want[i].pa, want[i].pages, want[i].level, want[i].flags,
			  GUEST_BACKING_PA, m ? "" : "none:", m ? m->va : 0, m ? m->pa : 0, m ? m->pages : 0, m ? m->level : 0,
			  m ? m->flags : 0);
	}
	cr_assert(strstr(out, "maps 262657 4 KiB pages in 3 runs"),
		  "expected the summary 'maps 262657 4 KiB pages in 3 runs':\n%s", out);
	free(out);
}

/*
 * The guest writes the tables ptdump walks: a root whose every entry points
 * at the root itself names 1 + 512 + 512 * 512 tables. ptdump reads the page
 * once, walks at most 4096 table pages, and says so.
 */
KIT_TEST(ptdump, a_guest_table_pointing_at_itself_is_walked_within_bounds, .fini = gq_stop,
	 .description = "a guest root whose 512 entries all point at itself: kit-ptdump finishes "
			"within 60 s and notes 'more than 4096 guest table pages'")
{
	char dot[] = "/tmp/kit-ptdump-loop-XXXXXX";
	start_for_gdb(NULL, dot);
	char steps[2048];
	snprintf(steps, sizeof steps,
		 "source %s\n"
		 "break vmm_main\ncontinue\ndelete\n"
		 "break proc_trap\ncontinue\ndelete\n"
		 "python\n"
		 "with Phys():\n"
		 "    v = vmm_value(lookup('vcpu0'))\n"
		 "    ram = vmm_deref(v['vm'])['ram']\n"
		 "    root = (int(v['satp']) & ((1 << 44) - 1)) << 12\n"
		 "    pa = vmm_pa(int(ram['host'])) + root - int(ram['base'])\n"
		 "    pte = (root >> 12 << 10) | 1\n"
		 "    gdb.selected_inferior().write_memory(pa, pte.to_bytes(8, 'little') * 512)\n"
		 "end\n"
		 "kit-ptdump %s shadow\n",
		 kit_path("common/scripts/kit_ptdump.py"), dot);
	char *out = kit_gdb_batch(gq, kit_path("build/lab02/vmm.elf"), PAGING_ELF, steps, 60);
	unlink(dot);
	cr_assert(strstr(out, "ptdump: summary: ") && strstr(out, "more than 4096 guest table pages"),
		  "expected a summary noting 'more than 4096 guest table pages':\n%s", out);
	free(out);
}

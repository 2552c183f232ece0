/*
 * main.c: the VMM's boot path and run loop.
 *
 * entry.S -> vmm_main: read the host device tree, stage the guest image
 * (the QEMU initrd), build guest RAM, load the guest and its device tree,
 * enter it. Each trap comes back through trapvec.S -> vmm_exit, which
 * the run loop linked with the core defines (run.h): run_u.c for the
 * guest kernel in real U-mode, lab02's run_vs.c for VS-mode.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fdt.h"
#include "gmem.h"
#include "hw.h"
#include "loader.h"
#include "mmu.h"
#include "riscv.h"
#include "run.h"
#include "sbi.h"
#include "stats.h"
#include "uart.h"
#include "vcpu.h"
#include "vcpu_asm.h"
#include "vcpus.h"
#include "vm.h"
#include "vmm_map.h"

_Static_assert(offsetof(struct vcpu, x) == VCPU_X(0), "vcpu_asm.h");
_Static_assert(offsetof(struct vcpu, pc) == VCPU_PC, "vcpu_asm.h");
_Static_assert(offsetof(struct vcpu, host_sp) == VCPU_HOST_SP, "vcpu_asm.h");
_Static_assert(offsetof(struct vcpu, host_gp) == VCPU_HOST_GP, "vcpu_asm.h");
_Static_assert(offsetof(struct vcpu, host_tp) == VCPU_HOST_TP, "vcpu_asm.h");

void vmm_trap_vector(void);
void vmm_enter_guest(struct vcpu *v) __attribute__((noreturn));

/* guest.dtb, compiled from guest.dts at build time (guest_dtb.S) */
extern const char guest_dtb_start[], guest_dtb_end[];

static struct vm vms[VMM_MAX_VMS];
static unsigned nvms;
static char bootargs[256];

static void __attribute__((noreturn)) fail(const char *msg)
{
	printf("vmm: %s\n", msg);
	hw_shutdown(1);
}

/* Zero host [pa, pa + len) where it lies in what becomes guest RAM (of n VMs). */
static void scrub(uint64_t pa, uint64_t len, unsigned n)
{
	uint64_t lo = pa > GUEST_BACKING_PA ? pa : GUEST_BACKING_PA;
	uint64_t hi = pa + len < vm_backing_pa(n) ? pa + len : vm_backing_pa(n);

	if (lo < hi)
		memset(pa2va(lo), 0, hi - lo);
}

/* A plain image: one VM (lab03's pack.c recognizes two). */
__attribute__((weak)) unsigned vmm_guest_images(const void *image, size_t size,
						struct guest_image *out, unsigned max)
{
	(void)max;
	out[0] = (struct guest_image){ image, size, "", 0 };
	return 1;
}

/* An initrd bound from /chosen: 32- or 64-bit cells (Linux's convention). */
static int chosen_u64(const void *fdt, int node, const char *name, uint64_t *val)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return -1;
	*val = fdt_cells_ld(p, len / 4);
	return 0;
}

void vmm_finish(struct vcpu *v)
{
	static const char *const types[] = { "shutdown", "cold reboot", "warm reboot" };
	const char *type = v->reset_type < 3 ? types[v->reset_type] : "vendor reset";

	static bool failed;

	printf("\nvmm: guest %s%sstopped (%s, reason %s)\n", v->vm->name, *v->vm->name ? " " : "", type,
	       v->reset_reason == SBI_SRST_REASON_NONE ? "none" :
	       v->reset_reason == SBI_SRST_REASON_FAILURE ? "system failure" : "other");
	stats_print(v);
	failed |= v->reset_reason == SBI_SRST_REASON_FAILURE;
	/* lab03: another VM may still run (vcpus.h) */
	struct vcpu *next = vmm_sched_vm_stopped(v);
	if (next) {
		vcpu_pv_exit_end(next);
		vmm_run_start(next);
		vmm_enter_guest(next);
	}
	mmu_print_stats();
	hw_set_timer(UINT64_MAX);
	hw_shutdown(failed);
}

/* A trap taken while the VMM itself ran: a VMM bug, never the guest's doing. */
void vmm_self_trap_report(void)
{
	printf("vmm: BUG: trap in the VMM: scause 0x%llx sepc 0x%llx stval 0x%llx\n",
	       (unsigned long long)csr_read(scause), (unsigned long long)csr_read(sepc),
	       (unsigned long long)csr_read(stval));
	hw_shutdown(1);
}

void vmm_main(uint64_t hartid, uint64_t dtb_pa)
{
	const void *fdt = pa2va(dtb_pa);
	uint64_t ram_base, ram_size, initrd_start, initrd_end, entry, dtb_gpa;
	int node, len;

	vmm_map_drop_identity();
	csr_write(sscratch, 0);
	csr_write(stvec, (uint64_t)vmm_trap_vector);
	if (vmm_lab_banner)
		printf("vmm: %s, on %s (hart %llu)\n", vmm_lab_banner, vmm_banner,
		       (unsigned long long)hartid);
	else
		printf("vmm: %s (hart %llu)\n", vmm_banner, (unsigned long long)hartid);

	if (dtb_pa < HOST_RAM_PA || dtb_pa >= HOST_RAM_PA + HOST_RAM_MAPPED)
		fail("the firmware's device tree lies outside RAM the VMM maps (use QEMU -m 256M)");
	if (fdt_check(fdt) != 0)
		fail("no valid device tree from the firmware");
	hw_timer_init(fdt, hartid);
	node = fdt_path_offset(fdt, "/memory");
	if (node < 0 || fdt_reg(fdt, node, &ram_base, &ram_size) != 0 ||
	    ram_base != HOST_RAM_PA || ram_size < HOST_RAM_MIN)
		fail("needs 256 MiB of RAM at 0x80000000 (QEMU -m 256M)");

	node = fdt_path_offset(fdt, "/chosen");
	if (node < 0 || chosen_u64(fdt, node, "linux,initrd-start", &initrd_start) != 0 ||
	    chosen_u64(fdt, node, "linux,initrd-end", &initrd_end) != 0 ||
	    initrd_end <= initrd_start)
		fail("no guest image: run one with `make qemu LAB=lab01 GUEST=<name|uboot|path>` "
		     "(QEMU: -initrd <guest image>)");
	if (initrd_end - initrd_start > STAGE_SIZE || initrd_start < HOST_RAM_PA ||
	    initrd_end > HOST_RAM_PA + HOST_RAM_MAPPED || initrd_end > ram_base + ram_size)
		fail("guest image too large (64 MiB at most)");
	const char *args = fdt_getprop(fdt, node, "bootargs", &len);
	if (args && len > 0)
		strncpy(bootargs, args, sizeof bootargs - 1);

	/* the initrd (and the host DTB) lie in what becomes guest RAM: move it out */
	size_t size = initrd_end - initrd_start;
	void *image = pa2va(STAGE_PA);
	memmove(image, pa2va(initrd_start), size);
	struct guest_image imgs[VMM_MAX_VMS];
	nvms = vmm_guest_images(image, size, imgs, VMM_MAX_VMS);
	if (nvms == 0)
		fail("bad guest pack in the initrd");
	if (vm_backing_pa(nvms) > ram_base + ram_size)
		fail("not enough RAM for the guests' backing (lab03 with two guests: QEMU -m 512M)");
	/*
	 * The guest starts with clean RAM, as on a fresh machine. QEMU's RAM
	 * is zero at reset; only what QEMU loaded into the future guest RAM
	 * (the initrd, its device tree) is not: clear just those. Clearing all
	 * 128 MiB would cost about 500 M instructions, 15 times a Linux boot.
	 */
	scrub(initrd_start, size, nvms);
	scrub(dtb_pa, fdt_totalsize(fdt), nvms);
	struct vcpu *boot = 0;
	for (unsigned i = 0; i < nvms; i++) {
		struct vm *vm = &vms[i];
		vm_init(vm);
		vm->id = i;
		strncpy(vm->name, imgs[i].name, sizeof vm->name - 1);
		gmem_init(vm, pa2va(vm_backing_pa(i)), GUEST_RAM_GPA, GUEST_RAM_SIZE);
		uart_reset(&vm->uart);
		vm_add_virt_devices(vm);
		vm_add_lab_devices(vm, ram_base + ram_size);
		if (guest_load(vm, imgs[i].data, imgs[i].size, &entry) != 0)
			fail("cannot load the guest image");
		if (guest_dtb_install(vm, guest_dtb_start, (size_t)(guest_dtb_end - guest_dtb_start),
				      imgs[i].args ? imgs[i].args : bootargs, &dtb_gpa) != 0)
			fail("cannot install the guest device tree");
		printf("vmm: guest %s%simage %zu bytes, entry 0x%llx, device tree at 0x%llx, bootargs \"%s\"\n",
		       vm->name, *vm->name ? " " : "", imgs[i].size, (unsigned long long)entry,
		       (unsigned long long)dtb_gpa, imgs[i].args ? imgs[i].args : bootargs);

		/* the vCPUs (vcpus.h): VM 0's hart 0 enters first */
		struct vcpu *b = vmm_vcpus_create(vm, guest_dtb_start, entry, dtb_gpa);
		if (!b)
			fail("no room for the vCPUs");
		if (i == 0)
			boot = b;
	}
	/*
	 * Each VM's translation, once every image is loaded (the staging
	 * area becomes the backend's table pool); VM 0's last, so that its
	 * (the G-stage's hgatp, the guest RAM map) is the one installed.
	 */
	for (unsigned i = nvms; i-- > 0;)
		mmu_vm_init(&vms[i]);
	/* the real timer is the guest's virtual timer; it starts disarmed */
	hw_set_timer(UINT64_MAX);
	csr_write(sie, SIP_STIP);
	vmm_run_start(boot);
	vmm_enter_guest(boot);
}

/*
 * core_vm.c: the VMM core's machine (vm.c) and its linker-built SBI table,
 * with no student code linked: the device table that every MMIO access
 * goes through, and the table a later lab extends by linking a file.
 */
#include <criterion/criterion.h>

#include "vcpu.h"
#include "vm.h"
#include "vmm_sbi.h"

static int dev_read(const struct vm_device *d, uint64_t off, unsigned width, uint64_t *val)
{
	(void)d, (void)width;
	*val = off;
	return 0;
}

static int dev_write(const struct vm_device *d, uint64_t off, unsigned width, uint64_t val)
{
	(void)d, (void)off, (void)width, (void)val;
	return 0;
}

static const struct vm_device_ops ops = { dev_read, dev_write };

static struct vm vm;

static void machine(void)
{
	vm_init(&vm);
	vm.ram = (struct gmem){ (uint8_t *)&vm, 0x80000000UL, 0x8000000UL };
}

TestSuite(vm, .init = machine);

Test(vm, device_found_by_every_address_of_its_window_only,
     .description = "vm_device_at finds a device at the first and last byte of its window and nowhere else")
{
	struct vm_device d = { "a", 0x10000000UL, 0x100, &ops, 0 };

	cr_assert_eq(vm_add_device(&vm, &d), 0, "adding one device to an empty VM must succeed");
	cr_assert_not_null(vm_device_at(&vm, 0x10000000UL), "the window's first byte must find the device");
	cr_assert_not_null(vm_device_at(&vm, 0x100000FFUL), "the window's last byte must find the device");
	cr_assert_null(vm_device_at(&vm, 0x0FFFFFFFUL), "the byte below the window must find nothing");
	cr_assert_null(vm_device_at(&vm, 0x10000100UL), "the byte past the window must find nothing");
	cr_assert_null(vm_device_at(&vm, UINT64_MAX), "the top of the address space must find nothing");
}

Test(vm, overlapping_windows_refused,
     .description = "a window that overlaps RAM or another device, or is empty, is refused")
{
	struct vm_device a = { "a", 0x10000000UL, 0x1000, &ops, 0 };
	struct vm_device b = { "b", 0x10000FFFUL, 0x10, &ops, 0 };
	struct vm_device below = { "below", 0x0FFFFFF0UL, 0x11, &ops, 0 };
	struct vm_device ram = { "ram", 0x87FFFFFFUL, 0x10, &ops, 0 };
	struct vm_device wrap = { "wrap", UINT64_MAX - 7, 0x10, &ops, 0 };
	struct vm_device empty = { "empty", 0x20000000UL, 0, &ops, 0 };

	cr_assert_eq(vm_add_device(&vm, &a), 0);
	cr_assert_eq(vm_add_device(&vm, &b), -1, "a window starting in another's last byte must be refused");
	cr_assert_eq(vm_add_device(&vm, &below), -1, "a window ending in another's first byte must be refused");
	cr_assert_eq(vm_add_device(&vm, &ram), -1, "a window overlapping guest RAM must be refused");
	cr_assert_eq(vm_add_device(&vm, &empty), -1, "an empty window must be refused");
	cr_assert_eq(vm_add_device(&vm, &wrap), 0, "a window at the top of the address space is a window");
	cr_assert_eq(vm.ndevices, 2, "only the accepted windows are in the table; got %u", vm.ndevices);
}

Test(vm, table_full_refused, .description = "the device table refuses a device beyond VM_MAX_DEVICES")
{
	for (unsigned i = 0; i < VM_MAX_DEVICES; i++) {
		struct vm_device d = { "d", 0x10000000UL + i * 0x1000UL, 0x1000, &ops, 0 };
		cr_assert_eq(vm_add_device(&vm, &d), 0, "device %u of %u must fit", i + 1, VM_MAX_DEVICES);
	}
	struct vm_device more = { "more", 0x20000000UL, 0x1000, &ops, 0 };
	cr_assert_eq(vm_add_device(&vm, &more), -1, "device %u must be refused", VM_MAX_DEVICES + 1);
}

Test(vm, vcpu_joins_its_machine, .description = "vm_add_vcpu sets v->vm and refuses more than VM_MAX_VCPUS")
{
	static struct vcpu v[VM_MAX_VCPUS + 1];

	for (unsigned i = 0; i < VM_MAX_VCPUS; i++) {
		cr_assert_eq(vm_add_vcpu(&vm, &v[i]), 0);
		cr_assert_eq(v[i].vm, &vm, "vCPU %u must point at its VM", i);
	}
	cr_assert_eq(vm_add_vcpu(&vm, &v[VM_MAX_VCPUS]), -1, "one vCPU too many must be refused");
	cr_assert_null(v[VM_MAX_VCPUS].vm, "a refused vCPU must not point at the VM");
}

/* The SBI table: every extension file linked here ends up in it, once. */
static struct sbiret handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	(void)v, (void)eid, (void)fid;
	return (struct sbiret){ 0, 0 };
}
/* sbi_table.c's TIME row names a student file's handler, not linked here */
struct sbiret sbi_time_handler(struct vcpu *v, unsigned long eid, unsigned long fid)
{
	return handler(v, eid, fid);
}

SBI_EXTENSION(test_one, 0x0A000001UL, 0x0A000001UL, handler);
SBI_EXTENSION(test_range, 0x0A000010UL, 0x0A00001FUL, handler);

Test(sbi_table, linked_extensions_are_found,
     .description = "extensions declared with SBI_EXTENSION in any linked file are found by EID, ranges included")
{
	cr_assert_not_null(vmm_sbi_find(0x0A000001UL), "an extension declared in this file must be in the table");
	cr_assert_not_null(vmm_sbi_find(0x0A000010UL), "a range's first EID must be found");
	cr_assert_not_null(vmm_sbi_find(0x0A00001FUL), "a range's last EID must be found");
	cr_assert_null(vmm_sbi_find(0x0A000020UL), "an EID past every range must not be found");
	cr_assert_null(vmm_sbi_find(0x0A000002UL), "an EID between entries must not be found");
	cr_assert_not_null(vmm_sbi_find(SBI_EXT_TIME), "sbi_table.c's own row (TIME) must be found too");
}

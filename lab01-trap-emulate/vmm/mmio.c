/*
 * mmio.c: a guest load or store that missed guest RAM. The faulting
 * instruction is decoded and executed against the device whose window in
 * the VM's device table (vm.h) holds the address, as the device would
 * have answered it. Outside every device, or where a device has no
 * register, the guest gets the access fault a real machine gives for an
 * address with nothing behind it (priv 1.12, 3.6 PMAs: cause 5 or 7,
 * stval = the address).
 *
 * lab01's one device is the NS16550A at 0x10000000 (UART_GPA, dev_uart.c):
 * only its eight byte registers exist in its 0x100-byte window.
 */
#include "decode.h"
#include "gmem.h"
#include "mmio.h"
#include "todo.h"
#include "trap.h"
#include "vm.h"

static int access_fault(struct vcpu *v, uint64_t gpa, bool is_store)
{
	vcpu_inject_exception(v, is_store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS, gpa);
	return -1;
}

/* A load's value as rd receives it: sign or zero extended from width bytes. */
static uint64_t extend(uint64_t val, unsigned width, bool is_unsigned)
{
	unsigned sh = 64 - 8 * width;

	if (width >= 8)
		return val;
	return is_unsigned ? (val << sh) >> sh : (uint64_t)((int64_t)(val << sh) >> sh);
}

int vcpu_mmio(struct vcpu *v, uint64_t gpa, bool is_store)
{
	// BEGIN SOLUTION: emulate a guest load/store on a device
	struct insn in;
	uint32_t raw;
	uint64_t fault, val;
	const struct vm_device *d = vm_device_at(v->vm, gpa);

	if (!d)
		return access_fault(v, gpa, is_store);
	if (gmem_fetch_insn(v, v->pc, &raw, &fault) != 0)
		return access_fault(v, gpa, is_store);
	/* AMOs, LR/SC and FP loads/stores are not emulated: fault like a
	 * device that does not support them (priv 3.6.3), an AMO with the
	 * Store/AMO fault even where the hart trapped it as a load (QEMU 7.2) */
	if (insn_decode(raw, &in) != 0 || in.kind != (is_store ? INSN_STORE : INSN_LOAD))
		return access_fault(v, gpa, is_store || insn_writes_memory(raw));

	if (is_store) {
		if (d->ops->write(d, gpa - d->base, in.width, vcpu_get_reg(v, in.rs2)) != 0)
			return access_fault(v, gpa, is_store);
	} else {
		if (d->ops->read(d, gpa - d->base, in.width, &val) != 0)
			return access_fault(v, gpa, is_store);
		vcpu_set_reg(v, in.rd, extend(val, in.width, in.is_unsigned));
	}
	v->pc += in.len;
	return 0;
	// STARTER:
	// TODO("vcpu_mmio", "lab01 handout, task 9");
	// (void)extend;
	// return access_fault(v, gpa, is_store);
	// END SOLUTION
}

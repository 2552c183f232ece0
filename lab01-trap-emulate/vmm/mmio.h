/* mmio.h: guest loads and stores that missed guest RAM (trap-and-emulate of devices). */
#ifndef VMM_MMIO_H
#define VMM_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "riscv.h"
#include "vcpu.h"

/*
 * A guest load (is_store = false) or store at guest physical address gpa
 * faulted. If gpa is a device register: decode the instruction at v->pc,
 * do the access on the device model, write rd (sign/zero extended by
 * width), advance pc, return 0. Otherwise inject the access fault a real
 * machine would give (cause 5 load / 7 store, stval = gpa) and return -1.
 */
int vcpu_mmio(struct vcpu *v, uint64_t gpa, bool is_store);

#endif

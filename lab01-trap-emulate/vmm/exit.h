/*
 * exit.h: what the VMM does with one exit (a trap from the guest). Pure C:
 * trapvec.S saves the guest, main.c reads the trap CSRs and calls this.
 */
#ifndef VMM_EXIT_H
#define VMM_EXIT_H

#include <stdint.h>

#include "vcpu.h"

/*
 * Handle one exit with the real scause and stval, then deliver a pending
 * virtual interrupt if the guest can take it. fs_dirty: the real
 * sstatus.FS was Dirty (the guest wrote FP state), mirrored into the
 * guest's sstatus.
 */
void vcpu_handle_exit(struct vcpu *v, uint64_t scause, uint64_t stval, int fs_dirty);

#endif

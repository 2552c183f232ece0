/* emulate.h: executing the guest's trapped privileged instructions. */
#ifndef VMM_EMULATE_H
#define VMM_EMULATE_H

#include <stdint.h>

#include "decode.h"
#include "vcpu.h"

/*
 * Execute one trapped privileged instruction (raw bits, 16 or 32) as the
 * guest's virtual hart would: the six CSR forms, sret, wfi, sfence.vma.
 * On success advances pc by the instruction's length (sret sets pc) and
 * returns 0. Otherwise injects illegal instruction (cause 2, stval = raw)
 * and returns nonzero; from virtual U every privileged instruction is
 * reflected that way.
 */
int vcpu_emulate_insn(struct vcpu *v, uint32_t raw);
/*
 * The same for an instruction already decoded (the exit path decodes once):
 * kind INSN_OTHER is illegal.
 */
int vcpu_emulate(struct vcpu *v, const struct insn *in);

/* wfi: idle until a virtual interrupt is pending and enabled (priv 3.3.3). */
void vcpu_wfi(struct vcpu *v);

#endif

/* vcpu_asm.h: struct vcpu offsets for trapvec.S (checked in main.c). */
#ifndef VMM_VCPU_ASM_H
#define VMM_VCPU_ASM_H

#define VCPU_X(n)     ((n) * 8)
#define VCPU_PC       256
#define VCPU_HOST_SP  264
#define VCPU_HOST_GP  272
#define VCPU_HOST_TP  280

#endif

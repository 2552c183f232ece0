/*
 * riscv.h: named access to RISC-V control and status registers and the
 * bit positions the kit uses. Privileged spec 1.12 (20211203) numbers.
 * Shared by the VMM and the guest kernels (both run in S-mode on OpenSBI).
 */
#ifndef KIT_RISCV_H
#define KIT_RISCV_H

#include <stdint.h>

#define csr_read(csr) ({                                        \
	uint64_t __v;                                           \
	__asm__ volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); \
	__v; })
#define csr_write(csr, val) ({                                  \
	uint64_t __v = (uint64_t)(val);                         \
	__asm__ volatile("csrw " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_set(csr, val) ({                                    \
	uint64_t __v = (uint64_t)(val);                         \
	__asm__ volatile("csrs " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_clear(csr, val) ({                                  \
	uint64_t __v = (uint64_t)(val);                         \
	__asm__ volatile("csrc " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_swap(csr, val) ({                                   \
	uint64_t __v = (uint64_t)(val);                         \
	__asm__ volatile("csrrw %0, " #csr ", %1" : "=r"(__v) : "rK"(__v) : "memory"); \
	__v; })

/* CSR numbers (priv 1.12, tables 2.2..2.5; H extension: 8.2, 8.3) */
#define CSR_SSTATUS    0x100
#define CSR_SIE        0x104
#define CSR_STVEC      0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG    0x10A
#define CSR_SSCRATCH   0x140
#define CSR_SEPC       0x141
#define CSR_SCAUSE     0x142
#define CSR_STVAL      0x143
#define CSR_SIP        0x144
#define CSR_STIMECMP   0x14D	/* Sstc */
#define CSR_SATP       0x180
#define CSR_VSSTATUS   0x200
#define CSR_VSIE       0x204
#define CSR_VSTVEC     0x205
#define CSR_VSSCRATCH  0x240
#define CSR_VSEPC      0x241
#define CSR_VSCAUSE    0x242
#define CSR_VSTVAL     0x243
#define CSR_VSIP       0x244
#define CSR_VSTIMECMP  0x24D	/* Sstc */
#define CSR_VSATP      0x280
#define CSR_HSTATUS    0x600
#define CSR_HEDELEG    0x602
#define CSR_HIDELEG    0x603
#define CSR_HIE        0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HGEIE      0x607
#define CSR_HENVCFG    0x60A
#define CSR_HTVAL      0x643
#define CSR_HIP        0x644
#define CSR_HVIP       0x645
#define CSR_HTINST     0x64A
#define CSR_HGATP      0x680
#define CSR_CYCLE      0xC00
#define CSR_TIME       0xC01
#define CSR_INSTRET    0xC02

/* hstatus (priv 1.12, 8.2.1) */
#define HSTATUS_VSBE  (1UL << 5)
#define HSTATUS_GVA   (1UL << 6)
#define HSTATUS_SPV   (1UL << 7)
#define HSTATUS_SPVP  (1UL << 8)
#define HSTATUS_HU    (1UL << 9)
#define HSTATUS_VGEIN (0x3FUL << 12)
#define HSTATUS_VTVM  (1UL << 20)
#define HSTATUS_VTW   (1UL << 21)
#define HSTATUS_VTSR  (1UL << 22)
#define HSTATUS_VSXL  (3UL << 32)
#define HSTATUS_VSXL_64 (2UL << 32)

/* hvip / hip / hideleg: the VS-level interrupts (priv 1.12, 8.2.3) */
#define IRQ_VS_SOFT   2
#define IRQ_VS_TIMER  6
#define IRQ_VS_EXT    10
#define HVIP_VSSIP (1UL << IRQ_VS_SOFT)
#define HVIP_VSTIP (1UL << IRQ_VS_TIMER)
#define HVIP_VSEIP (1UL << IRQ_VS_EXT)

/* hgatp (priv 1.12, 8.2.10): Sv39x4 has a 16 KiB root of 2048 entries */
#define HGATP_MODE_SHIFT 60
#define HGATP_MODE_BARE  0UL
#define HGATP_MODE_SV39X4 8UL
#define HGATP_MODE_SV48X4 9UL
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK  0x3FFFUL
#define HGATP_PPN_MASK   ((1UL << 44) - 1)

/* sstatus (priv 4.1.1) */
#define SSTATUS_SIE   (1UL << 1)
#define SSTATUS_SPIE  (1UL << 5)
#define SSTATUS_UBE   (1UL << 6)
#define SSTATUS_SPP   (1UL << 8)
#define SSTATUS_VS    (3UL << 9)
#define SSTATUS_FS    (3UL << 13)
#define SSTATUS_FS_OFF     (0UL << 13)
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_FS_CLEAN   (2UL << 13)
#define SSTATUS_FS_DIRTY   (3UL << 13)
#define SSTATUS_XS    (3UL << 15)
#define SSTATUS_SUM   (1UL << 18)
#define SSTATUS_MXR   (1UL << 19)
#define SSTATUS_UXL   (3UL << 32)
#define SSTATUS_UXL_64 (2UL << 32)
#define SSTATUS_SD    (1UL << 63)

/* sie / sip bits (priv 4.1.3) */
#define IRQ_S_SOFT   1
#define IRQ_S_TIMER  5
#define IRQ_S_EXT    9
#define SIP_SSIP (1UL << IRQ_S_SOFT)
#define SIP_STIP (1UL << IRQ_S_TIMER)
#define SIP_SEIP (1UL << IRQ_S_EXT)

/* scause (priv 4.1.9, table 4.2) */
#define SCAUSE_INTERRUPT (1UL << 63)
#define CAUSE_MISALIGNED_FETCH    0
#define CAUSE_FETCH_ACCESS        1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT          3
#define CAUSE_MISALIGNED_LOAD     4
#define CAUSE_LOAD_ACCESS         5
#define CAUSE_MISALIGNED_STORE    6
#define CAUSE_STORE_ACCESS        7
#define CAUSE_USER_ECALL          8
#define CAUSE_SUPERVISOR_ECALL    9
#define CAUSE_VIRTUAL_SUPERVISOR_ECALL 10
#define CAUSE_FETCH_PAGE_FAULT   12
#define CAUSE_LOAD_PAGE_FAULT    13
#define CAUSE_STORE_PAGE_FAULT   15
#define CAUSE_FETCH_GUEST_PAGE_FAULT 20
#define CAUSE_LOAD_GUEST_PAGE_FAULT  21
#define CAUSE_VIRTUAL_INSTRUCTION    22
/* wfi's encoding (priv 1.12, 3.3.3): what hstatus.VTW = 1 traps as a virtual instruction */
#define INSN_BITS_WFI 0x10500073u
#define CAUSE_STORE_GUEST_PAGE_FAULT 23

/* stvec MODE (priv 4.1.2) */
#define STVEC_MODE_MASK     3UL
#define STVEC_MODE_DIRECT   0UL
#define STVEC_MODE_VECTORED 1UL

/* satp (priv 4.1.11) */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE  0UL
#define SATP_MODE_SV39  8UL
#define SATP_MODE_SV48  9UL
#define SATP_MODE_SV57  10UL
#define SATP_ASID_SHIFT 44
#define SATP_PPN_MASK   ((1UL << 44) - 1)

/* Page-table entry bits (priv 4.3.1) */
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PPN_SHIFT 10

#define PAGE_SIZE 4096UL

static inline void wfi(void) { __asm__ volatile("wfi"); }
static inline void sfence_vma(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
static inline void fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }

/*
 * Sv39 (priv 4.4): three levels of 512 eight-byte PTEs; a 39-bit VA is
 * VPN[2..0] (9 bits each) over a 12-bit page offset, and bits 63:39 must
 * equal bit 38. The PTE bits V..D and satp's fields are above.
 */
#define PAGE_SHIFT        12
#define SV39_LEVELS       3
#define SV39_VA_BITS      39
#define SV39_VPN_BITS     9
#define SV39_VPN_MASK     ((1UL << SV39_VPN_BITS) - 1)
#define SV39_VPN_SHIFT(i) (PAGE_SHIFT + SV39_VPN_BITS * (i))	/* VPN[i] in a VA */
#define SV39_PTE_SIZE     8UL
#define PTE_PPN_BITS      44	/* PPN[2..0]: bits 53:10 */
#define PTE_PPN_MASK      (((1UL << PTE_PPN_BITS) - 1) << PTE_PPN_SHIFT)
#define PTE_RESERVED_MASK (0x3FFUL << 54)	/* 63:54: N (Svnapot), PBMT (Svpbmt), 7 reserved */
#define SV39_PAGE_SIZE(level) (1UL << SV39_VPN_SHIFT(level))	/* 4 KiB, 2 MiB, 1 GiB leaf */
/*
 * Sv48 and Sv57 (priv 4.5, 4.6) are Sv39 with one and two more levels of
 * the same 9-bit VPNs and 8-byte PTEs: VA bits 12 + 9 * LEVELS. The
 * SV39_ shapes above (VPN_SHIFT, VPN_MASK, PTE_SIZE, PAGE_SIZE(level))
 * hold for them, at levels up to 3 and 4.
 */
#define SV48_LEVELS       4
#define SV57_LEVELS       5
/* 4.3.1: a PTE's PPN (bits 53:10) is its physical address over PAGE_SHIFT */
#define PTE_PA(pte)  ((((uint64_t)(pte) & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT)
#define PTE_PPN(pa)  (((uint64_t)(pa) >> PAGE_SHIFT) << PTE_PPN_SHIFT)	/* the PPN field that names pa */

#endif

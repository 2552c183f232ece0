/*
 * sbi.h: calls from S-mode to the SBI implementation below it (SBI spec 2.0).
 * For the VMM that is OpenSBI in M-mode; for a guest kernel it is whatever
 * runs below the guest (OpenSBI natively, the lab VMM when virtualized).
 */
#ifndef KIT_SBI_H
#define KIT_SBI_H

#ifndef __ASSEMBLER__	/* the numbers are for assembly too (lab03's PV trap entry) */
#include <stdint.h>
#endif

/* SBI spec 2.0, 3.2 (standard error codes) */
#define SBI_SUCCESS                0
#define SBI_ERR_FAILED            -1
#define SBI_ERR_NOT_SUPPORTED     -2
#define SBI_ERR_INVALID_PARAM     -3
#define SBI_ERR_DENIED            -4
#define SBI_ERR_INVALID_ADDRESS   -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED   -7
#define SBI_ERR_ALREADY_STOPPED   -8
#define SBI_ERR_NO_SHMEM          -9

/* Extension IDs (SBI spec 2.0, chapters 4 to 12) */
#define SBI_EXT_LEGACY_SET_TIMER        0x00
#define SBI_EXT_LEGACY_CONSOLE_PUTCHAR  0x01
#define SBI_EXT_LEGACY_CONSOLE_GETCHAR  0x02
#define SBI_EXT_LEGACY_CLEAR_IPI        0x03
#define SBI_EXT_LEGACY_SEND_IPI         0x04
#define SBI_EXT_LEGACY_REMOTE_FENCE_I   0x05
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA 0x06
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID 0x07
#define SBI_EXT_LEGACY_SHUTDOWN         0x08
#define SBI_EXT_BASE  0x10
#define SBI_EXT_TIME  0x54494D45
#define SBI_EXT_IPI   0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM   0x48534D
#define SBI_EXT_SRST  0x53525354
#define SBI_EXT_DBCN  0x4442434E
#define SBI_EXT_STA   0x535441

/* Base extension functions (SBI spec 2.0, 4.x) */
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID      1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXTENSION  3
#define SBI_BASE_GET_MVENDORID    4
#define SBI_BASE_GET_MARCHID      5
#define SBI_BASE_GET_MIMPID       6

#define SBI_TIME_SET_TIMER 0

/* IPI (7.1), RFENCE (8.1 to 8.7), HSM (9.1 to 9.4) */
#define SBI_IPI_SEND_IPI 0
#define SBI_RFENCE_REMOTE_FENCE_I             0
#define SBI_RFENCE_REMOTE_SFENCE_VMA          1
#define SBI_RFENCE_REMOTE_SFENCE_VMA_ASID     2
#define SBI_RFENCE_REMOTE_HFENCE_GVMA_VMID    3
#define SBI_RFENCE_REMOTE_HFENCE_GVMA         4
#define SBI_RFENCE_REMOTE_HFENCE_VVMA_ASID    5
#define SBI_RFENCE_REMOTE_HFENCE_VVMA         6
#define SBI_HSM_HART_START      0
#define SBI_HSM_HART_STOP       1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_HART_SUSPEND    3
/* HSM hart states (9, table 25) and the default suspend types (9.4, table 27) */
#define SBI_HSM_STATE_STARTED         0
#define SBI_HSM_STATE_STOPPED         1
#define SBI_HSM_STATE_START_PENDING   2
#define SBI_HSM_STATE_STOP_PENDING    3
#define SBI_HSM_STATE_SUSPENDED       4
#define SBI_HSM_STATE_SUSPEND_PENDING 5
#define SBI_HSM_STATE_RESUME_PENDING  6
#define SBI_HSM_SUSPEND_RETENTIVE     0x00000000UL
#define SBI_HSM_SUSPEND_NON_RETENTIVE 0x80000000UL

/* DBCN (12.1 to 12.3), STA (16.1) */
#define SBI_DBCN_CONSOLE_WRITE      0
#define SBI_DBCN_CONSOLE_READ       1
#define SBI_DBCN_CONSOLE_WRITE_BYTE 2
#define SBI_STA_STEAL_TIME_SET_SHMEM 0

#define SBI_SRST_SYSTEM_RESET 0
#define SBI_SRST_TYPE_SHUTDOWN   0
#define SBI_SRST_TYPE_COLD_REBOOT 1
#define SBI_SRST_TYPE_WARM_REBOOT 2
#define SBI_SRST_REASON_NONE    0
#define SBI_SRST_REASON_FAILURE 1

/* The kit's measurement extension, offered by the kit's VMMs (not by
 * OpenSBI), in the experimental range (SBI spec 2.0, 3.3). */
#define SBI_EXT_KIT 0x084B4954	/* "KIT" */
#define SBI_KIT_EXITS_TOTAL 0	/* value = exits so far */
#define SBI_KIT_EXITS_CLASS 1	/* a0 = enum exit_class; value = its count */
/* The kit's paravirtual interface (lab03), the same range: its FIDs and
 * shared-memory layout are lab03-hypercalls/vmm/pv_abi.h, its spec
 * lab03-hypercalls/PV.md. */
#define SBI_EXT_KIT_PV 0x084B5056	/* "KPV" */

#ifndef __ASSEMBLER__
struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(long ext, long fid, long a0, long a1, long a2,
			long a3, long a4, long a5);

void sbi_console_putchar(int ch);
int sbi_console_getchar(void);
void sbi_set_timer(uint64_t stime_value);
void sbi_shutdown(void) __attribute__((noreturn));
/* Fail-shutdown: SRST with reason "system failure". */
void sbi_shutdown_failure(void) __attribute__((noreturn));

#endif /* __ASSEMBLER__ */

#endif

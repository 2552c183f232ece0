/* syscall.h: the selftest kernel's system calls (a7 = number, a0.. = args). */
#ifndef SELFTEST_SYSCALL_H
#define SELFTEST_SYSCALL_H

#define SYS_write  1	/* (fd, buf, len) -> len */
#define SYS_getpid 2	/* () -> pid (1) */
#define SYS_yield  3	/* () -> 0 */
#define SYS_exit   4	/* (code), does not return */

/* what the user program does, chosen by the kernel in a0 */
#define UMODE_SYSCALLS 1	/* call each system call, exit with a summary */
#define UMODE_SPIN     2	/* count in *a1 forever (the tick scheduler's task) */
#define UMODE_BENCH    3	/* a1 round trips of getpid, then exit (bench guest) */

#endif

/*
 * dbcn.h: the most bytes one DBCN console_write puts out (sbi_dbcn.c);
 * the rest of a longer range is the guest's to write again (SBI 2.0,
 * 12.1 allows partial writes: value = the bytes written). The VMM writes
 * with the one real hart, so an unbounded write (a guest's whole RAM)
 * would keep every other VM from running. Only a #define: the tests
 * (qemu_two.c) include it too.
 */
#ifndef LAB03_DBCN_H
#define LAB03_DBCN_H

#define DBCN_WRITE_MAX 4096

#endif

/*
 * layout.h: where the paging guest maps what (its kernel and its user
 * address spaces), shared with the tests that check its tables from the
 * outside (tests/qemu_ptdump.c). Plain numbers: included by the guest
 * (paging.h) and by host tests.
 */
#ifndef PAGING_LAYOUT_H
#define PAGING_LAYOUT_H

#define RAM_GIB_VA      0x80000000UL		/* the 1 GiB holding RAM, identity */
#define KERNEL_HIGH_VA  0xffffffff80000000UL	/* the same GiB, high (Linux's KERNEL_LINK_ADDR) */

/* user address spaces (proc.c): code, data, demand-paged, copy-on-write */
#define USER_CODE_VA   0x400000UL
#define USER_DATA_VA   0x500000UL
#define USER_DEMAND_VA 0x600000UL
#define USER_COW_VA    0x700000UL

#endif

/*
 * walk_tables.h: building a guest's Sv39 tables in walk_ram (unit_rpc.h),
 * for the unit tests of the walker and of the shadow tables (priv 1.12,
 * 4.3.1 for the PTE, 4.4.1 for Sv39's VPN fields).
 */
#ifndef LAB02_WALK_TABLES_H
#define LAB02_WALK_TABLES_H

#include <criterion/criterion.h>

#include "unit_rpc.h"

static inline uint64_t *ram_word(uint64_t gpa)
{
	cr_assert(gpa >= WALK_RAM_GPA && gpa - WALK_RAM_GPA < WALK_RAM_SIZE && gpa % 8 == 0,
		  "test bug: %#lx is not a word of walk_ram", (unsigned long)gpa);
	return &walk_ram[(gpa - WALK_RAM_GPA) / 8];
}

/* VPN[level] of va (Sv39: 9 bits each above the 12-bit offset) */
static inline unsigned vpn(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* a pointer to the next level's table, and a leaf (4.3.1: V, R/W/X, PPN) */
static inline uint64_t ptr(uint64_t next_table)
{
	return (next_table >> 12) << 10 | PTE_V;
}

static inline uint64_t leaf(uint64_t pa, uint64_t flags)
{
	return (pa >> 12) << 10 | flags | PTE_V;
}

#endif

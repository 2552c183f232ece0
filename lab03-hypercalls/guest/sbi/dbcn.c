/*
 * dbcn.c: group dbcn: the Debug Console extension (SBI 2.0, chapter 12).
 * Its line "KIT DBCN <token>" goes out by console_write and
 * console_write_byte (the test looks for it); ranges that are not all
 * guest RAM are SBI_ERR_INVALID_PARAM (12.1, 12.2).
 */
#include <string.h>

#include "sbig.h"

static char buf[96];

static struct sbiret dbcn(long fid, uint64_t n, uint64_t lo, uint64_t hi)
{
	return ecall(SBI_EXT_DBCN, fid, (long)n, (long)lo, (long)hi, 0, 0);
}

void group_dbcn(void)
{
	if (!sbig_kit_vmm("dbcn"))
		return;
	strcpy(buf, "KIT DBCN ");
	strncat(buf, ginfo.token, sizeof buf - 16);
	uint64_t n = strlen(buf);
	struct sbiret w = dbcn(SBI_DBCN_CONSOLE_WRITE, n, (uintptr_t)buf, 0);
	struct sbiret b = ecall(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, '\n', 0, 0, 0, 0);
	CHECK("dbcn_write", (uint64_t)w.error, w.value == (long)n, (uint64_t)b.error);
	w = dbcn(SBI_DBCN_CONSOLE_WRITE, 0, (uintptr_t)buf, 0);
	CHECK("dbcn_write_nothing", (uint64_t)w.error, (uint64_t)w.value);
	/* past guest RAM's end, no RAM at all, a high half, a length that wraps */
	CHECK("dbcn_write_bad_ranges",
	      (uint64_t)dbcn(SBI_DBCN_CONSOLE_WRITE, 8, 0x88000000UL - 4, 0).error,
	      (uint64_t)dbcn(SBI_DBCN_CONSOLE_WRITE, 1, NOT_RAM, 0).error,
	      (uint64_t)dbcn(SBI_DBCN_CONSOLE_WRITE, 1, (uintptr_t)buf, 1).error,
	      (uint64_t)dbcn(SBI_DBCN_CONSOLE_WRITE, ~0UL, (uintptr_t)buf, 0).error);
	/* 12.2: nothing typed: 0 bytes */
	memset(buf, 0x5a, sizeof buf);
	struct sbiret r = dbcn(SBI_DBCN_CONSOLE_READ, 16, (uintptr_t)buf, 0);
	CHECK("dbcn_read_empty", (uint64_t)r.error, (uint64_t)r.value, (uint64_t)(uint8_t)buf[0]);
	CHECK("dbcn_read_bad_ranges",
	      (uint64_t)dbcn(SBI_DBCN_CONSOLE_READ, 16, 0x88000000UL - 8, 0).error,
	      (uint64_t)dbcn(SBI_DBCN_CONSOLE_READ, 1, NOT_RAM, 0).error,
	      (uint64_t)dbcn(SBI_DBCN_CONSOLE_READ, 1, (uintptr_t)buf, 1).error);
	CHECK("dbcn_unknown_fid", (uint64_t)dbcn(3, 0, 0, 0).error);
}

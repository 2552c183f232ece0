/*
 * kitcheck.h: the verdict digest of the kit's test guests.
 *
 * A guest prints "KIT CHECK <name> ok <digest>" where digest is 64-bit
 * FNV-1a over the run's token (kit.token=<hex> from the bootargs, as
 * text), the check name and the values the guest observed. The host test
 * chose the token and knows the values the specification requires, so it
 * recomputes the digest: a VMM or guest that prints the expected text
 * without doing the work (or with other values) does not match.
 *
 * Pure C, header only: included by the guests (bare metal) and by the
 * host tests (Criterion).
 */
#ifndef KIT_KITCHECK_H
#define KIT_KITCHECK_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, 64-bit (Fowler, Noll, Vo; offset basis and prime of the spec) */
#define KIT_FNV64_OFFSET 0xcbf29ce484222325ULL
#define KIT_FNV64_PRIME  0x00000100000001b3ULL

/* Longest token a guest keeps; longer tokens are cut here on both sides. */
#define KIT_TOKEN_MAX 64
/* Most values one check digests. */
#define KIT_CHECK_MAXV 8

/*
 * One row of a guest's table of checks (guest/<name>/checks.h, included
 * by the guest and by its host test): its group (kit.only=), its name and
 * the n values the specification requires.
 */
struct kit_check_spec {
	const char *group;
	const char *name;
	unsigned n;
	uint64_t want[KIT_CHECK_MAXV];
};

/* The row of table[0..count-1] named name, or NULL. */
static inline const struct kit_check_spec *kit_check_find(const struct kit_check_spec *table,
							  size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++) {
		const char *a = table[i].name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return &table[i];
	}
	return NULL;
}

/* The line formats (printf, with unsigned long long for the digest). */
#define KIT_CHECK_OK_FMT   "KIT CHECK %s ok %016llx\n"
#define KIT_CHECK_FAIL_FMT "KIT CHECK %s FAIL expected %#llx got %#llx\n"
#define KIT_DONE_FMT       "KIT DONE %u %u\n"

/*
 * The witness path (the kit's guests: common/guest/witness.S, report.c; read by
 * lab01-trap-emulate/tests/witness.h). After every check the guest calls
 * KIT_WITNESS_PER_CHECK of KIT_WITNESS_SLOTS slots of KIT_WITNESS_SLOT_SIZE
 * bytes, chosen by a running FNV-1a hash of the token and of each check's
 * name and observed values. Each slot is the instruction KIT_WITNESS_INSN
 * (csrrs x0, sscratch, x0), illegal in U-mode: under a trap-and-emulate
 * VMM QEMU's own trap log (-d int) shows which slots the guest executed,
 * deprivileged. A native run prints the same path as "KIT PATH <n>
 * <hex digit per slot>" and the slots' address as "KIT WITNESS <addr>".
 */
#define KIT_WITNESS_SLOTS 16
#define KIT_WITNESS_SLOT_SIZE 8
#define KIT_WITNESS_PER_CHECK 2
#define KIT_WITNESS_MAX 512	/* slots a guest records for KIT PATH */
#define KIT_WITNESS_INSN 0x14002073u

static inline uint64_t kit_fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= KIT_FNV64_PRIME;
	}
	return h;
}

/* A string and its terminating NUL, so "ab","c" and "a","bc" differ. */
static inline uint64_t kit_fnv1a_str(uint64_t h, const char *s)
{
	size_t n = 0;
	while (s[n] != '\0' && n < KIT_TOKEN_MAX)
		n++;
	h = kit_fnv1a(h, s, n);
	return kit_fnv1a(h, "", 1);
}

/* A value as 8 bytes, least significant first (same on host and guest). */
static inline uint64_t kit_fnv1a_u64(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= KIT_FNV64_PRIME;
	}
	return h;
}

/* The digest of one check: token, name, then each value in order. */
static inline uint64_t kit_check_digest(const char *token, const char *name,
					const uint64_t *vals, size_t n)
{
	uint64_t h = KIT_FNV64_OFFSET;
	h = kit_fnv1a_str(h, token);
	h = kit_fnv1a_str(h, name);
	for (size_t i = 0; i < n; i++)
		h = kit_fnv1a_u64(h, vals[i]);
	return h;
}

/*
 * The witness path's running hash: the token first (kit_witness_start),
 * then each check's name and values (kit_witness_fold); slot i of the
 * check just folded is kit_witness_slot(h, i). Same code in the guest
 * (report.c) and the host test (witness.h).
 */
static inline uint64_t kit_witness_start(const char *token)
{
	return kit_fnv1a_str(KIT_FNV64_OFFSET, token);
}

static inline uint64_t kit_witness_fold(uint64_t h, const char *name, const uint64_t *vals, size_t n)
{
	h = kit_fnv1a_str(h, name);
	for (size_t i = 0; i < n; i++)
		h = kit_fnv1a_u64(h, vals[i]);
	return h;
}

static inline unsigned kit_witness_slot(uint64_t h, unsigned i)
{
	return (unsigned)(h >> (4 * i)) % KIT_WITNESS_SLOTS;
}

#endif

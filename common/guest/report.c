/* report.c: the KIT CHECK / KIT DONE lines (common/rt/include/kitcheck.h). */
#include <stdio.h>

#include "guest.h"
#include "sbi.h"

unsigned kit_passed, kit_failed;

/* The witness path so far (guest.h): the hash, and the slots taken. */
static uint64_t path_hash;
static bool path_started;
static char path[KIT_WITNESS_MAX + 1];
static unsigned path_len;

static void witness(unsigned slot)
{
	void (*f)(void) = (void (*)(void))(uintptr_t)(kit_witness_slots + slot * KIT_WITNESS_SLOT_SIZE);
	f();
	if (path_len < KIT_WITNESS_MAX)
		path[path_len++] = "0123456789abcdef"[slot];
}

/* Fold one check into the path and take its slots (once per check line). */
static void witness_check(const char *name, const uint64_t *vals, unsigned n)
{
	if (!path_started) {
		path_hash = kit_witness_start(ginfo.token);
		path_started = true;
		printf("KIT WITNESS %#lx\n", (unsigned long)(uintptr_t)kit_witness_slots);
	}
	path_hash = kit_witness_fold(path_hash, name, vals, n);
	for (unsigned i = 0; i < KIT_WITNESS_PER_CHECK; i++)
		witness(kit_witness_slot(path_hash, i));
}

static void print_fail(const char *name, uint64_t want, uint64_t got)
{
	printf(KIT_CHECK_FAIL_FMT, name, (unsigned long long)want, (unsigned long long)got);
	kit_failed++;
}

void kit_check_fail(const char *name, uint64_t want, uint64_t got)
{
	uint64_t v[2] = { want, got };
	witness_check(name, v, 2);
	print_fail(name, want, got);
}

static void print_ok(const char *name, const uint64_t *vals, unsigned n)
{
	uint64_t d = kit_check_digest(ginfo.token, name, vals, n);
	printf(KIT_CHECK_OK_FMT, name, (unsigned long long)d);
	kit_passed++;
}

bool kit_check(const char *name, const uint64_t *got, const uint64_t *want, unsigned n)
{
	/* the observed values go into the path, right or wrong */
	witness_check(name, got, n);
	for (unsigned i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			if (n > 1)
				printf("KIT NOTE %s: value %u of %u differs\n", name, i + 1, n);
			print_fail(name, want[i], got[i]);
			return false;
		}
	}
	print_ok(name, got, n);
	return true;
}

bool kit_check_table(const struct kit_check_spec *table, size_t count, const char *name,
		     const uint64_t *got, unsigned n)
{
	const struct kit_check_spec *c = kit_check_find(table, count, name);
	if (!c) {
		printf("KIT NOTE %s: not in checks.h\n", name);
		kit_check_fail(name, 0, 0);
		return false;
	}
	if (c->n != n) {
		/* a guest bug, not a VMM one: say so loudly */
		printf("KIT NOTE %s: guest observed %u values, checks.h wants %u\n", name, n, c->n);
		kit_check_fail(name, c->n, n);
		return false;
	}
	return kit_check(name, got, c->want, n);
}

void kit_check_values(const char *name, const uint64_t *vals, unsigned n)
{
	witness_check(name, vals, n);
	print_ok(name, vals, n);
}

/*
 * The VMM's exit counter (kit SBI extension), or n/a natively. Not a
 * check: it tells the host test that this guest's ecalls reached a VMM,
 * i.e. that the guest really ran deprivileged rather than on the bare
 * firmware.
 */
void kit_exits(void)
{
	struct sbiret r = sbi_ecall(SBI_EXT_KIT, SBI_KIT_EXITS_TOTAL, 0, 0, 0, 0, 0, 0);
	if (r.error == SBI_SUCCESS)
		printf("KIT EXITS %lu\n", (unsigned long)r.value);
	else
		printf("KIT EXITS n/a\n");
}

void kit_done(void)
{
	path[path_len] = '\0';
	printf("KIT PATH %u %s\n", path_len, path_len ? path : "-");
	printf(KIT_DONE_FMT, kit_passed, kit_failed);
}

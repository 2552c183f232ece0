/*
 * kit.h: what every Criterion test of the kit includes.
 *
 * KIT_TEST(suite, name, ...) is Criterion's Test() plus an end marker:
 * Criterion 2.4.1 reports a test whose code calls exit(0) part-way as
 * passed, so the grader counts a test only if Criterion passed it AND the
 * test body ran to its last line, which KIT_TEST reports by writing
 * "END <suite>::<name> <nonce>" to the descriptor the grader names in
 * KIT_END_FD (with the nonce from KIT_NONCE). Outside the grader the marker
 * is not written and KIT_TEST behaves exactly like Test().
 *
 * Name tests as requirement sentences (".description"), and make failure
 * messages say expected versus got and what to fix (function, handout §).
 */
#ifndef KIT_TEST_H
#define KIT_TEST_H

#include <criterion/criterion.h>

void kit_reached_end(const char *test);
/* Called by KIT_TEST before the body: where the grader passes the nonce on
 * a pipe (KIT_NONCE_FD, a VM grade: grader/README.md), reads it and the END
 * descriptor now, before the code under test runs, and makes the test
 * process non-dumpable, so that root children it starts can read neither
 * (ptrace(2), "Ptrace access mode checking"). */
void kit_begin(void);

#define KIT_TEST(suite, name, ...)                                       \
	static void suite##__##name##__body(void);                       \
	Test(suite, name, .disabled = 0, ##__VA_ARGS__)                   \
	{                                                                \
		kit_begin();                                             \
		suite##__##name##__body();                               \
		kit_reached_end(#suite "::" #name);                      \
	}                                                                \
	static void suite##__##name##__body(void)

/* KIT_TEST in a suite named by a macro (a test file built once per suite,
 * e.g. lab01's qemu_uboot.c for lab02's nested mode): expanded first, so
 * the grader's end marker names the real suite. */
#define KIT_TEST_IN(suite, ...) KIT_TEST(suite, __VA_ARGS__)

/* The kit's top directory: $KIT_ROOT, or "." (tests run from the top). */
const char *kit_root(void);
/* kit_path("build/lab01/vmm.elf") = "<root>/build/lab01/vmm.elf" (static buffer ring). */
const char *kit_path(const char *rel);

#endif

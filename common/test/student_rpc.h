/*
 * student_rpc.h: student code in a process of its own (the "student runner").
 *
 * A host unit test that linked the student's objects would share its
 * process with them: whatever the test can do (read KIT_NONCE, write the
 * END line, return past its own assertions), the student code could do.
 * So the test binary links, instead of the student's functions, stubs with
 * the same prototypes that ship each call to the student runner: a separate
 * static executable built from the student's objects, the kit files they
 * need and the fakes, which the test starts (fork + exec: empty
 * environment, only its socket and output pipe; a seccomp filter installed
 * before exec already forbids open, ptrace, kill, ... so even code that
 * runs before main reaches nothing) and which enters seccomp strict mode
 * (seccomp(2), SECCOMP_SET_MODE_STRICT: read, write, _exit, sigreturn)
 * before it runs any student code. The runner holds no verdict and no
 * nonce; it only computes and answers. Every check (cr_assert) stays in the
 * test process, which has no student code.
 *
 * What a call carries, both ways:
 *  - scalar arguments and the return value (up to 16 bytes, by value);
 *  - each pointer argument's object, copied in and copied back (in-out),
 *    or, when it lies inside a region, translated to the runner's copy;
 *  - the regions: objects both sides have (the fake machine's state, a
 *    device model, guest memory), kept in step in 4 KiB pieces that
 *    changed since the last call (each side keeps a shadow of what the
 *    other side holds);
 *  - cursors: a `const char *` into a string the test set (console input):
 *    the string goes over once, the runner's progress comes back.
 *
 * A hostile runner can crash, loop, exit, print without end or answer
 * garbage: every answer is length-checked and bounded, a call that does
 * not return within RPC_CALL_TIMEOUT_S seconds fails the test ("X did not
 * return within 5 s"), and a runner that dies fails it with the function
 * and the signal ("X crashed: SIGSEGV"), each message ending with the
 * student code's last output. What the runner prints goes to the test's
 * stdout, line by line, as if the code ran in the test.
 *
 * Used by lab01's unit tests: lab01-trap-emulate/tests/unit_rpc.h (ids),
 * unit_stubs.c (test side), unit_runner.c (runner side).
 */
#ifndef KIT_STUDENT_RPC_H
#define KIT_STUDENT_RPC_H

#include <stddef.h>
#include <stdint.h>

#define RPC_CALL_TIMEOUT_S 5		/* per call, wall clock */
#define RPC_MAX_REGIONS 16
#define RPC_MAX_ARGS 6
#define RPC_RET_MAX 16			/* return values by value: struct sbiret */
#define RPC_INLINE_MAX (64u << 10)	/* one pointer argument's object */
#define RPC_CURSOR_MAX 4096		/* a cursor's string, NUL included */
#define RPC_REGION_MAX (8u << 20)	/* one region (guest memory) */
#define RPC_MSG_MAX (RPC_REGION_MAX + (4u << 20))	/* one request or answer */

/* ---- both sides ---- */

/*
 * Register object [addr, addr + size) as region id (< RPC_MAX_REGIONS), on
 * both sides with the same id and size (at most RPC_REGION_MAX). shadow: a
 * buffer of size bytes (the runner's: it cannot allocate once strict), or
 * NULL to have one allocated. flags say what the other side holds now:
 * RPC_SEND_ALL unknown (the next call sends it whole: the test's regions),
 * RPC_OTHER_ZERO zeros, 0 the same bytes (the runner's regions).
 */
#define RPC_SEND_ALL 1u
#define RPC_OTHER_ZERO 2u
void rpc_region(unsigned id, void *addr, size_t size, void *shadow, unsigned flags);
/* Register *cursor (a string pointer) as region id; buf: the runner's
 * RPC_CURSOR_MAX bytes for the string (NULL on the test side). */
void rpc_cursor(unsigned id, const char **cursor, char *buf);

/* ---- test side (student_rpc.c) ---- */

struct rpc_arg {
	void *p;	/* pointer argument (may be NULL) when size > 0 */
	uint64_t s;	/* scalar argument when size == 0 */
	uint32_t size;
};
#define RPC_S(x) ((struct rpc_arg){ .s = (uint64_t)(x) })
#define RPC_P(ptr) ((struct rpc_arg){ .p = (void *)(ptr), .size = sizeof *(ptr) })

struct rpc_lab {
	const char *runner;	/* executable, beside the test binary */
	void (*setup)(void);	/* registers the regions, once per process */
};

/* Call function fn (name for messages) in the runner; copies its return
 * value (retsize bytes) to ret. Fails the test (cr_assert_fail) if the
 * runner crashes, loops, exits or answers garbage. */
void rpc_call(const struct rpc_lab *lab, unsigned fn, const char *name, const struct rpc_arg *args,
	      unsigned nargs, void *ret, size_t retsize);

/* name: the calling stub, i.e. the student function (for messages) */
#define RPC_CALL(lab, fn, ret, ...)                                                        \
	do {                                                                               \
		const struct rpc_arg a_[] = { __VA_ARGS__ };                               \
		rpc_call((lab), (fn), __func__, a_, sizeof a_ / sizeof a_[0], (ret), sizeof *(ret)); \
	} while (0)
#define RPC_CALL_VOID(lab, fn, ...)                                                        \
	do {                                                                               \
		const struct rpc_arg a_[] = { __VA_ARGS__ };                               \
		rpc_call((lab), (fn), __func__, a_, sizeof a_ / sizeof a_[0], NULL, 0);    \
	} while (0)

/* ---- runner side (student_rpc_runner.c) ---- */

struct rpc_frame {
	unsigned fn, nargs;
	void *p[RPC_MAX_ARGS];		/* pointer arguments: the runner's copies */
	uint64_t s[RPC_MAX_ARGS];	/* scalar arguments */
	unsigned char ret[RPC_RET_MAX];
	size_t retlen;
};
#define RPC_RET(f, type, expr)                                                   \
	do {                                                                     \
		_Static_assert(sizeof(type) <= RPC_RET_MAX, "return value too big"); \
		type r_ = (expr);                                                \
		memcpy((f)->ret, &r_, sizeof r_);                                \
		(f)->retlen = sizeof r_;                                         \
	} while (0)

/* Enter strict mode and answer calls until the test closes the socket;
 * dispatch runs one call (an unknown fn: rpc_fail). Never returns. */
void rpc_serve(void (*dispatch)(struct rpc_frame *f)) __attribute__((noreturn));
/* Fail the current call with a message the test reports (the fakes use it
 * where a test's cr_assert_fail would have been). */
void rpc_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif

/*
 * HOSTILE (grader/tests/hostile, lab01_return_address): a csr.c with no
 * import and no system call that forges the csr tests by resuming the test
 * past its assertions. It walks its stack from frame to frame (a return
 * address is the word after a `call rel32` whose target is the function
 * the previous frame's return address lies in) up to the test function
 * Criterion called (the KIT_TEST wrapper, the body inlined into it at
 * -O1): the first frame whose function, from the return address on,
 * reaches the test's last line (`lea name(%rip),%rdi; call
 * kit_reached_end` before the epilogue). It jumps there with that frame's
 * stack pointer: the END line is written, the epilogue restores
 * Criterion's registers, Criterion sees a test that passed. (Linked into
 * the test process, as before the student runner, it forged
 * csr::user_mode_privilege and wrote the END line of three more, which
 * then crashed.) It passes the call check; what stops it is that
 * the student code runs in the student runner (common/test/student_rpc.h),
 * whose stack holds no test.
 */
#include "csr.h"

#if defined(__x86_64__)
#define NEAR(v, here) ((v) > (here) - (16u << 20) && (v) < (here) + (16u << 20))

/* The function a return address's call called, or 0 if it is not one. */
static uintptr_t callee(uintptr_t ra)
{
	const unsigned char *p = (const unsigned char *)ra;
	int32_t rel;
	if (p[-5] != 0xe8)
		return 0;
	__builtin_memcpy(&rel, p - 4, 4);
	return ra + (intptr_t)rel;
}

/* Does a function end at q (`ret`, then padding or the next prologue)? */
static int function_end(const unsigned char *q)
{
	if (q[0] != 0xc3)
		return 0;
	q++;
	return q[0] == 0x90 || q[0] == 0xcc || (q[0] == 0x66 && (q[1] == 0x90 || q[1] == 0x2e || q[1] == 0x0f)) ||
	       (q[0] == 0x0f && q[1] == 0x1f) || (q[0] == 0xf3 && q[1] == 0x0f && q[2] == 0x1e) ||
	       (q[0] == 0x41 && q[1] >= 0x54 && q[1] <= 0x57) || q[0] == 0x55 || q[0] == 0x53 ||
	       (q[0] == 0x48 && q[1] == 0x83 && q[2] == 0xec);
}

/*
 * From a return address on, before the function's end: `lea x(%rip),%rdi;
 * call y`, then `add $n,%rsp`, pops and `ret`: the function's last call
 * before its epilogue (KIT_TEST's kit_reached_end). 0 if the function ends
 * first.
 */
static const unsigned char *last_line(const unsigned char *p)
{
	for (unsigned k = 0; k < (16u << 10); k++, p++) {
		if (function_end(p))
			return 0;
		if (p[0] != 0x48 || p[1] != 0x8d || p[2] != 0x3d || p[7] != 0xe8)
			continue;
		const unsigned char *q = p + 12;
		if (q[0] == 0x48 && q[1] == 0x83 && q[2] == 0xc4)
			q += 4;
		else if (q[0] == 0x48 && q[1] == 0x81 && q[2] == 0xc4)
			q += 7;
		while (q[0] == 0x5b || q[0] == 0x5d || (q[0] == 0x41 && q[1] >= 0x5c && q[1] <= 0x5f))
			q += q[0] == 0x41 ? 2 : 1;
		if (q[0] == 0xc3)
			return p;
	}
	return 0;
}

static void __attribute__((noinline)) resume_past_assertions(void)
{
	uintptr_t *sp = __builtin_frame_address(0);
	uintptr_t here = (uintptr_t)&resume_past_assertions;
	uintptr_t ra = (uintptr_t)__builtin_return_address(0);
	unsigned i = 0;
	while (i < 4096 && sp[i] != ra)
		i++;
	if (i == 4096)
		return;
	for (unsigned depth = 0; depth < 16; depth++) {
		const unsigned char *end = last_line((const unsigned char *)sp[i]);
		if (end)	/* the test function: its stack pointer at the call */
			__asm__ volatile("mov %0,%%rsp; jmp *%1" : : "r"(&sp[i + 1]), "r"(end) : "memory");
		/* the caller's frame: the slot above whose call target is the
		 * closest function start at or below sp[i] */
		uintptr_t best = 0;
		unsigned at = 0;
		for (unsigned j = i + 1; j < i + 1024 && j < 4096; j++) {
			uintptr_t t = NEAR(sp[j], here) ? callee(sp[j]) : 0;
			if (t && t <= sp[i] && t > best)
				best = t, at = j;
		}
		if (!best)
			return;
		i = at;
	}
}
#endif

int vcpu_csr_read(struct vcpu *v, unsigned csr, uint64_t *val)
{
	(void)v, (void)csr;
	*val = 0;
#if defined(__x86_64__)
	resume_past_assertions();
#endif
	return -1;
}

int vcpu_csr_write(struct vcpu *v, unsigned csr, uint64_t val)
{
	(void)v, (void)csr, (void)val;
#if defined(__x86_64__)
	resume_past_assertions();
#endif
	return -1;
}

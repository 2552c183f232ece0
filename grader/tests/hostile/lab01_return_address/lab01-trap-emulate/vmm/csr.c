/*
 * HOSTILE (grader/tests/hostile, lab01_return_address): a csr.c with no
 * import and no system call that tries to forge the csr tests by leaving
 * through a frame further up the stack: it finds the stack slots that hold
 * return addresses into the program's code and returns through the third
 * one, so that the test body's caller resumes as if the body had returned,
 * past its assertions, and the test's end marker is written. It passes the
 * call check; what stops it is that the student code runs in the student
 * runner, whose stack holds no test (common/test/student_rpc.h).
 */
#include "csr.h"

#if defined(__x86_64__)
static void __attribute__((noinline)) leave_through(unsigned k)
{
	uintptr_t *sp = __builtin_frame_address(0);
	uintptr_t here = (uintptr_t)&leave_through;
	unsigned seen = 0;
	for (unsigned i = 0; i < 2048; i++)
		if (sp[i] > here - (16u << 20) && sp[i] < here + (16u << 20) && ++seen == k)
			__asm__ volatile("mov %0, %%rsp\n\tret" : : "r"(&sp[i]) : "memory");
}
#endif

int vcpu_csr_read(struct vcpu *v, unsigned csr, uint64_t *val)
{
	(void)v, (void)csr;
	*val = 0;
#if defined(__x86_64__)
	leave_through(3);
#endif
	return -1;
}

int vcpu_csr_write(struct vcpu *v, unsigned csr, uint64_t val)
{
	(void)v, (void)csr, (void)val;
#if defined(__x86_64__)
	leave_through(3);
#endif
	return -1;
}

/*
 * student_rpc_runner.c: the student runner's side of student_rpc.h. Linked
 * (statically) with the student's objects; no Criterion, no verdict.
 *
 * Descriptors, as the test sets them up: 0 the socket (requests in,
 * answers out), 1 and 2 the output pipe. Everything else is closed and the
 * environment is empty, and the test's seccomp filter (student_rpc.c)
 * already refuses open, ptrace, kill and the like. Before the first call
 * the runner narrows that to strict mode: read(2) on the socket, write(2)
 * on its descriptors, exit(2) and rt_sigreturn(2), anything else kills it.
 * The kernel cannot enter SECCOMP_SET_MODE_STRICT once a filter is set
 * (seccomp(2), EINVAL), so strict mode is this filter, which also pins the
 * descriptors. So all memory is static (allocated before), stdout has a
 * static buffer, and the runner ends with the exit system call itself
 * (glibc's _exit is exit_group).
 */
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "student_rpc_wire.h"

#define SOCK 0

static unsigned char in_store[RPC_MSG_MAX], out_store[RPC_MSG_MAX];
static unsigned char arena[RPC_MAX_ARGS][RPC_INLINE_MAX];
static char out_buf[1u << 16];
static char fail_msg[2048];
static void *fail_jmp[5];
static bool failed;

static void __attribute__((noreturn)) leave(int status)
{
	fflush(stdout);
	for (;;)
		syscall(SYS_exit, status);
}

static bool read_all(void *p, size_t n)
{
	for (size_t got = 0; got < n;) {
		ssize_t r = read(SOCK, (char *)p + got, n - got);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

static void write_all(const void *p, size_t n)
{
	for (size_t done = 0; done < n;) {
		ssize_t w = write(SOCK, (const char *)p + done, n - done);
		if (w <= 0)
			leave(3);
		done += (size_t)w;
	}
}

void rpc_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fail_msg, sizeof fail_msg, fmt, ap);
	va_end(ap);
	failed = true;
	__builtin_longjmp(fail_jmp, 1);
}

/* One call: the student code runs here. noinline: __builtin_setjmp's frame. */
static void __attribute__((noinline)) run(void (*dispatch)(struct rpc_frame *), struct rpc_frame *f)
{
	if (__builtin_setjmp(fail_jmp) == 0)
		dispatch(f);
}

/* Decode a request into f, applying its region records. 0 ok, -1 malformed. */
static int decode(const unsigned char *body, size_t len, struct rpc_frame *f, uint32_t inl[RPC_MAX_ARGS])
{
	size_t pos = 0;
	struct rpc_rec r;
	const unsigned char *d;
	int k, seen = 0;
	memset(f, 0, sizeof *f);
	while ((k = rpc_next(body, len, &pos, &r, &d)) == 1) {
		if ((k = rpc_sync_in(&r, d, true)) != 0) {
			if (k < 0)
				return -1;
			continue;
		}
		if (r.tag == RPC_T_CALL) {
			if (r.b > RPC_MAX_ARGS)
				return -1;
			f->fn = r.a;
			f->nargs = r.b;
			seen = 1;
			continue;
		}
		if (r.a >= RPC_MAX_ARGS)
			return -1;
		uint64_t v[2];
		switch (r.tag) {
		case RPC_T_SCALAR:
			if (r.len != 8)
				return -1;
			memcpy(&f->s[r.a], d, 8);
			break;
		case RPC_T_NULL:
			f->p[r.a] = NULL;
			break;
		case RPC_T_INLINE:
			if (r.len > RPC_INLINE_MAX)
				return -1;
			memcpy(arena[r.a], d, r.len);
			f->p[r.a] = arena[r.a];
			inl[r.a] = r.len;
			break;
		case RPC_T_INREGION: {
			if (r.len != 16 || r.b >= RPC_MAX_REGIONS)
				return -1;
			struct rpc_region_slot *s = &rpc_slots[r.b];
			memcpy(v, d, 16);
			if (!s->used || s->cursor || v[0] > s->size || v[1] > s->size - v[0])
				return -1;
			f->p[r.a] = s->addr + v[0];
			break;
		}
		default:
			return -1;
		}
	}
	return k < 0 || !seen ? -1 : 0;
}

/* seccomp strict mode, as a filter (see the top of this file) */
static int strict_mode(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int bad = !ctx;
	/* no_new_privs is set already (before exec), and prctl is not allowed */
	bad = bad || seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	bad = bad || seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, SOCK));
	for (int fd = 0; fd <= 2 && !bad; fd++)
		bad = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, fd));
	bad = bad || seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
	bad = bad || seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigreturn), 0);
	bad = bad || seccomp_load(ctx);
	return bad ? -1 : 0;
}

void rpc_serve(void (*dispatch)(struct rpc_frame *f))
{
	static struct rpc_buf out = { .p = out_store, .cap = sizeof out_store, .fixed = true };
	/* line by line: what a call printed before it crashed still arrives */
	setvbuf(stdout, out_buf, _IOLBF, sizeof out_buf);
	if (strict_mode() != 0) {
		printf("student runner: cannot enter seccomp strict mode\n");
		leave(2);
	}
	for (;;) {
		struct rpc_hdr h;
		if (!read_all(&h, sizeof h))
			leave(0);	/* the test is done */
		if (h.magic != RPC_MAGIC_REQ || h.len > sizeof in_store || !read_all(in_store, h.len))
			leave(4);
		struct rpc_frame f;
		uint32_t inl[RPC_MAX_ARGS] = { 0 };
		failed = false;
		if (decode(in_store, h.len, &f, inl) != 0)
			leave(4);
		run(dispatch, &f);
		fflush(stdout);	/* before the answer: output comes first */
		rpc_buf_reset(&out);
		int bad = 0;
		if (failed) {
			bad |= rpc_put(&out, RPC_T_FAIL, 0, 0, fail_msg, strlen(fail_msg));
		} else {
			bad |= rpc_put(&out, RPC_T_RET, 0, 0, f.ret, f.retlen);
			for (unsigned i = 0; i < RPC_MAX_ARGS; i++)
				if (inl[i])
					bad |= rpc_put(&out, RPC_T_INLINE, i, 0, arena[i], inl[i]);
		}
		bad |= rpc_sync_out(&out, true);
		if (bad)
			leave(5);
		h = (struct rpc_hdr){ RPC_MAGIC_ANS, (uint32_t)(out.len - sizeof h) };
		memcpy(out.p, &h, sizeof h);
		write_all(out.p, out.len);
	}
}

/*
 * student_rpc.c: the test's side of student_rpc.h: starts the student
 * runner, ships calls, judges nothing but the shape of the answers (the
 * test's own cr_asserts judge their content).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "student_rpc_wire.h"

static pid_t runner_pid, owner_pid;	/* owner: the process that started it */
static int sock = -1, out_fd = -1;
static bool set_up;
static const char *runner_name = "";
static struct rpc_buf req, ans;

/*
 * What the runner may do before it enters strict mode, i.e. what glibc's
 * static start-up and any code that runs before main need: memory, its own
 * descriptors, exit, and the strict mode itself. Everything else (open,
 * ptrace, process_vm_readv, kill, socket, clone ...) fails with EPERM, so
 * a constructor in a student object reaches nothing (seccomp(2), filters
 * survive execve(2) once no_new_privs is set).
 */
static int pre_exec_filter(void)
{
	static const int allow[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(exit), SCMP_SYS(exit_group),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap),
		SCMP_SYS(mprotect), SCMP_SYS(mremap), SCMP_SYS(arch_prctl), SCMP_SYS(set_tid_address),
		SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(prlimit64), SCMP_SYS(getrandom),
		SCMP_SYS(futex), SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(seccomp),
		SCMP_SYS(execve),
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return -1;
	for (size_t i = 0; i < sizeof allow / sizeof allow[0]; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allow[i], 0) != 0)
			return -1;
	return seccomp_load(ctx);
}

/* The runner: beside this test's executable. */
static char *runner_path(const char *name)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return NULL;
	path[n] = 0;
	char *slash = strrchr(path, '/');
	if (!slash || (size_t)(slash - path) + 2 + strlen(name) > sizeof path)
		return NULL;
	strcpy(slash + 1, name);
	return path;
}

static void start(const struct rpc_lab *lab, const char *fn)
{
	if (!set_up) {
		lab->setup();
		set_up = true;
	}
	const char *path = runner_path(lab->runner);
	int sv[2], op[2];
	cr_assert(path && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0 &&
		  pipe2(op, O_CLOEXEC) == 0, "%s: cannot start the student runner (%s)", fn, strerror(errno));
	/* the child's end on descriptors above 2, so that dup2 cannot clobber it */
	int child_sock = fcntl(sv[1], F_DUPFD_CLOEXEC, 10), child_out = fcntl(op[1], F_DUPFD_CLOEXEC, 10);
	close(sv[1]);
	close(op[1]);
	pid_t parent = getpid();
	pid_t pid = fork();
	cr_assert_geq(pid, 0, "%s: cannot start the student runner: fork: %s", fn, strerror(errno));
	if (pid == 0) {
		/* the runner dies with the test; nothing of the test's is inherited */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(126);
		if (dup2(child_sock, 0) < 0 || dup2(child_out, 1) < 0 || dup2(child_out, 2) < 0)
			_exit(126);
		closefrom(3);
		char *argv[] = { (char *)lab->runner, NULL }, *envp[] = { NULL };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || pre_exec_filter() != 0)
			_exit(126);
		execve(path, argv, envp);
		_exit(127);
	}
	close(child_sock);
	close(child_out);
	sock = sv[0];
	out_fd = op[0];
	fcntl(sock, F_SETFL, O_NONBLOCK);
	fcntl(out_fd, F_SETFL, O_NONBLOCK);
	runner_pid = pid;
	owner_pid = getpid();
	runner_name = lab->runner;
}

static void stop(void)
{
	if (runner_pid > 0) {
		kill(runner_pid, SIGKILL);
		waitpid(runner_pid, NULL, 0);
	}
	if (sock >= 0)
		close(sock);
	if (out_fd >= 0)
		close(out_fd);
	runner_pid = 0;
	sock = out_fd = -1;
}

/* the end of what the runner printed, for the message when it fails */
#define TAIL_MAX 600
static char tail[TAIL_MAX + 1];
static size_t tail_len;

/* What the runner printed goes to the test's stdout, as if it ran here. */
static void forward_output(void)
{
	char chunk[16384];
	ssize_t n;
	while ((n = read(out_fd, chunk, sizeof chunk)) > 0) {
		fwrite(chunk, 1, (size_t)n, stdout);
		fflush(stdout);
		size_t k = (size_t)n < TAIL_MAX ? (size_t)n : TAIL_MAX;
		if (tail_len + k > TAIL_MAX) {
			size_t drop = tail_len + k - TAIL_MAX;
			memmove(tail, tail + drop, tail_len - drop);
			tail_len -= drop;
		}
		memcpy(tail + tail_len, chunk + n - k, k);
		tail_len += k;
		tail[tail_len] = 0;
	}
}

/* " Its last output: ..." when the runner printed something, else "" */
static const char *last_output(void)
{
	static char msg[TAIL_MAX + 64];
	snprintf(msg, sizeof msg, tail_len ? "; the student code's last output:\n%s" : "%s", tail);
	return msg;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static const char *signame(int sig)
{
	static char buf[32];
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, sizeof buf, "SIG%s", abbrev);
	else
		snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

/* The runner closed the socket: it died. Fails the test saying how. */
static void __attribute__((noreturn)) died(const char *fn)
{
	int st = 0;
	forward_output();
	/* a runner that closed its end but lives on is stopped here */
	for (int i = 0; i < 50 && waitpid(runner_pid, &st, WNOHANG) == 0; i++)
		usleep(10000);
	if (waitpid(runner_pid, &st, WNOHANG) == 0) {
		kill(runner_pid, SIGKILL);
		waitpid(runner_pid, &st, 0);
	}
	runner_pid = 0;
	stop();
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
		cr_assert_fail("%s was stopped (SIGSYS): student code made a system call, and in the "
			       "student runner it may only compute (seccomp strict mode: read and write "
			       "on its own descriptors)%s", fn, last_output());
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		cr_assert_fail("%s was killed (SIGKILL) in the student runner: it hit the test's CPU or "
			       "memory limit%s", fn, last_output());
	if (WIFSIGNALED(st))
		cr_assert_fail("%s crashed: %s (%s), in the student runner, which runs the student "
			       "code%s", fn, signame(WTERMSIG(st)), strsignal(WTERMSIG(st)), last_output());
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		cr_assert_fail("%s: cannot start the student runner %s, which belongs beside the test "
			       "binary (the lab's make target builds both)", fn, runner_name);
	cr_assert_fail("%s ended the student runner (exit status %d) instead of returning%s", fn,
		       WIFEXITED(st) ? WEXITSTATUS(st) : -1, last_output());
	abort();
}

/* Send req, receive one answer into ans (body after the header). */
static void exchange(const char *fn)
{
	size_t sent = 0, got = 0, want = sizeof(struct rpc_hdr);
	double deadline = now() + RPC_CALL_TIMEOUT_S;
	if (ans.cap < want) {
		ans.p = realloc(ans.p, ans.cap = 1u << 16);
		cr_assert_not_null(ans.p);
	}
	while (got < want) {
		struct pollfd pf[2] = { { .fd = sock, .events = POLLIN | (sent < req.len ? POLLOUT : 0) },
					{ .fd = out_fd, .events = POLLIN } };
		int left = (int)((deadline - now()) * 1000);
		if (left <= 0 || poll(pf, 2, left) == 0) {
			forward_output();
			stop();
			cr_assert_fail("%s did not return within %d s (an endless loop, or a wait that never "
				       "ends, in the student code)%s", fn, RPC_CALL_TIMEOUT_S, last_output());
		}
		if (pf[1].revents & POLLIN)
			forward_output();
		if (sent < req.len && (pf[0].revents & POLLOUT)) {
			ssize_t w = send(sock, req.p + sent, req.len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				died(fn);
			if (w > 0)
				sent += (size_t)w;
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = recv(sock, ans.p + got, want - got, MSG_DONTWAIT);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
				died(fn);
			if (r > 0)
				got += (size_t)r;
			if (got == sizeof(struct rpc_hdr) && want == got) {
				struct rpc_hdr h;
				memcpy(&h, ans.p, sizeof h);
				if (h.magic != RPC_MAGIC_ANS || h.len > RPC_MSG_MAX) {
					stop();
					cr_assert_fail("%s: the student runner answered garbage (%#x, %u bytes): "
						       "student code wrote on its descriptors", fn, h.magic, h.len);
				}
				want += h.len;
				if (ans.cap < want) {
					ans.p = realloc(ans.p, ans.cap = want);
					cr_assert_not_null(ans.p);
				}
			}
		}
	}
	forward_output();
}

/* Is [p, p + size) inside a region? Its id and offset. */
static int in_region(const void *p, size_t size, uint64_t *off)
{
	for (unsigned i = 0; i < RPC_MAX_REGIONS; i++) {
		struct rpc_region_slot *s = &rpc_slots[i];
		const unsigned char *c = p;
		if (s->used && !s->cursor && c >= s->addr && size <= s->size &&
		    (size_t)(c - s->addr) <= s->size - size) {
			*off = (uint64_t)(c - s->addr);
			return (int)i;
		}
	}
	return -1;
}

void rpc_call(const struct rpc_lab *lab, unsigned fn, const char *name, const struct rpc_arg *args,
	      unsigned nargs, void *ret, size_t retsize)
{
	cr_assert(nargs <= RPC_MAX_ARGS && retsize <= RPC_RET_MAX, "%s: too many arguments for student_rpc", name);
	if (runner_pid > 0 && owner_pid != getpid()) {
		/* a fork of the test: the runner is its parent's */
		runner_pid = 0;
		close(sock);
		close(out_fd);
	}
	if (runner_pid <= 0)
		start(lab, name);
	rpc_buf_reset(&req);
	int bad = rpc_put(&req, RPC_T_CALL, fn, nargs, NULL, 0);
	for (unsigned i = 0; i < nargs; i++) {
		uint64_t where[2];
		int r;
		if (args[i].size == 0) {
			bad |= rpc_put(&req, RPC_T_SCALAR, i, 0, &args[i].s, 8);
		} else if (!args[i].p) {
			bad |= rpc_put(&req, RPC_T_NULL, i, 0, NULL, 0);
		} else if ((r = in_region(args[i].p, args[i].size, &where[0])) >= 0) {
			where[1] = args[i].size;
			bad |= rpc_put(&req, RPC_T_INREGION, i, (uint32_t)r, where, sizeof where);
		} else {
			cr_assert_leq(args[i].size, RPC_INLINE_MAX, "%s: argument %u too big for student_rpc", name, i);
			bad |= rpc_put(&req, RPC_T_INLINE, i, 0, args[i].p, args[i].size);
		}
	}
	bad |= rpc_sync_out(&req, false);
	cr_assert_eq(bad, 0, "%s: the call does not fit a student_rpc message", name);
	struct rpc_hdr h = { RPC_MAGIC_REQ, (uint32_t)(req.len - sizeof h) };
	memcpy(req.p, &h, sizeof h);

	exchange(name);

	/* the answer: every record checked against what this call sent */
	const unsigned char *body = ans.p + sizeof h, *d;
	size_t len, pos = 0;
	memcpy(&h, ans.p, sizeof h);
	len = h.len;
	struct rpc_rec r;
	int k;
	bool have_ret = false;
	while ((k = rpc_next(body, len, &pos, &r, &d)) == 1) {
		if ((k = rpc_sync_in(&r, d, false)) != 0) {
			if (k < 0)
				break;
			continue;
		}
		if (r.tag == RPC_T_FAIL) {
			stop();
			cr_assert_fail("%.*s", (int)(r.len < 4000 ? r.len : 4000), (const char *)d);
		}
		if (r.tag == RPC_T_RET && r.len == retsize) {
			if (retsize)
				memcpy(ret, d, retsize);
			have_ret = true;
		} else if (r.tag == RPC_T_INLINE && r.a < nargs && args[r.a].size == r.len && args[r.a].p) {
			memcpy(args[r.a].p, d, r.len);
		} else {
			k = -1;
			break;
		}
	}
	if (k < 0 || !have_ret) {
		stop();
		cr_assert_fail("%s: the student runner answered garbage (a malformed answer): student code "
			       "wrote on its descriptors or over the runner's memory", name);
	}
}

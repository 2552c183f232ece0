/*
 * namespaces.c: the container's first process and its namespaces
 * (namespaces(7), clone(2), user_namespaces(7)). Task 1 of the handout.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/sched.h>

#include "minictr.h"

#define CHILD_STACK (256 * 1024)

/*
 * clone(2) the container's first process into new PID, mount, UTS and IPC
 * namespaces (and a user namespace with --user). Two come later: the
 * network namespace, made beside the child's mounts (netns.c), and the
 * cgroup namespace, from the child itself once it is in its cgroup: a
 * cgroup namespace is rooted where its creator stands.
 * With a v2 cgroup (c->cgroup_fd) clone3(2) with CLONE_INTO_CGROUP starts
 * the child inside it at once, which spares the move into the group (and
 * its wait) later; kernels before 5.7 fall back to clone and a move.
 * Returns the child's host pid, or -1 after saying why.
 */
pid_t spawn_container(struct config *c)
{
	// BEGIN SOLUTION: clone into new namespaces
	int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
	if (c->user)
		flags |= CLONE_NEWUSER;
	c->in_cgroup = false;
	if (c->cgroup_fd >= 0) {
		struct clone_args ca = {
			.flags = (flags & ~0xff) | CLONE_INTO_CGROUP,
			.exit_signal = SIGCHLD,
			.cgroup = (__u64)c->cgroup_fd,
		};
		/* No CLONE_VM: the child runs on a copy of our stack, as after fork(2). */
		pid_t pid = syscall(SYS_clone3, &ca, sizeof ca);
		if (pid == 0)
			_exit(container_main(c));
		if (pid > 0) {
			c->in_cgroup = true;
			return pid;
		}
		/* ENOSYS, E2BIG: an older kernel; anything else clone says again below */
	}
	/* The stack grows down on every architecture Linux containers run on here. */
	char *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		fail_errno("clone", "no memory for the child's stack");
		return -1;
	}
	pid_t pid = clone(container_main, stack + CHILD_STACK, flags, c);
	int e = errno;
	/* The child has its own copy of the address space: ours can go. */
	munmap(stack, CHILD_STACK);
	if (pid < 0) {
		errno = e;
		if (e == EPERM)
			fail_errno("clone", "creating namespaces was refused: run as root, or with --user "
					    "check that user namespaces are enabled (sysctl user.max_user_namespaces)");
		else if (e == EINVAL || e == ENOSYS)
			fail_errno("clone", "this kernel lacks a namespace minictr needs (CONFIG_*_NS)");
		else
			fail_errno("clone", "could not create the container's first process");
		return -1;
	}
	return pid;
	// STARTER:
	// (void)c;
	// TODO("spawn_container", "lab04 handout, task 1: namespaces and clone");
	// return -1;
	// END SOLUTION
}

static int write_file(pid_t pid, const char *name, const char *text)
{
	char dir[32];
	snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
	return write_text(dir, name, text);
}

/*
 * With --user: map the container's root to the caller, one id each
 * (user_namespaces(7), "User and group ID mappings"). An unprivileged
 * writer must deny setgroups(2) before it may write gid_map.
 */
int write_id_maps(const struct config *c, pid_t pid)
{
	// BEGIN SOLUTION: uid and gid maps, written from the parent
	char line[64];
	snprintf(line, sizeof line, "0 %u 1\n", (unsigned)c->uid);
	if (write_file(pid, "uid_map", line) < 0) {
		fail_errno("uid map", "writing /proc/%d/uid_map", (int)pid);
		return -1;
	}
	if (write_file(pid, "setgroups", "deny") < 0 && errno != ENOENT) {
		fail_errno("gid map", "writing /proc/%d/setgroups", (int)pid);
		return -1;
	}
	snprintf(line, sizeof line, "0 %u 1\n", (unsigned)c->gid);
	if (write_file(pid, "gid_map", line) < 0) {
		fail_errno("gid map", "writing /proc/%d/gid_map", (int)pid);
		return -1;
	}
	return 0;
	// STARTER:
	// (void)c;
	// (void)pid;
	// (void)write_file;
	// TODO("write_id_maps", "lab04 handout, task 1: user namespace");
	// return -1;
	// END SOLUTION
}

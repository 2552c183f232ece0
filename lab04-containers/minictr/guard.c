/*
 * guard.c: a small process that outlives a killed runtime and removes its
 * cgroups. Mounts and processes need no such help: the mounts live in the
 * container's mount namespace and the processes in its PID namespace, and
 * both vanish with the container's PID 1 (which PR_SET_PDEATHSIG ties to
 * the runtime). A cgroup directory is the one thing the kernel keeps.
 *
 * The guard holds the read end of a pipe: a byte means "done, nothing to
 * do"; end-of-file without it means the runtime died.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minictr.h"

/*
 * The guard shares our memory: clone(2) with CLONE_VM, yet not a thread
 * (no CLONE_THREAD), so it outlives us. Unlike fork(2), no copy of our
 * page tables at its start, no copy-on-write faults for us afterwards and
 * nothing to tear down at its end: about half a millisecond of a 5 ms
 * container start on the kit's machine (make bench LAB=lab04). In return
 * it must leave alone everything we use: it runs on its own stack, reads
 * its own copy of the groups (written before the clone, never again), and
 * while we live makes only calls that cannot fail, since it shares our
 * thread's errno. Once we are gone nothing is shared any more.
 */
static struct {
	struct cgroup cg;
	int pipe, null;
	char stack[64 * 1024] __attribute__((aligned(16)));
} guard;

static int guard_main(void *arg)
{
	(void)arg;
	/*
	 * Out of the terminal's process group already (guard_start), and deaf:
	 * every signal stays blocked from the clone on, so none of our handlers
	 * ever runs here and no signal but SIGKILL ends the guard. Off the
	 * caller's pipes.
	 */
	dup2(guard.null, 0);
	dup2(guard.null, 1);
	dup2(guard.null, 2);
	dup2(guard.pipe, 3);
	close_range(4, ~0U, 0);
	char done;
	if (read(3, &done, 1) == 1)
		_exit(0);
	/*
	 * The runtime died: its container's PID 1 dies with it; wait for the
	 * groups to empty. One cgroup_destroy gives up after about 2 s (a
	 * runtime must not hang on exit); the guard is no one's wait, so it
	 * tries for a minute: a container whose processes take longer to die
	 * (a large memory group being reclaimed) still leaves nothing behind.
	 */
	for (int i = 0; i < 30; i++)
		if (cgroup_destroy(&guard.cg) == 0)
			_exit(0);
	_exit(1);
}

pid_t guard_start(const struct cgroup *cg, int *fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		fail_errno("cleanup guard", "pipe");
		return -1;
	}
	guard.cg = *cg;
	guard.pipe = p[0];
	guard.null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (guard.null < 0)
		guard.null = p[0]; /* no /dev/null: its reads end at once, and its writes fail, harmlessly */
	/* The guard starts with every signal blocked, and keeps them so: it
	 * has our handlers (forward_signal), and one of those running there
	 * would signal the container again and write our errno. Blocked, they
	 * also need no SIG_IGN for each (64 calls, on a CPU the child's set-up
	 * wants). We block them only across the clone. */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid_t pid = clone(guard_main, guard.stack + sizeof guard.stack, CLONE_VM | SIGCHLD, NULL);
	int e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (guard.null != p[0])
		close(guard.null);
	close(p[0]);
	if (pid < 0) {
		errno = e;
		fail_errno("cleanup guard", "clone");
		close(p[1]);
		return -1;
	}
	/*
	 * Make no group until the guard is in a process group of its own: a
	 * kill of our whole group (a shell's job control, ^C, a test harness)
	 * would take the guard with us and leave the groups. We move it
	 * ourselves (setpgid(2) on a child that has not exec'd), so nothing
	 * waits for the guard to be scheduled: with both CPUs busy (the child
	 * building its mounts, anything else on the machine) that wait was
	 * milliseconds of the start (make bench LAB=lab04). Until then such a
	 * kill ends us too, before any mkdir. A guard already gone (a kill
	 * aimed at it) is a start-up failure.
	 */
	if (setpgid(pid, pid) < 0) {
		fail_errno("cleanup guard", "moving the guard into a process group of its own");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(p[1]);
		return -1;
	}
	*fd = p[1];
	return pid;
}

/*
 * Tell the guard all is clean and reap it: it exits at once, and a guard
 * left to whoever adopts it would linger as a zombie on a host whose init
 * reaps lazily.
 */
void guard_stop(pid_t guard, int fd)
{
	char done = 'D';
	/* A guard that is gone already (killed) has closed its end: the write
	 * fails with EPIPE and raises SIGPIPE (pipe(7)), which must not end
	 * us before the caller cleans up. Blocked across the write, a SIGPIPE
	 * of ours is taken back with sigtimedwait; one from elsewhere, already
	 * pending, stays. */
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	bool was_pending = false;
	sigset_t pending;
	if (sigpending(&pending) == 0)
		was_pending = sigismember(&pending, SIGPIPE);
	if (write(fd, &done, 1) != 1 && errno == EPIPE && !was_pending) {
		/* it is gone already: nothing to tell it */
		const struct timespec now = { 0, 0 };
		while (sigtimedwait(&pipe_set, NULL, &now) < 0 && errno == EINTR)
			;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd);
	while (waitpid(guard, NULL, 0) < 0 && errno == EINTR)
		;
}

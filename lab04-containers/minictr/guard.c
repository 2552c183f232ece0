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
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

pid_t guard_start(const struct cgroup *cg, int *fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		fail_errno("cleanup guard", "pipe");
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		fail_errno("cleanup guard", "fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* Out of the terminal's process group (no ^C), off the caller's pipes. */
		setsid();
		for (int s = 1; s < NSIG; s++)
			if (s != SIGKILL && s != SIGSTOP)
				signal(s, SIG_IGN);
		close(p[1]);
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		dup2(p[0], 3);
		close_range(4, ~0U, 0);
		char done;
		if (read(3, &done, 1) == 1)
			_exit(0);
		/* The runtime died: its container's PID 1 dies with it; wait for the group to empty. */
		_exit(cgroup_destroy(cg) < 0 ? 1 : 0);
	}
	close(p[0]);
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
	if (write(fd, &done, 1) != 1) {
		/* it is gone already: nothing to tell it */
	}
	close(fd);
	while (waitpid(guard, NULL, 0) < 0 && errno == EINTR)
		;
}

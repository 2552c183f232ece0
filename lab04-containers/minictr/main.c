/*
 * main.c: the runtime's parent side, outside the container.
 *
 *   parse_args -> [without --user: netns_start] -> [limits: oom_protect;
 *   v2 or --user: cgroup_plan; v2: guard_start, cgroup_create] ->
 *   spawn_container (clone3 into the v2 group, or clone into new
 *   namespaces) -> [without --user: v1: cgroup_plan; netns_send, the
 *   network namespace a thread of ours made from netns_start on, and
 *   sync_send_plan] -> [--user: write_id_maps ->
 *   SYNC_MAPPED; the child waits for it] -> [v1: guard_start,
 *   cgroup_create] -> [cgroup_set_limits,
 *   cgroup_restrict_devices, while the child builds its mounts and pivots]
 *   -> SYNC_JOINED (sync channel; the groups are the plan the child has
 *   from the clone; the v1 child joins them itself)
 *   -> forward signals, wait -> cgroup_report -> cgroup_destroy -> exit(CMD's status)
 *
 * The child starts its mounts only once it is mapped, and execs CMD only
 * once it is in its cgroup with every limit on: CMD never runs unlimited or
 * as an unmapped user. The CPU quota is the child's own last step before
 * CMD (child.c), so that the runtime's set-up in the group is not throttled.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "minictr.h"

/* The container's first process, as the host sees it: signals go there. */
static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t pending_sig;

static void forward_signal(int sig)
{
	int e = errno; /* the interrupted code's */
	if (child_pid > 0)
		kill(child_pid, sig);
	else
		pending_sig = sig;
	errno = e;
}

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT };

static void install_forwarding(void)
{
	struct sigaction sa = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
		sigaction(forwarded[i], &sa, NULL);
}

static int wait_child(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			fail_errno("wait", "lost the container's first process");
			return EXIT_SETUP;
		}
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return EXIT_SETUP;
}

/* The container's cgroups, guarded and made, nothing limited yet; -1 after saying why. */
static int make_cgroups(const struct config *c, struct cgroup *cg, pid_t *guard, int *guard_fd)
{
	/*
	 * The guard first, from the plan (run made it before the clone): a
	 * runtime killed between a mkdir and the guard's start would leave a
	 * group no one removes. The guard's rmdir of a group never made is
	 * ENOENT, which cgroup_destroy takes for done.
	 */
	*guard = guard_start(cg, guard_fd);
	return *guard < 0 || cgroup_create(c, cg) < 0 ? -1 : 0;
}

/* The v1 hierarchies the container will see, and with limits the groups' paths (cgroup_plan); -1 after saying why. */
static int plan_cgroups(struct config *c, struct cgroup *cg, bool limits)
{
	if (c->cgroup_mode == CG_HYBRID || c->cgroup_mode == CG_LEGACY)
		cgroup_v1_mount_opts(c);
	if (!limits)
		return 0;
	if (cgroup_plan(c, cg) < 0)
		return -1;
	c->cgroup_plan = cg;
	return 0;
}

/* Every limit but the CPU quota (the child's to set, last: child.c), and the devices; -1 after saying why. */
static int limit_cgroups(const struct config *c, const struct cgroup *cg)
{
	struct config now = *c;
	now.cpu_quota_us = 0;
	return (config_has_limits(&now) && cgroup_set_limits(&now, cg) < 0) || cgroup_restrict_devices(cg) < 0 ? -1 : 0;
}

static int run(struct config *c)
{
	struct cgroup cg = { .mode = CG_NONE };
	pid_t guard = -1;
	int guard_fd = -1;
	int sv[2] = { -1, -1 };
	int status = EXIT_SETUP;
	pid_t pid = -1;

	if (!c->user && geteuid() != 0) {
		fail("privileges", "namespaces and cgroups need root: run as root (sudo), "
				   "or add --user for a rootless container without limits");
		return EXIT_SETUP;
	}
	/* Die with our parent (a test harness, a shell): nothing is orphaned. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The network namespace from now on, beside everything else (netns.c). */
	netns_start(c);
	install_forwarding();
	c->cgroup_mode = cgroup_detect();

	/*
	 * v2: the groups' directories come first, so that clone3 starts the
	 * child inside them (spawn_container). v1: they are made while the
	 * child builds its mounts, and the child joins by itself (below). Both:
	 * the limits while the child builds its mounts.
	 */
	bool limits = config_has_limits(c), early = limits && c->cgroup_mode == CG_UNIFIED;
	/* Out of the OOM killer's reach before the guard and the first process: both inherit it (oom.c). */
	if (limits)
		oom_protect(c);
	/*
	 * The paths first, so that the child knows where its groups will be
	 * (child.c). Without --user, and but for v2's groups, which clone3
	 * needs, after the clone: the child needs them only after its first
	 * mounts, and on v1 finding the hierarchies means reading the whole
	 * mount table (sync_send_plan).
	 */
	bool late = !c->user && !early;
	if (!late && plan_cgroups(c, &cg, limits) < 0)
		goto out;
	if (early) {
		if (make_cgroups(c, &cg, &guard, &guard_fd) < 0)
			goto out;
		c->cgroup_fd = open(cg.dir[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		fail_errno("sync channel", "socketpair");
		goto out;
	}
	c->sync_fd = sv[1];
	c->parent_fd = sv[0];
	pid = spawn_container(c);
	if (c->cgroup_fd >= 0) {
		close(c->cgroup_fd);
		c->cgroup_fd = -1;
	}
	if (pid < 0)
		goto out;
	close(sv[1]);
	sv[1] = -1;
	child_pid = pid;
	note(c, "container's first process is host pid %d", (int)pid);
	/* Its network namespace, made meanwhile by our thread (netns.c), and its cgroups' plan. */
	if (late && plan_cgroups(c, &cg, limits) < 0)
		goto out;
	if (netns_send(c, sv[0]) < 0 || (!c->user && sync_send_plan(sv[0], c) < 0))
		goto out;
	/* --user: its OOM score from here, as only we can also reset its floor (oom.c). */
	if (c->user && (write_id_maps(c, pid) < 0 || oom_restore(c, pid) < 0 || sync_send(sv[0], SYNC_MAPPED, -1) < 0))
		goto out;
	if (limits && !early && make_cgroups(c, &cg, &guard, &guard_fd) < 0)
		goto out;
	/*
	 * The limits while the child builds its mounts (v2: the child is in
	 * its group already, our set-up costs it nothing; the device program's
	 * load and check is the dearest step): its CMD runs only after
	 * SYNC_JOINED, below, with every limit on.
	 */
	if (limits && limit_cgroups(c, &cg) < 0)
		goto out;
	/*
	 * Moving another process between cgroups waits for an RCU grace period
	 * (cgroup_threadgroup_rwsem), milliseconds: only v2 without clone3
	 * does it here, while the child builds its mounts. The child waits for
	 * SYNC_JOINED before its cgroup namespace and anything of CMD's.
	 */
	if (cg.mode == CG_UNIFIED && !c->in_cgroup && cgroup_join(&cg, pid) < 0)
		goto out;
	/*
	 * The seccomp filter, built here (task 5) while the child pivots and
	 * masks, rather than by the child after it: libseccomp's work is most
	 * of a millisecond of the start. The child loads it as it is.
	 */
	int filter = seccomp_prepare();
	if (filter < 0)
		goto out;
	int sent = sync_send(sv[0], SYNC_JOINED, filter);
	close(filter);
	if (sent < 0)
		goto out;
	if (pending_sig)
		kill(pid, pending_sig);
	status = wait_child(pid);
	pid = -1;
	if (cg.mode != CG_NONE)
		cgroup_report(c, &cg);
out:
	if (pid > 0) { /* an error after clone: take the child down with us */
		kill(pid, SIGKILL);
		wait_child(pid);
	}
	netns_cancel();
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (cg.mode != CG_NONE && cgroup_destroy(&cg) < 0 && status == 0)
		status = EXIT_SETUP;
	if (guard > 0)
		guard_stop(guard, guard_fd);
	return status;
}

int main(int argc, char **argv)
{
	struct config c;
	if (parse_args(argc, argv, &c) < 0)
		return EXIT_USAGE;
	return run(&c);
}

/*
 * child.c: the container's first process, from clone(2) to PID 1.
 *
 * Each step is one function; the order is the kernel's: nothing is mounted
 * before propagation is private (or the host would see it); /dev, /proc and
 * /sys are mounted into the rootfs before pivot_root, while the host's are
 * still in view (a user namespace may mount proc and sysfs only where the
 * host's are fully visible: "mount_too_revealing" in fs/namespace.c); the
 * masks go on top afterwards; then the cgroups, joined through directories
 * opened before pivot_root, so that the parent makes them meanwhile; the
 * privileges go last, once no further mount is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "minictr.h"

static int set_hostname(const struct config *c)
{
	if (sethostname(c->hostname, strlen(c->hostname)) < 0) {
		fail_errno("hostname", "sethostname(%s) in the new UTS namespace", c->hostname);
		return -1;
	}
	return 0;
}

/*
 * After pivot_root the groups' paths (/sys/fs/cgroup/...) lead nowhere: go
 * to each group's parent through DIRS, our fds of them (fchdir(2) takes an
 * O_PATH fd), and there join the group (v1) and open its CPU quota's files
 * (deferred, written last: see below), by the group's bare name. Back to
 * "/" after: PID 1's working directory is the container's root.
 */
static int join_planned(const struct config *c, const int *dirs)
{
	const struct cgroup *plan = c->cgroup_plan;
	bool v1 = plan->mode == CG_HYBRID || plan->mode == CG_LEGACY;
	int rc = 0;
	for (int i = 0; rc == 0 && i < plan->n; i++) {
		struct cgroup one = { .mode = plan->mode, .n = 1, .ctrl = { plan->ctrl[i] } };
		snprintf(one.dir[0], sizeof one.dir[0], "%s", strrchr(plan->dir[i], '/') + 1);
		if (fchdir(dirs[i]) < 0) {
			fail_errno("cgroups", "entering the parent of %s", plan->dir[i]);
			rc = -1;
			break;
		}
		/* v1: into the group by ourselves (cgroup_join, pid 0: no grace period); CMD and all after it are limited. */
		if (v1 && cgroup_join(&one, 0) < 0)
			rc = -1;
		/*
		 * The CPU quota's files are opened now, before the cgroup namespace
		 * (v2's nsdelegate refuses writes to a namespace's own root group
		 * from files opened inside it), and written last, just before CMD:
		 * our set-up, slow on an emulated machine, is not the container's
		 * work to be throttled. No round trip to the parent.
		 */
		if (rc == 0 && c->cpu_quota_us && (!v1 || strcmp(plan->ctrl[i], "cpu") == 0)) {
			struct config cpu_only = { .cpu_quota_us = c->cpu_quota_us, .cpu_period_us = c->cpu_period_us };
			files_defer(true);
			rc = cgroup_set_limits(&cpu_only, &one);
			files_defer(false);
		}
	}
	if (chdir("/") < 0 && rc == 0) {
		fail_errno("cgroups", "back to the container's root");
		rc = -1;
	}
	return rc;
}

/*
 * Before pivot_root: an O_PATH fd of each group's parent directory (the
 * groups may not exist yet), in its hierarchy's mount, which stays
 * reachable through the fd once pivot_root has detached the host's tree.
 */
static int open_group_parents(const struct cgroup *plan, int *dirs)
{
	for (int i = 0; i < plan->n; i++) {
		char parent[sizeof plan->dir[0]];
		snprintf(parent, sizeof parent, "%s", plan->dir[i]);
		*strrchr(parent, '/') = '\0';
		if ((dirs[i] = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			fail_errno("cgroups", "opening %s", parent);
			return -1;
		}
	}
	return 0;
}

/* A cgroup namespace is rooted at the creator's cgroup: create it now that we are in ours. */
static int enter_cgroup_namespace(void)
{
	if (unshare(CLONE_NEWCGROUP) < 0) {
		fail_errno("cgroup namespace", "unshare(CLONE_NEWCGROUP): a kernel without CONFIG_CGROUPS namespaces?");
		return -1;
	}
	return 0;
}

int container_main(void *arg)
{
	struct config *c = arg;

	/* If the runtime dies, so does the container (and its PID namespace). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The runtime's OOM score back, before anything of CMD's (oom.c); --user: the parent does it. */
	if (!c->user && oom_restore(c, 0) < 0)
		_exit(EXIT_SETUP);
	/* Only the parent may hold its end: then a dead parent means end-of-file here. */
	close(c->parent_fd);
	if (close_inherited_fds(c) < 0)
		_exit(EXIT_SETUP);
	/* Without a user namespace there is no map to wait for. */
	if (c->user && sync_wait(c->sync_fd, SYNC_MAPPED, NULL) < 0)
		_exit(EXIT_SETUP);

	if (set_hostname(c) < 0)
		_exit(EXIT_SETUP);
	if (make_mounts_private() < 0 || bind_rootfs(c) < 0 || mount_dev(c) < 0 || mount_proc(c) < 0)
		_exit(EXIT_SETUP);
	/*
	 * The network namespace, which the parent made meanwhile (netns.c),
	 * before sysfs shows the network; without --user the cgroups' plan
	 * follows it (main.c).
	 */
	if (netns_enter(c) < 0 || (!c->user && sync_receive_plan(c->sync_fd, c) < 0))
		_exit(EXIT_SETUP);
	if (setup_network(c) < 0 || mount_sys(c) < 0)
		_exit(EXIT_SETUP);

	/*
	 * The groups, held through pivot_root so that they can be joined after
	 * it: the parent makes them meanwhile, and our own set-up does not wait
	 * for it. Closed before CMD.
	 */
	int dirs[CG_MAX_DIRS];
	for (int i = 0; i < CG_MAX_DIRS; i++)
		dirs[i] = -1;
	if (c->cgroup_plan && open_group_parents(c->cgroup_plan, dirs) < 0)
		_exit(EXIT_SETUP);
	if (pivot_into_rootfs(c) < 0 || mask_paths() < 0)
		_exit(EXIT_SETUP);
	if (c->readonly && remount_rootfs_readonly() < 0)
		_exit(EXIT_SETUP);

	/* The groups are the parent's plan (cgroup_plan), made by now (main.c). */
	int filter;
	if (sync_wait(c->sync_fd, SYNC_JOINED, &filter) < 0)
		_exit(EXIT_SETUP);
	close(c->sync_fd);
	if (c->cgroup_plan && join_planned(c, dirs) < 0)
		_exit(EXIT_SETUP);
	for (int i = 0; i < CG_MAX_DIRS; i++)
		if (dirs[i] >= 0)
			close(dirs[i]);
	if (enter_cgroup_namespace() < 0 || mount_cgroupfs(c) < 0)
		_exit(EXIT_SETUP);
	if (drop_capabilities() < 0 || set_no_new_privs() < 0 || seccomp_install(filter) < 0)
		_exit(EXIT_SETUP);
	if (files_write_deferred() < 0) {
		fail_errno("cgroups", "writing the CPU quota (--cpus)");
		_exit(EXIT_SETUP);
	}
	_exit(container_init(c));
}

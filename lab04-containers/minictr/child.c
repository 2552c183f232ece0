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

/* Block until the parent sends STEP (sync channel, see main.c). */
static int wait_for_parent(int fd, char step)
{
	char got;
	ssize_t n;
	while ((n = read(fd, &got, 1)) < 0 && errno == EINTR)
		;
	/* EOF: the parent gave up (and said why) or died. */
	return n == 1 && got == step ? 0 : -1;
}

static int set_hostname(const struct config *c)
{
	if (sethostname(c->hostname, strlen(c->hostname)) < 0) {
		fail_errno("hostname", "sethostname(%s) in the new UTS namespace", c->hostname);
		return -1;
	}
	return 0;
}

/*
 * After pivot_root the groups' paths (/sys/fs/cgroup/...) lead nowhere:
 * rewrite them to go through DIRS, our fds of their parents
 * (/proc/self/fd/N/minictr-PID, in the container's own /proc: proc(5)).
 */
static int reach_through(struct cgroup *cg, const int *dirs)
{
	for (int i = 0; i < cg->n; i++) {
		char *d = cg->dir[i], name[256];
		snprintf(name, sizeof name, "%s", strrchr(d, '/') + 1);
		if (snprintf(d, sizeof cg->dir[0], "/proc/self/fd/%d/%s", dirs[i], name) >= (int)sizeof cg->dir[0])
			return -1;
	}
	return 0;
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
	/* Only the parent may hold its end: then a dead parent means end-of-file here. */
	close(c->parent_fd);
	if (close_inherited_fds(c) < 0)
		_exit(EXIT_SETUP);
	/* Without a user namespace there is no map to wait for. */
	if (c->user && wait_for_parent(c->sync_fd, SYNC_MAPPED) < 0)
		_exit(EXIT_SETUP);

	if (set_hostname(c) < 0 || setup_network(c) < 0)
		_exit(EXIT_SETUP);
	if (make_mounts_private() < 0 || bind_rootfs(c) < 0 || mount_dev(c) < 0 ||
	    mount_proc(c) < 0 || mount_sys(c) < 0)
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

	/* The groups are the parent's plan, made now (main.c). */
	if (wait_for_parent(c->sync_fd, SYNC_JOINED) < 0)
		_exit(EXIT_SETUP);
	close(c->sync_fd);
	struct cgroup cg = { .mode = CG_NONE };
	if (c->cgroup_plan) {
		cg = *c->cgroup_plan;
		if (reach_through(&cg, dirs) < 0) {
			fail("cgroups", "the path of a group through /proc/self/fd is too long");
			_exit(EXIT_SETUP);
		}
	}
	/* v1: into the groups by ourselves (cgroup_join, pid 0: no grace period); CMD and all after it are limited. */
	if ((cg.mode == CG_HYBRID || cg.mode == CG_LEGACY) && cgroup_join(&cg, 0) < 0)
		_exit(EXIT_SETUP);
	/*
	 * The CPU quota's files are opened now, before the cgroup namespace
	 * (v2's nsdelegate refuses writes to a namespace's own root group from
	 * files opened inside it), and written last, just before CMD: our
	 * set-up, slow on an emulated machine, is not the container's work to
	 * be throttled. No round trip to the parent.
	 */
	if (c->cpu_quota_us) {
		struct config cpu_only = { .cpu_quota_us = c->cpu_quota_us, .cpu_period_us = c->cpu_period_us };
		files_defer(true);
		int r = cgroup_set_limits(&cpu_only, &cg);
		files_defer(false);
		if (r < 0)
			_exit(EXIT_SETUP);
	}
	for (int i = 0; i < CG_MAX_DIRS; i++)
		if (dirs[i] >= 0)
			close(dirs[i]);
	if (enter_cgroup_namespace() < 0 || mount_cgroupfs(c) < 0)
		_exit(EXIT_SETUP);
	if (drop_capabilities() < 0 || set_no_new_privs() < 0 || install_seccomp() < 0)
		_exit(EXIT_SETUP);
	if (files_write_deferred() < 0) {
		fail_errno("cgroups", "writing the CPU quota (--cpus)");
		_exit(EXIT_SETUP);
	}
	_exit(container_init(c));
}

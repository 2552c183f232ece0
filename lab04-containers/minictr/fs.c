/*
 * fs.c: what the container sees of the kernel's own file systems: a fresh
 * /proc for its PID namespace, a /dev with only harmless devices, /sys
 * read-only, and the proc files that leak host state masked, as production
 * runtimes do (OCI runtime spec, "maskedPaths"/"readonlyPaths"). Task 3.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

/* Host device nodes a program may expect; none reaches hardware. */
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

/* Files that show host-wide state (kernel memory, keys, timers): hidden behind /dev/null. */
static const char *const masked_files[] = {
	"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug",
	"/proc/latency_stats", "/proc/timer_stats", "/proc/sysrq-trigger",
};
/* Directories that show host hardware: hidden behind an empty read-only tmpfs. */
static const char *const masked_dirs[] = { "/proc/acpi", "/proc/asound", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap" };
/* Kernel knobs that are global, not per namespace: readable, not writable. */
static const char *const readonly_paths[] = { "/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq" };

/*
 * /dev: a small tmpfs, filled before pivot_root while the host's nodes are
 * still in reach. Bind mounts rather than mknod(2), because mknod is not
 * allowed in a user namespace.
 */
int mount_dev(const struct config *c)
{
	// BEGIN SOLUTION: a minimal /dev
	char dev[4200], path[4300], host[64];
	snprintf(dev, sizeof dev, "%s/dev", c->rootfs);
	if (ensure_dir(dev) < 0 ||
	    mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=65536k") < 0) {
		fail_errno("/dev", "mounting a tmpfs on %s", dev);
		return -1;
	}
	for (size_t i = 0; i < sizeof dev_nodes / sizeof dev_nodes[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dev, dev_nodes[i]);
		snprintf(host, sizeof host, "/dev/%s", dev_nodes[i]);
		if (ensure_file(path) < 0 || mount(host, path, NULL, MS_BIND, NULL) < 0) {
			fail_errno("/dev", "binding %s into the container", host);
			return -1;
		}
	}
	/* A private devpts instance: the container's ptys are not the host's. */
	snprintf(path, sizeof path, "%s/pts", dev);
	if (ensure_dir(path) < 0 ||
	    mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0) {
		fail_errno("/dev", "mounting devpts on /dev/pts");
		return -1;
	}
	snprintf(path, sizeof path, "%s/shm", dev);
	if (ensure_dir(path) < 0 ||
	    mount("shm", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k") < 0) {
		fail_errno("/dev", "mounting a tmpfs on /dev/shm");
		return -1;
	}
	static const char *const links[][2] = {
		{ "pts/ptmx", "ptmx" }, { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
	};
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dev, links[i][1]);
		if (symlink(links[i][0], path) < 0) {
			fail_errno("/dev", "symlink /dev/%s", links[i][1]);
			return -1;
		}
	}
	return 0;
	// STARTER:
	// (void)c;
	// (void)dev_nodes;
	// TODO("mount_dev", "lab04 handout, task 3: /proc, /dev and /sys");
	// return 0;
	// END SOLUTION
}

/*
 * A proc mounted by a process of the new PID namespace lists only that
 * namespace's processes (proc(5)). Mounted into the rootfs before
 * pivot_root: see child.c.
 */
int mount_proc(const struct config *c)
{
	// BEGIN SOLUTION: a fresh /proc
	char path[4200];
	snprintf(path, sizeof path, "%s/proc", c->rootfs);
	if (ensure_dir(path) < 0 ||
	    mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		fail_errno("/proc", "mounting a new proc on %s", path);
		return -1;
	}
	return 0;
	// STARTER:
	// (void)c;
	// TODO("mount_proc", "lab04 handout, task 3: /proc, /dev and /sys");
	// return 0;
	// END SOLUTION
}

/* sysfs shows the network devices of the namespace that mounts it; read-only, so no knob is turned. */
int mount_sys(const struct config *c)
{
	// BEGIN SOLUTION: /sys read-only
	char path[4200];
	snprintf(path, sizeof path, "%s/sys", c->rootfs);
	if (ensure_dir(path) < 0 ||
	    mount("sysfs", path, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		fail_errno("/sys", "mounting sysfs read-only on %s", path);
		return -1;
	}
	return 0;
	// STARTER:
	// (void)c;
	// TODO("mount_sys", "lab04 handout, task 3: /proc, /dev and /sys");
	// return 0;
	// END SOLUTION
}

int mask_paths(void)
{
	// BEGIN SOLUTION: masked and read-only paths
	struct stat st;
	for (size_t i = 0; i < sizeof masked_files / sizeof masked_files[0]; i++) {
		if (stat(masked_files[i], &st) < 0)
			continue; /* this kernel does not have it */
		if (mount("/dev/null", masked_files[i], NULL, MS_BIND, NULL) < 0) {
			fail_errno("masked paths", "binding /dev/null over %s", masked_files[i]);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof masked_dirs / sizeof masked_dirs[0]; i++) {
		if (stat(masked_dirs[i], &st) < 0)
			continue;
		if (mount("tmpfs", masked_dirs[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0) {
			fail_errno("masked paths", "mounting an empty tmpfs over %s", masked_dirs[i]);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof readonly_paths / sizeof readonly_paths[0]; i++) {
		if (stat(readonly_paths[i], &st) < 0)
			continue;
		if (mount(readonly_paths[i], readonly_paths[i], NULL, MS_BIND | MS_REC, NULL) < 0 ||
		    bind_remount_readonly(readonly_paths[i]) < 0) {
			fail_errno("read-only paths", "making %s read-only", readonly_paths[i]);
			return -1;
		}
	}
	return 0;
	// STARTER:
	// (void)masked_files;
	// (void)masked_dirs;
	// (void)readonly_paths;
	// TODO("mask_paths", "lab04 handout, task 3: /proc, /dev and /sys");
	// return 0;
	// END SOLUTION
}

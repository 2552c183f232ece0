/*
 * fs.c: what the container sees of the kernel's own file systems: a fresh
 * /proc for its PID namespace, a /dev with only harmless devices, /sys
 * read-only, and the proc files that leak host state masked, as production
 * runtimes do (OCI runtime spec, "maskedPaths"/"readonlyPaths"). Task 3.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "minictr.h"

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

/* One more mount on the fd of PATH, a directory or file below the /dev tmpfs DEV. */
static int dev_mount(int dev, const char *path, int type, const char *source, const char *fstype,
		     unsigned long flags, const char *data)
{
	int fd = type == S_IFDIR ? (mkdirat(dev, path, 0755), openat(dev, path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
				 : openat(dev, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	int r = mount_on_fd(source, fd, fstype, flags, data);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

/*
 * /dev: a small tmpfs, nodev, filled before pivot_root while the host's
 * nodes are still in reach. The allowed devices are bind mounts of the
 * host's nodes rather than mknod(2) (not allowed in a user namespace); each
 * bind mount is a mount of its own, not nodev, so they alone open. The
 * tmpfs is made detached (fsopen(2), fsmount(2)), attached with
 * move_mount(2) onto the target resolved inside the rootfs, and filled
 * through its own fd: nothing in the image decides where a node lands.
 */
int mount_dev(const struct config *c)
{
	// BEGIN SOLUTION: a minimal /dev
	int target = open_mount_target(c, "dev", S_IFDIR);
	if (target < 0)
		return -1;
	int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	int dev = -1;
	if (fs >= 0 && fsconfig(fs, FSCONFIG_SET_STRING, "mode", "755", 0) == 0 &&
	    fsconfig(fs, FSCONFIG_SET_STRING, "size", "65536k", 0) == 0 &&
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		dev = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODEV);
	if (fs >= 0)
		close(fs);
	if (dev < 0 || move_mount(dev, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		fail_errno("/dev", "mounting a tmpfs on %s/dev", c->rootfs);
		close(target);
		if (dev >= 0)
			close(dev);
		return -1;
	}
	close(target);
	int rc = -1;
	for (size_t i = 0; i < n_dev_allowed; i++) {
		char host[64];
		if (!dev_allowed[i].name)
			continue; /* on the list, but made by devpts */
		snprintf(host, sizeof host, "/dev/%s", dev_allowed[i].name);
		if (dev_mount(dev, dev_allowed[i].name, S_IFREG, host, NULL, MS_BIND, NULL) < 0) {
			fail_errno("/dev", "binding %s into the container", host);
			goto out;
		}
	}
	/* A private devpts instance: the container's ptys are not the host's. */
	if (dev_mount(dev, "pts", S_IFDIR, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
		      "newinstance,ptmxmode=0666,mode=0620") < 0) {
		fail_errno("/dev", "mounting devpts on /dev/pts");
		goto out;
	}
	if (dev_mount(dev, "shm", S_IFDIR, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k") < 0) {
		fail_errno("/dev", "mounting a tmpfs on /dev/shm");
		goto out;
	}
	static const char *const links[][2] = {
		{ "pts/ptmx", "ptmx" }, { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
	};
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		if (symlinkat(links[i][0], dev, links[i][1]) < 0) {
			fail_errno("/dev", "symlink /dev/%s", links[i][1]);
			goto out;
		}
	}
	rc = 0;
out:
	close(dev);
	return rc;
	// STARTER:
	// (void)c;
	// (void)dev_mount;
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
	int fd = open_mount_target(c, "proc", S_IFDIR);
	if (fd < 0)
		return -1;
	int r = mount_on_fd("proc", fd, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (r < 0)
		fail_errno("/proc", "mounting a new proc on %s/proc", c->rootfs);
	close(fd);
	return r;
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
	int fd = open_mount_target(c, "sys", S_IFDIR);
	if (fd < 0)
		return -1;
	int r = mount_on_fd("sysfs", fd, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (r < 0)
		fail_errno("/sys", "mounting sysfs read-only on %s/sys", c->rootfs);
	close(fd);
	return r;
	// STARTER:
	// (void)c;
	// TODO("mount_sys", "lab04 handout, task 3: /proc, /dev and /sys");
	// return 0;
	// END SOLUTION
}

/*
 * After pivot_root. Each path is resolved inside the container's root and
 * must lie on the kernel's own proc or sysfs (a mask on a file of the image
 * would hide nothing); the mount goes onto the fd.
 */
static int open_kernel_path(const char *path, int type)
{
	int fd = open_in_container(path, type);
	struct statfs sf;
	if (fd < 0)
		return errno == ENOENT ? -2 : -1; /* -2: this kernel does not have it */
	if (fstatfs(fd, &sf) < 0 || (sf.f_type != PROC_SUPER_MAGIC && sf.f_type != SYSFS_MAGIC)) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

int mask_paths(void)
{
	// BEGIN SOLUTION: masked and read-only paths
	int fd;
	for (size_t i = 0; i < sizeof masked_files / sizeof masked_files[0]; i++) {
		if ((fd = open_kernel_path(masked_files[i], S_IFREG)) == -2)
			continue;
		if (fd < 0 || mount_on_fd("/dev/null", fd, NULL, MS_BIND, NULL) < 0) {
			fail_errno("masked paths", "binding /dev/null over %s", masked_files[i]);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	for (size_t i = 0; i < sizeof masked_dirs / sizeof masked_dirs[0]; i++) {
		if ((fd = open_kernel_path(masked_dirs[i], S_IFDIR)) == -2)
			continue;
		if (fd < 0 || mount_on_fd("tmpfs", fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0) {
			fail_errno("masked paths", "mounting an empty tmpfs over %s", masked_dirs[i]);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	for (size_t i = 0; i < sizeof readonly_paths / sizeof readonly_paths[0]; i++) {
		if ((fd = open_kernel_path(readonly_paths[i], S_IFDIR)) == -2)
			continue;
		/* Bound onto itself through the fd, then remounted by path: the bind is on top, at that path. */
		int r = fd < 0 ? -1 : mount_on_fd(readonly_paths[i], fd, NULL, MS_BIND | MS_REC, NULL);
		if (r < 0 || bind_remount_readonly(readonly_paths[i]) < 0) {
			fail_errno("read-only paths", "making %s read-only", readonly_paths[i]);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
	// STARTER:
	// (void)masked_files;
	// (void)masked_dirs;
	// (void)readonly_paths;
	// (void)open_kernel_path;
	// TODO("mask_paths", "lab04 handout, task 3: /proc, /dev and /sys");
	// return 0;
	// END SOLUTION
}

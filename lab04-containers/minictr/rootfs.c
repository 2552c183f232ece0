/*
 * rootfs.c: the container's root file system (mount_namespaces(7),
 * pivot_root(2)). Task 2 of the handout.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

int ensure_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int ensure_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	close(fd);
	return 0;
}

/*
 * Make PATH (already a mount point) read-only. A remount must repeat the
 * flags the kernel has locked on the mount (nosuid, nodev, noexec: always
 * kept in a user namespace), so read them back first.
 */
int bind_remount_readonly(const char *path)
{
	struct statvfs sv;
	if (statvfs(path, &sv) < 0)
		return -1;
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
	if (sv.f_flag & ST_NOSUID)
		flags |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		flags |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		flags |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		flags |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		flags |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		flags |= MS_RELATIME;
	return mount(NULL, path, NULL, flags, NULL);
}

/*
 * Our mount namespace starts as a copy of the host's, with the host's
 * propagation: a shared "/" would send every mount below back to the host.
 * Make the whole tree private first (mount_namespaces(7), "Shared subtrees").
 */
int make_mounts_private(void)
{
	// BEGIN SOLUTION: private propagation
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fail_errno("mount propagation", "making / private (mount --make-rprivate /)");
		return -1;
	}
	return 0;
	// STARTER:
	// TODO("make_mounts_private", "lab04 handout, task 2: mounts and pivot_root");
	// return -1;
	// END SOLUTION
}

/* pivot_root(2) needs the new root to be a mount point: bind the directory onto itself. */
int bind_rootfs(const struct config *c)
{
	// BEGIN SOLUTION: bind the rootfs onto itself
	if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
		fail_errno("rootfs", "bind-mounting %s onto itself", c->rootfs);
		return -1;
	}
	return 0;
	// STARTER:
	// (void)c;
	// TODO("bind_rootfs", "lab04 handout, task 2: mounts and pivot_root");
	// return -1;
	// END SOLUTION
}

/*
 * Swap roots and drop the old one. pivot_root(".", ".") stacks the old root
 * on top of the new one at "/" (pivot_root(2), NOTES), so no put_old
 * directory is needed; unmounting "." with MNT_DETACH then takes the whole
 * host tree out of reach, even while something still uses it.
 */
int pivot_into_rootfs(const struct config *c)
{
	// BEGIN SOLUTION: pivot_root and detach the old root
	if (chdir(c->rootfs) < 0) {
		fail_errno("pivot_root", "chdir %s", c->rootfs);
		return -1;
	}
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		fail_errno("pivot_root", "pivot_root(\".\", \".\") into %s", c->rootfs);
		return -1;
	}
	if (umount2(".", MNT_DETACH) < 0) {
		fail_errno("pivot_root", "detaching the old root");
		return -1;
	}
	if (chdir("/") < 0) {
		fail_errno("pivot_root", "chdir /");
		return -1;
	}
	return 0;
	// STARTER:
	// (void)c;
	// TODO("pivot_into_rootfs", "lab04 handout, task 2: mounts and pivot_root");
	// return -1;
	// END SOLUTION
}

int remount_rootfs_readonly(void)
{
	if (bind_remount_readonly("/") < 0) {
		fail_errno("--readonly", "remounting the rootfs read-only");
		return -1;
	}
	return 0;
}

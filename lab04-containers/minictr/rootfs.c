/*
 * rootfs.c: the container's root file system (mount_namespaces(7),
 * pivot_root(2)). Task 2 of the handout.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
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
 * Remount PATH (already a mount point) with the flags ADD (MS_RDONLY,
 * MS_NODEV) on. A remount must repeat the flags the kernel has locked on
 * the mount (nosuid, nodev, noexec: always kept in a user namespace), so
 * read them back first.
 */
int bind_remount(const char *path, unsigned long add)
{
	struct statvfs sv;
	if (statvfs(path, &sv) < 0)
		return -1;
	unsigned long flags = MS_BIND | MS_REMOUNT | add;
	if (sv.f_flag & ST_RDONLY)
		flags |= MS_RDONLY;
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

int bind_remount_readonly(const char *path)
{
	return bind_remount(path, MS_RDONLY);
}

/*
 * mount(2) onto the file FD holds, through its /proc/self/fd link: the
 * kernel mounts on the very inode the fd names, so a symlink or rename
 * after the lookup cannot move the mount elsewhere.
 */
int mount_on_fd(const char *source, int fd, const char *fstype, unsigned long flags, const void *data)
{
	char target[64];
	snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
	return mount(source, target, fstype, flags, data);
}

/*
 * Open PATH below the directory ROOT as if ROOT were "/": an absolute
 * symlink starts again at ROOT and ".." stops there, so nothing in the
 * image can lead the lookup out (openat2(2), RESOLVE_IN_ROOT). The result
 * is an O_PATH fd of a TYPE (S_IFDIR or S_IFREG) that is not ROOT itself
 * (a mount there would cover the whole rootfs); -1 with errno otherwise
 * (ELOOP for a magic link, ENOTDIR for the wrong type, EXDEV for ROOT).
 */
static int open_beneath(int root, const char *path, int type)
{
	// BEGIN SOLUTION: resolve a mount target inside the rootfs
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	/* EAGAIN: a rename or mount elsewhere on the machine raced the lookup
	 * of a ".." and the kernel could not prove it stayed inside; openat2(2)
	 * says to try again */
	int fd, tries = 0;
	do
		fd = syscall(SYS_openat2, root, path, &how, sizeof how);
	while (fd < 0 && errno == EAGAIN && ++tries < 1000);
	if (fd < 0)
		return -1;
	struct stat st, rst;
	if (fstat(fd, &st) < 0 || fstat(root, &rst) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if ((st.st_mode & S_IFMT) != (mode_t)type) {
		close(fd);
		errno = type == S_IFDIR ? ENOTDIR : EISDIR;
		return -1;
	}
	if (st.st_dev == rst.st_dev && st.st_ino == rst.st_ino) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
	// STARTER:
	// (void)root;
	// (void)path;
	// (void)type;
	// TODO("open_beneath", "lab04 handout, task 3: mount targets inside the rootfs");
	// errno = ENOSYS;
	// return -1;
	// END SOLUTION
}

static void say_target_error(const char *where, const char *path)
{
	if (errno == EXDEV)
		fail("mount target", "%s/%s leads to the rootfs itself (a symlink climbing out of it?): refused", where, path);
	else if (errno == ENOTDIR || errno == EISDIR)
		fail("mount target", "%s/%s is not the kind of file a mount there needs: refused", where, path);
	else if (errno == ELOOP)
		fail_errno("mount target", "%s/%s: a symlink loop or a /proc magic link: refused", where, path);
	else
		fail_errno("mount target", "%s/%s", where, path);
}

/*
 * The mount target PATH ("sys", "dev") of the rootfs, resolved inside it;
 * a missing top-level directory is created first (mkdirat(2) never follows
 * a symlink in its last component). Says why on failure.
 */
int open_mount_target(const struct config *c, const char *path, int type)
{
	int root = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		fail_errno("mount target", "opening the rootfs %s", c->rootfs);
		return -1;
	}
	if (type == S_IFDIR && !strchr(path, '/'))
		mkdirat(root, path, 0755); /* EEXIST, or a symlink: the lookup below decides */
	int fd = open_beneath(root, path, type);
	if (fd < 0)
		say_target_error(c->rootfs, path);
	close(root);
	return fd;
}

/* After pivot_root: PATH ("/proc/kcore") resolved inside the container's root; -1 with errno. */
int open_in_container(const char *path, int type)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -1;
	int fd = open_beneath(root, path, type);
	int e = errno;
	close(root);
	errno = e;
	return fd;
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

/*
 * pivot_root(2) needs the new root to be a mount point: bind the directory
 * onto itself, nodev (the devices the container may use are bound into its
 * /dev one by one: fs.c).
 */
int bind_rootfs(const struct config *c)
{
	// BEGIN SOLUTION: bind the rootfs onto itself
	if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
		fail_errno("rootfs", "bind-mounting %s onto itself", c->rootfs);
		return -1;
	}
	/* nodev: a device node shipped in the image (a copy of /dev/kvm) opens nothing. */
	if (bind_remount(c->rootfs, MS_NODEV) < 0) {
		fail_errno("rootfs", "remounting %s nodev", c->rootfs);
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

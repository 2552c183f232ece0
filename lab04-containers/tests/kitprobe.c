/*
 * kitprobe.c: the tests' program inside the container (static, in the
 * rootfs as /bin/kitprobe). Each subcommand does one thing the tests
 * observe and prints one line per observation; it is kit code, not the
 * student's.
 *
 *   kitprobe pids                 own pid, and every pid in /proc
 *   kitprobe syscall NAME         try a call the seccomp filter denies: "NAME: ok" or "NAME: errno=EPERM"
 *   kitprobe alloc MIB            touch MIB MiB, reporting every 8 MiB
 *   kitprobe spin MS              busy loop for MS ms of wall time
 *   kitprobe burn MS [FILE...]    busy loop until it has used MS ms of CPU time, then print the
 *                                 first FILE that opens (no fork or exec under the CPU quota)
 *   kitprobe forkbomb             fork until refused; children wait
 *   kitprobe trap                 "ready", then exit 42 on SIGTERM
 *   kitprobe orphan               leave an orphan that exits; report whether it was reaped
 *   kitprobe linger TAG           leave children behind (argv carries TAG) and exit 0
 *   kitprobe open PATH r|w        open PATH read-only or read-write: "open PATH: ok" or "...: errno=EACCES"
 *   kitprobe mknod PATH MAJ MIN   make a character device node: "mknod PATH: ok" or "...: errno=EPERM"
 *   kitprobe fds                  the descriptors open in this process and in PID 1 ("fds self=0,1,2 init=0,1,2")
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int pids(void)
{
	printf("pid=%d\n", getpid());
	DIR *d = opendir("/proc");
	if (!d) {
		printf("procs=none (opendir /proc: %s)\n", strerror(errno));
		return 1;
	}
	printf("procs=");
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			printf("%s,", e->d_name);
	printf("\n");
	closedir(d);
	return 0;
}

static long try_syscall(const char *name)
{
	if (!strcmp(name, "keyctl"))
		return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1);
	if (!strcmp(name, "add_key"))
		return syscall(SYS_add_key, "user", "kit", "x", 1, KEY_SPEC_PROCESS_KEYRING);
	if (!strcmp(name, "unshare_user"))
		return unshare(CLONE_NEWUSER);
	if (!strcmp(name, "clone_user"))
		return syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (!strcmp(name, "mount"))
		return mount("none", "/tmp", "tmpfs", 0, NULL);
	if (!strcmp(name, "ptrace")) {
		/* Our own child: allowed without any capability, so only a filter says no. */
		pid_t c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		long r = ptrace(PTRACE_ATTACH, c, 0, 0);
		int e = errno;
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		errno = e;
		return r;
	}
	if (!strcmp(name, "init_module"))
		return syscall(SYS_init_module, NULL, 0, "");
	if (!strcmp(name, "kexec_load"))
		return syscall(SYS_kexec_load, 0, 0, NULL, 0);
	if (!strcmp(name, "open_by_handle_at"))
		return syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0);
	if (!strcmp(name, "bpf"))
		return syscall(SYS_bpf, 0, NULL, 0);
	if (!strcmp(name, "clone3"))
		return syscall(SYS_clone3, NULL, 0);
	if (!strcmp(name, "io_uring_setup")) {
		char params[120] = { 0 }; /* struct io_uring_params, zeroed: a plain 1-entry ring */
		long r = syscall(SYS_io_uring_setup, 1, params);
		if (r >= 0)
			close(r);
		return r;
	}
	if (!strcmp(name, "io_uring_enter"))
		return syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0);
	if (!strcmp(name, "getpid"))
		return syscall(SYS_getpid);
	errno = EINVAL;
	return -2;
}

static int do_syscall(const char *name)
{
	errno = 0;
	long r = try_syscall(name);
	if (r == -2) {
		printf("%s: unknown to kitprobe\n", name);
		return 2;
	}
	if (r >= 0) {
		if (r == 0 && (!strcmp(name, "clone_user")))
			_exit(0); /* the child of a clone that worked */
		printf("%s: ok\n", name);
	} else
		printf("%s: errno=%s\n", name, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	return 0;
}

static int alloc(long mib)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (long i = 1; i <= mib; i++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			printf("mmap failed at %ld MiB: %s\n", i, strerror(errno));
			return 1;
		}
		memset(p, 0x5a, 1 << 20);
		if (i % 8 == 0)
			printf("allocated %ld MiB\n", i);
	}
	printf("allocated all %ld MiB\n", mib);
	return 0;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int spin(long ms)
{
	volatile unsigned long x = 0;
	double end = now() + ms / 1000.0;
	while (now() < end)
		for (int i = 0; i < 10000; i++)
			x++;
	printf("spun %ld ms\n", ms);
	return 0;
}

static int burn(long ms, char **files)
{
	volatile unsigned long x = 0;
	struct timespec t;
	double start = now();
	do {
		for (int i = 0; i < 10000; i++)
			x++;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	} while (t.tv_sec * 1000 + t.tv_nsec / 1000000 < ms);
	printf("burned %ld ms of CPU in %.0f ms\n", ms, (now() - start) * 1000);
	for (; *files; files++) {
		FILE *f = fopen(*files, "r");
		if (!f)
			continue;
		char buf[512];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(f);
		break;
	}
	return 0;
}

static int forkbomb(void)
{
	int n = 0;
	for (;;) {
		pid_t p = fork();
		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0) {
			printf("forks=%d refused=%s\n", n, strerrorname_np(errno));
			fflush(stdout);
			return 0;
		}
		if (++n > 5000) {
			printf("forks=%d refused=never\n", n);
			return 1;
		}
	}
}

static void on_term(int sig)
{
	(void)sig;
	static const char msg[] = "got SIGTERM\n";
	ssize_t w = write(1, msg, sizeof msg - 1);
	(void)w;
	_exit(42);
}

static int trap(void)
{
	signal(SIGTERM, on_term);
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; i < 300; i++)
		sleep(1);
	printf("no SIGTERM came\n");
	return 1;
}

/* A child that forks a grandchild and exits: the grandchild, orphaned, goes to PID 1. */
static int orphan(void)
{
	if (access("/proc/self/stat", R_OK) != 0) {
		printf("orphan: cannot tell, no /proc\n");
		return 1;
	}
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t a = fork();
	if (a == 0) {
		pid_t g = fork();
		if (g == 0) {
			usleep(100 * 1000);
			_exit(0);
		}
		ssize_t w = write(p[1], &g, sizeof g);
		(void)w;
		_exit(0);
	}
	pid_t g = 0;
	if (read(p[0], &g, sizeof g) != sizeof g)
		return 1;
	waitpid(a, NULL, 0);
	for (int i = 0; i < 30; i++) {
		usleep(100 * 1000);
		char path[64], buf[256];
		snprintf(path, sizeof path, "/proc/%d/stat", g);
		int fd = open(path, O_RDONLY);
		if (fd < 0) {
			printf("orphan %d: reaped\n", g);
			return 0;
		}
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		char *rp = strrchr(buf, ')');
		if (i == 29 && rp)
			printf("orphan %d: still there, state %c (a zombie nobody reaped)\n", g, rp[2]);
	}
	return 0;
}

static int linger(char **argv)
{
	for (int i = 0; i < 3; i++)
		if (fork() == 0) {
			setsid();
			signal(SIGHUP, SIG_IGN);
			signal(SIGTERM, SIG_IGN);
			for (;;)
				pause();
		}
	printf("left 3 children tagged %s\n", argv[2]);
	return 0;
}

static const char *err_name(int e)
{
	return strerrorname_np(e) ? strerrorname_np(e) : "?";
}

static int open_path(const char *path, const char *mode)
{
	int fd = open(path, (mode[0] == 'w' ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		printf("open %s: errno=%s\n", path, err_name(errno));
	else
		printf("open %s: ok\n", path);
	return 0;
}

static int make_node(const char *path, int major, int minor)
{
	if (mknod(path, S_IFCHR | 0666, makedev(major, minor)) < 0)
		printf("mknod %s: errno=%s\n", path, err_name(errno));
	else
		printf("mknod %s: ok\n", path);
	return 0;
}

static void list_fds(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		printf("none(%s)", err_name(errno));
		return;
	}
	int self = dirfd(d), n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && !(strcmp(dir, "/proc/self/fd") == 0 && atoi(e->d_name) == self))
			printf("%s%s", n++ ? "," : "", e->d_name);
	closedir(d);
}

static int fds(void)
{
	printf("fds self=");
	list_fds("/proc/self/fd");
	printf(" init=");
	list_fds("/proc/1/fd");
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "pids"))
		return pids();
	if (argc >= 3 && !strcmp(argv[1], "syscall"))
		return do_syscall(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "alloc"))
		return alloc(atol(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "spin"))
		return spin(atol(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "burn"))
		return burn(atol(argv[2]), argv + 3);
	if (argc >= 2 && !strcmp(argv[1], "forkbomb"))
		return forkbomb();
	if (argc >= 2 && !strcmp(argv[1], "trap"))
		return trap();
	if (argc >= 2 && !strcmp(argv[1], "orphan"))
		return orphan();
	if (argc >= 3 && !strcmp(argv[1], "linger"))
		return linger(argv);
	if (argc >= 4 && !strcmp(argv[1], "open"))
		return open_path(argv[2], argv[3]);
	if (argc >= 5 && !strcmp(argv[1], "mknod"))
		return make_node(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc >= 2 && !strcmp(argv[1], "fds"))
		return fds();
	fprintf(stderr, "kitprobe: unknown subcommand (see kitprobe.c)\n");
	return 2;
}

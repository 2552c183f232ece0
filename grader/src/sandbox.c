/*
 * sandbox.c: where submitted code runs (grader/README.md, "Sandbox and
 * limits"). Called in a freshly forked child of the grader, before exec.
 *
 * isolated (the default): new user, mount, PID, network, IPC and UTS
 * namespaces (user_namespaces(7), mount_namespaces(7)). The code runs as
 * one unprivileged identity (the caller's uid, or 65534 when the grader is
 * root) with no capabilities, no network (only a loopback that is down),
 * the whole file system read-only, the kit, the reports and every
 * top-level directory but the system's own (/usr, /etc, /var ...: so /home,
 * /root, /opt, /srv and the like) hidden under empty tmpfs, a private /tmp, and the grading tree mounted
 * read-only for tests (read-write for the build). The test is process 2
 * of its own PID namespace: when it ends, the kernel kills everything it
 * left behind (pid_namespaces(7), "the init process").
 *
 * privileged (`sandbox privileged`, a lab that must run on the machine itself;
 * lab04 is graded in a VM instead, vm.c): real root and no namespace
 * (the lab's tests create cgroups named after PIDs, which must be unique
 * on the machine); only the limits apply, and the grader's orphan sweep.
 *
 * none: user namespaces are not available here (Docker's default seccomp
 * profile refuses them): a root grader still drops to uid 65534; the limits
 * apply; nothing is hidden and the network is there.
 *
 * The fork of a multithreaded grader leaves only async-signal-safe calls
 * safe in the child: every string is prepared by sandbox_prepare().
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <linux/securebits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <grp.h>
#include <unistd.h>
#include "grader.h"

/* the unprivileged identity a root grader runs submissions as */
#define NOBODY 65534

const char *grader_hide[SANDBOX_MAX_HIDE];
static enum sandbox_mode probed = SB_NONE;
static const char *probe_error = "not probed";

const char *sandbox_mode_name(enum sandbox_mode m)
{
	return m == SB_ISOLATED ? "isolated" : m == SB_PRIVILEGED ? "privileged" : "none";
}

static void say(const char *s)
{
	ssize_t n = write(2, s, strlen(s));
	(void)n;
}

static void die(const char *what)
{
	say("grader sandbox: ");
	say(what);
	say(": ");
	say(strerror(errno));
	say("\n");
	_exit(SANDBOX_FAILED);
}

/* Raw system calls: glibc's setresuid() and friends signal every thread of
 * the process (setxid broadcast) under a lock that another thread of the
 * grader may have held at fork time; this child has one thread. */
static int drop_ids(unsigned id)
{
	if (syscall(SYS_setgroups, 0, NULL) < 0 || syscall(SYS_setresgid, id, id, id) < 0 ||
	    syscall(SYS_setresuid, id, id, id) < 0)
		return -1;
	return 0;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* mkdir -p in the (new) mount namespace; path is absolute */
static void mkdir_p(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n >= sizeof buf)
		return;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static int setattr(int dfd, const char *path, unsigned flags, unsigned long set)
{
	struct mount_attr a = { .attr_set = set };
	return (int)syscall(SYS_mount_setattr, dfd, path, flags, &a, sizeof a);
}

static int clone_tree(const char *path)
{
	return (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
}

static void limits(const struct sandbox *s)
{
	struct rlimit r;
	if (s->cpu_s > 0) {
		/* SIGXCPU at the limit, SIGKILL a second later (setrlimit(2)) */
		r = (struct rlimit){ s->cpu_s, s->cpu_s + 1 };
		setrlimit(RLIMIT_CPU, &r);
	}
	if (s->mem_mb > 0) {
		r.rlim_cur = r.rlim_max = (rlim_t)s->mem_mb << 20;
		setrlimit(RLIMIT_AS, &r);
	}
	if (s->fsize_mb > 0) {
		r.rlim_cur = r.rlim_max = (rlim_t)s->fsize_mb << 20;
		setrlimit(RLIMIT_FSIZE, &r);
	}
	r.rlim_cur = r.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &r);
}

/* No capability survives exec, even as uid 0 of the namespace
 * (capabilities(7), "The securebits flags"). */
static void drop_privileges(void)
{
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
					     SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
					     SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) < 0)
		die("securebits");
	for (int c = 0; c <= 63; c++)
		prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof d);
	if (syscall(SYS_capset, &h, d) < 0)
		die("capset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("no_new_privs");
}

static void mounts(const struct sandbox *s, int tree, int scratch)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("private mounts");
	if (tree < 0) {
		tree = clone_tree(s->tree);
		scratch = s->scratch ? clone_tree(s->scratch) : -1;
	}
	if (tree < 0 || (s->scratch && scratch < 0))
		die("open_tree");
	unsigned long ro = s->tree_rw ? 0 : MOUNT_ATTR_RDONLY;
	if (setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, ro | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV) < 0)
		die("tree attributes");
	if (setattr(AT_FDCWD, "/", AT_RECURSIVE, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID) < 0)
		die("read-only file system");
	for (int i = 0; i < s->nhide; i++) {
		const char *opt = s->hide_rw[i] ? "size=256m,mode=1777" : "size=1m,mode=0755";
		/* a directory we cannot even reach is hidden already */
		if (mount("tmpfs", s->hide[i], "tmpfs", MS_NOSUID | MS_NODEV, opt) < 0 && i == 0 && errno != EACCES)
			die("hiding the kit");
	}
	mkdir_p(s->tree);
	if (syscall(SYS_move_mount, tree, "", AT_FDCWD, s->tree, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die("mounting the tree");
	if (scratch >= 0) {
		mkdir_p(s->scratch);
		if (syscall(SYS_move_mount, scratch, "", AT_FDCWD, s->scratch, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			die("mounting the scratch directory");
	}
	close(tree);
	if (scratch >= 0)
		close(scratch);
	for (int i = 0; i < s->nhide; i++)
		if (!s->hide_rw[i])
			mount(NULL, s->hide[i], NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

/* The new network namespace has only a loopback, down: bring it up so
 * that tests may talk to QEMU (its gdb stub) inside the namespace; the
 * machine's own 127.0.0.1 stays out of reach (network_namespaces(7)). */
static void loopback_up(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, "lo", 3);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("loopback");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("loopback up");
	close(fd);
}

int sandbox_enter(const struct sandbox *s)
{
	limits(s);
	/* privileged: a lab whose tests name cgroups and sockets after PIDs,
	 * which must then be unique on the machine: no namespace at all */
	if (s->mode == SB_PRIVILEGED)
		return 0;
	if (s->mode == SB_NONE) {
		/* no namespaces (a Docker container's seccomp profile, say): a root
		 * grader still runs submissions as nobody, never as root */
		if (getuid() == 0 && drop_ids(NOBODY) < 0)
			die("dropping root");
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		return 0;
	}
	/* isolated: Criterion names its message socket /tmp/criterion_<pid>.sock,
	 * and every runner is PID 2 of its namespace: /tmp is private too */
	int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWIPC | CLONE_NEWUTS;
	pid_t parent = getppid();
	int tree = -1, scratch = -1;
	if (s->mode == SB_ISOLATED && getuid() == 0) {
		/* copies of the tree taken as root: nobody may not be able to
		 * reach it through the grader's private directories */
		tree = clone_tree(s->tree);
		scratch = s->scratch ? clone_tree(s->scratch) : -1;
		if (tree < 0 || (s->scratch && scratch < 0))
			die("open_tree");
		/* only a process outside may map another uid: become it first */
		if (drop_ids(NOBODY) < 0)
			die("dropping root");
		/* a uid change makes us non-dumpable, and /proc/self root's */
		prctl(PR_SET_DUMPABLE, 1);
	}
	if (unshare(flags) < 0)
		die("unshare");
	if (s->mode == SB_ISOLATED) {
		/* uid and gid 0 of the namespace are one unprivileged id outside */
		if (write_str("/proc/self/setgroups", "deny") < 0 || write_str("/proc/self/uid_map", s->uid_map) < 0 ||
		    write_str("/proc/self/gid_map", s->gid_map) < 0)
			die("uid map");
		if (syscall(SYS_setresgid, 0, 0, 0) < 0 || syscall(SYS_setresuid, 0, 0, 0) < 0)
			die("setresuid");
	}
	/* a change of uid clears the parent-death signal: set it again, so
	 * that a grader killed by SIGKILL takes every sandbox with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(SANDBOX_FAILED);
	mounts(s, tree, scratch);
	loopback_up();
	if (chdir(s->tree) < 0)
		die("chdir");
	/* the status of process 2 travels to us raw, so a signal stays a signal */
	int st[2];
	if (pipe2(st, O_CLOEXEC) < 0)
		die("pipe");
	pid_t init = fork();
	if (init < 0)
		die("fork");
	if (init > 0) {
		close(st[1]);
		int ws = 0, raw = -1;
		while (waitpid(init, &ws, 0) < 0 && errno == EINTR)
			;
		if (read(st[0], &raw, sizeof raw) != sizeof raw)
			raw = ws;
		if (WIFSIGNALED(raw)) {
			signal(WTERMSIG(raw), SIG_DFL);
			kill(getpid(), WTERMSIG(raw));
		}
		_exit(WIFEXITED(raw) ? WEXITSTATUS(raw) : 126);
	}
	/* process 1 of the new PID namespace */
	close(st[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mounting /proc");
	if (s->mode == SB_ISOLATED)
		sethostname("grader", 6);
	pid_t test = fork();
	if (test < 0)
		die("fork");
	if (test == 0) {
		if (s->mode == SB_ISOLATED) {
			/* counted per user namespace since Linux 5.14, so per test;
			 * set only now, or the namespace's parent level would share
			 * the limit with every sandbox of this uid */
			struct rlimit r = { (rlim_t)s->procs, (rlim_t)s->procs };
			if (s->procs > 0)
				setrlimit(RLIMIT_NPROC, &r);
			drop_privileges();
		}
		return 0;
	}
	/* reap orphans until the test itself ends; then the namespace goes */
	for (;;) {
		int ws;
		pid_t w = wait(&ws);
		if (w == test) {
			ssize_t n = write(st[1], &ws, sizeof ws);
			(void)n;
			_exit(0);
		}
		if (w < 0 && errno != EINTR)
			_exit(126);
	}
}

/* Other copies of the kit (an instructor's checkout, a course's shared
 * folder) must be as unreadable as the one grading: of the top level, only
 * the system's own directories stay visible. Found once: graders run
 * sandbox_prepare() from several threads. */
static char top[SANDBOX_MAX_HIDE][272];
static int ntop;
static pthread_once_t top_once = PTHREAD_ONCE_INIT;

static void find_top_level(void)
{
	static const char *const system_dirs[] = { "usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32",
						   "etc", "dev", "proc", "sys", "tmp", "var", "run" };
	DIR *root = opendir("/");
	struct dirent *e;
	while (root && (e = readdir(root)) && ntop < SANDBOX_MAX_HIDE / 2) {
		struct stat st;
		char path[272];
		snprintf(path, sizeof path, "/%s", e->d_name);
		bool keep = e->d_name[0] == '.' || lstat(path, &st) < 0 || !S_ISDIR(st.st_mode);
		for (size_t k = 0; !keep && k < sizeof system_dirs / sizeof *system_dirs; k++)
			keep = !strcmp(e->d_name, system_dirs[k]);
		if (!keep)
			memcpy(top[ntop++], path, sizeof path);
	}
	if (root)
		closedir(root);
}

void sandbox_prepare(struct sandbox *s, const struct manifest *m, const char *tree, bool tree_rw,
		     const char *scratch, const char *const *hide, int cpu_s)
{
	memset(s, 0, sizeof *s);
	s->mode = m->privileged ? SB_PRIVILEGED : probed;
	s->tree = tree;
	s->tree_rw = tree_rw;
	s->scratch = scratch;
	/* hide[0] (the kit) must be hidden; the rest where they exist */
	static const char *const always[] = { "/tmp", "/var/tmp", "/dev/shm", "/home", "/root", "/run/user" };
	for (int i = 0; hide && hide[i] && s->nhide < SANDBOX_MAX_HIDE; i++) {
		/* /tmp and the like come below, writable; "/" is never hidden */
		bool dup = !strcmp(hide[i], "/");
		for (size_t k = 0; k < sizeof always / sizeof *always; k++)
			dup |= !strcmp(hide[i], always[k]);
		if (!dup || i == 0)
			s->hide[s->nhide++] = hide[i];
	}
	for (size_t i = 0; i < sizeof always / sizeof *always && s->nhide < SANDBOX_MAX_HIDE; i++) {
		struct stat st;
		if (stat(always[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			s->hide_rw[s->nhide] = i < 3;
			s->hide[s->nhide++] = always[i];
		}
	}
	pthread_once(&top_once, find_top_level);
	for (int t = 0; t < ntop && s->nhide < SANDBOX_MAX_HIDE; t++) {
		bool dup = false;
		for (int k = 0; k < s->nhide; k++)
			dup |= !strcmp(s->hide[k], top[t]);
		if (!dup)
			s->hide[s->nhide++] = top[t];
	}
	uid_t u = getuid() == 0 ? NOBODY : getuid();
	gid_t g = getuid() == 0 ? NOBODY : getgid();
	snprintf(s->uid_map, sizeof s->uid_map, "0 %u 1", (unsigned)u);
	snprintf(s->gid_map, sizeof s->gid_map, "0 %u 1", (unsigned)g);
	s->cpu_s = cpu_s;
	s->mem_mb = m->memory_mb;
	s->procs = m->processes;
	s->fsize_mb = m->file_size_mb;
}

/* Runs /bin/true in a full sandbox once: namespaces work here or not. */
enum sandbox_mode sandbox_probe(const char **why)
{
	char dir[] = "/tmp/kit-probe-XXXXXX";
	probed = SB_ISOLATED;
	probe_error = NULL;
	const char *force = getenv("KIT_SANDBOX");
	if (force && !strcmp(force, "none")) {
		/* to see what a machine without user namespaces gets */
		probed = SB_NONE;
		probe_error = "KIT_SANDBOX=none";
		if (why)
			*why = probe_error;
		return probed;
	}
	if (!mkdtemp(dir)) {
		probed = SB_NONE;
		probe_error = "cannot create a directory under /tmp";
		goto out;
	}
	if (getuid() == 0 && chown(dir, NOBODY, NOBODY) < 0) {
		probed = SB_NONE;
		probe_error = "cannot chown a probe directory";
		goto out;
	}
	struct manifest m = { .memory_mb = 256, .processes = 16, .file_size_mb = 1 };
	struct sandbox s;
	const char *hide[] = { dir, NULL };
	sandbox_prepare(&s, &m, dir, false, NULL, hide + 1, 5);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		probed = SB_NONE;
		probe_error = "pipe";
		goto out;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		if (sandbox_enter(&s) == 0)
			execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	static char err[512];
	ssize_t n = pid > 0 ? read(p[0], err, sizeof err - 1) : -1;
	err[n > 0 ? n : 0] = 0;
	close(p[0]);
	int ws = 0;
	if (pid < 0 || waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws)) {
		probed = SB_NONE;
		char *nl = strchr(err, '\n');
		if (nl)
			*nl = 0;
		probe_error = err[0] ? err : "the probe did not run";
	}
	rmdir(dir);
out:
	if (why)
		*why = probe_error;
	return probed;
}

/*
 * kitinit.c: PID 1 of the throwaway VM that grades lab04 (manifest
 * `sandbox vm`, grader/README.md "Labs graded in a VM"). Kit code only;
 * static, so it needs nothing from the file system once loaded.
 *
 * Before any student code runs it:
 *   - makes itself non-dumpable (prctl(2) PR_SET_DUMPABLE 0): without
 *     CAP_SYS_PTRACE no process can then open /proc/1/fd, /proc/1/mem or
 *     ptrace it (ptrace(2), "Ptrace access mode checking");
 *   - loads the virtio console modules and opens the results port
 *     (virtio-serial "kit.results"), the only channel the grader reads:
 *     the virtio console driver lets one opener hold a port at a time, so
 *     nobody else can open it while init does;
 *   - reads the job list (one line per test, with its nonce) and the
 *     per-test root (a newc cpio: busybox, libraries, the test binaries,
 *     minictr, the rootfs) into memory, a sealed memfd (memfd_create(2),
 *     F_SEAL_WRITE), and unlinks both;
 *   - mounts cgroups as the layout of the kernel command line says
 *     (kit.layout=v2: cgroup2 with memory, pids, cpu; v1: a tmpfs with the
 *     v1 controllers, as the kit's own machine has them).
 * Then, for every job: a fresh tmpfs root extracted from the sealed cpio,
 * a child in a mount namespace of its own pivoted into it, with CAP_SYS_PTRACE,
 * CAP_SYS_RAWIO, CAP_SYS_MODULE, CAP_SYS_BOOT, CAP_BPF, CAP_PERFMON and
 * others out of the bounding set and a seccomp filter refusing bpf(2) (but
 * for the cgroup device program), perf_event_open(2), module and kexec calls, runs the Criterion test with
 * its nonce on a pipe (KIT_NONCE_FD, common/test/kit.h). After the time
 * limit or the test's end, every process but init is killed (kill(2) with
 * pid -1), and init sends the test's raw END bytes, TAP report, output and
 * status to the grader, which decides. Then it powers the VM off.
 *
 * Channel records: "<tag> <job> <length>\n<bytes>\n", tags HELLO, BEGIN,
 * END, TAP, OUT, STATUS, DONE, ERROR. Lengths are init's, so no byte a
 * test prints can break the framing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PORT_NAME "kit.results"
#define OUT_KEEP 8192
#define TAP_MAX 65536
#define END_MAX 4096
/* descriptors the test sees (common/test/kit.h) */
#define END_FD 3
#define NONCE_FD 4

static int chan = -1;
static char layout[8] = "v2";

/* One record on the results port (or the console, before the port). */
static void record(const char *tag, int job, const char *data, size_t len)
{
	char head[64];
	int n = snprintf(head, sizeof head, "%s %d %zu\n", tag, job, len);
	int fd = chan >= 0 ? chan : 1;
	if (write(fd, head, n) < 0 || (len && write(fd, data, len) < 0) || write(fd, "\n", 1) < 0)
		return;
}

static void say(const char *tag, int job, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	record(tag, job, buf, n < 0 ? 0 : (size_t)n >= sizeof buf ? sizeof buf - 1 : (size_t)n);
}

static void poweroff(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void fatal(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	say("ERROR", -1, "%s: %s", buf, strerror(errno));
	poweroff();
}

/* The whole file (procfs files say size 0: read to the end). */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	size_t cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
	char *b = malloc(cap);
	for (ssize_t r = 1; b && r > 0;) {
		if (n + 1 >= cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - 1 - n);
		if (r > 0)
			n += r;
	}
	close(fd);
	if (b)
		b[n] = 0;
	*len = n;
	return b;
}

/* ---- the virtio console modules and the results port ---- */

static void load_modules(void)
{
	size_t len;
	char *order = slurp("/modules/order", &len);
	if (!order)
		fatal("no /modules/order");
	for (char *l = strtok(order, "\n"); l; l = strtok(NULL, "\n")) {
		char path[256];
		snprintf(path, sizeof path, "/modules/%s", l);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		/* EEXIST: built in, or loaded already */
		if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST))
			fatal("loading %s", path);
		close(fd);
	}
	free(order);
}

static void open_port(void)
{
	for (int tries = 0; tries < 200 && chan < 0; tries++) {
		DIR *d = opendir("/sys/class/virtio-ports");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char p[300], name[64] = "";
			snprintf(p, sizeof p, "/sys/class/virtio-ports/%s/name", e->d_name);
			int fd = open(p, O_RDONLY | O_CLOEXEC);
			ssize_t n = fd >= 0 ? read(fd, name, sizeof name - 1) : -1;
			if (fd >= 0)
				close(fd);
			if (n <= 0 || strncmp(name, PORT_NAME, strlen(PORT_NAME)))
				continue;
			snprintf(p, sizeof p, "/dev/%s", e->d_name);
			chan = open(p, O_WRONLY | O_CLOEXEC | O_NOCTTY);
			/* the node is not needed any more; the open port stays ours */
			if (chan >= 0)
				unlink(p);
		}
		if (d)
			closedir(d);
		if (chan < 0)
			usleep(50000);
	}
	if (chan < 0)
		fatal("no virtio port named " PORT_NAME);
}

/* ---- the sealed per-test root: a newc cpio (cpio(5), "New ASCII Format") ---- */

static int root_fd = -1;
static char *root_map;
static size_t root_len;

static void seal_root(const char *path)
{
	size_t len;
	char *data = slurp(path, &len);
	if (!data)
		fatal("reading %s", path);
	root_fd = memfd_create("kit-root", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (root_fd < 0 || write(root_fd, data, len) != (ssize_t)len ||
	    fcntl(root_fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		fatal("sealing the test root");
	free(data);
	unlink(path);
	root_map = mmap(NULL, len, PROT_READ, MAP_SHARED, root_fd, 0);
	if (root_map == MAP_FAILED)
		fatal("mapping the test root");
	root_len = len;
}

static unsigned long hex8(const char *p)
{
	char b[9];
	memcpy(b, p, 8);
	b[8] = 0;
	return strtoul(b, NULL, 16);
}

static int extract_root(const char *dir)
{
	size_t off = 0;
	while (off + 110 <= root_len) {
		const char *h = root_map + off;
		if (memcmp(h, "070701", 6))
			return -1;
		unsigned long mode = hex8(h + 14), size = hex8(h + 54), namesize = hex8(h + 94);
		const char *name = h + 110;
		size_t data = (off + 110 + namesize + 3) & ~3UL;
		if (data + size > root_len || namesize == 0)
			return -1;
		if (!strcmp(name, "TRAILER!!!"))
			return 0;
		const char *rel = name;
		while (*rel == '.' || *rel == '/')
			rel++;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, rel);
		if (*rel && !strstr(rel, "..")) {
			const char *body = root_map + data;
			if (S_ISDIR(mode)) {
				mkdir(path, mode & 07777);
				chmod(path, mode & 07777);
			} else if (S_ISLNK(mode)) {
				char target[4096];
				size_t n = size < sizeof target - 1 ? size : sizeof target - 1;
				memcpy(target, body, n);
				target[n] = 0;
				if (symlink(target, path) < 0)
					return -1;
			} else if (S_ISREG(mode)) {
				int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
				if (fd < 0 || write(fd, body, size) != (ssize_t)size)
					return -1;
				close(fd);
			}
		}
		off = (data + size + 3) & ~3UL;
	}
	return -1;
}

/* ---- cgroups, as the layout says ---- */

static const char *const v1_controllers[] = { "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids" };
#define NV1 (sizeof v1_controllers / sizeof *v1_controllers)

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Mounts the cgroup file systems at /sys/fs/cgroup of the current mount
 * namespace; the first call (init's) also sets the hierarchy up. */
static int mount_cgroups(int first)
{
	if (!strcmp(layout, "v2")) {
		/* as systemd does: nsdelegate makes cgroup namespaces delegation
		 * boundaries (cgroup-v2.rst, "Delegation") */
		if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, first ? "nsdelegate" : NULL) < 0)
			return -1;
		if (first) {
			/* init out of the root group, as systemd's init.scope: the
			 * tests run in a leaf group, the root holds only kernel threads */
			mkdir("/sys/fs/cgroup/init.scope", 0755);
			if (write_str("/sys/fs/cgroup/init.scope/cgroup.procs", "1") < 0 ||
			    write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory +pids +cpu") < 0)
				return -1;
		}
		return 0;
	}
	if (mount("tmpfs", "/sys/fs/cgroup", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755") < 0)
		return -1;
	for (size_t i = 0; i < NV1; i++) {
		char p[64];
		snprintf(p, sizeof p, "/sys/fs/cgroup/%s", v1_controllers[i]);
		mkdir(p, 0755);
		if (mount("cgroup", p, "cgroup", MS_NOSUID | MS_NODEV | MS_NOEXEC, v1_controllers[i]) < 0)
			return -1;
	}
	return 0;
}

/* Removes every group a test left (depth first; its processes are dead). */
static void rmdir_below(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.' || (depth == 0 && !strcmp(e->d_name, "init.scope")))
			continue;
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		rmdir_below(p, depth + 1);
		rmdir(p);
	}
	if (d)
		closedir(d);
}

static void clean_cgroups(void)
{
	if (!strcmp(layout, "v2")) {
		rmdir_below("/sys/fs/cgroup", 0);
		return;
	}
	for (size_t i = 0; i < NV1; i++) {
		char p[64];
		snprintf(p, sizeof p, "/sys/fs/cgroup/%s", v1_controllers[i]);
		rmdir_below(p, 0);
	}
}

/* ---- one test ---- */

struct job {
	int idx, seconds;
	int grace; /* seconds after its END line before the test counts as hung (grader/src/run.c); 0: never */
	char bin[256], suite[128], name[128], nonce[80];
};

/* The capabilities no lab04 test or runtime needs, and that would reach
 * init, the kernel or the results port (capabilities(7)). */
static const int dropped_caps[] = { CAP_SYS_PTRACE, CAP_SYS_RAWIO, CAP_SYS_MODULE, CAP_SYS_BOOT, CAP_BPF,
				    CAP_PERFMON, CAP_SYSLOG, CAP_SYS_TIME, CAP_WAKE_ALARM, CAP_MAC_ADMIN,
				    CAP_MAC_OVERRIDE, CAP_SYS_TTY_CONFIG, CAP_BLOCK_SUSPEND, CAP_AUDIT_CONTROL,
				    CAP_AUDIT_READ, CAP_CHECKPOINT_RESTORE };

/* bpf(2) and perf_event_open(2) read other processes' memory with
 * CAP_SYS_ADMIN alone; the rest are belt and braces. ENOSYS, not EPERM:
 * lab04's tests expect the runtime's own filter's EPERM (seccomp(2): the
 * newest filter's errno wins), and the starter must not pass them here.
 * Of bpf(2), only what minictr's cgroup v2 device program and lab04's
 * test of it need stay: BPF_PROG_LOAD, BPF_PROG_ATTACH, BPF_PROG_DETACH
 * and BPF_PROG_QUERY. Tracing programs attach through perf_event_open,
 * BPF_RAW_TRACEPOINT_OPEN or BPF_LINK_CREATE, all refused; with
 * lockdown=confidentiality a program cannot read kernel memory, nor write
 * user memory. */
static int bpf_rules(scmp_filter_ctx ctx)
{
	static const int allowed[] = { BPF_PROG_LOAD, BPF_PROG_ATTACH, BPF_PROG_DETACH, BPF_PROG_QUERY };
	int top = BPF_PROG_QUERY;
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(bpf), 1, SCMP_A0(SCMP_CMP_GT, top)) < 0)
		return -1;
	for (int cmd = 0; cmd < top; cmd++) {
		bool ok = false;
		for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
			ok |= cmd == allowed[i];
		if (!ok && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(bpf), 1,
					    SCMP_A0(SCMP_CMP_EQ, cmd)) < 0)
			return -1;
	}
	return 0;
}

static int outer_seccomp(void)
{
	static const int denied[] = { SCMP_SYS(perf_event_open), SCMP_SYS(init_module),
				      SCMP_SYS(finit_module), SCMP_SYS(delete_module), SCMP_SYS(kexec_load),
				      SCMP_SYS(kexec_file_load), SCMP_SYS(iopl), SCMP_SYS(ioperm),
				      SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev), SCMP_SYS(pidfd_getfd) };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -1;
	/* no_new_privs stays as the test leaves it: lab04 checks the runtime sets it */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), denied[i], 0) < 0)
			return -1;
	if (bpf_rules(ctx) < 0)
		return -1;
	int rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}

static void child_fail(const char *what)
{
	dprintf(2, "kitinit: %s: %s\n", what, strerror(errno));
	_exit(125);
}

/* In the forked child: its own mount namespace pivoted into dir, then the test. */
static void run_child(const struct job *j, const char *dir)
{
	if (unshare(CLONE_NEWNS) < 0)
		child_fail("unshare");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		child_fail("private mounts");
	if (chdir(dir) < 0)
		child_fail("chdir");
	mkdir(".old", 0700);
	if (syscall(SYS_pivot_root, ".", ".old") < 0)
		child_fail("pivot_root");
	if (chdir("/") < 0)
		child_fail("chdir /");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
	    mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
	    mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) < 0)
		child_fail("mounting /proc, /sys, /dev");
	mkdir("/dev/pts", 0755);
	mkdir("/dev/shm", 01777);
	mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666");
	mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	if (mount_cgroups(0) < 0)
		child_fail("mounting cgroups");
	if (umount2("/.old", MNT_DETACH) < 0)
		child_fail("detaching the old root");
	rmdir("/.old");
	for (size_t i = 0; i < sizeof dropped_caps / sizeof *dropped_caps; i++)
		if (prctl(PR_CAPBSET_DROP, dropped_caps[i], 0, 0, 0) < 0 && errno != EINVAL)
			child_fail("dropping capabilities");
	if (outer_seccomp() < 0)
		child_fail("seccomp");
	struct rlimit core = { 0, 0 };
	setrlimit(RLIMIT_CORE, &core);
	char bin[512], filter[300], secs[16];
	snprintf(bin, sizeof bin, "/kit/build/%s", j->bin);
	snprintf(filter, sizeof filter, "--filter=%s/%s", j->suite, j->name);
	snprintf(secs, sizeof secs, "%d", j->seconds);
	char *argv[] = { bin, filter, "--tap=/tmp/kit-test.tap", "--timeout", secs, "--jobs", "1", NULL };
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C", "TMPDIR=/tmp", "KIT_ROOT=/kit",
			 "KIT_END_FD=3", "KIT_NONCE_FD=4", NULL };
	if (chdir("/kit") < 0)
		child_fail("chdir /kit");
	execve(bin, argv, envp);
	child_fail(bin);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void kill_everything(void)
{
	/* every process but init (kill(2): pid -1) */
	for (int round = 0; round < 20; round++) {
		kill(-1, SIGKILL);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (kill(-1, 0) < 0 && errno == ESRCH)
			break;
		usleep(50000);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * One run of job j. A test whose END line has arrived but whose program is
 * still running j->grace seconds later is hung (Criterion 2.4.1 can
 * deadlock after a test ends; grader/src/run.c): on a first run, nothing
 * is reported and true is returned, so that the caller runs it once more,
 * with the whole time limit (a slow teardown is never failed for it).
 */
static bool run_attempt(const struct job *j, long output_max, bool last)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/t%d", j->idx);
	mkdir(dir, 0755);
	if (mount("tmpfs", dir, "tmpfs", 0, "mode=755,size=512m") < 0 || extract_root(dir) < 0) {
		say("STATUS", j->idx, "setup: cannot extract the test root: %s", strerror(errno));
		return false;
	}
	int out[2], end[2], nonce[2];
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(end, O_CLOEXEC) < 0 || pipe2(nonce, O_CLOEXEC) < 0) {
		say("STATUS", j->idx, "setup: pipe: %s", strerror(errno));
		return false;
	}
	/* the nonce waits in the pipe; the test reads it before any student code runs */
	char line[128];
	int nl = snprintf(line, sizeof line, "%s\n", j->nonce);
	if (write(nonce[1], line, nl) != nl) {
		say("STATUS", j->idx, "setup: nonce: %s", strerror(errno));
		return false;
	}
	close(nonce[1]);
	say("BEGIN", j->idx, "%s::%s", j->suite, j->name);
	double t0 = now();
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		int e = fcntl(end[1], F_DUPFD, 10), n = fcntl(nonce[0], F_DUPFD, 10);
		dup2(null, 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		dup2(e, END_FD);
		dup2(n, NONCE_FD);
		run_child(j, dir);
	}
	close(out[1]);
	close(end[1]);
	close(nonce[0]);
	char *outbuf = malloc(OUT_KEEP), endbuf[END_MAX];
	size_t outlen = 0, endlen = 0;
	long outtotal = 0;
	int st = 0;
	bool exited = false, timed_out = false, flooded = false, oeof = false, eeof = false, hung = false;
	double deadline = t0 + j->seconds + 2, end_at = 0;
	char end_want[512];
	snprintf(end_want, sizeof end_want, "END %s::%s %s\n", j->suite, j->name, j->nonce);
	while (!exited && pid > 0) {
		int left = (int)((deadline - now()) * 1000);
		if (left <= 0 || flooded) {
			timed_out = !flooded;
			break;
		}
		struct pollfd pf[2] = { { .fd = oeof ? -1 : out[0], .events = POLLIN }, { .fd = eeof ? -1 : end[0], .events = POLLIN } };
		if (poll(pf, 2, left < 100 ? left : 100) > 0) {
			char chunk[16384];
			if (pf[0].revents) {
				ssize_t n = read(out[0], chunk, sizeof chunk);
				if (n <= 0)
					oeof = true;
				else {
					size_t keep = outlen < OUT_KEEP ? OUT_KEEP - outlen : 0;
					keep = (size_t)n < keep ? (size_t)n : keep;
					memcpy(outbuf + outlen, chunk, keep);
					outlen += keep;
					outtotal += n;
					flooded = outtotal > output_max;
				}
			}
			if (pf[1].revents) {
				ssize_t n = read(end[0], endbuf + endlen, sizeof endbuf - endlen);
				if (n <= 0 || endlen + n >= sizeof endbuf)
					eeof = true;
				if (n > 0)
					endlen += n;
				if (end_at == 0 && memmem(endbuf, endlen, end_want, strlen(end_want)))
					end_at = now();
			}
		} else if (oeof && eeof) {
			usleep(20000);
		}
		if (waitpid(pid, &st, WNOHANG) == pid)
			exited = true;
		else if (!last && j->grace > 0 && end_at > 0 && now() - end_at > j->grace) {
			hung = true;
			break;
		}
	}
	kill_everything();
	fcntl(end[0], F_SETFL, O_NONBLOCK);
	for (ssize_t n = 1; n > 0 && endlen < sizeof endbuf;) {
		n = read(end[0], endbuf + endlen, sizeof endbuf - endlen);
		if (n > 0)
			endlen += n;
	}
	close(out[0]);
	close(end[0]);
	if (hung) {
		free(outbuf);
		umount2(dir, MNT_DETACH);
		rmdir(dir);
		clean_cgroups();
		return true;
	}
	char tap[4096];
	snprintf(tap, sizeof tap, "%s/tmp/kit-test.tap", dir);
	size_t taplen = 0;
	char *taptext = slurp(tap, &taplen);
	record("END", j->idx, endbuf, endlen);
	record("TAP", j->idx, taptext ? taptext : "", taptext ? (taplen < TAP_MAX ? taplen : TAP_MAX) : 0);
	record("OUT", j->idx, outbuf, outlen);
	if (flooded)
		say("STATUS", j->idx, "flooded %ld", outtotal);
	else if (timed_out)
		say("STATUS", j->idx, "timeout %.1f", now() - t0);
	else if (WIFSIGNALED(st))
		say("STATUS", j->idx, "signal %d %.1f", WTERMSIG(st), now() - t0);
	else
		say("STATUS", j->idx, "exit %d %.1f", WEXITSTATUS(st), now() - t0);
	free(taptext);
	free(outbuf);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	clean_cgroups();
	return false;
}

static void run_job(const struct job *j, long output_max)
{
	if (run_attempt(j, output_max, false))
		run_attempt(j, output_max, true);
}

int main(void)
{
	/* before anything else: nobody may read init's memory or descriptors */
	prctl(PR_SET_DUMPABLE, 0);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
	    mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
	    mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) < 0)
		fatal("mounting /proc, /sys, /dev");
	size_t len;
	char *cmdline = slurp("/proc/cmdline", &len);
	char *lay = cmdline ? strstr(cmdline, "kit.layout=") : NULL;
	if (lay && !strncmp(lay + 11, "v1", 2))
		strcpy(layout, "v1");
	load_modules();
	open_port();
	char *jobs = slurp("/kit/jobs", &len);
	if (!jobs)
		fatal("no /kit/jobs");
	unlink("/kit/jobs");
	seal_root("/kit/root.cpio");
	/* switch_root: pivot_root(2) refuses the initial rootfs, and minictr
	 * pivots, so the tests' roots must sit below a real mount */
	mkdir("/newroot", 0755);
	if (mount("tmpfs", "/newroot", "tmpfs", 0, "mode=755") < 0 || chdir("/newroot") < 0)
		fatal("mounting the new root");
	mkdir("proc", 0755);
	mkdir("sys", 0755);
	mkdir("dev", 0755);
	if (mount("/proc", "proc", NULL, MS_MOVE, NULL) < 0 || mount("/sys", "sys", NULL, MS_MOVE, NULL) < 0 ||
	    mount("/dev", "dev", NULL, MS_MOVE, NULL) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 ||
	    chdir("/") < 0)
		fatal("switching root");
	if (mount_cgroups(1) < 0)
		fatal("mounting cgroups (%s)", layout);
	sethostname("kit-vm", 6);
	say("HELLO", -1, "layout %s", layout);
	long output_max = 1024 * 1024;
	for (char *l = jobs, *next; l && *l; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		struct job j;
		memset(&j, 0, sizeof j);
		if (sscanf(l, "output %ld", &output_max) == 1)
			continue;
		if (sscanf(l, "job %d %d %255s %127s %127s %79s %d", &j.idx, &j.seconds, j.bin, j.suite, j.name, j.nonce,
			   &j.grace) < 6)
			continue;
		run_job(&j, output_max);
	}
	say("DONE", -1, "layout %s", layout);
	poweroff();
}

/* ctr.c: see ctr.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctr.h"

#define MAX_ARGS 64

int ctr_as_uid = -1;
bool ctr_own_group;
const char *ctr_rootfs;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

bool ctr_is_root(void)
{
	return geteuid() == 0;
}

void ctr_need_root(void)
{
	cr_assert(ctr_is_root(),
		  "lab04's container tests create namespaces and cgroups and need root (euid 0), got euid %d.\n"
		  "  run them as root: sudo make test, or sudo build/lab04/tests/<binary>",
		  (int)geteuid());
}

const char *ctr_tag(void)
{
	static char tag[64];
	if (!tag[0]) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		snprintf(tag, sizeof tag, "kittag-%d-%ld", (int)getpid(), (long)(t.tv_nsec ^ t.tv_sec));
	}
	return tag;
}

void ctr_start_raw(struct ctr *r, const char *const argv[])
{
	int out[2], err[2];
	memset(r, 0, sizeof *r);
	r->status = -1;
	size_t n = 0;
	for (int i = 0; argv[i]; i++)
		n += snprintf(r->cmdline + n, n < sizeof r->cmdline ? sizeof r->cmdline - n : 0, "%s%s",
			      i ? " " : "", argv[i]);
	/*
	 * A runtime killed by a test leaves its cleanup guard an orphan; make
	 * this test process its adopter, so that the guard finishes its work
	 * here rather than under whichever subreaper (a grader sweeping
	 * orphans) sits above us. ctr_leftovers reaps it.
	 */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	cr_assert(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (ctr_own_group)
			setpgid(0, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		if (ctr_as_uid >= 0 && (setgroups(0, NULL) < 0 || setresgid(ctr_as_uid, ctr_as_uid, ctr_as_uid) < 0 ||
					setresuid(ctr_as_uid, ctr_as_uid, ctr_as_uid) < 0)) {
			fprintf(stderr, "cannot become uid %d: %s\n", ctr_as_uid, strerror(errno));
			_exit(127);
		}
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s (build it: make lab04-build)\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	r->pid = pid;
	r->out_fd = out[0];
	r->err_fd = err[0];
}

static void start_v(struct ctr *r, const char *arg, va_list ap)
{
	const char *argv[MAX_ARGS];
	int n = 0;
	argv[n++] = strdup(kit_path("build/lab04/minictr"));
	argv[n++] = "run";
	argv[n++] = "--rootfs";
	argv[n++] = strdup(ctr_rootfs ? ctr_rootfs : kit_path("build/lab04/rootfs"));
	argv[n++] = "--verbose";
	for (const char *a = arg; a && n < MAX_ARGS - 1; a = va_arg(ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
	ctr_start_raw(r, argv);
}

void ctr_start(struct ctr *r, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	start_v(r, arg, ap);
	va_end(ap);
}

/* The host pid minictr --verbose names ("container's first process is host pid N"). */
static void find_init_pid(struct ctr *r)
{
	const char *k = "first process is host pid ";
	const char *p = strstr(r->err, k);
	if (p && !r->init_pid)
		r->init_pid = atoi(p + strlen(k));
}

/* Read what is there on both pipes, for at most until DEADLINE; false once both are closed. */
static bool pump(struct ctr *r, double deadline)
{
	struct pollfd p[2] = { { r->out_fd, POLLIN, 0 }, { r->err_fd, POLLIN, 0 } };
	if (r->out_fd < 0 && r->err_fd < 0)
		return false;
	int ms = (int)((deadline - now()) * 1000);
	if (ms <= 0)
		return true;
	if (poll(p, 2, ms) <= 0)
		return true;
	for (int i = 0; i < 2; i++) {
		if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		char *buf = i ? r->err : r->out;
		size_t *len = i ? &r->err_len : &r->out_len;
		size_t cap = i ? sizeof r->err : sizeof r->out;
		char junk[4096];
		ssize_t n = *len + 1 < cap ? read(p[i].fd, buf + *len, cap - 1 - *len) : read(p[i].fd, junk, sizeof junk);
		if (n <= 0) {
			close(p[i].fd);
			if (i)
				r->err_fd = -1;
			else
				r->out_fd = -1;
		} else if (*len + 1 < cap) {
			*len += n;
			buf[*len] = '\0';
		}
	}
	find_init_pid(r);
	return true;
}

bool ctr_wait_output(struct ctr *r, const char *text, int seconds)
{
	double deadline = now() + seconds;
	while (!strstr(r->out, text)) {
		if (now() >= deadline || !pump(r, deadline))
			return false;
	}
	return true;
}

void ctr_finish(struct ctr *r, int seconds)
{
	double deadline = now() + seconds;
	while (now() < deadline && pump(r, deadline))
		;
	int st;
	pid_t w = waitpid(r->pid, &st, WNOHANG);
	while (w == 0 && now() < deadline) {
		usleep(10000);
		w = waitpid(r->pid, &st, WNOHANG);
	}
	if (w == 0) {
		r->timed_out = true;
		kill(r->pid, SIGKILL);
		waitpid(r->pid, &st, 0);
	}
	/* Output still in flight after the exit (only a leftover holds the pipes open). */
	double grace = now() + 0.5;
	while (now() < grace && pump(r, grace))
		;
	if (r->out_fd >= 0)
		close(r->out_fd);
	if (r->err_fd >= 0)
		close(r->err_fd);
	r->out_fd = r->err_fd = -1;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void ctr_run(struct ctr *r, int seconds, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	start_v(r, arg, ap);
	va_end(ap);
	ctr_finish(r, seconds);
}

const char *ctr_show(const struct ctr *r)
{
	static char buf[8192];
	snprintf(buf, sizeof buf, "\n  command: %s\n  status: %d%s\n  stdout: %.2000s\n  stderr: %.2000s", r->cmdline,
		 r->status, r->timed_out ? " (killed by the test: timed out)" : "", r->out, r->err);
	return buf;
}

static char leftover[4096];
static char cg_name[64];

static int find_cgroup(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	if (type == FTW_D && strcmp(path + ftw->base, cg_name) == 0) {
		snprintf(leftover + strlen(leftover), sizeof leftover - strlen(leftover), "cgroup %s; ", path);
		return 0;
	}
	/* Nothing of ours sits deeper than our caller's groups plus one. */
	return ftw->level > 12 ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
}

static void scan(const struct ctr *r)
{
	leftover[0] = '\0';
	snprintf(cg_name, sizeof cg_name, "minictr-%d", (int)r->pid);
	nftw("/sys/fs/cgroup", find_cgroup, 16, FTW_PHYS | FTW_ACTIONRETVAL);
	if (r->init_pid > 0 && kill(r->init_pid, 0) == 0) {
		char path[64], st[256] = "";
		snprintf(path, sizeof path, "/proc/%d/stat", (int)r->init_pid);
		FILE *f = fopen(path, "r");
		if (f) {
			if (!fgets(st, sizeof st, f))
				st[0] = '\0';
			fclose(f);
		}
		snprintf(leftover + strlen(leftover), sizeof leftover - strlen(leftover),
			 "the container's first process (host pid %d: %.80s); ", (int)r->init_pid, st);
	}
	const char *rootfs = ctr_rootfs ? ctr_rootfs : kit_path("build/lab04/rootfs");
	char real[4096];
	if (realpath(rootfs, real)) {
		FILE *f = fopen("/proc/self/mountinfo", "r");
		char line[4096];
		while (f && fgets(line, sizeof line, f))
			if (strstr(line, real))
				snprintf(leftover + strlen(leftover), sizeof leftover - strlen(leftover),
					 "a host mount: %.200s; ", line);
		if (f)
			fclose(f);
	}
}

const char *ctr_leftovers(const struct ctr *r)
{
	/* After a killed runtime the guard needs a moment to empty and remove the cgroup. */
	for (int i = 0; i < 50; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			; /* adopted guards that are done */
		scan(r);
		if (!leftover[0])
			break;
		usleep(50 * 1000);
	}
	return leftover;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void ctr_remove_tree(const char *dir)
{
	if (dir && strncmp(dir, "/tmp/lab04-", 11) == 0)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *ctr_copy_rootfs(char *dir, size_t size)
{
	static char rootfs[4200];
	snprintf(dir, size, "/tmp/lab04-hostile-XXXXXX");
	cr_assert(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	chmod(dir, 0755);
	snprintf(rootfs, sizeof rootfs, "%s/rootfs", dir);
	char cmd[9000];
	snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", kit_path("build/lab04/rootfs"), rootfs);
	cr_assert(system(cmd) == 0, "could not copy the kit's rootfs (%s): build it with make lab04-build", cmd);
	return rootfs;
}

static char found_cg[4096];
static int find_named(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	if (type == FTW_D && strcmp(path + ftw->base, cg_name) == 0) {
		snprintf(found_cg, sizeof found_cg, "%s", path);
		return FTW_STOP;
	}
	return ftw->level > 12 ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
}

const char *ctr_find_cgroup(const char *root, pid_t runtime)
{
	found_cg[0] = '\0';
	snprintf(cg_name, sizeof cg_name, "minictr-%d", (int)runtime);
	nftw(root, find_named, 16, FTW_PHYS | FTW_ACTIONRETVAL);
	return found_cg;
}

const char *ctr_tagged_processes(const char *tag)
{
	static char found[2048];
	found[0] = '\0';
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300], buf[4096];
		snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		if (strstr(buf, tag) && strstr(buf, "kitprobe"))
			snprintf(found + strlen(found), sizeof found - strlen(found), "pid %s (%.100s); ", e->d_name, buf);
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * vm.c: the tests of a `sandbox vm` lab (lab04) run in a throwaway VM
 * (grader/README.md, "Labs graded in a VM"): one boot of Debian's x86-64
 * kernel per cgroup layout (v2 unified, v1 controllers), each with an
 * initramfs made for this grade (lab04-containers/vm/mkinitramfs.sh) whose
 * PID 1 is kit code (lab04-containers/vm/kitinit.c). No network, no shared
 * folder, no host file: the VM sees only what the initramfs holds, and QEMU
 * itself runs in the grader's sandbox (uid 65534, namespaces, the kit and
 * the other submissions hidden).
 *
 * Results come back on a virtio-serial port that init holds open (one
 * opener at a time), as records "<tag> <job> <length>\n<bytes>\n". The
 * grader decides here: a test passes only if its TAP says ok AND its END
 * bytes hold "END <suite>::<name> <nonce>" with the nonce this grader chose
 * for that boot, on both layouts. A VM that stops answering, dies or
 * panics fails the tests it had not finished, with a message saying so.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "grader.h"

/* seconds for the kernel to boot and init to say HELLO (TCG, loaded machine) */
#define VM_BOOT_LIMIT 240
/* a KVM that hangs (nested KVM on some clouds) says nothing: this soon */
#define VM_KVM_WAIT 20
/* beyond a test's own limit: extraction of its root, killing, reporting */
#define VM_TEST_GRACE 60
#define VM_MEMORY_MB "1536"

static const char *const layouts[2] = { "v2", "v1" };

struct vmtest {
	bool begun, finished;
	char *end, *tap, *out, *status;
	size_t outlen;
};

struct vmrun {
	const struct manifest *m;
	const char *tree, *vmdir, *kernel, *kver;
	const bool *skip;
	int layout;            /* index into layouts */
	char (*nonce)[33];
	struct vmtest *t;
	char *failure;         /* why the VM stopped early, or NULL */
	double seconds;
	char accel[8];
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs argv in the grader's sandbox (tree read-only, vmdir writable) and
 * returns its pid; the caller waits. */
static pid_t sandboxed(const struct vmrun *r, char *const argv[], int out_fd, int cpu_s, long mem_mb)
{
	struct sandbox sb;
	sandbox_prepare(&sb, r->m, r->tree, false, r->vmdir, grader_hide, cpu_s);
	sb.mem_mb = mem_mb;
	/* the grader's one fixed environment (env.c), HOME and TMPDIR the VM's directory */
	char **env = env_fixed(r->vmdir, r->vmdir, NULL);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t pid = children_fork();
	if (pid == 0) {
		setpgid(0, 0);
		dup2(null, 0);
		dup2(out_fd, 1);
		dup2(out_fd, 2);
		/* nothing the grader holds (make's jobserver, the other layout's files) */
		close_range(3, ~0U, 0);
		if (sandbox_enter(&sb) != 0)
			_exit(SANDBOX_FAILED);
		if (chdir(r->vmdir) < 0)
			_exit(126);
		execve(argv[0], argv, env);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	close(null);
	env_free(env);
	return pid;
}

/* The initramfs of one layout: its job list (fresh nonces) and the tree's build. */
static char *make_initramfs(struct vmrun *r)
{
	const struct manifest *m = r->m;
	char *jobs = xasprintf("%s/jobs-%s", r->vmdir, layouts[r->layout]);
	FILE *f = fopen(jobs, "w");
	if (!f)
		return xasprintf("cannot write %s", jobs);
	fprintf(f, "output %ld\n", (long)m->output_kb * 1024);
	for (int i = 0; i < m->ntests; i++) {
		if (r->skip && r->skip[i])
			continue;
		make_nonce(r->nonce[i]);
		fprintf(f, "job %d %d %s %s %s %s %d\n", i, m->tests[i].seconds, m->tests[i].bin, m->tests[i].suite,
			m->tests[i].name, r->nonce[i], post_end_grace(m->tests[i].seconds));
	}
	fclose(f);
	if (getuid() == 0 && lchown(jobs, 65534, 65534) < 0)
		perror("grader: chown");
	char *img = xasprintf("%s/initramfs-%s.gz", r->vmdir, layouts[r->layout]);
	char *script = xasprintf("%s/mkinitramfs.sh", r->vmdir);
	char *b04 = xasprintf("%s/build/%s", r->tree, "lab04");
	char *init = xasprintf("%s/build/lab04/vm/kitinit", r->tree);
	char *log = xasprintf("%s/mkinitramfs-%s.log", r->vmdir, layouts[r->layout]);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	char *argv[] = { "/bin/sh", script, img, b04, (char *)r->kver, jobs, init, NULL };
	pid_t pid = fd >= 0 ? sandboxed(r, argv, fd, m->build_timeout, m->memory_mb) : -1;
	int st = -1;
	if (pid > 0) {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		children_remove(pid);
	}
	if (fd >= 0)
		close(fd);
	char *err = NULL;
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		char *text = read_file(log, NULL);
		err = xasprintf("could not build the VM's initramfs: %.600s", text ? text : "(no output)");
		free(text);
	}
	unlink(jobs);
	free(jobs);
	free(img);
	free(script);
	free(b04);
	free(init);
	free(log);
	return err;
}

/* Parses the complete records of the results file into r->t; returns
 * 1 on DONE, -1 on ERROR (r->failure says why), else 0. */
static int parse(struct vmrun *r, const char *text, size_t len, bool *hello, int *current)
{
	size_t off = 0;
	int rc = 0;
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		if (!nl)
			break;
		char tag[16];
		int job;
		size_t n;
		char head[96];
		size_t hl = (size_t)(nl - (text + off));
		if (hl >= sizeof head)
			break;
		memcpy(head, text + off, hl);
		head[hl] = 0;
		if (sscanf(head, "%15s %d %zu", tag, &job, &n) != 3 || (size_t)(nl - text) + 1 + n + 1 > len)
			break;
		const char *body = nl + 1;
		off = (size_t)(nl - text) + 1 + n + 1;
		struct vmtest *t = job >= 0 && job < r->m->ntests ? &r->t[job] : NULL;
		char *copy = xrealloc(NULL, n + 1);
		memcpy(copy, body, n);
		copy[n] = 0;
		if (!strcmp(tag, "HELLO")) {
			*hello = true;
		} else if (!strcmp(tag, "DONE")) {
			rc = 1;
		} else if (!strcmp(tag, "ERROR")) {
			free(r->failure);
			r->failure = xasprintf("the VM's init failed: %s", copy);
			rc = -1;
		} else if (t && !strcmp(tag, "BEGIN")) {
			t->begun = true;
			*current = job;
		} else if (t && !strcmp(tag, "END")) {
			free(t->end);
			t->end = copy;
			copy = NULL;
		} else if (t && !strcmp(tag, "TAP")) {
			free(t->tap);
			t->tap = copy;
			copy = NULL;
		} else if (t && !strcmp(tag, "OUT")) {
			free(t->out);
			t->out = copy;
			t->outlen = n;
			copy = NULL;
		} else if (t && !strcmp(tag, "STATUS")) {
			free(t->status);
			t->status = copy;
			t->finished = true;
			copy = NULL;
			*current = -1;
		}
		free(copy);
		if (rc)
			break;
	}
	return rc;
}

static void stop(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	children_remove(pid);
}

/* One boot: returns 0 when init said DONE, else sets r->failure. A KVM
 * boot that says nothing in VM_KVM_WAIT seconds returns 2 (try TCG). */
static int boot(struct vmrun *r)
{
	const struct manifest *m = r->m;
	const char *lay = layouts[r->layout];
	char *results = xasprintf("%s/results-%s", r->vmdir, lay);
	char *console = xasprintf("%s/console-%s.log", r->vmdir, lay);
	char *img = xasprintf("%s/initramfs-%s.gz", r->vmdir, lay);
	char *chardev = xasprintf("file,id=kit,path=%s", results);
	char *serial = xasprintf("file:%s", console);
	char *append = xasprintf("console=ttyS0 loglevel=1 panic=-1 lockdown=confidentiality kit.layout=%s", lay);
	unlink(results);
	int total = VM_BOOT_LIMIT;
	for (int i = 0; i < m->ntests; i++)
		total += m->tests[i].seconds + VM_TEST_GRACE;
	char *argv[] = { "/usr/bin/qemu-system-x86_64", "-accel", r->accel, "-cpu",
			 !strcmp(r->accel, "kvm") ? "host" : "qemu64", "-m", VM_MEMORY_MB, "-smp", "2",
			 "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-nic", "none",
			 "-serial", serial, "-device", "virtio-serial-pci", "-chardev", chardev, "-device",
			 "virtserialport,chardev=kit,name=kit.results", "-kernel", (char *)r->kernel, "-initrd", img,
			 "-append", append, NULL };
	char *qlog = xasprintf("%s/qemu-%s.log", r->vmdir, lay);
	int fd = open(qlog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	double t0 = now();
	pid_t pid = fd >= 0 ? sandboxed(r, argv, fd, total, 8192) : -1;
	if (fd >= 0)
		close(fd);
	int rc = -1;
	if (pid < 0) {
		r->failure = xstrdup("the grader could not start QEMU");
		goto out;
	}
	bool hello = false;
	int current = -1;
	double progress = t0, last_begin = t0;
	size_t seen = 0;
	for (;;) {
		size_t len = 0;
		char *text = read_file(results, &len);
		int st;
		bool dead = waitpid(pid, &st, WNOHANG) == pid;
		int p = text ? parse(r, text, len, &hello, &current) : 0;
		if (len != seen) {
			seen = len;
			progress = now();
		}
		if (current >= 0 && !r->t[current].finished && last_begin < progress && r->t[current].begun)
			last_begin = progress;
		free(text);
		if (p == 1) {
			rc = 0;
			if (!dead)
				waitpid(pid, &st, 0);
			children_remove(pid);
			break;
		}
		if (p < 0) {
			stop(pid);
			break;
		}
		if (dead || grader_interrupted) {
			children_remove(pid);
			char *q = read_file(qlog, NULL);
			r->failure = grader_interrupted ? xstrdup("interrupted")
				     : xasprintf("the VM stopped before the end (QEMU %s %d%s%.300s; a panic or a "
						 "poweroff from inside: see the console)",
						 WIFEXITED(st) ? "exit status" : "signal",
						 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), q && *q ? ": " : "", q ? q : "");
			free(q);
			break;
		}
		double t = now();
		if (!hello && !strcmp(r->accel, "kvm") && t - t0 > VM_KVM_WAIT) {
			stop(pid);
			rc = 2;
			break;
		}
		int limit = current >= 0 ? m->tests[current].seconds + VM_TEST_GRACE : VM_TEST_GRACE * 2;
		if ((!hello && t - t0 > VM_BOOT_LIMIT) || (hello && t - progress > limit) || t - t0 > total) {
			stop(pid);
			r->failure = !hello ? xasprintf("the VM did not boot within %d s (accel %s)", VM_BOOT_LIMIT, r->accel)
					    : xasprintf("the VM stopped answering (nothing for %d s%s%s): stopped by the grader",
							limit, current >= 0 ? " during " : "", current >= 0 ? m->tests[current].id : "");
			break;
		}
		usleep(200000);
	}
out:
	r->seconds = now() - t0;
	free(results);
	free(console);
	free(img);
	free(chardev);
	free(serial);
	free(append);
	free(qlog);
	return rc;
}

static void *run_layout(void *arg)
{
	struct vmrun *r = arg;
	r->failure = make_initramfs(r);
	if (r->failure)
		return NULL;
	printf("grade: VM, cgroup %s: booting %s (%s)\n", layouts[r->layout], r->kernel, r->accel);
	fflush(stdout);
	if (boot(r) == 2) {
		printf("grade: VM, cgroup %s: no boot under KVM in %d s (nested KVM?): again with TCG\n",
		       layouts[r->layout], VM_KVM_WAIT);
		strcpy(r->accel, "tcg");
		for (int i = 0; i < r->m->ntests; i++)
			r->t[i] = (struct vmtest){ 0 };
		boot(r);
	}
	printf("grade: VM, cgroup %s: %s in %.0f s\n", layouts[r->layout], r->failure ? "stopped early" : "done", r->seconds);
	fflush(stdout);
	return NULL;
}

/* The verdict of one test on one layout; NULL when it passed, else why. */
static char *verdict(const struct vmrun *r, int i, const char *description)
{
	const struct mtest *t = &r->m->tests[i];
	const struct vmtest *v = &r->t[i];
	if (!v->finished)
		return xasprintf("not finished: %s\n", r->failure ? r->failure : "the VM ended before this test");
	const char *s = v->status;
	if (!strncmp(s, "setup", 5))
		return xasprintf("the VM could not set up this test: %s\n", s);
	if (!strncmp(s, "flooded", 7))
		return xasprintf("output limit exceeded: more than %d KiB on stdout and stderr (the manifest's limit); "
				 "look for a print in a loop\n", r->m->output_kb);
	if (!strncmp(s, "timeout", 7))
		return xasprintf("time limit exceeded: still running after %d s of wall-clock time (the manifest's "
				 "limit); look for an endless loop or a wait that never ends\n", t->seconds);
	char *want = xasprintf("END %s %s\n", t->id, r->nonce[i]);
	bool reached_end = v->end && strstr(v->end, want);
	free(want);
	char *why = NULL;
	int ok = tap_verdict(v->tap, t->id, description, &why);
	if (ok == 1 && reached_end) {
		free(why);
		return NULL;
	}
	if (ok == 1) {
		free(why);
		return xstrdup("Criterion reported success but the test never reached its end (did the code under test "
			       "call exit(), or forge the report?)\n");
	}
	if (ok == 0)
		return why ? why : xstrdup("failed\n");
	free(why);
	const char *tail = v->out ? v->out + (v->outlen > 600 ? v->outlen - 600 : 0) : "";
	return xasprintf("the test program ended (%s) without reporting this test\n%s%s", s, *tail ? "output (end):\n" : "",
			 tail);
}

/* The newest /boot/vmlinuz-* (or $KIT_VM_KERNEL), and its version. */
static char *find_kernel(char **kver)
{
	const char *env = getenv("KIT_VM_KERNEL");
	if (!env || !*env)
		env = getenv("CGROUP2_KERNEL");
	char *best = NULL;
	if (env && *env) {
		best = xstrdup(env);
	} else {
		DIR *d = opendir("/boot");
		struct dirent *e;
		while (d && (e = readdir(d)))
			if (!strncmp(e->d_name, "vmlinuz-", 8) && (!best || strverscmp(e->d_name, best + 6) > 0)) {
				free(best);
				best = xasprintf("/boot/%s", e->d_name);
			}
		if (d)
			closedir(d);
	}
	if (!best)
		return NULL;
	const char *b = strrchr(best, '/');
	b = b ? b + 1 : best;
	*kver = xstrdup(!strncmp(b, "vmlinuz-", 8) ? b + 8 : b);
	return best;
}

/* KVM only where the sandbox's uid may open /dev/kvm and nobody said tcg. */
static const char *choose_accel(void)
{
	const char *a = getenv("KIT_VM_ACCEL");
	if (!a || !*a)
		a = getenv("CGROUP2_ACCEL");
	if (a && (!strcmp(a, "kvm") || !strcmp(a, "tcg")))
		return a;
	struct stat st;
	bool others = stat("/dev/kvm", &st) == 0 && (st.st_mode & 006) == 006;
	bool mine = getuid() != 0 && access("/dev/kvm", R_OK | W_OK) == 0;
	return others || mine ? "kvm" : "tcg";
}

void run_tests_vm(const struct manifest *m, const char *kit, const char *tree, const char *scratch, const bool *skip,
		  const char *skip_reason, struct result *res, int jobs)
{
	char *vmdir = xasprintf("%s/vm", scratch);
	mkdir(vmdir, 0700);
	char *kver = NULL, *kernel = find_kernel(&kver);
	char *why = NULL;
	char *kcopy = xasprintf("%s/vmlinuz", vmdir);
	char *script = xasprintf("%s/%s/vm/mkinitramfs.sh", kit, m->dir);
	char *scopy = xasprintf("%s/mkinitramfs.sh", vmdir);
	if (!kernel)
		why = xstrdup("no kernel image in /boot: install linux-image-amd64 (common/scripts/deps.sh cgroup2)");
	else if (access("/usr/bin/qemu-system-x86_64", X_OK) < 0)
		why = xstrdup("qemu-system-x86_64 is missing: install qemu-system-x86 (common/scripts/deps.sh cgroup2)");
	else if (copy_file(kernel, kcopy) < 0)
		why = xasprintf("cannot read the kernel image %s", kernel);
	else if (copy_file(script, scopy) < 0)
		why = xasprintf("cannot copy %s", script);
	else if (getuid() == 0 && (lchown(vmdir, 65534, 65534) < 0 || lchown(kcopy, 65534, 65534) < 0 ||
				   lchown(scopy, 65534, 65534) < 0))
		why = xstrdup("cannot hand the VM's directory to uid 65534");
	struct vmrun r[2];
	memset(r, 0, sizeof r);
	if (!why) {
		for (int l = 0; l < 2; l++) {
			r[l] = (struct vmrun){ .m = m, .tree = tree, .vmdir = vmdir, .kernel = kcopy, .kver = kver,
					       .skip = skip, .layout = l };
			r[l].nonce = xrealloc(NULL, m->ntests * sizeof *r[l].nonce);
			memset(r[l].nonce, 0, m->ntests * sizeof *r[l].nonce);
			r[l].t = xrealloc(NULL, m->ntests * sizeof *r[l].t);
			memset(r[l].t, 0, m->ntests * sizeof *r[l].t);
			snprintf(r[l].accel, sizeof r[l].accel, "%s", choose_accel());
		}
		/* two boots side by side when the grade may use two cores */
		pthread_t th;
		bool two = jobs >= 2 && pthread_create(&th, NULL, run_layout, &r[1]) == 0;
		run_layout(&r[0]);
		if (two)
			pthread_join(th, NULL);
		else
			run_layout(&r[1]);
	}
	for (int i = 0; i < m->ntests; i++) {
		res[i].status = ST_FAILED;
		res[i].score = 0;
		if (skip && skip[i]) {
			res[i].status = ST_NOT_RUN;
			res[i].message = xstrdup(skip_reason);
			continue;
		}
		if (why) {
			res[i].message = xasprintf("cannot grade in a VM: %s\n", why);
			continue;
		}
		char *msg = NULL;
		for (int l = 0; l < 2; l++) {
			char *w = verdict(&r[l], i, res[i].description);
			if (w) {
				char *s = xasprintf("%son cgroup %s (VM): %s", msg ? msg : "", layouts[l], w);
				free(msg);
				msg = s;
				free(w);
			}
		}
		if (!msg) {
			res[i].status = ST_PASSED;
			res[i].score = m->tests[i].points;
		} else if (strlen(msg) > MESSAGE_MAX) {
			strcpy(msg + MESSAGE_MAX - 6, "[...]\n");
		}
		res[i].message = msg;
		res[i].seconds = r[0].seconds + r[1].seconds;
	}
	for (int l = 0; l < 2 && !why; l++) {
		for (int i = 0; i < m->ntests; i++) {
			free(r[l].t[i].end);
			free(r[l].t[i].tap);
			free(r[l].t[i].out);
			free(r[l].t[i].status);
		}
		free(r[l].t);
		free(r[l].nonce);
		free(r[l].failure);
	}
	free(why);
	free(kernel);
	free(kver);
	free(kcopy);
	free(script);
	free(scopy);
	free(vmdir);
}

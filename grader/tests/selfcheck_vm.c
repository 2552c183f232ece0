/*
 * selfcheck_vm.c: the grader's self-check of a `sandbox vm` lab (lab04),
 * graded in its throwaway VMs (grader/src/vm.c): the reference gets full
 * marks, the starter only its free points, and the attack of issue 8 (a
 * root minictr: grader/tests/hostile/lab04_root/attack.c) forges nothing,
 * reads nothing of this machine, writes nothing on it and leaves nothing.
 * Two VM boots per grade (TCG: minutes), so make test runs it only with
 * LAB04_CGROUP2=1, as the cgroup v2 check (grader/grader.mk).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "grader.h"
#include "kit.h"

#define MARKER "kit-hostile-lab04-marker"
static const char *const markers[] = { "/tmp/" MARKER, "/var/tmp/" MARKER, "/root/" MARKER };

struct run {
	int status, score;
	char *output, *json;
};

static char *scratch(void)
{
	char *d = xstrdup("/tmp/grader-selfcheck-vm-XXXXXX");
	cr_assert_not_null(mkdtemp(d), "cannot create a directory under /tmp");
	return d;
}

/* build/grader/grader ARGS... from the kit's top, output in dir/log */
static int grader(const char *dir, const char *tmpdir, char **output, const char *const *args)
{
	char *log = xasprintf("%s/log", dir);
	const char *argv[16] = { kit_path("build/grader/grader") };
	int n = 1;
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		if (tmpdir)
			setenv("TMPDIR", tmpdir, 1);
		if (chdir(kit_root()) < 0)
			_exit(126);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	*output = read_file(log, NULL);
	if (!*output)
		*output = xstrdup("");
	free(log);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static struct run grade(const char *submission, const char *tmpdir)
{
	char *d = scratch();
	char *out = xasprintf("%s/out", d);
	const char *args[] = { "grade", "--lab", "lab04", "--submission", submission, "--out", out, NULL };
	struct run r = { .score = -1 };
	r.status = grader(d, tmpdir, &r.output, args);
	char *json = xasprintf("%s/results.json", out);
	r.json = read_file(json, NULL);
	const char *s = r.json ? strstr(r.json, "\"score\": ") : NULL;
	r.score = s ? atoi(s + 9) : -1;
	free(json);
	free(out);
	remove_tree(d);
	free(d);
	return r;
}

static void run_free(struct run *r)
{
	free(r->output);
	free(r->json);
}

static int points(int *free_points)
{
	struct manifest m;
	cr_assert_eq(manifest_load(kit_path("labs/lab04.manifest"), kit_root(), &m), 0, "labs/lab04.manifest has errors");
	int total = manifest_total_points(&m);
	*free_points = manifest_free_points(&m);
	manifest_free(&m);
	return total;
}

/* the starter tree of lab04 (make dist), in a fresh directory */
static char *starter(void)
{
	char *d = scratch();
	char *dest = xasprintf("%s/starter", d);
	const char *args[] = { "dist", "--lab", "lab04", "--dest", dest, NULL };
	char *out;
	int st = grader(d, NULL, &out, args);
	cr_assert_eq(st, 0, "grader dist --lab lab04 failed (status %d):\n%s", st, out);
	free(out);
	free(d);
	return dest;
}

static void drop(char *dest)
{
	char *parent = xstrdup(dest);
	*strrchr(parent, '/') = 0;
	remove_tree(parent);
	free(parent);
	free(dest);
}

KIT_TEST(lab04_vm, reference_gets_full_marks,
	 .description = "the lab04 reference, graded in the VM on cgroup v2 and v1, gets full marks", .timeout = 3000)
{
	int free_points, total = points(&free_points);
	struct run r = grade(kit_root(), NULL);
	cr_expect_eq(r.score, total, "expected %d/%d for the lab04 reference, got %d; the grader said:\n%s", total, total,
		     r.score, r.output);
	cr_expect(strstr(r.output, "sandbox: vm"), "expected the grade to run in the VM ('sandbox: vm'):\n%s", r.output);
	printf("lab04 reference graded in the VM: %d/%d\n", r.score, total);
	run_free(&r);
}

KIT_TEST(lab04_vm, starter_gets_only_free_points,
	 .description = "the lab04 starter (from dist), graded in the VM, gets no more than the free points", .timeout = 3000)
{
	int free_points;
	points(&free_points);
	char *dest = starter();
	struct run r = grade(dest, NULL);
	cr_expect(strstr(r.output, "build done"), "the lab04 starter must compile; the grader said:\n%s", r.output);
	cr_expect(r.score >= 0 && r.score <= free_points, "expected at most %d (free) points for the starter, got %d:\n%s",
		  free_points, r.score, r.output);
	printf("lab04 starter graded in the VM: %d (free points: %d)\n", r.score, free_points);
	run_free(&r);
	drop(dest);
}

/* The first line of this machine's /etc/shadow, or NULL (not root). */
static char *shadow_line(void)
{
	char *text = read_file("/etc/shadow", NULL);
	if (!text)
		return NULL;
	*strchrnul(text, '\n') = 0;
	return text;
}

/* the starter with grader/tests/hostile/lab04_root/<file> appended to namespaces.c */
static char *hostile_starter(const char *file)
{
	char *dest = starter();
	char *target = xasprintf("%s/lab04-containers/minictr/namespaces.c", dest);
	char *orig = read_file(target, NULL);
	char *path = xasprintf("grader/tests/hostile/lab04_root/%s", file);
	char *attack = read_file(kit_path(path), NULL);
	cr_assert(orig && attack, "cannot read %s or %s", target, path);
	char *text = xasprintf("%s\n%s", orig, attack);
	cr_assert_eq(write_file(target, text, strlen(text), 0644), 0);
	free(text);
	free(orig);
	free(attack);
	free(path);
	free(target);
	return dest;
}

KIT_TEST(hostile, lab04_vm_crash_fails_cleanly,
	 .description = "a lab04 submission that panics the VM fails the unfinished tests with a message saying so, "
			"and the grade ends",
	 .timeout = 1200)
{
	char *dest = hostile_starter("crash.c");
	struct run r = grade(dest, NULL);
	cr_expect_eq(r.score, 0, "expected 0 points (every test ran in the crashed VM), got %d:\n%s", r.score, r.output);
	cr_expect(strstr(r.output, "the VM stopped before the end"),
		  "expected 'the VM stopped before the end' in the messages:\n%s", r.output);
	run_free(&r);
	drop(dest);
}

KIT_TEST(hostile, lab04_root_attack_forges_nothing,
	 .description = "a lab04 starter whose minictr, as root, reads /etc/shadow, plants files, hunts the kit and "
			"the nonces through /proc, replaces the test binaries, forges END and TAP lines and writes the "
			"results port scores only the free points, leaks nothing, writes nothing here, leaves nothing",
	 .timeout = 3000)
{
	int free_points;
	points(&free_points);
	char *dest = hostile_starter("attack.c");
	for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
		unlink(markers[i]);
	char *tmp = scratch();
	struct run r = grade(dest, tmp);
	int forged = r.score > free_points ? r.score - free_points : 0;
	cr_expect(r.score >= 0 && r.score <= free_points, "expected at most %d (free) points, got %d:\n%s", free_points,
		  r.score, r.output);
	cr_expect(strstr(r.output, "HOSTILE"), "expected the attack to have run (HOSTILE lines in the messages):\n%s",
		  r.output);
	/* leaked: this machine's secrets, another lab's code */
	char *shadow = shadow_line();
	int leaked = 0;
	const char *texts[] = { r.output, r.json ? r.json : "" };
	for (int k = 0; k < 2; k++) {
		leaked += shadow && *shadow && strstr(texts[k], shadow) != NULL;
		leaked += strstr(texts[k], "lab01-trap-emulate") != NULL;
	}
	cr_expect_eq(leaked, 0, "the attack got this machine's /etc/shadow or lab01's files into the report:\n%s", r.output);
	int written = 0;
	for (size_t i = 0; i < sizeof markers / sizeof *markers; i++) {
		struct stat st;
		written += stat(markers[i], &st) == 0;
		unlink(markers[i]);
	}
	cr_expect_eq(written, 0, "the attack planted %d file(s) on this machine (%s)", written, markers[0]);
	/* left behind: the grade's TMPDIR is empty, no QEMU or test runs from it */
	usleep(200000);
	int left = 0;
	DIR *d = opendir(tmp);
	struct dirent *e;
	while (d && (e = readdir(d)))
		left += e->d_name[0] != '.';
	if (d)
		closedir(d);
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		char link[300];
		snprintf(link, sizeof link, "/proc/%.20s/cmdline", e->d_name);
		size_t len;
		char *cmd = read_file(link, &len);
		for (size_t k = 0; cmd && k + strlen(tmp) <= len; k++)
			if (!memcmp(cmd + k, tmp, strlen(tmp))) {
				left++;
				break;
			}
		free(cmd);
	}
	if (d)
		closedir(d);
	cr_expect_eq(left, 0, "the grade left %d thing(s) behind under or running from %s", left, tmp);
	/* the figure for the issue (grader/README.md, "Labs graded in a VM") */
	printf("lab04 attack graded: %d points (free: %d); attacks tried: 1 (shadow, host files, /proc hunt, test binaries replaced, forged END/TAP, results "
	       "port, orphan), points forged: %d, bytes leaked: %d, files written on this machine: %d, container escapes: "
	       "%d, things left behind: %d\n",
	       r.score, free_points, forged, leaked, written, written, left);
	remove_tree(tmp);
	free(tmp);
	free(shadow);
	run_free(&r);
	drop(dest);
}

/* In the VM the TAP report is only a message (a root submission can write
 * it): a test's END line must mean that every check passed, which holds
 * only if a failed check ends the test, as cr_assert does and cr_expect
 * does not. */
KIT_TEST(lab04_vm, tests_use_cr_assert_only,
	 .description = "lab04's test sources use cr_assert, never cr_expect (the END line must mean every check passed)")
{
	DIR *d = opendir(kit_path("lab04-containers/tests"));
	cr_assert_not_null(d, "no lab04-containers/tests");
	struct dirent *e;
	int bad = 0;
	char which[1024] = "";
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 2, ".c"))
			continue;
		char *rel = xasprintf("lab04-containers/tests/%s", e->d_name);
		char *text = read_file(kit_path(rel), NULL);
		if (text && strstr(text, "cr_expect")) {
			bad++;
			snprintf(which + strlen(which), sizeof which - strlen(which), " %s", rel);
		}
		free(text);
		free(rel);
	}
	closedir(d);
	cr_expect_eq(bad, 0, "expected no cr_expect in lab04's tests, got it in:%s\n  fix: use cr_assert (grader/README.md, "
		     "\"Labs graded in a VM\", point 5)", which);
}

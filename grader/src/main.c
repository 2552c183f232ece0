/*
 * main.c: command line, temporary directories and signals.
 *   grader grade --lab L [--manifest F] [--submission DIR] [--out DIR] [--kit DIR] [--jobs N]
 *   grader dist  --lab L [--manifest F] --dest DIR [--with-solution] [--base DIR] [--kit DIR]
 *   grader check --lab L [--manifest F] [--kit DIR]      (manifest only)
 *   grader sandbox --lab L [--manifest F] [--kit DIR] -- CMD...  (CMD as a test runs)
 * Exit status: 0 full marks (or dist/check success), 1 not full marks,
 * 2 usage, manifest or grader errors, 130/143 interrupted.
 */
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include "grader.h"

static char workdir[PATH_MAX];
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
	grader_interrupted = 1;
	children_kill_all();
}

static void cleanup(void)
{
	children_kill_all();
	orphans_kill();
	if (workdir[0])
		remove_tree(workdir);
	workdir[0] = 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: grader grade --lab L [--manifest F] [--submission DIR] [--out DIR] [--kit DIR] [--jobs N]\n"
			"       grader dist --lab L [--manifest F] --dest DIR [--with-solution] [--base DIR] [--kit DIR]\n"
			"       grader check --lab L [--manifest F] [--kit DIR]\n"
			"       grader sandbox --lab L [--manifest F] [--kit DIR] -- CMD...\n");
	exit(2);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *absolute(const char *p)
{
	char buf[PATH_MAX];
	if (realpath(p, buf))
		return xstrdup(buf);
	return xstrdup(p);
}

static void mkdir_p_dir(const char *d)
{
	char *f = xasprintf("%s/x", d);
	mkdirs_for(f);
	free(f);
}

static uid_t chown_to;
static int chown_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return lchown(path, chown_to, chown_to);
}

static int chown_tree(const char *path, uid_t u)
{
	chown_to = u;
	return nftw(path, chown_one, 32, FTW_PHYS);
}

/* Student files whose objects call what the lab does not allow
 * (calls.c) are graded as absent: the starter's version, rebuilt. */
static int refuse_calls(struct manifest *m, const char *kit, const char *tree, const char *log, int jobs,
			struct build *b)
{
	int refused = 0;
	for (int i = 0; i < m->nstudent; i++) {
		char *why = calls_check(m, tree, m->student[i]);
		if (!why)
			continue;
		size_t len;
		char *starter = tree_version(m, kit, m->student[i], &len);
		char *dst = xasprintf("%s/%s", tree, m->student[i]);
		char *note = xasprintf("%s: refused, graded with the starter's version: its object %s\n", m->student[i], why);
		printf("grade: %s", note);
		b->notes = b->notes ? xasprintf("%s%s", b->notes, note) : xstrdup(note);
		if (!starter || write_file(dst, starter, len, 0644) < 0 ||
		    (getuid() == 0 && !m->privileged && lchown(dst, 65534, 65534) < 0)) {
			fprintf(stderr, "grader: cannot put the starter of %s in place\n", m->student[i]);
			return -1;
		}
		free(starter);
		free(dst);
		free(note);
		free(why);
		refused++;
	}
	if (!refused)
		return 0;
	printf("grade: rebuilding with the starter's version of %d file(s)\n", refused);
	fflush(stdout);
	return tree_build(m, tree, log, jobs, b);
}

/*
 * A grader killed with SIGKILL cannot remove its work directory. Each
 * grader holds an flock on <workdir>/.lock for its whole life (flock(2): the
 * kernel drops it when the process dies), and every grader that starts
 * removes the kit-grade-* directories whose lock it can take: their owner
 * is gone. A directory without a lock is never touched.
 */
static void hold_workdir_lock(void)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof path, "%s/.lock", workdir);
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX) < 0)
		perror("grader: locking the work directory");
	/* kept open on purpose: the lock lasts as long as this process */
}

static void sweep_stale_workdirs(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char dir[PATH_MAX], lock[PATH_MAX + 8];
		if (strncmp(e->d_name, "kit-grade-", 10) != 0)
			continue;
		snprintf(dir, sizeof dir, "%s/%s", tmp, e->d_name);
		if (strcmp(dir, workdir) == 0)
			continue;
		snprintf(lock, sizeof lock, "%s/.lock", dir);
		int fd = open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			printf("grade: removing %s, left by a grader that was killed\n", dir);
			remove_tree(dir);
		}
		close(fd);
	}
	if (d)
		closedir(d);
}

static int grade(struct manifest *m, const char *kit, const char *submission, const char *outdir, int jobs)
{
	double t0 = now();
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	const char *tmp = getenv("TMPDIR");
	snprintf(workdir, sizeof workdir, "%s/kit-grade-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(workdir)) {
		perror("grader: mkdtemp");
		workdir[0] = 0;
		return 2;
	}
	atexit(cleanup);
	hold_workdir_lock();
	sweep_stale_workdirs(tmp && *tmp ? tmp : "/tmp");
	orphans_adopt();
	const char *why = NULL;
	enum sandbox_mode mode = sandbox_probe(&why);
	if (m->vm) {
		printf("grade: sandbox: vm (manifest 'sandbox vm'): the build and test lists %s; every test runs as root\n"
		       "grade:   in a throwaway VM, once per cgroup layout (v2 and v1), that sees nothing of this machine\n",
		       mode == SB_ISOLATED ? "in the isolated sandbox" : "WITHOUT isolation (no user namespaces here)");
	} else if (m->privileged) {
		printf("grade: sandbox: privileged (manifest 'sandbox privileged'): tests run as %s, under the limits only;\n"
		       "grade:   no other isolation: grade such labs in a throwaway VM (grader/README.md)\n",
		       getuid() == 0 ? "root" : "you, and the tests that need root fail");
	} else if (mode == SB_ISOLATED) {
		printf("grade: sandbox: isolated (user, mount, PID, network namespaces; uid %d outside; kit hidden)\n",
		       getuid() == 0 ? 65534 : (int)getuid());
	} else {
		printf("grade: sandbox: NONE: %s. Submitted code runs as %s, sees your files and the network;\n"
		       "grade:   only the time, memory, file-size and output limits apply (grader/README.md)\n",
		       why ? why : "unavailable", getuid() == 0 ? "uid 65534" : "you");
	}
	/* hidden from every sandbox: the kit (the reference solution), the
	 * reports, and the directory holding the submission (other students') */
	int nh = 0;
	grader_hide[nh++] = kit;
	grader_hide[nh++] = outdir;
	char *subparent = xstrdup(submission);
	char *slash = strrchr(subparent, '/');
	if (slash && slash != subparent) {
		*slash = 0;
		grader_hide[nh++] = subparent;
	}
	grader_hide[nh] = NULL;
	mkdir_p_dir(outdir);
	char *tree = xasprintf("%s/tree", workdir);
	char *scratch = xasprintf("%s/run", workdir);
	char *log = xasprintf("%s/build.log", workdir);
	mkdir(scratch, 0700);
	struct build b = { 0 };
	int rc = 2;
	struct result *res = xrealloc(NULL, m->ntests * sizeof *res);
	memset(res, 0, m->ntests * sizeof *res);
	bool *skip = xrealloc(NULL, m->ntests * sizeof *skip);

	printf("grade: %s from %s\n", m->lab, submission);
	if (tree_assemble(m, kit, submission, tree, &b) < 0)
		goto out;
	/* a root grader runs submissions as nobody, who must own the tree */
	if (getuid() == 0 && !m->privileged && chown_tree(workdir, 65534) < 0) {
		fprintf(stderr, "grader: cannot hand %s to uid 65534\n", workdir);
		goto out;
	}
	printf("grade: building (make %s-tests, limit %d s)\n", m->lab, m->build_timeout);
	fflush(stdout);
	if (tree_build(m, tree, log, jobs, &b) < 0 || grader_interrupted)
		goto out;
	printf("grade: build %s in %.1f s\n", b.ok ? "done" : "FAILED", now() - t0);
	if (b.ok && refuse_calls(m, kit, tree, log, jobs, &b) < 0)
		goto out;
	/* the hidden tests' sources are built: the tests need not read them */
	for (int i = 0; i < m->nprivate; i++) {
		char *p = xasprintf("%s/%s", tree, m->private_files[i]);
		unlink(p);
		free(p);
	}
	if (tree_check_tests(m, tree, b.ok) && !grader_interrupted) {
		fprintf(stderr, "grader: %s does not match the test binaries: nothing graded\n", m->path);
		goto out;
	}
	if (grader_interrupted)
		goto out;
	struct filelist files = { 0 };
	kit_files(kit, &files);
	for (int i = 0; i < m->ntests; i++) {
		res[i].description = find_description(&files, kit, m->tests[i].bin, m->tests[i].suite, m->tests[i].name);
		char *bin = xasprintf("%s/build/%s", tree, m->tests[i].bin);
		/* a failed build scores 0 on every test that needs student code */
		skip[i] = (!b.ok && !m->tests[i].free) || access(bin, X_OK) < 0;
		free(bin);
	}
	filelist_free(&files);
	printf("grade: running %d tests, %d at a time\n", m->ntests, jobs);
	fflush(stdout);
	if (m->vm)
		run_tests_vm(m, kit, tree, scratch, skip,
			     b.ok ? "test binary not built" : "not run: the build failed (see above)", res, jobs);
	else
		run_tests(m, tree, scratch, skip, b.ok ? "test binary not built" : "not run: the build failed (see above)",
			  res, jobs);
	if (grader_interrupted)
		goto out;
	double secs = now() - t0;
	putchar('\n');
	report_table(stdout, m, res, &b);
	char *json = xasprintf("%s/results.json", outdir);
	char *xml = xasprintf("%s/junit.xml", outdir);
	int score = 0;
	for (int i = 0; i < m->ntests; i++)
		score += res[i].score;
	char *csv = xasprintf("%s/summary.csv", outdir);
	FILE *cf = fopen(csv, "w");
	if (cf) {
		/* one header and one row; grade-all concatenates the rows */
		fprintf(cf, "submission,score,max_score");
		for (int i = 0; i < m->ntests; i++)
			fprintf(cf, ",%s", m->tests[i].id);
		const char *base = strrchr(submission, '/');
		fprintf(cf, "\n\"");
		for (const char *c = base ? base + 1 : submission; *c; c++)
			fprintf(cf, *c == '"' ? "\"\"" : "%c", *c);
		fprintf(cf, "\",%d,%d", score, manifest_total_points(m));
		for (int i = 0; i < m->ntests; i++)
			fprintf(cf, ",%d", res[i].score);
		fprintf(cf, "\n");
		fclose(cf);
	}
	free(csv);
	if (report_json(json, m, res, &b, secs) < 0 || report_junit(xml, m, res, secs) < 0) {
		fprintf(stderr, "grader: cannot write the reports under %s\n", outdir);
	} else {
		printf("\nReports: %s (Gradescope), %s (JUnit); graded in %.1f s\n", json, xml, secs);
		rc = score == manifest_total_points(m) ? 0 : 1;
	}
	free(json);
	free(xml);
out:
	cleanup();
	for (int i = 0; i < m->ntests; i++) {
		free(res[i].message);
		free(res[i].description);
	}
	free(res);
	free(skip);
	free(b.log_excerpt);
	free(b.notes);
	free(tree);
	free(scratch);
	free(log);
	free(subparent);
	if (caught) {
		fprintf(stderr, "grader: interrupted; temporary files removed\n");
		signal(caught, SIG_DFL);
		raise(caught);
		return 128 + caught;
	}
	return rc;
}

/* Criterion reads CRITERION_* (filters, always-succeed, jobs) and BoxFort's
 * BXFI_* (set when the grader itself runs inside a Criterion test, as in
 * the self-check): none of them may reach the tests graded. */
static void scrub_environment(void)
{
	extern char **environ;
	for (bool again = true; again;) {
		again = false;
		for (char **e = environ; *e; e++) {
			if (strncmp(*e, "CRITERION_", 10) && strncmp(*e, "BXFI_", 5))
				continue;
			char *name = xstrdup(*e);
			*strchrnul(name, '=') = 0;
			unsetenv(name);
			free(name);
			again = true;
			break;
		}
	}
}

int main(int argc, char **argv)
{
	scrub_environment();
	if (argc < 2)
		usage();
	const char *cmd = argv[1];
	static const struct option opts[] = {
		{ "lab", required_argument, 0, 'l' },	   { "manifest", required_argument, 0, 'm' },
		{ "submission", required_argument, 0, 's' }, { "out", required_argument, 0, 'o' },
		{ "kit", required_argument, 0, 'k' },	   { "jobs", required_argument, 0, 'j' },
		{ "dest", required_argument, 0, 'd' },	   { "with-solution", no_argument, 0, 'w' },
		{ "base", required_argument, 0, 'b' },
		{ 0, 0, 0, 0 },
	};
	const char *lab = NULL, *manifest = NULL, *submission = NULL, *out = NULL, *kit = ".", *dest = NULL, *base = NULL;
	bool with_solution = false;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': lab = optarg; break;
		case 'm': manifest = optarg; break;
		case 's': submission = optarg; break;
		case 'o': out = optarg; break;
		case 'k': kit = optarg; break;
		case 'j': jobs = atol(optarg); break;
		case 'd': dest = optarg; break;
		case 'w': with_solution = true; break;
		case 'b': base = optarg; break;
		default: usage();
		}
	}
	if (!strcmp(cmd, "sandbox") && lab) {
		/* grader sandbox --lab L [--kit K] -- cmd...: runs cmd in the current
		 * directory as a test would run (read-only, kit hidden, limits) */
		struct manifest m0;
		char *kabs = absolute(kit);
		char *mp = manifest ? xstrdup(manifest) : xasprintf("%s/labs/%s.manifest", kabs, lab);
		if (manifest_load(mp, kabs, &m0))
			return 2;
		const char *why = NULL;
		sandbox_probe(&why);
		if (why)
			fprintf(stderr, "grader: no isolation here: %s\n", why);
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd) || optind >= argc)
			usage();
		grader_hide[0] = kabs;
		struct sandbox sb;
		sandbox_prepare(&sb, &m0, cwd, false, NULL, grader_hide, m0.timeout);
		char *root = xasprintf("KIT_ROOT=%s", cwd);
		const char *extra[] = { root, NULL };
		char **env = env_fixed(cwd, "/tmp", extra);
		pid_t pid = fork();
		if (pid == 0) {
			if (sandbox_enter(&sb) != 0)
				_exit(SANDBOX_FAILED);
			/* the environment a test gets (env.c) */
			extern char **environ;
			environ = env;
			execvp(argv[optind], argv + optind);
			_exit(127);
		}
		int st;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	if (optind != argc || !lab || (strcmp(cmd, "grade") && strcmp(cmd, "dist") && strcmp(cmd, "check")))
		usage();
	char *kitabs = absolute(kit);
	char *mpath = manifest ? xstrdup(manifest) : xasprintf("%s/labs/%s.manifest", kitabs, lab);
	struct manifest m;
	if (manifest_load(mpath, kitabs, &m)) {
		fprintf(stderr, "grader: %s has errors: nothing done\n", mpath);
		return 2;
	}
	if (strcmp(m.lab, lab)) {
		fprintf(stderr, "%s: says 'lab %s' but --lab is %s\n", mpath, m.lab, lab);
		return 2;
	}
	int rc;
	if (!strcmp(cmd, "check")) {
		/* the kit's own test binaries, where built, must list every test */
		rc = tree_check_tests(&m, kitabs, false) ? 2 : 0;
		printf("%s: %d tests, %d points (%d free)%s\n", mpath, m.ntests, manifest_total_points(&m),
		       manifest_free_points(&m), rc ? "; see the errors above" : "");
	} else if (!strcmp(cmd, "dist")) {
		if (!dest)
			usage();
		char *mabs = absolute(mpath);
		char *babs = base ? absolute(base) : NULL;
		struct stat st;
		if (babs && (stat(babs, &st) < 0 || !S_ISDIR(st.st_mode))) {
			fprintf(stderr, "dist: BASE=%s is not a directory (the student's tree of the earlier lab)\n", base);
			rc = 2;
		} else {
			rc = dist_write(&m, mabs, kitabs, dest, with_solution, babs) < 0 ? 2 : 0;
		}
		free(babs);
		free(mabs);
	} else {
		char *sub = absolute(submission ? submission : kitabs);
		struct stat st;
		if (stat(sub, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "grader: submission %s is not a directory\n", sub);
			return 2;
		}
		char *o = out ? xstrdup(out) : xasprintf("%s/build/grade/%s", kitabs, lab);
		rc = grade(&m, kitabs, sub, o, jobs < 1 ? 1 : (int)jobs);
		free(o);
		free(sub);
	}
	manifest_free(&m);
	free(mpath);
	free(kitabs);
	return rc;
}

/*
 * main.c: command line, temporary directories and signals.
 *   grader grade --lab L [--manifest F] [--submission DIR] [--out DIR] [--kit DIR] [--jobs N]
 *   grader dist  --lab L [--manifest F] --dest DIR [--with-solution] [--kit DIR]
 *   grader check --lab L [--manifest F] [--kit DIR]      (manifest only)
 * Exit status: 0 full marks (or dist/check success), 1 not full marks,
 * 2 usage, manifest or grader errors, 130/143 interrupted.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
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
			"       grader dist --lab L [--manifest F] --dest DIR [--with-solution] [--kit DIR]\n"
			"       grader check --lab L [--manifest F] [--kit DIR]\n");
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
	orphans_adopt();
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
	printf("grade: building (make %s-tests, limit %d s)\n", m->lab, m->build_timeout);
	fflush(stdout);
	if (tree_build(m, tree, log, jobs, &b) < 0 || grader_interrupted)
		goto out;
	printf("grade: build %s in %.1f s\n", b.ok ? "done" : "FAILED", now() - t0);
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
		{ 0, 0, 0, 0 },
	};
	const char *lab = NULL, *manifest = NULL, *submission = NULL, *out = NULL, *kit = ".", *dest = NULL;
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
		default: usage();
		}
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
		rc = dist_write(&m, mabs, kitabs, dest, with_solution) < 0 ? 2 : 0;
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

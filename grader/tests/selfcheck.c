/*
 * The grader's self-check (make test): grades the reference and the
 * starter of the fixture lab (grader/tests/fixture) and of every lab with a
 * manifest in labs/, checks dist's refusals and leak checks, and grades
 * the hostile submissions in grader/tests/hostile/.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "grader.h"
#include "kit.h"

#define FIXTURE "grader/tests/fixture/fixture.manifest"
#define STRICT "grader/tests/fixture/strict.manifest"

struct run {
	int status;    /* exit status, or 128 + signal */
	char *output;  /* stdout and stderr */
	int score;     /* from results.json, -1 when absent */
	char *json;    /* results.json without its execution_time line */
	char *dir;     /* scratch directory (removed by run_free) */
};

static char *scratch(void)
{
	char *d = xstrdup("/tmp/grader-selfcheck-XXXXXX");
	cr_assert_not_null(mkdtemp(d), "cannot create a directory under /tmp");
	return d;
}

/* Runs build/grader/grader with args (NULL-terminated) from the kit's top. */
static struct run grader(const char *first, ...)
{
	struct run r = { .score = -1, .dir = scratch() };
	const char *argv[32];
	int n = 0;
	argv[n++] = kit_path("build/grader/grader");
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 30; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	char *log = xasprintf("%s/log", r.dir);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		if (chdir(kit_root()) < 0)
			_exit(126);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.output = read_file(log, NULL);
	if (!r.output)
		r.output = xstrdup("");
	free(log);
	return r;
}

static void read_score(struct run *r, const char *json)
{
	char *text = read_file(json, NULL);
	const char *s = text ? strstr(text, "\"score\": ") : NULL;
	r->score = s ? atoi(s + 9) : -1;
	char *t = text ? strstr(text, "\"execution_time\"") : NULL;
	if (t)
		memmove(t, strchrnul(t, '\n'), strlen(strchrnul(t, '\n')) + 1);
	r->json = text;
}

static void run_free(struct run *r)
{
	remove_tree(r->dir);
	free(r->dir);
	free(r->output);
	free(r->json);
}

/* grade lab (with manifest, or labs/<lab>.manifest) from submission (NULL: the reference) */
static struct run grade(const char *lab, const char *manifest, const char *submission)
{
	char *out = NULL;
	char *d = scratch();
	out = xasprintf("%s/out", d);
	struct run r;
	const char *sub = submission ? submission : kit_root();
	if (manifest)
		r = grader("grade", "--lab", lab, "--manifest", manifest, "--submission", sub, "--out", out, NULL);
	else
		r = grader("grade", "--lab", lab, "--submission", sub, "--out", out, NULL);
	char *json = xasprintf("%s/results.json", out);
	read_score(&r, json);
	free(json);
	free(out);
	remove_tree(d);
	free(d);
	return r;
}

static int check_points(const char *lab, const char *manifest, int *free_points)
{
	char *path = manifest ? xstrdup(manifest) : xasprintf("labs/%s.manifest", lab);
	char *full = xstrdup(kit_path(path));
	struct manifest m;
	int errors = manifest_load(full, kit_root(), &m);
	cr_assert_eq(errors, 0, "%s has %d error(s) (run build/grader/grader check --lab %s)", path, errors, lab);
	int total = manifest_total_points(&m);
	*free_points = manifest_free_points(&m);
	manifest_free(&m);
	free(full);
	free(path);
	return total;
}

/* ---- the fixture lab ---- */

KIT_TEST(fixture, reference_gets_full_marks, .description = "the fixture's reference solution gets full marks and exit status 0", .timeout = 120)
{
	int free_points, total = check_points("fixture", FIXTURE, &free_points);
	struct run r = grade("fixture", FIXTURE, NULL);
	cr_expect_eq(r.score, total, "expected %d/%d for the reference, got %d; the grader said:\n%s", total, total, r.score,
		     r.output);
	cr_expect_eq(r.status, 0, "expected exit status 0 at full marks, got %d", r.status);
	cr_expect(strstr(r.output, "results.json") && strstr(r.output, "junit.xml"), "the grader must say where the reports are");
	run_free(&r);
}

/* dist the fixture's starter into a scratch directory; returns it */
static char *dist_fixture(bool with_solution)
{
	char *d = scratch();
	char *dest = xasprintf("%s/starter", d);
	free(d);
	struct run r = with_solution ? grader("dist", "--lab", "fixture", "--manifest", FIXTURE, "--dest", dest, "--with-solution", NULL)
				     : grader("dist", "--lab", "fixture", "--manifest", FIXTURE, "--dest", dest, NULL);
	cr_assert_eq(r.status, 0, "grader dist failed (status %d):\n%s", r.status, r.output);
	run_free(&r);
	return dest;
}

static void drop_dist(char *dest)
{
	char *parent = xstrdup(dest);
	*strrchr(parent, '/') = 0;
	remove_tree(parent);
	free(parent);
	free(dest);
}

KIT_TEST(fixture, starter_gets_only_free_points, .description = "the fixture's starter (from dist), graded as a submission, gets no more than the free points", .timeout = 120)
{
	int free_points;
	check_points("fixture", FIXTURE, &free_points);
	char *dest = dist_fixture(false);
	struct run r = grade("fixture", FIXTURE, dest);
	cr_expect(r.score >= 0 && r.score <= free_points, "expected at most %d (free) points for the starter, got %d:\n%s",
		  free_points, r.score, r.output);
	cr_expect_eq(r.status, 1, "expected exit status 1 below full marks, got %d", r.status);
	run_free(&r);
	drop_dist(dest);
}

KIT_TEST(fixture, with_solution_tree_gets_full_marks, .description = "dist WITH_SOLUTION keeps the markers and the solution: graded, it gets full marks", .timeout = 120)
{
	int free_points, total = check_points("fixture", FIXTURE, &free_points);
	char *dest = dist_fixture(true);
	char *student = xasprintf("%s/grader/tests/fixture/student/calc.c", dest);
	char *text = read_file(student, NULL);
	cr_assert_not_null(text, "WITH_SOLUTION tree lacks %s", student);
	cr_expect(strstr(text, "BEGIN SOLUTION"), "WITH_SOLUTION must keep the markers");
	free(text);
	free(student);
	struct run r = grade("fixture", FIXTURE, dest);
	cr_expect_eq(r.score, total, "expected %d for the solution tree, got %d:\n%s", total, r.score, r.output);
	run_free(&r);
	drop_dist(dest);
}

KIT_TEST(fixture, starter_tree_holds_no_solution, .description = "the starter tree has no markers, no solution line, no hidden test, and the public manifest")
{
	char *dest = dist_fixture(false);
	char *calc = xasprintf("%s/grader/tests/fixture/student/calc.c", dest);
	char *text = read_file(calc, NULL);
	cr_assert_not_null(text, "the starter tree lacks the student file %s", calc);
	cr_expect(!strstr(text, "SOLUTION") && !strstr(text, "STARTER"), "marker text left in %s:\n%s", calc, text);
	cr_expect(!strstr(text, "rest_of_division"), "solution text left in %s:\n%s", calc, text);
	cr_expect(strstr(text, "TODO: calc_gcd"), "the starter text is missing from %s:\n%s", calc, text);
	free(text);
	free(calc);
	char *hidden = xasprintf("%s/grader/tests/fixture/tests/test_hidden.c", dest);
	cr_expect(access(hidden, F_OK) < 0, "the private (hidden) test %s was shipped", hidden);
	free(hidden);
	char *man = xasprintf("%s/" FIXTURE, dest);
	text = read_file(man, NULL);
	cr_assert_not_null(text, "the starter tree lacks its manifest");
	cr_expect(!strstr(text, "hidden::") && !strstr(text, "private"), "hidden tests left in the manifest:\n%s", text);
	free(text);
	free(man);
	char *other = xasprintf("%s/grader/tests/hostile", dest);
	cr_expect(access(other, F_OK) < 0, "the grader's own tests were shipped (%s)", other);
	free(other);
	drop_dist(dest);
}

KIT_TEST(fixture, manifest_errors_stop_before_anything_runs, .description = "a manifest with errors is refused with file:line messages and exit status 2, nothing built")
{
	char *d = scratch();
	char *man = xasprintf("%s/bad.manifest", d);
	const char *text = "lab fixture\ndir grader/tests/fixture\nstudent grader/tests/fixture/student/calc.c\n"
			   "test fixture/tests/test_calc calc::gcd_small visible\n"
			   "test fixture/tests/test_calc calc::gcd_small 1 visible\n"
			   "test fixture/tests/test_calc calc::nothere 1 visible\n";
	cr_assert_eq(write_file(man, text, strlen(text), 0644), 0);
	struct run r = grade("fixture", man, NULL);
	cr_expect_eq(r.status, 2, "expected exit status 2, got %d:\n%s", r.status, r.output);
	cr_expect(strstr(r.output, "bad.manifest:4: missing points"), "expected 'bad.manifest:4: missing points' in:\n%s", r.output);
	cr_expect(!strstr(r.output, "building"), "nothing may be built for a bad manifest:\n%s", r.output);
	run_free(&r);
	/* a test the binary does not list: found once built, before any test runs */
	const char *text2 = "lab fixture\ndir grader/tests/fixture\nstudent grader/tests/fixture/student/calc.c\n"
			    "test fixture/tests/test_calc calc::nothere 1 visible\n";
	cr_assert_eq(write_file(man, text2, strlen(text2), 0644), 0);
	r = grade("fixture", man, NULL);
	cr_expect_eq(r.status, 2, "expected exit status 2, got %d:\n%s", r.status, r.output);
	cr_expect(strstr(r.output, "bad.manifest:4:") && strstr(r.output, "does not list a test calc::nothere"),
		  "expected 'bad.manifest:4: ... does not list a test calc::nothere' in:\n%s", r.output);
	run_free(&r);
	/* a test binary the build does not make */
	const char *text3 = "lab fixture\ndir grader/tests/fixture\nstudent grader/tests/fixture/student/calc.c\n"
			    "test fixture/tests/test_calc calc::gcd_small 1 visible\n"
			    "test fixture/tests/nothere calc::gcd_small2 1 visible\n";
	cr_assert_eq(write_file(man, text3, strlen(text3), 0644), 0);
	r = grade("fixture", man, NULL);
	cr_expect_eq(r.status, 2, "expected exit status 2, got %d:\n%s", r.status, r.output);
	cr_expect(strstr(r.output, "bad.manifest:5: test binary build/fixture/tests/nothere does not exist"),
		  "expected 'bad.manifest:5: test binary build/fixture/tests/nothere does not exist' in:\n%s", r.output);
	run_free(&r);
	remove_tree(d);
	free(man);
	free(d);
}

/* A lab that `uses` another lab's directory gets it in its grading tree,
 * that lab's regions solved (labs.c), without markers: a fixture
 * submission that fails to build without lab01's csr.c (found through
 * labs/lab01.manifest's dir), and answers wrong if that file holds a
 * solution marker. */
KIT_TEST(fixture, uses_brings_the_other_lab_solved, .description = "a manifest's 'uses <dir>' puts that directory in the grading tree, its lab's solution regions solved, no marker left", .timeout = 120)
{
	char *d = scratch();
	char *fixture = read_file(kit_path(FIXTURE), NULL);
	cr_assert_not_null(fixture, "cannot read %s", FIXTURE);
	char *man = xasprintf("%s/uses.manifest", d);
	char *text = xasprintf("%suses lab01-trap-emulate\n", fixture);
	cr_assert_eq(write_file(man, text, strlen(text), 0644), 0);
	free(text);
	free(fixture);
	char *calc = xasprintf("%s/sub/grader/tests/fixture/student/calc.c", d);
	const char *src =
		"#include \"calc.h\"\n"
		"#if !__has_include(\"../../../../lab01-trap-emulate/vmm/csr.c\")\n"
		"#error \"uses: lab01-trap-emulate/vmm/csr.c is not in the grading tree\"\n"
		"#endif\n"
		"__asm__(\".section .rodata\\n.globl calc_ref\\ncalc_ref:\\n.incbin \\\"lab01-trap-emulate/vmm/csr.c\\\"\\n"
		".byte 0\\n.previous\");\n"
		"extern const char calc_ref[];\n"
		"static int holds_solution(void)\n{\n"
		"\tconst char *m = \"BEGIN \" \"SOLUTION\";\n"
		"\tfor (const char *s = calc_ref; *s; s++) {\n"
		"\t\tint k = 0;\n\t\twhile (m[k] && s[k] == m[k])\n\t\t\tk++;\n\t\tif (!m[k])\n\t\t\treturn 1;\n\t}\n"
		"\treturn 0;\n}\n"
		"int calc_gcd(int a, int b)\n{\n\tif (holds_solution())\n\t\treturn -7;\n"
		"\twhile (b != 0) {\n\t\tint r = a % b;\n\t\ta = b;\n\t\tb = r;\n\t}\n\treturn a < 0 ? -a : a;\n}\n"
		"int calc_twice(int a)\n{\n\treturn 2 * a;\n}\n";
	cr_assert_eq(write_file(calc, src, strlen(src), 0644), 0);
	char *sub = xasprintf("%s/sub", d);
	struct run r = grade("fixture", man, sub);
	cr_expect_eq(r.score, 5, "expected 5/5 (lab01's csr.c present, solved), got %d; 'got -7' means the tree "
		     "held lab01's solution markers, a build error that it lacked the file:\n%s", r.score, r.output);
	run_free(&r);
	remove_tree(d);
	free(d);
	free(man);
	free(calc);
	free(sub);
}

/* The grader grading the fixture lab (the reference when sub is NULL),
 * quietly, with TMPDIR and the reports in tmp. */
static pid_t spawn_fixture_grade(const char *tmp, const char *sub)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		setenv("TMPDIR", tmp, 1);
		if (chdir(kit_root()) < 0)
			_exit(126);
		if (sub)
			execl(kit_path("build/grader/grader"), "grader", "grade", "--lab", "fixture", "--manifest", FIXTURE,
			      "--submission", sub, "--out", tmp, (char *)NULL);
		else
			execl(kit_path("build/grader/grader"), "grader", "grade", "--lab", "fixture", "--manifest", FIXTURE,
			      "--out", tmp, (char *)NULL);
		_exit(127);
	}
	return pid;
}

KIT_TEST(fixture, interrupted_grade_leaves_nothing, .description = "a grade stopped by SIGTERM or SIGINT removes its temporary tree and kills its tests; one killed by SIGKILL still kills its tests, and the next grade removes its tree", .timeout = 120)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGKILL };
	for (size_t i = 0; i < 3; i++) {
		char *tmp = scratch();
		char *sub = xstrdup(kit_path("grader/tests/hostile/infinite_loop"));
		pid_t pid = spawn_fixture_grade(tmp, sub);
		/* wait until the tests run (the temporary tree exists), then stop it */
		sleep(3);
		kill(pid, sigs[i]);
		int st;
		waitpid(pid, &st, 0);
		cr_expect(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i], "expected the grader to end by signal %d, status 0x%x",
			  sigs[i], st);
		DIR *d = opendir(tmp);
		cr_assert_not_null(d);
		struct dirent *e;
		int left = 0;
		while ((e = readdir(d)))
			if (!strncmp(e->d_name, "kit-grade-", 10))
				left++;
		closedir(d);
		/* SIGKILL leaves the directory (nothing can run then), not processes */
		if (sigs[i] != SIGKILL)
			cr_expect_eq(left, 0, "signal %d: %d temporary tree(s) left in %s", sigs[i], left, tmp);
		/* no process may still run a program from the removed tree */
		usleep(200000);
		d = opendir("/proc");
		cr_assert_not_null(d);
		int running = 0;
		while ((e = readdir(d))) {
			char link[64], exe[4096];
			snprintf(link, sizeof link, "/proc/%.20s/exe", e->d_name);
			ssize_t n = readlink(link, exe, sizeof exe - 1);
			if (n > 0) {
				exe[n] = 0;
				running += !strncmp(exe, tmp, strlen(tmp));
			}
		}
		closedir(d);
		cr_expect_eq(running, 0, "signal %d: %d test process(es) still running from %s", sigs[i], running, tmp);
		if (sigs[i] == SIGKILL) {
			/* the next grader removes what the killed one left */
			waitpid(spawn_fixture_grade(tmp, NULL), &st, 0);
			d = opendir(tmp);
			cr_assert_not_null(d);
			left = 0;
			while ((e = readdir(d)))
				if (!strncmp(e->d_name, "kit-grade-", 10))
					left++;
			closedir(d);
			cr_expect_eq(left, 0, "after a SIGKILL, the next grade should remove the %d tree(s) left in %s "
				     "(grader/src/main.c, sweep_stale_workdirs)", left, tmp);
		}
		remove_tree(tmp);
		free(tmp);
		free(sub);
	}
}

KIT_TEST(fixture, regrading_gives_the_same_result, .description = "the same submission graded twice gets the same points and messages", .timeout = 120)
{
	char *sub = xstrdup(kit_path("grader/tests/hostile/background"));
	struct run a = grade("fixture", FIXTURE, sub);
	struct run b = grade("fixture", FIXTURE, sub);
	cr_assert(a.json && b.json, "no results.json:\n%s\n%s", a.output, b.output);
	cr_expect_str_eq(a.json, b.json, "two grades of one submission differ:\n%s\n---\n%s", a.json, b.json);
	run_free(&a);
	run_free(&b);
	free(sub);
}

/* ---- dist refusals, on scratch kits ---- */

static char *mini_kit(const char *student_text, const char *doc_text)
{
	char *k = scratch();
	static const char *const files[][2] = {
		{ "Makefile", "all:\n" },
		{ "README.md", "mini kit\n" },
		{ "labs/sequence", "mini\n" },
		{ "labs/mini.manifest", "lab mini\ndir mini\nstudent mini/a.c\ntest mini/t s::a 1 visible\n" },
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *p = xasprintf("%s/%s", k, files[i][0]);
		cr_assert_eq(write_file(p, files[i][1], strlen(files[i][1]), 0644), 0);
		free(p);
	}
	char *p = xasprintf("%s/mini/a.c", k);
	cr_assert_eq(write_file(p, student_text, strlen(student_text), 0644), 0);
	free(p);
	if (doc_text) {
		p = xasprintf("%s/mini/NOTES.md", k);
		cr_assert_eq(write_file(p, doc_text, strlen(doc_text), 0644), 0);
		free(p);
	}
	return k;
}

#define GOOD_C "int f(void)\n{\n\t// BEGIN SOLUTION\n\treturn the_answer_to_everything_here(42);\n\t// STARTER:\n\t// return -1;\n\t// END SOLUTION\n}\n"

struct dist_case {
	const char *c, *doc, *needle;
};

KIT_TEST(dist, refuses_and_writes_nothing, .description = "dist refuses bad markers, a solution line leaked into a document, and a non-empty DEST, writing nothing")
{
	static const struct dist_case cases[] = {
		{ "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n", NULL, "do not nest" },
		{ "// BEGIN SOLUTION\nint x;\n", NULL, "never closed" },
		{ "// BEGIN SOLUTION\n// STARTER:\nint x;\n// END SOLUTION\n", NULL, "comment leader" },
		{ GOOD_C, "Hint: `return the_answer_to_everything_here(42);`\n", "holds solution line" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *k = mini_kit(cases[i].c, cases[i].doc);
		char *dest = xasprintf("%s/out/starter", k);
		struct run r = grader("dist", "--lab", "mini", "--kit", k, "--dest", dest, NULL);
		cr_expect_eq(r.status, 2, "case %zu: expected refusal (status 2), got %d:\n%s", i, r.status, r.output);
		cr_expect(strstr(r.output, cases[i].needle), "case %zu: expected '%s' in:\n%s", i, cases[i].needle, r.output);
		struct stat st;
		cr_expect(stat(dest, &st) < 0, "case %zu: %s was written despite the refusal", i, dest);
		char *out = xasprintf("%s/out", k);
		bool exists;
		cr_expect(dir_is_empty_or_absent(out, &exists), "case %zu: staging files left in %s", i, out);
		free(out);
		run_free(&r);
		remove_tree(k);
		free(k);
		free(dest);
	}
	/* DEST exists and is not empty */
	char *k = mini_kit(GOOD_C, NULL);
	char *dest = xasprintf("%s/mini", k);
	struct run r = grader("dist", "--lab", "mini", "--kit", k, "--dest", dest, NULL);
	cr_expect_eq(r.status, 2, "a non-empty DEST must be refused, got status %d:\n%s", r.status, r.output);
	cr_expect(strstr(r.output, "not an empty directory"), "expected 'not an empty directory' in:\n%s", r.output);
	run_free(&r);
	/* and the good kit goes through, with the starter in place */
	char *good = xasprintf("%s/out", k);
	r = grader("dist", "--lab", "mini", "--kit", k, "--dest", good, NULL);
	cr_expect_eq(r.status, 0, "a good kit must go through, got status %d:\n%s", r.status, r.output);
	char *a = xasprintf("%s/mini/a.c", good);
	char *text = read_file(a, NULL);
	cr_expect(text && !strcmp(text, "int f(void)\n{\n\treturn -1;\n}\n"), "unexpected starter:\n%s", text ? text : "(none)");
	free(text);
	free(a);
	free(good);
	run_free(&r);
	remove_tree(k);
	free(k);
	free(dest);
}

/* ---- the two-lab fixture: fixup uses fixbase (regions carry their lab) ---- */

#define FIXBASE "grader/tests/fixture/base.manifest"
#define FIXUP "grader/tests/fixture/upper.manifest"
#define STEP_C "grader/tests/fixture/base/step.c"
#define GIVEN_C "grader/tests/fixture/base/given.c"
#define TOP_C "grader/tests/fixture/upper/top.c"
#define FIXBASE_HIDDEN "grader/tests/fixture/base/tests/test_base_hidden.c"
/* distinctive lines of the fixture's regions */
#define FIXBASE_REF "int next_of_x_in_fixbase = x + 1;"
#define FIXUP_REF_IN_BASE "int thrice_x_for_fixup_only = 3 * x;"

/* dist lab (manifest) into a fresh directory, with BASE base or none;
 * returns the run, *dest the tree's path (under r->dir) */
static struct run dist_lab(const char *lab, const char *manifest, const char *base, char **dest)
{
	char *d = scratch();
	*dest = xasprintf("%s/tree", d);
	struct run r = base ? grader("dist", "--lab", lab, "--manifest", manifest, "--dest", *dest, "--base", base, NULL)
			    : grader("dist", "--lab", lab, "--manifest", manifest, "--dest", *dest, NULL);
	/* the tree lives in d: make run_free remove both */
	remove_tree(r.dir);
	free(r.dir);
	r.dir = d;
	return r;
}

static char *tree_file(const char *tree, const char *rel)
{
	char *p = xasprintf("%s/%s", tree, rel);
	char *t = read_file(p, NULL);
	free(p);
	return t;
}

/* the first file under root (relative path) holding needle, or NULL */
static char *file_holding(const char *root, const char *rel, const char *needle)
{
	char *dir = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(dir);
	char *found = NULL;
	for (struct dirent *e; d && !found && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char *r = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		char *full = xasprintf("%s/%s", root, r);
		struct stat st;
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			found = file_holding(root, r, needle);
		} else if (S_ISREG(st.st_mode)) {
			char *t = read_file(full, NULL);
			if (t && strstr(t, needle))
				found = xstrdup(r);
			free(t);
		}
		free(full);
		free(r);
	}
	if (d)
		closedir(d);
	free(dir);
	return found;
}

KIT_TEST(uses, reference_gets_full_marks, .description = "the two-lab fixture's references (fixbase, and fixup that uses it) get full marks", .timeout = 120)
{
	int free_points, total = check_points("fixup", FIXUP, &free_points);
	struct run r = grade("fixup", FIXUP, NULL);
	cr_expect_eq(r.score, total, "expected %d/%d for fixup's reference, got %d:\n%s", total, total, r.score, r.output);
	run_free(&r);
	total = check_points("fixbase", FIXBASE, &free_points);
	r = grade("fixbase", FIXBASE, NULL);
	cr_expect_eq(r.score, total, "expected %d/%d for fixbase's reference, got %d:\n%s", total, total, r.score, r.output);
	run_free(&r);
}

KIT_TEST(uses, starter_has_used_labs_solved, .description = "the starter tree of a lab that uses another holds that lab's regions solved (reference kept, no markers), its own regions (in its files and the used lab's) as starters, and no other lab; graded, it gets only the free points", .timeout = 120)
{
	char *dest;
	struct run r = dist_lab("fixup", FIXUP, NULL, &dest);
	cr_assert_eq(r.status, 0, "dist --lab fixup failed (status %d):\n%s", r.status, r.output);
	char *step = tree_file(dest, STEP_C), *given = tree_file(dest, GIVEN_C), *top = tree_file(dest, TOP_C);
	cr_assert(step && given && top, "fixup's tree lacks %s, %s or %s", STEP_C, GIVEN_C, TOP_C);
	cr_expect(strstr(step, FIXBASE_REF), "fixbase's region in %s must be solved in fixup's tree (labs.c, labset_fate); got:\n%s",
		  STEP_C, step);
	cr_expect(strstr(step, "TODO: base_scale") && !strstr(step, FIXUP_REF_IN_BASE),
		  "fixup's own region in fixbase's %s (BEGIN SOLUTION fixup) must be its starter; got:\n%s", STEP_C, step);
	cr_expect(!strstr(step, "SOLUTION") && !strstr(step, "STARTER"), "markers left in %s:\n%s", STEP_C, step);
	cr_expect(strstr(given, "given_answer_of_fixbase"), "fixbase's given.c must be solved in fixup's tree:\n%s", given);
	cr_expect(strstr(top, "TODO: top_combine"), "fixup's own top.c must be its starter:\n%s", top);
	char *hidden = xasprintf("%s/%s", dest, FIXBASE_HIDDEN);
	cr_expect(access(hidden, F_OK) < 0, "fixbase's private file %s (a hidden test's source) is in fixup's tree: "
		  "dist_wanted must leave out the used labs' private files too", FIXBASE_HIDDEN);
	free(hidden);
	char *other = xasprintf("%s/grader/tests/fixture/student/calc.c", dest);
	cr_expect(access(other, F_OK) < 0, "another lab's file (the fixture lab's %s) is in fixup's tree", other);
	free(other);
	/* the used lab's manifest ships (public text), so the tree can be a kit
	 * that grades again (Gradescope's kit/ is a starter tree) */
	char *bman = tree_file(dest, FIXBASE);
	cr_expect(bman && strstr(bman, "lab       fixbase"), "fixbase's manifest %s must be in fixup's tree", FIXBASE);
	free(bman);
	free(step);
	free(given);
	free(top);
	int free_points;
	check_points("fixup", FIXUP, &free_points);
	struct run g = grade("fixup", FIXUP, dest);
	cr_expect_eq(g.score, free_points, "expected fixup's starter to get its %d free points (fixbase solved), got %d:\n%s",
		     free_points, g.score, g.output);
	run_free(&g);
	run_free(&r);
	free(dest);
}

/* the student's own fixbase tree: fixbase's starter, with a base_step of
 * theirs (wrong: x + 2) and a given.c of theirs (not a student file) */
static char *student_fixbase_tree(void)
{
	char *dest;
	struct run r = dist_lab("fixbase", FIXBASE, NULL, &dest);
	cr_assert_eq(r.status, 0, "dist --lab fixbase failed (status %d):\n%s", r.status, r.output);
	free(r.output);
	free(r.json);
	free(r.dir); /* kept: removed by drop_dist */
	const char *own = "#include \"step.h\"\nint base_step(int x)\n{\n\treturn x + 2; /* the student's own step */\n}\n"
			  "int base_scale(int x)\n{\n\t(void)x;\n\treturn -1;\n}\n";
	char *p = xasprintf("%s/%s", dest, STEP_C);
	cr_assert_eq(write_file(p, own, strlen(own), 0644), 0);
	free(p);
	const char *given = "#include \"step.h\"\nint base_given(void)\n{\n\treturn 8; /* not a student file */\n}\n";
	p = xasprintf("%s/%s", dest, GIVEN_C);
	cr_assert_eq(write_file(p, given, strlen(given), 0644), 0);
	free(p);
	return dest;
}

KIT_TEST(uses, base_takes_the_students_earlier_files, .description = "dist BASE= takes the used lab's student files from the student's earlier tree, the rest from the kit; no used lab's reference appears; graded, the student's own earlier file counts", .timeout = 120)
{
	char *base = student_fixbase_tree();
	char *dest;
	struct run r = dist_lab("fixup", FIXUP, base, &dest);
	cr_assert_eq(r.status, 0, "dist --lab fixup --base failed (status %d):\n%s", r.status, r.output);
	char *step = tree_file(dest, STEP_C), *given = tree_file(dest, GIVEN_C);
	cr_assert(step && given, "fixup's BASE tree lacks %s or %s", STEP_C, GIVEN_C);
	cr_expect(strstr(step, "the student's own step"), "%s must be the student's own (from BASE), got:\n%s", STEP_C, step);
	cr_expect(strstr(given, "given_answer_of_fixbase"),
		  "%s is no student file of fixbase: it must be the kit's (solved), not BASE's; got:\n%s", GIVEN_C, given);
	char *leak = file_holding(dest, "", FIXBASE_REF);
	cr_expect_null(leak, "fixbase's reference ('%s') is in %s of a BASE tree", FIXBASE_REF, leak ? leak : "");
	free(leak);
	free(step);
	free(given);
	struct run g = grade("fixup", FIXUP, dest);
	cr_expect_eq(g.score, 1, "expected 1/5 (only up::given: the student's own base_step is wrong and fixup's code is the "
		     "starter), got %d:\n%s", g.score, g.output);
	cr_expect(strstr(g.output, "expected 5, got 6"), "the student's own base_step (x + 2) must be what is graded:\n%s",
		  g.output);
	run_free(&g);
	run_free(&r);
	free(dest);
	drop_dist(base);
}

KIT_TEST(uses, base_refusals_write_nothing, .description = "dist BASE= refuses, writing nothing, a BASE that lacks a used lab's student file, holds it as a symbolic link or under a linked directory, is not a directory, or is given for a lab that uses none")
{
	struct bcase {
		const char *what, *needle;
		const char *lab, *manifest;
	};
	static const struct bcase cases[] = {
		{ "absent", "base/step.c (a student file of fixbase) is absent", "fixup", FIXUP },
		{ "file_link", "not a regular file, or a symbolic link on its path", "fixup", FIXUP },
		{ "dir_link", "not a regular file, or a symbolic link on its path", "fixup", FIXUP },
		{ "not_dir", "is not a directory", "fixup", FIXUP },
		{ "no_uses", "uses no other lab", "fixbase", FIXBASE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *base = student_fixbase_tree();
		char *step = xasprintf("%s/%s", base, STEP_C);
		char *kit_step = xasprintf("%s/%s", kit_root(), STEP_C);
		if (!strcmp(cases[i].what, "absent")) {
			unlink(step);
		} else if (!strcmp(cases[i].what, "file_link")) {
			unlink(step);
			cr_assert_eq(symlink(kit_step, step), 0);
		} else if (!strcmp(cases[i].what, "dir_link")) {
			char *dir = xasprintf("%s/grader/tests/fixture/base", base);
			char *kdir = xasprintf("%s/grader/tests/fixture/base", kit_root());
			remove_tree(dir);
			cr_assert_eq(symlink(kdir, dir), 0);
			free(dir);
			free(kdir);
		} else if (!strcmp(cases[i].what, "not_dir")) {
			free(step);
			step = xasprintf("%s/plain", base);
			cr_assert_eq(write_file(step, "x", 1, 0644), 0);
		}
		const char *b = !strcmp(cases[i].what, "not_dir") ? step : base;
		char *dest;
		struct run r = dist_lab(cases[i].lab, cases[i].manifest, b, &dest);
		cr_expect_eq(r.status, 2, "%s: expected a refusal (status 2), got %d:\n%s", cases[i].what, r.status, r.output);
		cr_expect(strstr(r.output, cases[i].needle), "%s: expected '%s' in:\n%s", cases[i].what, cases[i].needle, r.output);
		cr_expect(access(dest, F_OK) < 0, "%s: %s was written despite the refusal", cases[i].what, dest);
		run_free(&r);
		free(dest);
		free(step);
		free(kit_step);
		drop_dist(base);
	}
}

/* Hostile, for the later lab: fixbase's directory in the submission is a
 * symbolic link to the kit's (its step.c the reference, with fixup's own
 * base_scale solved), and top.c fails to build if the fixture lab's
 * calc.c (a lab fixup does not use) or the kit's step.c (by absolute path)
 * is reachable. step.c is graded as absent: the starter tree's version
 * (fixbase solved, base_scale its starter): 4 of 5, never 5. */
KIT_TEST(hostile, later_lab_gets_no_other_reference, .description = "a fixup submission whose fixbase directory links to the kit's reference gets the starter tree's step.c (its own region unsolved), and neither another lab's solution nor the kit is reachable from its build", .timeout = 120)
{
	char *d = scratch();
	char *sub = xasprintf("%s/sub", d);
	char *top = xasprintf("%s/%s", sub, TOP_C);
	char *text = read_file(kit_path(TOP_C), NULL);
	cr_assert_not_null(text);
	char *src = xasprintf("#if __has_include(\"../student/calc.c\") || __has_include(\"%s/%s\")\n"
			      "#error \"hostile: another lab's solution or the kit's reference is reachable\"\n#endif\n%s",
			      kit_root(), STEP_C, text);
	cr_assert_eq(write_file(top, src, strlen(src), 0644), 0);
	char *link = xasprintf("%s/grader/tests/fixture/base", sub);
	char *kdir = xasprintf("%s/grader/tests/fixture/base", kit_root());
	cr_assert_eq(symlink(kdir, link), 0, "cannot link %s: %s", link, strerror(errno));
	struct run r = grade("fixup", FIXUP, sub);
	cr_expect(!strstr(r.output, "hostile: another lab"), "another lab's solution or the kit is reachable from fixup's build:\n%s",
		  r.output);
	cr_expect(strstr(r.output, "a symbolic link on its path"), "expected the linked step.c refused:\n%s", r.output);
	cr_expect_eq(r.score, 4, "expected 4/5 (base_scale, fixup's own region in step.c, unsolved), got %d:\n%s", r.score,
		     r.output);
	run_free(&r);
	free(link);
	free(kdir);
	free(src);
	free(text);
	free(top);
	free(sub);
	remove_tree(d);
	free(d);
}

/* A scratch kit of two labs: la, and lb that uses la (dist only). */
static char *two_lab_kit(const char *a_c, const char *b_c, const char *doc)
{
	char *k = scratch();
	const char *files[][2] = {
		{ "Makefile", "all:\n" },
		{ "labs/sequence", "la\nlb\n" },
		{ "labs/la.manifest", "lab la\ndir la\nstudent la/a.c\ntest la/t s::a 1 visible\n" },
		{ "labs/lb.manifest", "lab lb\ndir lb\nuses la\nstudent lb/b.c\nstudent la/a.c\ntest lb/t s::a 1 visible\n" },
		{ "la/a.c", a_c },
		{ "lb/b.c", b_c },
		{ "lb/NOTES.md", doc ? doc : "notes\n" },
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *p = xasprintf("%s/%s", k, files[i][0]);
		cr_assert_eq(write_file(p, files[i][1], strlen(files[i][1]), 0644), 0);
		free(p);
	}
	return k;
}

#define LA_REF "return la_reference_answer_line(42);"
#define LB_IN_LA "return lb_region_inside_la_file(7);"
#define LB_REF "return lb_own_reference_line_here(1);"
#define LA_C "int a(void)\n{\n\t// BEGIN SOLUTION\n\t" LA_REF "\n\t// STARTER:\n\t// return -1;\n\t// END SOLUTION\n}\n" \
	     "int a2(void)\n{\n\t// BEGIN SOLUTION lb: lb's task in la's file\n\t" LB_IN_LA "\n\t// STARTER:\n\t// return -2;\n\t// END SOLUTION\n}\n"
#define LB_C "int b(void)\n{\n\t// BEGIN SOLUTION\n\t" LB_REF "\n\t// STARTER:\n\t// return -1;\n\t// END SOLUTION\n}\n"

struct scope_case {
	const char *lab, *b_c, *doc;
	const char *base_a; /* the student's own la/a.c (BASE), or NULL */
	const char *needle; /* NULL: dist must succeed */
	const char *why;
};

KIT_TEST(dist, leak_check_and_tags_follow_the_lab, .description = "dist's leak check looks for the graded lab's own solutions (a used lab's are expected, but not with BASE, except in the student's own files); a tag claiming another lab's region in a lab's own directory, or naming no lab, is refused")
{
	static const struct scope_case cases[] = {
		{ "lb", LB_C, "Hint: `" LA_REF "`\n", NULL, NULL, "la's solution, used by lb, may appear in lb's tree" },
		{ "lb", LB_C, "Hint: `" LB_REF "`\n", NULL, "holds solution line", "lb's own solution in lb's docs" },
		{ "lb", LB_C, "Hint: `" LB_IN_LA "`\n", NULL, "holds solution line", "lb's region in la's file is lb's own" },
		{ "la", LB_C, "x\n", NULL, NULL, "la's tree does not hold lb/" },
		{ "lb", LB_C, "Hint: `" LA_REF "`\n", "int a(void) { return 0; }\n", "holds solution line",
		  "with BASE, la's reference may not appear" },
		{ "lb", LB_C, "notes\n", "int a(void)\n{\n\t" LA_REF "\n}\n", NULL,
		  "with BASE, the student's own file may hold what the reference holds" },
		{ "lb", "int b(void)\n{\n\t// BEGIN SOLUTION la\n\t" LB_REF "\n\t// END SOLUTION\n}\n", NULL, NULL,
		  "lb/b.c:3: BEGIN SOLUTION la: the file is in lab lb's directory lb, and la's manifest does not 'uses lb'",
		  "lb's region tagged la (to ship it solved)" },
		{ "lb", "int b(void)\n{\n\t// BEGIN SOLUTION lz\n\t" LB_REF "\n\t// END SOLUTION\n}\n", NULL, NULL,
		  "lb/b.c:3: BEGIN SOLUTION lz: no manifest", "a tag naming no lab" },
		{ "lb", "int b(void)\n{\n\t// BEGIN SOLUTION lb; x\n\t" LB_REF "\n\t// END SOLUTION\n}\n", NULL, NULL,
		  "lb/b.c:3: malformed solution tag", "a malformed tag" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *k = two_lab_kit(LA_C, cases[i].b_c, cases[i].doc);
		char *dest = xasprintf("%s/out/tree", k);
		char *base = NULL;
		if (cases[i].base_a) {
			base = xasprintf("%s/base", k);
			char *p = xasprintf("%s/la/a.c", base);
			cr_assert_eq(write_file(p, cases[i].base_a, strlen(cases[i].base_a), 0644), 0);
			free(p);
		}
		struct run r = base ? grader("dist", "--lab", cases[i].lab, "--kit", k, "--dest", dest, "--base", base, NULL)
				    : grader("dist", "--lab", cases[i].lab, "--kit", k, "--dest", dest, NULL);
		if (cases[i].needle) {
			cr_expect_eq(r.status, 2, "case %zu (%s): expected a refusal, got status %d:\n%s", i, cases[i].why, r.status,
				     r.output);
			cr_expect(strstr(r.output, cases[i].needle), "case %zu (%s): expected '%s' in:\n%s", i, cases[i].why,
				  cases[i].needle, r.output);
			cr_expect(access(dest, F_OK) < 0, "case %zu: %s written despite the refusal", i, dest);
		} else {
			cr_expect_eq(r.status, 0, "case %zu (%s): expected dist to succeed, got status %d:\n%s", i, cases[i].why,
				     r.status, r.output);
		}
		if (i == 0) {
			/* lb's tree: la's region solved, lb's region in la's file its starter */
			char *a = tree_file(dest, "la/a.c");
			cr_expect(a && strstr(a, LA_REF) && !strstr(a, LB_IN_LA) && strstr(a, "return -2;") && !strstr(a, "SOLUTION"),
				  "lb's la/a.c: expected la's region solved and lb's its starter, got:\n%s", a ? a : "(none)");
			free(a);
		}
		if (i == 3) {
			/* la's tree: lb's region in la's file is a starter there too */
			char *a = tree_file(dest, "la/a.c");
			cr_expect(a && !strstr(a, LA_REF) && !strstr(a, LB_IN_LA) && strstr(a, "return -2;"),
				  "la's la/a.c: expected both regions as starters, got:\n%s", a ? a : "(none)");
			free(a);
		}
		run_free(&r);
		free(base);
		free(dest);
		remove_tree(k);
		free(k);
	}
}

/* ---- hostile submissions (grader/tests/hostile/<name>/) ---- */

struct hostile {
	const char *name;
	int deserved;
	const char *needle; /* in the grader's output */
	bool strict;        /* graded with strict.manifest (empty student-calls) */
	bool canary;        /* graded with CANARY_NAME and make's variables set: no report may hold them */
	/* written here (it names the kit's absolute path), not in hostile/ */
	char *(*generate)(const char *dir);
};

/* set in the grader's environment for the canary cases: a variable of the
 * instructor's shell, and make variables that would change the build */
#define CANARY_NAME "GRADER_SELFCHECK_CANARY"
#define CANARY_VALUE "instructor-secret-5f1e0c"

/* Hostile, written here because it names the kit's absolute path: looks for
 * another lab's solution (lab01's csr.c, lab04's security.c, by paths
 * relative to the grading tree) and the kit's own reference of the fixture
 * (by absolute path), with __has_include and .incbin. If what it embeds
 * holds a solution marker, it answers right, else wrong. The grading tree
 * holds no reference and the kit is hidden: deserves the free test only. */
static char *write_includes_reference(const char *dir)
{
	char *sub = xasprintf("%s/includes_reference", dir);
	char *path = xasprintf("%s/grader/tests/fixture/student/calc.c", sub);
	/* tried in this order; "../../../../" leads from the file to the tree's top */
	const char *rel[] = { "lab01-trap-emulate/vmm/csr.c", "lab04-containers/minictr/security.c" };
	char *text = xstrdup("#include \"calc.h\"\n");
	char *abs = xasprintf("%s/grader/tests/fixture/student/calc.c", kit_root());
	char *t = xasprintf("%s#if __has_include(\"%s\")\n#define REF \"%s\"\n", text, abs, abs);
	free(text);
	text = t;
	for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
		t = xasprintf("%s#elif __has_include(\"../../../../%s\")\n#define REF \"%s\"\n", text, rel[i], rel[i]);
		free(text);
		text = t;
	}
	t = xasprintf("%s#endif\n"
		      "#ifdef REF\n"
		      "__asm__(\".section .rodata\\n.globl calc_ref\\ncalc_ref:\\n.incbin \\\"\" REF \"\\\"\\n.byte 0\\n.previous\");\n"
		      "extern const char calc_ref[];\n"
		      "#else\n"
		      "static const char calc_ref[] = \"\";\n"
		      "#endif\n"
		      "static int holds_solution(void)\n{\n"
		      "\tconst char *m = \"BEGIN \" \"SOLUTION\";\n"
		      "\tfor (const char *s = calc_ref; *s; s++) {\n"
		      "\t\tint k = 0;\n"
		      "\t\twhile (m[k] && s[k] == m[k])\n\t\t\tk++;\n"
		      "\t\tif (!m[k])\n\t\t\treturn 1;\n"
		      "\t}\n\treturn 0;\n}\n"
		      "int calc_gcd(int a, int b)\n{\n"
		      "\tif (!holds_solution())\n\t\treturn -1;\n"
		      "\twhile (b != 0) {\n\t\tint r = a %% b;\n\t\ta = b;\n\t\tb = r;\n\t}\n"
		      "\treturn a < 0 ? -a : a;\n}\n"
		      "int calc_twice(int a)\n{\n\treturn 2 * a;\n}\n", text);
	free(text);
	cr_assert_eq(write_file(path, t, strlen(t), 0644), 0, "cannot write %s", path);
	free(t);
	free(abs);
	free(path);
	return sub;
}

/* Hostile, written here because it names the kit's absolute path: the
 * student file's directory is a symbolic link to the kit's own fixture
 * student/ (the reference). The grader reads student files as root outside
 * any sandbox, so a link on any component of the path would hand it the
 * reference (it did: 3/3 lab01 tests from a starter whose vmm/ linked to
 * the kit's). Graded as absent: the free test only. */
static char *write_links_reference(const char *dir)
{
	char *sub = xasprintf("%s/links_reference", dir);
	char *parent = xasprintf("%s/grader/tests/fixture", sub);
	char *link = xasprintf("%s/student", parent);
	char *target = xasprintf("%s/grader/tests/fixture/student", kit_root());
	char *cmd = xasprintf("mkdir -p '%s'", parent);
	cr_assert_eq(system(cmd), 0, "cannot make %s", parent);
	cr_assert_eq(symlink(target, link), 0, "cannot link %s to %s: %s", link, target, strerror(errno));
	free(cmd);
	free(target);
	free(link);
	free(parent);
	return sub;
}

/* What a grade left behind under its private TMPDIR: temporary trees,
 * processes running from there, mounts naming it. */
static int leftovers(const char *tmp, char **what)
{
	int left = 0;
	DIR *d = opendir(tmp);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			left++;
			*what = xasprintf("%s file %s/%s;", *what ? *what : "", tmp, e->d_name);
		}
	if (d)
		closedir(d);
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		char link[300], exe[4096];
		snprintf(link, sizeof link, "/proc/%.20s/exe", e->d_name);
		ssize_t n = readlink(link, exe, sizeof exe - 1);
		if (n > 0) {
			exe[n] = 0;
			if (!strncmp(exe, tmp, strlen(tmp))) {
				left++;
				*what = xasprintf("%s process %s (%s);", *what ? *what : "", e->d_name, exe);
			}
		}
		snprintf(link, sizeof link, "/proc/%.20s/cmdline", e->d_name);
		size_t len;
		char *cmd = read_file(link, &len);
		if (cmd && len >= 10 && !memcmp(cmd, "sleep\0" "313", 9)) {
			left++;
			*what = xasprintf("%s process %s (sleep 313);", *what ? *what : "", e->d_name);
		}
		free(cmd);
	}
	if (d)
		closedir(d);
	char *mi = read_file("/proc/self/mountinfo", NULL);
	if (mi && strstr(mi, tmp)) {
		left++;
		*what = xasprintf("%s a mount under %s;", *what ? *what : "", tmp);
	}
	free(mi);
	return left;
}

KIT_TEST(hostile, submissions_score_what_they_deserve, .description = "hostile and broken fixture submissions score exactly their honest part, forge nothing, and leave nothing behind", .timeout = 300)
{
	static const struct hostile cases[] = {
		{ "exit0", 1, "never reached its end", .strict = false },
		{ "prints_success", 1, "expected 6, got 0", .strict = false },
		{ "syntax_error", 0, "error:", .strict = false },
		{ "absent", 1, "absent from the submission", .strict = false },
		{ "infinite_loop", 1, "time limit exceeded", .strict = false },
		{ "background", 3, "expected 2, got -1", .strict = false },
		{ "forged_results", 3, "expected 2, got -1", .strict = false },
		{ "tampers_with_tests", 3, "expected 2, got -1", .strict = false },
		{ "reads_reference", 1, "expected 6, got -1", .strict = false },
		{ "fork_bomb", 3, "time limit exceeded", .strict = false },
		{ "allocates", 3, "memory limit reached", .strict = false },
		{ "floods_output", 3, "output limit exceeded", .strict = false },
		{ "sleeps", 3, "time limit exceeded: still running", .strict = false },
		{ "hangs_after_end", 3, "hung after the test ended; running it again", .strict = false },
		{ "network", 5, "Total: 5/5", .strict = false },
		{ "forges_end", 1, "refused", .strict = true },
		{ "weak_calls", 1, "calls criterion_current_test, exit, kit_reached_end", .strict = true },
		{ "symver_alias", 1, "calls exit, kit_reached_end", .strict = true },
		{ "weak_override", 1, "defines getenv", .strict = true },
		{ "startup_section", 1, "section .calc_setup of type INIT_ARRAY", .strict = true },
		{ "absolute_symbol", 1, "absolute symbol (calc_entry)", .strict = true },
		{ "interposes_criterion", 1, "defines nn_send", .strict = true },
		{ "prints_environment", 1, "env: KIT_ROOT=", .canary = true },
		{ "compiler_oom", 0, "virtual memory exhausted", .strict = false },
		{ "includes_reference", 1, "expected 6, got -1", .generate = write_includes_reference },
		{ "links_reference", 1, "a symbolic link on its path", .generate = write_links_reference },
	};
	/* the "network" submission calls here; nothing may arrive */
	int lsock = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int one = 1;
	setsockopt(lsock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(47613) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bool listening = lsock >= 0 && bind(lsock, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(lsock, 16) == 0;
	int tried = 0, forged = 0, dirty = 0;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *sub = xasprintf("grader/tests/hostile/%s", cases[i].name);
		char *gen = cases[i].generate ? scratch() : NULL;
		char *full = gen ? cases[i].generate(gen) : xstrdup(kit_path(sub));
		char *tmp = scratch();
		setenv("TMPDIR", tmp, 1);
		/* what an instructor's shell and `make grade` may hold: none of it
		 * may reach the build (MAKEFLAGS=-n would build nothing, HOST_CC
		 * would replace the compiler) nor the tests and their reports */
		char *old_makeflags = getenv("MAKEFLAGS") ? xstrdup(getenv("MAKEFLAGS")) : NULL;
		if (cases[i].canary) {
			setenv(CANARY_NAME, CANARY_VALUE, 1);
			setenv("MAKEFLAGS", "-n", 1);
			setenv("HOST_CC", "false", 1);
		}
		struct run r = grade("fixture", cases[i].strict ? STRICT : FIXTURE, full);
		if (cases[i].canary) {
			unsetenv(CANARY_NAME);
			unsetenv("HOST_CC");
			if (old_makeflags)
				setenv("MAKEFLAGS", old_makeflags, 1);
			else
				unsetenv("MAKEFLAGS");
			cr_expect(!strstr(r.output, CANARY_VALUE) && !(r.json && strstr(r.json, CANARY_VALUE)),
				  "%s: the grader's environment reached a report (%s=%s):\n%s", cases[i].name, CANARY_NAME,
				  CANARY_VALUE, r.output);
		}
		free(old_makeflags);
		unsetenv("TMPDIR");
		tried++;
		forged += r.score > cases[i].deserved;
		cr_expect_eq(r.score, cases[i].deserved, "%s: expected %d points, got %d:\n%s", cases[i].name, cases[i].deserved,
			     r.score, r.output);
		cr_expect(strstr(r.output, cases[i].needle), "%s: expected '%s' in the grader's output:\n%s", cases[i].name,
			  cases[i].needle, r.output);
		usleep(100000);
		char *what = NULL;
		int left = leftovers(tmp, &what);
		dirty += left > 0;
		cr_expect_eq(left, 0, "%s: the grade left %d thing(s) behind: %s", cases[i].name, left, what ? what : "");
		free(what);
		run_free(&r);
		remove_tree(tmp);
		free(tmp);
		if (gen)
			remove_tree(gen);
		free(gen);
		free(full);
		free(sub);
	}
	int calls = 0;
	for (int c; listening && (c = accept(lsock, NULL, NULL)) >= 0; close(c))
		calls++;
	if (lsock >= 0)
		close(lsock);
	cr_expect_eq(calls, 0, "the 'network' submission reached 127.0.0.1:47613 of this machine %d time(s)", calls);
	/* the figure for the grader's report (grader/README.md) */
	printf("hostile submissions tried: %d, points forged: %d (submissions over their honest part: %d), "
	       "runs that left anything behind: %d\n", tried, forged, forged, dirty);
}

/* Gradescope's run_autograder (grader/scripts/gradescope.sh) stages the
 * student files as root before the grader runs: cp follows links, so a
 * vmm/ linked to the kit's reference, or a csr.c linked to a host file
 * (/proc/1/environ, a hidden test), was staged as the student's (it was:
 * all eight reference files and /etc/hostname). Run here with a stand-in
 * grader that keeps what was staged. */
KIT_TEST(hostile, gradescope_stages_no_linked_file, .description = "Gradescope's run_autograder stages only regular student files with no symbolic link on their path: links to the kit's reference hand in nothing", .timeout = 60)
{
	char *d = scratch();
	char *kit = realpath(kit_root(), NULL);
	cr_assert_not_null(kit);
	char *cmd = xasprintf(
		"set -e; cd '%s'; grader/scripts/gradescope.sh lab01 '%s/gs.zip' '' >/dev/null; cd '%s';"
		"mkdir -p root/source root/results root/submission/lab01-trap-emulate root/submission/other;"
		"unzip -q gs.zip run_autograder 'kit/labs/*' -d root/source; mv root/source/run_autograder .;"
		"mkdir -p root/source/kit/build/grader;"
		"printf '#!/bin/sh\nwhile [ \"$1\" != --submission ]; do shift; done\n"
		"find \"$2\" -type f -exec cat {} + > %s/staged\n' > root/source/kit/build/grader/grader;"
		"chmod +x root/source/kit/build/grader/grader;"
		"ln -s '%s/lab01-trap-emulate/vmm' root/submission/lab01-trap-emulate/vmm;"
		"ln -s '%s/lab01-trap-emulate/vmm/trap.c' root/submission/other/trap.c;"
		"echo 'int honest_uart;' > root/submission/uart.c;"
		"AUTOGRADER_ROOT='%s/root' bash run_autograder >/dev/null 2>&1",
		kit, d, d, d, kit, kit, d);
	cr_assert_eq(system(cmd), 0, "could not make and run run_autograder:\n%s", cmd);
	char *staged_path = xasprintf("%s/staged", d);
	char *staged = read_file(staged_path, NULL);
	cr_assert_not_null(staged, "the stand-in grader was not run (no %s)", staged_path);
	cr_expect(strstr(staged, "honest_uart"), "the submission's regular uart.c was not staged; staged:\n%.2000s",
		  staged);
	cr_expect(!strstr(staged, "BEGIN SOLUTION"),
		  "a file a symbolic link named (the kit's reference) was staged as the student's:\n%.2000s", staged);
	free(staged);
	free(staged_path);
	free(cmd);
	free(kit);
	remove_tree(d);
	free(d);
}

/* A lab01 submission: the reference's student files, with
 *  - csr.c: a call to getenv appended (what forging the END marker needs);
 *  - uart.c: weak references to kit_reached_end and exit appended (grader
 *    issue 8: nm shows them as w, not U);
 *  - decode.c: an #error if another lab's solution (lab04's security.c, by
 *    a path relative to the grading tree) or the kit's own reference (by
 *    absolute path) can be included: neither may be there.
 * Graded by a manifest of four lab01 unit tests with lab01's student-calls:
 * csr.c and uart.c are refused and graded as the starter's, so their tests
 * fail, the decode test (decode.c, the reference's) and the free test pass:
 * 2 of 4. */
KIT_TEST(hostile, lab01_forger_refused, .description = "a lab01 submission whose csr.c calls getenv and whose uart.c calls kit_reached_end and exit through weak references has those files refused and graded as the starter, the rest as submitted; no other lab's solution nor the kit's reference is reachable from its build", .timeout = 300)
{
	char *dir = scratch();
	struct manifest m;
	cr_assert_eq(manifest_load(kit_path("labs/lab01.manifest"), kit_root(), &m), 0);
	for (int i = 0; i < m.nstudent; i++) {
		bool csr = strstr(m.student[i], "/csr.c") != NULL;
		bool uart = strstr(m.student[i], "/uart.c") != NULL;
		bool decode = strstr(m.student[i], "/decode.c") != NULL;
		size_t len;
		char *text = read_file(kit_path(m.student[i]), &len);
		cr_assert_not_null(text, "cannot read %s", m.student[i]);
		char *dst = xasprintf("%s/sub/%s", dir, m.student[i]);
		mkdirs_for(dst);
		char *out = csr ? xasprintf("%s\n#include <stdlib.h>\nint kit_forge_probe(void);\n"
					    "int kit_forge_probe(void)\n{\n\treturn getenv(\"KIT_NONCE\") != NULL;\n}\n",
					    text)
			    : uart ? xasprintf("%s\nextern void kit_reached_end(const char *test) __attribute__((weak));\n"
					       "extern void exit(int status) __attribute__((weak, noreturn));\n"
					       "void kit_forge_weak(void);\nvoid kit_forge_weak(void)\n{\n"
					       "\tif (kit_reached_end)\n\t\tkit_reached_end(\"uart::reset_state\");\n"
					       "\tif (exit)\n\t\texit(0);\n}\n", text)
			    : decode ? xasprintf("%s\n#if __has_include(\"../../lab04-containers/minictr/security.c\") || "
						 "__has_include(\"%s/lab01-trap-emulate/vmm/csr.c\")\n"
						 "#error \"hostile: another lab's solution or the kit's reference is reachable "
						 "from the grading tree\"\n#endif\n", text, kit_root())
				   : xstrdup(text);
		cr_assert_eq(write_file(dst, out, strlen(out), 0644), 0);
		free(out);
		free(dst);
		free(text);
	}
	/* the manifest: lab01's, with three of its unit tests */
	char *mf = xasprintf("%s/lab01.manifest", dir);
	char *text = xasprintf("lab lab01\ndir lab01-trap-emulate\nbuild-timeout 300\n");
	for (int i = 0; i < m.nstudent; i++) {
		char *t = xasprintf("%sstudent %s\n", text, m.student[i]);
		free(text);
		text = t;
	}
	char *calls = xstrdup("student-calls");
	for (int i = 0; i < m.ncalls; i++) {
		char *c = xasprintf("%s %s", calls, m.calls[i]);
		free(calls);
		calls = c;
	}
	char *t = xasprintf("%s%s\ntest lab01/tests/unit_decode decode::csr_forms 1 10 visible\n"
			    "test lab01/tests/unit_csr csr::plain_registers_round_trip 1 10 visible\n"
			    "test lab01/tests/unit_uart uart::reset_state 1 10 visible\n"
			    "test lab01/tests/unit_csr vcpu::reset_like_opensbi 1 10 visible free\n", text, calls);
	cr_assert_eq(write_file(mf, t, strlen(t), 0644), 0);
	free(t);
	free(text);
	free(calls);
	manifest_free(&m);
	char *sub = xasprintf("%s/sub", dir);
	struct run r = grade("lab01", mf, sub);
	cr_expect(strstr(r.output, "csr.c: refused") && strstr(r.output, "getenv"),
		  "expected 'csr.c: refused ... getenv' in the grader's output:\n%s", r.output);
	cr_expect(strstr(r.output, "uart.c: refused") && strstr(r.output, "calls exit, kit_reached_end"),
		  "expected 'uart.c: refused ... calls exit, kit_reached_end' (weak references) in the grader's output:\n%s",
		  r.output);
	cr_expect(!strstr(r.output, "hostile: another lab"),
		  "the grading tree of lab01 holds lab04's solution or the kit's reference is reachable:\n%s", r.output);
	cr_expect_eq(r.score, 2, "expected 2 of 4 (decode::csr_forms and the free test), got %d:\n%s", r.score, r.output);
	run_free(&r);
	remove_tree(dir);
	free(dir);
	free(mf);
	free(sub);
}

/* labs/<lab>.manifest's lines before its first test line, then tests:
 * written as dir/<lab>.manifest (returned). */
static char *manifest_with_tests(const char *lab, const char *dir, const char *tests)
{
	char *src = xasprintf("labs/%s.manifest", lab);
	char *full = read_file(kit_path(src), NULL);
	cr_assert_not_null(full, "cannot read %s", src);
	char *first = strstr(full, "\ntest ");
	cr_assert_not_null(first, "%s has no test line", src);
	first[1] = '\0';
	char *text = xasprintf("%s%s", full, tests);
	char *mf = xasprintf("%s/%s.manifest", dir, lab);
	cr_assert_eq(write_file(mf, text, strlen(text), 0644), 0);
	free(text);
	free(full);
	free(src);
	return mf;
}

/* A lab01 starter whose VMM forges the QEMU tests' verdicts
 * (grader/tests/hostile/lab01_forges_verdicts: trap.c only, the other
 * student files absent, so the starter's): at the first exit it reads
 * kit.token from the guest's device tree in guest RAM, prints every
 * expected KIT CHECK line with the right digest, KIT EXITS and KIT DONE,
 * and powers off. The console is then exactly what the tests used to
 * accept; QEMU's trap log (common/test/witness.h) shows the
 * guest never ran, so it gets no more than the starter's free points. */
KIT_TEST(hostile, lab01_forged_verdicts_refused, .description = "a lab01 starter whose VMM prints every expected verdict line itself scores no more than the starter's free points", .timeout = 400)
{
	int free_points;
	check_points("lab01", NULL, &free_points);
	char *tmp = scratch();
	setenv("TMPDIR", tmp, 1);
	struct run r = grade("lab01", NULL, kit_path("grader/tests/hostile/lab01_forges_verdicts"));
	unsetenv("TMPDIR");
	cr_expect(strstr(r.output, "build done"), "the forging submission must build; the grader said:\n%s", r.output);
	cr_expect(r.score >= 0 && r.score <= free_points,
		  "expected at most %d (free) points for a VMM that prints the verdicts itself, got %d:\n%s",
		  free_points, r.score, r.output);
	cr_expect(strstr(r.output, "ecalls from U-mode (cause 8"),
		  "expected QEMU's trap log to be what refuses the forged verdicts ('ecalls from U-mode "
		  "(cause 8' in a failure message):\n%s", r.output);
	char *what = NULL;
	usleep(100000);
	int left = leftovers(tmp, &what);
	cr_expect_eq(left, 0, "the grade left %d thing(s) behind: %s", left, what ? what : "");
	free(what);
	run_free(&r);
	remove_tree(tmp);
	free(tmp);
}

/* A lab01 starter whose VMM runs the guest kernel natively in S-mode
 * (grader/tests/hostile/lab01_runs_guest_natively: trap.c only; at the
 * first exit it clears PTE_U on guest RAM and srets to the guest with
 * SPP = S, in bare-metal-only inline assembly the call check cannot see).
 * The guest's checks then pass as on the hardware; QEMU's trap log shows
 * its ecalls from S-mode. Graded by lab01's header and three selftest
 * groups that do not touch satp (the forger's guest survives them) and
 * the free native run: 2 of 8. */
KIT_TEST(hostile, lab01_native_guest_refused, .description = "a lab01 starter whose VMM runs the guest kernel natively in S-mode gets none of the VMM tests' points", .timeout = 300)
{
	char *dir = scratch();
	char *mf = manifest_with_tests("lab01", dir,
				       "test lab01/tests/qemu_guest guest::sbi_base 2 60 visible\n"
				       "test lab01/tests/qemu_guest guest::syscalls 2 60 visible\n"
				       "test lab01/tests/qemu_guest guest::csr_forms 2 60 visible\n"
				       "test lab01/tests/qemu_guest guest::native_selftest 2 90 visible free\n");
	struct run r = grade("lab01", mf, kit_path("grader/tests/hostile/lab01_runs_guest_natively"));
	cr_expect_eq(r.score, 2, "expected 2 of 8 (only the free native run), got %d:\n%s", r.score, r.output);
	cr_expect(strstr(r.output, "S or VS-mode"),
		  "expected QEMU's trap log to show the guest ran in S-mode ('S or VS-mode' in a "
		  "failure message):\n%s", r.output);
	run_free(&r);
	remove_tree(dir);
	free(dir);
	free(mf);
}

/*
 * lab01 submissions that attack the test from inside its process
 * (grader/tests/hostile/lab01_*): the reference's student files with the
 * hostile csr.c over them, graded by the csr tests, one decode test (the
 * reference's decode.c: it passes) and the free test: 2 points deserved.
 * Two pass the call check (no import, no system-call instruction): the
 * student runner (common/test/student_rpc.h) is what stops them.
 */
struct lab01_attack {
	const char *name;
	bool passes_call_check;	/* else: "csr.c: refused" in the output */
};

static char *lab01_attack_manifest(const char *dir, const struct manifest *m)
{
	static const char *const csr_tests[] = {
		"plain_registers_round_trip", "sstatus_warl", "sie_sip_masks", "stvec_modes",
		"satp_unsupported_mode_ignored", "counters_and_config", "every_csr_number_classified",
		"user_mode_privilege",
	};
	char *text = xasprintf("lab lab01\ndir lab01-trap-emulate\nbuild-timeout 300\nstudent-calls");
	for (int i = 0; i < m->ncalls; i++) {
		char *t = xasprintf("%s %s", text, m->calls[i]);
		free(text);
		text = t;
	}
	for (int i = 0; i < m->nstudent; i++) {
		char *t = xasprintf("%s\nstudent %s", text, m->student[i]);
		free(text);
		text = t;
	}
	char *t = xasprintf("%s\ntest lab01/tests/unit_decode decode::csr_forms 1 10 visible\n"
			    "test lab01/tests/unit_csr vcpu::reset_like_opensbi 1 10 visible free\n", text);
	free(text);
	text = t;
	for (size_t i = 0; i < sizeof csr_tests / sizeof *csr_tests; i++) {
		t = xasprintf("%stest lab01/tests/unit_csr csr::%s 1 10 visible\n", text, csr_tests[i]);
		free(text);
		text = t;
	}
	char *mf = xasprintf("%s/lab01.manifest", dir);
	cr_assert_eq(write_file(mf, text, strlen(text), 0644), 0);
	free(text);
	return mf;
}

KIT_TEST(hostile, lab01_in_process_attacks_stopped, .description = "lab01 submissions that return past the test's assertions, scan for the nonce and write the END line through libc or a syscall instruction, or import the kit's end marker weakly, score only the honest points and leave nothing behind", .timeout = 600)
{
	static const struct lab01_attack attacks[] = {
		{ "lab01_return_address", true },
		{ "lab01_nonce_libc", true },
		{ "lab01_nonce_syscall", false },
		{ "lab01_weak_imports", false },	/* calls.c checks weak references too */
	};
	struct manifest m;
	cr_assert_eq(manifest_load(kit_path("labs/lab01.manifest"), kit_root(), &m), 0);
	int tried = 0, forged = 0, dirty = 0;
	for (size_t a = 0; a < sizeof attacks / sizeof *attacks; a++) {
		char *dir = scratch();
		for (int i = 0; i < m.nstudent; i++) {
			char *over = xasprintf("grader/tests/hostile/%s/%s", attacks[a].name, m.student[i]);
			size_t len;
			char *text = read_file(kit_path(over), &len);
			if (!text)
				text = read_file(kit_path(m.student[i]), &len);
			cr_assert_not_null(text, "cannot read %s", m.student[i]);
			char *dst = xasprintf("%s/sub/%s", dir, m.student[i]);
			mkdirs_for(dst);
			cr_assert_eq(write_file(dst, text, len, 0644), 0);
			free(dst);
			free(text);
			free(over);
		}
		char *mf = lab01_attack_manifest(dir, &m);
		char *sub = xasprintf("%s/sub", dir);
		char *tmp = scratch();
		setenv("TMPDIR", tmp, 1);
		struct run r = grade("lab01", mf, sub);
		unsetenv("TMPDIR");
		tried++;
		forged += r.score > 2;
		cr_expect_eq(r.score, 2, "%s: expected 2 of 10 (decode::csr_forms and the free test), got %d:\n%s",
			     attacks[a].name, r.score, r.output);
		if (!attacks[a].passes_call_check)
			cr_expect(strstr(r.output, "csr.c: refused"), "%s: expected the call check to refuse csr.c:\n%s",
				  attacks[a].name, r.output);
		else if (strstr(r.output, "csr.c: refused"))
			printf("%s: refused by the call check already\n", attacks[a].name);
		usleep(100000);
		char *what = NULL;
		int left = leftovers(tmp, &what);
		dirty += left > 0;
		cr_expect_eq(left, 0, "%s: the grade left %d thing(s) behind: %s", attacks[a].name, left, what ? what : "");
		free(what);
		run_free(&r);
		remove_tree(tmp);
		free(tmp);
		remove_tree(dir);
		free(dir);
		free(mf);
		free(sub);
	}
	manifest_free(&m);
	printf("lab01 in-process attacks tried: %d, points forged: %d, runs that left anything behind: %d\n", tried,
	       forged, dirty);
}

/* ---- the real labs ---- */

/* lab's reference, graded by its manifest: full marks. */
static void reference_full_marks(const char *lab)
{
	int free_points, total = check_points(lab, NULL, &free_points);
	struct run r = grade(lab, NULL, NULL);
	cr_expect_eq(r.score, total, "expected %d/%d for the %s reference, got %d; the grader said:\n%s", total, total,
		     lab, r.score, r.output);
	cr_expect_eq(r.status, 0, "expected exit status 0 at full marks, got %d", r.status);
	run_free(&r);
}

/* lab's starter from dist, graded: it builds and gets no more than the
 * free points (exactly them, if exact). */
static void starter_free_points(const char *lab, bool exact)
{
	int free_points;
	check_points(lab, NULL, &free_points);
	char *d = scratch();
	char *dest = xasprintf("%s/starter", d);
	free(d);
	struct run r = grader("dist", "--lab", lab, "--dest", dest, NULL);
	cr_assert_eq(r.status, 0, "grader dist --lab %s failed (status %d):\n%s", lab, r.status, r.output);
	run_free(&r);
	r = grade(lab, NULL, dest);
	cr_expect(strstr(r.output, "build done"), "the %s starter must compile; the grader said:\n%s", lab, r.output);
	cr_expect(r.score >= 0 && r.score <= free_points && (!exact || r.score == free_points),
		  "expected %s %d (free) points for the %s starter, got %d: more means a test that passes on "
		  "the starter needs 'free' in labs/%s.manifest or a solution region that makes it fail%s:\n%s",
		  exact ? "exactly" : "at most", free_points, lab, r.score, lab,
		  exact ? "; fewer, a free test that needs student code" : "", r.output);
	run_free(&r);
	drop_dist(dest);
}

KIT_TEST(lab01, reference_gets_full_marks, .description = "the lab01 reference graded by its manifest gets full marks", .timeout = 400)
{
	reference_full_marks("lab01");
}

KIT_TEST(lab01, starter_gets_only_free_points, .description = "the lab01 starter (from dist) builds and gets no more than the manifest's free points", .timeout = 400)
{
	starter_free_points("lab01", false);
}

/*
 * lab02 (shadow paging on lab01's VMM, Linux among its guests): every
 * grading tree takes the kit's Linux Image prebuilt (manifest `prebuilt`:
 * build/linux/Image, which make test has built), so a grade is the VMM,
 * the unit tests and the QEMU runs only.
 */
KIT_TEST(lab02, reference_gets_full_marks, .description = "the lab02 reference graded by its manifest gets full marks", .timeout = 400)
{
	reference_full_marks("lab02");
}

KIT_TEST(lab02, starter_gets_exactly_its_free_points, .description = "the lab02 starter (from dist: lab01's code solved, lab02's regions starters) builds and gets exactly the manifest's free points", .timeout = 400)
{
	starter_free_points("lab02", true);
}

/*
 * lab03 (lab02's VMM with a complete SBI and several vCPUs; lab01's and
 * lab02's directories `uses`d, their regions solved in the starter).
 */
KIT_TEST(lab03, reference_gets_full_marks, .description = "the lab03 reference graded by its manifest gets full marks", .timeout = 400)
{
	reference_full_marks("lab03");
}

KIT_TEST(lab03, starter_gets_exactly_its_free_points, .description = "the lab03 starter (from dist: lab01's and lab02's code solved, lab03's regions starters) builds and gets exactly the manifest's free points", .timeout = 400)
{
	starter_free_points("lab03", true);
}

/*
 * A lab02 submission that fakes Linux's boot (grader/tests/hostile/name),
 * graded by lab02's header and its two Linux tests (4 points under the
 * VMM, 1 free natively): it deserves the free point only, and needle must
 * be in the failure message (the evidence that stopped it).
 */
/* Fixture submission grader/tests/hostile/<name> graded for lab's manifest
 * with only `tests` (manifest lines): it builds, scores want, a failure
 * message holds needle, nothing is left behind. */
static void forger_scores(const char *lab, const char *name, const char *tests, int want,
			  const char *needle)
{
	char *dir = scratch();
	char *mf = manifest_with_tests(lab, dir, tests);
	char *tmp = scratch();
	setenv("TMPDIR", tmp, 1);
	char *sub = xasprintf("grader/tests/hostile/%s", name);
	struct run r = grade(lab, mf, kit_path(sub));
	unsetenv("TMPDIR");
	cr_expect(strstr(r.output, "build done"), "%s must build; the grader said:\n%s", name, r.output);
	cr_expect_eq(r.score, want, "%s: expected %d point(s), got %d:\n%s", name, want, r.score, r.output);
	cr_expect(strstr(r.output, needle), "%s: expected '%s' in a failure message:\n%s", name, needle, r.output);
	char *what = NULL;
	usleep(100000);
	int left = leftovers(tmp, &what);
	cr_expect_eq(left, 0, "%s: the grade left %d thing(s) behind: %s", name, left, what ? what : "");
	free(what);
	run_free(&r);
	remove_tree(tmp);
	free(tmp);
	free(sub);
	remove_tree(dir);
	free(dir);
	free(mf);
}

static void lab02_linux_forger(const char *name, const char *needle)
{
	/* 1 of 5: only the free native boot */
	forger_scores("lab02", name,
		      "test lab02/tests/qemu_linux shadow::linux_boots_with_its_kernel_in_user_mode "
		      "4 180 visible\n"
		      "test lab02/tests/qemu_linux native::linux_boots_to_init_and_passes_its_checks "
		      "1 180 visible free\n", 1, needle);
}

/* lab02_forges_linux (shadow.c): the starter's VMM prints init's lines
 * itself through trapped THR stores at Linux's ioremap address and makes
 * >1000 CSR traps at kernel addresses, Linux never running. It got the 4
 * points when the test took the console, the kernel's CSR traps and the
 * VMM's report as evidence; init's witness path stops it. */
KIT_TEST(hostile, lab02_forged_linux_refused, .description = "a lab02 starter whose VMM fakes Linux's console through trapped UART stores and kernel CSR traps, Linux never running, gets none of the Linux points under the VMM", .timeout = 400)
{
	lab02_linux_forger("lab02_forges_linux", "witness path QEMU saw init take");
}

/* lab03_forges_pv_exits (pv_shared.c): the lab03 starter, no PV work; its
 * VMM reports an eighth of the PV build's exits through the kit's
 * measurement extension and drops the shadow tables often while the
 * trapping build runs, which then traps about 7 times more, in QEMU's log
 * too. It got pv_exits' 3 points when the test took the VMM's counts and
 * QEMU's totals of the two builds; QEMU's count of the PV build's trapping
 * CSR instructions (one per system call at most) stops it. */
KIT_TEST(hostile, lab03_forged_pv_exits_refused, .description = "a lab03 starter whose VMM reports few exits for the PV build and makes the trapping build trap more gets none of pv_exits' points", .timeout = 400)
{
	forger_scores("lab03", "lab03_forges_pv_exits",
		      "test lab03/tests/qemu_pv pv_exits::shadow_pv_saves_4x_per_syscall_and_pte_update "
		      "3 90 visible\n", 0, "of its kernel's CSR instructions and srets trapping");
}


/* Every manifest in labs/ is valid and gives a starter tree that passes
 * dist's leak checks (solution markers, distinctive solution lines). */
KIT_TEST(labs, every_manifest_dists_cleanly, .description = "every labs/*.manifest is valid and its starter tree passes dist's leak checks", .timeout = 120)
{
	DIR *dir = opendir(kit_path("labs"));
	cr_assert_not_null(dir, "no labs/ directory");
	struct dirent *e;
	int seen = 0;
	while ((e = readdir(dir))) {
		size_t n = strlen(e->d_name);
		if (n < 10 || strcmp(e->d_name + n - 9, ".manifest"))
			continue;
		char *lab = xstrdup(e->d_name);
		lab[n - 9] = 0;
		char *d = scratch();
		char *dest = xasprintf("%s/starter", d);
		free(d);
		struct run r = grader("dist", "--lab", lab, "--dest", dest, NULL);
		cr_expect_eq(r.status, 0, "grader dist --lab %s failed (status %d):\n%s", lab, r.status, r.output);
		run_free(&r);
		drop_dist(dest);
		free(lab);
		seen++;
	}
	closedir(dir);
	cr_expect_gt(seen, 0, "no manifest found in labs/");
}

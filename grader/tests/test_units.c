/* Unit tests of the grader's parts: manifest checks, solution regions and
 * their labs, JSON and XML escaping of hostile strings. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "grader.h"
#include "kit.h"

/* A scratch kit: a lab directory and one student file. */
static char kit[64];

static void make_kit(void)
{
	strcpy(kit, "/tmp/grader-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(kit), "cannot create a scratch directory under /tmp");
	char *f = xasprintf("%s/labx/a.c", kit);
	cr_assert_eq(write_file(f, "int a;\n", 7, 0644), 0);
	free(f);
}

static void drop_kit(void)
{
	remove_tree(kit);
}

/* Loads text as a manifest; returns the error count and what was printed. */
static int load(const char *text, char **err, struct manifest *m)
{
	char *path = xasprintf("%s/labs/x.manifest", kit);
	cr_assert_eq(write_file(path, text, strlen(text), 0644), 0);
	char *log = xasprintf("%s/err.txt", kit);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 2);
	close(fd);
	int n = manifest_load(path, kit, m);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*err = read_file(log, NULL);
	free(log);
	free(path);
	return n;
}

#define HEAD "lab labx\ndir labx\nstudent labx/a.c\n"

TestSuite(manifest, .init = make_kit, .fini = drop_kit);

KIT_TEST(manifest, good_manifest_parses, .description = "a well-formed manifest gives its tests, points, limits and flags")
{
	struct manifest m;
	char *err;
	int n = load(HEAD "timeout 7\ntest x/t s::a 2 5 visible\ntest x/t s::b 1 hidden free # note\n", &err, &m);
	cr_assert_eq(n, 0, "expected no error, got %d:\n%s", n, err);
	cr_assert_eq(m.ntests, 2);
	cr_assert_str_eq(m.tests[0].suite, "s");
	cr_assert_str_eq(m.tests[0].name, "a");
	cr_assert_eq(m.tests[0].points, 2);
	cr_assert_eq(m.tests[0].seconds, 5);
	cr_assert_eq(m.tests[1].seconds, 7, "a test without seconds takes 'timeout': expected 7, got %d", m.tests[1].seconds);
	cr_assert(m.tests[1].free && m.tests[1].vis == VIS_HIDDEN);
	cr_assert_eq(manifest_free_points(&m), 1);
	cr_assert_eq(manifest_total_points(&m), 3);
	manifest_free(&m);
	free(err);
}

struct bad_case {
	const char *text;
	const char *needle; /* expected in the message, after "file:line: " */
	int line;
};

KIT_TEST(manifest, each_error_is_one_file_line_message, .description = "unknown directives, missing points, duplicate names, missing files each give one file:line error")
{
	static const struct bad_case cases[] = {
		{ HEAD "frobnicate 1\ntest x/t s::a 1 visible\n", "unknown directive 'frobnicate'", 4 },
		{ HEAD "test x/t s::a visible\n", "missing points", 4 },
		{ HEAD "test x/t s::a 1 visible\ntest x/t s::a 2 visible\n", "duplicate test name s::a (first at line 4)", 5 },
		{ HEAD "student labx/nothere.c\ntest x/t s::a 1 visible\n", "does not exist in the kit", 4 },
		{ HEAD "test x/t s::a 1 10 seen\n", "unknown visibility 'seen'", 4 },
		{ HEAD "test x/t sa 1 visible\n", "must be <suite>::<name>", 4 },
		{ HEAD "test x/t s::a 1 visible extra\n", "unexpected 'extra'", 4 },
		{ HEAD "student ../etc/passwd\ntest x/t s::a 1 visible\n", "relative path inside the kit", 4 },
		{ "dir labx\ntest x/t s::a 1 visible\n", "missing 'lab <name>'", 1 },
		{ HEAD "timeout 0\ntest x/t s::a 1 visible\n", "timeout '0'", 4 },
		{ HEAD "sandbox loose\ntest x/t s::a 1 visible\n", "sandbox 'loose' must be 'isolated', 'privileged' or 'vm'", 4 },
		{ HEAD "memory 8\ntest x/t s::a 1 visible\n", "memory '8' must be 16 to 65536 MiB", 4 },
		{ HEAD "processes lots\ntest x/t s::a 1 visible\n", "processes 'lots'", 4 },
		{ HEAD "student-calls printf 3d\ntest x/t s::a 1 visible\n", "'3d' is not a C identifier", 4 },
		{ HEAD "uses laby\ntest x/t s::a 1 visible\n", "uses: directory 'laby' does not exist in the kit", 4 },
		{ HEAD "uses ../labx\ntest x/t s::a 1 visible\n", "relative path inside the kit", 4 },
		{ HEAD "prebuilt labx/given.c\ntest x/t s::a 1 visible\n", "must be a relative path under build/", 4 },
		{ HEAD "prebuilt build/../labx/given.c\ntest x/t s::a 1 visible\n", "under build/", 4 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct manifest m;
		char *err;
		int n = load(cases[i].text, &err, &m);
		char *want = xasprintf("x.manifest:%d: ", cases[i].line);
		cr_expect_eq(n, 1, "case %zu: expected exactly 1 error, got %d:\n%s", i, n, err);
		cr_expect(strstr(err, want) && strstr(err, cases[i].needle),
			  "case %zu: expected '%s%s', got:\n%s", i, want, cases[i].needle, err);
		free(want);
		free(err);
		manifest_free(&m);
	}
}

KIT_TEST(manifest, limits_sandbox_and_calls_parse, .description = "the sandbox, limit, student-calls and uses directives give their values; absent, the defaults")
{
	struct manifest m;
	char *err;
	int n = load(HEAD "sandbox privileged\nmemory 300\nprocesses 9\nfile-size 2\noutput 50\nstudent-calls memcpy printf\n"
			  "student-calls puts\ntest x/t s::a 1 visible\n", &err, &m);
	cr_assert_eq(n, 0, "expected no error, got %d:\n%s", n, err);
	cr_expect(m.privileged && m.memory_mb == 300 && m.processes == 9 && m.file_size_mb == 2 && m.output_kb == 50,
		  "expected privileged, 300 MiB, 9 processes, 2 MiB files, 50 KiB output; got %d %d %d %d %d", m.privileged,
		  m.memory_mb, m.processes, m.file_size_mb, m.output_kb);
	cr_expect(m.check_calls && m.ncalls == 3 && !strcmp(m.calls[2], "puts"), "expected 3 student-calls, got %d", m.ncalls);
	manifest_free(&m);
	free(err);
	n = load(HEAD "uses labx\ntest x/t s::a 1 visible\n", &err, &m);
	cr_assert_eq(n, 0, "expected no error for 'uses labx', got %d:\n%s", n, err);
	cr_expect(m.nuses == 1 && !strcmp(m.uses[0], "labx"), "expected uses = [labx], got %d entries", m.nuses);
	manifest_free(&m);
	free(err);
	n = load(HEAD "prebuilt build/linux/Image\ntest x/t s::a 1 visible\n", &err, &m);
	cr_assert_eq(n, 0, "expected no error for 'prebuilt build/linux/Image', got %d:\n%s", n, err);
	cr_expect(m.nprebuilt == 1 && !strcmp(m.prebuilt[0], "build/linux/Image"),
		  "expected prebuilt = [build/linux/Image], got %d entries", m.nprebuilt);
	manifest_free(&m);
	free(err);
	n = load(HEAD "sandbox vm\ntest x/t s::a 1 visible\n", &err, &m);
	cr_assert_eq(n, 0, "expected no error for 'sandbox vm', got %d:\n%s", n, err);
	cr_expect(m.vm && !m.privileged, "expected 'sandbox vm' to set vm (and not privileged), got vm %d privileged %d", m.vm,
		  m.privileged);
	manifest_free(&m);
	free(err);
	n = load(HEAD "test x/t s::a 1 visible\n", &err, &m);
	cr_assert_eq(n, 0);
	cr_expect(!m.privileged && !m.vm && !m.check_calls && m.memory_mb == 4096 && m.processes == 256 && m.output_kb == 1024,
		  "unexpected defaults: privileged %d, calls %d, %d MiB, %d processes, %d KiB", m.privileged, m.check_calls,
		  m.memory_mb, m.processes, m.output_kb);
	manifest_free(&m);
	free(err);
}

KIT_TEST(manifest, public_text_drops_hidden_tests, .description = "the starter's manifest keeps visible tests and drops hidden tests and private lines")
{
	char *path = xasprintf("%s/p.manifest", kit);
	const char *text = HEAD "private labx/a.c\ntest x/t s::a 1 visible\ntest x/t s::b 1 hidden\ntest x/t s::c 1 after_due_date\n";
	cr_assert_eq(write_file(path, text, strlen(text), 0644), 0);
	char *pub = manifest_public_text(path);
	cr_assert_not_null(pub);
	cr_expect(strstr(pub, "s::a"), "visible test s::a missing from:\n%s", pub);
	cr_expect(!strstr(pub, "s::b") && !strstr(pub, "s::c"), "hidden tests left in:\n%s", pub);
	cr_expect(!strstr(pub, "private"), "private line left in:\n%s", pub);
	free(pub);
	free(path);
}

/* ---- solution regions ---- */

/* stderr into a scratch file from capture_start to capture_end, which
 * returns what was printed */
static int capture_start(char *log)
{
	int fd = mkstemp(log);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	close(fd);
	return saved;
}

static char *capture_end(int saved, const char *log)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	char *err = read_file(log, NULL);
	unlink(log);
	return err ? err : xstrdup("");
}

static int process_with(const char *name, const char *text, bool keep, region_fate_fn fate, void *ctx,
			struct regions *r, char **err)
{
	char log[] = "/tmp/grader-unit-err-XXXXXX";
	int saved = capture_start(log);
	int rc = regions_process_fate(name, text, strlen(text), keep, fate, ctx, r);
	*err = capture_end(saved, log);
	return rc;
}

static int process(const char *name, const char *text, bool keep, struct regions *r, char **err)
{
	return process_with(name, text, keep, NULL, NULL, r, err);
}

KIT_TEST(regions, starter_replaces_solution, .description = "the starter keeps code outside regions and uncomments the STARTER lines")
{
	const char *src = "int f(void)\n{\n\t// BEGIN SOLUTION: f\n\treturn 42;\n\t// STARTER:\n\t// return -1;\n"
			  "\t//\n\t// END SOLUTION\n}\n";
	struct regions r;
	char *err;
	cr_assert_eq(process("x.c", src, false, &r, &err), 0, "refused a good region: %s", err);
	cr_assert_str_eq(r.out, "int f(void)\n{\n\treturn -1;\n\t\n}\n");
	cr_assert_eq(r.count, 1);
	cr_assert_eq(r.nsol, 1);
	cr_assert_str_eq(r.sol[0].text, "return 42;");
	regions_free(&r);
	free(err);
	cr_assert_eq(process("x.c", src, true, &r, &err), 0);
	cr_assert_str_eq(r.out, src, "WITH_SOLUTION must keep the file unchanged");
	regions_free(&r);
	free(err);
}

KIT_TEST(regions, make_files_use_hash, .description = "make and shell files mark regions with '#'; documentation is never transformed")
{
	struct regions r;
	char *err;
	const char *mk = "A := 1\n# BEGIN SOLUTION\nB := 2\n# STARTER:\n# B := 0\n# END SOLUTION\n";
	cr_assert_eq(process("lab.mk", mk, false, &r, &err), 0, "%s", err);
	cr_assert_str_eq(r.out, "A := 1\nB := 0\n");
	regions_free(&r);
	free(err);
	const char *md = "```\n// BEGIN SOLUTION\nx\n// END SOLUTION\n```\n";
	cr_assert_eq(process("README.md", md, false, &r, &err), 0);
	cr_assert_str_eq(r.out, md, "a .md file must not be transformed");
	regions_free(&r);
	free(err);
}

struct refusal {
	const char *text, *needle;
	int line;
};

/* each case refused by regions_process with "bad.c:<line>: ...<needle>", one message */
static void expect_refusals(const struct refusal *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct regions r;
		char *err;
		int rc = process("bad.c", cases[i].text, false, &r, &err);
		char *want = xasprintf("bad.c:%d: ", cases[i].line);
		cr_expect_eq(rc, -1, "case %zu: expected a refusal of %s", i, cases[i].text);
		cr_expect(strstr(err, want) && strstr(err, cases[i].needle), "case %zu: expected '%s...%s', got '%s'", i, want,
			  cases[i].needle, err);
		char *second = strchr(err, '\n');
		cr_expect(!second || !second[1], "case %zu: one mistake must give one message, got '%s'", i, err);
		free(want);
		free(err);
		if (rc == 0)
			regions_free(&r);
	}
}

KIT_TEST(regions, bad_markers_are_refused, .description = "nested, unbalanced and stray markers, and starter lines without the leader, are refused with file:line")
{
	static const struct refusal cases[] = {
		{ "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n", "do not nest", 2 },
		{ "a\n// BEGIN SOLUTION\nb\n", "never closed", 2 },
		{ "// END SOLUTION\n", "without BEGIN", 1 },
		{ "// STARTER:\n", "outside a solution region", 1 },
		{ "// BEGIN SOLUTION\nx;\n// STARTER:\nreturn 0;\n// END SOLUTION\n", "does not start with the comment leader", 4 },
		{ "// BEGIN SOLUTION\n// STARTER:\n// STARTER:\n// END SOLUTION\n", "given twice", 3 },
	};
	expect_refusals(cases, sizeof cases / sizeof *cases);
}

/* ---- regions that carry their lab (labs.c) ---- */

/* a fate function that records the tags it is given and solves "lab02" */
struct seen_tags {
	char tags[8][REGION_TAG_MAX];
	int lines[8];
	int n;
};

static enum region_fate record_fate(const char *name, int line, const char *tag, void *ctx)
{
	(void)name;
	struct seen_tags *s = ctx;
	if (s->n < 8) {
		snprintf(s->tags[s->n], REGION_TAG_MAX, "%s", tag ? tag : "(none)");
		s->lines[s->n++] = line;
	}
	return tag && !strcmp(tag, "lab02") ? REGION_SOLVED : REGION_STARTER;
}

KIT_TEST(regions, begin_line_names_its_lab, .description = "BEGIN SOLUTION <lab>[: what] gives the region's lab to the fate function; BEGIN SOLUTION[: what] gives none; a solved region keeps its solution without markers or starter")
{
	const char *src = "// BEGIN SOLUTION\na;\n// END SOLUTION\n"
			  "// BEGIN SOLUTION: lab02 is only words here\nb;\n// END SOLUTION\n"
			  "\t// BEGIN SOLUTION lab02\n\tint solved_line_of_lab02_region = 1;\n\t// STARTER:\n\t// int s2;\n\t// END SOLUTION\n"
			  "// BEGIN SOLUTION lab03_x: what\nc;\n// STARTER:\n// d;\n// END SOLUTION\n";
	struct seen_tags seen = { 0 };
	struct regions r;
	char *err;
	cr_assert_eq(process_with("x.c", src, false, record_fate, &seen, &r, &err), 0, "refused good tags: %s", err);
	cr_assert_eq(seen.n, 4, "expected the fate function called once per region (4), got %d", seen.n);
	static const char *const want[] = { "(none)", "(none)", "lab02", "lab03_x" };
	static const int lines[] = { 1, 4, 7, 12 };
	for (int i = 0; i < 4; i++)
		cr_expect(!strcmp(seen.tags[i], want[i]) && seen.lines[i] == lines[i],
			  "region %d: expected lab %s at line %d, got %s at line %d", i, want[i], lines[i], seen.tags[i],
			  seen.lines[i]);
	cr_expect_str_eq(r.out, "\tint solved_line_of_lab02_region = 1;\nd;\n",
			 "expected lab02's region solved (no markers, no starter), the others their starters; got:\n%s", r.out);
	cr_expect_eq(r.nsolved, 1, "expected 1 region solved, got %d", r.nsolved);
	bool solved_flag = false;
	for (int i = 0; i < r.nsol; i++)
		if (!strcmp(r.sol[i].text, "int solved_line_of_lab02_region = 1;"))
			solved_flag = r.sol[i].solved;
	cr_expect(solved_flag, "a solved region's lines must be marked solved (dist does not search for them)");
	regions_free(&r);
	free(err);
}

KIT_TEST(regions, malformed_lab_tags_refused, .description = "a BEGIN SOLUTION line with anything but ' <lab>' or ':' after it is refused with file:line, never read as ordinary text")
{
	static const struct refusal cases[] = {
		{ "a\n// BEGIN SOLUTIONS\nx;\n// END SOLUTION\n", "malformed solution tag", 2 },
		{ "// BEGIN SOLUTION lab 02: x\nx;\n// END SOLUTION\n", "malformed solution tag", 1 },
		{ "// BEGIN SOLUTION lab02 what\nx;\n// END SOLUTION\n", "malformed solution tag", 1 },
		{ "// BEGIN SOLUTION 2lab\nx;\n// END SOLUTION\n", "malformed solution tag", 1 },
		{ "// BEGIN SOLUTION -lab02\nx;\n// END SOLUTION\n", "malformed solution tag", 1 },
		{ "// BEGIN SOLUTION\tlab02\nx;\n// END SOLUTION\n", "malformed solution tag", 1 },
	};
	expect_refusals(cases, sizeof cases / sizeof *cases);
}

/* A scratch kit of three labs: la; lb uses la's directory; lc uses nothing. */
static void make_labs_kit(void)
{
	make_kit();
	static const char *const files[][2] = {
		{ "labs/la.manifest", "lab la\ndir la\nstudent la/a.c\ntest x/t s::a 1 visible\n" },
		{ "labs/lb.manifest", "lab lb\ndir lb\nuses la\nstudent lb/b.c\nstudent la/a.c\ntest x/t s::a 1 visible\n" },
		{ "labs/lc.manifest", "lab lc\ndir lc\ntest x/t s::a 1 visible\n" },
		{ "la/a.c", "" }, { "la/inner/i.c", "" }, { "lb/b.c", "" }, { "lc/c.c", "" }, { "common/x.h", "" },
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *p = xasprintf("%s/%s", kit, files[i][0]);
		cr_assert_eq(write_file(p, files[i][1], strlen(files[i][1]), 0644), 0);
		free(p);
	}
}

static void load_labset(const char *lab, struct manifest *m, struct labset *ls)
{
	char *path = xasprintf("%s/labs/%s.manifest", kit, lab);
	cr_assert_eq(manifest_load(path, kit, m), 0, "labs/%s.manifest must load", lab);
	free(path);
	cr_assert_eq(labset_load(ls, m, kit), 0, "labset_load(%s) must find every used lab", lab);
}

struct fate_case {
	const char *graded, *file, *tag;
	enum region_fate want;
	const char *needle; /* for REGION_REFUSED */
};

KIT_TEST(labs, region_fate_follows_its_lab, .description = "a region belongs to its file's lab or its tag's; it is solved only in a lab that uses that lab; a tag naming an unknown lab, or a lab that does not use the file's directory, is refused with file:line")
{
	make_labs_kit();
	static const struct fate_case cases[] = {
		{ "la", "la/a.c", NULL, REGION_STARTER, NULL },	/* la's own */
		{ "lb", "la/a.c", NULL, REGION_SOLVED, NULL },	/* la's, in lb, which uses la */
		{ "lb", "la/inner/i.c", NULL, REGION_SOLVED, NULL },
		{ "lb", "lb/b.c", NULL, REGION_STARTER, NULL },	/* lb's own */
		{ "lc", "la/a.c", NULL, REGION_STARTER, NULL },	/* la's, in a lab that does not use it */
		{ "lb", "la/a.c", "lb", REGION_STARTER, NULL },	/* lb's region in la's file: lb's own */
		{ "la", "la/a.c", "lb", REGION_STARTER, NULL },	/* ... hidden from la */
		{ "lb", "la/a.c", "la", REGION_SOLVED, NULL },	/* the file's own lab, named */
		{ "lb", "common/x.h", NULL, REGION_STARTER, NULL },	/* no lab's directory: the graded lab's */
		{ "lb", "common/x.h", "la", REGION_SOLVED, NULL },
		{ "la", "common/x.h", "la", REGION_STARTER, NULL },
		{ "lb", "lb/b.c", "la", REGION_REFUSED, "does not 'uses lb'" },	/* lb's answer posing as la's */
		{ "lb", "lc/c.c", "lb", REGION_REFUSED, "does not 'uses lc'" },
		{ "lb", "la/a.c", "lz", REGION_REFUSED, "no manifest (labs/*.manifest) has 'lab lz'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct manifest m;
		struct labset ls;
		load_labset(cases[i].graded, &m, &ls);
		char log[] = "/tmp/grader-unit-err-XXXXXX";
		int saved = capture_start(log);
		enum region_fate got = labset_fate(cases[i].file, 9, cases[i].tag, &ls);
		char *err = capture_end(saved, log);
		cr_expect_eq(got, cases[i].want, "case %zu: lab %s, %s, tag %s: expected fate %d (0 starter, 1 solved, 2 refused), got %d",
			     i, cases[i].graded, cases[i].file, cases[i].tag ? cases[i].tag : "(none)", cases[i].want, got);
		if (cases[i].needle) {
			char *want = xasprintf("%s:9: ", cases[i].file);
			cr_expect(err && strstr(err, want) && strstr(err, cases[i].needle), "case %zu: expected '%s...%s', got '%s'",
				  i, want, cases[i].needle, err ? err : "");
			free(want);
		}
		free(err);
		labset_free(&ls);
		manifest_free(&m);
	}
	drop_kit();
}

KIT_TEST(labs, owner_and_used_students, .description = "a file's lab is the innermost manifest directory holding it; a used lab's student files are known; a 'uses' directory no manifest has is an error")
{
	make_labs_kit();
	char *p = xasprintf("%s/labs/li.manifest", kit);
	const char *t = "lab li\ndir la/inner\ntest x/t s::a 1 visible\n";
	cr_assert_eq(write_file(p, t, strlen(t), 0644), 0);
	free(p);
	struct manifest m;
	struct labset ls;
	load_labset("lb", &m, &ls);
	const struct labinfo *o = labset_owner(&ls, "la/inner/i.c");
	cr_expect(o && !strcmp(o->lab, "li"), "la/inner/i.c: expected lab li (the innermost directory), got %s", o ? o->lab : "none");
	o = labset_owner(&ls, "la/a.c");
	cr_expect(o && !strcmp(o->lab, "la"), "la/a.c: expected lab la, got %s", o ? o->lab : "none");
	cr_expect_null(labset_owner(&ls, "common/x.h"), "common/x.h is in no lab's directory");
	cr_expect_null(labset_owner(&ls, "lab/a.c"), "'lab/a.c' is not under 'la'");
	o = labset_used_student(&ls, "la/a.c");
	cr_expect(o && !strcmp(o->lab, "la"), "la/a.c is a student file of la, which lb uses");
	cr_expect_null(labset_used_student(&ls, "lb/b.c"), "lb/b.c is lb's own, not a used lab's");
	labset_free(&ls);
	manifest_free(&m);
	/* uses a directory that exists but no manifest has */
	p = xasprintf("%s/labs/ld.manifest", kit);
	t = "lab ld\ndir lc\nuses common\ntest x/t s::a 1 visible\n";
	cr_assert_eq(write_file(p, t, strlen(t), 0644), 0);
	cr_assert_eq(manifest_load(p, kit, &m), 0);
	char log[] = "/tmp/grader-unit-err-XXXXXX";
	int saved = capture_start(log);
	int n = labset_load(&ls, &m, kit);
	char *err = capture_end(saved, log);
	cr_expect_eq(n, 1, "expected 1 error for 'uses common', got %d", n);
	cr_expect(err && strstr(err, "uses common: no manifest"), "expected 'uses common: no manifest ...', got '%s'", err ? err : "");
	free(err);
	free(p);
	labset_free(&ls);
	manifest_free(&m);
	drop_kit();
}

/* ---- escaping ---- */

static char *escaped(void (*esc)(FILE *, const char *), const char *s)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	esc(f, s);
	fclose(f);
	return buf;
}

KIT_TEST(report, json_escapes_hostile_strings, .description = "JSON strings escape quotes, backslashes, control characters and replace invalid UTF-8")
{
	static const char *const in[] = {
		"say \"hi\"\\", "a\nb\tc\rd", "\x01\x1f\x7f", "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"bad \xff end", "overlong \xc0\xaf", "surrogate \xed\xa0\x80", "cut \xe2\x82", "\xe2\x80\xa8",
	};
	static const char *const out[] = {
		"\"say \\\"hi\\\"\\\\\"", "\"a\\nb\\tc\\rd\"", "\"\\u0001\\u001f\\u007f\"",
		"\"ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "\"bad \xef\xbf\xbd end\"",
		"\"overlong \xef\xbf\xbd\xef\xbf\xbd\"", "\"surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
		"\"cut \xef\xbf\xbd\xef\xbf\xbd\"", "\"\\u2028\"",
	};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		char *got = escaped(json_escape, in[i]);
		cr_expect_str_eq(got, out[i], "json_escape case %zu: expected %s, got %s", i, out[i], got);
		free(got);
	}
}

KIT_TEST(report, xml_escapes_hostile_strings, .description = "XML text escapes markup and quotes and replaces characters XML 1.0 forbids")
{
	static const char *const in[] = { "<a href=\"x\">&'</a>", "l1\nl2\t", "\x01\x08\x1b", "bad \xfe", "]]>" };
	static const char *const out[] = {
		"&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;", "l1&#10;l2&#9;",
		"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "bad \xef\xbf\xbd", "]]&gt;",
	};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		char *got = escaped(xml_escape, in[i]);
		cr_expect_str_eq(got, out[i], "xml_escape case %zu: expected %s, got %s", i, out[i], got);
		free(got);
	}
}

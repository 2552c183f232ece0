/* Unit tests of the grader's parts: manifest checks, solution regions,
 * JSON and XML escaping of hostile strings. */
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

static int process(const char *name, const char *text, bool keep, struct regions *r, char **err)
{
	char log[] = "/tmp/grader-unit-err-XXXXXX";
	int fd = mkstemp(log);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	close(fd);
	int rc = regions_process(name, text, strlen(text), keep, r);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*err = read_file(log, NULL);
	unlink(log);
	return rc;
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
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct regions r;
		char *err;
		int rc = process("bad.c", cases[i].text, false, &r, &err);
		char *want = xasprintf("bad.c:%d: ", cases[i].line);
		cr_expect_eq(rc, -1, "case %zu: expected a refusal", i);
		cr_expect(strstr(err, want) && strstr(err, cases[i].needle), "case %zu: expected '%s...%s', got '%s'", i, want,
			  cases[i].needle, err);
		free(want);
		free(err);
		if (rc == 0)
			regions_free(&r);
	}
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

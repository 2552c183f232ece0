/*
 * Tests of the bench scripts (common/scripts/bench.sh, bench-linux.sh,
 * bench-lib.sh's bench_parse_vmms, bench-plot.sh): bad arguments are
 * refused with their name and status 2 before any QEMU run, so nothing is
 * left running and no log is half written; bench.sh writes the figures of
 * its table as a data file (runs of a stand-in QEMU, no real one); and
 * bench-plot.sh draws data files as a valid SVG naming every run, and
 * refuses bad data by file and line, leaving the old figure in place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "kit.h"

/* Run `args` after the script in the kit's root, with the environment
 * assignments `env` before it; its output (static) and status. */
static const char *run_env(const char *env, const char *script, const char *args, int *status, double *secs)
{
	static char out[8192];
	char cmd[2048];
	struct timespec t0, t1;
	snprintf(cmd, sizeof cmd, "cd '%s' && %s common/scripts/%s %s </dev/null 2>&1", kit_path("."), env, script, args);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	*secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return out;
}

static const char *run_script(const char *script, const char *args, int *status, double *secs)
{
	return run_env("", script, args, status, secs);
}

static void expect_refused(const char *script, const char *args, const char *message)
{
	int st;
	double secs;
	const char *out = run_script(script, args, &st, &secs);
	cr_assert(st == 2 && strstr(out, message) && !strstr(out, "== bench") && secs < 10,
		  "%s %s: expected status 2, the message '%s' and no run (no '== bench' line), "
		  "got status %d after %.1f s:\n%s(fix bench_parse_vmms in common/scripts/bench-lib.sh "
		  "and its callers)", script, args, message, st, secs, out);
}

/* Each bad argument list, the script, and what its message must say. */
static const struct {
	const char *script, *args, *message;
} bad[] = {
	/* a VMM image that is not there */
	{ "bench.sh", "/dev/null x=/nonexistent/vmm.bin", "no VMM image '/nonexistent/vmm.bin'" },
	/* a label names a log file: a '/', an empty one, the same twice
	 * (two VMMs without labels are both 'VMM') */
	{ "bench.sh", "/dev/null a/b=/dev/null", "label 'a/b'" },
	{ "bench.sh", "/dev/null =/dev/null", "label ''" },
	{ "bench.sh", "/dev/null /dev/null /dev/null", "label 'VMM' given twice" },
	/* a run's own guest (VMM_BIN@GUEST_BIN) that is not there; Linux's
	 * bench boots one image in every run */
	{ "bench.sh", "/dev/null pv=/dev/null@/nonexistent/g-pv.bin", "no guest image '/nonexistent/g-pv.bin'" },
	{ "bench-linux.sh", "/dev/null pv=/dev/null@/dev/null", "no VMM_BIN@GUEST_BIN here" },
	/* the guest or Linux image that is not there */
	{ "bench.sh", "/nonexistent/bench.bin shadow=/dev/null", "no /nonexistent/bench.bin" },
	{ "bench-linux.sh", "/nonexistent/Image shadow=/dev/null", "no /nonexistent/Image" },
};

KIT_TEST(bench, bad_arguments_are_refused_by_name_before_any_run,
	 .description = "bench.sh and bench-linux.sh refuse a missing VMM, guest or Linux image and a "
			"label that is no word or is given twice: a message naming it, status 2, no QEMU run")
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_refused(bad[i].script, bad[i].args, bad[i].message);
}

/* Each test's own files, made fresh by it (Criterion runs tests in parallel). */
#define PLOT_DIR "build/common/tests/bench/plot"
#define BAD_DIR "build/common/tests/bench/bad"
#define SH_DIR "build/common/tests/bench/sh"

static void scratch(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", kit_path(dir), kit_path(dir));
	cr_assert(system(cmd) == 0, "expected to make %s, got a failure", dir);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "expected to write %s, got an error", path);
	fputs(text, f);
	fclose(f);
}

/* The SVG at `svg` parses as XML (xmllint), is an <svg> and names each word in `names` as a text. */
static void expect_svg_naming(const char *svg, const char *const *names, size_t n)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "command -v xmllint >/dev/null && xmllint --noout '%s' 2>&1", svg);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	char err[2048];
	size_t got = fread(err, 1, sizeof err - 1, p);
	err[got] = '\0';
	int st = pclose(p);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "expected %s to be well-formed XML (xmllint --noout), got status %d:\n%s"
		  "(xmllint comes with libxml2-utils: common/scripts/deps.sh riscv)", svg, st, err);
	const char *text = slurp(svg);
	cr_assert(text && strstr(text, "<svg") && strstr(text, "http://www.w3.org/2000/svg"),
		  "expected an SVG document (<svg> in the SVG namespace) in %s, got %.200s", svg,
		  text ? text : "no file");
	for (size_t i = 0; i < n; i++) {
		char want[128];
		snprintf(want, sizeof want, ">%s<", names[i]);
		cr_expect(strstr(text, want) != NULL,
			  "expected %s to name '%s' as a text of the figure (a legend entry or an axis label), "
			  "got none (fix common/scripts/bench-plot.gp)", svg, names[i]);
	}
}

KIT_TEST(bench, plot_draws_every_run_of_the_data_files,
	 .description = "bench-plot.sh draws the data files bench.sh writes (lab02's native, shadow and nested; "
			"lab03's four runs) as a valid SVG that names every run, every VMM's exits and every operation",
	 .timeout = 60)
{
	scratch(PLOT_DIR);
	int st;
	double secs;
	const char *out = run_script("bench-plot.sh",
				     "-t lab02 -o " PLOT_DIR "/lab02.svg common/tests/fixtures/bench-paging.tsv "
				     "common/tests/fixtures/bench-lab02.tsv", &st, &secs);
	cr_assert(st == 0, "bench-plot.sh on lab02's fixtures: expected status 0, got %d:\n%s", st, out);
	const char *lab02[] = { "native", "shadow", "nested", "shadow exits", "nested exits",
				"paging_on", "syscall_sv39", "syscall", "csr_read", "timer_tick" };
	expect_svg_naming(kit_path(PLOT_DIR "/lab02.svg"), lab02, sizeof lab02 / sizeof lab02[0]);

	out = run_script("bench-plot.sh", "-o " PLOT_DIR "/four.svg common/tests/fixtures/bench-four.tsv", &st, &secs);
	cr_assert(st == 0, "bench-plot.sh on bench-four.tsv: expected status 0, got %d:\n%s", st, out);
	const char *four[] = { "native", "trap-and-emulate", "pv", "hw-assisted", "pv exits",
			       "hw-assisted exits", "pte_update" };
	expect_svg_naming(kit_path(PLOT_DIR "/four.svg"), four, sizeof four / sizeof four[0]);

	/* A title is text, whatever it holds: the SVG stays well-formed. */
	out = run_script("bench-plot.sh", "-t '<lab&03>' -o " PLOT_DIR "/title.svg common/tests/fixtures/bench-four.tsv",
			 &st, &secs);
	cr_assert(st == 0, "bench-plot.sh -t '<lab&03>': expected status 0, got %d:\n%s", st, out);
	expect_svg_naming(kit_path(PLOT_DIR "/title.svg"), four, 1);
	const char *svg = slurp(kit_path(PLOT_DIR "/title.svg"));
	cr_expect(svg && strstr(svg, "&lt;lab&amp;03"),
		  "expected the title '<lab&03>' escaped in %s/title.svg, got none", PLOT_DIR);
}

#define HDR "operation\titers\tnative\tshadow\tshadow exits\n"
/* Bad data, and what the message must say (after "bench-plot: FILE"). */
static const struct {
	const char *text, *message;
} bad_data[] = {
	{ "", "is empty" },
	{ "# only a comment\n", ": no header line" },
	{ HDR, ": no operations after the header" },
	{ "op\titers\tnative\n" "x\t1\t2\n", "line 1: expected the header" },
	{ "operation\titers\tnative\tshadow\n" "x\t1\t2\t3\n", "line 1: expected native, each VMM label" },
	{ "operation\titers\tnative\tshadow\tnested exits\n" "x\t1\t2\t3\t4\n", "line 1: expected column 5 to be \"shadow exits\"" },
	{ "# a comment\n" HDR "syscall\t1000\t155.4\t11719.0\n", "line 3: expected 5 columns as in the header, got 4" },
	{ HDR "syscall\t1000\t155.4\tfast\t12.00\n", "line 2: expected instructions per iteration (a number, 0 or more) for syscall in column 4, got \"fast\"" },
	{ HDR "syscall\t1000\t155.4\t-3\t12.00\n", "got \"-3\"" },
	{ HDR "syscall\t0\t155.4\t11719.0\t12.00\n", "line 2: expected iterations (a positive integer) for syscall" },
	{ HDR "syscall\t1000\t155.4\t11719.0\tmany\n", "line 2: expected exits per iteration (a number or n/a) for syscall in column 5, got \"many\"" },
	{ HDR "sys call\t1000\t155.4\t11719.0\t12.00\n", "line 2: expected an operation name" },
	{ "operation iters native shadow shadow exits\n" "syscall 1000 155.4 11719.0 12.00\n", "line 1: expected the header" },
};

KIT_TEST(bench, plot_refuses_bad_data_by_file_and_line_and_keeps_the_old_figure,
	 .description = "bench-plot.sh refuses an empty file, a missing or wrong header, a row of the wrong width, "
			"a value that is no count, files with different runs, a missing file and a bad output name: "
			"a message with the file and line, status 2, and the figure already there left as it was",
	 .timeout = 60)
{
	scratch(BAD_DIR);
	char svg[512], data[512], args[1536];
	snprintf(svg, sizeof svg, "%s", kit_path(BAD_DIR "/old.svg"));
	for (size_t i = 0; i < sizeof bad_data / sizeof bad_data[0]; i++) {
		put(svg, "the old figure");
		snprintf(data, sizeof data, "%s/bad%zu.tsv", kit_path(BAD_DIR), i);
		put(data, bad_data[i].text);
		snprintf(args, sizeof args, "-o '%s' '%s'", svg, data);
		int st;
		double secs;
		const char *out = run_script("bench-plot.sh", args, &st, &secs);
		char want[600];
		snprintf(want, sizeof want, "bench-plot: %s", data);
		const char *old = slurp(svg);
		cr_expect(st == 2 && strstr(out, want) && strstr(out, bad_data[i].message) &&
				  old && strcmp(old, "the old figure") == 0,
			  "bench-plot.sh on bad data %zu (\"%s\"): expected status 2, a message naming %s and saying "
			  "'%s', and %s left as it was; got status %d, %s:\n%s(fix the checks in common/scripts/bench-plot.sh)",
			  i, bad_data[i].text, data, bad_data[i].message, svg, st,
			  old && strcmp(old, "the old figure") == 0 ? "the old figure kept" : "the old figure changed", out);
	}

	/* Two good files, but not of the same runs. */
	const char *old;
	put(svg, "the old figure");
	snprintf(args, sizeof args, "-o '%s' common/tests/fixtures/bench-lab02.tsv common/tests/fixtures/bench-four.tsv", svg);
	int st;
	double secs;
	const char *out = run_script("bench-plot.sh", args, &st, &secs);
	cr_expect(st == 2 && strstr(out, "common/tests/fixtures/bench-four.tsv line 4: expected the same runs as the first file") &&
			  (old = slurp(svg)) && strcmp(old, "the old figure") == 0,
		  "bench-plot.sh on lab02's and lab03's fixtures together: expected status 2 and 'bench-four.tsv line 4: "
		  "expected the same runs', the old figure kept; got status %d:\n%s", st, out);

	const struct {
		const char *args, *message;
	} bad_args[] = {
		{ "-o " BAD_DIR "/x.svg /nonexistent/bench.tsv", "no data file '/nonexistent/bench.tsv'" },
		{ "-o " BAD_DIR "/x.png common/tests/fixtures/bench-lab02.tsv", "must end in .svg" },
		{ "common/tests/fixtures/bench-lab02.tsv", "usage: bench-plot.sh" },
		{ "-o " BAD_DIR "/x.svg", "usage: bench-plot.sh" },
	};
	for (size_t i = 0; i < sizeof bad_args / sizeof bad_args[0]; i++) {
		out = run_script("bench-plot.sh", bad_args[i].args, &st, &secs);
		struct stat sb;
		cr_expect(st == 2 && strstr(out, bad_args[i].message) && stat(kit_path(BAD_DIR "/x.svg"), &sb) != 0 &&
				  stat(kit_path(BAD_DIR "/x.png"), &sb) != 0,
			  "bench-plot.sh %s: expected status 2, the message '%s' and no figure written, got status %d:\n%s",
			  bad_args[i].args, bad_args[i].message, st, out);
	}
}

KIT_TEST(bench, bench_writes_the_figures_of_its_table_as_a_data_file,
	 .description = "bench.sh writes the figures it prints as NAME.tsv beside its logs (instructions per iteration "
			"of each run, then each VMM's exits, the measurement's cost subtracted), which bench-plot.sh "
			"draws; when a run misses an operation it fails and leaves the data file of the last good run",
	 .timeout = 60)
{
	scratch(SH_DIR);
	put(kit_path(SH_DIR "/vmm.bin"), "a VMM image\n");
	put(kit_path(SH_DIR "/guest.bin"), "a bench guest\n");
	int st;
	double secs;
	const char *fake = "QEMU=common/tests/fixtures/bench-fake-qemu.sh";
	const char *args = SH_DIR "/guest.bin shadow=" SH_DIR "/vmm.bin";
	const char *log = run_env(fake, "bench.sh", args, &st, &secs);
	cr_assert(st == 0, "bench.sh with a stand-in QEMU: expected status 0, got %d:\n%s", st, log);
	char want[4096];
	/* syscall: (15510 - 10) / 100 natively; (1115510 - 10) / 100 and (1201 - 1) / 100 under the VMM */
	snprintf(want, sizeof want,
		 "operation\titers\tnative\tshadow\tshadow exits\n"
		 "syscall\t100\t155.0\t11155.0\t12.00\n"
		 "csr_read\t100\t3.0\t1025.0\t1.00\n");
	const char *tsv = slurp(kit_path(SH_DIR "/bench/guest.tsv"));
	cr_assert(tsv && strstr(tsv, want),
		  "expected %s/bench/guest.tsv to hold the table's figures as\n%sgot\n%s\n(bench.sh's output:\n%s)",
		  SH_DIR, want, tsv ? tsv : "no file", log);
	cr_expect(strstr(log, "11155.0") && strstr(log, "12.00"),
		  "expected bench.sh to print the same figures in its table (11155.0 instructions, 12.00 exits), got:\n%s", log);

	const char *out = run_script("bench-plot.sh", "-o " SH_DIR "/bench/bench.svg " SH_DIR "/bench/guest.tsv", &st, &secs);
	cr_assert(st == 0, "bench-plot.sh on bench.sh's own data file: expected status 0, got %d:\n%s", st, out);
	const char *names[] = { "native", "shadow", "shadow exits", "syscall", "csr_read" };
	expect_svg_naming(kit_path(SH_DIR "/bench/bench.svg"), names, sizeof names / sizeof names[0]);

	/* A VMM run that misses csr_read: bench.sh fails, the last data file stays. */
	log = run_env("BENCH_FAKE_DROP=csr_read QEMU=common/tests/fixtures/bench-fake-qemu.sh", "bench.sh", args, &st, &secs);
	tsv = slurp(kit_path(SH_DIR "/bench/guest.tsv"));
	cr_expect(st == 1 && strstr(log, "do not report the same operations") && tsv && strstr(tsv, want),
		  "bench.sh with a VMM run that misses csr_read: expected status 1, 'do not report the same operations' "
		  "and guest.tsv of the good run kept; got status %d, guest.tsv %s:\n%s", st,
		  tsv && strstr(tsv, want) ? "kept" : "changed or gone", log);
	struct stat sb;
	cr_expect(stat(kit_path(SH_DIR "/bench/guest.tsv.tmp"), &sb) != 0,
		  "expected no %s/bench/guest.tsv.tmp left behind by the failed run, got one", SH_DIR);

	/* A run with its own guest (lab03's PV build: VMM_BIN@GUEST_BIN): that
	 * run boots it, the others the bench guest; its column has its figures. */
	put(kit_path(SH_DIR "/guest-pv.bin"), "the PV build\n");
	log = run_env(fake, "bench.sh", SH_DIR "/guest.bin shadow=" SH_DIR "/vmm.bin pv=" SH_DIR "/vmm.bin@" SH_DIR
		      "/guest-pv.bin", &st, &secs);
	tsv = slurp(kit_path(SH_DIR "/bench/guest.tsv"));
	cr_expect(st == 0 && tsv && strstr(tsv, "operation\titers\tnative\tshadow\tpv\tshadow exits\tpv exits\n") &&
		  strstr(tsv, "syscall\t100\t155.0\t11155.0\t11155.0\t12.00\t2.00\n"),
		  "bench.sh with pv=VMM@GUEST: expected status 0 and the pv column from the PV guest's run "
		  "(2.00 exits per syscall beside shadow's 12.00); got status %d, data file:\n%s\noutput:\n%s "
		  "(fix bench_parse_vmms in bench-lib.sh, the runs in bench.sh)", st, tsv ? tsv : "none", log);
}

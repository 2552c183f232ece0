/*
 * unit_cgroup.c: cgroup_set_limits, cgroup_join and cgroup_report against
 * directories laid out as cgroup v2 and as cgroup v1 (plain files in a
 * temporary directory), so that both versions are checked on any machine,
 * without root. The kernel's side is in test_limits.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kit.h"
#include "minictr.h"

static char base[256];

static void make_dir(const char *name, const char *const files[])
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", base, name);
	cr_assert(mkdir(path, 0755) == 0, "mkdir %s", path);
	for (int i = 0; files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s/%s", base, name, files[i]);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		cr_assert(fd >= 0, "create %s", path);
		close(fd);
	}
}

static void put(const char *name, const char *file, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s/%s", base, name, file);
	FILE *f = fopen(path, "w");
	cr_assert(f != NULL);
	fputs(text, f);
	fclose(f);
}

static const char *get(const char *name, const char *file)
{
	static char buf[8][256];
	static int next;
	char *b = buf[next++ % 8];
	char path[512];
	snprintf(path, sizeof path, "%s/%s/%s", base, name, file);
	b[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f) {
		size_t n = fread(b, 1, 255, f);
		b[n] = '\0';
		fclose(f);
	}
	b[strcspn(b, "\n")] = '\0';
	return b;
}

static void setup(void)
{
	snprintf(base, sizeof base, "/tmp/lab04-unit-cgroup-%d", (int)getpid());
	cr_assert(mkdir(base, 0755) == 0, "mkdir %s", base);
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", base);
}

static const char *const v2_files[] = { "memory.max", "memory.swap.max", "pids.max", "cpu.max", "cgroup.procs",
					"memory.events", "pids.events", NULL };
static const char *const v1_mem[] = { "memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "cgroup.procs",
				      "memory.oom_control", "tasks", NULL };
static const char *const v1_pids[] = { "pids.max", "cgroup.procs", "pids.events", "tasks", NULL };
static const char *const v1_cpu[] = { "cpu.cfs_quota_us", "cpu.cfs_period_us", "cgroup.procs", "tasks", NULL };

static struct config limits(void)
{
	struct config c;
	memset(&c, 0, sizeof c);
	c.memory_bytes = 32 << 20;
	c.pids_max = 16;
	c.cpu_quota_us = 20000;
	c.cpu_period_us = 100000;
	return c;
}

static struct cgroup v2(void)
{
	struct cgroup cg = { .mode = CG_UNIFIED, .n = 1 };
	make_dir("g", v2_files);
	snprintf(cg.dir[0], sizeof cg.dir[0], "%s/g", base);
	cg.ctrl[0] = "";
	return cg;
}

static struct cgroup v1(void)
{
	struct cgroup cg = { .mode = CG_HYBRID, .n = 3 };
	make_dir("memory", v1_mem);
	make_dir("pids", v1_pids);
	make_dir("cpu", v1_cpu);
	static const char *const ctrl[] = { "memory", "pids", "cpu" };
	for (int i = 0; i < 3; i++) {
		snprintf(cg.dir[i], sizeof cg.dir[i], "%s/%s", base, ctrl[i]);
		cg.ctrl[i] = ctrl[i];
	}
	return cg;
}

#define EXPECT_FILE(dir, file, want, fix)                                                             \
	cr_assert(strcmp(get(dir, file), want) == 0, "expected %s to hold '%s', got '%s'\n  fix: %s", \
		  file, want, get(dir, file), fix)

KIT_TEST(cgroup_files, v2_limits_written,
	 .description = "On cgroup v2, --memory 32M --pids 16 --cpus 0.2 write memory.max, memory.swap.max, pids.max and cpu.max",
	 .init = setup, .fini = teardown, .timeout = 10)
{
	struct config c = limits();
	struct cgroup cg = v2();
	cr_assert(cgroup_set_limits(&c, &cg) == 0, "expected cgroup_set_limits to succeed");
	const char *fix = "cgroup_set_limits, the v2 column of the table (lab04 handout, task 4)";
	EXPECT_FILE("g", "memory.max", "33554432", fix);
	EXPECT_FILE("g", "memory.swap.max", "0", fix);
	EXPECT_FILE("g", "pids.max", "16", fix);
	EXPECT_FILE("g", "cpu.max", "20000 100000", fix);
}

KIT_TEST(cgroup_files, v1_limits_written,
	 .description = "On cgroup v1, the same limits go to memory.limit_in_bytes (+memsw), pids.max and cpu.cfs_quota_us/cfs_period_us",
	 .init = setup, .fini = teardown, .timeout = 10)
{
	struct config c = limits();
	struct cgroup cg = v1();
	cr_assert(cgroup_set_limits(&c, &cg) == 0, "expected cgroup_set_limits to succeed");
	const char *fix = "cgroup_set_limits, the v1 column of the table (lab04 handout, task 4)";
	EXPECT_FILE("memory", "memory.limit_in_bytes", "33554432", fix);
	EXPECT_FILE("memory", "memory.memsw.limit_in_bytes", "33554432", fix);
	EXPECT_FILE("pids", "pids.max", "16", fix);
	EXPECT_FILE("cpu", "cpu.cfs_period_us", "100000", fix);
	EXPECT_FILE("cpu", "cpu.cfs_quota_us", "20000", fix);
}

KIT_TEST(cgroup_files, join_writes_pid_everywhere,
	 .description = "cgroup_join writes the pid to cgroup.procs of the v2 group and of every v1 hierarchy",
	 .init = setup, .fini = teardown, .timeout = 10)
{
	struct cgroup cg = v1();
	cr_assert(cgroup_join(&cg, 4242) == 0, "expected cgroup_join to succeed");
	const char *fix = "cgroup_join: every directory of the struct cgroup (lab04 handout, task 4)";
	EXPECT_FILE("memory", "cgroup.procs", "4242", fix);
	EXPECT_FILE("pids", "cgroup.procs", "4242", fix);
	EXPECT_FILE("cpu", "cgroup.procs", "4242", fix);
	struct cgroup g2 = v2();
	cr_assert(cgroup_join(&g2, 4343) == 0, "expected cgroup_join to succeed");
	EXPECT_FILE("g", "cgroup.procs", "4343", fix);
}

KIT_TEST(cgroup_files, v1_self_join_writes_tasks,
	 .description = "cgroup_join with pid 0 on v1 writes 0 to tasks of every hierarchy: the caller's own thread, "
			"moved without the grace period a cgroup.procs write waits for",
	 .init = setup, .fini = teardown, .timeout = 10)
{
	struct cgroup cg = v1();
	cr_assert(cgroup_join(&cg, 0) == 0, "expected cgroup_join(cg, 0) to succeed");
	const char *fix = "cgroup_join: pid 0 on v1 goes to \"tasks\" (lab04 handout, task 4)";
	EXPECT_FILE("memory", "tasks", "0", fix);
	EXPECT_FILE("pids", "tasks", "0", fix);
	EXPECT_FILE("cpu", "tasks", "0", fix);
	cr_assert(strcmp(get("pids", "cgroup.procs"), "") == 0,
		  "expected cgroup.procs untouched by a self-join (threadgroup lock, grace period), got '%s'\n  fix: %s",
		  get("pids", "cgroup.procs"), fix);
}

/* cgroup_report's stderr for CG. */
static const char *report(const struct config *c, const struct cgroup *cg)
{
	static char out[1024];
	char path[300];
	snprintf(path, sizeof path, "%s/stderr", base);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	cr_assert(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	cgroup_report(c, cg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ssize_t n = pread(fd, out, sizeof out - 1, 0);
	close(fd);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

KIT_TEST(cgroup_files, report_reads_counters,
	 .description = "After the run, OOM kills and refused forks are read from memory.events/oom_control and pids.events",
	 .init = setup, .fini = teardown, .timeout = 10)
{
	struct config c = limits();
	struct cgroup cg = v2();
	put("g", "memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
	put("g", "pids.events", "max 3\n");
	const char *out = report(&c, &cg);
	cr_assert(strstr(out, "OOM killer ended 1 process") && strstr(out, "3 forks refused"),
		  "expected the v2 report of 1 OOM kill and 3 refused forks, got: %s", out);
	teardown();
	setup();
	struct cgroup g1 = v1();
	put("memory", "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
	put("pids", "pids.events", "max 0\n");
	out = report(&c, &g1);
	cr_assert(strstr(out, "OOM killer ended 2 processes") && !strstr(out, "refused"),
		  "expected the v1 report of 2 OOM kills and no refused fork, got: %s", out);
}

/*
 * test_limits.c: cgroup limits (lab04 handout, task 4), checked with the
 * cgroup's own counters, on v1 and v2 alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctr.h"

KIT_TEST(limits, memory_oom_reported,
	 .description = "--memory 32M: allocating 256 MiB ends in an OOM kill inside the container, which minictr reports",
	 .timeout = 60)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 45, "--memory", "32M", "--", "kitprobe", "alloc", "256", NULL);
	cr_assert(strstr(r.out, "allocated all") == NULL,
		  "expected the allocation to be stopped at 32 MiB, got all 256 MiB:%s\n"
		  "  fix: cgroup_set_limits (memory.max / memory.limit_in_bytes) and cgroup_join (lab04 handout, task 4)",
		  ctr_show(&r));
	cr_assert(r.status == 137,
		  "expected status 137 (CMD killed by SIGKILL from the OOM killer, 128+9), got:%s\n"
		  "  fix: container_init returns 128+signal for a killed CMD (lab04 handout, task 6)", ctr_show(&r));
	cr_assert(strstr(r.err, "OOM") != NULL,
		  "expected minictr to report the OOM kill on stderr, got:%s\n"
		  "  fix: cgroup_set_limits and cgroup_join, so that cgroup_report finds the oom_kill count (lab04 handout, task 4)",
		  ctr_show(&r));
	int mib = 0;
	for (const char *p = r.out; (p = strstr(p, "allocated ")); p++)
		mib = atoi(p + 10);
	cr_assert(mib <= 32, "expected the allocation to stop by 32 MiB, got %d MiB:%s", mib, ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(limits, pids_contain_fork_bomb,
	 .description = "--pids 16: a fork bomb gets at most 16 processes, the rest of its forks fail with EAGAIN",
	 .timeout = 60)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 45, "--pids", "16", "--", "kitprobe", "forkbomb", NULL);
	const char *f = strstr(r.out, "forks=");
	cr_assert(f != NULL, "expected kitprobe forkbomb to report its forks, got:%s", ctr_show(&r));
	int n = atoi(f + 6);
	cr_assert(strstr(f, "refused=EAGAIN") != NULL && n < 16,
		  "expected fewer than 16 forks (init and kitprobe count too), then EAGAIN, got %d:%s\n"
		  "  fix: cgroup_set_limits (pids.max) and cgroup_join (lab04 handout, task 4)", n, ctr_show(&r));
	cr_assert(r.status == 0, "expected status 0 (the bomb's children die with the container), got:%s",
		  ctr_show(&r));
	cr_assert(strstr(r.err, "pids limit") != NULL,
		  "expected minictr to report the refused forks (pids.events max), got:%s", ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

/* "key value" from a cpu.stat dump, or -1. */
static long long stat_value(const char *text, const char *key)
{
	char k[64];
	snprintf(k, sizeof k, "\n%s ", key);
	const char *p = strstr(text, k);
	return p ? atoll(p + strlen(k)) : -1;
}

KIT_TEST(limits, cpu_quota_throttles,
	 .description = "--cpus 0.02: a busy loop is throttled, as the cgroup's cpu.stat counts (nr_throttled, throttled time)",
	 .timeout = 60)
{
	ctr_need_root();
	struct ctr r;
	/*
	 * cpu.stat of the container's own group, seen through its cgroup
	 * namespace: v2 first, then v1. kitprobe reads it itself: a shell and
	 * two cats forked at 2% of a CPU took over 45 s in the TCG VM.
	 */
	ctr_run(&r, 45, "--cpus", "0.02", "--", "kitprobe", "burn", "60", "/sys/fs/cgroup/cpu.stat",
		"/sys/fs/cgroup/cpu/cpu.stat", NULL);
	cr_assert(r.status == 0 && strstr(r.out, "burned 60 ms"), "expected the busy loop and cpu.stat, got:%s\n"
								  "  fix: mount_cgroupfs needs the cgroup namespace", ctr_show(&r));
	long long nr = stat_value(r.out, "nr_throttled");
	long long t = stat_value(r.out, "throttled_usec");
	const char *unit = "us";
	if (t < 0) {
		t = stat_value(r.out, "throttled_time"); /* v1: nanoseconds */
		unit = "ns";
	}
	cr_assert(nr >= 0 && t >= 0, "expected cpu.stat with nr_throttled and throttled_usec/throttled_time, got:%s",
		  ctr_show(&r));
	/*
	 * 60 ms of CPU at 2 ms per 100 ms period needs 30 periods, and the loop
	 * is throttled in each where it gets more than 2% of a CPU, even on a
	 * busy machine; it is counted in CPU time, so it gets that far however
	 * loaded the machine is. A group without a quota is never throttled:
	 * nr_throttled stays 0.
	 */
	cr_assert(nr >= 2 && t > 0,
		  "expected the group to be throttled in at least 2 periods (0 without a quota), got nr_throttled %lld, throttled %lld %s:%s\n"
		  "  fix: cgroup_set_limits (cpu.max / cpu.cfs_quota_us + cpu.cfs_period_us) (lab04 handout, task 4)",
		  nr, t, unit, ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

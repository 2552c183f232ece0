/*
 * cgroup.c: resource limits through cgroups, v2 (unified) or v1 (legacy,
 * or hybrid: v1 controllers next to an empty cgroup2), detected at run time
 * (kernel Documentation/admin-guide/cgroup-v2.rst and cgroup-v1/).
 *
 *   limit    v2 file           v1 file (in the controller's hierarchy)
 *   memory   memory.max        memory/<g>/memory.limit_in_bytes
 *   pids     pids.max          pids/<g>/pids.max
 *   cpu      cpu.max           cpu/<g>/cpu.cfs_quota_us + cpu.cfs_period_us
 *
 * Placement: v1 groups go below the caller's own group in each hierarchy
 * (v1 has no rule against it, and the caller's limits keep applying); v2
 * groups go below the root, the one place where a group with processes may
 * sit next to groups with controllers ("no internal processes" rule).
 * Task 4 of the handout: cgroup_set_limits and cgroup_join.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "minictr.h"

enum cgroup_mode cgroup_detect(void)
{
	struct statfs sf;
	if (statfs(CGROUP_ROOT, &sf) < 0)
		return CG_NONE;
	if (sf.f_type == CGROUP2_SUPER_MAGIC)
		return CG_UNIFIED;
	if (sf.f_type != TMPFS_MAGIC)
		return CG_NONE;
	if (statfs(CGROUP_ROOT "/unified", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
		return CG_HYBRID;
	return CG_LEGACY;
}

const char *cgroup_mode_name(enum cgroup_mode m)
{
	switch (m) {
	case CG_UNIFIED: return "v2 (unified)";
	case CG_HYBRID: return "v1 (hybrid: v1 controllers, empty cgroup2)";
	case CG_LEGACY: return "v1 (legacy)";
	default: return "none";
	}
}

/* "key value" lines (cpu.stat, memory.events, memory.oom_control): the value of KEY, or -1. */
static long long stat_value(const char *dir, const char *file, const char *key)
{
	char buf[4096];
	if (read_text(dir, file, buf, sizeof buf) < 0)
		return -1;
	size_t k = strlen(key);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, k) == 0 && l[k] == ' ')
			return atoll(l + k + 1);
	return -1;
}

/* TOK as a whole word of LIST ("rw,cpu,cpuacct", "cpuset cpu io memory"): "cpu" is not "cpuset". */
static bool has_token(const char *list, const char *tok)
{
	size_t n = strlen(tok);
	for (const char *p = list; (p = strstr(p, tok)) != NULL; p += n)
		if ((p == list || strchr(", ", p[-1])) && strchr(", \n", p[n]))
			return true;
	return false;
}

/*
 * /proc/self/mountinfo and /proc/self/cgroup, read once per run: the
 * runtime asks them about several controllers, and each read has the
 * kernel print the whole table again (proc(5)). A stream on our copy, or
 * on the file itself when no copy could be made.
 */
static FILE *open_once(const char *path, char **copy)
{
	if (!*copy) {
		FILE *f = fopen(path, "re");
		if (!f)
			return NULL;
		size_t size = 0;
		FILE *mem = open_memstream(copy, &size);
		char buf[4096];
		size_t n;
		while (mem && (n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, mem);
		bool bad = ferror(f) || !mem;
		fclose(f);
		if (mem && fclose(mem) != 0)
			bad = true;
		if (bad) {
			free(*copy);
			*copy = NULL;
			return fopen(path, "re");
		}
	}
	size_t len = strlen(*copy);
	return len ? fmemopen(*copy, len, "r") : fopen(path, "re");
}

static char *mountinfo_copy, *own_cgroup_copy;

static const char *const v1_known[] = { "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
	"net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc" };

/*
 * Find the v1 hierarchy that holds CTRL in /proc/self/mountinfo: its mount
 * point, the root of that mount, and its controller list ("cpu,cpuacct").
 */
static int v1_hierarchy(const char *ctrl, char *mnt, char *root, char *opts)
{
	FILE *f = open_once("/proc/self/mountinfo", &mountinfo_copy);
	if (!f)
		return -1;
	char line[4096];
	int found = -1;
	while (found < 0 && fgets(line, sizeof line, f)) {
		char m[4096], r[4096], fstype[64], super[1024];
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", r, m) != 2 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		if (strcmp(fstype, "cgroup") != 0 || !has_token(super, ctrl))
			continue;
		strcpy(mnt, m);
		strcpy(root, r);
		opts[0] = '\0';
		for (size_t i = 0; i < sizeof v1_known / sizeof v1_known[0]; i++)
			if (has_token(super, v1_known[i])) {
				if (opts[0])
					strcat(opts, ",");
				strcat(opts, v1_known[i]);
			}
		found = 0;
	}
	fclose(f);
	return found;
}

/* The caller's group in the v1 hierarchy of CTRL, from /proc/self/cgroup. */
static int v1_own_path(const char *ctrl, char *path)
{
	FILE *f = open_once("/proc/self/cgroup", &own_cgroup_copy);
	if (!f)
		return -1;
	char line[4096];
	int found = -1;
	while (found < 0 && fgets(line, sizeof line, f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		if (!has_token(c1 + 1, ctrl))
			continue;
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		strcpy(path, c2 + 1);
		found = 0;
	}
	fclose(f);
	return found;
}

void cgroup_v1_mount_opts(struct config *c)
{
	static const char *const ctrls[] = { "memory", "pids", "cpu" };
	char mnt[4096], root[4096];
	for (int i = 0; i < 3; i++)
		if (v1_hierarchy(ctrls[i], mnt, root, c->cgroup_v1_opts[i]) < 0)
			c->cgroup_v1_opts[i][0] = '\0';
}

int cgroup_plan(const struct config *c, struct cgroup *cg)
{
	char name[64];
	snprintf(name, sizeof name, "minictr-%d", (int)getpid());
	memset(cg, 0, sizeof *cg);
	cg->mode = cgroup_detect();
	switch (cg->mode) {
	case CG_NONE:
		fail("cgroups", "no cgroup file system at " CGROUP_ROOT ": mount one, or run without --memory/--pids/--cpus");
		return -1;
	case CG_UNIFIED: {
		char have[1024] = "", on[1024] = "";
		read_text(CGROUP_ROOT, "cgroup.controllers", have, sizeof have);
		/* Each write to subtree_control walks the whole tree below: only what is not on yet. */
		read_text(CGROUP_ROOT, "cgroup.subtree_control", on, sizeof on);
		const char *need[] = { c->memory_bytes ? "memory" : NULL, c->pids_max ? "pids" : NULL,
				       c->cpu_quota_us ? "cpu" : NULL };
		for (int i = 0; i < 3; i++) {
			if (!need[i])
				continue;
			char plus[16];
			snprintf(plus, sizeof plus, "+%s", need[i]);
			if (!has_token(have, need[i])) {
				fail("cgroups", "cgroup v2 has no '%s' controller in " CGROUP_ROOT "/cgroup.controllers: "
						"the kernel lacks it or a v1 hierarchy holds it", need[i]);
				cg->mode = CG_NONE;
				return -1;
			}
			if (!has_token(on, need[i]) && write_text(CGROUP_ROOT, "cgroup.subtree_control", plus) < 0) {
				/* EBUSY: processes sit in this group, which is then not the real root (a container's cgroup namespace). */
				fail_errno("cgroups", "enabling %s in " CGROUP_ROOT "/cgroup.subtree_control%s", need[i],
					   errno == EBUSY ? " (processes live in this group: inside a container, move them "
							    "to a child group first, as docker-in-docker does)" : "");
				cg->mode = CG_NONE;
				return -1;
			}
		}
		snprintf(cg->dir[0], sizeof cg->dir[0], CGROUP_ROOT "/%s", name);
		cg->ctrl[0] = "";
		cg->n = 1;
		break;
	}
	case CG_HYBRID:
	case CG_LEGACY: {
		/* devices: the allow-list goes wherever there is a group (cgroup_restrict_devices). */
		static const char *const ctrls[] = { "memory", "pids", "cpu", "devices" };
		bool want[] = { c->memory_bytes != 0, c->pids_max != 0, c->cpu_quota_us != 0, true };
		for (int i = 0; i < 4; i++) {
			char mnt[4096], root[4096], opts[64], own[4096];
			if (!want[i])
				continue;
			if (v1_hierarchy(ctrls[i], mnt, root, opts) < 0 || v1_own_path(ctrls[i], own) < 0) {
				if (i == 3)
					continue; /* no devices hierarchy: nodev and no CAP_MKNOD still hold */
				fail("cgroups", "no cgroup v1 hierarchy with the '%s' controller is mounted: "
						"mount it (mount -t cgroup -o %s cgroup " CGROUP_ROOT "/%s)",
				     ctrls[i], ctrls[i], ctrls[i]);
				return -1;
			}
			/* A mount of a subtree shows our path without the subtree's prefix. */
			const char *rel = own;
			if (strcmp(root, "/") != 0 && strncmp(own, root, strlen(root)) == 0)
				rel = own + strlen(root);
			if (strcmp(rel, "/") == 0)
				rel = "";
			if (snprintf(cg->dir[cg->n], sizeof cg->dir[0], "%s%s/%s", mnt, rel, name) >=
			    (int)sizeof cg->dir[0]) {
				fail("cgroups", "the path of our group below %s is too long", mnt);
				return -1;
			}
			cg->ctrl[cg->n] = ctrls[i];
			cg->n++;
		}
		break;
	}
	}
	return 0;
}

int cgroup_create(const struct config *c, struct cgroup *cg)
{
	for (int i = 0; i < cg->n; i++) {
		/* A stale group of a killed runtime whose pid we now have: empty, so removable. */
		if (mkdir(cg->dir[i], 0755) < 0 && (errno != EEXIST || rmdir(cg->dir[i]) < 0 || mkdir(cg->dir[i], 0755) < 0)) {
			fail_errno("cgroups", "creating %s%s", cg->dir[i],
				   errno == EROFS ? " (the cgroup file system is read-only here: inside a container?)"
				   : errno == EACCES || errno == EPERM ? " (run as root)" : "");
			cg->n = i;
			return -1;
		}
	}
	note(c, "cgroups %s: %s%s%s", cgroup_mode_name(cg->mode), cg->dir[0], cg->n > 1 ? " ..." : "", "");
	return 0;
}

static const char *dir_of(const struct cgroup *cg, const char *ctrl)
{
	for (int i = 0; i < cg->n; i++)
		if (cg->mode == CG_UNIFIED || strcmp(cg->ctrl[i], ctrl) == 0)
			return cg->dir[i];
	return NULL;
}

static int set(const char *dir, const char *file, const char *fmt, long long a, long long b)
{
	char text[64];
	snprintf(text, sizeof text, fmt, a, b);
	if (write_text(dir, file, text) < 0) {
		fail_errno("cgroups", "writing '%s' to %s/%s", text, dir, file);
		return -1;
	}
	return 0;
}

int cgroup_set_limits(const struct config *c, const struct cgroup *cg)
{
	// BEGIN SOLUTION: write the limits
	const char *mem = dir_of(cg, "memory"), *pids = dir_of(cg, "pids"), *cpu = dir_of(cg, "cpu");
	if (cg->mode == CG_UNIFIED) {
		if (c->memory_bytes) {
			if (set(mem, "memory.max", "%lld", c->memory_bytes, 0) < 0)
				return -1;
			/* No swap either, or the limit only slows the program down. */
			write_text(mem, "memory.swap.max", "0");
		}
		if (c->pids_max && set(pids, "pids.max", "%lld", c->pids_max, 0) < 0)
			return -1;
		if (c->cpu_quota_us && set(cpu, "cpu.max", "%lld %lld", c->cpu_quota_us, c->cpu_period_us) < 0)
			return -1;
		return 0;
	}
	if (c->memory_bytes) {
		if (set(mem, "memory.limit_in_bytes", "%lld", c->memory_bytes, 0) < 0)
			return -1;
		/* memory+swap, present only with swap accounting: no swap either. */
		char text[32];
		snprintf(text, sizeof text, "%lld", c->memory_bytes);
		write_text(mem, "memory.memsw.limit_in_bytes", text);
	}
	if (c->pids_max && set(pids, "pids.max", "%lld", c->pids_max, 0) < 0)
		return -1;
	if (c->cpu_quota_us &&
	    (set(cpu, "cpu.cfs_period_us", "%lld", c->cpu_period_us, 0) < 0 ||
	     set(cpu, "cpu.cfs_quota_us", "%lld", c->cpu_quota_us, 0) < 0))
		return -1;
	return 0;
	// STARTER:
	// (void)c;
	// (void)cg;
	// (void)dir_of;
	// (void)set;
	// TODO("cgroup_set_limits", "lab04 handout, task 4: cgroups");
	// return 0;
	// END SOLUTION
}

/*
 * Move the container's first process in; its children follow it (fork
 * inherits the group). PID 0 means the calling thread, written to v1's
 * "tasks": moving one's own single thread takes no threadgroup lock, so it
 * skips the RCU grace period (milliseconds) that a write of another
 * process's pid to cgroup.procs waits for (cgroup_procs_write_start in
 * kernel/cgroup/cgroup.c). minictr's child joins itself so on v1.
 */
int cgroup_join(const struct cgroup *cg, pid_t pid)
{
	// BEGIN SOLUTION: join the cgroup
	char text[32];
	snprintf(text, sizeof text, "%d", (int)pid);
	const char *file = pid == 0 && cg->mode != CG_UNIFIED ? "tasks" : "cgroup.procs";
	for (int i = 0; i < cg->n; i++)
		if (write_text(cg->dir[i], file, text) < 0) {
			fail_errno("cgroups", "moving pid %d into %s", (int)pid, cg->dir[i]);
			return -1;
		}
	return 0;
	// STARTER:
	// (void)cg;
	// (void)pid;
	// TODO("cgroup_join", "lab04 handout, task 4: cgroups");
	// return 0;
	// END SOLUTION
}

/*
 * Only the devices on dev_allowed (devices.c) open in the group: on v1 deny
 * all, then allow each ("c 1:3 rwm", "c 136:* rwm"; cgroup-v1/devices.rst);
 * on v2 attach the eBPF device program (devices_bpf_attach). A group
 * without the v1 devices controller keeps the other two locks (nodev, no
 * CAP_MKNOD): lab04 handout, "Devices".
 */
int cgroup_restrict_devices(const struct cgroup *cg)
{
	// BEGIN SOLUTION: the device allow-list
	if (cg->mode == CG_UNIFIED) {
		int fd = open(cg->dir[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || devices_bpf_attach(fd) < 0) {
			fail_errno("devices", "attaching the device program to %s (a kernel without CONFIG_CGROUP_BPF?)",
				   cg->dir[0]);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
		return 0;
	}
	const char *dir = dir_of(cg, "devices");
	if (!dir)
		return 0;
	if (write_text(dir, "devices.deny", "a") < 0) {
		fail_errno("devices", "writing 'a' to %s/devices.deny", dir);
		return -1;
	}
	/* One rule per write(2), all through one open file (cgroup-v1/devices.rst). */
	char path[4200];
	snprintf(path, sizeof path, "%s/devices.allow", dir);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fail_errno("devices", "opening %s", path);
		return -1;
	}
	for (size_t i = 0; i < n_dev_allowed; i++) {
		const struct dev_rule *r = &dev_allowed[i];
		char rule[32], minor[12];
		if (r->minor < 0)
			strcpy(minor, "*");
		else
			snprintf(minor, sizeof minor, "%d", r->minor);
		int len = snprintf(rule, sizeof rule, "%c %d:%s rwm", r->type, r->major, minor);
		if (write(fd, rule, len) != len) {
			fail_errno("devices", "writing '%s' to %s", rule, path);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
	// STARTER:
	// (void)cg;
	// TODO("cgroup_restrict_devices", "lab04 handout, task 4: devices");
	// return 0;
	// END SOLUTION
}

/* After the container ended: say whether a limit stopped it, from the cgroup's own counters. */
void cgroup_report(const struct config *c, const struct cgroup *cg)
{
	const char *mem = dir_of(cg, "memory"), *pids = dir_of(cg, "pids");
	if (c->memory_bytes && mem) {
		long long oom = cg->mode == CG_UNIFIED ? stat_value(mem, "memory.events", "oom_kill")
						       : stat_value(mem, "memory.oom_control", "oom_kill");
		if (oom > 0)
			fprintf(stderr, "minictr: memory limit: the OOM killer ended %lld process%s in the container "
					"(limit %lld bytes)\n", oom, oom == 1 ? "" : "es", c->memory_bytes);
	}
	if (c->pids_max && pids) {
		long long refused = stat_value(pids, "pids.events", "max");
		if (refused > 0)
			fprintf(stderr, "minictr: pids limit: %lld fork%s refused (limit %ld processes)\n",
				refused, refused == 1 ? "" : "s", c->pids_max);
	}
}

/* Kill what is left in DIR and remove it; a populated group cannot be removed (EBUSY). */
int cgroup_destroy(const struct cgroup *cg)
{
	int rc = 0;
	for (int i = 0; i < cg->n; i++) {
		struct timespec ts = { 0, 2 * 1000 * 1000 };
		int tries;
		for (tries = 0; tries < 1000; tries++) {
			if (rmdir(cg->dir[i]) == 0 || errno == ENOENT)
				break;
			if (errno != EBUSY)
				continue;
			if (cg->mode == CG_UNIFIED && write_text(cg->dir[i], "cgroup.kill", "1") == 0) {
				nanosleep(&ts, NULL);
				continue;
			}
			char buf[8192];
			if (read_text(cg->dir[i], "cgroup.procs", buf, sizeof buf) == 0)
				for (char *p = buf; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
					if (atoi(p) > 0)
						kill(atoi(p), SIGKILL);
			nanosleep(&ts, NULL);
		}
		if (tries == 1000) {
			fail_errno("cleanup", "could not remove %s: remove it by hand (rmdir) once its processes are gone",
				   cg->dir[i]);
			rc = -1;
		}
	}
	return rc;
}

/*
 * Show the container its own limits read-only at /sys/fs/cgroup: the
 * cgroup namespace makes its group the root of what it mounts. v1
 * hierarchies cannot be mounted in a user namespace: skipped with --user.
 */
int mount_cgroupfs(const struct config *c)
{
	struct stat st;
	if (stat(CGROUP_ROOT, &st) < 0)
		return 0; /* no sysfs in the container (yet: task 3), nothing to mount on */
	if (c->cgroup_mode == CG_UNIFIED) {
		if (mount("cgroup2", CGROUP_ROOT, "cgroup2", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
			fail_errno("/sys/fs/cgroup", "mounting cgroup2 read-only");
			return -1;
		}
		return 0;
	}
	if ((c->cgroup_mode != CG_HYBRID && c->cgroup_mode != CG_LEGACY) || c->user)
		return 0;
	if (mount("tmpfs", CGROUP_ROOT, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755,size=64k") < 0) {
		fail_errno("/sys/fs/cgroup", "mounting a tmpfs for the v1 hierarchies");
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		const char *o = c->cgroup_v1_opts[i];
		char dir[128];
		if (!o[0])
			continue;
		snprintf(dir, sizeof dir, CGROUP_ROOT "/%s", o);
		if (ensure_dir(dir) < 0 ||
		    mount("cgroup", dir, "cgroup", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, o) < 0) {
			fail_errno("/sys/fs/cgroup", "mounting the v1 '%s' hierarchy read-only", o);
			return -1;
		}
		/* "cpu,cpuacct" is also reachable as "cpu", as on the host. */
		char *comma = strchr(o, ',');
		if (comma) {
			char first[64], link[128];
			snprintf(first, sizeof first, "%.*s", (int)(comma - o), o);
			snprintf(link, sizeof link, CGROUP_ROOT "/%s", first);
			if (symlink(o, link) < 0 && errno != EEXIST)
				return -1;
		}
	}
	if (bind_remount_readonly(CGROUP_ROOT) < 0) {
		/* a tmpfs is not a bind mount: remount it plainly */
		if (mount(NULL, CGROUP_ROOT, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
			fail_errno("/sys/fs/cgroup", "making it read-only");
			return -1;
		}
	}
	return 0;
}

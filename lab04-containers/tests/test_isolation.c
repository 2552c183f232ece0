/*
 * test_isolation.c: what a process inside the container can see of the
 * host (lab04 handout, tasks 1 to 3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr.h"

KIT_TEST(isolation, pid1_and_no_host_process,
	 .description = "The container has its own PID 1 and its /proc lists only the container's processes",
	 .timeout = 30)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 20, "--", "kitprobe", "pids", NULL);
	cr_assert(r.status == 0, "expected kitprobe pids to exit 0 in the container, got:%s\n"
				 "  fix: spawn_container, the mounts, container_init (lab04 handout, tasks 1-3, 6)",
		  ctr_show(&r));
	const char *procs = strstr(r.out, "procs=");
	cr_assert(procs != NULL, "expected a procs= line from kitprobe, got:%s", ctr_show(&r));
	cr_assert(strstr(procs, "procs=none") == NULL,
		  "expected a /proc to read in the container, got none:%s\n  fix: mount_proc (lab04 handout, task 3)",
		  ctr_show(&r));
	int n = 0, max = 0;
	bool has1 = false;
	for (const char *p = procs + 6; *p && *p != '\n'; p = strchr(p, ',') ? strchr(p, ',') + 1 : p + strlen(p)) {
		int pid = atoi(p);
		if (pid <= 0)
			break;
		n++;
		has1 |= pid == 1;
		if (pid > max)
			max = pid;
	}
	cr_assert(has1, "expected pid 1 in the container's /proc, got %.200s\n"
			"  fix: CLONE_NEWPID in spawn_container and a proc mounted inside (lab04 handout, tasks 1, 3)", procs);
	cr_assert(n <= 4 && max < 50,
		  "expected only the container's few processes in its /proc (init, kitprobe), got %d entries up to pid %d: %.300s\n"
		  "  fix: a new PID namespace (CLONE_NEWPID) and a fresh proc mounted from inside it (lab04 handout, tasks 1, 3)",
		  n, max, procs);
	int self = atoi(strstr(r.out, "pid=") ? strstr(r.out, "pid=") + 4 : "0");
	cr_assert(self > 0 && self < 50 && self != getpid(),
		  "expected kitprobe to have a small pid of the container's namespace, got %d (the test is %d)", self,
		  (int)getpid());
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(isolation, hostname_isolated,
	 .description = "--hostname sets the container's host name and leaves the host's unchanged",
	 .timeout = 30)
{
	ctr_need_root();
	char before[256] = "", after[256] = "";
	gethostname(before, sizeof before);
	struct ctr r;
	ctr_run(&r, 20, "--hostname", "kit-box-7", "--", "hostname", NULL);
	gethostname(after, sizeof after);
	cr_assert(r.status == 0 && strcmp(r.out, "kit-box-7\n") == 0,
		  "expected the container to print its host name kit-box-7, got:%s\n"
		  "  fix: CLONE_NEWUTS in spawn_container (lab04 handout, task 1)", ctr_show(&r));
	cr_assert(strcmp(before, after) == 0, "expected the host's name to stay '%s', got '%s'\n"
					      "  fix: CLONE_NEWUTS in spawn_container (lab04 handout, task 1)", before, after);
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(isolation, host_mounts_invisible,
	 .description = "The container's mount table holds only its own mounts, none of the host's",
	 .timeout = 30)
{
	ctr_need_root();
	struct ctr r;
	/* /work, /mnt/..., /boot: whatever the host has beyond the basics must not show. */
	ctr_run(&r, 20, "--", "cat", "/proc/self/mountinfo", NULL);
	cr_assert(r.status == 0, "expected cat /proc/self/mountinfo to work in the container, got:%s", ctr_show(&r));
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	cr_assert(f != NULL);
	while (fgets(line, sizeof line, f)) {
		char mnt[4096];
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 || strcmp(mnt, "/") == 0)
			continue;
		if (strncmp(mnt, "/proc", 5) == 0 || strncmp(mnt, "/sys", 4) == 0 || strncmp(mnt, "/dev", 4) == 0)
			continue; /* the container has its own of these */
		char needle[4200];
		snprintf(needle, sizeof needle, " %s ", mnt);
		cr_assert(strstr(r.out, needle) == NULL,
			  "expected the host mount %s to be absent in the container, got it in its mountinfo:%s\n"
			  "  fix: pivot_into_rootfs must detach the old root (lab04 handout, task 2)", mnt, ctr_show(&r));
	}
	fclose(f);
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(isolation, old_root_unreachable,
	 .description = "After pivot_root the host's root is detached: no path in the container reaches a host file",
	 .timeout = 30)
{
	ctr_need_root();
	/* A file only the host has: if any directory of the container shows it, the old root is still in reach. */
	char marker[256];
	snprintf(marker, sizeof marker, "/tmp/lab04-oldroot-%d", (int)getpid());
	FILE *m = fopen(marker, "w");
	cr_assert(m != NULL, "cannot create %s", marker);
	fclose(m);
	char script[1024];
	snprintf(script, sizeof script,
		 "for d in / /.oldroot /oldroot /old_root /.pivot_root /mnt /proc/1/root/; do "
		 "  [ -e \"$d/%s\" ] && echo \"reached $d%s\"; done; "
		 "grep -c . /proc/self/mountinfo >/dev/null; echo done",
		 marker + 1, marker);
	struct ctr r;
	ctr_run(&r, 20, "--", "sh", "-c", script, NULL);
	unlink(marker);
	cr_assert(r.status == 0 && strstr(r.out, "done"), "expected the probe script to run, got:%s", ctr_show(&r));
	cr_assert(strstr(r.out, "reached") == NULL,
		  "expected no host file in reach, got:%s\n  fix: pivot_into_rootfs: pivot_root, then umount2(MNT_DETACH) "
		  "of the old root (lab04 handout, task 2)", ctr_show(&r));
	/* The container's / is the rootfs: its /bin/kitprobe is there, the host's /work is not. */
	cr_assert(strstr(r.err, "pivot_root") == NULL, "unexpected pivot_root message:%s", ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(isolation, proc_sys_readonly,
	 .description = "/proc/sys and the other kernel knobs are read-only inside the container",
	 .timeout = 30)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 20, "--", "sh", "-c",
		"cat /proc/sys/kernel/hostname >/dev/null && echo readable; "
		"echo kit > /proc/sys/kernel/hostname && echo WROTE-hostname; "
		"echo 1 > /proc/sys/vm/drop_caches && echo WROTE-drop_caches; "
		"grep -E ' /proc/sys ' /proc/self/mountinfo",
		NULL);
	cr_assert(strstr(r.out, "readable"), "expected /proc/sys to be readable, got:%s\n"
					     "  fix: mount_proc (lab04 handout, task 3)", ctr_show(&r));
	cr_assert(strstr(r.out, "WROTE") == NULL,
		  "expected writes to /proc/sys to fail (read-only file system), got:%s\n"
		  "  fix: mask_paths: bind /proc/sys onto itself and remount it read-only (lab04 handout, task 3)",
		  ctr_show(&r));
	cr_assert(strstr(r.out, " ro,") || strstr(r.out, " ro "),
		  "expected /proc/sys mounted read-only in the container's mountinfo, got:%s\n"
		  "  fix: mask_paths (lab04 handout, task 3)", ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(isolation, masked_paths_masked,
	 .description = "/proc/keys, /proc/timer_list, /proc/kcore and /sys/firmware show nothing in the container",
	 .timeout = 30)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 20, "--", "sh", "-c",
		"for f in /proc/keys /proc/timer_list /proc/kcore /proc/sched_debug; do "
		"  [ -e $f ] && echo \"$f $(wc -c < $f)\"; done; "
		"echo \"firmware $(ls -A /sys/firmware 2>/dev/null | wc -l)\"",
		NULL);
	cr_assert(r.status == 0, "expected the probe script to run, got:%s", ctr_show(&r));
	static const char *const files[] = { "/proc/keys", "/proc/timer_list", "/proc/kcore", "/proc/sched_debug" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (access(files[i], F_OK) != 0)
			continue; /* this kernel has none to mask */
		char want[128];
		snprintf(want, sizeof want, "%s 0\n", files[i]);
		cr_assert(strstr(r.out, want) != NULL,
			  "expected %s to read as empty in the container (bind /dev/null over it), got:%s\n"
			  "  fix: mask_paths (lab04 handout, task 3)", files[i], ctr_show(&r));
	}
	cr_assert(strstr(r.out, "firmware 0\n") != NULL,
		  "expected /sys/firmware to be empty in the container (an empty read-only tmpfs over it), got:%s\n"
		  "  fix: mask_paths (lab04 handout, task 3)", ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(isolation, dev_minimal,
	 .description = "/dev holds only null, zero, full, random, urandom, tty, pts, shm and their links, and they work",
	 .timeout = 30)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 20, "--", "sh", "-c",
		"ls -A /dev | tr '\\n' ' '; echo; head -c 16 /dev/zero | wc -c; head -c 16 /dev/urandom | wc -c; "
		"echo x > /dev/null && echo null-ok; [ -b /dev/vda ] || [ -e /dev/sda ] || [ -e /dev/mem ] || echo no-disks",
		NULL);
	cr_assert(r.status == 0, "expected the probe script to run, got:%s", ctr_show(&r));
	static const char *const want[] = { "null", "zero", "full", "random", "urandom", "tty", "pts", "shm" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char w[32];
		snprintf(w, sizeof w, " %s ", want[i]);
		char line[2048];
		snprintf(line, sizeof line, " %.*s", (int)strcspn(r.out, "\n"), r.out);
		cr_assert(strstr(line, w) != NULL, "expected /dev/%s in the container, got /dev = %s\n"
						  "  fix: mount_dev (lab04 handout, task 3)", want[i], line);
	}
	cr_assert(strstr(r.out, "\n16\n16\nnull-ok\nno-disks") != NULL,
		  "expected working zero/urandom/null and no disks or /dev/mem, got:%s\n"
		  "  fix: mount_dev: a tmpfs with bind-mounted nodes, not the host's /dev (lab04 handout, task 3)",
		  ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

/*
 * A hostile image: the rootfs's TARGET (sys, proc, dev) is a symlink to
 * LINK. Climbing out ("../../../..") or jumping to "/" must not put a
 * mount outside the rootfs: the container either refuses to start
 * (EXIT_SETUP, 125, saying why) or runs with the host's files out of its
 * reach. The host secret lies next to the rootfs; the container tries to
 * read it and to overwrite it through each of /sys, /proc and /dev.
 */
struct hostile {
	const char *target, *link;
	bool must_run; /* a link that stays inside: the container runs, its masks hold */
};

static const struct hostile hostile_images[] = {
	{ "sys", "../../../../../../../../", false }, { "sys", "/", false },
	{ "proc", "../../../../../../../../", false }, { "proc", "/", false },
	{ "dev", "../../../../../../../../", false }, { "dev", "/", false },
	{ "proc", "tmp", true },  /* inside: proc lands on /tmp, the masks must follow it */
	{ "sys", "../../../../../etc", true },
};

static void run_hostile(const struct hostile *h, bool user)
{
	char dir[64], secret[128];
	const char *rootfs = ctr_copy_rootfs(dir, sizeof dir);
	snprintf(secret, sizeof secret, "%s/secret", dir);
	FILE *f = fopen(secret, "w");
	cr_assert(f != NULL);
	fputs("host-secret-5c1e\n", f);
	fclose(f);
	chmod(secret, 0666);
	char path[4300];
	snprintf(path, sizeof path, "%s/%s", rootfs, h->target);
	rmdir(path);
	cr_assert(symlink(h->link, path) == 0, "symlink %s: %s", path, strerror(errno));
	char script[2048];
	snprintf(script, sizeof script,
		 "for p in /sys /proc /dev /sys/sys /proc/proc; do cat $p%s 2>/dev/null; echo pwned > $p%s; done 2>/dev/null; "
		 "echo keys=$(wc -c < /proc/keys 2>/dev/null); "
		 "echo x 2>/dev/null > /proc/sys/kernel/domainname && echo procsys=writable; echo done",
		 secret, secret);
	ctr_rootfs = rootfs;
	struct ctr r;
	if (user)
		ctr_run(&r, 20, "--user", "--", "sh", "-c", script, NULL);
	else
		ctr_run(&r, 20, "--", "sh", "-c", script, NULL);
	char got[256] = "", left[4096];
	f = fopen(secret, "r");
	if (f) {
		if (!fgets(got, sizeof got, f))
			got[0] = '\0';
		fclose(f);
	}
	/* What is left is known now: the copy can go before any verdict, failing or not. */
	snprintf(left, sizeof left, "%s", ctr_leftovers(&r));
	ctr_rootfs = NULL;
	ctr_remove_tree(dir);
	cr_assert(strstr(r.out, "host-secret-5c1e") == NULL,
		  "expected a rootfs whose %s -> %s to keep host files out of reach, got the host secret read:%s\n"
		  "  fix: resolve every mount target inside the rootfs (open_beneath: openat2 RESOLVE_IN_ROOT) and mount "
		  "onto the fd (lab04 handout, task 3, \"Mount targets\")", h->target, h->link, ctr_show(&r));
	cr_assert(strcmp(got, "host-secret-5c1e\n") == 0,
		  "expected the host file next to the rootfs untouched with %s -> %s, got '%s'%s\n"
		  "  fix: open_beneath (lab04 handout, task 3, \"Mount targets\")", h->target, h->link, got, ctr_show(&r));
	if (h->must_run) {
		cr_assert(r.status == 0 && strstr(r.out, "done"),
			  "expected a rootfs whose %s -> %s (inside it) to run, got:%s\n"
			  "  fix: open_beneath follows links that stay inside the rootfs (lab04 handout, task 3)",
			  h->target, h->link, ctr_show(&r));
		if (strcmp(h->target, "proc") == 0)
			cr_assert(strstr(r.out, "keys=0\n") && !strstr(r.out, "procsys=writable"),
				  "expected the masks to follow proc to where %s -> %s put it (/proc/keys empty, /proc/sys "
				  "read-only), got:%s\n  fix: mask_paths resolves each path inside the container "
				  "(lab04 handout, task 3, \"Mount targets\")", h->target, h->link, ctr_show(&r));
	} else {
		cr_assert(r.status == 0 || r.status == 125,
			  "expected the container to run or to refuse (status 125), got:%s", ctr_show(&r));
		if (r.status == 0)
			cr_assert(strstr(r.out, "keys=0\n") || strstr(r.out, "keys=\n"),
				  "expected /proc/keys masked (empty), got:%s", ctr_show(&r));
	}
	cr_assert(left[0] == '\0', "expected nothing left behind after minictr exited (%s -> %s), got: %s",
		  h->target, h->link, left);
}

KIT_TEST(isolation, symlinked_mount_targets_stay_inside,
	 .description = "A rootfs whose sys, proc or dev is a symlink climbing out (relative or absolute) gets no "
			"mount outside it: host files next to it are neither read nor written",
	 .timeout = 60)
{
	ctr_need_root();
	for (size_t i = 0; i < sizeof hostile_images / sizeof hostile_images[0]; i++)
		run_hostile(&hostile_images[i], false);
}

KIT_TEST(isolation, symlinked_mount_targets_stay_inside_user,
	 .description = "The same hostile rootfs images with --user: no mount outside the rootfs",
	 .timeout = 60)
{
	ctr_need_root();
	for (size_t i = 0; i < sizeof hostile_images / sizeof hostile_images[0]; i++)
		run_hostile(&hostile_images[i], true);
}

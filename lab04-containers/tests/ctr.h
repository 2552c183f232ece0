/*
 * ctr.h: running build/lab04/minictr from a test, and checking that it
 * left nothing behind. Every container run uses the kit's rootfs
 * (build/lab04/rootfs, with /bin/kitprobe) and --verbose, so the test
 * learns the host pid of the container's first process.
 */
#ifndef LAB04_CTR_H
#define LAB04_CTR_H

#include <stdbool.h>
#include <sys/types.h>

#include "kit.h"

struct ctr {
	pid_t pid;      /* minictr */
	pid_t init_pid; /* the container's first process, host view (0: unknown) */
	int out_fd, err_fd;
	int status;     /* exit status; 128+N if killed by signal N; -1 if still running */
	bool timed_out;
	char cmdline[1024];
	char out[65536];
	char err[16384];
	size_t out_len, err_len;
};

/* Start "minictr run --rootfs <kit rootfs> --verbose ARGS..." (ARGS ends with NULL). */
void ctr_start(struct ctr *r, const char *arg, ...) __attribute__((sentinel));
/* The rootfs the next ctr_start* uses instead of the kit's (a hostile copy); NULL: the kit's. */
extern const char *ctr_rootfs;
/* A copy of the kit's rootfs in a fresh 0755 directory under /tmp: "<dir>/rootfs"; DIR gets the directory. */
const char *ctr_copy_rootfs(char *dir, size_t size);
/* rm -rf DIR (made by ctr_copy_rootfs). */
void ctr_remove_tree(const char *dir);
/* The directory of cgroup NAME ("minictr-<pid>") in the hierarchy below ROOT, "" if none. */
const char *ctr_find_cgroup(const char *root, pid_t runtime);
/* Run the next ctr_start* as this uid/gid (a root test playing a user); -1: unchanged. */
extern int ctr_as_uid;
/* Start minictr as the leader of a process group of its own (kill(-pid) reaches all of it). */
extern bool ctr_own_group;

/* Start "minictr ARGV..." exactly as given (command line tests). */
void ctr_start_raw(struct ctr *r, const char *const argv[]);
/* Read its output until TEXT appears on stdout (true) or it ends or SECONDS pass (false). */
bool ctr_wait_output(struct ctr *r, const char *text, int seconds);
/* Read until it exits; kill it after SECONDS. Fills status. */
void ctr_finish(struct ctr *r, int seconds);
/* ctr_start + ctr_finish. */
void ctr_run(struct ctr *r, int seconds, const char *arg, ...) __attribute__((sentinel));

/* Empty if nothing of run R is left (cgroups, mounts, its first process); else what is left. */
const char *ctr_leftovers(const struct ctr *r);
/* Host processes whose command line contains TAG (kitprobe linger TAG), "" if none. */
const char *ctr_tagged_processes(const char *tag);

/* Fails the test with a clear message unless we may create containers with limits. */
void ctr_need_root(void);
bool ctr_is_root(void);

/* A fresh tag for this test process. */
const char *ctr_tag(void);

/* "status 3, stdout: ..., stderr: ..." for failure messages. */
const char *ctr_show(const struct ctr *r);

/* Every test's last check: nothing of R left behind on the host. */
#define CTR_ASSERT_CLEAN(r)                                                               \
	do {                                                                              \
		const char *left_ = ctr_leftovers(r);                                     \
		cr_assert(left_[0] == '\0',                                               \
			  "expected nothing left behind after minictr exited, got: %s\n"  \
			  "  fix: cgroup_destroy and the error paths in main.c (lab04 handout, task 4)", \
			  left_);                                                         \
	} while (0)

#endif

/*
 * minictr.h: a small container runtime, one setup step per function.
 *
 * The parent (main.c) parses the command line, prepares the cgroup, clones
 * the container's first process into new namespaces (namespaces.c), writes
 * its uid/gid maps, puts it into the cgroup and then lets it go over the
 * sync channel. The child (child.c) then builds its world in the order the
 * kernel needs: hostname, mounts (rootfs.c, fs.c) with the network
 * namespace from the parent (netns.c) before sysfs, then hardening
 * (security.c), and becomes the container's PID 1 (init.c).
 */
#ifndef MINICTR_H
#define MINICTR_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* Runtime exit statuses, docker-style: CMD's own status otherwise. */
#define EXIT_USAGE 2    /* bad command line */
#define EXIT_SETUP 125  /* the runtime itself failed */
#define EXIT_NOEXEC 126 /* CMD found but not executable */
#define EXIT_NOENT 127  /* CMD not found in the rootfs */

enum net_mode { NET_NONE, NET_LOOPBACK };

/* The parent's messages on the sync channel, in this order. */
#define SYNC_MAPPED 'M'  /* --user only: uid/gid maps written, the child may set up */
#define SYNC_NETNS 'N'   /* without --user: the network namespace, as a descriptor (netns.c) */
#define SYNC_JOINED 'J'  /* the planned cgroups exist with every limit but the CPU quota, which the
			  * child sets last (v1: the child joins them); carries the seccomp filter */


struct cgroup;

struct config {
	char rootfs[4096]; /* absolute, symlinks resolved */
	const char *hostname;
	long long memory_bytes; /* 0: no limit */
	long pids_max;          /* 0: no limit */
	long cpu_quota_us;      /* 0: no limit; per cpu_period_us */
	long cpu_period_us;
	enum net_mode net;
	bool user;     /* new user namespace, root inside = caller outside */
	bool readonly; /* rootfs mounted read-only */
	bool verbose;
	char **argv; /* CMD ARGS... */
	uid_t uid;   /* the caller, for the id maps */
	gid_t gid;
	int sync_fd;   /* the child's end of the sync channel */
	int parent_fd; /* the parent's end, which the child closes */
	int cgroup_mode;    /* enum cgroup_mode, detected by the parent */
	int cgroup_fd;      /* v2: the container's cgroup directory, for clone3 CLONE_INTO_CGROUP; -1: none */
	bool in_cgroup;     /* spawn_container cloned it straight into cgroup_fd: no cgroup_join needed */
	char cgroup_v1_opts[3][64]; /* v1 hierarchies to show inside ("memory", "cpu,cpuacct") */
	const struct cgroup *cgroup_plan; /* with limits: the groups the parent makes (cgroup_plan), for the child */
	int oom_score_adj;  /* the runtime's own at its start, CMD's too (oom.c) */
	bool oom_protected; /* the runtime lowered its own to -1000: the first process writes it back */
};

static inline bool config_has_limits(const struct config *c)
{
	return c->memory_bytes || c->pids_max || c->cpu_quota_us;
}

/* One line on stderr, "minictr: <step>: <what happened>[: <hint>]". */
void fail(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fail() plus strerror(errno). */
void fail_errno(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void note(const struct config *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A function of the starter that the student has not written yet says so
 * and where the handout explains it; the tests show this line.
 */
#define TODO(func, where) \
	fprintf(stderr, "minictr: TODO: %s is not written yet (%s)\n", func, where)

/* cli.c */
/* files.c: a control file written or read whole (0, or -1 with errno) */
int write_text(const char *dir, const char *file, const char *text);
int read_text(const char *dir, const char *file, char *buf, size_t size);
/* write_text between files_defer(true) and (false): opens now, writes at files_write_deferred */
void files_defer(bool on);
int files_write_deferred(void);

int parse_args(int argc, char **argv, struct config *c);
int parse_size(const char *s, long long *bytes);
int parse_cpus(const char *s, long *quota_us, long *period_us);
void usage(FILE *f);

/* namespaces.c: task 1 */
pid_t spawn_container(struct config *c);
int write_id_maps(const struct config *c, pid_t pid);

/* sync.c: one step byte on the sync channel, with one descriptor (FD -1 / NULL: none) */
int sync_send(int sock, char step, int fd);
int sync_wait(int sock, char step, int *fd);
/* without --user, after SYNC_NETNS: the v1 hierarchies to show and the cgroups' plan, made after the clone */
int sync_send_plan(int sock, const struct config *c);
int sync_receive_plan(int sock, struct config *c);

/* netns.c: the network namespace, made by a thread of the parent beside the rest of the start */
void netns_start(const struct config *c);
int netns_send(const struct config *c, int sock);
void netns_cancel(void);
int netns_enter(const struct config *c);
int setup_network(const struct config *c);

/* child.c: the child's side, in order */
int container_main(void *arg);

/* rootfs.c: task 2 */
int make_mounts_private(void);
int bind_rootfs(const struct config *c);
int pivot_into_rootfs(const struct config *c);
int remount_rootfs_readonly(void);
int bind_remount(const char *path, unsigned long add);
int bind_remount_readonly(const char *path);
int open_mount_target(const struct config *c, const char *path, int type);
int open_in_container(const char *path, int type);
int mount_on_fd(const char *source, int fd, const char *fstype, unsigned long flags, const void *data);
int ensure_dir(const char *path);
int ensure_file(const char *path);

/* fs.c: task 3 */
int mount_dev(const struct config *c);
int mount_proc(const struct config *c);
int mount_sys(const struct config *c);
int mask_paths(void);

/* cgroup.c: detection given; task 4 the limits */
#define CGROUP_ROOT "/sys/fs/cgroup"
enum cgroup_mode { CG_NONE, CG_UNIFIED, CG_HYBRID, CG_LEGACY };
#define CG_MAX_DIRS 4 /* v1: memory, pids, cpu, devices */
struct cgroup {
	enum cgroup_mode mode;
	int n;                       /* directories in use */
	char dir[CG_MAX_DIRS][4096]; /* v2: one; v1: memory, pids, cpu, devices */
	const char *ctrl[CG_MAX_DIRS];
};
enum cgroup_mode cgroup_detect(void);
void cgroup_v1_mount_opts(struct config *c);
const char *cgroup_mode_name(enum cgroup_mode m);
/* cgroup_plan: the groups' paths (on v2 the controllers enabled): nothing made; cgroup_create: their directories */
int cgroup_plan(const struct config *c, struct cgroup *cg);
int cgroup_create(const struct config *c, struct cgroup *cg);
int cgroup_set_limits(const struct config *c, const struct cgroup *cg);
int cgroup_join(const struct cgroup *cg, pid_t pid);
int cgroup_restrict_devices(const struct cgroup *cg);
void cgroup_report(const struct config *c, const struct cgroup *cg);
int cgroup_destroy(const struct cgroup *cg);
int mount_cgroupfs(const struct config *c);

/* devices.c: the container's device allow-list, and its cgroup v2 form (an eBPF program) */
struct dev_rule {
	char type;    /* 'c': character device (all on the list are) */
	int major;
	int minor;    /* -1: any minor */
	const char *name;
};
extern const struct dev_rule dev_allowed[];
extern const size_t n_dev_allowed;
int devices_bpf_attach(int cgroup_dir_fd);

/* guard.c: removes the cgroup even if the runtime is killed */
pid_t guard_start(const struct cgroup *cg, int *fd);
void guard_stop(pid_t guard, int fd);

/* oom.c: the runtime and guard out of the OOM killer's reach, the container not */
void oom_protect(struct config *c);
/* PID 0: ourselves, the container's first process; else that process, from the parent */
int oom_restore(const struct config *c, pid_t pid);

/* security.c: task 5 */
int close_inherited_fds(const struct config *c);
int drop_capabilities(void);
int set_no_new_privs(void);
/* build_seccomp: the student's filter, written as BPF to FD; the runtime's side of it: */
int build_seccomp(int fd);
/* parent: the filter built into a sealed memfd (-1 after saying why); child: load it, and close FD */
int seccomp_prepare(void);
int seccomp_install(int fd);

/* init.c: task 6 */
int container_init(const struct config *c);

#endif

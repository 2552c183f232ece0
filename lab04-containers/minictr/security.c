/*
 * security.c: what the container's root may still ask of the kernel.
 * One kernel serves the host and every container, so anything the kernel
 * does not namespace must be taken away here. Task 5 of the handout.
 *
 *   capabilities(7)   keep a short list (the one Docker keeps), drop the
 *                     rest from the bounding set so no exec brings them back
 *   PR_SET_NO_NEW_PRIVS  setuid binaries and file capabilities grant nothing
 *   seccomp(2)        refuse system calls the kernel does not confine
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <seccomp.h>
#include <unistd.h>

#include "minictr.h"

/* Enough to install packages and run daemons as root inside; nothing that reaches the host. */
static const cap_value_t kept_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL,
	CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_NET_RAW,
	CAP_SYS_CHROOT, CAP_AUDIT_WRITE, CAP_SETFCAP,
};
/*
 * Not CAP_MKNOD, which Docker keeps (its device cgroup stops the nodes it
 * makes): a container without limits has no cgroup here, so the lock is
 * that no new node can be made at all (lab04 handout, "Devices").
 */
#define N_KEPT (sizeof kept_caps / sizeof kept_caps[0])

/*
 * The deny list: each call, the errno the container sees, and why. EPERM is
 * what the call returns without privilege, so programs already handle it.
 */
static const struct denied {
	const char *name;
	int err;
	const char *why;
} deny_list[] = {
	{ "keyctl", EPERM, "the kernel keyring is not namespaced: the host's and other containers' keys" },
	{ "add_key", EPERM, "keyring, as keyctl" },
	{ "request_key", EPERM, "keyring, as keyctl" },
	{ "init_module", EPERM, "a kernel module is code in the one shared kernel" },
	{ "finit_module", EPERM, "kernel module, as init_module" },
	{ "delete_module", EPERM, "removing the host's drivers" },
	{ "kexec_load", EPERM, "replaces the running kernel of the host" },
	{ "kexec_file_load", EPERM, "as kexec_load" },
	{ "reboot", EPERM, "the host's, outside a PID namespace's own init" },
	{ "open_by_handle_at", EPERM, "opens any inode of a file system by handle, past the mount namespace "
				      "(the 2014 'shocker' escape)" },
	{ "mount", EPERM, "no mounts inside: a new mount could expose host file systems" },
	{ "umount2", EPERM, "could uncover what the masked paths hide" },
	{ "pivot_root", EPERM, "as mount" },
	{ "fsopen", EPERM, "the new mount API, as mount" },
	{ "fsmount", EPERM, "as fsopen" },
	{ "fsconfig", EPERM, "as fsopen" },
	{ "fspick", EPERM, "as fsopen" },
	{ "open_tree", EPERM, "as fsopen" },
	{ "move_mount", EPERM, "as fsopen" },
	{ "mount_setattr", EPERM, "could make read-only mounts writable" },
	{ "ptrace", EPERM, "reads and writes other processes' memory; old kernels let it cross namespaces" },
	{ "process_vm_readv", EPERM, "as ptrace" },
	{ "process_vm_writev", EPERM, "as ptrace" },
	{ "bpf", EPERM, "programs run inside the shared kernel; a rich source of kernel exploits" },
	{ "perf_event_open", EPERM, "observes the whole machine; kernel address leaks" },
	{ "userfaultfd", EPERM, "stalls kernel page faults at will: a standard exploit helper" },
	{ "syslog", EPERM, "the host kernel's log and its addresses" },
	{ "acct", EPERM, "process accounting is host-wide" },
	{ "swapon", EPERM, "host-wide swap" },
	{ "swapoff", EPERM, "host-wide swap" },
	{ "settimeofday", EPERM, "the clock is not namespaced: it is the host's clock" },
	{ "clock_settime", EPERM, "as settimeofday" },
	{ "clock_adjtime", EPERM, "as settimeofday" },
	{ "quotactl", EPERM, "host file system quotas" },
	{ "iopl", EPERM, "raw I/O ports of the machine" },
	{ "ioperm", EPERM, "raw I/O ports of the machine" },
	{ "lookup_dcookie", EPERM, "kernel profiling internals" },
	{ "vhangup", EPERM, "hangs up the host's terminal" },
	/*
	 * io_uring runs a call's work in kernel threads the filter never sees
	 * (an open or a connect queued in a ring is no system call), and has
	 * been a steady source of kernel exploits: Docker's profile denies it
	 * too. Programs fall back to plain calls on EPERM.
	 */
	{ "io_uring_setup", EPERM, "ring operations bypass this filter; frequent kernel exploits" },
	{ "io_uring_enter", EPERM, "as io_uring_setup" },
	{ "io_uring_register", EPERM, "as io_uring_setup" },
	/* clone3 passes its flags in memory, which seccomp cannot read: ENOSYS makes libc fall back to clone. */
	{ "clone3", ENOSYS, "flags out of reach of the filter; clone is checked instead" },
};

/*
 * Every descriptor the runtime inherited from its caller, other than
 * stdin, stdout and stderr, is closed here, before the first mount: one
 * open on the host's "/" (a shell's "exec 7</") would otherwise let the
 * container read and write host files through /proc/self/fd/7 (runc
 * CVE-2024-21626). Closed, not close-on-exec: PID 1 stays in the container
 * and its /proc/1/fd is open to CMD. The sync channel stays (config).
 */
int close_inherited_fds(const struct config *c)
{
	// BEGIN SOLUTION: close inherited descriptors
	unsigned int keep = c->sync_fd >= 3 ? (unsigned int)c->sync_fd : 2;
	if ((keep > 3 && close_range(3, keep - 1, 0) < 0) || close_range(keep + 1, ~0U, 0) < 0) {
		fail_errno("descriptors", "closing the inherited descriptors (close_range)");
		return -1;
	}
	return 0;
	// STARTER:
	// (void)c;
	// TODO("close_inherited_fds", "lab04 handout, task 5: inherited descriptors");
	// return 0;
	// END SOLUTION
}

int drop_capabilities(void)
{
	// BEGIN SOLUTION: capabilities
	/* The bounding set first: dropping from it needs CAP_SETPCAP, which the sets below keep anyway. */
	for (cap_value_t cap = 0; cap < (cap_value_t)cap_max_bits(); cap++) {
		bool keep = false;
		for (size_t i = 0; i < N_KEPT; i++)
			keep |= kept_caps[i] == cap;
		if (!keep && cap_drop_bound(cap) < 0) {
			fail_errno("capabilities", "dropping capability %d from the bounding set", cap);
			return -1;
		}
	}
	/* One call for the whole ambient set (libcap's cap_reset_ambient asks about each capability first). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		fail_errno("capabilities", "clearing the ambient set");
		return -1;
	}
	cap_t caps = cap_init();
	if (!caps || cap_set_flag(caps, CAP_EFFECTIVE, N_KEPT, kept_caps, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, N_KEPT, kept_caps, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_INHERITABLE, N_KEPT, kept_caps, CAP_SET) < 0 || cap_set_proc(caps) < 0) {
		fail_errno("capabilities", "setting the kept capabilities");
		cap_free(caps);
		return -1;
	}
	cap_free(caps);
	return 0;
	// STARTER:
	// (void)kept_caps;
	// TODO("drop_capabilities", "lab04 handout, task 5: capabilities and seccomp");
	// return 0;
	// END SOLUTION
}

/* Needed before an unprivileged process may install a filter; also keeps setuid binaries inert. */
int set_no_new_privs(void)
{
	// BEGIN SOLUTION: no new privileges
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		fail_errno("no_new_privs", "prctl(PR_SET_NO_NEW_PRIVS)");
		return -1;
	}
	return 0;
	// STARTER:
	// TODO("set_no_new_privs", "lab04 handout, task 5: capabilities and seccomp");
	// return 0;
	// END SOLUTION
}

/*
 * A filter of the deny list, plus three argument checks: no new user
 * namespace through unshare or clone (a user namespace hands its creator
 * every capability again, over the kernel's namespaced code paths), and no
 * setns into one. Calls of other architectures (x32, i386) are killed by
 * libseccomp's default bad-architecture action, so no second ABI slips by.
 * Built by the runtime, written to FD as the kernel's BPF program
 * (seccomp_export_bpf); the container's first process loads it
 * (seccomp_install, below).
 */
int build_seccomp(int fd)
{
	// BEGIN SOLUTION: seccomp filter
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		fail("seccomp", "seccomp_init failed: is the kernel built with CONFIG_SECCOMP_FILTER?");
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof deny_list / sizeof deny_list[0]; i++) {
		int nr = seccomp_syscall_resolve_name(deny_list[i].name);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not a call on this architecture */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(deny_list[i].err), nr, 0);
	}
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(setns), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	/* nstype 0 means "any type", a user namespace included. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(setns), 1, SCMP_A1(SCMP_CMP_EQ, 0));
	if (rc == 0)
		rc = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (rc < 0) {
		errno = -rc;
		fail_errno("seccomp", "building the filter");
		return -1;
	}
	return 0;
	// STARTER:
	// (void)deny_list;
	// (void)fd;
	// TODO("build_seccomp", "lab04 handout, task 5: capabilities and seccomp");
	// return 0;
	// END SOLUTION
}

/* The filters on this thread ("Seccomp_filters:" in proc(5), Linux 5.9 and later), or -1. */
static int seccomp_filters(void)
{
	char buf[4096];
	if (read_text("/proc/thread-self", "status", buf, sizeof buf) < 0)
		return -1;
	const char *p = strstr(buf, "\nSeccomp_filters:");
	return p ? atoi(p + strlen("\nSeccomp_filters:")) : -1;
}

/*
 * The parent builds the filter while the child builds its mounts (main.c):
 * libseccomp's work, most of a millisecond, is then off the container's
 * start. A memfd holds it, sealed once written: what the child loads is
 * what was built.
 */
int seccomp_prepare(void)
{
	int fd = memfd_create("minictr-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		fail_errno("seccomp", "memfd_create for the filter");
		return -1;
	}
	int before = seccomp_filters();
	if (build_seccomp(fd) < 0) {
		close(fd);
		return -1;
	}
	/*
	 * A build_seccomp that loads (seccomp_load) filters the runtime itself
	 * and sends nothing. Counted, not just asked (PR_GET_SECCOMP): the
	 * runtime may run under a filter of its caller's (the grading VM's).
	 */
	if (seccomp_filters() != before) {
		fail("seccomp", "build_seccomp loaded the filter into the runtime: it must export it to its fd "
				"(seccomp_export_bpf, not seccomp_load)");
		close(fd);
		return -1;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		fail_errno("seccomp", "sealing the filter");
		close(fd);
		return -1;
	}
	return fd;
}

/* Load the program in FD into the calling process (seccomp(2), SECCOMP_SET_MODE_FILTER); empty: no filter. */
int seccomp_install(int fd)
{
	static struct sock_filter prog[BPF_MAXINSNS];
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) < 0 || st.st_size < 0 || st.st_size % sizeof prog[0] != 0 ||
	    (size_t)st.st_size > sizeof prog) {
		fail("seccomp", "the filter the runtime built is not a BPF program");
	} else if (st.st_size == 0) {
		rc = 0; /* build_seccomp wrote nothing: its TODO said so */
	} else if (pread(fd, prog, st.st_size, 0) != st.st_size) {
		fail_errno("seccomp", "reading the filter");
	} else {
		struct sock_fprog fprog = { .len = (unsigned short)(st.st_size / sizeof prog[0]), .filter = prog };
		rc = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog);
		if (rc < 0)
			fail_errno("seccomp", "loading the filter (no_new_privs not set?)");
	}
	close(fd);
	return rc;
}

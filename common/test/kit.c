/* kit.c: see kit.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kit.h"

/* Criterion 2.4.1 runs each test in a BoxFort worker that closes every
 * inherited descriptor above 2 before the test starts; the runner, the
 * worker's parent, still holds the grader's descriptors: reach them
 * through /proc. Only a pipe, never a file the runner happens to hold. */
static int parent_pipe(const char *var, int flags)
{
	const char *fd_s = getenv(var);
	if (fd_s == NULL)
		return -1;
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/%d/fd/%d", (int)getppid(), atoi(fd_s));
	int fd = open(proc, flags | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static char pipe_nonce[80];
static int pipe_end = -1;

void kit_begin(void)
{
	if (getenv("KIT_NONCE_FD") == NULL)
		return;
	/* first, so that no child started later can reach this process */
	prctl(PR_SET_DUMPABLE, 0);
	int fd = parent_pipe("KIT_NONCE_FD", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, pipe_nonce, sizeof pipe_nonce - 1) : -1;
	if (fd >= 0)
		close(fd);
	pipe_nonce[n > 0 ? n : 0] = 0;
	pipe_nonce[strcspn(pipe_nonce, "\n")] = 0;
	/* kept open (close-on-exec: the programs the test runs never get it) */
	pipe_end = parent_pipe("KIT_END_FD", O_WRONLY);
}

void kit_reached_end(const char *test)
{
	const char *nonce = pipe_end >= 0 ? pipe_nonce : getenv("KIT_NONCE");
	int end = pipe_end >= 0 ? pipe_end : parent_pipe("KIT_END_FD", O_WRONLY);
	if (end < 0)
		return;
	if (nonce == NULL || !*nonce) {
		if (end != pipe_end)
			close(end);
		return;
	}
	char line[512];
	int n = snprintf(line, sizeof line, "END %s %s\n", test, nonce);
	/* one write(2) per line: lines from parallel workers never interleave */
	if (n > 0 && (size_t)n < sizeof line) {
		ssize_t w = write(end, line, (size_t)n);
		(void)w;
	}
	if (end != pipe_end)
		close(end);
}

const char *kit_root(void)
{
	const char *r = getenv("KIT_ROOT");
	return (r && *r) ? r : ".";
}

const char *kit_path(const char *rel)
{
	static char ring[8][4096];
	static unsigned next;
	char *buf = ring[next++ % 8];
	snprintf(buf, sizeof ring[0], "%s/%s", kit_root(), rel);
	return buf;
}

/* kit.c: see kit.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kit.h"

void kit_reached_end(const char *test)
{
	const char *fd_s = getenv("KIT_END_FD");
	const char *nonce = getenv("KIT_NONCE");
	if (fd_s == NULL || nonce == NULL)
		return;
	int fd = atoi(fd_s);
	char line[512];
	int n = snprintf(line, sizeof line, "END %s %s\n", test, nonce);
	if (n <= 0 || (size_t)n >= sizeof line)
		return;
	/* Criterion 2.4.1 runs each test in a BoxFort worker that closes every
	 * inherited descriptor above 2 before the test starts; the runner, the
	 * worker's parent, still holds KIT_END_FD: reach it through /proc. */
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/%d/fd/%d", (int)getppid(), fd);
	int end = open(proc, O_WRONLY | O_CLOEXEC);
	struct stat st;
	if (end < 0)
		return;
	/* only the grader's pipe, never a file the runner happens to hold */
	if (fstat(end, &st) == 0 && S_ISFIFO(st.st_mode)) {
		/* one write(2) per line: lines from parallel workers never interleave */
		ssize_t w = write(end, line, (size_t)n);
		(void)w;
	}
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

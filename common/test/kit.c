/* kit.c: see kit.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	if (n > 0 && (size_t)n < sizeof line) {
		/* one write(2) per line: lines from parallel workers never interleave */
		ssize_t w = write(fd, line, (size_t)n);
		(void)w;
	}
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

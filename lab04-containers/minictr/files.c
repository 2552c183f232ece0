/*
 * files.c: whole small files in one call, as the kernel's control files
 * (cgroup knobs, /proc/<pid>/uid_map) want them: one write(2) of the whole
 * text, since the kernel acts on each write.
 *
 * Deferred writes: between files_defer(true) and files_defer(false),
 * write_text opens the file at once but keeps the text for
 * files_write_deferred. The container's first process so writes its CPU
 * quota at the last moment before CMD, through files it opened while the
 * host's cgroup tree was still in view (child.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "minictr.h"

/* v1's CPU quota is two files, written in the order given. */
#define MAX_DEFERRED 4
static struct {
	int fd;
	char text[64];
} deferred[MAX_DEFERRED];
static int n_deferred;
static bool deferring;

void files_defer(bool on)
{
	deferring = on;
}

int write_text(const char *dir, const char *file, const char *text)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (deferring && (n_deferred == MAX_DEFERRED || strlen(text) >= sizeof deferred[0].text)) {
		errno = ENOSPC;
		return -1;
	}
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (deferring) {
		deferred[n_deferred].fd = fd;
		strcpy(deferred[n_deferred].text, text);
		n_deferred++;
		return 0;
	}
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

int read_text(const char *dir, const char *file, char *buf, size_t size)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int files_write_deferred(void)
{
	int rc = 0, e = 0;
	for (int i = 0; i < n_deferred; i++) {
		size_t len = strlen(deferred[i].text);
		if (rc == 0 && write(deferred[i].fd, deferred[i].text, len) != (ssize_t)len) {
			e = errno;
			rc = -1;
		}
		close(deferred[i].fd);
	}
	n_deferred = 0;
	errno = e;
	return rc;
}

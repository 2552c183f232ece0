/* tree.c: file lists, copies and temporary trees. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "grader.h"

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "grader: out of memory\n");
		exit(2);
	}
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "grader: out of memory\n");
		exit(2);
	}
	return s;
}

void filelist_add(struct filelist *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = xstrdup(s);
}

void filelist_free(struct filelist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

bool filelist_has(const struct filelist *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *root, const char *rel, struct filelist *out)
{
	char *dir = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(dir);
	free(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *r = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		if (!strcmp(r, "build") || !strcmp(e->d_name, ".git")) {
			free(r);
			continue;
		}
		char *full = xasprintf("%s/%s", root, r);
		struct stat st;
		if (lstat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				walk(root, r, out);
			else if (S_ISREG(st.st_mode))
				filelist_add(out, r);
		}
		free(full);
		free(r);
	}
	closedir(d);
}

/* git ls-files through a pipe: -z so that no file name is misread. */
static int git_files(const char *root, struct filelist *out)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(fd[1], 1);
		dup2(null, 2);
		close(fd[0]);
		execlp("git", "git", "-C", root, "ls-files", "-z", "--cached", "--others",
		       "--exclude-standard", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	size_t len = 0, cap = 0;
	char *buf = NULL;
	for (;;) {
		if (len + 4096 > cap)
			buf = xrealloc(buf, cap = cap ? 2 * cap : 65536);
		ssize_t n = read(fd[0], buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || len == 0) {
		free(buf);
		return -1;
	}
	for (size_t i = 0; i < len;) {
		const char *name = buf + i;
		size_t n = strnlen(name, len - i);
		if (n && strncmp(name, "build/", 6) != 0) {
			char *full = xasprintf("%s/%s", root, name);
			/* a file deleted in the work tree is still in git's index */
			if (is_regular(full))
				filelist_add(out, name);
			free(full);
		}
		i += n + 1;
	}
	free(buf);
	return 0;
}

int kit_files(const char *root, struct filelist *out)
{
	char *git = xasprintf("%s/.git", root);
	struct stat st;
	bool checkout = stat(git, &st) == 0;
	free(git);
	if (!checkout || git_files(root, out) < 0) {
		filelist_free(out);
		walk(root, "", out);
	}
	qsort(out->v, out->n, sizeof *out->v, cmp_str);
	return out->n ? 0 : -1;
}

char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t n = 0, cap = 4096;
	char *buf = xrealloc(NULL, cap);
	for (;;) {
		if (n + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

int mkdirs_for(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

int write_file(const char *path, const char *data, size_t len, int mode)
{
	if (mkdirs_for(path) < 0)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += w;
	}
	return close(fd);
}

int copy_file(const char *src, const char *dst)
{
	struct stat st;
	if (stat(src, &st) < 0)
		return -1;
	size_t len;
	char *data = read_file(src, &len);
	if (!data)
		return -1;
	int r = write_file(dst, data, len, (st.st_mode & 0111) ? 0755 : 0644);
	free(data);
	return r;
}

bool is_regular(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

static int unlock_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

int remove_tree(const char *path)
{
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) == 0)
		return 0;
	/* a build may leave directories without write permission */
	nftw(path, unlock_one, 32, FTW_PHYS);
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

bool dir_is_empty_or_absent(const char *path, bool *exists)
{
	struct stat st;
	*exists = lstat(path, &st) == 0;
	if (!*exists)
		return true;
	if (!S_ISDIR(st.st_mode))
		return false;
	DIR *d = opendir(path);
	if (!d)
		return false;
	struct dirent *e;
	bool empty = true;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

/*
 * A student file rel of a submission (or of dist's BASE), read by the grader (root, outside
 * any sandbox): only a regular file, and no symbolic link on any component
 * of its path, so that a submission whose lab01-trap-emulate/vmm is a link
 * to the kit's own vmm/ (or another lab's directory) cannot hand the
 * reference in as its own. Each directory is opened with O_NOFOLLOW
 * (open(2): "If the trailing component ... is a symbolic link, then the
 * open fails"), one component at a time. *kind on failure: 0 absent,
 * 1 too large, 2 not a regular file or a link on the path.
 */
char *read_beneath(const char *submission, const char *rel, size_t *len, int *kind)
{
	*kind = 0;
	int dir = open(submission, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *path = xstrdup(rel), *name = path;
	char *data = NULL;
	for (char *slash; dir >= 0 && (slash = strchr(name, '/'));) {
		*slash = 0;
		int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 && (errno == ELOOP || errno == ENOTDIR))
			*kind = 2;
		close(dir);
		dir = sub;
		name = slash + 1;
	}
	/* O_NONBLOCK: a FIFO must not stop the grader before fstat refuses it */
	int fd = dir >= 0 ? openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
	if (dir >= 0 && fd < 0 && errno == ELOOP)
		*kind = 2;
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			*kind = 2;
		else if (st.st_size > STUDENT_FILE_MAX)
			*kind = 1;
		else {
			/* no more than the limit, should the file grow meanwhile */
			data = xrealloc(NULL, STUDENT_FILE_MAX + 1);
			size_t n = 0;
			ssize_t r;
			while (n < STUDENT_FILE_MAX && ((r = read(fd, data + n, STUDENT_FILE_MAX - n)) > 0 ||
							 (r < 0 && errno == EINTR)))
				n += r > 0 ? (size_t)r : 0;
			data[n] = 0;
			*len = n;
		}
	}
	if (fd >= 0)
		close(fd);
	if (dir >= 0)
		close(dir);
	free(path);
	return data;
}

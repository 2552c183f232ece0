/*
 * build.c: the private build tree. The kit's own files, then only the
 * manifest's student files from the submission, so a submission cannot
 * change tests, Makefiles or common/. Built once with make under a limit.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "grader.h"

#define STUDENT_FILE_MAX (1 << 20)

static void note(char **notes, const char *s)
{
	char *n = xasprintf("%s%s\n", *notes ? *notes : "", s);
	free(*notes);
	*notes = n;
}

int tree_assemble(const struct manifest *m, const char *kit, const char *submission, const char *tree,
		  struct build *b)
{
	struct filelist files = { 0 };
	if (kit_files(kit, &files) < 0) {
		fprintf(stderr, "grader: no files found in the kit at %s\n", kit);
		return -1;
	}
	for (int i = 0; i < files.n; i++) {
		char *src = xasprintf("%s/%s", kit, files.v[i]);
		char *dst = xasprintf("%s/%s", tree, files.v[i]);
		int r = copy_file(src, dst);
		if (r < 0)
			fprintf(stderr, "grader: cannot copy %s to %s: %s\n", src, dst, strerror(errno));
		free(src);
		free(dst);
		if (r < 0) {
			filelist_free(&files);
			return -1;
		}
	}
	filelist_free(&files);
	for (int i = 0; i < m->nstudent; i++) {
		const char *rel = m->student[i];
		char *src = xasprintf("%s/%s", submission, rel);
		char *dst = xasprintf("%s/%s", tree, rel);
		struct stat st;
		size_t len = 0;
		char *data = NULL;
		/* a regular file only: a symbolic link could name the reference */
		if (lstat(src, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= STUDENT_FILE_MAX)
			data = read_file(src, &len);
		if (!data) {
			char *s;
			if (lstat(src, &st) == 0 && S_ISREG(st.st_mode))
				s = xasprintf("%s: larger than %d bytes: graded as absent (the starter's version)", rel,
					      STUDENT_FILE_MAX);
			else if (lstat(src, &st) == 0)
				s = xasprintf("%s: not a regular file in the submission: graded as absent (the starter's version)", rel);
			else
				s = xasprintf("%s: absent from the submission: graded with the starter's version", rel);
			note(&b->notes, s);
			free(s);
			data = starter_of(kit, rel, &len);
			if (!data) {
				fprintf(stderr, "grader: cannot make the starter of %s\n", rel);
				free(src);
				free(dst);
				return -1;
			}
		}
		int r = write_file(dst, data, len, 0644);
		free(data);
		free(src);
		free(dst);
		if (r < 0)
			return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The lines of the build log a student needs: compiler diagnostics and
 * make's own errors, at most 40 of them. */
static char *error_lines(const char *log)
{
	char *text = read_file(log, NULL);
	if (!text)
		return xstrdup("(no build log)\n");
	char *out = xstrdup("");
	int kept = 0;
	for (char *l = text, *next; l && *l && kept < 40; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		if (strstr(l, "error:") || strstr(l, "*** ") || strstr(l, "undefined reference") ||
		    strstr(l, "note:") || strstr(l, "warning:") || strstr(l, "In function")) {
			char *o = xasprintf("%s%s\n", out, l);
			free(out);
			out = o;
			kept++;
		}
	}
	free(text);
	return out;
}

int tree_build(const struct manifest *m, const char *tree, const char *log, int jobs, struct build *b)
{
	char *target = xasprintf("%s-tests", m->lab);
	char *j = xasprintf("-j%d", jobs);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	/* the compiler reads student code: the build is sandboxed too (the
	 * kit, and so the reference solution, hidden; no network) */
	struct sandbox sb;
	sandbox_prepare(&sb, m, tree, true, NULL, grader_hide, m->build_timeout);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		/* make's variables from `make grade` must not leak into this build */
		unsetenv("MAKEFLAGS");
		unsetenv("MFLAGS");
		unsetenv("MAKELEVEL");
		unsetenv("MAKEOVERRIDES");
		if (sandbox_enter(&sb) != 0)
			_exit(SANDBOX_FAILED);
		execlp("make", "make", "--no-print-directory", "-C", tree, j, target, (char *)NULL);
		_exit(127);
	}
	close(fd);
	free(j);
	if (pid < 0) {
		free(target);
		return -1;
	}
	setpgid(pid, pid);
	children_add(pid);
	double deadline = now() + m->build_timeout;
	int st = 0;
	bool timed_out = false;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		if (grader_interrupted || now() > deadline) {
			timed_out = !grader_interrupted;
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			break;
		}
		usleep(50000);
	}
	kill(-pid, SIGKILL);
	children_remove(pid);
	b->ok = !timed_out && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	if (!b->ok) {
		char *lines = error_lines(log);
		char *raw = WIFEXITED(st) && WEXITSTATUS(st) == SANDBOX_FAILED ? read_file(log, NULL) : NULL;
		if (raw) {
			char *t = xasprintf("the grader could not set up the build's sandbox: %s", raw);
			free(lines);
			free(raw);
			lines = t;
		}
		b->log_excerpt = timed_out ? xasprintf("make %s: build time limit (%d s) exceeded\n%s", target,
						       m->build_timeout, lines)
					   : xasprintf("make %s failed:\n%s", target, lines);
		free(lines);
	}
	free(target);
	return 0;
}

/* "<bin> --list": "suite: N tests" then one "|-- name" / "`-- name" per test
 * (--ascii) or the same with box-drawing characters. */
/* `<bin> --list` runs student-built code: in the sandbox, under limits */
static struct filelist list_tests(const struct manifest *m, const char *bin, const char *tree)
{
	struct filelist l = { 0 };
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return l;
	struct sandbox sb;
	sandbox_prepare(&sb, m, tree, false, NULL, grader_hide, 20);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (sandbox_enter(&sb) != 0)
			_exit(SANDBOX_FAILED);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(null, 2);
		if (chdir(tree) < 0)
			_exit(126);
		execl(bin, bin, "--list", "--ascii", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return l;
	}
	children_add(pid);
	char *buf = NULL;
	size_t len = 0, cap = 0;
	double deadline = now() + 20;
	for (;;) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		if (now() > deadline || poll(&pf, 1, 200) < 0)
			break;
		if (!(pf.revents & (POLLIN | POLLHUP)))
			continue;
		if (len + 4096 > cap)
			buf = xrealloc(buf, cap = cap ? cap * 2 : 16384);
		ssize_t n = read(p[0], buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += n;
		if (len > (1 << 22))
			break;
	}
	close(p[0]);
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
	children_remove(pid);
	if (!buf)
		return l;
	buf[len] = 0;
	char suite[256] = "";
	for (char *s = buf, *next; s && *s; s = next) {
		next = strchr(s, '\n');
		if (next)
			*next++ = 0;
		char *c = strstr(s, ": ");
		if (s[0] != ' ' && s[0] != '|' && s[0] != '`' && (unsigned char)s[0] < 0x80 && c &&
		    strstr(c, " test")) {
			size_t n = c - s < 255 ? (size_t)(c - s) : 255;
			memcpy(suite, s, n);
			suite[n] = 0;
			continue;
		}
		/* the test name follows the last "-- " or "\u2500 " */
		char *t = NULL;
		for (char *q = s; (q = strstr(q, "\xe2\x94\x80 ")) != NULL; q += 4)
			t = q + 4;
		for (char *q = s; (q = strstr(q, "-- ")) != NULL; q += 3)
			t = q + 3;
		if (t && suite[0]) {
			char *id = xasprintf("%s::%s", suite, t);
			filelist_add(&l, id);
			free(id);
		}
	}
	free(buf);
	return l;
}

int tree_check_tests(const struct manifest *m, const char *tree, bool build_ok)
{
	int errors = 0;
	for (int i = 0; i < m->ntests; i++) {
		const struct mtest *t = &m->tests[i];
		bool seen = false;
		for (int k = 0; k < i; k++)
			if (!strcmp(m->tests[k].bin, t->bin))
				seen = true;
		if (seen)
			continue;
		char *bin = xasprintf("%s/build/%s", tree, t->bin);
		if (access(bin, X_OK) < 0) {
			if (build_ok) {
				fprintf(stderr, "%s:%d: test binary build/%s does not exist after 'make %s-tests'\n", m->path,
					t->line, t->bin, m->lab);
				errors++;
			}
			free(bin);
			continue;
		}
		struct filelist l = list_tests(m, bin, tree);
		for (int k = i; k < m->ntests; k++) {
			if (strcmp(m->tests[k].bin, t->bin))
				continue;
			if (!filelist_has(&l, m->tests[k].id)) {
				fprintf(stderr, "%s:%d: build/%s does not list a test %s ('%s --list' shows %d tests)\n",
					m->path, m->tests[k].line, t->bin, m->tests[k].id, t->bin, l.n);
				errors++;
			}
		}
		filelist_free(&l);
		free(bin);
	}
	return errors;
}

/* Reads one C string literal (adjacent literals joined) at s. */
static char *c_string(const char *s)
{
	char *out = xstrdup("");
	size_t n = 0;
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s != '"')
			break;
		for (s++; *s && *s != '"'; s++) {
			char c = *s;
			if (c == '\\' && s[1]) {
				s++;
				c = *s == 'n' ? ' ' : *s == 't' ? ' ' : *s;
			}
			out = xrealloc(out, n + 2);
			out[n++] = c;
			out[n] = 0;
		}
		if (*s == '"')
			s++;
	}
	return out;
}

/* A test defined through a helper macro, GROUP_TEST(name, "sentence"): the
 * first '(name, "' in the binary's own source, <...>/tests/<binary>.c. */
static char *macro_description(const struct filelist *files, const char *root, const char *bin, const char *name)
{
	const char *base = strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin;
	char *src = xasprintf("/%s.c", base);
	char *want = xasprintf("(%s,", name);
	char *found = NULL;
	for (int i = 0; i < files->n && !found; i++) {
		size_t fl = strlen(files->v[i]), sl = strlen(src);
		if (fl < sl || strcmp(files->v[i] + fl - sl, src))
			continue;
		char *path = xasprintf("%s/%s", root, files->v[i]);
		char *text = read_file(path, NULL);
		free(path);
		for (char *at = text; at && (at = strstr(at, want)) && !found; at++) {
			char *q = at + strlen(want);
			while (isspace((unsigned char)*q))
				q++;
			if (*q == '"')
				found = c_string(q);
		}
		free(text);
	}
	free(src);
	free(want);
	return found;
}

char *find_description(const struct filelist *files, const char *root, const char *bin, const char *suite,
		       const char *name)
{
	char *want = xasprintf("KIT_TEST(%s, %s,", suite, name);
	char *found = NULL;
	for (int i = 0; i < files->n && !found; i++) {
		const char *f = files->v[i];
		size_t fl = strlen(f);
		if (fl < 2 || strcmp(f + fl - 2, ".c"))
			continue;
		char *path = xasprintf("%s/%s", root, f);
		char *text = read_file(path, NULL);
		free(path);
		if (!text)
			continue;
		char *at = strstr(text, want);
		if (at) {
			char *d = strstr(at, ".description");
			char *close = strchr(at, '{');
			if (d && (!close || d < close)) {
				d = strchr(d, '=');
				if (d)
					found = c_string(d + 1);
			}
		}
		free(text);
	}
	free(want);
	return found ? found : macro_description(files, root, bin, name);
}

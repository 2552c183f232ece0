/*
 * build.c: the private build tree. The lab's starter tree (what dist
 * writes) and its hidden tests, then only the manifest's student files
 * from the submission, so a submission cannot change tests, Makefiles or
 * common/, and no reference solution is there to read. Built once with
 * make under a limit, in a fixed environment (env.c).
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

static void note(char **notes, const char *s)
{
	char *n = xasprintf("%s%s\n", *notes ? *notes : "", s);
	free(*notes);
	*notes = n;
}

/* The kit-relative path of the manifest, if it lies inside the kit. */
static char *manifest_rel(const struct manifest *m, const char *kit)
{
	char *abs = realpath(m->path, NULL);
	size_t kl = strlen(kit);
	char *rel = NULL;
	if (abs && !strncmp(abs, kit, kl) && abs[kl] == '/')
		rel = xstrdup(abs + kl + 1);
	free(abs);
	return rel;
}

/*
 * The grading tree is the lab's starter tree (what `make dist` writes
 * without BASE: dist_wanted() chooses the files; the solution regions of
 * the labs the manifest `uses` are solved, every other region is its
 * starter: labs.c) plus the lab's private files (the hidden tests'
 * sources, which dist leaves out), then the submission's student files
 * over it, those of a used lab included when the manifest lists them. So
 * it holds no other lab's directory (but those the manifest `uses`) and no
 * reference solution but the used labs' (which the student's starter tree
 * holds too): an `#include` or `.incbin` of one, by any path, finds
 * nothing (the kit itself is hidden by the sandbox).
 */
int tree_assemble(const struct manifest *m, const char *kit, const char *submission, const char *tree,
		  struct build *b)
{
	struct labset ls;
	if (labset_load(&ls, m, kit)) {
		labset_free(&ls);
		return -1;
	}
	struct filelist files = { 0 }, labs = { 0 };
	if (kit_files(kit, &files) < 0) {
		fprintf(stderr, "grader: no files found in the kit at %s\n", kit);
		labset_free(&ls);
		return -1;
	}
	lab_sequence(kit, &labs);
	char *mrel = manifest_rel(m, kit);
	int rc = 0;
	for (int i = 0; i < files.n && rc == 0; i++) {
		const char *f = files.v[i];
		bool hidden_src = false;
		for (int k = 0; k < m->nprivate; k++)
			hidden_src |= !strcmp(f, m->private_files[k]);
		if (!hidden_src && !dist_wanted(m, mrel, &labs, &ls, f))
			continue;
		char *src = xasprintf("%s/%s", kit, f);
		char *dst = xasprintf("%s/%s", tree, f);
		struct stat st;
		size_t len = 0;
		char *data = NULL;
		if ((mrel && !strcmp(f, mrel)) || filelist_has(&ls.used_manifests, f)) {
			data = manifest_public_text(src);
			len = data ? strlen(data) : 0;
		} else {
			data = labset_text(&ls, kit, f, &len);
		}
		if (!data || stat(src, &st) < 0 || write_file(dst, data, len, (st.st_mode & 0111) ? 0755 : 0644) < 0) {
			fprintf(stderr, "grader: cannot put %s in the grading tree at %s: %s\n", f, dst,
				data ? strerror(errno) : "unreadable, or bad solution markers");
			rc = -1;
		}
		free(data);
		free(src);
		free(dst);
	}
	free(mrel);
	filelist_free(&files);
	filelist_free(&labs);
	/*
	 * The kit's own build products the manifest names (`prebuilt`), with a
	 * marker next to each that tells the lab's make rules to take it as
	 * it is: built once in the kit (make grade builds it first), not once
	 * per submission. They hold no student code (lab02's Linux and init).
	 */
	for (int i = 0; i < m->nprebuilt && rc == 0; i++) {
		char *src = xasprintf("%s/%s", kit, m->prebuilt[i]);
		char *dst = xasprintf("%s/%s", tree, m->prebuilt[i]);
		char *mark = xasprintf("%s.prebuilt", dst);
		if (mkdirs_for(dst) < 0 || copy_file(src, dst) < 0 || write_file(mark, "", 0, 0644) < 0) {
			fprintf(stderr, "grader: cannot copy the kit's %s into the grading tree (build it: make %s)\n",
				m->prebuilt[i], m->prebuilt[i]);
			rc = -1;
		}
		free(src);
		free(dst);
		free(mark);
	}
	for (int i = 0; i < m->nstudent && rc == 0; i++) {
		const char *rel = m->student[i];
		char *dst = xasprintf("%s/%s", tree, rel);
		size_t len = 0;
		int kind = 0;
		char *data = read_beneath(submission, rel, &len, &kind);
		if (!data) {
			char *s;
			if (kind == 1)
				s = xasprintf("%s: larger than %d bytes: graded as absent (the starter's version)", rel,
					      STUDENT_FILE_MAX);
			else if (kind == 2)
				s = xasprintf("%s: not a regular file in the submission, or a symbolic link on its path: "
					      "graded as absent (the starter's version)", rel);
			else
				s = xasprintf("%s: absent from the submission: graded with the starter's version", rel);
			note(&b->notes, s);
			free(s);
			/* the starter tree's version: a used lab's file solved */
			data = labset_text(&ls, kit, rel, &len);
			if (!data) {
				fprintf(stderr, "grader: cannot make the starter of %s\n", rel);
				rc = -1;
			}
		}
		if (data && write_file(dst, data, len, 0644) < 0)
			rc = -1;
		free(data);
		free(dst);
	}
	labset_free(&ls);
	return rc;
}

/* The starter tree's version of kit file rel (what a student file refused
 * by the call check is graded as); NULL on error. */
char *tree_version(const struct manifest *m, const char *kit, const char *rel, size_t *len)
{
	struct labset ls;
	char *data = labset_load(&ls, m, kit) ? NULL : labset_text(&ls, kit, rel, len);
	labset_free(&ls);
	return data;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What a build log line must hold to be shown: the compiler's and the
 * linker's diagnostics, their fatal ends (a compiler that ran out of memory
 * under the `memory` limit says so only in its own words: "cc1: out of
 * memory allocating ...", "virtual memory exhausted", "Killed signal
 * terminated program cc1"), and make's own errors. */
static const char *const build_error_marks[] = {
	"error:", "*** ", "undefined reference", "note:", "warning:", "In function", "out of memory",
	"memory exhausted", "Cannot allocate memory", "cannot allocate memory", "Killed", "terminated program",
	"internal compiler error", "Segmentation fault", "ld: ", "ld returned", "Assembler messages",
};

/* The lines of the build log a student needs, at most 40 of them; the
 * compiler's fatal lines are kept even when 40 others came first. */
static char *error_lines(const char *log, int memory_mb)
{
	char *text = read_file(log, NULL);
	if (!text)
		return xstrdup("(no build log)\n");
	char *out = xstrdup("");
	int kept = 0;
	bool oom = false;
	for (char *l = text, *next; l && *l; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		bool show = false;
		for (size_t k = 0; k < sizeof build_error_marks / sizeof *build_error_marks && !show; k++)
			show = strstr(l, build_error_marks[k]) != NULL;
		bool fatal = strstr(l, "out of memory") || strstr(l, "memory exhausted") ||
			     strstr(l, "annot allocate memory") || strstr(l, "Killed signal") ||
			     strstr(l, "internal compiler error");
		oom |= fatal && !strstr(l, "internal compiler error");
		if (show && (kept < 40 || (fatal && kept < 50))) {
			char *o = xasprintf("%s%s\n", out, l);
			free(out);
			out = o;
			kept++;
		}
	}
	free(text);
	if (oom) {
		char *o = xasprintf("%sthe compiler ran out of memory: the build has the manifest's memory limit, %d MiB "
				    "of address space per process; look for a huge initializer or macro expansion\n",
				    out, memory_mb);
		free(out);
		out = o;
	}
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
	/* a fixed environment (env.c): nothing of the instructor's, and none
	 * of `make grade`'s own make variables, reaches this build */
	char **env = env_fixed(tree, "/tmp", NULL);
	pid_t pid = children_fork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		/* nor any descriptor the grader inherited (make's jobserver) */
		close_range(3, ~0U, 0);
		if (sandbox_enter(&sb) != 0)
			_exit(SANDBOX_FAILED);
		extern char **environ;
		environ = env;
		execvp("make", (char *[]){ "make", "--no-print-directory", "-C", (char *)tree, j, target, NULL });
		_exit(127);
	}
	close(fd);
	free(j);
	env_free(env);
	if (pid < 0) {
		free(target);
		return -1;
	}
	setpgid(pid, pid);
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
		char *lines = error_lines(log, m->memory_mb);
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
	char *root = xasprintf("KIT_ROOT=%s", tree);
	struct sandbox sb;
	sandbox_prepare(&sb, m, tree, false, NULL, grader_hide, 20);
	const char *extra[] = { root, NULL };
	char **env = env_fixed("/tmp", "/tmp", extra);
	pid_t pid = children_fork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(null, 2);
		close_range(3, ~0U, 0);
		if (sandbox_enter(&sb) != 0)
			_exit(SANDBOX_FAILED);
		if (chdir(tree) < 0)
			_exit(126);
		execve(bin, (char *[]){ (char *)bin, "--list", "--ascii", NULL }, env);
		_exit(127);
	}
	env_free(env);
	free(root);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return l;
	}
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

/*
 * manifest.c: labs/<lab>.manifest, as common/README.md ("Manifests") fixes
 * it, plus two directives of the grader's own (grader/README.md):
 *   private        <kit file>   left out of the student tree (hidden tests)
 *   build-timeout  <seconds>    limit for `make <lab>-tests`
 *   sandbox        isolated|privileged|vm
 *   memory <MiB>, processes <n>, file-size <MiB>, output <KiB>   limits
 *   student-calls  <symbol>...  what a student object may call (checked)
 *   uses           <dir>        another lab's directory this lab builds on
 *   prebuilt       <build/path> a product of the kit's own build (no student
 *                               code in it: lab02's Linux), copied into every
 *                               grading tree instead of built in each
 * Every problem is one "file:line: message" line, all found before
 * anything is built or run.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "grader.h"

static const char *const vis_names[] = { "visible", "hidden", "after_due_date", "after_published" };

const char *visibility_name(enum visibility v)
{
	return vis_names[v];
}

static int split(char *line, char **tok, int max)
{
	int n = 0;
	for (char *s = line; *s;) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		if (n == max)
			return max + 1;
		tok[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

/* strictly a decimal number in [lo, hi] */
static bool number(const char *s, int lo, int hi, int *out)
{
	if (!*s)
		return false;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) || v > 1000000)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

static bool ident(const char *s, size_t n)
{
	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* a kit-relative path that stays inside the kit */
static bool safe_rel(const char *p)
{
	if (!*p || p[0] == '/' || strstr(p, "//"))
		return false;
	for (const char *s = p; *s;) {
		const char *e = strchrnul(s, '/');
		if ((e - s == 2 && s[0] == '.' && s[1] == '.') || (e - s == 1 && s[0] == '.'))
			return false;
		s = *e ? e + 1 : e;
	}
	return true;
}

#define ERR(...)                                                             \
	do {                                                                 \
		fprintf(stderr, "%s:%d: ", path, ln);                        \
		fprintf(stderr, __VA_ARGS__);                                \
		fputc('\n', stderr);                                         \
		errors++;                                                    \
	} while (0)

static bool in_kit(const char *kit, const char *rel, bool dir)
{
	char *full = xasprintf("%s/%s", kit, rel);
	struct stat st;
	bool ok = lstat(full, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
	free(full);
	return ok;
}

static int parse_test(const char *path, int ln, char **tok, int n, struct manifest *m, int *test_timeout_unset)
{
	int errors = 0;
	struct mtest t = { .line = ln, .seconds = -1 };
	if (n < 4) {
		ERR("test needs: test <binary under build/> <suite>::<name> <points> [<seconds>] <visibility> [free]");
		return errors;
	}
	if (!safe_rel(tok[1]))
		ERR("test binary '%s' must be a relative path under build/", tok[1]);
	const char *sep = strstr(tok[2], "::");
	if (!sep || !ident(tok[2], sep - tok[2]) || !ident(sep + 2, strlen(sep + 2)))
		ERR("test name '%s' must be <suite>::<name> (C identifiers)", tok[2]);
	int i = 3;
	if (!number(tok[i], 0, 1000, &t.points)) {
		ERR("missing points for %s: expected a whole number, got '%s'", tok[2], tok[i]);
		return errors;
	}
	i++;
	if (i < n && isdigit((unsigned char)tok[i][0])) {
		if (!number(tok[i], 1, 3600, &t.seconds))
			ERR("time limit '%s' must be 1 to 3600 seconds", tok[i]);
		i++;
	} else {
		(*test_timeout_unset)++;
	}
	if (i >= n) {
		ERR("missing visibility for %s (visible, hidden, after_due_date, after_published)", tok[2]);
		return errors;
	}
	bool vis_ok = false;
	for (int v = 0; v < 4; v++)
		if (!strcmp(tok[i], vis_names[v])) {
			t.vis = v;
			vis_ok = true;
		}
	if (!vis_ok)
		ERR("unknown visibility '%s' (visible, hidden, after_due_date, after_published)", tok[i]);
	for (i++; i < n; i++) {
		if (!strcmp(tok[i], "free"))
			t.free = true;
		else
			ERR("unexpected '%s' after the visibility (only 'free' may follow)", tok[i]);
	}
	if (errors || !sep)
		return errors;
	for (int k = 0; k < m->ntests; k++)
		if (!strcmp(m->tests[k].id, tok[2]))
			ERR("duplicate test name %s (first at line %d)", tok[2], m->tests[k].line);
	t.bin = xstrdup(tok[1]);
	t.id = xstrdup(tok[2]);
	t.suite = xstrdup(tok[2]);
	t.suite[sep - tok[2]] = 0;
	t.name = xstrdup(sep + 2);
	m->tests = xrealloc(m->tests, (m->ntests + 1) * sizeof *m->tests);
	m->tests[m->ntests++] = t;
	return errors;
}

static int set_once(const char *path, int ln, char **field, const char *name, const char *val)
{
	int errors = 0;
	if (*field)
		ERR("'%s' given twice", name);
	else
		*field = xstrdup(val);
	return errors;
}

int manifest_load(const char *path, const char *kit, struct manifest *m)
{
	memset(m, 0, sizeof *m);
	m->path = xstrdup(path);
	m->timeout = 60;
	m->build_timeout = 600;
	m->memory_mb = 4096;
	m->processes = 256;
	m->file_size_mb = 64;
	m->output_kb = 1024;
	int errors = 0, ln = 0, unset = 0;
	char *text = read_file(path, NULL);
	if (!text) {
		fprintf(stderr, "%s: cannot read the manifest\n", path);
		return 1;
	}
	bool timeout_seen = false;
	for (char *line = text, *next; line; line = next) {
		ln++;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *tok[16];
		int n = split(line, tok, 15);
		if (n == 0)
			continue;
		if (n > 15) {
			ERR("too many words");
			continue;
		}
		const char *d = tok[0];
		if (!strcmp(d, "test")) {
			errors += parse_test(path, ln, tok, n, m, &unset);
			continue;
		}
		if (!strcmp(d, "student-calls")) {
			m->check_calls = true;
			for (int k = 1; k < n; k++) {
				if (!ident(tok[k], strlen(tok[k])))
					ERR("student-calls: '%s' is not a C identifier", tok[k]);
				m->calls = xrealloc(m->calls, (m->ncalls + 1) * sizeof *m->calls);
				m->calls[m->ncalls++] = xstrdup(tok[k]);
			}
			continue;
		}
		bool known = !strcmp(d, "lab") || !strcmp(d, "dir") || !strcmp(d, "title") || !strcmp(d, "handout") ||
			     !strcmp(d, "student") || !strcmp(d, "private") || !strcmp(d, "timeout") ||
			     !strcmp(d, "build-timeout") || !strcmp(d, "sandbox") || !strcmp(d, "memory") ||
			     !strcmp(d, "processes") || !strcmp(d, "file-size") || !strcmp(d, "output") ||
			     !strcmp(d, "uses") || !strcmp(d, "prebuilt");
		if (!known) {
			ERR("unknown directive '%s' (lab, dir, title, handout, student, private, timeout, build-timeout, "
			    "sandbox, memory, processes, file-size, output, student-calls, uses, prebuilt, test)", d);
			continue;
		}
		if (strcmp(d, "title") && n != 2) {
			ERR("'%s' takes exactly one value", d);
			continue;
		}
		if (n < 2) {
			ERR("'title' needs a value");
			continue;
		}
		if (!strcmp(d, "lab")) {
			if (!ident(tok[1], strlen(tok[1])))
				ERR("lab name '%s' must be a C identifier (lab01)", tok[1]);
			errors += set_once(path, ln, &m->lab, d, tok[1]);
		} else if (!strcmp(d, "dir") || !strcmp(d, "handout")) {
			bool ok = safe_rel(tok[1]);
			if (!ok)
				ERR("'%s' must be a relative path inside the kit", tok[1]);
			else if (!strcmp(d, "dir") && !in_kit(kit, tok[1], true))
				ERR("lab directory '%s' does not exist in the kit", tok[1]);
			errors += set_once(path, ln, !strcmp(d, "dir") ? &m->dir : &m->handout, d, tok[1]);
		} else if (!strcmp(d, "uses")) {
			/* the grading tree (and the starter) also hold that directory,
			 * its lab's solution regions solved (labs.c) */
			if (!safe_rel(tok[1]))
				ERR("'%s' must be a relative path inside the kit", tok[1]);
			else if (!in_kit(kit, tok[1], true))
				ERR("uses: directory '%s' does not exist in the kit", tok[1]);
			else {
				m->uses = xrealloc(m->uses, (m->nuses + 1) * sizeof *m->uses);
				m->uses[m->nuses++] = xstrdup(tok[1]);
			}
		} else if (!strcmp(d, "prebuilt")) {
			/* checked to exist when a tree is made (the kit builds it first) */
			if (!safe_rel(tok[1]) || strncmp(tok[1], "build/", 6))
				ERR("prebuilt: '%s' must be a relative path under build/", tok[1]);
			else {
				m->prebuilt = xrealloc(m->prebuilt, (m->nprebuilt + 1) * sizeof *m->prebuilt);
				m->prebuilt[m->nprebuilt++] = xstrdup(tok[1]);
			}
		} else if (!strcmp(d, "title")) {
			/* the title is the rest of the line, words joined by one space */
			char *t = xstrdup(tok[1]);
			for (int k = 2; k < n; k++) {
				char *u = xasprintf("%s %s", t, tok[k]);
				free(t);
				t = u;
			}
			errors += set_once(path, ln, &m->title, d, t);
			free(t);
		} else if (!strcmp(d, "student") || !strcmp(d, "private")) {
			bool student = !strcmp(d, "student");
			char ***v = student ? &m->student : &m->private_files;
			int *cnt = student ? &m->nstudent : &m->nprivate;
			if (!safe_rel(tok[1])) {
				ERR("'%s' must be a relative path inside the kit", tok[1]);
				continue;
			}
			if (!in_kit(kit, tok[1], false))
				ERR("%s file '%s' does not exist in the kit", d, tok[1]);
			for (int k = 0; k < m->nstudent; k++)
				if (!strcmp(m->student[k], tok[1]))
					ERR("'%s' is already a student file", tok[1]);
			for (int k = 0; k < m->nprivate; k++)
				if (!strcmp(m->private_files[k], tok[1]))
					ERR("'%s' is already a private file", tok[1]);
			*v = xrealloc(*v, (*cnt + 1) * sizeof **v);
			(*v)[(*cnt)++] = xstrdup(tok[1]);
		} else if (!strcmp(d, "timeout")) {
			if (timeout_seen)
				ERR("'timeout' given twice");
			if (!number(tok[1], 1, 3600, &m->timeout))
				ERR("timeout '%s' must be 1 to 3600 seconds", tok[1]);
			timeout_seen = true;
		} else if (!strcmp(d, "build-timeout")) {
			if (!number(tok[1], 1, 7200, &m->build_timeout))
				ERR("build-timeout '%s' must be 1 to 7200 seconds", tok[1]);
		} else if (!strcmp(d, "sandbox")) {
			if (!strcmp(tok[1], "privileged"))
				m->privileged = true;
			else if (!strcmp(tok[1], "vm"))
				m->vm = true;
			else if (strcmp(tok[1], "isolated"))
				ERR("sandbox '%s' must be 'isolated', 'privileged' or 'vm'", tok[1]);
		} else if (!strcmp(d, "memory")) {
			if (!number(tok[1], 16, 65536, &m->memory_mb))
				ERR("memory '%s' must be 16 to 65536 MiB", tok[1]);
		} else if (!strcmp(d, "processes")) {
			if (!number(tok[1], 4, 100000, &m->processes))
				ERR("processes '%s' must be 4 to 100000", tok[1]);
		} else if (!strcmp(d, "file-size")) {
			if (!number(tok[1], 1, 65536, &m->file_size_mb))
				ERR("file-size '%s' must be 1 to 65536 MiB", tok[1]);
		} else if (!strcmp(d, "output")) {
			if (!number(tok[1], 1, 1048576, &m->output_kb))
				ERR("output '%s' must be 1 to 1048576 KiB", tok[1]);
		}
	}
	free(text);
	ln = 1;
	if (!m->lab)
		ERR("missing 'lab <name>' (anywhere in the file)");
	if (!m->dir)
		ERR("missing 'dir <lab directory>' (anywhere in the file)");
	if (m->ntests == 0 && errors == 0)
		ERR("no 'test' lines: nothing to grade");
	for (int k = 0; k < m->ntests; k++)
		if (m->tests[k].seconds < 0)
			m->tests[k].seconds = m->timeout;
	(void)unset;
	return errors;
}

void manifest_free(struct manifest *m)
{
	free(m->path);
	free(m->lab);
	free(m->dir);
	free(m->title);
	free(m->handout);
	for (int i = 0; i < m->nstudent; i++)
		free(m->student[i]);
	free(m->student);
	for (int i = 0; i < m->nprivate; i++)
		free(m->private_files[i]);
	free(m->private_files);
	for (int i = 0; i < m->nuses; i++)
		free(m->uses[i]);
	free(m->uses);
	for (int i = 0; i < m->nprebuilt; i++)
		free(m->prebuilt[i]);
	free(m->prebuilt);
	for (int i = 0; i < m->ncalls; i++)
		free(m->calls[i]);
	free(m->calls);
	for (int i = 0; i < m->ntests; i++) {
		free(m->tests[i].bin);
		free(m->tests[i].id);
		free(m->tests[i].suite);
		free(m->tests[i].name);
	}
	free(m->tests);
	memset(m, 0, sizeof *m);
}

int manifest_free_points(const struct manifest *m)
{
	int p = 0;
	for (int i = 0; i < m->ntests; i++)
		if (m->tests[i].free)
			p += m->tests[i].points;
	return p;
}

int manifest_total_points(const struct manifest *m)
{
	int p = 0;
	for (int i = 0; i < m->ntests; i++)
		p += m->tests[i].points;
	return p;
}

char *manifest_public_text(const char *path)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		return NULL;
	char *out = xrealloc(NULL, len + 1);
	size_t o = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		size_t n = next ? (size_t)(next - line + 1) : strlen(line);
		if (next)
			next++;
		char *copy = xrealloc(NULL, n + 1);
		memcpy(copy, line, n);
		copy[n] = 0;
		char *hash = strchr(copy, '#');
		if (hash)
			*hash = 0;
		char *tok[16];
		int k = split(copy, tok, 15);
		bool drop = false;
		if (k >= 1 && !strcmp(tok[0], "private"))
			drop = true;
		if (k >= 1 && !strcmp(tok[0], "test")) {
			drop = true;
			for (int i = 1; i < k; i++)
				if (!strcmp(tok[i], "visible"))
					drop = false;
		}
		free(copy);
		if (!drop) {
			memcpy(out + o, line, n);
			o += n;
		}
	}
	out[o] = 0;
	free(text);
	return out;
}

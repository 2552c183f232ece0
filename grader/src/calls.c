/*
 * calls.c: what a student object may do once linked into a host test
 * (manifest `student-calls`, grader/README.md "Points cannot be forged").
 *
 * Student code runs inside the test process, so whatever the test can do
 * (read KIT_NONCE, write the END line, exit) the student code could do too.
 * What keeps it from doing so is checked here, on the compiled object
 * (build/host/<student file>.o), with binutils:
 *  - it calls nothing but the manifest's student-calls and the symbols the
 *    lab's own host objects (build/host/<lab dir>/, kit and tests) define (no getenv, open,
 *    write, exit, fork, dlsym ...);
 *  - it holds no system-call instruction (syscall, sysenter, int $0x80);
 *  - it runs no code of its own accord: no constructor or destructor
 *    sections, no IFUNC resolver;
 *  - it defines no symbol that libc or Criterion exports (ELF symbol
 *    interposition would replace theirs).
 */
#include <stdlib.h>
#include <string.h>
#include "grader.h"

static char *run(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len + 4096 > cap)
			buf = xrealloc(buf, cap = cap ? cap * 2 : 65536);
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = 0;
	if (pclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Adds the symbol names (first word of each line) of an `nm -P` listing
 * whose type letter is in types. */
static void add_symbols(struct filelist *l, const char *listing, const char *types)
{
	for (const char *s = listing; s && *s;) {
		const char *eol = strchrnul(s, '\n');
		const char *sp = memchr(s, ' ', eol - s);
		if (sp && sp + 1 < eol && strchr(types, sp[1])) {
			char *name = strndup(s, sp - s);
			char *at = strchr(name, '@'); /* versioned: write@@GLIBC_2.2.5 */
			if (at)
				*at = 0;
			if (!filelist_has(l, name))
				filelist_add(l, name);
			free(name);
		}
		s = *eol ? eol + 1 : eol;
	}
}

static struct filelist lib_exports;
static bool lib_loaded;

/* the dynamic symbols of libc and Criterion, once */
static void load_lib_exports(void)
{
	if (lib_loaded)
		return;
	lib_loaded = true;
	const char *libs[] = { "libc.so.6", "libcriterion.so" };
	for (size_t i = 0; i < 2; i++) {
		char *cmd = xasprintf("nm -P -D --defined-only \"$(cc -print-file-name=%s)\" 2>/dev/null", libs[i]);
		char *out = run(cmd);
		add_symbols(&lib_exports, out, "TtWwiDdBbVv");
		free(out);
		free(cmd);
	}
}

static bool quote_ok(const char *s)
{
	for (; *s; s++)
		if (*s == '\'')
			return false;
	return true;
}

char *calls_check(const struct manifest *m, const char *tree, const char *rel)
{
	if (!m->check_calls)
		return NULL;
	char *obj = xasprintf("%s/build/host/%s.o", tree, rel);
	char *dir = xasprintf("%s/build/host/%s", tree, m->dir);
	char *why = NULL;
	if (!quote_ok(obj) || !quote_ok(dir)) {
		free(obj);
		free(dir);
		return xstrdup("unusable path");
	}
	char *cmd = xasprintf("nm -P '%s' 2>/dev/null", obj);
	char *own = run(cmd);
	free(cmd);
	if (!own) {
		/* not built (a failed build is reported elsewhere) */
		free(obj);
		free(dir);
		return NULL;
	}
	struct filelist undef = { 0 }, defined = { 0 }, ifunc = { 0 }, allowed = { 0 };
	add_symbols(&undef, own, "U");
	add_symbols(&defined, own, "TDBRVWC");
	add_symbols(&ifunc, own, "i");
	/* what the lab's own objects (kit and tests) define may be called */
	cmd = xasprintf("find '%s' -name '*.o' -exec nm -P -g --defined-only {} + 2>/dev/null", dir);
	char *beside = run(cmd);
	free(cmd);
	add_symbols(&allowed, beside, "TDBRVWC");
	for (int i = 0; i < m->ncalls; i++)
		filelist_add(&allowed, m->calls[i]);
	load_lib_exports();
	char *bad = NULL;
	for (int i = 0; i < undef.n; i++) {
		const char *u = undef.v[i];
		/* the compiler's own helpers: stack protector, GOT base */
		if (!strcmp(u, "__stack_chk_fail") || !strcmp(u, "_GLOBAL_OFFSET_TABLE_"))
			continue;
		if (!filelist_has(&allowed, u)) {
			char *t = xasprintf("%s%s%s", bad ? bad : "", bad ? ", " : "", u);
			free(bad);
			bad = t;
		}
	}
	if (bad) {
		why = xasprintf("calls %s, which the lab does not allow (manifest student-calls)", bad);
		free(bad);
		goto out;
	}
	if (ifunc.n) {
		why = xasprintf("defines an IFUNC resolver (%s): code that runs before any test", ifunc.v[0]);
		goto out;
	}
	for (int i = 0; i < defined.n; i++)
		if (filelist_has(&lib_exports, defined.v[i])) {
			why = xasprintf("defines %s, a name libc or Criterion exports: it would replace theirs", defined.v[i]);
			goto out;
		}
	cmd = xasprintf("objdump -h '%s' 2>/dev/null", obj);
	char *heads = run(cmd);
	free(cmd);
	if (heads && (strstr(heads, ".init_array") || strstr(heads, ".ctors") || strstr(heads, ".fini_array") ||
		      strstr(heads, ".dtors") || strstr(heads, ".preinit_array"))) {
		why = xstrdup("has constructors or destructors: code that runs outside any test");
		free(heads);
		goto out;
	}
	free(heads);
	cmd = xasprintf("objdump -d '%s' 2>/dev/null | grep -E -m1 '\\s(syscall|sysenter|int +\\$0x80)\\b'", obj);
	FILE *f = popen(cmd, "r");
	free(cmd);
	char line[256] = "";
	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = 0;
		pclose(f);
	}
	if (line[0])
		why = xstrdup("holds a system-call instruction: only the lab's own functions may reach the kernel");
out:
	filelist_free(&undef);
	filelist_free(&defined);
	filelist_free(&ifunc);
	filelist_free(&allowed);
	free(own);
	free(beside);
	free(obj);
	free(dir);
	return why;
}

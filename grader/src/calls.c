/*
 * calls.c: what a student object may do once linked into a host test
 * (manifest `student-calls`, grader/README.md "Points cannot be forged").
 *
 * Where student code is linked into a test process, whatever the test can
 * do (read KIT_NONCE, write the END line, exit) the student code could do
 * too; lab01's unit tests run it in a student runner of its own instead
 * (common/test/student_rpc.h), and this check is defence in depth there.
 * What keeps it from doing so is checked here, on the compiled object
 * (build/host/<student file>.o), with binutils:
 *  - every symbol it leaves undefined, weak ones included (nm's U, w and
 *    v: a weak reference is bound like any other when the name is there,
 *    ELF gABI "Symbol Table"), even under a version (.symver: exit@GLIBC_2.2.5),
 *    is one of the manifest's student-calls or a symbol the lab's own host
 *    objects (build/host/<lab dir>/ and the dirs it `uses`, kit and tests)
 *    define (no getenv,
 *    open, write, exit, fork, dlsym, kit_reached_end ...);
 *  - every relocation names a symbol the object defines, a section, or one
 *    of those: no reference the symbol listing would not show;
 *  - it holds no system-call instruction (syscall, sysenter, int $0x80);
 *  - it runs no code of its own accord: no constructor or destructor
 *    section, by name (.init, .init_array, .ctors ...) or by type
 *    (INIT_ARRAY, FINI_ARRAY, PREINIT_ARRAY: ld places sections by type
 *    too), no IFUNC resolver;
 *  - it defines no symbol that libc, Criterion or the kit's test library
 *    (build/host/common/) exports, nor one libc or Criterion imports
 *    (Criterion's nn_send ...), strong, weak, common or as an alias (ELF
 *    symbol interposition, or an archive member left out, would replace
 *    theirs), and no absolute symbol.
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

/* The dynamic symbols libc and Criterion define, and those they import
 * (Criterion's nn_send, ffi_call, git_*; libc's from ld.so): a definition
 * in the test executable would replace every one of them for the library
 * too (ELF symbol interposition), so a student object may define none.
 * Read once. */
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
		cmd = xasprintf("nm -P -D --undefined-only \"$(cc -print-file-name=%s)\" 2>/dev/null", libs[i]);
		out = run(cmd);
		add_symbols(&lib_exports, out, "Uwv");
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

/* Appends name to the ", "-separated list *bad, once. */
static void add_bad(char **bad, const char *name)
{
	if (*bad) {
		size_t n = strlen(name);
		for (const char *p = *bad; (p = strstr(p, name)); p += n)
			if ((p == *bad || p[-1] == ' ') && (p[n] == ',' || !p[n]))
				return;
	}
	char *t = xasprintf("%s%s%s", *bad ? *bad : "", *bad ? ", " : "", name);
	free(*bad);
	*bad = t;
}

/* the compiler's own helpers: stack protector, GOT base */
static bool helper(const char *name)
{
	return !strcmp(name, "__stack_chk_fail") || !strcmp(name, "_GLOBAL_OFFSET_TABLE_");
}

/* The symbol names the relocations of an `objdump -r` listing refer to
 * ("exit-0x4", "kit_reached_end", ".text+0x24"), versions stripped. */
static void relocation_symbols(struct filelist *l, const char *listing)
{
	for (const char *s = listing; s && *s;) {
		const char *eol = strchrnul(s, '\n');
		/* "OFFSET TYPE VALUE": the offset is hexadecimal */
		char off[32], type[64], value[512];
		char line[700];
		size_t n = (size_t)(eol - s) < sizeof line - 1 ? (size_t)(eol - s) : sizeof line - 1;
		memcpy(line, s, n);
		line[n] = 0;
		if (sscanf(line, "%31s %63s %511s", off, type, value) == 3 && strspn(off, "0123456789abcdef") == strlen(off) &&
		    !strncmp(type, "R_", 2)) {
			char *end = value + strcspn(value + 1, "+-") + 1;
			if (value[0] == '+' || value[0] == '-')
				end = value;
			*end = 0;
			char *at = strchr(value, '@');
			if (at)
				*at = 0;
			if (value[0] && strcmp(value, "*ABS*") && !filelist_has(l, value))
				filelist_add(l, value);
		}
		s = *eol ? eol + 1 : eol;
	}
}

/* Section names and types of a `readelf -SW` listing that run code before
 * or after the tests. */
static char *startup_section(const char *listing)
{
	static const char *const names[] = { ".init", ".fini", ".init_array", ".fini_array", ".preinit_array",
					     ".ctors", ".dtors" };
	static const char *const types[] = { "INIT_ARRAY", "FINI_ARRAY", "PREINIT_ARRAY" };
	for (const char *s = listing; s && *s;) {
		const char *eol = strchrnul(s, '\n');
		const char *br = memchr(s, ']', eol - s);
		char name[256], type[64];
		if (s[0] == ' ' && br && memchr(s, '[', eol - s) && sscanf(br + 1, " %255s %63s", name, type) == 2) {
			for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
				size_t n = strlen(names[k]);
				/* .init_array and .init_array.00100 (priorities), not .initdata */
				if (!strncmp(name, names[k], n) && (!name[n] || name[n] == '.'))
					return xasprintf("section %s", name);
			}
			for (size_t k = 0; k < sizeof types / sizeof *types; k++)
				if (!strcmp(type, types[k]))
					return xasprintf("section %s of type %s", name, type);
		}
		s = *eol ? eol + 1 : eol;
	}
	return NULL;
}

char *calls_check(const struct manifest *m, const char *tree, const char *rel)
{
	if (!m->check_calls)
		return NULL;
	char *obj = xasprintf("%s/build/host/%s.o", tree, rel);
	char *dir = xasprintf("%s/build/host/%s", tree, m->dir);
	char *common = xasprintf("%s/build/host/common", tree);
	char *why = NULL;
	if (!quote_ok(obj) || !quote_ok(dir) || !quote_ok(common)) {
		free(obj);
		free(dir);
		free(common);
		return xstrdup("unusable path");
	}
	char *cmd = xasprintf("nm -P '%s' 2>/dev/null", obj);
	char *own = run(cmd);
	free(cmd);
	if (!own) {
		/* not built (a failed build is reported elsewhere) */
		free(obj);
		free(dir);
		free(common);
		return NULL;
	}
	struct filelist undef = { 0 }, defined = { 0 }, any = { 0 }, ifunc = { 0 }, absolute = { 0 }, allowed = { 0 },
			kit = { 0 }, relocs = { 0 };
	/* nm(1): U undefined, w and v weak undefined (a function, an object) */
	add_symbols(&undef, own, "Uwv");
	/* global definitions: code, data, bss, read-only, small data, weak,
	 * common, unique, absolute, IFUNC */
	add_symbols(&defined, own, "TDBRGSVWCuAi");
	add_symbols(&any, own, "TtDdBbRrGgSsVWCuAai");
	add_symbols(&ifunc, own, "i");
	add_symbols(&absolute, own, "A");
	/* what the lab's own objects (kit and tests) define may be called, and
	 * those of the labs it `uses` (lab02's shadow.c calls lab01's gmem_ptr) */
	for (int u = -1; u < m->nuses; u++) {
		char *d = u < 0 ? xstrdup(dir) : xasprintf("%s/build/host/%s", tree, m->uses[u]);
		char *beside = NULL;
		if (quote_ok(d)) {
			cmd = xasprintf("find '%s' -name '*.o' -exec nm -P -g --defined-only {} + 2>/dev/null", d);
			beside = run(cmd);
			free(cmd);
			add_symbols(&allowed, beside, "TDBRGSVWCu");
		}
		free(beside);
		free(d);
	}
	for (int i = 0; i < m->ncalls; i++)
		filelist_add(&allowed, m->calls[i]);
	/* what the kit's test library (and common/) defines may not be replaced */
	cmd = xasprintf("find '%s' -name '*.o' -exec nm -P -g --defined-only {} + 2>/dev/null", common);
	char *kitdefs = run(cmd);
	free(cmd);
	add_symbols(&kit, kitdefs, "TDBRGSVWCu");
	free(kitdefs);
	load_lib_exports();
	char *bad = NULL;
	for (int i = 0; i < undef.n; i++)
		if (!helper(undef.v[i]) && !filelist_has(&allowed, undef.v[i]))
			add_bad(&bad, undef.v[i]);
	if (bad) {
		why = xasprintf("calls %s, which the lab does not allow (manifest student-calls)", bad);
		goto out;
	}
	cmd = xasprintf("objdump -r '%s' 2>/dev/null", obj);
	char *rl = run(cmd);
	free(cmd);
	relocation_symbols(&relocs, rl);
	free(rl);
	cmd = xasprintf("readelf -SW '%s' 2>/dev/null", obj);
	char *sections = run(cmd);
	free(cmd);
	for (int i = 0; i < relocs.n; i++) {
		const char *r = relocs.v[i];
		char *as_section = xasprintf("] %s ", r);
		bool section = r[0] == '.' && sections && strstr(sections, as_section);
		free(as_section);
		if (!section && !helper(r) && !filelist_has(&any, r) && !filelist_has(&allowed, r))
			add_bad(&bad, r);
	}
	if (bad) {
		why = xasprintf("refers to %s (a relocation), which the lab does not allow (manifest student-calls)", bad);
		free(sections);
		goto out;
	}
	if (ifunc.n) {
		why = xasprintf("defines an IFUNC resolver (%s): code that runs before any test", ifunc.v[0]);
		free(sections);
		goto out;
	}
	if (absolute.n) {
		why = xasprintf("defines an absolute symbol (%s): an address fixed outside the lab's code", absolute.v[0]);
		free(sections);
		goto out;
	}
	for (int i = 0; i < defined.n && !why; i++) {
		if (filelist_has(&lib_exports, defined.v[i]))
			why = xasprintf("defines %s, a name libc or Criterion exports or imports: it would replace theirs",
					defined.v[i]);
		else if (filelist_has(&kit, defined.v[i]))
			why = xasprintf("defines %s, a name the kit's test code (common/) defines: it would replace the kit's",
					defined.v[i]);
	}
	if (why) {
		free(sections);
		goto out;
	}
	char *startup = startup_section(sections);
	free(sections);
	if (startup) {
		why = xasprintf("has constructors or destructors (%s): code that runs outside any test", startup);
		free(startup);
		goto out;
	}
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
	free(bad);
	filelist_free(&undef);
	filelist_free(&defined);
	filelist_free(&any);
	filelist_free(&ifunc);
	filelist_free(&absolute);
	filelist_free(&allowed);
	filelist_free(&kit);
	filelist_free(&relocs);
	free(own);
	free(obj);
	free(dir);
	free(common);
	return why;
}

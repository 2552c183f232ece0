/*
 * labs.c: which lab a solution region belongs to, and so what the trees
 * of the graded lab hold of it (common/README.md, "Solution regions").
 * A region belongs to the lab whose directory (a manifest's `dir`, the
 * innermost if several hold the file) holds its file, or to the lab its
 * BEGIN line names; a region in no lab's directory (common/) and untagged
 * belongs to the graded lab, as before regions carried their lab. In the
 * trees of lab L (dist, grading), a region of a lab L `uses` is solved,
 * every other region (L's own, and any other lab's) is its starter.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "grader.h"

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && path[n] == '/';
}

/* lab, dir, student, private and uses of one manifest, read leniently: the graded
 * manifest was checked by manifest_load, the others are only consulted */
static void add_manifest(struct labset *s, const char *path, const char *rel)
{
	char *text = read_file(path, NULL);
	if (!text)
		return;
	struct labinfo li = { 0 };
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		*strchrnul(line, '#') = 0;
		char *save, *d = strtok_r(line, " \t\r", &save);
		char *v = d ? strtok_r(NULL, " \t\r", &save) : NULL;
		if (!v)
			continue;
		if (!strcmp(d, "lab") && !li.lab)
			li.lab = xstrdup(v);
		else if (!strcmp(d, "dir") && !li.dir)
			li.dir = xstrdup(v);
		else if (!strcmp(d, "student"))
			filelist_add(&li.student, v);
		else if (!strcmp(d, "uses"))
			filelist_add(&li.uses, v);
		else if (!strcmp(d, "private"))
			filelist_add(&li.private_files, v);
	}
	free(text);
	bool known = !li.lab || !li.dir;
	for (int i = 0; i < s->n && !known; i++)
		known = !strcmp(s->v[i].lab, li.lab);
	if (known) {
		/* the first manifest of a lab wins: the graded one comes first */
		free(li.lab);
		free(li.dir);
		filelist_free(&li.student);
		filelist_free(&li.uses);
		filelist_free(&li.private_files);
		return;
	}
	li.rel = rel ? xstrdup(rel) : NULL;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = li;
}

int labset_load(struct labset *s, const struct manifest *m, const char *kit)
{
	memset(s, 0, sizeof *s);
	s->lab = m->lab;
	/* the graded manifest, labs/ *.manifest, then any other manifest of the
	 * kit (the grader's fixture labs, grader/tests/fixture/) */
	add_manifest(s, m->path, NULL);
	struct filelist files = { 0 };
	kit_files(kit, &files);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < files.n; i++) {
			const char *f = files.v[i];
			size_t n = strlen(f);
			if (n < 10 || strcmp(f + n - 9, ".manifest") || (pass == 0) != !strncmp(f, "labs/", 5))
				continue;
			char *p = xasprintf("%s/%s", kit, f);
			add_manifest(s, p, f);
			free(p);
		}
	filelist_free(&files);
	int errors = 0;
	for (int i = 0; i < m->nuses; i++) {
		const struct labinfo *u = NULL;
		for (int k = 0; k < s->n && !u; k++)
			if (!strcmp(s->v[k].dir, m->uses[i]))
				u = &s->v[k];
		if (!u) {
			fprintf(stderr, "%s: uses %s: no manifest (labs/*.manifest) has 'dir %s', so its lab and its "
				"student files are unknown\n", m->path, m->uses[i], m->uses[i]);
			errors++;
		} else if (!strcmp(u->lab, m->lab)) {
			fprintf(stderr, "%s: uses %s: that is lab %s's own directory\n", m->path, m->uses[i], m->lab);
			errors++;
		} else {
			filelist_add(&s->used, u->lab);
			/* shipped with the trees, so that they can be graded again
			 * (Gradescope's kit/ is a starter tree) */
			if (u->rel)
				filelist_add(&s->used_manifests, u->rel);
		}
	}
	return errors;
}

void labset_free(struct labset *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->v[i].lab);
		free(s->v[i].dir);
		free(s->v[i].rel);
		filelist_free(&s->v[i].student);
		filelist_free(&s->v[i].uses);
		filelist_free(&s->v[i].private_files);
	}
	free(s->v);
	filelist_free(&s->used);
	filelist_free(&s->used_manifests);
	memset(s, 0, sizeof *s);
}

const struct labinfo *labset_owner(const struct labset *s, const char *rel)
{
	const struct labinfo *best = NULL;
	for (int i = 0; i < s->n; i++)
		if (under(rel, s->v[i].dir) && (!best || strlen(s->v[i].dir) > strlen(best->dir)))
			best = &s->v[i];
	return best;
}

const struct labinfo *labset_find(const struct labset *s, const char *lab)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].lab, lab))
			return &s->v[i];
	return NULL;
}

/* the used lab whose manifest lists rel as `student`, or NULL */
const struct labinfo *labset_used_student(const struct labset *s, const char *rel)
{
	for (int i = 0; i < s->used.n; i++) {
		const struct labinfo *u = labset_find(s, s->used.v[i]);
		if (u && filelist_has(&u->student, rel))
			return u;
	}
	return NULL;
}

bool labset_used_private(const struct labset *s, const char *rel)
{
	for (int i = 0; i < s->used.n; i++) {
		const struct labinfo *u = labset_find(s, s->used.v[i]);
		if (u && filelist_has(&u->private_files, rel))
			return true;
	}
	return false;
}

/*
 * A tag may name the lab of the file's directory, or a lab whose manifest
 * `uses` that directory (a later lab's region in an earlier lab's file:
 * lab02's in lab01's trap.c); in a file of no lab's directory, any lab.
 * So a region in lab02's own directory cannot call itself lab01's, which
 * would ship lab02's answer solved in lab02's own starter tree.
 */
enum region_fate labset_fate(const char *name, int line, const char *tag, void *ctx)
{
	const struct labset *s = ctx;
	const struct labinfo *owner = labset_owner(s, name);
	const char *lab = owner ? owner->lab : s->lab;
	if (tag) {
		const struct labinfo *t = labset_find(s, tag);
		if (!t) {
			fprintf(stderr, "%s:%d: BEGIN SOLUTION %s: no manifest (labs/*.manifest) has 'lab %s'\n", name, line,
				tag, tag);
			return REGION_REFUSED;
		}
		if (owner && t != owner && !filelist_has(&t->uses, owner->dir)) {
			fprintf(stderr, "%s:%d: BEGIN SOLUTION %s: the file is in lab %s's directory %s, and %s's manifest "
				"does not 'uses %s': a region here belongs to %s, or to a later lab that uses it\n",
				name, line, tag, owner->lab, owner->dir, tag, owner->dir, owner->lab);
			return REGION_REFUSED;
		}
		lab = tag;
	}
	if (s->starters_only || !filelist_has(&s->used, lab))
		return REGION_STARTER;
	return REGION_SOLVED;
}

char *labset_text(struct labset *s, const char *kit, const char *rel, size_t *len)
{
	char *path = xasprintf("%s/%s", kit, rel);
	size_t n;
	char *text = read_file(path, &n);
	free(path);
	if (!text)
		return NULL;
	if (memchr(text, 0, n)) {
		*len = n;
		return text;
	}
	struct regions r;
	int rc = regions_process_fate(rel, text, n, false, labset_fate, s, &r);
	free(text);
	if (rc < 0)
		return NULL;
	char *out = r.out;
	*len = r.out_len;
	r.out = NULL;
	regions_free(&r);
	return out;
}

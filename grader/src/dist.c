/*
 * dist.c: the student starter tree. The files a student needs for one lab,
 * every solution region replaced by its starter, the manifest's hidden
 * tests and private files left out; the regions of the labs it `uses`
 * solved (labs.c), or with BASE those labs' student files taken from the
 * student's own earlier tree; written to a staging directory next to DEST,
 * checked for leaks, then renamed into place, so a refusal leaves nothing
 * half-written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "grader.h"

/* Lines shorter than this are too common to call a leak ("return 0;"). */
#define DISTINCTIVE_MIN 26

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && path[n] == '/';
}

static bool is_doc(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (!strcmp(dot, ".md") || !strcmp(dot, ".html") || !strcmp(dot, ".txt"));
}

/* true if a component of path names another lab of labs/sequence
 * ("handouts/en/lab02.md" for lab01) */
static bool other_lab(const char *path, const struct filelist *labs, const char *lab)
{
	for (int i = 0; i < labs->n; i++)
		if (strcmp(labs->v[i], lab) && strstr(path, labs->v[i]))
			return true;
	return false;
}

void lab_sequence(const char *kit, struct filelist *labs)
{
	char *seq_path = xasprintf("%s/labs/sequence", kit);
	char *seq = read_file(seq_path, NULL);
	free(seq_path);
	for (char *l = seq ? strtok(seq, " \t\n") : NULL; l; l = strtok(NULL, " \t\n"))
		if (l[0] != '#')
			filelist_add(labs, l);
	free(seq);
}

/* Which kit files a student of this lab gets; the grading tree holds the
 * same (build.c, tree_assemble). */
bool dist_wanted(const struct manifest *m, const char *manifest_rel, const struct filelist *labs,
		 const struct labset *ls, const char *f)
{
	for (int i = 0; i < m->nprivate; i++)
		if (!strcmp(f, m->private_files[i]))
			return false;
	/* nor those of the labs it uses: their directories ship, their
	 * hidden tests must not (a lab02 tree would show lab01's) */
	if (ls && labset_used_private(ls, f))
		return false;
	if (!strcmp(f, "Makefile") || !strcmp(f, "README.md") || !strcmp(f, ".gitignore") ||
	    !strcmp(f, "labs/sequence") || (manifest_rel && !strcmp(f, manifest_rel)))
		return true;
	if (ls && filelist_has(&ls->used_manifests, f))
		return true;
	if (under(f, m->dir) || (m->handout && under(f, m->handout)))
		return true;
	/* the directories of other labs this one builds on (manifest `uses`) */
	for (int i = 0; i < m->nuses; i++)
		if (under(f, m->uses[i]))
			return true;
	if (under(f, "common"))
		return true;
	/* the grader, but not its own tests (fixtures and hostile submissions) */
	if (under(f, "grader") && !under(f, "grader/tests"))
		return true;
	/* the handouts: this lab's and the shared parts (make fragment, style,
	 * checker, diagrams), not other labs' pages nor the handouts' tests */
	if (under(f, "handouts") && !under(f, "handouts/tests") && !other_lab(f, labs, m->lab))
		return true;
	return false;
}

struct secret {
	char *text;
	const char *file;
	int line;
};

/* from_base[i]: out->v[i] is the student's own (BASE): not searched for
 * solution lines, which it may hold as the student wrote them */
static int check_output(const char *stage, const struct filelist *out, const bool *from_base, const struct secret *sec,
			int nsec)
{
	int errors = 0;
	for (int i = 0; i < out->n; i++) {
		char *path = xasprintf("%s/%s", stage, out->v[i]);
		size_t len;
		char *text = read_file(path, &len);
		free(path);
		if (!text)
			continue;
		const char *leader = region_leader(out->v[i]);
		int ln = 0;
		for (char *l = text, *next; l && l < text + len; l = next) {
			ln++;
			next = memchr(l, '\n', text + len - l);
			size_t n = next ? (size_t)(next - l) : (size_t)(text + len - l);
			if (next)
				*next++ = 0;
			/* documentation may explain the markers; code may not hold one */
			if (!is_doc(out->v[i]) && (region_is_marker(l, n, "//") || region_is_marker(l, n, "#") ||
						   (leader && region_is_marker(l, n, leader)))) {
				fprintf(stderr, "dist: %s:%d: solution marker left in the starter tree\n", out->v[i], ln);
				errors++;
			}
			for (int k = 0; k < nsec && !from_base[i]; k++)
				if (strstr(l, sec[k].text)) {
					fprintf(stderr, "dist: %s:%d: holds solution line %s:%d: %s\n", out->v[i], ln,
						sec[k].file, sec[k].line, sec[k].text);
					errors++;
				}
		}
		free(text);
	}
	return errors;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *const base_refusal[] = {
	"absent", "larger than 1 MiB", "not a regular file, or a symbolic link on its path",
};

int dist_write(const struct manifest *m, const char *manifest_path, const char *kit, const char *dest,
	       bool with_solution, const char *base)
{
	bool exists;
	if (!dir_is_empty_or_absent(dest, &exists)) {
		fprintf(stderr, "dist: %s exists and is not an empty directory: refusing to write into it\n", dest);
		return -1;
	}
	/* the manifest's path inside the kit, to ship it (rewritten) */
	const char *manifest_rel = NULL;
	size_t kl = strlen(kit);
	if (!strncmp(manifest_path, kit, kl) && manifest_path[kl] == '/')
		manifest_rel = manifest_path + kl + 1;
	else if (manifest_path[0] != '/')
		manifest_rel = manifest_path;

	struct labset ls;
	if (labset_load(&ls, m, kit)) {
		labset_free(&ls);
		return -1;
	}
	if (base && ls.used.n == 0) {
		fprintf(stderr, "dist: BASE=%s: lab %s uses no other lab ('uses' in %s): there is nothing to take from "
			"BASE\n", base, m->lab, manifest_path);
		labset_free(&ls);
		return -1;
	}
	struct filelist files = { 0 }, out = { 0 }, labs = { 0 };
	if (kit_files(kit, &files) < 0) {
		fprintf(stderr, "dist: no files found in the kit at %s\n", kit);
		labset_free(&ls);
		return -1;
	}
	lab_sequence(kit, &labs);
	/* pass 1: transform every file in memory, refusing on any marker error */
	int errors = 0, nsec = 0, nout_lines = 0, nregions = 0, nsolved = 0, nbase = 0, base_errors = 0;
	struct secret *sec = NULL;
	char **outside = NULL;
	char **data = xrealloc(NULL, files.n * sizeof *data);
	size_t *lens = xrealloc(NULL, files.n * sizeof *lens);
	bool *from_base = xrealloc(NULL, files.n * sizeof *from_base);
	for (int i = 0; i < files.n; i++) {
		data[i] = NULL;
		from_base[i] = false;
		const char *f = files.v[i];
		if (!dist_wanted(m, manifest_rel, &labs, &ls, f))
			continue;
		/* a used lab's student file: the student's own, from BASE; the
		 * kit's version is still read, for its solution lines (secrets:
		 * none of the reference of that file may appear elsewhere) */
		char *mine = NULL;
		size_t mine_len = 0;
		const struct labinfo *owner = base ? labset_used_student(&ls, f) : NULL;
		if (owner) {
			int kind;
			mine = read_beneath(base, f, &mine_len, &kind);
			if (!mine) {
				fprintf(stderr, "dist: BASE=%s: %s (a student file of %s) is %s: give the student's own "
					"%s tree\n", base, f, owner->lab, base_refusal[kind], owner->lab);
				errors++;
				base_errors++;
				continue;
			}
			from_base[i] = true;
			nbase++;
		}
		char *path = xasprintf("%s/%s", kit, f);
		size_t len;
		char *text = read_file(path, &len);
		free(path);
		if (!text) {
			fprintf(stderr, "dist: cannot read %s\n", f);
			errors++;
			free(mine);
			continue;
		}
		if ((manifest_rel && !strcmp(f, manifest_rel)) || filelist_has(&ls.used_manifests, f)) {
			free(text);
			char *full = xasprintf("%s/%s", kit, f);
			text = manifest_public_text(full);
			free(full);
			len = strlen(text);
		}
		struct regions r;
		bool binary = memchr(text, 0, len) != NULL;
		if (binary) {
			data[i] = mine ? mine : text;
			lens[i] = mine ? mine_len : len;
			if (mine)
				free(text);
			filelist_add(&out, f);
			continue;
		}
		ls.starters_only = mine != NULL;
		int rc = regions_process_fate(f, text, len, with_solution, labset_fate, &ls, &r);
		ls.starters_only = false;
		free(text);
		if (rc < 0) {
			errors++;
			free(mine);
			continue;
		}
		nregions += r.count;
		nsolved += r.nsolved;
		for (int k = 0; k < r.nsol; k++)
			if (strlen(r.sol[k].text) >= DISTINCTIVE_MIN) {
				sec = xrealloc(sec, (nsec + 1) * sizeof *sec);
				sec[nsec++] = (struct secret){ xstrdup(r.sol[k].text), files.v[i], r.sol[k].line };
			}
		/* lines outside regions in code are not secrets even if a region repeats them */
		if (!is_doc(f))
			for (int k = 0; k < r.noutside; k++) {
				outside = xrealloc(outside, (nout_lines + 1) * sizeof *outside);
				outside[nout_lines++] = xstrdup(r.outside[k]);
			}
		if (mine) {
			data[i] = mine;
			lens[i] = mine_len;
		} else {
			data[i] = r.out;
			lens[i] = r.out_len;
			r.out = NULL;
		}
		regions_free(&r);
		filelist_add(&out, f);
	}
	if (errors) {
		if (base_errors)
			fprintf(stderr, "dist: %d problem(s) with BASE's files or solution markers: nothing written\n",
				errors);
		else
			fprintf(stderr, "dist: %d problem(s) with solution markers: nothing written\n", errors);
		goto fail;
	}
	qsort(outside, nout_lines, sizeof *outside, cmp_str);
	int keep = 0;
	for (int k = 0; k < nsec; k++) {
		if (bsearch(&sec[k].text, outside, nout_lines, sizeof *outside, cmp_str))
			free(sec[k].text);
		else
			sec[keep++] = sec[k];
	}
	nsec = keep;

	/* pass 2: write to a staging directory beside dest */
	char *parent = xstrdup(dest);
	char *slash = strrchr(parent, '/');
	while (slash && slash > parent && slash[1] == 0) { /* "dir/" */
		*slash = 0;
		slash = strrchr(parent, '/');
	}
	if (slash)
		slash[slash == parent ? 1 : 0] = 0;
	else
		strcpy(parent, ".");
	if (mkdirs_for(dest) < 0) {
		fprintf(stderr, "dist: cannot create the parent of %s: %s\n", dest, strerror(errno));
		free(parent);
		goto fail;
	}
	char *stage = xasprintf("%s/.dist-XXXXXX", parent);
	free(parent);
	if (!mkdtemp(stage)) {
		fprintf(stderr, "dist: cannot create a staging directory %s: %s\n", stage, strerror(errno));
		free(stage);
		goto fail;
	}
	for (int i = 0; i < files.n && !errors; i++) {
		if (!data[i])
			continue;
		char *src = xasprintf("%s/%s", kit, files.v[i]);
		struct stat st;
		int mode = stat(src, &st) == 0 && (st.st_mode & 0111) ? 0755 : 0644;
		free(src);
		char *dst = xasprintf("%s/%s", stage, files.v[i]);
		if (write_file(dst, data[i], lens[i], mode) < 0) {
			fprintf(stderr, "dist: cannot write %s: %s\n", dst, strerror(errno));
			errors++;
		}
		free(dst);
	}
	if (!errors && !with_solution) {
		bool *out_base = xrealloc(NULL, (out.n + 1) * sizeof *out_base);
		for (int i = 0, o = 0; i < files.n; i++)
			if (data[i])
				out_base[o++] = from_base[i];
		errors += check_output(stage, &out, out_base, sec, nsec);
		free(out_base);
	}
	if (!errors && exists && rmdir(dest) < 0)
		errors++;
	if (!errors && rename(stage, dest) < 0) {
		fprintf(stderr, "dist: cannot move the tree to %s: %s\n", dest, strerror(errno));
		errors++;
	}
	if (errors) {
		fprintf(stderr, "dist: refusing: nothing written to %s\n", dest);
		remove_tree(stage);
	} else if (!nsolved && !base) {
		printf("dist: %s: %d files, %d solution region(s) %s, %d distinctive solution lines checked absent\n",
		       dest, out.n, nregions, with_solution ? "kept (WITH_SOLUTION)" : "replaced by starters",
		       with_solution ? 0 : nsec);
	} else {
		printf("dist: %s: %d files, %d solution region(s): %d %s, %d of the labs %s uses solved; %d file(s) "
		       "from BASE; %d distinctive solution lines checked absent\n",
		       dest, out.n, nregions, nregions - nsolved,
		       with_solution ? "kept (WITH_SOLUTION)" : "replaced by starters", nsolved, m->lab, nbase,
		       with_solution ? 0 : nsec);
	}
	free(stage);
	if (errors)
		goto fail_quiet;
	goto done;
fail:
	errors = errors ? errors : 1;
fail_quiet:
done:
	for (int i = 0; i < files.n; i++)
		free(data[i]);
	free(data);
	free(lens);
	free(from_base);
	labset_free(&ls);
	for (int k = 0; k < nsec; k++)
		free(sec[k].text);
	free(sec);
	for (int k = 0; k < nout_lines; k++)
		free(outside[k]);
	free(outside);
	filelist_free(&files);
	filelist_free(&out);
	filelist_free(&labs);
	return errors ? -1 : 0;
}

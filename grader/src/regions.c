/*
 * regions.c: solution regions (common/README.md, "Solution regions").
 * A region is three marker lines, each the comment leader then one word
 * group: "BEGIN SOLUTION[ <lab>][: what]", "STARTER:" (optional), "END
 * SOLUTION". Lines between STARTER: and the end all start with the leader;
 * the starter is those lines with the leader and one following space
 * removed. A region is written as its starter, or solved (the solution
 * without the markers) when the caller's fate function says so (labs.c:
 * the regions of a lab the graded lab `uses`).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "grader.h"

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

const char *region_leader(const char *path)
{
	const char *b = base_name(path);
	const char *dot = strrchr(b, '.');
	if (!strcmp(b, "Makefile") || !strncmp(b, "Makefile.", 9) || !strcmp(b, "run_autograder") ||
	    !strcmp(b, "setup.sh"))
		return "#";
	if (!dot)
		return NULL;
	static const char *const slash[] = { ".c", ".h", ".S", ".s", ".ld", ".lds", ".dts", ".dtsi", ".cc", ".cpp" };
	static const char *const hash[] = { ".mk", ".sh", ".py", ".bash", ".manifest", ".conf", ".cfg" };
	for (size_t i = 0; i < sizeof slash / sizeof *slash; i++)
		if (!strcmp(dot, slash[i]))
			return "//";
	for (size_t i = 0; i < sizeof hash / sizeof *hash; i++)
		if (!strcmp(dot, hash[i]))
			return "#";
	return NULL;
}

enum marker { M_NONE, M_BEGIN, M_STARTER, M_END, M_BAD_BEGIN };

static bool ident_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '_' || (!first && isdigit((unsigned char)c));
}

/* What marker, if any, the line is. *lead_at gets the offset of the leader;
 * for a BEGIN line naming its lab, tag (if not NULL) gets the lab's name
 * (at most REGION_TAG_MAX - 1 characters, else M_BAD_BEGIN). */
static enum marker classify_tag(const char *line, size_t len, const char *leader, size_t *lead_at, char *tag)
{
	if (tag)
		tag[0] = 0;
	size_t i = 0, ll = strlen(leader);
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	*lead_at = i;
	if (len - i < ll || memcmp(line + i, leader, ll))
		return M_NONE;
	i += ll;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	const char *w = line + i;
	size_t n = len - i;
	while (n && isspace((unsigned char)w[n - 1]))
		n--;
	if (n >= 14 && !memcmp(w, "BEGIN SOLUTION", 14)) {
		/* "BEGIN SOLUTION", "BEGIN SOLUTION: what", "BEGIN SOLUTION lab02",
		 * "BEGIN SOLUTION lab02: what"; anything else after the two words
		 * is a mistyped tag, refused rather than read as ordinary text */
		if (n == 14 || w[14] == ':')
			return M_BEGIN;
		if (w[14] != ' ')
			return M_BAD_BEGIN;
		size_t k = 15;
		if (k >= n || !ident_char(w[k], true))
			return M_BAD_BEGIN;
		while (k < n && ident_char(w[k], false))
			k++;
		if (k < n && w[k] != ':')
			return M_BAD_BEGIN;
		if (k - 15 >= REGION_TAG_MAX)
			return M_BAD_BEGIN;
		if (tag) {
			memcpy(tag, w + 15, k - 15);
			tag[k - 15] = 0;
		}
		return M_BEGIN;
	}
	if (n == 12 && !memcmp(w, "END SOLUTION", 12))
		return M_END;
	if (n == 8 && !memcmp(w, "STARTER:", 8))
		return M_STARTER;
	return M_NONE;
}

static enum marker classify(const char *line, size_t len, const char *leader, size_t *lead_at)
{
	return classify_tag(line, len, leader, lead_at, NULL);
}

bool region_is_marker(const char *line, size_t len, const char *leader)
{
	size_t at;
	return classify(line, len, leader, &at) != M_NONE;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *t = xrealloc(NULL, n + 1);
	memcpy(t, s, n);
	t[n] = 0;
	return t;
}

static void emit(struct regions *r, size_t *cap, const char *s, size_t n)
{
	if (r->out_len + n + 1 > *cap) {
		*cap = 2 * (r->out_len + n + 1);
		r->out = xrealloc(r->out, *cap);
	}
	memcpy(r->out + r->out_len, s, n);
	r->out_len += n;
	r->out[r->out_len] = 0;
}

static void add_outside(struct regions *r, const char *s, size_t n)
{
	char *t = trimmed(s, n);
	if (!*t) {
		free(t);
		return;
	}
	r->outside = xrealloc(r->outside, (r->noutside + 1) * sizeof *r->outside);
	r->outside[r->noutside++] = t;
}

int regions_process(const char *name, const char *text, size_t len, bool keep, struct regions *r)
{
	return regions_process_fate(name, text, len, keep, NULL, NULL, r);
}

int regions_process_fate(const char *name, const char *text, size_t len, bool keep, region_fate_fn fate, void *ctx,
			 struct regions *r)
{
	memset(r, 0, sizeof *r);
	const char *leader = region_leader(name);
	size_t cap = 0;
	emit(r, &cap, "", 0);
	if (!leader) {
		emit(r, &cap, text, len);
		return 0;
	}
	enum { OUT, SOL, START } state = OUT;
	int ln = 0, begin_line = 0, errors = 0;
	bool solved = false; /* the open region is written solved */
	char tag[REGION_TAG_MAX];
	for (size_t off = 0; off < len;) {
		const char *line = text + off;
		const char *nl = memchr(line, '\n', len - off);
		size_t n = nl ? (size_t)(nl - line) : len - off;
		size_t full = nl ? n + 1 : n;
		off += full;
		ln++;
		size_t at;
		enum marker mk = classify_tag(line, n, leader, &at, tag);
		switch (mk) {
		case M_BAD_BEGIN:
			fprintf(stderr, "%s:%d: malformed solution tag '%.*s': expected BEGIN SOLUTION, "
				"BEGIN SOLUTION: <what>, BEGIN SOLUTION <lab> or BEGIN SOLUTION <lab>: <what> "
				"(<lab> as in a manifest's 'lab', e.g. lab02)\n", name, ln, (int)(n - at), line + at);
			errors++;
			/* read on as a region, so that one mistake gives one message */
			state = SOL;
			begin_line = ln;
			solved = false;
			break;
		case M_BEGIN:
			if (state != OUT) {
				fprintf(stderr, "%s:%d: BEGIN SOLUTION inside the region opened at line %d (regions do not nest)\n",
					name, ln, begin_line);
				errors++;
			}
			state = SOL;
			begin_line = ln;
			r->count++;
			solved = false;
			if (fate) {
				enum region_fate f = fate(name, ln, tag[0] ? tag : NULL, ctx);
				if (f == REGION_REFUSED)
					errors++;
				solved = f == REGION_SOLVED;
				r->nsolved += solved;
			}
			break;
		case M_STARTER:
			if (state != SOL) {
				fprintf(stderr, "%s:%d: STARTER: %s\n", name, ln,
					state == OUT ? "outside a solution region" : "given twice in one region");
				errors++;
			}
			/* outside a region it opens none (one mistake, one message) */
			if (state != OUT)
				state = START;
			break;
		case M_END:
			if (state == OUT) {
				fprintf(stderr, "%s:%d: END SOLUTION without BEGIN SOLUTION\n", name, ln);
				errors++;
			}
			state = OUT;
			break;
		case M_NONE:
			if (state == OUT) {
				add_outside(r, line, n);
			} else if (state == SOL) {
				char *t = trimmed(line, n);
				if (*t) {
					r->sol = xrealloc(r->sol, (r->nsol + 1) * sizeof *r->sol);
					r->sol[r->nsol].line = ln;
					r->sol[r->nsol].solved = solved;
					r->sol[r->nsol++].text = t;
				} else {
					free(t);
				}
				/* a solved region's lines are in the output: not secrets */
				if (solved) {
					add_outside(r, line, n);
					if (!keep)
						emit(r, &cap, line, full);
				}
			} else {
				size_t ll = strlen(leader);
				if (n - at < ll || memcmp(line + at, leader, ll)) {
					fprintf(stderr, "%s:%d: starter line does not start with the comment leader '%s'\n",
						name, ln, leader);
					errors++;
					break;
				}
				/* the starter line: leader and one space removed */
				size_t skip = at + ll + (at + ll < n && line[at + ll] == ' ');
				if (!keep && !solved) {
					emit(r, &cap, line, at);
					emit(r, &cap, line + skip, full - skip);
				}
				add_outside(r, line + skip, n - skip);
			}
			break;
		}
		if (keep || (mk == M_NONE && state == OUT))
			emit(r, &cap, line, full);
	}
	if (state != OUT) {
		fprintf(stderr, "%s:%d: BEGIN SOLUTION never closed with END SOLUTION\n", name, begin_line);
		errors++;
	}
	if (errors) {
		regions_free(r);
		return -1;
	}
	return 0;
}

void regions_free(struct regions *r)
{
	free(r->out);
	for (int i = 0; i < r->nsol; i++)
		free(r->sol[i].text);
	free(r->sol);
	for (int i = 0; i < r->noutside; i++)
		free(r->outside[i]);
	free(r->outside);
	memset(r, 0, sizeof *r);
}

/* hcheck.c: see hcheck.h for the rule it enforces. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hcheck.h"

char *hc_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);
			if (nb == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf == NULL)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void push(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv = realloc(*v, (*n + 1) * sizeof **v);
	if (nv == NULL)
		abort();
	*v = nv;
	(*v)[*n] = strndup(s, len);
	if ((*v)[*n] == NULL)
		abort();
	(*n)++;
}

/*
 * `make -p` prints variables as "NAME := value" and rules as
 * "target ...: prerequisites"; comments start with '#', recipes with a tab.
 */
void hc_makedb_parse(struct hc_makedb *db, const char *text)
{
	memset(db, 0, sizeof *db);
	const char *line = text;
	int not_target = 0;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (strncmp(line, "LABS := ", 8) == 0 || strncmp(line, "LABS = ", 7) == 0) {
			const char *p = strchr(line, '=') + 1;
			const char *e = line + len;
			while (p < e) {
				while (p < e && isspace((unsigned char)*p))
					p++;
				const char *w = p;
				while (p < e && !isspace((unsigned char)*p))
					p++;
				if (p > w)
					push(&db->labs, &db->nlabs, w, (size_t)(p - w));
			}
		} else if (not_target) {
			/* a file make only mentions (a prerequisite, a .PHONY name) */
		} else if (len > 0 && line[0] != '#' && !isspace((unsigned char)line[0])) {
			const char *colon = memchr(line, ':', len);
			const char *eq = memchr(line, '=', len);
			if (colon && colon[1] != '=' && (eq == NULL || eq > colon)) {
				const char *p = line;
				while (p < colon) {
					while (p < colon && isspace((unsigned char)*p))
						p++;
					const char *w = p;
					while (p < colon && !isspace((unsigned char)*p))
						p++;
					if (p > w && memchr(w, '%', (size_t)(p - w)) == NULL)
						push(&db->targets, &db->ntargets, w, (size_t)(p - w));
				}
			}
		}
		not_target = strncmp(line, "# Not a target:", 15) == 0;
		line += len + (end != NULL);
	}
}

int hc_makedb_load(struct hc_makedb *db, const char *path)
{
	char *text = hc_read_file(path, NULL);
	if (text == NULL)
		return -1;
	hc_makedb_parse(db, text);
	free(text);
	return 0;
}

void hc_makedb_free(struct hc_makedb *db)
{
	for (size_t i = 0; i < db->ntargets; i++)
		free(db->targets[i]);
	for (size_t i = 0; i < db->nlabs; i++)
		free(db->labs[i]);
	free(db->targets);
	free(db->labs);
	memset(db, 0, sizeof *db);
}

int hc_makedb_has_target(const struct hc_makedb *db, const char *t)
{
	for (size_t i = 0; i < db->ntargets; i++)
		if (strcmp(db->targets[i], t) == 0)
			return 1;
	return 0;
}

static int has_lab(const struct hc_makedb *db, const char *l)
{
	for (size_t i = 0; i < db->nlabs; i++)
		if (strcmp(db->labs[i], l) == 0)
			return 1;
	return 0;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Is `word` "<top-level directory of root>/..." (build/ excluded)? */
static int is_repo_path(const char *root, const char *word)
{
	const char *slash = strchr(word, '/');
	if (slash == NULL || slash == word || word[0] == '.')
		return 0;
	size_t n = (size_t)(slash - word);
	if (n == 5 && strncmp(word, "build", 5) == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)word[i]) || word[i] == '-' || word[i] == '_'))
			return 0;
	char top[4096];
	if ((size_t)snprintf(top, sizeof top, "%s/%.*s", root, (int)n, word) >= sizeof top)
		return 0;
	struct stat st;
	return stat(top, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_placeholder(const char *w)
{
	for (; *w; w++)
		if (!(islower((unsigned char)*w) || isdigit((unsigned char)*w) ||
		      *w == '_' || *w == '.' || *w == '/' || *w == '-'))
			return 1;
	return 0;
}

struct ctx {
	const char *name;
	const char *md_dir;
	const char *root;
	const struct hc_makedb *db;
	FILE *out;
	int problems;
};

static void problem(struct ctx *c, int line, const char *fmt, const char *a, const char *b)
{
	fprintf(c->out, "%s:%d: ", c->name, line);
	fprintf(c->out, fmt, a, b);
	fputc('\n', c->out);
	c->problems++;
}

/* Words of code: split on blanks, quotes, brackets, commas and '='. */
static void check_paths(struct ctx *c, int line, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && strchr(" \t\"'`()[],;=|&<>", s[i]))
			i++;
		size_t w = i;
		while (i < len && !strchr(" \t\"'`()[],;=|&<>", s[i]))
			i++;
		if (i == w)
			continue;
		char word[1024];
		size_t n = i - w < sizeof word - 1 ? i - w : sizeof word - 1;
		memcpy(word, s + w, n);
		word[n] = '\0';
		/* "file.c:42", "dir/", "file." at the end of a sentence */
		char *colon = strchr(word, ':');
		if (colon)
			*colon = '\0';
		n = strlen(word);
		while (n > 0 && strchr("./", word[n - 1]))
			word[--n] = '\0';
		if (n == 0 || strpbrk(word, "*?[{$<") || !is_repo_path(c->root, word))
			continue;
		char full[4096];
		snprintf(full, sizeof full, "%s/%s", c->root, word);
		if (!exists(full))
			problem(c, line, "code names '%s', which is not in the repository%s",
				word, "; fix the path or stop naming it");
	}
}

/*
 * The next blank-separated word of a command line, as the shell splits it:
 * a quoted part (APPEND="console=ttyS0 quiet") stays in its word. NULL at
 * the end.
 */
static char *next_word(char **p)
{
	char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	char *w = s;
	char quote = 0;
	for (; *s && (quote || (*s != ' ' && *s != '\t')); s++)
		if (quote ? *s == quote : (*s == '"' || *s == '\''))
			quote = quote ? 0 : *s;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

static void check_make(struct ctx *c, int line, const char *s, size_t len)
{
	char buf[1024];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *p = buf;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '$' && p[1] == ' ')
		p += 2;
	if (strncmp(p, "make", 4) != 0 || (p[4] != ' ' && p[4] != '\0'))
		return;
	p += 4;
	char *stop = strpbrk(p, ";|#&");
	if (stop)
		*stop = '\0';
	const char *lab = NULL;
	char *goals[32];
	size_t ngoals = 0;
	for (char *w; (w = next_word(&p)) != NULL;) {
		if (w[0] == '-')
			continue;
		char *eq = strchr(w, '=');
		if (eq) {
			*eq = '\0';
			if (strcmp(w, "LAB") == 0 && !is_placeholder(eq + 1))
				lab = eq + 1;
			continue;
		}
		if (is_placeholder(w))
			continue;
		if (!hc_makedb_has_target(c->db, w))
			problem(c, line, "'make %s': the Makefile has no such target%s", w,
				"; fix the command or add the target");
		else if (ngoals < sizeof goals / sizeof goals[0])
			goals[ngoals++] = w;
	}
	if (lab == NULL || has_lab(c->db, lab))
		return;
	/*
	 * A lab not yet in $(LABS) still answers the commands the Makefile
	 * dispatches to $(LAB)-<goal> (qemu, qemu-gdb, gdb, bench): accept
	 * LAB=x when x-<goal> exists for every goal of the command.
	 */
	int dispatched = ngoals > 0;
	for (size_t i = 0; i < ngoals && dispatched; i++) {
		char t[256];
		dispatched = (size_t)snprintf(t, sizeof t, "%s-%s", lab, goals[i]) < sizeof t &&
			     hc_makedb_has_target(c->db, t);
	}
	if (!dispatched)
		problem(c, line, "'make ... LAB=%s': no such lab in $(LABS)%s", lab,
			", nor a target LAB-GOAL for this command; name a lab the Makefile has");
}

static void check_code(struct ctx *c, int line, const char *s, size_t len)
{
	check_paths(c, line, s, len);
	check_make(c, line, s, len);
}

/*
 * Is `name` (len bytes) a lab of labs/sequence? A student's tree (make
 * dist) has only its own lab's handout; handouts.mk gives each other lab of
 * the sequence a stand-in page, so a link to one is not broken.
 */
static int in_sequence(const char *root, const char *name, size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/labs/sequence", root);
	char *seq = hc_read_file(path, NULL);
	if (seq == NULL)
		return 0;
	int found = 0;
	for (char *l = strtok(seq, " \t\n"); l && !found; l = strtok(NULL, " \t\n"))
		found = strlen(l) == len && strncmp(l, name, len) == 0;
	free(seq);
	return found;
}

static void check_link(struct ctx *c, int line, const char *t, size_t len, int image)
{
	char target[2048];
	if (len >= sizeof target)
		len = sizeof target - 1;
	memcpy(target, t, len);
	target[len] = '\0';
	char *sp = strchr(target, ' '); /* [x](url "title") */
	if (sp)
		*sp = '\0';
	if (strncmp(target, "http://", 7) == 0 || strncmp(target, "https://", 8) == 0 ||
	    strncmp(target, "mailto:", 7) == 0 || target[0] == '#')
		return;
	char *hash = strchr(target, '#');
	if (hash)
		*hash = '\0';
	char want[4096];
	size_t n = strlen(target);
	if (strncmp(target, "diagrams/", 9) == 0 && n > 4 &&
	    (strcmp(target + n - 4, ".svg") == 0 || strcmp(target + n - 4, ".png") == 0)) {
		snprintf(want, sizeof want, "%s/handouts/%.*s.gv", c->root, (int)(n - 4), target);
		if (!exists(want))
			problem(c, line, "image '%s' has no diagram source (%s)", target, want);
		return;
	}
	if (!image && n > 5 && strcmp(target + n - 5, ".html") == 0 && !strchr(target, ':')) {
		snprintf(want, sizeof want, "%s/%.*s.md", c->md_dir, (int)(n - 5), target);
		if (!exists(want) && !in_sequence(c->root, target, n - 5))
			problem(c, line, "link to '%s', but there is no handout %s", target, want);
		return;
	}
	problem(c, line, "%s '%s' is neither a web address, a handout page (PAGE.html) nor a diagram (diagrams/NAME.svg)",
		image ? "image" : "link", target);
}

int hc_check_markdown_text(const char *name, const char *text, const char *md_dir,
			   const char *root, const struct hc_makedb *db, FILE *out)
{
	struct ctx c = { name, md_dir, root, db, out, 0 };
	const char *p = text;
	int line = 1;
	int in_fence = 0, fence_line = 0;
	char fence_char = 0;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *q = p;
		while (q < p + len && *q == ' ' && q - p < 3)
			q++;
		/* a fence opens with ``` or ~~~ and an optional info string, and
		 * closes only with the same characters and nothing else (pandoc,
		 * CommonMark 4.5): "``` text" inside a block does not close it */
		int fence = (q[0] == '`' || q[0] == '~') && q[1] == q[0] && q[2] == q[0];
		if (fence && in_fence) {
			const char *r = q;
			while (r < p + len && *r == fence_char)
				r++;
			while (r < p + len && (*r == ' ' || *r == '\t'))
				r++;
			fence = q[0] == fence_char && r == p + len;
		}
		if (fence) {
			in_fence = !in_fence;
			fence_char = q[0];
			fence_line = line;
		} else if (in_fence) {
			check_code(&c, line, p, len);
		} else {
			/* inline code spans, then links outside them */
			size_t i = 0;
			while (i < len) {
				if (p[i] == '`') {
					size_t run = 0;
					while (i + run < len && p[i + run] == '`')
						run++;
					size_t j = i + run;
					size_t close = 0;
					while (j < len) {
						if (p[j] == '`') {
							size_t r2 = 0;
							while (j + r2 < len && p[j + r2] == '`')
								r2++;
							if (r2 == run) {
								close = j;
								break;
							}
							j += r2;
						} else {
							j++;
						}
					}
					if (close) {
						size_t s = i + run;
						while (s < close && p[s] == ' ')
							s++;
						check_code(&c, line, p + s, close - s);
						i = close + run;
					} else {
						i += run;
					}
				} else if (p[i] == ']' && i + 1 < len && p[i + 1] == '(') {
					size_t s = i + 2, e = s;
					int depth = 1;
					while (e < len && depth) {
						if (p[e] == '(')
							depth++;
						else if (p[e] == ')')
							depth--;
						if (depth)
							e++;
					}
					/* image if the matching '[' follows a '!' */
					int image = 0;
					for (size_t k = i; k-- > 0;) {
						if (p[k] == '[') {
							image = k > 0 && p[k - 1] == '!';
							break;
						}
					}
					check_link(&c, line, p + s, e - s, image);
					i = e;
				} else {
					i++;
				}
			}
		}
		line++;
		p += len + (end != NULL);
	}
	if (in_fence)
		problem(&c, fence_line, "the code block opened here is never closed%s%s",
			"; close it with a line of only ``` (text after the fence keeps it open)", "");
	return c.problems;
}

int hc_check_markdown(const char *md_path, const char *root, const struct hc_makedb *db, FILE *out)
{
	char *text = hc_read_file(md_path, NULL);
	if (text == NULL) {
		fprintf(out, "%s: cannot read: %s\n", md_path, strerror(errno));
		return -1;
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", md_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	int n = hc_check_markdown_text(md_path, text, dir, root, db, out);
	free(text);
	return n;
}

/* %XX in a URL fragment (pandoc may escape non-ASCII ids). */
static void url_decode(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static int has_id(const char *html, const char *id)
{
	char pat[2100];
	snprintf(pat, sizeof pat, "id=\"%s\"", id);
	return strstr(html, pat) != NULL;
}

static int line_of(const char *text, const char *at)
{
	int n = 1;
	for (const char *p = text; p < at; p++)
		n += *p == '\n';
	return n;
}

int hc_check_html(const char *html_path, FILE *out)
{
	char *html = hc_read_file(html_path, NULL);
	if (html == NULL) {
		fprintf(out, "%s: cannot read: %s\n", html_path, strerror(errno));
		return -1;
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", html_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	int problems = 0;
	static const char *const attrs[] = { " src=\"", " href=\"" };
	for (int a = 0; a < 2; a++) {
		for (const char *p = strstr(html, attrs[a]); p; p = strstr(p + 1, attrs[a])) {
			const char *v = p + strlen(attrs[a]);
			const char *e = strchr(v, '"');
			if (e == NULL)
				break;
			char url[4096];
			size_t n = (size_t)(e - v) < sizeof url - 1 ? (size_t)(e - v) : sizeof url - 1;
			memcpy(url, v, n);
			url[n] = '\0';
			int line = line_of(html, p);
			if (strncmp(url, "data:", 5) == 0)
				continue;
			if (a == 0) {
				fprintf(out, "%s:%d: src=\"%.80s\" was not embedded: the image is missing or remote\n",
					html_path, line, url);
				problems++;
				continue;
			}
			if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0 ||
			    strncmp(url, "mailto:", 7) == 0)
				continue;
			char *hash = strchr(url, '#');
			char frag[2048] = "";
			if (hash) {
				snprintf(frag, sizeof frag, "%s", hash + 1);
				url_decode(frag);
				*hash = '\0';
			}
			if (url[0] == '\0') {
				if (frag[0] && !has_id(html, frag)) {
					fprintf(out, "%s:%d: link to #%s, but the page has no such id\n",
						html_path, line, frag);
					problems++;
				}
				continue;
			}
			char target[8192];
			snprintf(target, sizeof target, "%s/%s", dir, url);
			char *other = hc_read_file(target, NULL);
			if (other == NULL) {
				fprintf(out, "%s:%d: link to '%s', which does not exist (%s)\n",
					html_path, line, url, target);
				problems++;
				continue;
			}
			if (frag[0] && !has_id(other, frag)) {
				fprintf(out, "%s:%d: link to %s#%s, but that page has no such id\n",
					html_path, line, url, frag);
				problems++;
			}
			free(other);
		}
	}
	free(html);
	return problems;
}

/* The words of the glossary's "쓰지 않는 말" table (see hcheck.h). */
#define HC_RETIRED_HEADER "쓰지 않는 말"

/* Cell `i` (0-based) of a Markdown table row, trimmed, malloc'd; NULL if none. */
static char *table_cell(const char *line, size_t len, int i)
{
	const char *p = line, *e = line + len;
	if (p < e && *p == '|')
		p++;
	for (int k = 0; p < e; k++) {
		const char *bar = memchr(p, '|', (size_t)(e - p));
		const char *end = bar ? bar : e;
		if (k == i) {
			while (p < end && (*p == ' ' || *p == '`'))
				p++;
			while (end > p && (end[-1] == ' ' || end[-1] == '`'))
				end--;
			return strndup(p, (size_t)(end - p));
		}
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return NULL;
}

void hc_words_parse(struct hc_words *w, const char *text)
{
	memset(w, 0, sizeof *w);
	size_t ninstead = 0;
	int in_table = 0;
	const char *line = text;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > 0 && line[0] == '|') {
			char *first = table_cell(line, len, 0);
			if (first && strcmp(first, HC_RETIRED_HEADER) == 0) {
				in_table = 1;
			} else if (in_table && first && first[0] && first[0] != '-' && first[0] != ':') {
				char *second = table_cell(line, len, 1);
				push(&w->word, &w->n, first, strlen(first));
				push(&w->instead, &ninstead, second ? second : "", second ? strlen(second) : 0);
				free(second);
			}
			free(first);
		} else {
			in_table = 0;
		}
		line += len + (end != NULL);
	}
}

int hc_words_load(struct hc_words *w, const char *glossary_path)
{
	char *text = hc_read_file(glossary_path, NULL);
	if (text == NULL)
		return -1;
	hc_words_parse(w, text);
	free(text);
	return w->n ? 0 : -2;
}

void hc_words_free(struct hc_words *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->word[i]);
		free(w->instead[i]);
	}
	free(w->word);
	free(w->instead);
	memset(w, 0, sizeof *w);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Retired words in text[from, to) of line `line`; the number reported. */
static int retired_in(const char *name, int line, const char *from, const char *to,
		      const struct hc_words *w, FILE *out)
{
	int problems = 0;
	for (size_t i = 0; i < w->n; i++) {
		size_t wl = strlen(w->word[i]);
		for (const char *p = from; wl && p + wl <= to; p++) {
			if (memcmp(p, w->word[i], wl) == 0) {
				fprintf(out, "%s:%d: retired word '%s': write '%s' (handouts/ko/glossary.md)\n",
					name, line, w->word[i], w->instead[i]);
				problems++;
				break;
			}
		}
	}
	return problems;
}

int hc_check_retired_words(const char *name, const char *text, const struct hc_words *w, FILE *out)
{
	if (strcmp(base_name(name), "glossary.md") == 0)
		return 0;
	int problems = 0, line = 1;
	const char *p = text;
	while (*p) {
		const char *end = strchr(p, '\n');
		const char *e = end ? end : p + strlen(p);
		problems += retired_in(name, line, p, e, w, out);
		line++;
		p = end ? end + 1 : e;
	}
	return problems;
}

/* Words of three or more ASCII letters in s[0, len), outside <tags>. */
static int english_words(const char *s, size_t len)
{
	int words = 0, run = 0, in_tag = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : ' ';
		if (c == '<')
			in_tag = 1;
		int letter = !in_tag && isalpha((unsigned char)c);
		if (letter) {
			run++;
		} else {
			if (run >= 3)
				words++;
			run = 0;
		}
		if (c == '>')
			in_tag = 0;
	}
	return words;
}

int hc_check_diagram_labels(const char *name, const char *text, const struct hc_words *w, FILE *out)
{
	int problems = 0;
	for (const char *p = strstr(text, "{{"); p; p = strstr(p + 2, "{{")) {
		const char *bars = strstr(p + 2, "||");
		const char *close = strstr(p + 2, "}}");
		if (bars == NULL || close == NULL || bars > close)
			continue;
		int line = line_of(text, p);
		const char *en = p + 2, *ko = bars + 2;
		size_t enl = (size_t)(bars - en), kol = (size_t)(close - ko);
		problems += retired_in(name, line, ko, close, w, out);
		if (enl == kol && memcmp(en, ko, enl) == 0 && english_words(en, enl) >= 2) {
			fprintf(out, "%s:%d: label '%.*s' is English in the Korean figure too; translate its Korean half\n",
				name, line, (int)(enl > 60 ? 60 : enl), en);
			problems++;
		}
	}
	return problems;
}

int hc_check_glossary_link(const char *name, const char *text, FILE *out)
{
	if (strcmp(base_name(name), "glossary.md") == 0 || strstr(text, "](glossary.html)"))
		return 0;
	fprintf(out, "%s:1: no link to the glossary; add [glossary](glossary.html) (Korean: [용어집](glossary.html)) to the page links on the first line\n",
		name);
	return 1;
}

/*
 * hcheck.h: the handouts' reference checker, used by `make handouts` (as
 * build/handouts/hcheck) and by the handout tests.
 *
 * The rule, for handout Markdown (handouts/LANG/PAGE.md):
 *  - Code is every fenced block and every inline `code` span.
 *  - A word in code that starts with a top-level directory of the
 *    repository followed by '/' (common/, labs/, handouts/, lab01-trap-emulate/
 *    ...) names a repository path: it must exist as a file or a directory.
 *    A trailing ':LINE', '/' or punctuation is dropped first; words with
 *    glob or placeholder characters (* ? [ < { $) are not paths. Paths under
 *    build/ are products of the build and are not checked.
 *  - A code line (or inline span) that starts with `make` (after an optional
 *    "$ " prompt) is a command: up to ';', '&&', '|' or '#', every word that
 *    is not an option (-x) nor an assignment (VAR=value) must be a target in
 *    the make database of the tree; LAB=value must be one of $(LABS), or,
 *    for a lab not yet in $(LABS), name a lab that has the target
 *    value-GOAL for every GOAL of the command (the top Makefile runs
 *    `make qemu LAB=lab02` as lab02-qemu). Words
 *    with characters other than a-z, 0-9, '_', '.', '/', '-' are
 *    placeholders (make <target>) and are not checked.
 *  - A link or image outside code may point at a web address (http, https,
 *    mailto; not fetched), at a handout page PAGE.html or ../LANG/PAGE.html
 *    (handouts/LANG/PAGE.md must exist), or at diagrams/NAME.svg or .png
 *    (handouts/diagrams/NAME.gv must exist). Anything else is an error.
 * For the HTML pandoc wrote (self-contained): every src= is a data: URL
 * (an image pandoc could not embed is missing), every href="#id" names an
 * id of the page, and every relative href names an existing page (and id).
 */
#ifndef HCHECK_H
#define HCHECK_H

#include <stddef.h>
#include <stdio.h>

struct hc_makedb {
	char **targets;
	size_t ntargets;
	char **labs;
	size_t nlabs;
};

/* Reads `make -pq` output; 0 on success, -1 (with errno) if unreadable. */
int hc_makedb_load(struct hc_makedb *db, const char *path);
/* Same, from text in memory (tests). */
void hc_makedb_parse(struct hc_makedb *db, const char *text);
void hc_makedb_free(struct hc_makedb *db);
int hc_makedb_has_target(const struct hc_makedb *db, const char *t);

/*
 * Each checker prints one line per problem to `out` ("FILE:LINE: what is
 * wrong; what to do") and returns the number of problems (-1: unreadable).
 */
int hc_check_markdown(const char *md_path, const char *root,
		      const struct hc_makedb *db, FILE *out);
int hc_check_markdown_text(const char *name, const char *text,
			   const char *md_dir, const char *root,
			   const struct hc_makedb *db, FILE *out);
int hc_check_html(const char *html_path, FILE *out);

/*
 * The Korean words the handouts no longer use, with what to write instead:
 * the rows of the table whose header starts with "쓰지 않는 말" in
 * handouts/ko/glossary.md (the one place the list is kept; the glossary
 * shows it to writers). A Korean source (handouts/ko/PAGE.md, except the
 * glossary itself) may not contain a retired word anywhere; in a diagram
 * source only the Korean half of each {{English||한국어}} label counts.
 * A diagram label whose Korean half is the English half again (two or more
 * English words, untranslated) is reported too.
 */
struct hc_words {
	char **word;
	char **instead;
	size_t n;
};
/* 0 on success, -1 (with errno) if unreadable; an empty list is an error (-2). */
int hc_words_load(struct hc_words *w, const char *glossary_path);
void hc_words_parse(struct hc_words *w, const char *text);
void hc_words_free(struct hc_words *w);
int hc_check_retired_words(const char *name, const char *text, const struct hc_words *w,
			   FILE *out);
int hc_check_diagram_labels(const char *name, const char *text, const struct hc_words *w,
			    FILE *out);
/*
 * Every handout page except the glossary links to it (glossary.html, in
 * its own language), so that a reader can look a term up from any page.
 */
int hc_check_glossary_link(const char *name, const char *text, FILE *out);

/* Reads a whole file (NUL-terminated, malloc'd) or NULL. */
char *hc_read_file(const char *path, size_t *len);

#endif

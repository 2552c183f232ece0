/*
 * main.c: hcheck --root DIR --make-db FILE [--glossary KO_GLOSSARY]
 *         PAGE.md... PAGE.html... DIAGRAM.gv...
 * Checks handout sources and pandoc's output against the rule in hcheck.h;
 * exit status 1 on any problem, so that `make handouts` fails. With
 * --glossary, Korean pages (a path with /ko/) and diagram sources are also
 * checked for the glossary's retired words, and every page for a link to
 * the glossary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hcheck.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* The checks on a source's text that do not depend on the repository. */
static int check_text(const char *path, const struct hc_words *words)
{
	char *text = hc_read_file(path, NULL);
	if (text == NULL) {
		perror(path);
		return 1;
	}
	int r = 0;
	if (ends_with(path, ".gv")) {
		r += hc_check_diagram_labels(path, text, words, stderr);
	} else {
		r += hc_check_glossary_link(path, text, stderr);
		if (strstr(path, "/ko/"))
			r += hc_check_retired_words(path, text, words, stderr);
	}
	free(text);
	return r;
}

int main(int argc, char **argv)
{
	const char *root = ".", *dbpath = NULL, *glossary = NULL;
	int i = 1;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--root") == 0)
			root = argv[i + 1];
		else if (strcmp(argv[i], "--make-db") == 0)
			dbpath = argv[i + 1];
		else if (strcmp(argv[i], "--glossary") == 0)
			glossary = argv[i + 1];
		else
			break;
	}
	struct hc_makedb db = { 0 };
	if (dbpath && hc_makedb_load(&db, dbpath) != 0) {
		perror(dbpath);
		return 2;
	}
	struct hc_words words = { 0 };
	if (glossary) {
		int r = hc_words_load(&words, glossary);
		if (r != 0) {
			fprintf(stderr, "hcheck: %s: %s\n", glossary,
				r == -1 ? "cannot read the glossary" :
				"no table headed '쓰지 않는 말' (the retired Korean words) in the glossary");
			hc_makedb_free(&db);
			return 2;
		}
	}
	int problems = 0, files = 0;
	for (; i < argc; i++) {
		int r = 0;
		if (ends_with(argv[i], ".md")) {
			r = hc_check_markdown(argv[i], root, &db, stderr);
			if (r < 0)
				r = 1;
		} else if (!ends_with(argv[i], ".gv")) {
			r = hc_check_html(argv[i], stderr);
			if (r < 0)
				r = 1;
		}
		if (glossary && !ends_with(argv[i], ".html"))
			r += check_text(argv[i], &words);
		problems += r;
		files++;
	}
	hc_makedb_free(&db);
	hc_words_free(&words);
	if (problems)
		fprintf(stderr, "hcheck: %d problem(s) in %d handout files (rule: handouts/check/hcheck.h)\n",
			problems, files);
	return problems ? 1 : 0;
}

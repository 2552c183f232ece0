/*
 * main.c: hcheck --root DIR --make-db FILE PAGE.md... PAGE.html...
 * Checks handout sources and pandoc's output against the rule in hcheck.h;
 * exit status 1 on any problem, so that `make handouts` fails.
 */
#include <stdio.h>
#include <string.h>
#include "hcheck.h"

int main(int argc, char **argv)
{
	const char *root = ".", *dbpath = NULL;
	int i = 1;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--root") == 0)
			root = argv[i + 1];
		else if (strcmp(argv[i], "--make-db") == 0)
			dbpath = argv[i + 1];
		else
			break;
	}
	struct hc_makedb db = { 0 };
	if (dbpath && hc_makedb_load(&db, dbpath) != 0) {
		perror(dbpath);
		return 2;
	}
	int problems = 0, files = 0;
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);
		int r;
		if (n > 3 && strcmp(argv[i] + n - 3, ".md") == 0)
			r = hc_check_markdown(argv[i], root, &db, stderr);
		else
			r = hc_check_html(argv[i], stderr);
		problems += r < 0 ? 1 : r;
		files++;
	}
	hc_makedb_free(&db);
	if (problems)
		fprintf(stderr, "hcheck: %d problem(s) in %d handout files (rule: handouts/check/hcheck.h)\n",
			problems, files);
	return problems ? 1 : 0;
}

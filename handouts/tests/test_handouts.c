/*
 * test_handouts.c: the handouts build what they promise.
 *
 * Runs after `make handouts` (handouts.mk builds it under TEST_TARGETS):
 *  - every diagram source renders in both languages, with labels translated;
 *  - every handout exists in English and Korean, as HTML and PDF;
 *  - sources and pages pass the reference checker (handouts/check/hcheck.h:
 *    links, images, repository paths and make targets named in code), and
 *    the checker does catch each kind of mistake in broken fixtures;
 *  - every page links to the glossary, and no Korean page or Korean diagram
 *    label uses a word the Korean glossary retires (its table "쓰지 않는
 *    말"), nor leaves a label untranslated;
 *  - headless Chromium renders every page with all images loaded and no
 *    console error, keeping a screenshot per page in
 *    build/handouts/screenshots/; and the same probe does see a broken
 *    image and a console error in a broken fixture.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hcheck.h"
#include "kit.h"

#define MAXN 64

static const char *const langs[] = { "en", "ko" };

/* Names NAME of DIR/NAME.EXT, sorted; returns how many. */
static int list(const char *dir, const char *ext, char names[][128], int max)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	int n = 0;
	struct dirent *e;
	size_t el = strlen(ext);
	while ((e = readdir(d)) != NULL && n < max) {
		size_t l = strlen(e->d_name);
		if (l > el && strcmp(e->d_name + l - el, ext) == 0 && l - el < 128) {
			memcpy(names[n], e->d_name, l - el);
			names[n][l - el] = '\0';
			n++;
		}
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
	return n;
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Runs a shell command; its exit status (or -1). Output to `log` if given. */
static int run(const char *cmd, const char *log)
{
	char full[8192];
	snprintf(full, sizeof full, "cd '%s' && { %s ; } >'%s' 2>&1", kit_root(), cmd,
		 log ? log : "/dev/null");
	int st = system(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int has_hangul(const char *s)
{
	/* U+AC00..U+D7A3 in UTF-8: EA B0 80 .. ED 9E A3 */
	for (const unsigned char *p = (const unsigned char *)s; p[0] && p[1]; p++)
		if ((p[0] == 0xea && p[1] >= 0xb0) || p[0] == 0xeb || p[0] == 0xec ||
		    (p[0] == 0xed && p[1] <= 0x9e))
			return 1;
	return 0;
}

KIT_TEST(handouts, diagrams_render_in_both_languages,
	 .description = "Every Graphviz source under handouts/diagrams renders to SVG and PNG in English and Korean, and only the Korean figures contain Hangul",
	 .timeout = 120)
{
	char names[MAXN][128];
	int n = list(kit_path("handouts/diagrams"), ".gv", names, MAXN);
	cr_assert(n >= 6, "expected at least 6 diagram sources in handouts/diagrams, got %d", n);
	for (int i = 0; i < n; i++) {
		for (int l = 0; l < 2; l++) {
			char cmd[1024], svg[512];
			snprintf(cmd, sizeof cmd,
				 "handouts/diagrams/gvpp.sh %s handouts/diagrams/%s.gv > /tmp/kit-ho-%d.gv && dot -Tsvg /tmp/kit-ho-%d.gv > /dev/null; r=$?; rm -f /tmp/kit-ho-%d.gv; exit $r",
				 langs[l], names[i], (int)getpid(), (int)getpid(), (int)getpid());
			cr_expect(run(cmd, NULL) == 0,
				  "handouts/diagrams/%s.gv (%s): expected gvpp.sh | dot to succeed, got a failure; run the command by hand to see the error",
				  names[i], langs[l]);
			snprintf(svg, sizeof svg, "build/handouts/%s/diagrams/%s.svg", langs[l], names[i]);
			char png[512];
			snprintf(png, sizeof png, "build/handouts/%s/diagrams/%s.png", langs[l], names[i]);
			cr_expect(file_size(kit_path(png)) > 1000, "expected %s from `make handouts`, got none or empty", png);
			char *text = hc_read_file(kit_path(svg), NULL);
			cr_expect(text != NULL, "expected %s from `make handouts`, got none", svg);
			if (text) {
				cr_expect(has_hangul(text) == (l == 1),
					  "%s: expected %s labels, got %s; write every label as {{English||한국어}}",
					  svg, l ? "Korean" : "English only", l ? "no Hangul" : "Hangul");
				free(text);
			}
		}
	}
}

KIT_TEST(handouts, broken_diagram_fails_the_build,
	 .description = "A diagram source with a syntax error or an unknown layer kind makes the diagram step fail",
	 .timeout = 60)
{
	cr_assert(run("handouts/diagrams/gvpp.sh en handouts/tests/fixtures/broken.gv > /tmp/kit-ho-b.gv && dot -Tsvg /tmp/kit-ho-b.gv >/dev/null", NULL) != 0,
		  "expected dot to fail on handouts/tests/fixtures/broken.gv, got success");
	cr_assert(run("handouts/diagrams/gvpp.sh en handouts/tests/fixtures/typo.gv", NULL) != 0,
		  "expected gvpp.sh to fail on the unknown kind in handouts/tests/fixtures/typo.gv, got success");
	run("rm -f /tmp/kit-ho-b.gv", NULL);
}

KIT_TEST(handouts, every_handout_in_both_languages,
	 .description = "Each handout has an English and a Korean source, and both are built to HTML and PDF",
	 .timeout = 30)
{
	char en[MAXN][128], ko[MAXN][128];
	int ne = list(kit_path("handouts/en"), ".md", en, MAXN);
	int nk = list(kit_path("handouts/ko"), ".md", ko, MAXN);
	cr_assert(ne >= 5, "expected at least overview and lab01..lab04 in handouts/en, got %d pages", ne);
	cr_assert_eq(ne, nk, "expected as many Korean pages as English ones, got %d en and %d ko", ne, nk);
	const char *need[] = { "overview", "lab01", "lab02", "lab03", "lab04" };
	for (int k = 0; k < 5; k++) {
		int found = 0;
		for (int i = 0; i < ne; i++)
			found |= strcmp(en[i], need[k]) == 0;
		cr_expect(found, "expected handouts/en/%s.md, got none", need[k]);
	}
	for (int i = 0; i < ne; i++) {
		cr_expect_str_eq(en[i], ko[i], "expected handouts/ko/%s.md next to handouts/en/%s.md", en[i], en[i]);
		for (int l = 0; l < 2; l++) {
			char path[512];
			snprintf(path, sizeof path, "build/handouts/%s/%s.html", langs[l], en[i]);
			cr_expect(file_size(kit_path(path)) > 2000, "expected %s from `make handouts`, got none", path);
			snprintf(path, sizeof path, "build/handouts/%s/%s.pdf", langs[l], en[i]);
			char *pdf = hc_read_file(kit_path(path), NULL);
			cr_expect(pdf && strncmp(pdf, "%PDF-", 5) == 0, "expected a PDF at %s, got %s", path,
				  pdf ? "another kind of file" : "none");
			free(pdf);
		}
	}
}

static struct hc_makedb db;

static void load_db(void)
{
	cr_assert(hc_makedb_load(&db, kit_path("build/handouts/make-db.txt")) == 0,
		  "expected build/handouts/make-db.txt (make handouts writes it), got none");
	cr_assert(hc_makedb_has_target(&db, "help") && db.nlabs > 0,
		  "expected the make database to list the target help and $(LABS), got %zu targets and %zu labs",
		  db.ntargets, db.nlabs);
}

KIT_TEST(handouts, sources_name_only_real_files_and_targets,
	 .description = "Handout sources link only to existing pages and diagrams, and their code names only existing repository paths, make targets and labs",
	 .timeout = 60)
{
	load_db();
	for (int l = 0; l < 2; l++) {
		char dir[256], names[MAXN][128];
		snprintf(dir, sizeof dir, "handouts/%s", langs[l]);
		int n = list(kit_path(dir), ".md", names, MAXN);
		for (int i = 0; i < n; i++) {
			char path[512];
			snprintf(path, sizeof path, "%.100s/%.127s.md", dir, names[i]);
			char *buf = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&buf, &len);
			int r = hc_check_markdown(kit_path(path), kit_root(), &db, out);
			fclose(out);
			cr_expect(r == 0, "expected no reference problems in %s, got %d:\n%s", path, r, buf);
			free(buf);
		}
	}
	hc_makedb_free(&db);
}

KIT_TEST(handouts, checker_catches_each_mistake,
	 .description = "The reference checker reports a broken link, a missing diagram, a missing file, an unknown make target, an unknown lab and an unclosed code block, and accepts correct references (a link to a lab of labs/sequence without a page beside it included)",
	 .timeout = 30)
{
	load_db();
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int r = hc_check_markdown(kit_path("handouts/tests/fixtures/broken.md"), kit_root(), &db, out);
	fclose(out);
	const char *want[] = { "no-such-page.html", "no-such-diagram.svg", "vmm/no-such-file.c",
			       "make no-such-target", "LAB=lab77", "csr.c'", "never closed" };
	for (int i = 0; i < 7; i++)
		cr_expect(strstr(buf, want[i]) != NULL,
			  "expected handouts/tests/fixtures/broken.md to be reported for '%s', got:\n%s", want[i], buf);
	cr_expect_eq(r, 7, "expected 7 problems in broken.md, got %d:\n%s", r, buf);
	free(buf);

	buf = NULL;
	out = open_memstream(&buf, &len);
	r = hc_check_markdown(kit_path("handouts/tests/fixtures/good.md"), kit_root(), &db, out);
	fclose(out);
	cr_expect_eq(r, 0, "expected handouts/tests/fixtures/good.md to pass, got %d problems:\n%s", r, buf);
	free(buf);

	buf = NULL;
	out = open_memstream(&buf, &len);
	r = hc_check_html(kit_path("handouts/tests/fixtures/broken.html"), out);
	fclose(out);
	cr_expect_eq(r, 3, "expected 3 problems in broken.html (anchor, page, image), got %d:\n%s", r, buf);
	free(buf);
	hc_makedb_free(&db);
}

KIT_TEST(handouts, lab_outside_labs_only_for_its_dispatched_goals,
	 .description = "A make command may name a lab not yet in $(LABS) only for goals the lab has a LAB-GOAL target for (make qemu LAB=lab02 runs lab02-qemu), and a quoted APPEND=\"a b\" is one word, not a target b",
	 .timeout = 30)
{
	struct hc_makedb fake;
	hc_makedb_parse(&fake, "LABS := lab01\nhelp:\nqemu:\nbench:\ngrade:\nlab01-qemu:\n"
			       "lab02-qemu:\nlab02-bench:\n");
	const char *good = "```sh\n"
			   "make qemu LAB=lab02 GUEST=linux APPEND=\"console=ttyS0 quiet kittoken=demo\"\n"
			   "make bench LAB=lab02\n"
			   "make qemu LAB=lab01 APPEND='a b'\n"
			   "```\n";
	const char *bad = "`make grade LAB=lab02` (no lab02-grade), `make qemu LAB=lab03`, "
			  "`make LAB=lab02` (no goal to dispatch)\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int r = hc_check_markdown_text("good", good, ".", kit_root(), &fake, out);
	fclose(out);
	cr_expect_eq(r, 0, "expected the dispatched commands to pass, got %d problems:\n%s", r, buf);
	free(buf);

	buf = NULL;
	out = open_memstream(&buf, &len);
	r = hc_check_markdown_text("bad", bad, ".", kit_root(), &fake, out);
	fclose(out);
	cr_expect_eq(r, 3, "expected 3 problems (grade LAB=lab02, LAB=lab03, no goal), got %d:\n%s", r, buf);
	free(buf);
	hc_makedb_free(&fake);
}

static struct hc_words words;

static void load_words(void)
{
	cr_assert(hc_words_load(&words, kit_path("handouts/ko/glossary.md")) == 0,
		  "expected handouts/ko/glossary.md with a table headed '쓰지 않는 말' (the retired Korean words), got %s",
		  words.n ? "an unreadable file" : "no such table");
}

/* Runs one text check on a file; the problems it printed go to *report. */
static int check_file(const char *path, int (*check)(const char *, const char *, const struct hc_words *, FILE *),
		      char **report)
{
	char *text = hc_read_file(kit_path(path), NULL);
	cr_assert(text != NULL, "expected %s, got none", path);
	size_t len = 0;
	*report = NULL;
	FILE *out = open_memstream(report, &len);
	int r = check(path, text, &words, out);
	fclose(out);
	free(text);
	return r;
}

static int glossary_link(const char *name, const char *text, const struct hc_words *w, FILE *out)
{
	(void)w;
	return hc_check_glossary_link(name, text, out);
}

KIT_TEST(handouts, korean_sources_use_no_retired_word,
	 .description = "No Korean handout and no Korean diagram label uses a word the glossary retires, and no Korean label is left in English",
	 .timeout = 30)
{
	load_words();
	cr_assert(words.n >= 5, "expected at least 5 retired words in handouts/ko/glossary.md, got %zu", words.n);
	char names[MAXN][128];
	int n = list(kit_path("handouts/ko"), ".md", names, MAXN);
	for (int i = 0; i < n; i++) {
		char path[256], *report;
		snprintf(path, sizeof path, "handouts/ko/%.127s.md", names[i]);
		int r = check_file(path, hc_check_retired_words, &report);
		cr_expect(r == 0, "expected no retired word in %s, got %d:\n%s", path, r, report);
		free(report);
	}
	n = list(kit_path("handouts/diagrams"), ".gv", names, MAXN);
	for (int i = 0; i < n; i++) {
		char path[256], *report;
		snprintf(path, sizeof path, "handouts/diagrams/%.127s.gv", names[i]);
		int r = check_file(path, hc_check_diagram_labels, &report);
		cr_expect(r == 0, "expected only Korean words the glossary allows in %s, got %d:\n%s", path, r, report);
		free(report);
	}
	hc_words_free(&words);
}

KIT_TEST(handouts, checker_catches_retired_words,
	 .description = "The checker reports each retired Korean word in a page and in a diagram's Korean labels, and an untranslated Korean label, but not the English halves",
	 .timeout = 30)
{
	load_words();
	char *report;
	int r = check_file("handouts/tests/fixtures/retired.md", hc_check_retired_words, &report);
	const char *want[] = { "'시험'", "'잘못된 명령어'", "'해독'" };
	for (int i = 0; i < 3; i++)
		cr_expect(strstr(report, want[i]) != NULL,
			  "expected handouts/tests/fixtures/retired.md to be reported for %s, got:\n%s", want[i], report);
	cr_expect_eq(r, 3, "expected 3 retired words in retired.md, got %d:\n%s", r, report);
	free(report);

	r = check_file("handouts/tests/fixtures/retired.gv", hc_check_diagram_labels, &report);
	cr_expect(strstr(report, "'시험'") && strstr(report, "Trap to the VMM"),
		  "expected retired.gv to be reported for '시험' and the English label, got:\n%s", report);
	cr_expect_eq(r, 2, "expected 2 problems in retired.gv (a retired word, an English label), got %d:\n%s", r, report);
	free(report);
	hc_words_free(&words);
}

KIT_TEST(handouts, every_page_links_to_the_glossary,
	 .description = "Every handout page in both languages links to the glossary, and the checker reports a page that does not",
	 .timeout = 30)
{
	for (int l = 0; l < 2; l++) {
		char dir[64], names[MAXN][128];
		snprintf(dir, sizeof dir, "handouts/%s", langs[l]);
		int n = list(kit_path(dir), ".md", names, MAXN);
		int found = 0;
		for (int i = 0; i < n; i++) {
			char path[256], *report;
			snprintf(path, sizeof path, "%s/%.127s.md", dir, names[i]);
			found |= strcmp(names[i], "glossary") == 0;
			int r = check_file(path, glossary_link, &report);
			cr_expect(r == 0, "expected %s to link to glossary.html, got:\n%s", path, report);
			free(report);
		}
		cr_expect(found, "expected %s/glossary.md, got none", dir);
	}
	char *report;
	int r = check_file("handouts/tests/fixtures/retired.md", glossary_link, &report);
	cr_expect(r == 1 && strstr(report, "glossary"),
		  "expected retired.md (no glossary link) to be reported once, got %d:\n%s", r, report);
	free(report);
}

KIT_TEST(handouts, pages_have_working_links_and_embedded_images,
	 .description = "Every built HTML page embeds all its images and links only to existing pages and anchors",
	 .timeout = 30)
{
	for (int l = 0; l < 2; l++) {
		char dir[256], names[MAXN][128];
		snprintf(dir, sizeof dir, "build/handouts/%s", langs[l]);
		int n = list(kit_path(dir), ".html", names, MAXN);
		cr_assert(n >= 5, "expected the pages of `make handouts` in %s, got %d", dir, n);
		for (int i = 0; i < n; i++) {
			char path[512];
			snprintf(path, sizeof path, "%.100s/%.127s.html", dir, names[i]);
			char *buf = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&buf, &len);
			int r = hc_check_html(kit_path(path), out);
			fclose(out);
			cr_expect(r == 0, "expected no broken links or images in %s, got %d:\n%s", path, r, buf);
			free(buf);
		}
	}
}

/*
 * The browser probe: a copy of the page with a script at the top of <head>
 * that records console.error calls and load errors (capture phase, so
 * failed images count), and after `load` writes one line with the number
 * of images, of loaded images and of errors into the DOM that
 * chromium --dump-dom prints.
 */
static const char probe_js[] =
	"<script>(function(){var errs=[];var ce=console.error;"
	"console.error=function(){errs.push(Array.prototype.join.call(arguments,' '));ce.apply(console,arguments);};"
	"window.addEventListener('error',function(e){var t=e.target;"
	"errs.push(t&&t!==window?'failed to load '+(t.src||t.href||t.tagName).slice(0,80):(e.message||'error'));},true);"
	"window.addEventListener('unhandledrejection',function(e){errs.push('unhandled rejection '+e.reason);});"
	"window.addEventListener('load',function(){setTimeout(function(){var im=document.images,ok=0,bad=[];"
	"for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;else bad.push((im[i].getAttribute('src')||'').slice(0,60));}"
	"var p=document.createElement('pre');p.textContent='KITPROBE images='+im.length+' loaded='+ok+' errors='+errs.length+' ENDPROBE '+JSON.stringify({bad:bad,errors:errs});"
	"document.body.appendChild(p);},0);});})();</script>";

#define CHROMIUM_FLAGS "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run " \
	"--disable-background-networking --disable-component-update --disable-sync"

struct probe {
	int images, loaded, errors;
	char detail[1024];
};

/* Renders `html` (a path under the kit) with the probe; 0 if it reported. */
static int browser_probe(const char *html, struct probe *pr, const char *screenshot)
{
	memset(pr, 0, sizeof *pr);
	char *page = hc_read_file(kit_path(html), NULL);
	if (page == NULL)
		return -1;
	/* the copy goes to a directory of its own: the pages are self-contained,
	 * and other tests list the build directory meanwhile */
	char dir[] = "/tmp/kit-ho-probe-XXXXXX";
	if (mkdtemp(dir) == NULL) {
		free(page);
		return -1;
	}
	char probed[512];
	snprintf(probed, sizeof probed, "%s/page.html", dir);
	FILE *f = fopen(probed, "w");
	if (f == NULL) {
		free(page);
		rmdir(dir);
		return -1;
	}
	char *head = strstr(page, "<head>");
	if (head) {
		fwrite(page, 1, (size_t)(head + 6 - page), f);
		fputs(probe_js, f);
		fputs(head + 6, f);
	} else {
		fputs(probe_js, f);
		fputs(page, f);
	}
	fclose(f);
	free(page);

	char cmd[4096], dom[600];
	const char *abs_probed = probed;
	snprintf(dom, sizeof dom, "%s/dom.html", dir);
	snprintf(cmd, sizeof cmd,
		 "d=$(mktemp -d) && timeout 60 chromium " CHROMIUM_FLAGS " --user-data-dir=\"$d\" "
		 "--virtual-time-budget=5000 --dump-dom 'file://%s' > %s 2>/dev/null; r=$?; rm -rf \"$d\"; exit $r",
		 abs_probed, dom);
	int r = run(cmd, NULL);
	char *out = hc_read_file(dom, NULL);
	unlink(dom);
	unlink(probed);
	rmdir(dir);
	if (r != 0 || out == NULL) {
		free(out);
		return -1;
	}
	char *line = strstr(out, "<pre>KITPROBE ");
	if (line)
		line += 5;
	int ok = line && sscanf(line, "KITPROBE images=%d loaded=%d errors=%d", &pr->images, &pr->loaded,
				&pr->errors) == 3;
	if (ok) {
		char *d = strstr(line, "ENDPROBE ");
		snprintf(pr->detail, sizeof pr->detail, "%.*s", (int)strcspn(d ? d + 9 : "", "<"), d ? d + 9 : "");
	}
	free(out);
	if (!ok)
		return -1;

	if (screenshot) {
		char abs_html[1024];
		char *rp = realpath(kit_path(html), NULL);
		snprintf(abs_html, sizeof abs_html, "%s", rp ? rp : html);
		free(rp);
		snprintf(cmd, sizeof cmd,
			 "mkdir -p build/handouts/screenshots && d=$(mktemp -d) && timeout 60 chromium " CHROMIUM_FLAGS
			 " --user-data-dir=\"$d\" --hide-scrollbars --window-size=1100,1800 --virtual-time-budget=3000 "
			 "--screenshot='%s' 'file://%s'; r=$?; rm -rf \"$d\"; exit $r",
			 kit_path(screenshot), abs_html);
		if (run(cmd, NULL) != 0)
			return -2;
	}
	return 0;
}

KIT_TEST(handouts, browser_renders_every_page,
	 .description = "Headless Chromium renders every handout page with all images loaded and no console errors, and keeps one screenshot per page",
	 .timeout = 600)
{
	int pages = 0;
	for (int l = 0; l < 2; l++) {
		char dir[256], names[MAXN][128];
		snprintf(dir, sizeof dir, "build/handouts/%s", langs[l]);
		int n = list(kit_path(dir), ".html", names, MAXN);
		for (int i = 0; i < n; i++) {
			if (strstr(names[i], ".probe-"))
				continue;
			char html[512], shot[512];
			snprintf(html, sizeof html, "%.100s/%.127s.html", dir, names[i]);
			snprintf(shot, sizeof shot, "build/handouts/screenshots/%.2s-%.127s.png", langs[l], names[i]);
			unlink(kit_path(shot));
			struct probe pr;
			int r = browser_probe(html, &pr, shot);
			cr_expect(r == 0, "%s: expected Chromium to render the page and report, got %s",
				  html, r == -2 ? "no screenshot" : "no report (is the chromium package installed?)");
			if (r == -1)
				continue;
			/* the glossary is a table of terms; every other page shows a diagram */
			if (strcmp(names[i], "glossary") != 0)
				cr_expect(pr.images >= 1, "%s: expected at least one diagram on the page, got none", html);
			cr_expect_eq(pr.loaded, pr.images, "%s: expected all %d images to load, got %d loaded: %s",
				     html, pr.images, pr.loaded, pr.detail);
			cr_expect_eq(pr.errors, 0, "%s: expected no console errors, got %d: %s", html, pr.errors,
				     pr.detail);
			cr_expect(file_size(kit_path(shot)) > 10000, "%s: expected a screenshot at %s, got none", html,
				  shot);
			pages++;
		}
	}
	cr_assert(pages >= 12, "expected at least 12 pages (5 handouts and the glossary in 2 languages), got %d", pages);
}

KIT_TEST(handouts, browser_check_sees_broken_pages,
	 .description = "The browser probe reports a missing image and a console error on a broken page (so the page check can fail)",
	 .timeout = 120)
{
	struct probe pr;
	int r = browser_probe("handouts/tests/fixtures/broken.html", &pr, NULL);
	cr_assert(r == 0, "expected Chromium to render handouts/tests/fixtures/broken.html and report, got no report");
	cr_expect_eq(pr.images, 1, "expected 1 image in broken.html, got %d", pr.images);
	cr_expect_eq(pr.loaded, 0, "expected the missing image not to load, got %d loaded", pr.loaded);
	cr_expect(pr.errors >= 2, "expected the failed image and the console.error to be seen, got %d errors: %s",
		  pr.errors, pr.detail);
}

KIT_TEST(handouts, readme_diagrams_match_sources,
	 .description = "The diagrams kept for the top README (handouts/readme/*.svg) are the current renderings of their Graphviz sources",
	 .timeout = 30)
{
	const char *names[] = { "kit-stack", "stacks" };
	for (int i = 0; i < 2; i++) {
		char kept[256], built[256];
		snprintf(kept, sizeof kept, "handouts/readme/%s.svg", names[i]);
		snprintf(built, sizeof built, "build/handouts/en/diagrams/%s.svg", names[i]);
		char *a = hc_read_file(kit_path(kept), NULL);
		char *b = hc_read_file(kit_path(built), NULL);
		cr_expect(a != NULL, "expected %s (the README shows it), got none; run make handouts-readme", kept);
		cr_expect(b != NULL, "expected %s from make handouts, got none", built);
		if (a && b)
			cr_expect(strcmp(a, b) == 0,
				  "expected %s to equal %s, got a stale copy; run make handouts-readme and commit it",
				  kept, built);
		free(a);
		free(b);
	}
}

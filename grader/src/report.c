/*
 * report.c: what the grader says. A table on the terminal, Gradescope's
 * results.json and a JUnit XML file. Messages come from student code and
 * may hold anything: both writers turn invalid UTF-8 into U+FFFD and
 * escape every character their format reserves (RFC 8259 section 7 for
 * JSON; XML 1.0 section 2.2, where most control characters cannot appear
 * at all, even as references).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "grader.h"

/* Next code point of s (UTF-8, RFC 3629): overlong forms, surrogates and
 * values above U+10FFFF are invalid and give U+FFFD for one byte. */
static uint32_t next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
	if (n < 0) {
		*s = p + 1;
		return 0xfffd;
	}
	c &= n == 0 ? 0x7f : n == 1 ? 0x1f : n == 2 ? 0x0f : 0x07;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s = p + 1;
			return 0xfffd;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
	if (c < min[n] || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) {
		*s = p + 1;
		return 0xfffd;
	}
	*s = p + n + 1;
	return c;
}

static void put_utf8(FILE *f, uint32_t c)
{
	if (c < 0x80) {
		fputc((int)c, f);
	} else if (c < 0x800) {
		fputc(0xc0 | (c >> 6), f);
		fputc(0x80 | (c & 0x3f), f);
	} else if (c < 0x10000) {
		fputc(0xe0 | (c >> 12), f);
		fputc(0x80 | ((c >> 6) & 0x3f), f);
		fputc(0x80 | (c & 0x3f), f);
	} else {
		fputc(0xf0 | (c >> 18), f);
		fputc(0x80 | ((c >> 12) & 0x3f), f);
		fputc(0x80 | ((c >> 6) & 0x3f), f);
		fputc(0x80 | (c & 0x3f), f);
	}
}

void json_escape(FILE *f, const char *str)
{
	fputc('"', f);
	for (const unsigned char *s = (const unsigned char *)(str ? str : ""); *s;) {
		uint32_t c = next_cp(&s);
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			/* U+2028/2029 are valid JSON but break JavaScript readers */
			if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
				fprintf(f, "\\u%04x", c);
			else
				put_utf8(f, c);
		}
	}
	fputc('"', f);
}

/* For both text and attribute values (quotes escaped in both). */
void xml_escape(FILE *f, const char *str)
{
	for (const unsigned char *s = (const unsigned char *)(str ? str : ""); *s;) {
		uint32_t c = next_cp(&s);
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\n': fputs("&#10;", f); break;
		case '\r': fputs("&#13;", f); break;
		case '\t': fputs("&#9;", f); break;
		default:
			/* XML 1.0 Char: no C0 controls but tab, LF, CR; no U+FFFE/FFFF */
			if (c < 0x20 || c == 0xfffe || c == 0xffff)
				put_utf8(f, 0xfffd);
			else
				put_utf8(f, c);
		}
	}
}

static const char *status_word(enum status s)
{
	return s == ST_PASSED ? "passed" : s == ST_NOT_RUN ? "not run" : "FAILED";
}

/* The first line of a message, printable ASCII only, at most n columns. */
static void short_line(FILE *f, const char *msg, int n)
{
	int k = 0;
	for (const char *s = msg ? msg : ""; *s && *s != '\n' && k < n; s++, k++)
		fputc((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?', f);
	if (msg && (int)strcspn(msg, "\n") > n)
		fputs("...", f);
}

static void label(FILE *f, const struct mtest *t, const struct result *r, int width)
{
	const char *d = r->description ? r->description : t->id;
	int k = 0;
	for (const char *s = d; *s && k < width; s++, k++)
		fputc((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?', f);
	for (; k < width; k++)
		fputc(' ', f);
}

void report_table(FILE *f, const struct manifest *m, const struct result *r, const struct build *b)
{
	if (b->notes)
		fprintf(f, "%s", b->notes);
	if (!b->ok && b->log_excerpt)
		fprintf(f, "\nThe build failed; tests that need your code score 0. What the compiler said:\n%s\n",
			b->log_excerpt);
	fprintf(f, "%-64s %6s  %-7s %s\n", "test", "points", "status", "message");
	int score = 0, total = 0;
	for (int i = 0; i < m->ntests; i++) {
		const struct mtest *t = &m->tests[i];
		label(f, t, &r[i], 64);
		fprintf(f, " %2d/%-3d  %-7s ", r[i].score, t->points, status_word(r[i].status));
		if (r[i].status != ST_PASSED)
			short_line(f, r[i].message, 70);
		fputc('\n', f);
		score += r[i].score;
		total += t->points;
	}
	fprintf(f, "Total: %d/%d\n", score, total);
	/* the full messages of failed tests, so the student sees what to fix */
	for (int i = 0; i < m->ntests; i++)
		if (r[i].status == ST_FAILED && r[i].message && strchr(r[i].message, '\n') &&
		    strchr(r[i].message, '\n')[1]) {
			fprintf(f, "\n--- %s (%s)\n", m->tests[i].id, m->tests[i].bin);
			for (const unsigned char *s = (const unsigned char *)r[i].message; *s; s++)
				fputc(*s == '\n' || *s == '\t' || (*s >= 0x20 && *s != 0x7f) ? *s : '?', f);
		}
}

int report_json(const char *path, const struct manifest *m, const struct result *r, const struct build *b,
		double seconds)
{
	if (mkdirs_for(path) < 0)
		return -1;
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int score = 0;
	for (int i = 0; i < m->ntests; i++)
		score += r[i].score;
	char *output = xasprintf("%s %s: %d/%d\n%s%s", m->lab, m->title ? m->title : "", score,
				 manifest_total_points(m), b->notes ? b->notes : "",
				 !b->ok && b->log_excerpt ? b->log_excerpt : "");
	fprintf(f, "{\n  \"score\": %d,\n  \"execution_time\": %d,\n  \"output\": ", score, (int)(seconds + 0.5));
	json_escape(f, output);
	free(output);
	fprintf(f, ",\n  \"visibility\": \"visible\",\n  \"stdout_visibility\": \"hidden\",\n  \"tests\": [");
	for (int i = 0; i < m->ntests; i++) {
		const struct mtest *t = &m->tests[i];
		char *name = r[i].description ? xasprintf("%s: %s", t->id, r[i].description) : xstrdup(t->id);
		fprintf(f, "%s\n    {\n      \"name\": ", i ? "," : "");
		json_escape(f, name);
		free(name);
		fprintf(f, ",\n      \"score\": %d,\n      \"max_score\": %d,\n      \"status\": \"%s\",\n      \"output\": ",
			r[i].score, t->points, r[i].status == ST_PASSED ? "passed" : "failed");
		json_escape(f, r[i].status == ST_PASSED ? "" : r[i].message);
		fprintf(f, ",\n      \"visibility\": \"%s\",\n      \"tags\": [", visibility_name(t->vis));
		json_escape(f, m->lab);
		fputs(", ", f);
		json_escape(f, t->bin);
		if (t->free)
			fputs(", \"free\"", f);
		fputs("]\n    }", f);
	}
	fputs("\n  ]\n}\n", f);
	return fclose(f) == 0 ? 0 : -1;
}

int report_junit(const char *path, const struct manifest *m, const struct result *r, double seconds)
{
	if (mkdirs_for(path) < 0)
		return -1;
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int failures = 0;
	for (int i = 0; i < m->ntests; i++)
		failures += r[i].status != ST_PASSED;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"");
	xml_escape(f, m->lab);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" time=\"%.3f\">\n", m->ntests, failures, seconds);
	fprintf(f, "  <testsuite name=\"");
	xml_escape(f, m->lab);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\" time=\"%.3f\">\n", m->ntests, failures,
		seconds);
	for (int i = 0; i < m->ntests; i++) {
		const struct mtest *t = &m->tests[i];
		fputs("    <testcase classname=\"", f);
		xml_escape(f, t->bin);
		fputs("\" name=\"", f);
		xml_escape(f, t->id);
		fprintf(f, "\" time=\"%.3f\">\n", r[i].seconds);
		fputs("      <properties><property name=\"points\" value=\"", f);
		fprintf(f, "%d/%d\"/><property name=\"description\" value=\"", r[i].score, t->points);
		xml_escape(f, r[i].description ? r[i].description : "");
		fputs("\"/></properties>\n", f);
		if (r[i].status != ST_PASSED) {
			fputs("      <failure message=\"", f);
			const char *msg = r[i].message ? r[i].message : "failed";
			char first[200];
			snprintf(first, sizeof first, "%.*s", (int)strcspn(msg, "\n"), msg);
			xml_escape(f, first);
			fputs("\">", f);
			xml_escape(f, msg);
			fputs("</failure>\n", f);
		}
		fputs("    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	return fclose(f) == 0 ? 0 : -1;
}

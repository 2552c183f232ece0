/* log.c: the runtime's messages, one line each, "minictr: <step>: <what>". */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "minictr.h"

void fail(const char *step, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "minictr: %s: ", step);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void fail_errno(const char *step, const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	fprintf(stderr, "minictr: %s: ", step);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
}

void note(const struct config *c, const char *fmt, ...)
{
	if (!c->verbose)
		return;
	va_list ap;
	fprintf(stderr, "minictr: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * env.c: the environment of every command the grader runs for a
 * submission (the build, `<bin> --list`, each test). It is fixed, built
 * from nothing: no variable of the instructor's shell reaches student code
 * or its output (and so the reports), and none changes the build: make
 * imports every environment variable as a make variable (GNU make manual,
 * "Variables from the Environment"), so an instructor's BUILD, HOST_CC,
 * RV_PREFIX or CFLAGS, and `make grade`'s own MAKEFLAGS, MFLAGS, MAKELEVEL
 * and MAKEOVERRIDES, would otherwise reach the submission's build.
 * Criterion's CRITERION_* and BoxFort's BXFI_* are not passed either.
 */
#include <stdlib.h>
#include <string.h>
#include "grader.h"

/* the system's own directories only: no instructor's ~/bin or /opt */
#define ENV_PATH "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
/* a locale every glibc has (C.UTF-8 is built in since glibc 2.35) */
#define ENV_LANG "C.UTF-8"
#define ENV_MAX_EXTRA 16

char **env_fixed(const char *home, const char *tmpdir, const char *const *extra)
{
	char **env = xrealloc(NULL, (4 + ENV_MAX_EXTRA + 1) * sizeof *env);
	int n = 0;
	env[n++] = xstrdup("PATH=" ENV_PATH);
	env[n++] = xasprintf("HOME=%s", home);
	env[n++] = xasprintf("TMPDIR=%s", tmpdir);
	env[n++] = xstrdup("LANG=" ENV_LANG);
	for (int i = 0; extra && extra[i] && i < ENV_MAX_EXTRA; i++)
		env[n++] = xstrdup(extra[i]);
	env[n] = NULL;
	return env;
}

void env_free(char **env)
{
	for (int i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

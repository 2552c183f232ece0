/*
 * run.c: run every test by itself, in its own process group, with a
 * wall-clock limit the grader enforces (Criterion 2.4.1's --timeout only
 * shortens a test that sets .timeout; a test without one is not limited).
 * A test passes only if Criterion's TAP line says "ok" AND the test wrote
 * "END <suite>::<name> <nonce>" to the pipe named by KIT_END_FD
 * (common/test/kit.h): Criterion reports a test that calls exit(0)
 * part-way as passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "grader.h"

/* the descriptor number a test sees for the END pipe */
#define END_FD 3
#define MAX_CHILDREN 256
/* output kept for the report (the rest is only counted) */
#define OUT_KEEP 8192
/*
 * Criterion 2.4.1 can deadlock after a test's worker has ended: the runner's
 * message loop waits for the worker's death callback, which waits for the
 * loop (Snaipe/Criterion#468, fixed after 2.4). Seen here about once per
 * few hundred tests on a loaded machine. A test whose END line has arrived
 * but whose runner has not exited this many seconds later is taken to be
 * hung so, killed and run once more, with the whole time limit; the points
 * come from the second run. (Half the test's time limit when that is
 * shorter.)
 */
#define POST_END_GRACE 5

volatile int grader_interrupted;
static volatile sig_atomic_t child_pgid[MAX_CHILDREN];
static pthread_mutex_t child_lock = PTHREAD_MUTEX_INITIALIZER;

static void add_locked(int pgid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (!child_pgid[i]) {
			child_pgid[i] = pgid;
			break;
		}
}

/*
 * fork(2), the child registered before any sweep can see it: a sweep in
 * another thread (orphans_kill, after each test) asks registered() under
 * child_lock, so it waits until the new child is on the list. A fork and
 * a registration after it left a window in which a test started just as
 * another ended was taken for an orphan and killed before it ran ("died
 * of signal 9 before reporting", or a sandbox half set up that hung to
 * the time limit: seen about once per two lab02 grades, 107 tests, two at
 * a time). The child holds a copy of the locked mutex and never uses it:
 * it only execs (or _exits).
 */
pid_t children_fork(void)
{
	pthread_mutex_lock(&child_lock);
	pid_t pid = fork();
	if (pid > 0)
		add_locked(pid);
	if (pid != 0)
		pthread_mutex_unlock(&child_lock);
	return pid;
}

void children_remove(int pgid)
{
	pthread_mutex_lock(&child_lock);
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (child_pgid[i] == pgid)
			child_pgid[i] = 0;
	pthread_mutex_unlock(&child_lock);
}

/* async-signal-safe: called from the SIGINT/SIGTERM handler */
void children_kill_all(void)
{
	for (int i = 0; i < MAX_CHILDREN; i++) {
		pid_t p = child_pgid[i];
		if (p > 0)
			kill(-p, SIGKILL);
	}
}

/*
 * Criterion's BoxFort starts every test worker in a session of its own, so
 * killing a test's process group misses its workers and whatever they
 * started (QEMU, a student's background process). The grader is therefore
 * a child subreaper (prctl(2), PR_SET_CHILD_SUBREAPER): every orphan below
 * it becomes its child, and the sweep kills and reaps the children that
 * are not a running test or build.
 */
void orphans_adopt(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

static bool registered(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (child_pgid[i] == pid)
			return true;
	return false;
}

/* One pass over /proc: kills our unregistered children; returns how many. */
static int sweep_once(void)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	pid_t self = getpid();
	int found = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		char path[64], buf[512];
		snprintf(path, sizeof path, "/proc/%ld/stat", pid);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = 0;
		/* "pid (comm) state ppid ...": comm may hold spaces and ')' */
		char *rp = strrchr(buf, ')');
		char state;
		long ppid;
		if (!rp || sscanf(rp + 1, " %c %ld", &state, &ppid) != 2 || ppid != self)
			continue;
		pthread_mutex_lock(&child_lock);
		bool ours = registered((pid_t)pid);
		pthread_mutex_unlock(&child_lock);
		if (ours)
			continue;
		kill((pid_t)pid, SIGKILL);
		waitpid((pid_t)pid, NULL, 0);
		found++;
	}
	closedir(d);
	return found;
}

int orphans_kill(void)
{
	int total = 0;
	/* a killed process's own children are reparented to us only then */
	for (int round = 0; round < 50; round++) {
		int n = sweep_once();
		total += n;
		if (n == 0)
			break;
	}
	return total;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct job {
	const struct manifest *m;
	const char *tree, *scratch;
	const bool *skip;
	const char *skip_reason;
	struct result *res;
	int *order;         /* longest time limit first: QEMU runs start early */
	int next;
	pthread_mutex_t lock;
};

/* The test's environment (env.c): fixed, nothing of the grader's own;
 * HOME and TMPDIR are the test's scratch directory. */
static char **test_env(const char *tree, const char *nonce, const char *tmp)
{
	char *root = xasprintf("KIT_ROOT=%s", tree);
	char *fd = xasprintf("KIT_END_FD=%d", END_FD);
	char *n = xasprintf("KIT_NONCE=%s", nonce);
	const char *extra[] = { root, fd, n, NULL };
	char **env = env_fixed(tmp, tmp, extra);
	free(root);
	free(fd);
	free(n);
	return env;
}

void make_nonce(char out[33])
{
	unsigned char b[16];
	if (getrandom(b, sizeof b, 0) != sizeof b) {
		/* never expected on Linux >= 3.17; still vary per run */
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)(rand() ^ (int)now());
	}
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* Appends a copy of s (up to n bytes) to *msg, capped at MESSAGE_MAX. */
static void msg_add(char **msg, const char *s, size_t n)
{
	size_t have = *msg ? strlen(*msg) : 0;
	if (have >= MESSAGE_MAX)
		return;
	bool cut = false;
	if (have + n > MESSAGE_MAX) {
		n = MESSAGE_MAX - have;
		cut = true;
	}
	*msg = xrealloc(*msg, have + n + 16);
	memcpy(*msg + have, s, n);
	strcpy(*msg + have + n, cut ? "\n[...]" : "");
}

/* Criterion's TAP for our test: "ok - suite::name (t)" or "not ok - suite::name
 * reason", followed by an indented YAML block of failures for "not ok". */
int tap_verdict(const char *tap, const char *id, const char *description, char **msg)
{
	if (!tap)
		return -1;
	size_t idl = strlen(id);
	for (const char *l = tap; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		bool ok = !strncmp(l, "ok - ", 5);
		bool bad = !strncmp(l, "not ok - ", 9);
		if (!ok && !bad)
			continue;
		const char *name = l + (ok ? 5 : 9);
		if (strncmp(name, id, idl) || (name[idl] != ' ' && name[idl] != '\n' && name[idl]))
			continue;
		const char *eol = strchrnul(l, '\n');
		if (ok)
			return memmem(l, eol - l, "# SKIP", 6) ? -1 : 1;
		/* "not ok - id [description] [reason] (time)": keep the reason */
		const char *why = name + idl;
		while (*why == ' ')
			why++;
		size_t dl = description ? strlen(description) : 0;
		if (dl && (size_t)(eol - why) >= dl && !strncmp(why, description, dl))
			why += dl;
		while (*why == ' ')
			why++;
		const char *we = eol;
		const char *paren = we > why ? memrchr(why, '(', we - why) : NULL;
		if (paren && we[-1] == ')' && paren[1] >= '0' && paren[1] <= '9')
			we = paren;
		while (we > why && we[-1] == ' ')
			we--;
		if (we - why == 9 && !strncmp(why, "timed out", 9)) {
			const char *s = "time limit exceeded: Criterion stopped the test at its .timeout; look for an "
					"endless loop or a wait that never ends\n";
			msg_add(msg, s, strlen(s));
		} else if (we > why) {
			msg_add(msg, why, we - why);
			msg_add(msg, "\n", 1);
		}
		/* the YAML block: "  failures:" then "  - file:line: |+" and message
		 * lines; the location goes after its message, which comes first */
		char loc[256] = "";
		for (const char *y = *eol ? eol + 1 : eol; *y == ' ';) {
			const char *ye = strchrnul(y, '\n');
			const char *t = y;
			while (*t == ' ')
				t++;
			bool keep = strncmp(t, "---", 3) && strncmp(t, "...", 3) && strncmp(t, "assertions:", 11) &&
				    strncmp(t, "failures:", 9);
			if (keep && !strncmp(t, "- ", 2)) {
				if (loc[0])
					msg_add(msg, loc, strlen(loc));
				size_t n = ye - t - 2;
				if (n >= 3 && !memcmp(ye - 3, " |+", 3))
					n -= 3;
				if (n && t[2 + n - 1] == ':')
					n--;
				snprintf(loc, sizeof loc, "  (at %.*s)\n", (int)n, t + 2);
			} else if (keep) {
				msg_add(msg, t, ye - t);
				msg_add(msg, "\n", 1);
			}
			y = *ye ? ye + 1 : ye;
		}
		if (loc[0])
			msg_add(msg, loc, strlen(loc));
		return 0;
	}
	return -1;
}

/* What killed or stopped a test, named for the report: the limits the
 * kernel enforces show only as a signal or a crash, so they are inferred
 * from the resource use the grader sees (wait4(2) counts every waited-for
 * descendant). */
static void limit_note(const struct mtest *t, const struct manifest *m, int wst, const struct rusage *ru, char **msg)
{
	double cpu = ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 + ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
	char *s = NULL;
	if (cpu >= t->seconds * 0.9)
		s = xasprintf("CPU time limit exceeded: %.1f s of CPU (limit %d s); look for an endless loop\n", cpu,
			      t->seconds);
	else if ((long)ru->ru_maxrss >= (long)m->memory_mb * 1024 / 2)
		s = xasprintf("memory limit reached: %ld MiB in use (limit %d MiB of address space per process); "
			      "look for an allocation that never stops\n", (long)ru->ru_maxrss / 1024, m->memory_mb);
	else if (WIFSIGNALED(wst) && WTERMSIG(wst) == SIGXFSZ)
		s = xasprintf("file size limit exceeded (%d MiB)\n", m->file_size_mb);
	if (s) {
		msg_add(msg, s, strlen(s));
		free(s);
	}
}

int post_end_grace(int seconds)
{
	int half = seconds / 2 > 0 ? seconds / 2 : 1;
	return half < POST_END_GRACE ? half : POST_END_GRACE;
}

/*
 * One run of test idx. On a first run (first), *hung: the program was still
 * running POST_END_GRACE after its END line, so it was killed, and the
 * caller runs it once more; a second run has the whole time limit, so that
 * a slow teardown after the END line is never failed for it.
 */
static void run_attempt(struct job *j, int idx, bool first, bool *hung)
{
	const struct mtest *t = &j->m->tests[idx];
	struct result *r = &j->res[idx];
	*hung = false;
	r->status = ST_FAILED;
	r->score = 0;
	if (j->skip && j->skip[idx]) {
		r->status = ST_NOT_RUN;
		msg_add(&r->message, j->skip_reason, strlen(j->skip_reason));
		return;
	}
	/* a scratch directory of its own: the only place the test may write */
	char *dir = xasprintf("%s/%d", j->scratch, idx);
	mkdir(dir, 0700);
	if (getuid() == 0 && !j->m->privileged && lchown(dir, 65534, 65534) < 0)
		perror("grader: chown");
	char *bin = xasprintf("%s/build/%s", j->tree, t->bin);
	char *tap = xasprintf("%s/test.tap", dir);
	unlink(tap); /* a first run's, if this is the second */
	char *filter = xasprintf("--filter=%s/%s", t->suite, t->name);
	char *tap_arg = xasprintf("--tap=%s", tap);
	char *secs = xasprintf("%d", t->seconds);
	char nonce[33];
	make_nonce(nonce);
	char **env = test_env(j->tree, nonce, dir);
	char *argv[] = { bin, filter, tap_arg, "--timeout", secs, "--jobs", "1", NULL };
	struct sandbox sb;
	sandbox_prepare(&sb, j->m, j->tree, false, dir, grader_hide, t->seconds);
	int p[2] = { -1, -1 }, o[2] = { -1, -1 };
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	double t0 = now();
	pid_t pid = -1;
	/* kit.c reopens the END pipe through /proc/<pid>/fd, which checks the
	 * pipe's owner: a root grader makes it the sandbox's (setfsuid(2) is
	 * per thread) */
	bool as_nobody = getuid() == 0 && sb.mode != SB_PRIVILEGED;
	if (as_nobody)
		setfsuid(65534);
	int pr = pipe2(p, O_CLOEXEC);
	if (as_nobody)
		setfsuid(0);
	if (null >= 0 && pr == 0 && pipe2(o, O_CLOEXEC) == 0)
		pid = children_fork();
	if (pid == 0) {
		/* child: only async-signal-safe calls until exec */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* move the pipe out of the way of 0..END_FD first */
		int w = fcntl(p[1], F_DUPFD, 10);
		dup2(null, 0);
		dup2(o[1], 1);
		dup2(o[1], 2);
		dup2(w, END_FD);
		/* nothing the grader inherited (make's jobserver, a shell's
		 * descriptors) reaches the test */
		close_range(END_FD + 1, ~0U, 0);
		if (sandbox_enter(&sb) != 0)
			_exit(SANDBOX_FAILED);
		if (chdir(j->tree) < 0)
			_exit(126);
		execve(bin, argv, env);
		_exit(127);
	}
	if (pid < 0) {
		msg_add(&r->message, "the grader could not start the test", 35);
		goto out;
	}
	setpgid(pid, pid); /* both sides, so kill(-pid) works at once */
	close(p[1]);
	close(o[1]);
	p[1] = o[1] = -1;
	char endbuf[4096];
	size_t endlen = 0;
	/* the output: its first OUT_KEEP bytes, and how much there was */
	char *outbuf = xrealloc(NULL, OUT_KEEP + 1);
	size_t outlen = 0, outtotal = 0, outmax = (size_t)j->m->output_kb * 1024;
	bool exited = false, timed_out = false, flooded = false, eof = false, oeof = false;
	int wst = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	double deadline = t0 + t->seconds + 2, end_at = 0;
	int grace = post_end_grace(t->seconds);
	char *end_want = xasprintf("END %s %s\n", t->id, nonce);
	while (!exited) {
		struct pollfd pf[2] = { { .fd = eof ? -1 : p[0], .events = POLLIN },
					{ .fd = oeof ? -1 : o[0], .events = POLLIN } };
		int left = (int)((deadline - now()) * 1000);
		if (left <= 0 || grader_interrupted || flooded) {
			timed_out = !grader_interrupted && !flooded;
			kill(-pid, SIGKILL);
			wait4(pid, &wst, 0, &ru);
			break;
		}
		if ((!eof || !oeof) && poll(pf, 2, left < 100 ? left : 100) > 0) {
			if (pf[0].revents) {
				ssize_t n = read(p[0], endbuf + endlen, sizeof endbuf - 1 - endlen);
				if (n > 0)
					endlen += n;
				else if (n == 0 || sizeof endbuf - 1 == endlen)
					eof = true;
				endbuf[endlen] = 0;
				if (end_at == 0 && strstr(endbuf, end_want))
					end_at = now();
			}
			if (pf[1].revents) {
				char chunk[16384];
				ssize_t n = read(o[0], chunk, sizeof chunk);
				if (n > 0) {
					size_t keep = outlen < OUT_KEEP ? OUT_KEEP - outlen : 0;
					memcpy(outbuf + outlen, chunk, (size_t)n < keep ? (size_t)n : keep);
					outlen += (size_t)n < keep ? (size_t)n : keep;
					outtotal += n;
					flooded = outtotal > outmax;
				} else {
					oeof = true;
				}
			}
		} else if (eof && oeof) {
			usleep(20000);
		}
		if (wait4(pid, &wst, WNOHANG, &ru) == pid)
			exited = true;
		else if (first && end_at > 0 && now() - end_at > grace) {
			*hung = true;
			kill(-pid, SIGKILL);
			wait4(pid, &wst, 0, &ru);
			break;
		}
	}
	free(end_want);
	outbuf[outlen] = 0;
	/* whatever the test left running goes now: its group, then orphans
	 * (the PID namespace took the rest with it) */
	kill(-pid, SIGKILL);
	children_remove(pid);
	/* not part of the verdict: with tests in parallel, a sweep may also
	 * catch another test's orphans, and points must be deterministic */
	orphans_kill();
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	for (ssize_t n = 1; n > 0 && endlen < sizeof endbuf - 1;) {
		n = read(p[0], endbuf + endlen, sizeof endbuf - 1 - endlen);
		if (n > 0)
			endlen += n;
	}
	endbuf[endlen] = 0;
	r->seconds = now() - t0;
	if (*hung) {
		/* no verdict: the caller runs it again */
		free(outbuf);
		goto out;
	}

	char *want = xasprintf("END %s %s\n", t->id, nonce);
	bool reached_end = strstr(endbuf, want) != NULL;
	free(want);
	char *taptext = read_file(tap, NULL);
	char *why = NULL;
	int v = tap_verdict(taptext, t->id, r->description, &why);
	free(taptext);
	if (grader_interrupted) {
		msg_add(&r->message, "interrupted", 11);
	} else if (flooded) {
		char *s = xasprintf("output limit exceeded: more than %d KiB on stdout and stderr (the manifest's "
				    "limit); look for a print in a loop\n", j->m->output_kb);
		msg_add(&r->message, s, strlen(s));
		free(s);
	} else if (timed_out) {
		char *s = xasprintf("time limit exceeded: still running after %d s of wall-clock time (the manifest's "
				    "limit); look for an endless loop or a wait that never ends\n", t->seconds);
		msg_add(&r->message, s, strlen(s));
		free(s);
	} else if (WIFEXITED(wst) && WEXITSTATUS(wst) == SANDBOX_FAILED && v < 0) {
		const char *s = "the grader could not set up the sandbox for this test:\n";
		msg_add(&r->message, s, strlen(s));
		msg_add(&r->message, outbuf, outlen);
	} else if (v == 1 && reached_end) {
		r->status = ST_PASSED;
		r->score = t->points;
	} else if (v == 1) {
		const char *s = "Criterion reported success but the test never reached its end "
				"(did the code under test call exit()?)\n";
		msg_add(&r->message, s, strlen(s));
	} else if (v == 0) {
		limit_note(t, j->m, wst, &ru, &r->message);
		msg_add(&r->message, why ? why : "failed\n", why ? strlen(why) : 7);
	} else {
		limit_note(t, j->m, wst, &ru, &r->message);
		char *s = WIFSIGNALED(wst) ? xasprintf("the test program died of signal %d before reporting\n", WTERMSIG(wst))
					   : xasprintf("the test program exited with status %d without reporting this test\n",
						       WEXITSTATUS(wst));
		msg_add(&r->message, s, strlen(s));
		free(s);
		if (outlen) {
			size_t from = outlen > 600 ? outlen - 600 : 0;
			msg_add(&r->message, "output (end):\n", 14);
			msg_add(&r->message, outbuf + from, outlen - from);
		}
	}
	free(why);
	free(outbuf);
out:
	for (int k = 0; k < 2; k++) {
		if (p[k] >= 0)
			close(p[k]);
		if (o[k] >= 0)
			close(o[k]);
	}
	if (null >= 0)
		close(null);
	env_free(env);
	free(bin);
	free(tap);
	free(dir);
	free(filter);
	free(tap_arg);
	free(secs);
}

static void run_one(struct job *j, int idx)
{
	bool hung;
	run_attempt(j, idx, true, &hung);
	if (hung) {
		/* a fresh run with a fresh nonce; its result replaces the first */
		struct result *r = &j->res[idx];
		free(r->message);
		r->message = NULL;
		fprintf(stderr, "grade: %s: Criterion's runner hung after the test ended; running it again\n",
			j->m->tests[idx].id);
		run_attempt(j, idx, false, &hung);
	}
}

static void *worker(void *arg)
{
	struct job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->lock);
		int idx = j->next++;
		pthread_mutex_unlock(&j->lock);
		if (idx >= j->m->ntests || grader_interrupted)
			return NULL;
		run_one(j, j->order[idx]);
	}
}

void run_tests(const struct manifest *m, const char *tree, const char *scratch, const bool *skip,
	       const char *skip_reason, struct result *res, int jobs)
{
	struct job j = { .m = m, .tree = tree, .scratch = scratch, .skip = skip, .skip_reason = skip_reason, .res = res };
	j.order = xrealloc(NULL, m->ntests * sizeof *j.order);
	for (int i = 0; i < m->ntests; i++) {
		/* insertion sort, stable: the order is the same every time */
		int k = i;
		while (k > 0 && m->tests[j.order[k - 1]].seconds < m->tests[i].seconds) {
			j.order[k] = j.order[k - 1];
			k--;
		}
		j.order[k] = i;
	}
	pthread_mutex_init(&j.lock, NULL);
	if (jobs < 1)
		jobs = 1;
	if (jobs > 64)
		jobs = 64;
	pthread_t th[64];
	int started = 0;
	for (int i = 0; i < jobs; i++)
		if (pthread_create(&th[started], NULL, worker, &j) == 0)
			started++;
	if (started == 0)
		worker(&j);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&j.lock);
	free(j.order);
}

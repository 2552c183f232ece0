/* qemu.c: see qemu.h. Only libc: this is linked into every test binary. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kit.h"
#include "qemu.h"

/* A hostile guest may print without end: keep at most this much. */
#define OUT_MAX (32u << 20)
#define ERR_MAX (64u << 10)
#define DEFAULT_BYTE_DELAY_US 3000
/* How long QEMU gets to open its gdb socket before we call it failed. */
#define GDB_LISTEN_MS 5000

struct buf {
	char *p;
	size_t len, cap, max;
};

struct qemu {
	pid_t pid;
	int in_fd, out_fd, err_fd;  /* -1 once closed */
	struct buf out, err;
	size_t cursor;
	bool exited;
	int status;
	int gdb_port;
	unsigned byte_delay_us;
	bool echo;
	char *trap_log;             /* -D file (removed by qemu_stop), or NULL */
	char *monitor;              /* HMP unix socket (removed by qemu_stop), or NULL */
	struct qemu *next;          /* live list, for qemu_stop twice and atexit */
};

static struct qemu *live;
static __thread char errbuf[1024];

static void set_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
}

const char *qemu_error(void)
{
	return errbuf;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n > b->max)
		n = b->max - b->len;
	if (n == 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL)
			return;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void reap(struct qemu *q, int flags)
{
	if (q->exited)
		return;
	int st;
	pid_t r = waitpid(q->pid, &st, flags);
	if (r == q->pid) {
		q->exited = true;
		q->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	} else if (r < 0 && errno == ECHILD) {
		q->exited = true;
		q->status = -1;
	}
}

/* Read whatever one fd has; close it at end of file. */
static void drain(struct qemu *q, int *fd, struct buf *b, bool echo)
{
	char chunk[4096];
	for (;;) {
		ssize_t n = read(*fd, chunk, sizeof chunk);
		if (n > 0) {
			/* consoles end lines with CR LF (OpenSBI, U-Boot): keep
			 * LF only, so that tests can expect "text\n" */
			size_t k = 0;
			for (ssize_t i = 0; i < n; i++)
				if (chunk[i] != '\r')
					chunk[k++] = chunk[i];
			buf_add(b, chunk, k);
			if (echo) {
				ssize_t w = write(2, chunk, k);
				(void)w;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			close(*fd);
			*fd = -1;
		}
		return;
	}
	(void)q;
}

/*
 * Collect output until something arrives or `deadline` (ms, monotonic)
 * passes. Returns true if QEMU is gone and all its output is in.
 */
static bool pump(struct qemu *q, long long deadline)
{
	struct pollfd pf[2];
	int n = 0;
	if (q->out_fd >= 0)
		pf[n++] = (struct pollfd){ .fd = q->out_fd, .events = POLLIN };
	if (q->err_fd >= 0)
		pf[n++] = (struct pollfd){ .fd = q->err_fd, .events = POLLIN };
	long long left = deadline - now_ms();
	if (left < 0)
		left = 0;
	if (n == 0) {
		/* pipes closed: QEMU is exiting; wait for it in small steps */
		reap(q, WNOHANG);
		if (!q->exited && left > 0) {
			struct timespec ts = { 0, (left > 10 ? 10 : left) * 1000000L };
			nanosleep(&ts, NULL);
			reap(q, WNOHANG);
		}
		return q->exited;
	}
	int r = poll(pf, (nfds_t)n, (int)(left > 1000000 ? 1000000 : left));
	if (r > 0) {
		if (q->out_fd >= 0)
			drain(q, &q->out_fd, &q->out, q->echo);
		if (q->err_fd >= 0)
			drain(q, &q->err_fd, &q->err, q->echo);
	}
	if (q->out_fd < 0 && q->err_fd < 0)
		reap(q, WNOHANG);
	return q->exited && q->out_fd < 0 && q->err_fd < 0;
}

bool qemu_exited(struct qemu *q)
{
	pump(q, 0);
	reap(q, WNOHANG);
	return q->exited;
}

/* a test that ended at a failed assertion: its QEMU goes, and the files
 * it had (the trap log, the monitor's socket) with it */
static void kill_all_at_exit(void)
{
	for (struct qemu *q = live; q; q = q->next) {
		if (!q->exited)
			kill(-q->pid, SIGKILL);
		if (q->trap_log)
			unlink(q->trap_log);
		if (q->monitor)
			unlink(q->monitor);
	}
}

int kit_free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 0;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int port = 0;
	if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(s);
	return port;
}

/*
 * Is something listening on 127.0.0.1:port? Read from /proc/net/tcp, not
 * by connecting: QEMU's gdb stub serves one client, and a probe would use
 * it up.
 */
static int port_listening(int port)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	if (f == NULL)
		return -1;
	char line[512];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		unsigned addr, p, st;
		if (sscanf(line, " %*d: %x:%x %*x:%*x %x", &addr, &p, &st) == 3)
			found = (int)p == port && st == 0x0A /* TCP_LISTEN */;
	}
	fclose(f);
	return found;
}

#define MAX_ARGS 64

static int build_argv(const struct qemu_opts *o, int port, const char **argv, char *gdbarg, size_t gdbsize,
		      const char *trap_log, const char *monitor)
{
	const char *qemu = getenv("QEMU");
	int n = 0;
	argv[n++] = (qemu && *qemu) ? qemu : "qemu-system-riscv64";
	/* the kit's machine: common/mk/config.mk QEMU_MACHINE */
	static const char *const machine[] = { "-M", "virt", "-m", "256M", "-smp", "1",
		"-bios", "default", "-display", "none", "-serial", "stdio",
		/* a guest reset (SBI SRST cold/warm reboot) ends QEMU */
		"-no-reboot", NULL };
	for (int i = 0; machine[i]; i++)
		argv[n++] = machine[i];
	argv[n++] = "-monitor";
	argv[n++] = monitor ? monitor : "none";
	if (o->kernel) {
		argv[n++] = "-kernel";
		argv[n++] = o->kernel;
	}
	if (o->initrd) {
		argv[n++] = "-initrd";
		argv[n++] = o->initrd;
	}
	if (o->append) {
		argv[n++] = "-append";
		argv[n++] = o->append;
	}
	if (o->icount) {
		argv[n++] = "-icount";
		argv[n++] = "shift=0";
	}
	if (port > 0) {
		snprintf(gdbarg, gdbsize, "tcp:127.0.0.1:%d", port);
		argv[n++] = "-gdb";
		argv[n++] = gdbarg;
		if (o->gdb_wait)
			argv[n++] = "-S";
	}
	if (trap_log) {
		if (!o->trap_log_paused) {
			argv[n++] = "-d";
			argv[n++] = "int";
		}
		argv[n++] = "-D";
		argv[n++] = trap_log;
	}
	for (int i = 0; o->extra && o->extra[i]; i++) {
		if (n >= MAX_ARGS - 1)
			return -1;
		argv[n++] = o->extra[i];
	}
	argv[n] = NULL;
	return n;
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* One attempt: fork and exec QEMU on pipes. */
static struct qemu *spawn(const struct qemu_opts *o, int port)
{
	const char *argv[MAX_ARGS];
	char gdbarg[64], *trap_log = NULL, *monitor = NULL, *monarg = NULL;
	/* files in the test's own scratch directory under the grader */
	static unsigned seq;
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	unsigned id = seq++;
	if ((o->trap_log && asprintf(&trap_log, "%s/kit-qemu-%d-%u.traps", tmp, (int)getpid(), id) < 0) ||
	    (o->monitor && (asprintf(&monitor, "%s/kit-qemu-%d-%u.mon", tmp, (int)getpid(), id) < 0 ||
			    asprintf(&monarg, "unix:%s,server=on,wait=off", monitor) < 0))) {
		set_error("qemu_start: out of memory");
		return NULL;
	}
	if (monitor && strlen(monitor) >= sizeof ((struct sockaddr_un *)0)->sun_path) {
		set_error("qemu_start: TMPDIR is too long for a unix socket path: %s", monitor);
		free(trap_log), free(monitor), free(monarg);
		return NULL;
	}
	if (build_argv(o, port, argv, gdbarg, sizeof gdbarg, trap_log, monarg) < 0) {
		set_error("qemu_start: too many extra arguments");
		free(trap_log), free(monitor), free(monarg);
		return NULL;
	}
	int in[2], out[2], err[2], ex[2];
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(ex, O_CLOEXEC)) {
		set_error("qemu_start: pipe: %s", strerror(errno));
		return NULL;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		set_error("qemu_start: fork: %s", strerror(errno));
		return NULL;
	}
	if (pid == 0) {
		/* Own group, so qemu_stop kills everything QEMU started; and
		 * die with the test: Criterion kills a timed-out test worker. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp(argv[0], (char *const *)argv);
		int e = errno;
		ssize_t w = write(ex[1], &e, sizeof e);
		(void)w;
		_exit(127);
	}
	setpgid(pid, pid);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(ex[1]);
	int e = 0;
	ssize_t r;
	do
		r = read(ex[0], &e, sizeof e);
	while (r < 0 && errno == EINTR);
	close(ex[0]);
	if (r == (ssize_t)sizeof e) {
		waitpid(pid, NULL, 0);
		close(in[1]);
		close(out[0]);
		close(err[0]);
		set_error("qemu_start: cannot run %s: %s (install qemu-system-misc: make deps)", argv[0], strerror(e));
		free(trap_log), free(monitor), free(monarg);
		return NULL;
	}
	free(monarg);
	struct qemu *q = calloc(1, sizeof *q);
	q->trap_log = trap_log;
	q->monitor = monitor;
	q->pid = pid;
	q->in_fd = in[1];
	q->out_fd = out[0];
	q->err_fd = err[0];
	q->out.max = OUT_MAX;
	q->err.max = ERR_MAX;
	buf_add(&q->out, "", 0);
	q->gdb_port = port;
	q->byte_delay_us = o->byte_delay_us ? o->byte_delay_us : DEFAULT_BYTE_DELAY_US;
	const char *echo = getenv("KIT_QEMU_ECHO");
	q->echo = echo && *echo && strcmp(echo, "0") != 0;
	nonblock(q->out_fd);
	nonblock(q->err_fd);
	q->next = live;
	live = q;
	return q;
}

/* Wait for the gdb stub to listen; false if QEMU exited first. */
static bool wait_gdb_listen(struct qemu *q)
{
	long long start = now_ms(), deadline = start + GDB_LISTEN_MS;
	while (now_ms() < deadline) {
		int l = port_listening(q->gdb_port);
		/* no /proc/net/tcp: QEMU binds before it runs anything, so
		 * still being alive a moment later means it bound */
		if (l == 1 || (l < 0 && now_ms() - start > 300))
			return true;
		if (pump(q, now_ms() + 20))
			return false;
		reap(q, WNOHANG);
		if (q->exited)
			return false;
	}
	return false;
}

struct qemu *qemu_start(const struct qemu_opts *o)
{
	static bool once;
	if (!once) {
		once = true;
		/* typing into a QEMU that exited must fail, not kill the test */
		signal(SIGPIPE, SIG_IGN);
		atexit(kill_all_at_exit);
	}
	errbuf[0] = '\0';
	const char *files[] = { o->kernel, o->initrd };
	for (int i = 0; i < 2; i++)
		if (files[i] && access(files[i], R_OK) != 0) {
			set_error("qemu_start: cannot read %s: %s", files[i], strerror(errno));
			return NULL;
		}
	if (o->gdb_wait && o->gdb_port == 0) {
		set_error("qemu_start: gdb_wait without a gdb_port would stop QEMU for good");
		return NULL;
	}
	/* A picked port can be taken between our check and QEMU's bind (tests
	 * run in parallel): then QEMU exits at once and we try another. */
	for (int attempt = 0; attempt < 8; attempt++) {
		int port = o->gdb_port == QEMU_GDB_AUTO ? kit_free_port() : o->gdb_port;
		if (o->gdb_port == QEMU_GDB_AUTO && port == 0) {
			set_error("qemu_start: no free TCP port on 127.0.0.1");
			return NULL;
		}
		struct qemu *q = spawn(o, port);
		if (q == NULL || port <= 0)
			return q;
		if (wait_gdb_listen(q))
			return q;
		bool taken = q->exited && q->err.p && (strstr(q->err.p, "gdb") || strstr(q->err.p, "in use"));
		set_error("qemu_start: QEMU did not open its gdb port %d:\n%s", port, qemu_tail(q, 10));
		qemu_stop(q);
		if (!taken || o->gdb_port != QEMU_GDB_AUTO)
			return NULL;
	}
	return NULL;
}

void qemu_lab_opts(struct qemu_opts *o, const char *lab, const char *guest_path, const char *append)
{
	static __thread char vmm[4096];
	char rel[256];
	snprintf(rel, sizeof rel, "build/%s/vmm.bin", lab);
	snprintf(vmm, sizeof vmm, "%s", kit_path(rel));
	*o = (struct qemu_opts){ .kernel = vmm, .initrd = guest_path, .append = append };
}

struct qemu *qemu_start_lab(const char *lab, const char *guest_path, const char *append)
{
	struct qemu_opts o;
	qemu_lab_opts(&o, lab, guest_path, append);
	if (access(o.kernel, R_OK) != 0) {
		set_error("no VMM image %s: build it with 'make %s-build'", o.kernel, lab);
		return NULL;
	}
	if (guest_path && access(guest_path, R_OK) != 0) {
		set_error("no guest image %s: build it with 'make %s-build'", guest_path, lab);
		return NULL;
	}
	return qemu_start(&o);
}

static const char *find(struct qemu *q, const char *text)
{
	size_t n = strlen(text);
	return memmem(q->out.p + q->cursor, q->out.len - q->cursor, text, n);
}

int qemu_expect(struct qemu *q, const char *text, int timeout_ms)
{
	return qemu_expect_or(q, text, NULL, timeout_ms) == 0 ? 0 : -1;
}

/* stop's first line is in the output, whole (its line end waited for, up
 * to 2 s): the caller quotes it */
static bool stopped_by(struct qemu *q, const char *stop)
{
	const char *m = stop && q->out.len ? memmem(q->out.p, q->out.len, stop, strlen(stop)) : NULL;
	if (!m)
		return false;
	size_t at = (size_t)(m - q->out.p);
	long long deadline = now_ms() + 2000;
	while (!memchr(q->out.p + at, '\n', q->out.len - at) && now_ms() < deadline && !pump(q, deadline))
		;
	return true;
}

int qemu_expect_or(struct qemu *q, const char *text, const char *stop, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		const char *m = find(q, text);
		if (m) {
			q->cursor = (size_t)(m - q->out.p) + strlen(text);
			return 0;
		}
		if (stopped_by(q, stop))
			return 1;
		if (now_ms() >= deadline)
			return -1;
		if (pump(q, deadline) && find(q, text) == NULL)
			return stopped_by(q, stop) ? 1 : -1;
	}
}

int qemu_expect_line(struct qemu *q, const char *text, int timeout_ms, char *line, size_t size)
{
	long long deadline = now_ms() + timeout_ms;
	if (size)
		line[0] = '\0';
	if (qemu_expect(q, text, timeout_ms) != 0)
		return -1;
	size_t end_match = q->cursor;
	size_t start = end_match - strlen(text);
	while (start > 0 && q->out.p[start - 1] != '\n')
		start--;
	const char *nl;
	while ((nl = memchr(q->out.p + end_match, '\n', q->out.len - end_match)) == NULL) {
		if (now_ms() >= deadline || pump(q, deadline))
			break;
	}
	nl = memchr(q->out.p + end_match, '\n', q->out.len - end_match);
	size_t end = nl ? (size_t)(nl - q->out.p) : q->out.len;
	q->cursor = nl ? end + 1 : end;
	size_t k = 0;
	for (size_t i = start; i < end && k + 1 < size; i++)
		if (q->out.p[i] != '\r')
			line[k++] = q->out.p[i];
	if (size)
		line[k] = '\0';
	return 0;
}

int qemu_send(struct qemu *q, const char *s)
{
	for (; *s; s++) {
		if (q->in_fd < 0 || qemu_exited(q))
			return -1;
		ssize_t w;
		do
			w = write(q->in_fd, s, 1);
		while (w < 0 && errno == EINTR);
		if (w != 1)
			return -1;
		/* let the guest read it, collecting output meanwhile */
		long long end_us = now_ms() * 1000 + q->byte_delay_us;
		while (now_ms() * 1000 < end_us)
			if (pump(q, (end_us + 999) / 1000))
				break;
	}
	return 0;
}

int qemu_wait_exit(struct qemu *q, int timeout_ms, int *status)
{
	long long deadline = now_ms() + timeout_ms;
	while (!pump(q, deadline)) {
		if (now_ms() >= deadline) {
			reap(q, WNOHANG);
			if (q->exited)
				break;
			return -1;
		}
	}
	if (status)
		*status = q->status;
	return 0;
}

const char *qemu_output(struct qemu *q)
{
	return q->out.p;
}

const char *qemu_unread(struct qemu *q)
{
	return q->out.p + q->cursor;
}

int qemu_gdb_port(struct qemu *q)
{
	return q->gdb_port;
}

int qemu_pid(struct qemu *q)
{
	return q->pid;
}

/* Append b's last nlines lines to dst, printable: CRs dropped, control
 * bytes and escapes shown as '.'. */
static size_t tail_lines(char *dst, size_t size, const struct buf *b, int nlines)
{
	size_t start = b->len;
	int seen = 0;
	if (start > 0 && b->p[start - 1] == '\n')
		start--;
	while (start > 0) {
		if (b->p[start - 1] == '\n' && ++seen >= nlines)
			break;
		start--;
	}
	size_t k = 0;
	for (size_t i = start; i < b->len && k + 1 < size; i++) {
		unsigned char c = (unsigned char)b->p[i];
		if (c == '\r')
			continue;
		dst[k++] = (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) ? (char)c : '.';
	}
	if (k > 0 && dst[k - 1] != '\n' && k + 1 < size)
		dst[k++] = '\n';
	dst[k] = '\0';
	return k;
}

const char *qemu_tail(struct qemu *q, int nlines)
{
	static __thread char ring[8][16384];
	static __thread unsigned next;
	char *t = ring[next++ % 8];
	size_t size = sizeof ring[0], k = 0;
	pump(q, 0);
	reap(q, WNOHANG);
	k += snprintf(t, size, "----- last %d lines of the serial console -----\n", nlines);
	k += tail_lines(t + k, size - k, &q->out, nlines);
	if (q->err.len && k < size)
		k += snprintf(t + k, size - k, "----- QEMU stderr -----\n");
	if (q->err.len && k < size)
		k += tail_lines(t + k, size - k, &q->err, 10);
	if (q->exited && k < size)
		k += snprintf(t + k, size - k, "----- QEMU exited with status %d -----\n", q->status);
	else if (k < size)
		snprintf(t + k, size - k, "----- (QEMU still running) -----\n");
	return t;
}

void qemu_stop(struct qemu *q)
{
	struct qemu **pp = &live;
	while (*pp && *pp != q)
		pp = &(*pp)->next;
	if (q == NULL || *pp == NULL)
		return;  /* NULL, or stopped already */
	*pp = q->next;
	if (!q->exited) {
		kill(-q->pid, SIGKILL);
		kill(q->pid, SIGKILL);
		reap(q, 0);
	}
	if (q->in_fd >= 0)
		close(q->in_fd);
	if (q->out_fd >= 0)
		close(q->out_fd);
	if (q->err_fd >= 0)
		close(q->err_fd);
	if (q->trap_log)
		unlink(q->trap_log);
	free(q->trap_log);
	if (q->monitor)
		unlink(q->monitor);
	free(q->monitor);
	free(q->out.p);
	free(q->err.p);
	free(q);
}

/* Read from fd until "(qemu) " arrives or the deadline passes. */
static int hmp_prompt(int fd, long long deadline)
{
	char buf[4096];
	size_t len = 0;
	while (now_ms() < deadline) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (poll(&pf, 1, (int)(deadline - now_ms())) <= 0)
			continue;
		ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "(qemu) "))
			return 0;
		if (len > sizeof buf / 2) {
			/* keep the tail: the prompt may straddle reads */
			memmove(buf, buf + len - 16, 16);
			len = 16;
		}
	}
	return -1;
}

int qemu_monitor(struct qemu *q, const char *cmd, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	if (q->monitor == NULL) {
		set_error("qemu_monitor: this QEMU was started without a monitor");
		return -1;
	}
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof a.sun_path, "%s", q->monitor);
	int fd = -1;
	/* QEMU creates the socket while it starts: retry until the deadline */
	while (now_ms() < deadline) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
		if (qemu_exited(q))
			break;
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (fd < 0) {
		set_error("qemu_monitor: cannot connect to QEMU's monitor %s", q->monitor);
		return -1;
	}
	int r = hmp_prompt(fd, deadline);
	size_t n = strlen(cmd);
	if (r == 0 && (write(fd, cmd, n) != (ssize_t)n || write(fd, "\n", 1) != 1))
		r = -1;
	if (r == 0)
		r = hmp_prompt(fd, deadline);
	close(fd);
	if (r != 0)
		set_error("qemu_monitor: no answer from QEMU's monitor to '%s'", cmd);
	return r;
}

long qemu_traps(struct qemu *q, void (*fn)(const struct qemu_trap *t, void *arg), void *arg)
{
	if (q->trap_log == NULL) {
		set_error("qemu_traps: this QEMU was started without trap_log");
		return -1;
	}
	FILE *f = fopen(q->trap_log, "r");
	if (f == NULL) {
		set_error("qemu_traps: cannot read QEMU's trap log %s: %s", q->trap_log, strerror(errno));
		return -1;
	}
	char line[512];
	long n = 0;
	while (fgets(line, sizeof line, f)) {
		const char *p = strstr(line, "riscv_cpu_do_interrupt: ");
		int async;
		struct qemu_trap t;
		if (p && sscanf(p, "riscv_cpu_do_interrupt: hart:%*d, async:%d, cause:%llx, epc:%llx, tval:%llx",
				&async, &t.cause, &t.epc, &t.tval) == 4) {
			t.async = async != 0;
			n++;
			if (fn)
				fn(&t, arg);
		}
	}
	fclose(f);
	return n;
}

void kit_token(char buf[KIT_TOKEN_LEN + 1])
{
	unsigned char r[KIT_TOKEN_LEN / 2];
	size_t got = 0;
	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);
		if (n > 0)
			got += (size_t)n;
		else if (errno != EINTR)
			break;
	}
	if (got < sizeof r) {
		/* no getrandom (old kernel): still differ from run to run */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 32);
		for (size_t i = got; i < sizeof r; i++, x = x * 6364136223846793005ULL + 1)
			r[i] = (unsigned char)(x >> 56);
	}
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof r; i++) {
		buf[2 * i] = hex[r[i] >> 4];
		buf[2 * i + 1] = hex[r[i] & 15];
	}
	buf[KIT_TOKEN_LEN] = '\0';
}

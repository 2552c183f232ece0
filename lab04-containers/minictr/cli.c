/*
 * cli.c: the command line. Every mistake is one line saying which option is
 * wrong and what a right one looks like, and status EXIT_USAGE.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minictr.h"

void usage(FILE *f)
{
	fputs("usage: minictr run --rootfs DIR [--hostname H] [--memory 64M] [--pids 32]\n"
	      "                   [--cpus 0.5] [--net none|loopback] [--user] [--readonly]\n"
	      "                   [--verbose] -- CMD ARGS...\n",
	      f);
}

static void bad(const char *opt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(const char *opt, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "minictr: %s: ", opt);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* "64M", "512k", "1G", "1048576": bytes, at least one page. */
int parse_size(const char *s, long long *bytes)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || v <= 0)
		return -1;
	long long mul = 1;
	switch (*end) {
	case 'k': case 'K': mul = 1LL << 10; end++; break;
	case 'm': case 'M': mul = 1LL << 20; end++; break;
	case 'g': case 'G': mul = 1LL << 30; end++; break;
	case '\0': break;
	default: return -1;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end != '\0' || v > LLONG_MAX / mul || v * mul < 4096)
		return -1;
	*bytes = v * mul;
	return 0;
}

/* "0.5" CPUs = 50 ms of CPU time per 100 ms period (the CFS bandwidth pair). */
int parse_cpus(const char *s, long *quota_us, long *period_us)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end != '\0' || !(v >= 0.01) || v > 1024)
		return -1;
	*period_us = 100000;
	*quota_us = (long)(v * 100000 + 0.5);
	return 0;
}

int parse_args(int argc, char **argv, struct config *c)
{
	static const struct option opts[] = {
		{ "rootfs", required_argument, 0, 'r' },
		{ "hostname", required_argument, 0, 'h' },
		{ "memory", required_argument, 0, 'm' },
		{ "pids", required_argument, 0, 'p' },
		{ "cpus", required_argument, 0, 'c' },
		{ "net", required_argument, 0, 'n' },
		{ "user", no_argument, 0, 'u' },
		{ "readonly", no_argument, 0, 'o' },
		{ "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'H' },
		{ 0, 0, 0, 0 },
	};
	const char *rootfs = NULL;

	memset(c, 0, sizeof *c);
	c->hostname = "container";
	c->net = NET_NONE;
	c->sync_fd = -1;
	c->cgroup_fd = -1;
	c->parent_fd = -1;
	if (argc < 2) {
		bad("command line", "no command given: say 'minictr run --rootfs DIR -- CMD' (see --help)");
		return -1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		exit(0);
	}
	if (strcmp(argv[1], "run") != 0) {
		bad("command line", "unknown command '%s': the only command is 'run'", argv[1]);
		return -1;
	}
	argc--;
	argv++;
	opterr = 0;
	optind = 1;
	int o;
	/* "+": stop at the first non-option, so CMD's options stay its own; ":": report a missing value. */
	while ((o = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (o) {
		case 'r': rootfs = optarg; break;
		case 'h':
			if (!*optarg || strlen(optarg) > 64) {
				bad("--hostname", "'%s' is not a host name: 1 to 64 characters", optarg);
				return -1;
			}
			c->hostname = optarg;
			break;
		case 'm':
			if (parse_size(optarg, &c->memory_bytes) < 0) {
				bad("--memory", "'%s' is not a size: write a number with k, M or G, at least 4k (e.g. 64M)", optarg);
				return -1;
			}
			break;
		case 'p': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 4194304) {
				bad("--pids", "'%s' is not a process count: write a whole number from 1 (e.g. 32)", optarg);
				return -1;
			}
			c->pids_max = v;
			break;
		}
		case 'c':
			if (parse_cpus(optarg, &c->cpu_quota_us, &c->cpu_period_us) < 0) {
				bad("--cpus", "'%s' is not a CPU share: write a number of CPUs from 0.01 (e.g. 0.5)", optarg);
				return -1;
			}
			break;
		case 'n':
			if (strcmp(optarg, "none") == 0)
				c->net = NET_NONE;
			else if (strcmp(optarg, "loopback") == 0)
				c->net = NET_LOOPBACK;
			else {
				bad("--net", "'%s' is not a network mode: say none or loopback", optarg);
				return -1;
			}
			break;
		case 'u': c->user = true; break;
		case 'o': c->readonly = true; break;
		case 'v': c->verbose = true; break;
		case 'H': usage(stdout); exit(0);
		case ':':
			bad(argv[optind - 1], "needs a value (see --help)");
			return -1;
		default:
			bad(argv[optind - 1], "unknown option (see --help)");
			return -1;
		}
	}
	if (rootfs == NULL) {
		bad("--rootfs", "missing: say which directory holds the container's files (make lab04-build builds one under build/lab04/rootfs)");
		return -1;
	}
	if (optind >= argc) {
		bad("command line", "no CMD after the options: end them with '-- CMD ARGS...'");
		return -1;
	}
	struct stat st;
	if (realpath(rootfs, c->rootfs) == NULL || stat(c->rootfs, &st) < 0) {
		bad("--rootfs", "'%s': %s: give an existing directory (make lab04-build builds one under build/lab04/rootfs)", rootfs, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		bad("--rootfs", "'%s' is not a directory", rootfs);
		return -1;
	}
	if (strcmp(c->rootfs, "/") == 0) {
		bad("--rootfs", "'/' is the host's own root: give a separate directory");
		return -1;
	}
	c->argv = argv + optind;
	c->uid = getuid();
	c->gid = getgid();
	return 0;
}

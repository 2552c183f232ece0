/*
 * netns.c: the container's network namespace, made beside its mounts.
 *
 * A new network namespace is the dearest of the container's namespaces:
 * the kernel runs every protocol's per-namespace set-up for it (setup_net
 * in net/core/net_namespace.c: IPv4, IPv6, netfilter, each with its own
 * tables and sysctls), about a quarter of a container's start on the
 * kit's machine (perf record -g during make bench LAB=lab04). Made by
 * clone(2) it is made by the parent before the child exists, while the
 * machine's other CPU idles. So without --user a thread of the parent
 * makes it from the runtime's start on, beside everything else, and the
 * parent hands it over on the sync channel (SCM_RIGHTS, unix(7)) once the
 * child is cloned; the child enters it with
 * setns(2) before anything that sees the network: the loopback and the
 * sysfs mount (sysfs shows the network devices of the namespace that
 * mounts it). With --user the child makes its own with unshare(2): a
 * namespace belongs to the user namespace it was made in, and only one
 * made in the container's own lets the container's root manage it.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "minictr.h"

/*
 * The parent's maker: a thread of ours, started first thing, so that the
 * namespace is made beside our own set-up, the clone and the child's
 * first mounts. unshare(2) and setns(2) of a network namespace act on the
 * calling thread alone, so the runtime itself stays in the host's. The
 * thread posts MADE once it stands in the new namespace, and then waits
 * at GATE holding no lock of the C library: it leaves (which takes some)
 * only once we have cloned, since the child, a copy of us made by a plain
 * clone(2), must find none held. It holds no descriptor either: we open
 * its namespace through /proc only after the clone, so the child never
 * inherits one, whatever a close_inherited_fds does. It runs with every
 * signal blocked: our handlers (forward_signal) run on our thread alone.
 */
static struct {
	pthread_t thread;
	bool running;
	sem_t made, gate;
	pid_t tid;
	int err;
} maker;

static void *netns_maker(void *arg)
{
	(void)arg;
	maker.tid = gettid();
	if (unshare(CLONE_NEWNET) < 0)
		maker.err = errno;
	sem_post(&maker.made);
	while (sem_wait(&maker.gate) < 0)
		;
	return NULL;
}

void netns_start(const struct config *c)
{
	if (c->user || sem_init(&maker.made, 0, 0) < 0 || sem_init(&maker.gate, 0, 0) < 0)
		return;
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	/*
	 * On a CPU other than ours: a new thread first runs where its creator
	 * does and takes the CPU from it, and the runtime's own set-up then
	 * waits the namespace's whole making out.
	 */
	cpu_set_t can, other;
	int here = sched_getcpu();
	if (here >= 0 && sched_getaffinity(0, sizeof can, &can) == 0) {
		other = can;
		CPU_CLR(here, &other);
		if (CPU_COUNT(&other) > 0)
			pthread_attr_setaffinity_np(&a, sizeof other, &other);
	}
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	maker.running = pthread_create(&maker.thread, &a, netns_maker, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&a);
}

void netns_cancel(void)
{
	if (!maker.running)
		return;
	sem_post(&maker.gate);
	pthread_join(maker.thread, NULL);
	maker.running = false;
}

int netns_send(const struct config *c, int sock)
{
	if (c->user)
		return 0;
	int fd = -1;
	if (!maker.running) {
		errno = EAGAIN; /* no thread: sem_init or pthread_create failed */
	} else {
		while (sem_wait(&maker.made) < 0)
			;
		if (maker.err) {
			errno = maker.err;
		} else {
			/* Before the gate opens: the thread, and with it this path, lasts until then. */
			char path[64];
			snprintf(path, sizeof path, "/proc/self/task/%d/ns/net", (int)maker.tid);
			fd = open(path, O_RDONLY | O_CLOEXEC);
		}
		sem_post(&maker.gate); /* cloned: it may leave now */
	}
	if (fd < 0) {
		fail_errno("network", "making the container's network namespace (unshare(CLONE_NEWNET): "
				      "a kernel without CONFIG_NET_NS?)");
		return -1;
	}
	int r = sync_send(sock, SYNC_NETNS, fd);
	close(fd);
	return r;
}

int netns_enter(const struct config *c)
{
	if (c->user) {
		if (unshare(CLONE_NEWNET) < 0) {
			fail_errno("network", "unshare(CLONE_NEWNET) in the user namespace");
			return -1;
		}
		return 0;
	}
	int fd;
	if (sync_wait(c->sync_fd, SYNC_NETNS, &fd) < 0)
		return -1;
	int r = setns(fd, CLONE_NEWNET);
	if (r < 0)
		fail_errno("network", "entering the network namespace the runtime made");
	close(fd);
	return r;
}

/*
 * A new network namespace has only "lo", and it is down: --net none keeps
 * it so, --net loopback brings it up (netdevice(7), SIOCSIFFLAGS).
 */
int setup_network(const struct config *c)
{
	if (c->net != NET_LOOPBACK)
		return 0;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		fail_errno("network", "socket for the loopback interface");
		return -1;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	int r = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (r < 0)
		fail_errno("network", "bringing up lo");
	close(s);
	return r;
}

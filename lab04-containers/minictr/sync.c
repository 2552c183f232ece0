/*
 * sync.c: the sync channel between the runtime and the container's first
 * process, a socketpair(2) made before the clone. Each message is one
 * byte, the step the child may go on to (SYNC_* in minictr.h), and may
 * carry one descriptor (SCM_RIGHTS, unix(7)): the network namespace, the
 * seccomp filter. The child learns that the parent gave up (and said why)
 * from end-of-file: the parent's end is the only one left open.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "minictr.h"

union fd_space {
	struct cmsghdr h;
	char buf[CMSG_SPACE(sizeof(int))];
};

int sync_send(int sock, char step, int fd)
{
	struct iovec iov = { .iov_base = &step, .iov_len = 1 };
	union fd_space ctl;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (fd >= 0) {
		memset(&ctl, 0, sizeof ctl);
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof ctl.buf;
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	}
	/* A child that gave up has closed its end: MSG_NOSIGNAL makes that EPIPE, not a SIGPIPE that kills us. */
	ssize_t n;
	while ((n = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	if (n == 1)
		return 0;
	if (errno != EPIPE) /* EPIPE: the child said why already */
		fail_errno("sync channel", "could not release the container's first process");
	return -1;
}

int sync_wait(int sock, char step, int *fd)
{
	char got = 0;
	struct iovec iov = { .iov_base = &got, .iov_len = 1 };
	union fd_space ctl;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	ssize_t n;
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	int passed = -1;
	struct cmsghdr *cm = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&passed, CMSG_DATA(cm), sizeof passed);
	/* EOF, another step, or a descriptor missing or not asked for: the parent is gone or confused; stop. */
	if (n != 1 || got != step || (msg.msg_flags & MSG_CTRUNC) || (fd != NULL) != (passed >= 0)) {
		if (passed >= 0)
			close(passed);
		return -1;
	}
	if (fd)
		*fd = passed;
	return 0;
}

/*
 * The plan travels as bytes: the child is a copy of our process image, so
 * the controller names' pointers (cgroup.c's string literals) are as good
 * there as here.
 */
struct plan_message {
	char v1_opts[3][64];
	bool has_plan;
	struct cgroup plan;
};

int sync_send_plan(int sock, const struct config *c)
{
	static struct plan_message m;
	memcpy(m.v1_opts, c->cgroup_v1_opts, sizeof m.v1_opts);
	m.has_plan = c->cgroup_plan != NULL;
	if (m.has_plan)
		m.plan = *c->cgroup_plan;
	for (size_t done = 0; done < sizeof m;) {
		ssize_t n = send(sock, (char *)&m + done, sizeof m - done, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (errno != EPIPE)
				fail_errno("sync channel", "sending the cgroups' plan");
			return -1;
		}
		done += n;
	}
	return 0;
}

int sync_receive_plan(int sock, struct config *c)
{
	static struct plan_message m;
	for (size_t done = 0; done < sizeof m;) {
		ssize_t n = read(sock, (char *)&m + done, sizeof m - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1; /* the parent gave up, and said why */
		done += n;
	}
	memcpy(c->cgroup_v1_opts, m.v1_opts, sizeof m.v1_opts);
	c->cgroup_plan = m.has_plan ? &m.plan : NULL;
	return 0;
}

/*
 * A root minictr that panics the VM at its first run (appended by the
 * self-check to the starter's namespaces.c): every test not finished then
 * fails with a message saying the VM stopped, and the grade goes on.
 */
#include <fcntl.h>
#include <unistd.h>

__attribute__((constructor)) static void kit_hostile_crash(void)
{
	int fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd >= 0 && write(fd, "c", 1) < 0)
		close(fd);
}

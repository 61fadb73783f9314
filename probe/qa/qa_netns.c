/*
 * qa_netns.c - move the calling process into a station's named network
 * namespace (ip-netns(8)), as `ip netns exec` does: the network namespace
 * of /run/netns/NAME, a private mount namespace with /sys mounted afresh
 * (so /sys/class/net shows that namespace's interfaces) and, when
 * /etc/netns/NAME/resolv.conf exists, that file over /etc/resolv.conf.
 * Only ever called in a child process that runs one QA job.
 */
#include <sys/mount.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "qa_netns.h"

int
qa_netns_enter(const char *name, char *err, size_t errlen)
{
	char path[256];
	struct stat sb;
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "netns %s: %s", name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) == -1) {
		snprintf(err, errlen, "netns %s: setns: %s", name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	/* Our mounts must not leak into the station's own namespace. */
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) == -1) {
		snprintf(err, errlen, "netns %s: mount namespace: %s", name,
		    strerror(errno));
		return -1;
	}
	if (umount2("/sys", MNT_DETACH) == 0)
		mount(name, "/sys", "sysfs", 0, NULL);
	snprintf(path, sizeof(path), "/etc/netns/%s/resolv.conf", name);
	if (stat(path, &sb) == 0 &&
	    mount(path, "/etc/resolv.conf", NULL, MS_BIND, NULL) == -1) {
		snprintf(err, errlen, "netns %s: resolv.conf: %s", name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

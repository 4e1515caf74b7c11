/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: sysctls
 *
 * Written through /proc/sys, which is what sysctl(8) does too; there is
 * no netlink for these.  Paths are checked so a name from a config file
 * cannot climb out of /proc/sys.
 */
#include "kernel/nl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
sysctl_write(struct kernel *k, const char *path, const char *value)
{
	char full[256];
	size_t len = strlen(value);
	int fd, r = 0;

	(void)k;
	if (strstr(path, "..") || path[0] == '/')
		return -EINVAL;
	if ((size_t)snprintf(full, sizeof(full), "/proc/sys/%s", path) >=
	    sizeof(full))
		return -ENAMETOOLONG;
	fd = open(full, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		r = -errno;
	close(fd);
	return r;
}

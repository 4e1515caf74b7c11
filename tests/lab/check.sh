#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make check's entry to the lab: every scenario in tests/lab/t against this
# build tree, in one VM (or directly on a kernel with ESP and XFRM
# interfaces).  A lab that cannot run is a failure, never a skip.
#
# The lab runs from a checkout and a build tree seen under /tmp, wherever
# they really are: the VM puts fresh tmpfs on /tmp, /run, /var/log..., and a
# checkout in /tmp (where many people try a project first) once vanished
# under it.  A private mount namespace binds both trees there for this run.
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$srcdir}
if [ "$(id -u)" -ne 0 ]; then
	echo "the lab needs root (network namespaces, a VM)"
	exit 1
fi
top=$(mktemp -d /tmp/cgw-lab.XXXXXX) || exit 1
trap 'rmdir "$top/src" "$top/build" "$top" 2>/dev/null' EXIT
mkdir "$top/src" "$top/build" || exit 1
# Bounds for a hung VM or scenario, with room for a busy machine: the
# whole suite takes about 20 minutes in the VM.
unshare -m --propagation private sh -c '
	mount --bind "$1" "$3/src" && mount --bind "$2" "$3/build" || exit 1
	CGW_BUILDDIR=$3/build LAB_WORKDIR=$3/build/tests/lab/.work \
	LAB_TIMEOUT=${LAB_TIMEOUT:-3600} \
	LAB_SCENARIO_TIMEOUT=${LAB_SCENARIO_TIMEOUT:-600} \
		exec "$3/src/tests/lab/run"' check.sh "$srcdir" "$builddir" "$top"

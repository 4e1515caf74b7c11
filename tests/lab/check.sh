#!/bin/sh
# make check's entry to the lab: every scenario in tests/lab/t against this
# build tree, in one VM (or directly on a kernel with ESP and XFRM
# interfaces).  A lab that cannot run is a failure, never a skip.
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$srcdir}
if [ "$(id -u)" -ne 0 ]; then
	echo "the lab needs root (network namespaces, a VM)"
	exit 1
fi
# Bounds for a hung VM or scenario, with room for a busy machine: the
# whole suite takes about 20 minutes in the VM.
CGW_BUILDDIR=$builddir LAB_WORKDIR=$builddir/tests/lab/.work \
	LAB_TIMEOUT=${LAB_TIMEOUT:-3600} \
	LAB_SCENARIO_TIMEOUT=${LAB_SCENARIO_TIMEOUT:-600} \
	exec "$srcdir/tests/lab/run"

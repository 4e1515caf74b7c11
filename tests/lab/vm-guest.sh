#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Stage 2 of the lab VM, PID 1 after switch_root (started by vm.sh's initramfs).
# The root is the host's / over 9p, read-only. $labshare (kernel command line)
# is vm.sh's writable share; $labshare/job is the command to run. Its output
# goes to the second serial port (vm.sh's stdout) and to $labshare/guest.log;
# its exit status to $labshare/rc. Then the VM powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# bash process substitution needs /dev/fd
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin; ln -sf /proc/self/fd/1 /dev/stdout; ln -sf /proc/self/fd/2 /dev/stderr
poweroff() { sync; echo o >/proc/sysrq-trigger; sleep 10; }
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=262144 share "$labshare" ||
	{ echo "vm-guest: cannot mount the share on $labshare" >/dev/ttyS0; poweroff; }
out=/dev/ttyS1
stty -F $out raw -echo 2>/dev/null
echo "vm-guest: guest up $(cut -d' ' -f1 /proc/uptime)s after kernel start" >$out

. "$(dirname "$0")/lab-env.sh"
# vm.sh's list of the host directories the job uses (checkout, build tree):
# lab_env_setup keeps them visible under its scratch tmpfs.
mapfile -t keep <"$labshare/keep"
if ! lab_env_setup "$labshare" "${keep[@]}" >"$labshare/env.log" 2>&1; then
	cat "$labshare/env.log" >$out
	echo "vm-guest: environment setup failed" >$out
	echo 125 >"$labshare/rc"
	poweroff
fi
hostname lab 2>/dev/null
echo "vm-guest: environment ready $(cut -d' ' -f1 /proc/uptime)s after kernel start" >$out

bash "$labshare/job" </dev/null 2>&1 | tee "$labshare/guest.log" >$out
rc=${PIPESTATUS[0]}
echo "$rc" >"$labshare/rc"
poweroff

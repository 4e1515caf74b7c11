#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vm.sh: run one command inside a throw-away QEMU VM that boots Debian's own
# kernel (which has ESP, xfrm interfaces, GCM, netem as modules) with this
# machine's root filesystem shared read-only over 9p.
#
#   tests/lab/vm.sh [-w WORKDIR] [-t SECONDS] [--] COMMAND [ARG...]
#
# Why a VM: the development/CI kernels have no ESP, no xfrm interfaces, no
# modules (see docs/lab.md). QEMU TCG (software emulation) is the only thing
# that works there: KVM hangs with a stock kernel, user-mode-linux does not boot.
#
# The command runs as root in the guest with the same paths as on the host
# (/ is the host's /, read-only), in the same working directory, with the
# exported LAB_* and CGW_* environment variables. WORKDIR/share is writable
# from both sides (same absolute path) and brings results back.
# vm.sh exits with the command's exit status, or 124 if the VM hung/crashed
# (the guest's console log is printed then).
#
# Env: LAB_WORKDIR (default tests/lab/.work), LAB_TIMEOUT (default 1500 s),
#      LAB_KERNEL (default newest /boot/vmlinuz-* with /lib/modules),
#      LAB_VM_MEM (MiB, default 2048), LAB_VM_CPUS (default: host CPUs, max 4).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${LAB_WORKDIR:-$here/.work}
tmo=${LAB_TIMEOUT:-1500}
while [ $# -gt 0 ]; do
	case $1 in
	-w) work=$2; shift 2 ;;
	-t) tmo=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "vm.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: vm.sh [-w WORKDIR] [-t SECONDS] [--] COMMAND [ARG...]" >&2; exit 2; }

die() { echo "vm.sh: $*" >&2; exit 125; }
for t in qemu-system-x86_64 busybox cpio modinfo timeout; do
	command -v "$t" >/dev/null || die "missing $t (Debian: packaging/deps.sh lab)"
done
[ -e /usr/bin/busybox ] && file_bb=/usr/bin/busybox || file_bb=$(command -v busybox)
# The initramfs needs a *static* busybox (busybox-static): it runs before any
# library is reachable.
if ldd "$file_bb" >/dev/null 2>&1; then die "$file_bb is dynamic: install busybox-static"; fi

mkdir -p "$work/share"
work=$(cd "$work" && pwd)
share=$work/share
case "$work$here" in *[[:space:]]*) die "paths with spaces are not supported (kernel command line)";; esac

# --- kernel ----------------------------------------------------------------
kernel=${LAB_KERNEL:-}
if [ -z "$kernel" ]; then
	for k in $(ls -1v /boot/vmlinuz-* 2>/dev/null | sort -rV); do
		[ -d "/lib/modules/${k#/boot/vmlinuz-}" ] && { kernel=$k; break; }
	done
fi
[ -n "$kernel" ] && [ -r "$kernel" ] || die "no readable /boot/vmlinuz-* with /lib/modules (Debian: linux-image-amd64)"
kver=${kernel#/boot/vmlinuz-}

# --- initramfs: static busybox + the modules needed to mount 9p -------------
# Loaded in dependency order (modinfo -F depends), with busybox insmod: the
# initramfs has no modprobe/modules.dep. Everything else is modprobed later
# from the host's /lib/modules once the root is mounted.
initrd=$work/initramfs-$kver.cpio.gz
if [ ! -s "$initrd" ] || [ "$initrd" -ot "$0" ] || [ "$initrd" -ot "$file_bb" ]; then
	ird=$(mktemp -d "$work/initramfs.XXXXXX")
	trap 'rm -rf "$ird"' EXIT
	mkdir -p "$ird"/{bin,dev,proc,sys,newroot,mods}
	cp "$file_bb" "$ird/bin/busybox"
	order=()
	add_mod() { # depth-first: dependencies first, each module once
		local m=$1 d
		for d in $(modinfo -k "$kver" -F depends "$m" | tr , ' '); do add_mod "$d"; done
		case " ${order[*]-} " in *" $m "*) return ;; esac
		order+=("$m")
	}
	for m in virtio_pci 9pnet_virtio 9p; do add_mod "$m"; done
	for m in "${order[@]}"; do
		f=$(modinfo -k "$kver" -n "$m")
		case $f in
		*.ko) cp "$f" "$ird/mods/$m.ko" ;;
		*.ko.xz) xz -dc "$f" >"$ird/mods/$m.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$ird/mods/$m.ko" ;;
		*) die "module $m: unexpected file $f" ;;
		esac
		echo "$m" >>"$ird/mods/order"
	done
	cat >"$ird/init" <<'INIT'
#!/bin/busybox sh
# Stage 1: load virtio/9p, mount the host's root read-only, hand over to the
# lab's stage 2 (labinit=, from the kernel command line, arrives in our env).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
fail() { echo "lab-initramfs: $*"; echo o >/proc/sysrq-trigger; sleep 5; }
for m in $(cat /mods/order); do insmod /mods/$m.ko || fail "insmod $m"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 root /newroot || fail "mount root"
umount /proc /sys /dev
exec switch_root /newroot /bin/bash "$labinit"
INIT
	chmod +x "$ird/init"
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	rm -rf "$ird"; trap - EXIT
fi

# --- the job: same cwd, exported LAB_*/CGW_* variables, quoted command -------
{
	echo "cd $(printf %q "$PWD")"
	while IFS='=' read -r name _; do
		case $name in LAB_*|CGW_*) echo "export $name=$(printf %q "${!name}")" ;; esac
	done < <(env)
	printf 'exec'; printf ' %q' "$@"; echo
} >"$share/job"
# The directories the job uses, for the guest to keep visible where its
# scratch tmpfs (on /tmp, /run, ...) would hide them: the checkout (the lab
# uses tests/ and packaging/ too), the working directory, and every
# LAB_*/CGW_* variable naming a directory.
{
	(cd "$here/../.." && pwd -P)
	pwd -P
	while IFS='=' read -r name _; do
		case $name in LAB_*|CGW_*) if [ -d "${!name}" ]; then (cd "${!name}" && pwd -P); fi ;; esac
	done < <(env)
} >"$share/keep"
rm -f "$share/rc" "$share/guest.log"
console=$work/console.log
: >"$console"

cpus=${LAB_VM_CPUS:-$(nproc)}; [ "$cpus" -gt 4 ] && cpus=4
t0=$(date +%s.%N)
# Serial 0 = kernel console (to a file, shown on failure); serial 1 = the
# command's output (to our stdout, live). stdin is /dev/null so QEMU never
# puts a terminal into raw mode.
set +e
timeout -k 10 "$tmo" qemu-system-x86_64 -accel tcg -cpu max -m "${LAB_VM_MEM:-2048}" -smp "$cpus" \
	-nodefaults -display none -no-reboot -net none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet loglevel=4 panic=-1 labinit=$here/vm-guest.sh labshare=$share" \
	-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$share",mount_tag=share,security_model=none,multidevs=remap \
	-serial file:"$console" -serial stdio </dev/null
qrc=$?
set -e
t1=$(date +%s.%N)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
if [ -s "$share/rc" ]; then
	rc=$(cat "$share/rc")
	echo "vm.sh: VM finished in ${secs}s, command exit status $rc" >&2
	[ "$rc" -eq 0 ] || { echo "--- guest console ($console) ---" >&2; tail -n 60 "$console" >&2; }
	exit "$rc"
fi
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then why="hung: killed after ${tmo}s"; else why="QEMU exit $qrc, no result"; fi
echo "vm.sh: VM $why (${secs}s)" >&2
echo "--- guest console ($console) ---" >&2
tail -n 200 "$console" >&2
exit 124

# SPDX-License-Identifier: GPL-2.0-or-later
# lab-env.sh (sourced): what a lab run needs from the machine it runs on.
#   lab_kernel_ok   - does the running kernel have ESP, GCM, xfrm interfaces, veth?
#   lab_env_setup [KEEP...]
#                   - writable scratch dirs (tmpfs) on a read-only or shared root,
#                     kernel modules; run inside the VM or in a private mount namespace.
#                     KEEP: directories (the checkout, the build tree, the share)
#                     that stay visible even where they lie under a scratch dir.

# Probe in a scratch network namespace: create an xfrm interface and install an
# AES-GCM and an AES-CBC/HMAC-SHA256 ESP SA. The machines without ESP answer
# "Protocol not supported" (errno 93) here.
lab_kernel_ok() {
	local ns=labprobe$$ ok=0 k
	ip netns add "$ns" 2>/dev/null || return 1
	k=0x$(printf '%040x' 1)
	ip -n "$ns" link add lp0 type veth peer name lp1 2>/dev/null &&
	ip -n "$ns" link add xp0 type xfrm if_id 7 2>/dev/null &&
	ip -n "$ns" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 mode tunnel \
		aead 'rfc4106(gcm(aes))' "$k" 128 if_id 7 2>/dev/null &&
	ip -n "$ns" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x101 mode tunnel \
		enc 'cbc(aes)' 0x$(printf '%032x' 1) auth-trunc 'hmac(sha256)' 0x$(printf '%064x' 1) 128 2>/dev/null &&
	ok=1
	ip netns del "$ns" 2>/dev/null
	[ $ok = 1 ]
}

LAB_MODULES="esp4 xfrm_user xfrm_interface authenc gcm seqiv echainiv ctr ghash_generic
	aesni_intel veth dummy nf_tables nft_ct nf_conntrack sch_netem sch_tbf"

LAB_SCRATCH="/tmp /var/tmp /run /var/log /etc/frr /var/lib/frr /var/lib/strongswan"

lab_env_setup() {
	local d k fd fds=() keep=()
	# A checkout in /tmp is the first thing many people try, and a fresh
	# tmpfs on /tmp would hide it (and the share, the build tree inside
	# it).  Hold each such directory open, and bind it back after the
	# tmpfs is on: shortest path first, so a share inside the checkout
	# lands on the checkout, not under it.
	while IFS= read -r k; do
		[ -d "$k" ] || continue
		for d in $LAB_SCRATCH; do
			case $k in "$d"/*) exec {fd}<"$k" || return 1
				fds+=("$fd"); keep+=("$k"); break ;;
			esac
		done
	done < <(for k in "$@"; do printf '%s\n' "$k"; done | awk '{ print length, $0 }' | sort -k1,1n -k2 -u | cut -d" " -f2-)
	# The root is read-only (VM) or the host's (direct mode, private mount
	# namespace): give every daemon fresh writable state.
	for d in $LAB_SCRATCH; do
		[ -d "$d" ] || continue
		mount -t tmpfs -o mode=0755 tmpfs "$d" || return 1
	done
	chmod 1777 /tmp /var/tmp
	for d in "${!keep[@]}"; do
		k=${keep[$d]} fd=${fds[$d]}
		# -c: mount would resolve the fd's link to its path name,
		# which now leads into the new tmpfs.
		mkdir -p "$k" && mount -c --bind "/proc/$BASHPID/fd/$fd" "$k" ||
			{ echo "lab-env: cannot keep $k visible"; return 1; }
		exec {fd}<&-
	done
	mkdir -p /run/netns /run/frr /run/lock
	if id frr >/dev/null 2>&1; then
		chown frr:frr /etc/frr /var/lib/frr /run/frr
		# vtysh insists on reading a vtysh.conf
		: >/etc/frr/vtysh.conf
	fi
	# modprobe every module we may need; in direct mode some are built in or
	# absent (a kernel without modules): that is fine if the probe passes.
	modprobe -a $LAB_MODULES 2>/dev/null || for d in $LAB_MODULES; do modprobe -q "$d" || echo "lab-env: modprobe $d failed"; done
	sysctl -qw net.core.wmem_max=4194304 net.core.rmem_max=4194304 2>/dev/null
	lab_kernel_ok || { echo "lab-env: kernel cannot do ESP/xfrm interfaces even after modprobe"; return 1; }
}

#!/bin/bash
# oracle/setup.sh: prepare the machine and the cache the oracle runs from
# (oracle/README.md). Needs Debian 12 (bookworm). As root it installs what
# is missing with apt-get; otherwise it prints the command to run.
#
# What it makes, in $MCASIM_ORACLE_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/mcasim-oracle), never in the repository:
#   xen-4.17          Xen 4.17 (Debian 12's xen-hypervisor-4.17-amd64), unzipped
#   xen-4.20          Xen 4.20 (Debian 13's xen-hypervisor-4.20-amd64), unzipped
#   vmlinuz           the Debian kernel (dom0 and the plain Linux guest)
#   initramfs.cpio.gz busybox, /init (oracle/initramfs/init), mcelog-reader
#   versions          the package versions the transcripts name
#
# The project's own build and tests (README.md) never need any of this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${MCASIM_ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mcasim-oracle}

die() { echo "oracle/setup.sh: error: $*" >&2; exit 1; }
say() { echo "oracle/setup.sh: $*"; }

# Debian 12 packages: the program or file that shows each is there.
packages=(qemu-system-x86 linux-image-amd64 busybox-static cpio
          xen-hypervisor-4.17-amd64 gcc libc6-dev python3 python3-yaml)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ]; then
		say "installing ${missing[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
			|| die "apt-get install ${missing[*]} failed"
	else
		die "missing packages; run as root: apt-get install --no-install-recommends ${missing[*]}"
	fi
fi

mkdir -p "$cache"
cd "$cache"

# --- the kernel: the newest installed Debian kernel image ------------------
vmlinuz=$(ls -1 /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$vmlinuz" ] || die "no /boot/vmlinuz-*-amd64 (linux-image-amd64 installed?)"
kver=${vmlinuz#/boot/vmlinuz-}
cp -f "$vmlinuz" vmlinuz
config=/boot/config-$kver
grep -q '^CONFIG_XEN_MCE_LOG=y' "$config" || die "$config: CONFIG_XEN_MCE_LOG is not y: dom0 would have no /dev/mcelog"
if grep -q '^CONFIG_X86_MCELOG_LEGACY=y' "$config"; then
	say "kernel $kver has CONFIG_X86_MCELOG_LEGACY: bare Linux has /dev/mcelog too"
else
	say "kernel $kver has no CONFIG_X86_MCELOG_LEGACY: bare Linux records come from the mce_record tracepoint"
fi

# --- Xen 4.17 from Debian 12 -------------------------------------------------
[ -f /boot/xen-4.17-amd64.gz ] || die "/boot/xen-4.17-amd64.gz missing (xen-hypervisor-4.17-amd64)"
zcat /boot/xen-4.17-amd64.gz > xen-4.17.new && mv -f xen-4.17.new xen-4.17

# --- Xen 4.20 from Debian 13, fetched with a private apt state -------------
# The mirror is the one the machine's own apt sources use; the host's apt
# configuration and state are not touched.
if [ ! -f xen-4.20 ] || [ ! -f xen-4.20.version ]; then
	mirror=
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f")
		[ -n "$mirror" ] && break
	done
	if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
		mirror=$(awk '/^deb / && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
	fi
	[ -n "$mirror" ] || die "cannot find a Debian mirror in /etc/apt/sources.list{,.d}"
	apt=$cache/apt-trixie
	mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/etc" "$apt/debs"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$apt/etc/sources.list"
	opts=(-o "Dir::State=$apt/state" -o "Dir::Cache=$apt/cache"
	      -o "Dir::Etc::sourcelist=$apt/etc/sources.list" -o "Dir::Etc::sourceparts=-"
	      -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
	say "fetching xen-hypervisor-4.20-amd64 (Debian 13)"
	apt-get "${opts[@]}" update -qq || die "apt-get update of the trixie list failed"
	(cd "$apt/debs" && rm -f xen-hypervisor-4.20-amd64_*.deb &&
	 apt-get "${opts[@]}" download xen-hypervisor-4.20-amd64) || die "apt-get download xen-hypervisor-4.20-amd64 failed"
	deb=$(ls "$apt"/debs/xen-hypervisor-4.20-amd64_*.deb)
	rm -rf "$apt/x" && dpkg-deb -x "$deb" "$apt/x"
	gz=$(ls "$apt"/x/boot/xen-4.20-amd64.gz) || die "$deb has no boot/xen-4.20-amd64.gz"
	zcat "$gz" > xen-4.20
	dpkg-deb -f "$deb" Version > xen-4.20.version
fi

# --- the initramfs -------------------------------------------------------------
rm -rf initramfs.d && mkdir -p initramfs.d/bin initramfs.d/dev
cp /bin/busybox initramfs.d/bin/busybox
! readelf -l initramfs.d/bin/busybox | grep -q 'Requesting program interpreter' || die "/bin/busybox is not static (busybox-static)"
ln -sf busybox initramfs.d/bin/sh
gcc -static -O2 -Wall -Wextra -o initramfs.d/bin/mcelog-reader "$here/mcelog-reader.c" \
	|| die "cannot build mcelog-reader (gcc, libc6-dev)"
install -m 0755 "$here/initramfs/init" initramfs.d/init
(cd initramfs.d && find . -print0 | sort -z | cpio --null -o -H newc --quiet --reproducible) | gzip -9n > initramfs.cpio.gz.new
mv -f initramfs.cpio.gz.new initramfs.cpio.gz   # atomic: a QEMU may be starting
rm -rf initramfs.d

# --- versions ----------------------------------------------------------------------
v() { dpkg-query -W -f='${Version}' "$1"; }
{
	echo "xen-4.17 xen-hypervisor-4.17-amd64 $(v xen-hypervisor-4.17-amd64) (Debian 12)"
	echo "xen-4.20 xen-hypervisor-4.20-amd64 $(cat xen-4.20.version) (Debian 13)"
	echo "kernel linux-image-$kver $(v linux-image-$kver)"
	echo "qemu qemu-system-x86 $(v qemu-system-x86)"
	echo "busybox busybox-static $(v busybox-static)"
} > versions
cat versions
say "ready in $cache"

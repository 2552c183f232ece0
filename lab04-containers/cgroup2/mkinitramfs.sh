#!/bin/sh
# mkinitramfs.sh OUT.cpio.gz LAB04_BUILD: the initramfs that make lab04-cgroup2
# boots in an x86-64 VM on Debian's own kernel to run lab04's tests on a
# cgroup v2 (unified) hierarchy, which this machine (hybrid v1) cannot give.
#
# Layout: busybox-static in /bin (applets installed by init), the kit's
# lab04 build under /kit/build/lab04 (KIT_ROOT=/kit: tests find
# build/lab04/minictr and build/lab04/rootfs there), and every shared
# library the dynamic programs load, found with ldd, at its host path.
set -eu
out=${1:?usage: mkinitramfs.sh OUT.cpio.gz LAB04_BUILD}
b04=${2:?usage: mkinitramfs.sh OUT.cpio.gz LAB04_BUILD}
here=$(dirname "$0")
for f in "$b04/minictr" "$b04/rootfs/bin/kitprobe"; do
	[ -e "$f" ] || { echo "mkinitramfs: $f is missing: make lab04-tests first" >&2; exit 1; }
done
command -v cpio >/dev/null || { echo "mkinitramfs: cpio is missing: make deps (group cgroup2)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab04-cgroup2-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/usr/bin" "$tmp/usr/sbin" "$tmp/proc" "$tmp/sys" "$tmp/dev" \
	"$tmp/tmp" "$tmp/root" "$tmp/etc" "$tmp/kit/build/lab04/tests"
chmod 1777 "$tmp/tmp"
cp /bin/busybox "$tmp/bin/busybox"
cp "$here/init" "$tmp/init"
chmod 755 "$tmp/init"
# root and nobody for tests that run a container as another user
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$tmp/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$tmp/etc/group"

cp "$b04/minictr" "$tmp/kit/build/lab04/minictr"
cp -a "$b04/rootfs" "$tmp/kit/build/lab04/rootfs"
[ -e "$b04/kitprobe" ] && cp "$b04/kitprobe" "$tmp/kit/build/lab04/kitprobe"
bins="$b04/minictr"
for t in "$b04"/tests/*; do
	if ! [ -f "$t" ] || ! [ -x "$t" ]; then continue; fi
	cp "$t" "$tmp/kit/build/lab04/tests/"
	bins="$bins $t"
done

# Shared libraries, with the paths ldd resolves them to (the loader included).
# shellcheck disable=SC2086 # one word per binary
for lib in $(ldd $bins 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u); do
	mkdir -p "$tmp$(dirname "$lib")"
	cp -L "$lib" "$tmp$lib"
done

(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"

#!/bin/sh
# mkinitramfs.sh OUT.cpio.gz LAB04_BUILD KERNEL_VERSION JOBS KITINIT: the
# initramfs of one lab04 grade in a VM (grader/src/vm.c). The grader runs it
# in its isolated sandbox (uid 65534, no network, the kit hidden): it reads
# the grading tree's build and writes OUT only.
#
#   /init            KITINIT (kit code, static): PID 1
#   /kit/jobs        JOBS: one line per test, with its nonce
#   /modules/        the virtio console modules of KERNEL_VERSION, and order
#   /kit/root.cpio   the root every test gets afresh: busybox, the shared
#                    libraries the test binaries and minictr load, and
#                    LAB04_BUILD's minictr, kitprobe, rootfs and tests at
#                    /kit/build/lab04 (KIT_ROOT=/kit)
#
# Libraries are found from DT_NEEDED (readelf -d), never with ldd: ldd runs
# a binary's own program interpreter, and minictr is the student's.
set -eu
out=${1:?usage: mkinitramfs.sh OUT LAB04_BUILD KERNEL_VERSION JOBS KITINIT}
b04=${2:?} kver=${3:?} jobs=${4:?} init=${5:?}
for f in "$b04/minictr" "$b04/rootfs/bin/kitprobe" "$jobs" "$init"; do
	[ -e "$f" ] || { echo "mkinitramfs: $f is missing" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kit-vm-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
boot=$tmp/boot root=$tmp/root
mkdir -p "$boot/kit" "$boot/modules" "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/proc" \
	"$root/sys" "$root/dev" "$root/tmp" "$root/root" "$root/etc" "$root/run" "$root/kit/build/lab04/tests"
chmod 1777 "$root/tmp"
cp "$init" "$boot/init"
chmod 755 "$boot/init"
cp "$jobs" "$boot/kit/jobs"

# virtio_console and what it needs, in load order (Debian builds them as modules)
mods=/lib/modules/$kver/kernel/drivers
: >"$boot/modules/order"
for m in virtio/virtio_ring.ko virtio/virtio.ko virtio/virtio_pci_legacy_dev.ko virtio/virtio_pci_modern_dev.ko \
	virtio/virtio_pci.ko char/virtio_console.ko; do
	[ -f "$mods/$m" ] || continue # built in
	cp "$mods/$m" "$boot/modules/"
	basename "$m" >>"$boot/modules/order"
done

cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cp "$b04/minictr" "$root/kit/build/lab04/minictr"
cp -R "$b04/rootfs" "$root/kit/build/lab04/rootfs"
[ -e "$b04/kitprobe" ] && cp "$b04/kitprobe" "$root/kit/build/lab04/kitprobe"
bins="$root/kit/build/lab04/minictr"
for t in "$b04"/tests/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	cp "$t" "$root/kit/build/lab04/tests/"
	bins="$bins $root/kit/build/lab04/tests/$(basename "$t")"
done

# Shared libraries: DT_NEEDED, transitively, from the system's directories.
needed() { readelf -d "$@" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
seen=" "
todo=$(needed $bins | sort -u)
while [ -n "$todo" ]; do
	next=
	for lib in $todo; do
		case $seen in *" $lib "*) continue ;; esac
		seen="$seen$lib "
		for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib; do
			if [ -e "$d/$lib" ]; then
				mkdir -p "$root$d"
				cp -L "$d/$lib" "$root$d/$lib"
				next="$next $(needed "$d/$lib")"
				break
			fi
		done
	done
	todo=$next
done
mkdir -p "$root/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$boot/kit/root.cpio"
(cd "$boot" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"

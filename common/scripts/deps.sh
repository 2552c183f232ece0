#!/bin/sh
# deps.sh GROUP...: make sure the Debian packages a part of the kit needs are
# installed. Installs with apt-get when run as root, with sudo otherwise; when
# neither is possible, names the packages and stops.
#
# Groups (one per part of the kit, so a student who only builds lab01 does
# not pull in what lab04 or the handouts need):
#   core      host compiler, Criterion, libseccomp (student runner), make, zip
#   riscv     cross compiler, picolibc, QEMU, OpenSBI, U-Boot, gdb, dtc, Graphviz (make ptdump),
#             gnuplot (make bench's plot) and xmllint (its test reads the SVG)
#   handouts  pandoc, Graphviz, Chromium (HTML check, PDF)
#   lab04     libseccomp, libcap, busybox-static
#   bench     bubblewrap, runc (lab04 comparison)
#   cgroup2   Debian's x86-64 kernel, QEMU x86, cpio (make lab04-cgroup2: lab04 on cgroup v2)
#   linux     Linux 6.1's source and the riscv64 Linux cross compiler (make linux: the Linux guest)
set -eu

pkgs_core="gcc make pkg-config libcriterion-dev libseccomp-dev zip unzip"
pkgs_riscv="gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc qemu-system-data u-boot-qemu gdb-multiarch device-tree-compiler graphviz gnuplot-nox libxml2-utils"
pkgs_handouts="pandoc graphviz chromium fonts-noto-cjk"
pkgs_lab04="libseccomp-dev libcap-dev busybox-static"
pkgs_bench="bubblewrap runc"
pkgs_cgroup2="linux-image-amd64 qemu-system-x86 cpio"
pkgs_linux="linux-source-6.1 gcc-riscv64-linux-gnu bison flex bc cpio libelf-dev xz-utils"

want=""
for g in "$@"; do
	case "$g" in
	core) want="$want $pkgs_core" ;;
	riscv) want="$want $pkgs_riscv" ;;
	handouts) want="$want $pkgs_handouts" ;;
	lab04) want="$want $pkgs_lab04" ;;
	bench) want="$want $pkgs_bench" ;;
	cgroup2) want="$want $pkgs_cgroup2" ;;
	linux) want="$want $pkgs_linux" ;;
	*) echo "deps.sh: unknown group '$g' (core, riscv, handouts, lab04, bench, cgroup2, linux)" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" = 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	echo "deps: these Debian packages are missing:$missing" >&2
	echo "deps: install them as root: apt-get install$missing" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; refresh them at most once an hour.
lists=$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null | head -n 1)
if [ -z "$lists" ]; then
	$as_root apt-get update -qq || { echo "deps: apt-get update failed" >&2; exit 1; }
fi
# shellcheck disable=SC2086
if ! $as_root apt-get install -y -qq --no-install-recommends $missing >/tmp/kit-deps.$$.log 2>&1; then
	tail -n 20 /tmp/kit-deps.$$.log >&2
	rm -f /tmp/kit-deps.$$.log
	echo "deps: could not install:$missing" >&2
	echo "deps: install them as root: apt-get install$missing" >&2
	exit 1
fi
rm -f /tmp/kit-deps.$$.log

#!/bin/sh
# benchvm/run.sh CGROUP2_INITRAMFS OUTDIR [RUNS]: lab04's start-up bench
# (bench.sh: minictr, bubblewrap, runc) on a cgroup v2 kernel. Adds a second
# cpio archive to the initramfs of make lab04-cgroup2 (the kernel unpacks
# both, in order: bench.sh, bash, bwrap, runc with their libraries, and
# benchvm/init as /bench-init) and boots it with rdinit=/bench-init.
# The console is kept in OUTDIR/console.log. Same accelerator choice as
# cgroup2/run.sh: KVM when /dev/kvm opens, else TCG (CGROUP2_ACCEL=tcg|kvm).
set -eu
base=${1:?usage: run.sh CGROUP2_INITRAMFS OUTDIR [RUNS]}
outdir=${2:?usage: run.sh CGROUP2_INITRAMFS OUTDIR [RUNS]}
runs=${3:-30}
here=$(dirname "$0")
kernel=${CGROUP2_KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
[ -n "$kernel" ] && [ -r "$kernel" ] || { echo "bench-cgroup2: no kernel in /boot: common/scripts/deps.sh cgroup2" >&2; exit 1; }
for p in bash bwrap runc cpio qemu-system-x86_64; do
	command -v "$p" >/dev/null || { echo "bench-cgroup2: $p is missing: common/scripts/deps.sh bench cgroup2" >&2; exit 1; }
done
mkdir -p "$outdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab04-benchvm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/x/kit" "$tmp/x/usr/bin"
cp "$here/init" "$tmp/x/bench-init"
cp "$here/../bench.sh" "$tmp/x/kit/bench.sh"
bins=""
for p in bash bwrap runc; do
	cp "$(command -v "$p")" "$tmp/x/usr/bin/$p"
	bins="$bins $(command -v "$p")"
done
# shellcheck disable=SC2086 # one word per binary
for lib in $(ldd $bins 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u); do
	mkdir -p "$tmp/x$(dirname "$lib")"
	cp -L "$lib" "$tmp/x$lib"
done
(cd "$tmp/x" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/extra.cpio.gz"
cat "$base" "$tmp/extra.cpio.gz" >"$outdir/bench-initramfs.cpio.gz"

accel=${CGROUP2_ACCEL:-}
if [ -z "$accel" ]; then
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then accel=kvm; else accel=tcg; fi
fi
log=$outdir/bench-console.log
# boot ACCEL WAIT: 0 once the VM powered off; 2 if WAIT > 0 and it did not boot in WAIT s (KVM can hang nested)
boot() {
	case $1 in kvm) a="-accel kvm -cpu host" ;; *) a="-accel tcg" ;; esac
	echo "bench-cgroup2: booting $kernel ($1), $runs runs each; console in $log"
	: >"$log.raw"
	# shellcheck disable=SC2086
	timeout -k 5 "${CGROUP2_TIMEOUT:-900}" qemu-system-x86_64 $a -m 1536 -smp 2 -nographic -no-reboot -nic none \
		-kernel "$kernel" -initrd "$outdir/bench-initramfs.cpio.gz" \
		-append "console=ttyS0 loglevel=1 panic=-1 rdinit=/bench-init KIT_BENCH_RUNS=$runs" </dev/null >"$log.raw" 2>&1 &
	q=$!
	i=0
	while [ "$2" -gt 0 ] && ! grep -q 'KIT-BENCH booted' "$log.raw" && kill -0 "$q" 2>/dev/null && [ "$i" -lt "$2" ]; do
		sleep 1
		i=$((i + 1))
	done
	if [ "$2" -gt 0 ] && ! grep -q 'KIT-BENCH booted' "$log.raw"; then
		kill "$q" 2>/dev/null
		wait "$q" 2>/dev/null || true
		return 2
	fi
	wait "$q" || true
	tr -d '\r' <"$log.raw" >"$log"
	rm -f "$log.raw"
}
if [ "$accel" = kvm ] && [ -z "${CGROUP2_ACCEL:-}" ]; then
	boot kvm 15 || { echo "bench-cgroup2: KVM does not boot here: again with TCG"; boot tcg 0; }
else
	boot "$accel" 0
fi
sed -n 's/^KIT-BENCH //p' "$log"
grep -q '^KIT-BENCH RESULT PASS' "$log"

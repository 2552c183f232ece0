#!/bin/sh
# run.sh INITRAMFS LOG: boot Debian's x86-64 kernel with the initramfs of
# mkinitramfs.sh (whose init runs lab04's tests on cgroup v2), show the
# console, keep it in LOG, and exit 0 only on its "KIT-CG2 RESULT PASS".
#
# CGROUP2_KERNEL  the kernel image (default: the newest /boot/vmlinuz-*)
# CGROUP2_ACCEL   kvm or tcg (default: kvm if /dev/kvm opens and the kernel
#                 boots under it within CGROUP2_KVM_WAIT seconds, else tcg)
# CGROUP2_KVM_WAIT  default 10
# CGROUP2_TIMEOUT seconds before the VM is stopped (default 600)
set -eu
initrd=${1:?usage: run.sh INITRAMFS LOG}
log=${2:?usage: run.sh INITRAMFS LOG}
kernel=${CGROUP2_KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$kernel" ] || ! [ -r "$kernel" ]; then
	echo "lab04-cgroup2: no readable kernel in /boot (${kernel:-none}): install linux-image-amd64 (common/scripts/deps.sh cgroup2)" >&2
	exit 1
fi
command -v qemu-system-x86_64 >/dev/null || {
	echo "lab04-cgroup2: qemu-system-x86_64 is missing: install qemu-system-x86 (common/scripts/deps.sh cgroup2)" >&2
	exit 1
}
accel=${CGROUP2_ACCEL:-}
if [ -z "$accel" ]; then
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then accel=kvm; else accel=tcg; fi
fi
limit=${CGROUP2_TIMEOUT:-600}
kvm_wait=${CGROUP2_KVM_WAIT:-10}
raw=$log.raw
qpid=
tpid=
stop() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null
	qpid=''
	tpid=''
}
trap 'stop' EXIT
trap 'stop; exit 130' INT TERM

# boot ACCEL WAIT: run the VM, showing its console; 0 when it powered off
# by itself, 2 when WAIT > 0 and no "KIT-CG2 booted" came in WAIT seconds.
boot() {
	case $1 in
	kvm) a="-accel kvm -cpu host" ;;
	*) a="-accel tcg" ;;
	esac
	echo "lab04-cgroup2: booting $kernel ($1) with $initrd; console in $log"
	: >"$raw"
	# loglevel=1: kernel messages (the OOM killer's) would cut into the test lines.
	# shellcheck disable=SC2086
	timeout -k 5 "$limit" qemu-system-x86_64 $a -m 1536 -smp 2 -nographic -no-reboot -nic none \
		-kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 loglevel=1 panic=-1" \
		</dev/null >"$raw" 2>&1 &
	qpid=$!
	tail -f --pid="$qpid" -n +1 "$raw" | tr -d '\r' &
	tpid=$!
	if [ "$2" -gt 0 ]; then
		i=0
		while ! grep -q 'KIT-CG2 booted' "$raw" && kill -0 "$qpid" 2>/dev/null && [ "$i" -lt "$2" ]; do
			sleep 1
			i=$((i + 1))
		done
		if ! grep -q 'KIT-CG2 booted' "$raw"; then
			stop
			wait 2>/dev/null || true
			echo
			echo "lab04-cgroup2: no boot under $1 in $2 s"
			return 2
		fi
	fi
	wait "$qpid" || true
	qpid=
	wait "$tpid" 2>/dev/null || true
	tpid=
	{ echo "lab04-cgroup2: $kernel, accel $1"; tr -d '\r' <"$raw"; } >"$log"
	rm -f "$raw"
	return 0
}

t0=$(date +%s)
if [ "$accel" = kvm ] && [ -z "${CGROUP2_ACCEL:-}" ]; then
	boot kvm "$kvm_wait" || { echo "lab04-cgroup2: KVM does not work here (nested?): again with TCG (set CGROUP2_ACCEL=tcg to skip the try)"; boot tcg 0; }
else
	boot "$accel" 0
fi
t1=$(date +%s)

echo "lab04-cgroup2: $((t1 - t0)) s in all"
grep '^KIT-CG2 \(kernel\|SUMMARY\|END\|LEFTOVER\)' "$log" || true
if grep -q '^KIT-CG2 RESULT PASS' "$log"; then
	echo "lab04-cgroup2: PASS: every lab04 test passed on cgroup v2"
	exit 0
fi
if grep -q '^KIT-CG2 RESULT' "$log"; then
	echo "lab04-cgroup2: FAIL: see the 'not ok' lines above and $log" >&2
else
	echo "lab04-cgroup2: FAIL: the VM stopped without a result (crash, or over ${limit} s): see $log" >&2
fi
exit 1

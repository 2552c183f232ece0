#!/bin/bash
# demo.sh MINICTR ROOTFS: make run's lab04 step. One container with every
# isolation and limit on; the shell inside prints what it sees of itself.
# As root: full limits. Otherwise: a rootless --user container (no cgroup
# limits, which need root or a delegated cgroup). Exit status 0 only if the
# container ran and reported as expected.
set -u
minictr=$1 rootfs=$2
script='
echo "  inside: pid $$ (parent $PPID), hostname $(hostname), uid $(id -u)"
echo "  inside: processes visible: $(ls /proc | grep -c "^[0-9]")"
if [ -r /sys/fs/cgroup/memory.max ]; then
	echo "  limits: memory.max $(cat /sys/fs/cgroup/memory.max), pids.max $(cat /sys/fs/cgroup/pids.max), cpu.max $(cat /sys/fs/cgroup/cpu.max)"
elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
	echo "  limits: memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) bytes, pids.max $(cat /sys/fs/cgroup/pids/pids.max), cpu $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)/$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us) us"
else
	echo "  limits: none visible (no cgroup limits in this mode)"
fi
echo "  capabilities: $(grep CapEff /proc/self/status | tr -s "\t" " "), $(grep Seccomp: /proc/self/status | tr -s "\t" " ")"
echo "  network: $(ls /sys/class/net | tr "\n" " ")"
'
echo "=== lab04: a container from build/lab04/minictr"
if [ "$(id -u)" = 0 ]; then
	args=(--hostname lab04-demo --memory 64M --pids 32 --cpus 0.5 --net loopback)
else
	echo "  (not root: a rootless --user container without cgroup limits)"
	args=(--hostname lab04-demo --user --net loopback)
fi
echo "  \$ minictr run --rootfs $rootfs ${args[*]} -- sh -c '...'"
out=$(timeout 30 "$minictr" run --rootfs "$rootfs" "${args[@]}" -- sh -c "$script" 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 0 ] || ! grep -q "hostname lab04-demo" <<<"$out"; then
	echo "!!! lab04-run FAILED: minictr exited with status $rc" >&2
	exit 1
fi
echo "  host: hostname still $(hostname); exit status $rc"

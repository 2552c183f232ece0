#!/bin/bash
# bench.sh MINICTR ROOTFS [RUNS]: start-to-exit latency of one container
# running /bin/true, side by side in one run:
#   minictr  every namespace, mounts, masks, caps, seccomp, and cgroup
#            limits (64M memory, 32 pids, 0.5 CPU)
#   bwrap    bubblewrap: namespaces and mounts, no cgroup limits
#   runc     runc 1.1 with a bundle written below: the same namespaces,
#            masks, capabilities, a seccomp deny list and the same limits
# Runs are interleaved (one of each, RUNS times) after 3 warm-up rounds,
# timed with bash's $EPOCHREALTIME (no extra process); prints medians and
# ratios, and the cgroup layout they were measured on. Needs root (cgroups;
# runc). make lab04-bench-cgroup2 runs it inside the cgroup v2 VM.
set -u
minictr=$1 rootfs=$(realpath "$2") runs=${3:-${RUNS:-30}}
if [ "$(id -u)" != 0 ]; then
	echo "bench: needs root (cgroup limits, runc): sudo make bench LAB=lab04" >&2
	exit 1
fi
work=$(mktemp -d /tmp/lab04-bench.XXXXXX)
trap 'runc --root "$work/runc" delete -f lab04-bench >/dev/null 2>&1; rm -rf "$work"' EXIT
mkdir -p "$work/bundle"

# The runc bundle: OCI runtime spec 1.0 config.json, rootfs read-only.
cat > "$work/bundle/config.json" <<JSON
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": { "uid": 0, "gid": 0 },
    "args": [ "/bin/true" ],
    "env": [ "PATH=/usr/sbin:/usr/bin:/sbin:/bin" ],
    "cwd": "/",
    "noNewPrivileges": true,
    "capabilities": {
      "bounding":  [ "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_AUDIT_WRITE", "CAP_SETFCAP" ],
      "effective": [ "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_AUDIT_WRITE", "CAP_SETFCAP" ],
      "permitted": [ "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_AUDIT_WRITE", "CAP_SETFCAP" ]
    }
  },
  "root": { "path": "$rootfs", "readonly": true },
  "hostname": "bench",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": [ "nosuid", "mode=755", "size=65536k" ] },
    { "destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": [ "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620" ] },
    { "destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": [ "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" ] },
    { "destination": "/sys", "type": "sysfs", "source": "sysfs", "options": [ "nosuid", "noexec", "nodev", "ro" ] }
  ],
  "linux": {
    "namespaces": [ { "type": "pid" }, { "type": "network" }, { "type": "ipc" }, { "type": "uts" }, { "type": "mount" }, { "type": "cgroup" } ],
    "cgroupsPath": "/lab04-bench-runc",
    "resources": {
      "memory": { "limit": 67108864 },
      "pids": { "limit": 32 },
      "cpu": { "quota": 50000, "period": 100000 }
    },
    "maskedPaths": [ "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/sched_debug", "/proc/scsi", "/sys/firmware" ],
    "readonlyPaths": [ "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger" ],
    "seccomp": {
      "defaultAction": "SCMP_ACT_ALLOW",
      "architectures": [ "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" ],
      "syscalls": [ { "names": [ "keyctl", "add_key", "request_key", "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot", "open_by_handle_at", "mount", "umount2", "pivot_root", "ptrace", "bpf", "perf_event_open", "userfaultfd", "syslog", "acct", "swapon", "swapoff", "settimeofday", "clock_settime", "io_uring_setup", "io_uring_enter", "io_uring_register" ], "action": "SCMP_ACT_ERRNO" } ]
    }
  }
}
JSON

run_minictr() { "$minictr" run --rootfs "$rootfs" --readonly --memory 64M --pids 32 --cpus 0.5 -- /bin/true; }
run_minictr_nolimits() { "$minictr" run --rootfs "$rootfs" --readonly -- /bin/true; }
run_bwrap() {
	bwrap --unshare-pid --unshare-net --unshare-ipc --unshare-uts --unshare-cgroup --die-with-parent \
		--ro-bind "$rootfs" / --proc /proc --dev /dev --hostname bench --cap-drop ALL -- /bin/true
}
run_runc() { runc --root "$work/runc" run --bundle "$work/bundle" lab04-bench </dev/null; }

tools=(minictr minictr_nolimits bwrap runc)
declare -A have
for t in "${tools[@]}"; do
	if "run_$t" >/dev/null 2>"$work/$t.err"; then
		have[$t]=1
	else
		echo "bench: $t does not work here: $(head -n 2 "$work/$t.err" | tr '\n' ' ')" >&2
		[ "$t" = minictr ] && exit 1
	fi
done
for w in 1 2 3; do
	for t in "${tools[@]}"; do [ -n "${have[$t]:-}" ] && "run_$t" >/dev/null 2>&1; done
done
for ((i = 0; i < runs; i++)); do
	for t in "${tools[@]}"; do
		[ -n "${have[$t]:-}" ] || continue
		t0=$EPOCHREALTIME
		"run_$t" >/dev/null 2>&1
		t1=$EPOCHREALTIME
		echo "$(( (${t1/./} - ${t0/./}) ))" >> "$work/$t.us"
	done
done

median() { sort -n "$1" | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print int((v[NR/2]+v[NR/2+1])/2)}'; }
# the file system type's magic (statfs(2)): busybox's stat names fewer types than coreutils'
case $(stat -f -c %t /sys/fs/cgroup 2>/dev/null) in
63677270) layout="cgroup v2" ;;
1021994) layout="cgroup v1 (hybrid or legacy)" ;;
*) layout="no cgroups" ;;
esac
echo "lab04 bench: start-to-exit latency of a /bin/true container, median of $runs interleaved runs each"
echo "  ($(nproc) CPUs, $(uname -r), $layout, load $(cut -d' ' -f1-3 /proc/loadavg))"
m=$(median "$work/minictr.us")
printf "  %-16s %8.2f ms   %s\n" minictr "$(awk -v u="$m" 'BEGIN{print u/1000}')" "namespaces, pivot_root, masks, caps, seccomp, cgroups 64M/32 pids/0.5 CPU"
for t in minictr_nolimits bwrap runc; do
	if [ -z "${have[$t]:-}" ]; then
		printf "  %-16s   (not run: see above)\n" "$t"
		continue
	fi
	v=$(median "$work/$t.us")
	what="namespaces, mounts, no cgroup limits"
	[ "$t" = runc ] && what="the same isolation and limits (OCI bundle)"
	[ "$t" = minictr_nolimits ] && what="minictr without cgroups"
	printf "  %-16s %8.2f ms   %s; minictr/%s = %s\n" "$t" "$(awk -v u="$v" 'BEGIN{print u/1000}')" "$what" "$t" \
		"$(awk -v a="$m" -v b="$v" 'BEGIN{printf "%.2f", a/b}')"
done

#!/bin/bash
# run.sh BUILD LINUX_IMAGE: lab03's `make run` step, the bare-metal picture.
# Two guests side by side on the one VMM: unmodified Linux 6.1 (two vCPUs,
# the virtio disk and console) and the PV build of lab02's paging guest
# (every group), packed into one initrd (tools/mkpack.c), each with a fresh
# token; once in nested mode, once with shadow paging. Prints each guest's
# closing line and the VMM's figures for the run, and fails unless both
# guests finished with every check passed. Then `make bench LAB=lab03`
# prints the three ways measured. Non-interactive; every QEMU run under
# `timeout`. QEMU and its machine come from the environment (lab.mk).
set -u
build=$1 linux=$2
QEMU=${QEMU:-qemu-system-riscv64}
LIMIT=${RUN_TIMEOUT:-120}	# a run takes 2 to 5 s here, 30 s on a loaded machine
read -r -a machine <<<"${RUN_MACHINE:?RUN_MACHINE: the QEMU machine arguments (lab.mk sets them)}"
out=$build/run
mkdir -p "$out"
token() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }

status=0
for mode in nested shadow; do
	vmm=$build/vmm.bin
	[ "$mode" = nested ] && vmm=$build/vmm-nested.bin
	pack=$out/two-$mode.pack log=$out/two-$mode.log
	lt=$(token) pt=$(token)
	"$build/mkpack" "$pack" linux "$linux" "kit.token=$lt kittoken=$lt quiet" \
		paging-pv "$build/guest/paging-pv.bin" "kit.token=$pt" || exit 1
	echo "== lab03 ($mode): Linux and the PV paging guest side by side on one VMM ($vmm)"
	timeout -k 5 "$LIMIT" "$QEMU" "${machine[@]}" -kernel "$vmm" -initrd "$pack" </dev/null 2>&1 |
		tr -d '\r' >"$log"
	rc=${PIPESTATUS[0]}
	grep -a -E '^\[(linux|paging-pv)\] KIT (LINUX )?DONE|^vmm: guest .* stopped|switches between VMs|^vmm: console input' "$log" | sed 's/^/   /'
	# Linux: "KIT LINUX DONE <ok> <total>"; the paging guest: "KIT DONE <passed> <failed>"
	if [ "$rc" -ne 0 ] ||
		! grep -a -q -E '^\[linux\] KIT LINUX DONE ([0-9]+) \1$' "$log" ||
		! grep -a -q -E '^\[paging-pv\] KIT DONE [1-9][0-9]* 0$' "$log"; then
		echo "!!! lab03-run ($mode): a guest did not finish with every check passed (QEMU status $rc); console: $log" >&2
		tail -n 15 "$log" | sed 's/^/    /' >&2
		status=1
	fi
done
exit $status

#!/bin/bash
# bench-linux.sh VMM_BIN IMAGE: what Linux's boot to init costs under the
# VMM. Boots IMAGE (the kit's Linux, guest/linux) twice with -icount
# shift=0, natively on OpenSBI and under VMM_BIN; the kit's init reads
# instret first thing ("KIT LINUX instret N": every instruction the hart
# ran since reset, firmware and VMM included). Prints both counts, their
# ratio, and the VMM's exit table (exits by cause) for the run. Figures,
# never a verdict: tests check behaviour, this measures it.
set -u
vmm=$1 image=$2
. "$(dirname "$0")/bench-lib.sh"
append="console=ttyS0 quiet kittoken=bench"
out=$(dirname "$vmm")/bench
mkdir -p "$out"

run() { # run NAME QEMU-ARGS...
	bench_run "$out" "$1" '^KIT LINUX instret ' "${@:2}" -append "$append"
}

echo "== bench: Linux's boot to init ($image), natively on OpenSBI, then under $vmm (-icount shift=0)"
run linux-native -kernel "$image"
run linux-vmm -kernel "$vmm" -initrd "$image"

native=$(awk '/^KIT LINUX instret /{print $4; exit}' "$out/linux-native.log")
virt=$(awk '/^KIT LINUX instret /{print $4; exit}' "$out/linux-vmm.log")
awk -v n="$native" -v v="$virt" 'BEGIN {
	printf "%-34s %14s\n", "instructions to init", "count"
	printf "%-34s %14d\n", "native", n
	printf "%-34s %14d\n", "under the VMM", v
	printf "%-34s %14.2fx\n", "ratio", v / n
}'
echo "== the VMM's exits for the whole run (boot, init's checks, power-off):"
sed -n '/^vmm: exits by cause/,/^vmm: shadow paging/p' "$out/linux-vmm.log" | sed 's/^vmm: /  /'

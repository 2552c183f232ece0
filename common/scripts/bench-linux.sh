#!/bin/bash
# bench-linux.sh IMAGE [LABEL=]VMM_BIN...: what Linux's boot to init costs
# under each VMM. Boots IMAGE (the kit's Linux, guest/linux) with -icount
# shift=0, natively on OpenSBI and under each VMM_BIN (lab02: shadow and
# nested); the kit's init reads instret first thing ("KIT LINUX instret
# N": every instruction the hart ran since reset, firmware and VMM
# included). Prints the counts, their ratios to native, and each VMM's
# exit table (exits by cause) for the run. Figures, never a verdict: tests
# check behaviour, this measures it.
set -u
[ $# -ge 2 ] || { echo "usage: bench-linux.sh IMAGE [LABEL=]VMM_BIN..." >&2; exit 2; }
image=$1
shift
. "$(dirname "$0")/bench-lib.sh"
bench_parse_vmms "$@" || exit 2
for g in "${guests[@]}"; do
	[ -z "$g" ] || { echo "bench-linux: every run boots $image: no VMM_BIN@GUEST_BIN here" >&2; exit 2; }
done
[ -r "$image" ] || { echo "bench: no $image (make it first)" >&2; exit 2; }
append="console=ttyS0 quiet kittoken=bench"
out=$(dirname "${vmms[0]}")/bench
mkdir -p "$out"

run() { # run NAME QEMU-ARGS...
	bench_run "$out" "$1" '^KIT LINUX instret ' "${@:2}" -append "$append"
}
instret() { awk '/^KIT LINUX instret /{print $4; exit}' "$1"; }

echo "== bench: Linux's boot to init ($image), natively on OpenSBI, then under ${vmms[*]} (-icount shift=0)"
run linux-native -kernel "$image"
native=$(instret "$out/linux-native.log")
printf "%-34s %14s %9s\n" "instructions to init" "count" "ratio"
printf "%-34s %14d\n" "native" "$native"
for i in "${!vmms[@]}"; do
	run "linux-${labels[$i]}" -kernel "${vmms[$i]}" -initrd "$image"
	awk -v l="under ${labels[$i]}" -v n="$native" -v v="$(instret "$out/linux-${labels[$i]}.log")" \
		'BEGIN { printf "%-34s %14d %8.2fx\n", l, v, v / n }'
done
for i in "${!vmms[@]}"; do
	echo "== ${labels[$i]}: the VMM's exits for the whole run (boot, init's checks, power-off):"
	sed -n '/^vmm: exits by cause/,/^vmm: \(shadow\|nested\) paging/p' "$out/linux-${labels[$i]}.log" | sed 's/^vmm: /  /'
done

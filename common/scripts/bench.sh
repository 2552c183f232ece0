#!/bin/bash
# bench.sh VMM_BIN BENCH_BIN: the cost of virtualization, per operation.
# Runs the bench guest twice with -icount shift=0 (instret counts executed
# instructions exactly; REFERENCES.md, "QEMU virt"): natively on OpenSBI as
# -kernel, then under the VMM as -initrd. The guest prints one line per
# operation,
#     KIT BENCH <op> iters=<N> instret=<delta> exits=<delta|n/a>
# with instret read around N repetitions. Natively that delta is the
# guest's own instructions; under the VMM it is every instruction the hart
# ran (guest, VMM, firmware), so the difference is the VMM's work. Prints
# per operation: instructions per iteration natively, under the VMM, the
# difference, exits per iteration and the ratio. Wall-clock time under TCG
# means nothing, so none is shown.
set -u
vmm=$1 bench=$2
. "$(dirname "$0")/bench-lib.sh"
out=$(dirname "$vmm")/bench
mkdir -p "$out"

run() { # run NAME QEMU-ARGS...
	bench_run "$out" "$1" '^KIT BENCH ' "${@:2}"
}

echo "== bench: $bench natively on OpenSBI, then under $vmm (-icount shift=0)"
run native -kernel "$bench"
run vmm -kernel "$vmm" -initrd "$bench"

awk '
function field(name,   i) {
	for (i = 4; i <= NF; i++)
		if (index($i, name "=") == 1)
			return substr($i, length(name) + 2)
	return ""
}
# A measurement line has iters=; iters=0 measures the measurement itself
# (reading instret and the exit counter), subtracted from every operation.
/^KIT BENCH / && field("iters") != "" {
	op = $3; it = field("iters"); ins = field("instret"); ex = field("exits")
	nat = FILENAME ~ /native\.log$/
	if (it + 0 == 0) {
		if (nat) nbase = ins
		else { vbase = ins; vexbase = (ex ~ /^[0-9]+$/) ? ex : 0 }
		next
	}
	if (!(op in seen)) { seen[op] = 1; order[++n] = op }
	if (nat) { nit[op] = it; nins[op] = ins }
	else { vit[op] = it; vins[op] = ins; vex[op] = ex }
}
END {
	printf "%-12s %6s %13s %13s %13s %9s %9s\n", "operation", "iters", "native ins", "under VMM", "VMM ins", "exits", "overhead"
	bad = 0
	for (i = 1; i <= n; i++) {
		op = order[i]
		if (!(op in nins) || !(op in vins)) {
			printf "%-12s   (missing from the %s run)\n", op, (op in nins) ? "VMM" : "native"
			bad = 1
			continue
		}
		g = (nins[op] - nbase) / nit[op]; t = (vins[op] - vbase) / vit[op]
		e = (vex[op] ~ /^[0-9]+$/) ? sprintf("%.2f", (vex[op] - vexbase) / vit[op]) : "n/a"
		r = (g > 0) ? sprintf("%.1fx", t / g) : "n/a"
		printf "%-12s %6d %13.1f %13.1f %13.1f %9s %9s\n", op, vit[op], g, t, t - g, e, r
	}
	printf "-- per iteration. native ins: the guest alone on OpenSBI; under VMM: every instruction\n"
	printf "-- the hart retired (guest, VMM, OpenSBI); VMM ins: the difference; overhead: under VMM / native.\n"
	printf "-- The cost of one measurement (native %d, under the VMM %d instructions, %d exits) is subtracted.\n", nbase, vbase, vexbase
	exit bad
}' "$out/native.log" "$out/vmm.log" || { echo "!!! bench: the two runs do not report the same operations" >&2; exit 1; }
echo "-- Raw console logs: $out/native.log, $out/vmm.log"

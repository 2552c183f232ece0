#!/bin/bash
# bench.sh BENCH_BIN [LABEL=]VMM_BIN[@GUEST_BIN]...: the cost of virtualization, per
# operation, side by side. Runs the bench guest with -icount shift=0
# (instret counts executed instructions exactly; REFERENCES.md, "QEMU
# virt"): natively on OpenSBI as -kernel, then under each VMM as -initrd
# (lab02 gives two: shadow=vmm.bin nested=vmm-nested.bin); a VMM given as
# VMM_BIN@GUEST_BIN runs GUEST_BIN instead (lab03's PV build of the same
# guest: pv=vmm.bin@paging-pv.bin). The guest
# prints one line per operation,
#     KIT BENCH <op> iters=<N> instret=<delta> exits=<delta|n/a>
# with instret read around N repetitions. Natively that delta is the
# guest's own instructions; under a VMM it is every instruction the hart
# ran (guest, VMM, firmware), so the difference is the VMM's work. Prints
# per operation: instructions per iteration natively, then for each VMM
# its instructions, exits per iteration and the ratio to native.
# Wall-clock time under TCG means nothing, so none is shown. The same
# figures go to OUT/NAME.tsv (OUT = the first VMM's directory's bench/,
# NAME = the guest's), the data file bench-plot.sh draws.
set -u
[ $# -ge 2 ] || { echo "usage: bench.sh BENCH_BIN [LABEL=]VMM_BIN[@GUEST_BIN]..." >&2; exit 2; }
bench=$1
shift
. "$(dirname "$0")/bench-lib.sh"
bench_parse_vmms "$@" || exit 2
[ -r "$bench" ] || { echo "bench: no $bench (make it first)" >&2; exit 2; }
out=$(dirname "${vmms[0]}")/bench
mkdir -p "$out"
name=$(basename "$bench" .bin)

run() { # run NAME QEMU-ARGS...
	bench_run "$out" "$1" '^KIT BENCH ' "${@:2}"
}

under=()
for i in "${!vmms[@]}"; do
	under+=("${vmms[$i]}${guests[$i]:+ with ${guests[$i]}}")
done
echo "== bench: $bench natively on OpenSBI, then under $(IFS=,; echo "${under[*]}" | sed 's/,/, /g') (-icount shift=0)"
run "$name-native" -kernel "$bench" "${bench_append[@]}"
logs=("$out/$name-native.log")
for i in "${!vmms[@]}"; do
	run "$name-${labels[$i]}" -kernel "${vmms[$i]}" -initrd "${guests[$i]:-$bench}" "${bench_append[@]}"
	logs+=("$out/$name-${labels[$i]}.log")
done

# The table's figures also go to $out/$name.tsv (bench-plot.sh draws them),
# written only when every run reported every operation.
tsv=$out/$name.tsv
awk -v labels="${labels[*]}" -v tsv="$tsv.tmp" '
function field(name,   i) {
	for (i = 4; i <= NF; i++)
		if (index($i, name "=") == 1)
			return substr($i, length(name) + 2)
	return ""
}
BEGIN { nv = split(labels, label, " ") }
FNR == 1 { run++ }	# 1: native, 2..: the VMMs in order
# A measurement line has iters=; iters=0 measures the measurement itself
# (reading instret and the exit counter), subtracted from every operation.
/^KIT BENCH / && field("iters") != "" {
	op = $3; it = field("iters"); ins = field("instret"); ex = field("exits")
	if (it + 0 == 0) {
		base[run] = ins; exbase[run] = (ex ~ /^[0-9]+$/) ? ex : 0
		next
	}
	if (!(op in seen)) { seen[op] = 1; order[++n] = op }
	iters[run, op] = it; insn[run, op] = ins; exits[run, op] = ex
}
END {
	printf "%-13s %6s %11s", "operation", "iters", "native"
	for (v = 1; v <= nv; v++)
		printf " | %11s %7s %8s", label[v], "exits", "ratio"
	printf "\n"
	# The same figures for bench-plot.sh, one line per operation (its
	# header says the format): instructions of each run, then exits.
	printf "# bench.sh: per iteration, the cost of one measurement subtracted\noperation\titers\tnative" > tsv
	for (v = 1; v <= nv; v++)
		printf "\t%s", label[v] > tsv
	for (v = 1; v <= nv; v++)
		printf "\t%s exits", label[v] > tsv
	printf "\n" > tsv
	bad = 0
	for (i = 1; i <= n; i++) {
		op = order[i]
		if (!((1, op) in insn)) {
			printf "%-13s   (missing from the native run)\n", op
			bad = 1
			continue
		}
		g = (insn[1, op] - base[1]) / iters[1, op]
		printf "%-13s %6d %11.1f", op, iters[1, op], g
		ti = sprintf("%s\t%d\t%.1f", op, iters[1, op], g); te = ""
		for (v = 1; v <= nv; v++) {
			r = v + 1
			if (!((r, op) in insn)) {
				printf " | %11s %7s %8s", "(missing)", "", ""
				bad = 1
				continue
			}
			t = (insn[r, op] - base[r]) / iters[r, op]
			e = (exits[r, op] ~ /^[0-9]+$/) ? sprintf("%.2f", (exits[r, op] - exbase[r]) / iters[r, op]) : "n/a"
			printf " | %11.1f %7s %8s", t, e, (g > 0) ? sprintf("%.1fx", t / g) : "n/a"
			ti = ti sprintf("\t%.1f", t); te = te "\t" e
		}
		printf "\n"
		print ti te > tsv
	}
	printf "-- instructions per iteration. native: the guest alone on OpenSBI; under a VMM: every\n"
	printf "-- instruction the hart retired (guest, VMM, OpenSBI); ratio: under the VMM / native.\n"
	printf "-- The cost of one measurement is subtracted (native %d", base[1]
	for (v = 1; v <= nv; v++)
		printf ", %s %d instructions and %d exits", label[v], base[v + 1], exbase[v + 1]
	printf ").\n"
	exit bad
}' "${logs[@]}" || { rm -f "$tsv.tmp"; echo "!!! bench: the runs do not report the same operations" >&2; exit 1; }
mv "$tsv.tmp" "$tsv"
echo "-- Raw console logs: ${logs[*]}; the table's data for bench-plot.sh: $tsv"

#!/bin/bash
# bench-plot.sh [-t TITLE] -o OUT.svg DATA.tsv...: the bench figures as one
# SVG (gnuplot, common/scripts/bench-plot.gp): above, instructions per
# operation, one bar per run side by side, log scale; below, the VMMs'
# exits per operation. Any lab calls it on the data files bench.sh writes
# next to its logs (build/<lab>/bench/<guest>.tsv); several files with the
# same runs are drawn as one figure, their operations in the order given.
#
# The data file (tab-separated; lines starting with '#' are comments):
#     operation  iters  native  L1 ... Lk  L1 exits ... Lk exits
#     first_touch  64  3.0  1390.0 ... 1.00 ...
# one header line, then one line per operation: its name, the iterations
# measured, instructions per iteration in each run (native first, then one
# column per VMM label, as bench.sh's LABEL=VMM_BIN), then each VMM's
# exits per iteration ("n/a" if the guest could not count them). The
# labels are the legend: lab02 draws native / shadow / nested, lab03
# native / trap-and-emulate / pv / hardware-assisted with the same code.
#
# Bad data is refused with the file, the line and what is wrong (status 2),
# and OUT.svg is left as it was: the figure is written to a temporary file
# and moved into place only when gnuplot succeeded.
set -u
usage() { echo "usage: bench-plot.sh [-t TITLE] -o OUT.svg DATA.tsv..." >&2; exit 2; }
title="" svg=""
while getopts "t:o:" opt; do
	case $opt in
	t) title=$OPTARG ;;
	o) svg=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$svg" ] && [ $# -ge 1 ] || usage
case $svg in *.svg) ;; *) echo "bench-plot: the output '$svg' must end in .svg" >&2; exit 2 ;; esac
command -v gnuplot >/dev/null 2>&1 ||
	{ echo "bench-plot: gnuplot is not installed (common/scripts/deps.sh riscv installs gnuplot-nox)" >&2; exit 1; }
for f in "$@"; do
	[ -r "$f" ] || { echo "bench-plot: no data file '$f' (bench.sh writes it next to its logs)" >&2; exit 2; }
	[ -s "$f" ] || { echo "bench-plot: $f is empty (no header, no operations: did bench.sh fail?)" >&2; exit 2; }
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Checks every file and joins them into one (the first header, then every
# file's rows); prints the number of runs (native and the VMMs).
runs=$(awk -F '\t' -v joined="$tmp/data.tsv" '
function bad(what) {
	printf "bench-plot: %s line %d: %s\n", fname, FNR, what > "/dev/stderr"
	failed = 1
	exit 2
}
function bad_file(what) {
	printf "bench-plot: %s: %s\n", fname, what > "/dev/stderr"
	failed = 1
	exit 2
}
function number(s) { return s ~ /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
# The end of each file (a new file starts, or the last ends): a header and rows.
function ended() {
	if (header == "")
		bad_file("no header line (is this a bench.sh data file?)")
	if (rows == 0)
		bad_file("no operations after the header")
}
FNR == 1 && NR > 1 { ended() }
FNR == 1 { header = ""; rows = 0; fname = FILENAME }
/^#/ || /^[ \t]*$/ { next }
header == "" {
	if (NF < 3 || $1 != "operation" || $2 != "iters" || $3 != "native")
		bad("expected the header \"operation<TAB>iters<TAB>native ...\", got \"" $0 "\"")
	if (NF % 2 == 0)
		bad("expected native, each VMM label, then \"LABEL exits\" for each (an odd number of columns), got " NF " columns")
	k = (NF - 1) / 2	# runs: native and k - 1 VMMs
	for (i = 4; i <= 2 + k; i++) {
		if ($i !~ /^[A-Za-z0-9_-]+$/)
			bad("expected a VMM label (letters, digits, - and _) in column " i ", got \"" $i "\"")
		if ($(i + k - 1) != $i " exits")
			bad("expected column " i + k - 1 " to be \"" $i " exits\", got \"" $(i + k - 1) "\"")
	}
	header = $0
	if (first == "") {
		first = header
		print header > joined
	} else if (header != first) {
		bad("expected the same runs as the first file (\"" first "\"), got \"" header "\"")
	}
	next
}
{
	if (NF != 2 * k + 1)
		bad("expected " 2 * k + 1 " columns as in the header, got " NF)
	if ($1 !~ /^[A-Za-z0-9_.-]+$/)
		bad("expected an operation name (letters, digits, . - _), got \"" $1 "\"")
	if ($2 !~ /^[1-9][0-9]*$/)
		bad("expected iterations (a positive integer) for " $1 ", got \"" $2 "\"")
	for (i = 3; i <= 2 + k; i++)
		if (!number($i))
			bad("expected instructions per iteration (a number, 0 or more) for " $1 " in column " i ", got \"" $i "\"")
	for (; i <= NF; i++)
		if (!number($i) && $i != "n/a")
			bad("expected exits per iteration (a number or n/a) for " $1 " in column " i ", got \"" $i "\"")
	rows++
	print > joined
}
END {
	if (failed)
		exit 2
	ended()
	print k
}
' "$@") || exit 2

gnuplot -c "$(dirname "$0")/bench-plot.gp" "$tmp/data.tsv" "$tmp/out.svg" "$runs" "$title" \
	2>"$tmp/gnuplot.log" && [ -s "$tmp/out.svg" ] ||
	{ echo "bench-plot: gnuplot failed:" >&2; sed 's/^/    /' "$tmp/gnuplot.log" >&2; exit 1; }
mkdir -p "$(dirname "$svg")" && mv "$tmp/out.svg" "$svg" || exit 1
echo "-- Plot: $svg"

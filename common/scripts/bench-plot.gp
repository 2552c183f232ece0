# bench-plot.gp DATA OUT RUNS [TITLE]: the bench figure, drawn by
# common/scripts/bench-plot.sh (which checks DATA first; its header says
# the format). RUNS is the number of runs k: columns 3 .. k+2 hold each
# run's instructions per iteration (native first), columns k+3 .. 2k+1
# the VMMs' exits per iteration. Run with gnuplot -c (gnuplot 5.4).
data = ARG1
k = int(ARG3)
heading = ARG4 eq "" ? "" : ARG4 . ": "

set terminal svg size 1200,900 dynamic noenhanced font "Noto Sans,11" background "white"
set output ARG2
set datafile separator "\t"
set datafile missing "n/a"
# The header names the columns: the legend's titles (columnheader), and
# not a data line for the value labels ($0 counts operations from 0).
set datafile columnheaders

# One colour per run, the same in both panels: a VMM's exits bar has its
# instructions bar's colour.
set linetype 1 lc rgb "#4d4d4d"
set linetype 2 lc rgb "#1f77b4"
set linetype 3 lc rgb "#d62728"
set linetype 4 lc rgb "#2ca02c"
set linetype 5 lc rgb "#ff7f0e"
set linetype 6 lc rgb "#9467bd"
set linetype cycle 6

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -35 nomirror
set ytics nomirror
set grid ytics
set key top left horizontal
set border 3

# Each bar carries its value; a bar too small for the axis (0 exits) is
# drawn as its value at the bottom. Bar j (from 0) of n in a cluster sits
# at the cluster's x plus (j - (n - 1) / 2) / (n + gap) (gap 1, above).
barx(j, n) = $0 + (j - (n - 1) / 2.0) / (n + 1.0)
above(v, lo) = v > lo ? v : lo
insn_text(v) = v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v)
exit_text(v) = v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v)
# The top of a panel: its largest value times 30, room for the labels.
insn_max = 1
exit_max = 1
do for [c=3:2*k+1] {
	stats data using c nooutput
	if (c <= k + 2 && STATS_max > insn_max) { insn_max = STATS_max }
	if (c > k + 2 && STATS_max > exit_max) { exit_max = STATS_max }
}

set multiplot layout 2,1 margins 0.07,0.98,0.13,0.95 spacing 0,0.13

# Instructions the hart retired per iteration (guest, VMM and firmware):
# from 3 natively to tens of thousands under a VMM, hence the log scale.
set title heading . "instructions per operation (log scale; natively the guest alone, under a VMM every instruction the hart retired)"
set logscale y
set format y "%.0f"
lo = 1
set yrange [lo:insn_max * 30]
plot for [i=3:k+2] data using i:xtic(1) title columnheader(i) lt (i - 2), \
     for [i=3:k+2] data using (barx(i - 3, k)):(above(column(i), lo)):(insn_text(column(i))) \
         with labels rotate by 90 left offset 0,0.4 font ",8" notitle

# Exits per iteration: the VMM's share of each operation (none natively).
set title heading . "exits per operation (log scale; a VMM run's traps into the VMM per iteration, 0 at the bottom)"
set format y "%g"
lo = 0.01
set yrange [lo:exit_max * 30]
if (k > 1) {
	plot for [i=k+3:2*k+1] data using i:xtic(1) title columnheader(i) lt (i - k - 1), \
	     for [i=k+3:2*k+1] data using (barx(i - k - 3, k - 1)):(above(column(i), lo)):(exit_text(column(i))) \
	         with labels rotate by 90 left offset 0,0.4 font ",8" notitle
} else {
	unset logscale y
	set yrange [0:1]
	set label 1 "no VMM run: natively there are no exits" at graph 0.5, 0.5 center
	plot 1/0 notitle
}
unset multiplot

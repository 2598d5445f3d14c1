# cdf.gp - the cumulative distribution of every stage's latency over all
# errors, one line per stage, on one plot.
# Data: cdf.dat, one block per stage (latency in µs, fraction of errors at
# or below it), in the order of the arrays below.
# Placeholders: NSERIES (blocks), STAGE (array: linetype of each block),
# TITLES (array: legend of each block), LOGX (1: log x axis), XRANGE.
array stage[@NSERIES@] = @STAGE@
array title[@NSERIES@] = @TITLES@
do for [fmt in formats] {
    eval(terminal_for(fmt))
    set output output_base.".".fmt
    set title "Latency per handling stage: cumulative distribution over all errors"
    set ylabel "fraction of errors at or below"
    if (@LOGX@) {
        set logscale x 10
        set format x "%g"
        set xlabel "latency (µs, log scale)"
    } else {
        set xlabel "latency (µs)"
    }
    set xrange @XRANGE@
    set yrange [0:1.02]
    set ytics 0.1 nomirror
    set y2range [0:1.02]
    set y2tics ("p50" 0.5, "p90" 0.9, "p99" 0.99) tc rgb "#666666"
    set grid xtics mxtics ytics
    set arrow 1 from graph 0, first 0.5 to graph 1, first 0.5 nohead dt 3 lc rgb "#777777"
    set arrow 2 from graph 0, first 0.9 to graph 1, first 0.9 nohead dt 3 lc rgb "#777777"
    set arrow 3 from graph 0, first 0.99 to graph 1, first 0.99 nohead dt 3 lc rgb "#777777"
    set key outside right top
    plot for [i=1:@NSERIES@] 'cdf.dat' index (i - 1) using 1:2 with steps lt stage[i] title title[i]
}
unset output

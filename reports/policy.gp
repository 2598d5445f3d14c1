# policy.gp - policy against policy: for each scenario and CPU count run
# under two or more parameter sets (sweep points), the end_to_end latency
# of each set as a min-max range with p50, p90, p99 and max marked.
# Data: policy.dat, one row per parameter set: position (0 = top), min,
# p50, p90, p99, max (µs), errors.
# Placeholders: YTICS (row labels), YMAX (last position + 0.5), LOGX
# (1: log x axis), XRANGE, SHOWN (note when rows were left out), WIDTH,
# HEIGHT.
do for [fmt in formats] {
    eval(terminal_for(fmt))
    set output output_base.".".fmt
    set title "End-to-end latency per parameter set ".@SHOWN@
    if (@LOGX@) {
        set logscale x 10
        set format x "%g"
        set xlabel "end_to_end latency (µs, log scale)"
    } else {
        set xlabel "end_to_end latency (µs)"
    }
    set xrange @XRANGE@
    set offsets graph 0.02, graph 0.04, 0, 0
    set yrange [@YMAX@:-0.5]
    set ytics @YTICS@ nomirror
    set grid xtics noytics
    set key outside right top vertical Left reverse samplen 1
    # max first, p50 last: with few errors the markers coincide and the
    # median should stay visible
    plot 'policy.dat' using 2:1:($6 - $2):(0) with vectors nohead lt 14 title "min to max", \
         '' using 6:1 with points lt 13 title "max", \
         '' using 5:1 with points lt 12 title "p99", \
         '' using 4:1 with points lt 11 title "p90", \
         '' using 3:1 with points lt 10 title "p50"
}
unset output

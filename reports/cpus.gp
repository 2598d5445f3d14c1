# cpus.gp - how the handling of a broadcast machine check (srao, srar,
# fatal: every CPU takes the #MC) scales with the host's CPU count:
# p50, p90, p99 and max of end_to_end and of the entry rendezvous.
# Data: cpus.dat, one block per panel: cpus, errors, p50, p90, p99, max (µs).
# Placeholders: NPANELS, TITLES (array), YLO (array: y axis start, > 0 on
# a log axis), LOGX (1: log2 x axis), XRANGE, XTICS, WIDTH, HEIGHT.
array title[@NPANELS@] = @TITLES@
array ylo[@NPANELS@] = @YLO@
do for [fmt in formats] {
    eval(terminal_for(fmt))
    set output output_base.".".fmt
    set multiplot layout 1, @NPANELS@ title "Broadcast #MC (srao, srar, fatal) latency against the host's pCPU count"
    if (@LOGX@) {
        set logscale x 2
        set xlabel "pCPUs of the host (log scale)"
    } else {
        set xlabel "pCPUs of the host"
    }
    set xrange @XRANGE@
    set xtics @XTICS@
    set format y "%g"
    set ylabel "latency (µs)"
    set key top left Left reverse box opaque
    set grid xtics ytics
    do for [i=1:@NPANELS@] {
        set title title[i]
        if (ylo[i] > 0) {
            set logscale y 10
            set ylabel "latency (µs, log scale)"
        } else {
            unset logscale y
            set ylabel "latency (µs)"
        }
        set yrange [ylo[i]:*]
        plot 'cpus.dat' index (i - 1) using 1:6 with linespoints lt 13 title "max", \
             '' index (i - 1) using 1:5 with linespoints lt 12 title "p99", \
             '' index (i - 1) using 1:4 with linespoints lt 11 title "p90", \
             '' index (i - 1) using 1:3 with linespoints lt 10 title "p50"
    }
    unset multiplot
}
unset output

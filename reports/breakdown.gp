# breakdown.gp - where the time goes: one horizontal bar per run
# (scenario, CPU count, parameter set), the mean latency of each stage
# stacked in handling order; on the right the handler's stages after the
# signal as shares of their sum, so that short runs can be read too and a
# polled error's wait for the poller does not hide the handler.
# Data: breakdown.dat, one row per bar: position (0 = top), then the
# running sum (µs) after each stage, starting at 0.
# Placeholders: NBARS, NSTAGES, STAGE (array: linetype), TITLES (array:
# stage names), HSTART (first stage of the shares panel: 2 leaves the
# signal out), YTICS (bar labels), SHOWN (note when bars were left out),
# LMARGIN, TMARGIN, BMARGIN (screen fractions), LOGX (1: log axis, the bars
# span two decades or more), XLO (the axis' left end, µs: a stage ending
# below it starts there), XMAX (µs, room for the sums), WIDTH, HEIGHT.
array stage[@NSTAGES@] = @STAGE@
array title[@NSTAGES@] = @TITLES@
last = @NSTAGES@ + 2
base = @HSTART@ + 1       # column where the shares start: after the signal
share(c) = 100 * (column(c) - column(base)) / (column(last) - column(base))
xlo = @XLO@
at(c) = column(c) < xlo ? xlo : column(c)
do for [fmt in formats] {
    eval(terminal_for(fmt))
    set output output_base.".".fmt
    set multiplot title "Where the time goes: mean latency of each stage per run ".@SHOWN@
    set style fill solid 0.85 border lc rgb "#333333"
    set yrange [@NBARS@ - 0.5:-0.5]
    set ytics @YTICS@ nomirror
    set grid xtics noytics
    set tmargin at screen @TMARGIN@
    set bmargin at screen @BMARGIN@
    set lmargin at screen @LMARGIN@
    set rmargin at screen 0.62
    set xrange [xlo:@XMAX@]
    if (@LOGX@) {
        set logscale x
        set format x "1e%T"
        set xtics autofreq
        set xlabel "mean latency (µs, log scale), stages stacked"
    } else {
        set xtics autofreq
        set xlabel "mean latency (µs), stages stacked in handling order"
    }
    set key at screen 0.875, screen @TMARGIN@ left top Left reverse vertical samplen 2 title "stage"
    plot for [j=1:@NSTAGES@] 'breakdown.dat' \
            using ((at(j + 1) + at(j + 2)) / 2):1:(at(j + 1)):(at(j + 2)):($1 - 0.38):($1 + 0.38) \
            with boxxyerror lt stage[j] title title[j], \
         'breakdown.dat' using (column(last)):1:(sprintf(" %.4g µs", column(last))) with labels left notitle
    set lmargin at screen 0.645
    set rmargin at screen 0.855
    unset logscale x
    set format x "%g"
    unset ytics
    set xrange [0:100]
    set xtics 25
    set xlabel @HSTART@ > 1 ? "share of the handling after the signal (%)" : "share of the bar (%)"
    unset key
    plot for [j=@HSTART@:@NSTAGES@] 'breakdown.dat' \
            using ((share(j + 1) + share(j + 2)) / 2):1:(share(j + 1)):(share(j + 2)):($1 - 0.38):($1 + 0.38) \
            with boxxyerror lt stage[j] notitle
    unset multiplot
}
unset output

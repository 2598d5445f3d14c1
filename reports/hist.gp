# hist.gp - a latency histogram per stage, one panel each, so a stage of
# 100 ns and one of 100 µs each get an axis that fits.
# Data: hist.dat, one block per panel: bin from (µs), bin to (µs), errors.
# Placeholders: NPANELS, ROWS, COLS (panel grid), TITLES (array), STAGE
# (array: linetype), LOGX (array: 1 for a log x axis), XLO, XHI (arrays:
# x range of each panel), YTIC (array: y tic step, whole errors), XTIC
# (array: x tic step of linear panels), WIDTH, HEIGHT (in common.gp).
array title[@NPANELS@] = @TITLES@
array stage[@NPANELS@] = @STAGE@
array logx[@NPANELS@] = @LOGX@
array xlo[@NPANELS@] = @XLO@
array xhi[@NPANELS@] = @XHI@
array ytic[@NPANELS@] = @YTIC@
array xtic[@NPANELS@] = @XTIC@
do for [fmt in formats] {
    eval(terminal_for(fmt))
    set output output_base.".".fmt
    set multiplot layout @ROWS@, @COLS@ title "Latency histogram per handling stage (all errors)"
    set style fill solid 0.75 border lc rgb "#333333"
    set ylabel "errors"
    set yrange [0:*]
    set grid ytics xtics
    do for [i=1:@NPANELS@] {
        set title title[i]
        if (logx[i]) {
            set logscale x 10
            set format x "%g"
            set xtics autofreq
            set xlabel "latency (µs, log scale)"
        } else {
            unset logscale x
            set format x "% g"
            set xtics xtic[i]
            set xlabel "latency (µs)"
        }
        set xrange [xlo[i]:xhi[i]]
        set ytics ytic[i]
        plot 'hist.dat' index (i - 1) using (($1 + $2) / 2):3:1:2:(0):3 with boxxyerror lt stage[i] notitle
    }
    unset multiplot
}
unset output

# migration.gp - live migration under machine checks: the outcome of each
# migration against the value of the parameter its scenario's sweep varied
# (e.g. when the machine check was injected, in ms), one panel per
# scenario and set of its other parameters. Each migration is drawn twice:
# on the row of its outcome and, below a dashed line, on the row of its
# case (where in the migration the first machine check on the guest's
# pages hit), both times coloured by outcome and shaped by case. So even a
# dense sweep, whose points merge into bands, shows where each outcome
# and each case begins and ends.
# Runs with nothing swept (a single run, no numeric parameter) share the
# last panel, one tic per run, instead of a panel each.
# Data: migration.dat, one block per panel: x, outcome row (0 = top),
# outcome linetype, case shape (from 1: the rank of the case in seed
# 004's sequence, so a case looks the same in every report), point,
# domain, case row (NROWS and on).
# Placeholders: NPANELS, NROWS (outcome rows), NCASES (case rows), TITLES,
# XLABELS, XLO, XHI, XTIC (arrays, one entry per panel; XTIC 0: gnuplot's
# tics), PTOP, PBOT (arrays: top and bottom of each panel's plot area,
# screen fractions), SINGLES (1: the last panel holds the runs without a
# sweep), STICS (its tic labels), CASES and CASESHAPE (arrays: the cases
# that occur and their shape index, for the legend), YTICS (labels of the
# outcome rows, then of the case rows), LMARGIN (screen fraction), PS
# (point size), SHOWN (note when groups were left out), WIDTH, HEIGHT.
# Outcomes in the order of enum scn_mig_outcome: linetype 21 + outcome.
set linetype 21 lc rgb "#bbbbbb" lw 2   # none
set linetype 22 lc rgb "#999999" lw 2   # running
set linetype 23 lc rgb "#009e73" lw 2   # success
set linetype 24 lc rgb "#e69f00" lw 2   # aborted
set linetype 25 lc rgb "#56b4e9" lw 2   # refused
set linetype 26 lc rgb "#cc79a7" lw 2   # process_killed
set linetype 27 lc rgb "#d55e00" lw 2   # guest_crashed
set linetype 28 lc rgb "#b00000" lw 2   # data_loss
# One shape per case, in sequence order: no MCE, live, before-4, A, B.I,
# B.II, after, then unknown cases; more cases than shapes repeat them.
array shape[10] = [7, 5, 9, 11, 13, 15, 4, 6, 8, 10]
shape_of(c) = shape[int(c - 1) % 10 + 1]
array title[@NPANELS@] = @TITLES@
array xlabel[@NPANELS@] = @XLABELS@
array xlo[@NPANELS@] = @XLO@
array xhi[@NPANELS@] = @XHI@
array xtic[@NPANELS@] = @XTIC@
array cases[@NCASES@] = @CASES@
array caseshape[@NCASES@] = @CASESHAPE@
array ptop[@NPANELS@] = @PTOP@
array pbot[@NPANELS@] = @PBOT@
do for [fmt in formats] {
    eval(terminal_for(fmt))
    set output output_base.".".fmt
    set multiplot title "Migration outcome per sweep point ".@SHOWN@
    set lmargin at screen @LMARGIN@
    set rmargin at screen 0.80
    set yrange [@NROWS@ + @NCASES@ - 0.5:-0.5]
    set ytics @YTICS@ nomirror
    set grid xtics ytics
    set arrow 1 from graph 0, first @NROWS@ - 0.5 to graph 1, first @NROWS@ - 0.5 nohead front \
        lc rgb "#888888" dt 2
    do for [i=1:@NPANELS@] {
        set tmargin at screen ptop[i]
        set bmargin at screen pbot[i]
        set title title[i]
        set xlabel xlabel[i]
        set xrange [xlo[i]:xhi[i]]
        if (@SINGLES@ && i == @NPANELS@) {
            set xtics @STICS@ rotate by 45 right nomirror
        } else {
            if (xtic[i] > 0) {
                set xtics xtic[i] norotate mirror
            } else {
                set xtics autofreq norotate mirror
            }
        }
        if (i == 1) {
            set key at screen 0.82, screen ptop[1] left top Left reverse samplen 1 title "case (shape)"
        } else {
            unset key
        }
        plot 'migration.dat' index (i - 1) using 1:2:(shape_of($4)):3 with points pt variable lc variable ps @PS@ \
                notitle, \
             '' index (i - 1) using 1:7:(shape_of($4)):3 with points pt variable lc variable ps @PS@ notitle, \
             for [c=1:@NCASES@] keyentry with points pt shape_of(caseshape[c]) ps 1.5 lc rgb "#333333" title cases[c]
    }
    unset multiplot
    unset arrow 1
}
unset output

# Mean time spent in each stage, stacked, one bar per scenario (and sweep
# point). Placeholders: @TERM@ @OUT@ @DATA@ @NCOLS@ @TITLE@.
set terminal @TERM@ size 1100,650 font "sans,11"
set termoption noenhanced
set output '@OUT@'
set title "@TITLE@"
set ylabel "mean latency (µs)"
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.75
set key outside right top
set xtics rotate by -40 left noenhanced
set grid ytics
set bmargin 10
plot for [i=2:@NCOLS@] '@DATA@' using i:xtic(1) title columnheader(i)

# CDF of each handling stage's latency over all errors of the results.
# Placeholders: @TERM@ @OUT@ @PLOTS@ (one series per stage).
set terminal @TERM@ size 1000,620 font "sans,11"
set termoption noenhanced
set output '@OUT@'
set title "Latency per handling stage (CDF over all errors; below 1 ns shown at 1 ns)"
set xlabel "latency (µs, log scale)"
set ylabel "fraction of errors"
set logscale x 10
set format x "%g"
set xrange [0.001:*]
set yrange [0:1.02]
set key outside right top
set grid xtics mxtics ytics
plot @PLOTS@

# Histogram of each stage's latency, in log-spaced bins (10 per decade).
# Placeholders: @TERM@ @OUT@ @PLOTS@.
set terminal @TERM@ size 1000,620 font "sans,11"
set termoption noenhanced
set output '@OUT@'
set title "Latency per handling stage (histogram, 10 bins per decade)"
set xlabel "latency (µs, log scale)"
set ylabel "errors"
set logscale x 10
set format x "%g"
set xrange [0.001:*]
set key outside right top
set grid xtics ytics
set style fill transparent solid 0.35 noborder
w = 0.1
bin(x) = 10**(w * floor(log10(x) / w))
plot @PLOTS@

# One scenario run under different parameters (policies, cost models,
# CPU counts): end-to-end latency percentiles per parameter set, as
# clustered bars. Placeholders: @TERM@ @OUT@ @TITLE@ @DATA@.
set terminal @TERM@ size 1000,620 font "sans,11"
set termoption noenhanced
set output '@OUT@'
set title "@TITLE@"
set ylabel "end-to-end latency (µs)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside right top
set xtics rotate by -30 left
set grid ytics
set bmargin 8
set yrange [0:*]
plot '@DATA@' using 2:xtic(1) title "p50", '' using 3 title "p90", '' using 4 title "p99", '' using 5 title "max"

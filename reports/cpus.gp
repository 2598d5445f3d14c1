# End-to-end and logout latency of broadcast machine checks against the
# number of pCPUs, from scenarios run at several CPU counts (a sweep over
# cpus). Placeholders: @TERM@ @OUT@ @DATA@ @TITLE@.
set terminal @TERM@ size 1000,620 font "sans,11"
set termoption noenhanced
set output '@OUT@'
set title "@TITLE@"
set xlabel "pCPUs (log scale)"
set ylabel "latency (µs, log scale)"
set logscale x 2
set logscale y 10
set format y "%g"
set key top left
set grid xtics ytics
plot '@DATA@' using 1:2 with linespoints title "end-to-end p50", \
     '' using 1:3 with linespoints title "end-to-end p90", \
     '' using 1:4 with linespoints title "end-to-end p99", \
     '' using 1:5 with linespoints title "end-to-end max", \
     '' using 1:6 with linespoints title "logout p50 (bank reads under the lock)"

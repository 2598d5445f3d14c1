# common.gp - what every report plot shares; `mcasim report` puts it in
# front of each plot template (NAME.gp) to make the script DIR/NAME.gp.
# Terminals (pngcairo when this gnuplot has it, else png; svg), fonts,
# one colour per handling stage so a stage looks the same in every plot,
# and colours for percentile series.
# Placeholders: OUTPUT (base name of the images), FORMATS ("png svg"),
# WIDTH and HEIGHT (pixels). See README.md.
set encoding utf8
output_base = @OUTPUT@
formats = @FORMATS@
png_term = sprintf(strstrt(GPVAL_TERMINALS, "pngcairo") > 0 \
    ? 'set terminal pngcairo size %d,%d font "Sans,11" noenhanced' \
    : 'set terminal png size %d,%d font ",11" noenhanced', @WIDTH@, @HEIGHT@)
svg_term = sprintf('set terminal svg size %d,%d dynamic font "Sans,12" noenhanced background "#ffffff"', \
    @WIDTH@, @HEIGHT@)
terminal_for(fmt) = fmt eq "svg" ? svg_term : png_term

# Stages in handling order (sim/results/latency.h): linetype = stage index + 1.
set linetype 1 lc rgb "#999999" lw 2 pt 7   # signal
set linetype 2 lc rgb "#e69f00" lw 2 pt 7   # rendezvous
set linetype 3 lc rgb "#56b4e9" lw 2 pt 7   # logout
set linetype 4 lc rgb "#009e73" lw 2 pt 7   # grade
set linetype 5 lc rgb "#c9b200" lw 2 pt 7   # verdict
set linetype 6 lc rgb "#0072b2" lw 2 pt 7   # deferred
set linetype 7 lc rgb "#d55e00" lw 2 pt 7   # notify
set linetype 8 lc rgb "#cc79a7" lw 2 pt 7   # dom0
set linetype 9 lc rgb "#000000" lw 3 pt 7   # end_to_end
# Percentiles: p50, p90, p99, max, and the min-max range.
set linetype 10 lc rgb "#0072b2" lw 2 pt 7 ps 1.3
set linetype 11 lc rgb "#009e73" lw 2 pt 9 ps 1.4
set linetype 12 lc rgb "#e69f00" lw 2 pt 5 ps 1.2
set linetype 13 lc rgb "#d55e00" lw 2 pt 13 ps 1.4
set linetype 14 lc rgb "#aaaaaa" lw 3

set grid lc rgb "#dddddd" lw 1
set border lc rgb "#444444"

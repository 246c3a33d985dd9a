# sweep-diff.gp: each design's paired difference from the baseline in
# `metric` against the first varied key, with its 95% interval (sweep.csv's
# diff, diff_low, diff_high), and the line of no difference. Overlapping
# bars in sweep.png can hide a clear difference; this shows it. Run as
#   gnuplot -e "plotdir='plots'; dir='D'; designs='a b'; out='png';
#               metric='cost_per_need'; nkeys=1; key='...'; baseline='a'" plots/sweep-diff.gp
load sprintf("%s/common.gp", plotdir)
set output sprintf("%s/sweep-diff.%s", dir, out)
set title sprintf("%s: each design minus %s, paired (95%% CI bars)", metric, baseline) noenhanced
set xlabel key noenhanced
set ylabel sprintf("difference in %s", metric) noenhanced
set autoscale xfixmin
stats sprintf("%s/sweep.csv", dir) skip 1 using 2 nooutput
if (exists("STATS_records") && STATS_min == STATS_max) {
    set xrange [STATS_min - 1 : STATS_max + 1]
}
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
n = words(designs)
dc = nkeys + 2
sel(d, c) = (strcol(dc) eq d && strcol(dc + 1) eq metric) ? column(c) : NaN
bar(d, c) = (b = sel(d, c), b == b ? b : sel(d, dc + 5))
# the line of no difference is always in the picture
set yrange [*<0:0<*]
set xzeroaxis lt 1 lc rgb "#555555" lw 1
plot for [i=1:n] sprintf("%s/sweep.csv", dir) skip 1 \
        using 2:(word(designs, i) eq baseline ? NaN : sel(word(designs, i), dc + 5)):(bar(word(designs, i), dc + 6)):(bar(word(designs, i), dc + 7)) \
        with yerrorlines lw 2 pt 7 lc rgb colour(i) title (word(designs, i) eq baseline ? "" : sprintf("%s - %s", word(designs, i), baseline)) noenhanced

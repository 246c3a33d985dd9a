# sweep.gp: one curve per design of `metric` against the first varied key,
# with 95% CI bars (sweep.csv). Run as
#   gnuplot -e "plotdir='plots'; dir='D'; designs='a b'; out='png';
#               metric='cost_per_need'; nkeys=1; key='team split.back.staff'" plots/sweep.gp
load sprintf("%s/common.gp", plotdir)
set output sprintf("%s/sweep.%s", dir, out)
set title sprintf("%s against %s (95%% CI bars)", metric, key) noenhanced
set xlabel key noenhanced
set ylabel metric noenhanced
set autoscale xfixmin
# one point (or one value of the key): a range around it, not gnuplot's
# "empty x range" warning
stats sprintf("%s/sweep.csv", dir) skip 1 using 2 nooutput
if (exists("STATS_records") && STATS_min == STATS_max) {
    set xrange [STATS_min - 1 : STATS_max + 1]
}
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
# from zero (a cost of 170 to 180 GBP is not drawn as a tenfold change)
set yrange [*<0:*]
n = words(designs)
# columns: point, nkeys varied keys, design, metric, mean, ci_low, ci_high
dc = nkeys + 2
sel(d, c) = (strcol(dc) eq d && strcol(dc + 1) eq metric) ? column(c) : NaN
# sweep.csv is ordered by design, metric and point: a curve's rows are
# together, so the line is unbroken
# one replication has no interval (empty ci_low, ci_high): the bar
# shrinks to the mean rather than the point vanishing
bar(d, c) = (b = sel(d, c), b == b ? b : sel(d, dc + 2))
plot for [i=1:n] sprintf("%s/sweep.csv", dir) skip 1 \
        using 2:(sel(word(designs, i), dc + 2)):(bar(word(designs, i), dc + 3)):(bar(word(designs, i), dc + 4)) \
        with yerrorlines lw 2 pt 7 lc rgb colour(i) title word(designs, i) noenhanced

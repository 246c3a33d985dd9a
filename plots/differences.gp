# differences.gp: each design's change from the baseline in the report's
# measures, in percent of the baseline's mean, with the 95% interval of the
# paired difference, and the line of no change. The report (cli/report.c)
# writes the data from summary.csv and differences.csv:
#   gnuplot -e "plotdir='plots'; dir='D'; designs='a b'; out='svg';
#               data='D/changes.csv'; baseline='a'" plots/differences.gp
# data: metric,design,pct,pct_low,pct_high (one row per design and measure)
load sprintf("%s/common.gp", plotdir)
set termoption noenhanced
set output sprintf("%s/differences.%s", dir, out)
set title sprintf("Change from %s, in percent of its mean (95%% intervals of the paired difference)", baseline) noenhanced
set xlabel "change from the baseline (%)"
set key outside right top box opaque
set border 1
unset ytics
set grid xtics back lc rgb "#dddddd"
set xzeroaxis
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb "#555555" lw 1
stats data skip 1 using 0 nooutput
rows = STATS_records
set yrange [-0.7 : rows - 0.3]
set offsets graph 0.05, graph 0.05, 0, 0
# each row's label at its place, left of the plot
set ytics out nomirror
n = words(designs)
sel(i, c) = strcol(2) eq word(designs, i) ? column(c) : NaN
plot data skip 1 using 3:(rows - 1 - $0):4:5:ytic(sprintf("%s (%s)", strcol(1), strcol(2))) \
        with xerrorbars pt 7 ps 1.2 lw 2 lc rgb "#888888" notitle, \
     for [i=1:n] data skip 1 using (sel(i, 3)):(rows - 1 - $0):(sel(i, 4)):(sel(i, 5)) \
        with xerrorbars pt 7 ps 1.2 lw 2 lc rgb colour(i) title (word(designs, i) eq baseline ? "" : word(designs, i)) noenhanced

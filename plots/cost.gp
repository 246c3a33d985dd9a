# cost.gp: cumulative cost and cumulative cost per need met, per design
# (weekly.csv), with 95% CI bands.
load sprintf("%s/common.gp", plotdir)
set output sprintf("%s/cost.%s", dir, out)
n = words(designs)
set multiplot layout 1,2 title "Cost (95% CI bands)"
set key inside top left box opaque
set xlabel "week (after warm-up)"
set title "cumulative cost"
set ylabel "GBP (thousands)"
set yrange [0:*]
k(x) = x / 1000.0
plot for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(k(pick(word(designs, i), "cost_cumulative", 5))):(k(pick(word(designs, i), "cost_cumulative", 6))) \
        with filledcurves fc rgb colour(i) fs transparent solid 0.20 noborder notitle, \
     for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(k(pick(word(designs, i), "cost_cumulative", 4))) \
        with lines lw 2.5 lc rgb colour(i) title word(designs, i)
set title "cost per need met, cumulative"
set ylabel "GBP per need"
plot for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(pick(word(designs, i), "cost_per_need_cumulative", 5)):(pick(word(designs, i), "cost_per_need_cumulative", 6)) \
        with filledcurves fc rgb colour(i) fs transparent solid 0.20 noborder notitle, \
     for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(pick(word(designs, i), "cost_per_need_cumulative", 4)) \
        with lines lw 2.5 lc rgb colour(i) title word(designs, i)
unset multiplot

# cost.gp: cumulative cost and cumulative cost per need met, per design
# (weekly.csv), with 95% CI bands; and the whole period's cost two ways
# (summary.csv): the hours worked (cost_total) and what a commissioner pays
# for staff in post (cost_contract), which can order designs differently.
load sprintf("%s/common.gp", plotdir)
set output sprintf("%s/cost.%s", dir, out)
n = words(designs)
set multiplot layout 1,3 title "Cost (95% CI bands)"
set key outside bottom center horizontal box opaque
set bmargin 6
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
set title "the whole period, two ways"
set xlabel ""
set ylabel "GBP (thousands)"
set style fill solid 0.8 border -1
set boxwidth 0.8 / n
set xrange [-0.6:1.6]
set xtics ("work done" 0, "staff in post" 1)
set autoscale xfix
set xrange [-0.6:1.6]
plot for [i=1:n] sprintf("%s/summary.csv", dir) skip 1 \
        using (strcol(1) eq word(designs, i) && strcol(2) eq "cost_total" ? 0 : \
               strcol(1) eq word(designs, i) && strcol(2) eq "cost_contract" ? 1 : NaN) \
               + (i - (n + 1) / 2.0) * 0.8 / n : \
              (strcol(1) eq word(designs, i) && (strcol(2) eq "cost_total" || strcol(2) eq "cost_contract") ? $4 / 1000.0 : NaN) \
        with boxes fc rgb colour(i) title word(designs, i)
unset multiplot

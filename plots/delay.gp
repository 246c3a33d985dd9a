# delay.gp: true end-to-end time vs the design's reported time, per week of
# decision, per design (weekly.csv); and the distribution of end-to-end
# times: median, 90th, 95th percentile and maximum (summary.csv). Where
# the reported time is the true time (a design that reports honestly), the
# two lines coincide: the reported one carries open circles, so it shows.
load sprintf("%s/common.gp", plotdir)
set output sprintf("%s/delay.%s", dir, out)
n = words(designs)
set multiplot layout 1,2 title "Delay: true end to end vs reported (95% CI bands)"
set title "mean days, needs met each week"
set xlabel "week (after warm-up)"
set ylabel "days"
set yrange [0:*]
# the legend under the panels, off the data
set key outside bottom center horizontal box opaque
set bmargin 6
plot for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(pick(word(designs, i), "e2e_mean", 5)):(pick(word(designs, i), "e2e_mean", 6)) \
        with filledcurves fc rgb colour(i) fs transparent solid 0.20 noborder notitle, \
     for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(pick(word(designs, i), "e2e_mean", 4)) \
        with lines lw 2.5 lc rgb colour(i) title sprintf("%s: true", word(designs, i)), \
     for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(pick(word(designs, i), "reported_mean", 4)) \
        with linespoints lw 2 dt 3 pt 6 ps 0.8 pi 6 lc rgb colour(i) title sprintf("%s: reported", word(designs, i))
set title "distribution of end-to-end times (days)"
set xlabel ""
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8 / n
set xrange [-0.6:3.6]
set xtics ("median" 0, "90th" 1, "95th" 2, "max" 3)
sumpick(d, m) = (strcol(1) eq d && strcol(2) eq m) ? $4 : NaN
plot for [i=1:n] sprintf("%s/summary.csv", dir) skip 1 \
        using (strcol(1) eq word(designs, i) && strcol(2) eq "e2e_p50" ? 0 : \
               strcol(1) eq word(designs, i) && strcol(2) eq "e2e_p90" ? 1 : \
               strcol(1) eq word(designs, i) && strcol(2) eq "e2e_p95" ? 2 : \
               strcol(1) eq word(designs, i) && strcol(2) eq "e2e_max" ? 3 : NaN) \
               + (i - (n + 1) / 2.0) * 0.8 / n : \
              (strcol(1) eq word(designs, i) && strcol(2)[1:4] eq "e2e_" && strcol(2) ne "e2e_mean" ? $4 : NaN) \
        with boxes fc rgb colour(i) title word(designs, i)
unset multiplot

# welch.gp: Welch's plot of `servsim warmup` (welch.csv): each design's
# weekly `metric` from time 0, averaged over the replications (thin) and its
# moving average over 11 weeks (thick), with the week where MSER-5 says its
# start-up ends (a dashed line). Run as
#   gnuplot -e "plotdir='plots'; dir='D'; designs='a b'; out='png';
#               metric='wip'; cuts='35 40'" plots/welch.gp
load sprintf("%s/common.gp", plotdir)
set output sprintf("%s/welch.%s", dir, out)
set title sprintf("Welch's plot: %s from time 0, mean of the replications; dashed: where MSER-5 cuts", metric) noenhanced
set xlabel "week from the start of the run"
set ylabel metric noenhanced
set yrange [0:*]
n = words(designs)
sel(d, c) = strcol(1) eq d ? column(c) : NaN
do for [i=1:n] {
    set arrow i from first real(word(cuts, i)), graph 0 to first real(word(cuts, i)), graph 1 \
        nohead dt 2 lw 2 lc rgb colour(i)
}
plot for [i=1:n] sprintf("%s/welch.csv", dir) skip 1 using 2:(sel(word(designs, i), 3)) \
        with lines lw 1 lc rgb colour(i) notitle, \
     for [i=1:n] sprintf("%s/welch.csv", dir) skip 1 using 2:(sel(word(designs, i), 4)) \
        with lines lw 3 lc rgb colour(i) title sprintf("%s (settles after week %s)", word(designs, i), word(cuts, i)) noenhanced

# demand.gp: contacts per week, value demand vs failure demand, per design,
# with 95% confidence bands over replications (weekly.csv).
load sprintf("%s/common.gp", plotdir)
set output sprintf("%s/demand.%s", dir, out)
set title "Demand: contacts per week, value vs failure (95% CI bands)"
set xlabel "week (after warm-up)"
set ylabel "contacts per week"
set yrange [0:*]
n = words(designs)
plot for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(pick(word(designs, i), "contacts_failure", 5)):(pick(word(designs, i), "contacts_failure", 6)) \
        with filledcurves fc rgb colour(i) fs transparent solid 0.20 noborder notitle, \
     for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(pick(word(designs, i), "contacts_failure", 4)) \
        with lines lw 2.5 lc rgb colour(i) title sprintf("%s: failure demand", word(designs, i)), \
     for [i=1:n] sprintf("%s/weekly.csv", dir) skip 1 \
        using 2:(pick(word(designs, i), "contacts_value", 4)) \
        with lines lw 2 dt 2 lc rgb colour(i) title sprintf("%s: value demand", word(designs, i))

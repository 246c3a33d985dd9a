# common.gp: shared settings for servsim's plots. Each plot script is run
# as  gnuplot -e "plotdir='plots'; dir='RESULTS'; designs='a b'; out='png'" plots/NAME.gp
# and reads only CSV files in `dir`.
set datafile separator ","
set key outside right top box opaque
set grid back lc rgb "#dddddd"
set border 3
set tics nomirror
set autoscale xfix
# one colour per design, in the order given
colour(i) = word("#1b6ca8 #d1495b #2e8b57 #edae49 #6a4c93 #00798c", (i - 1) % 6 + 1)
# picks column c of rows for design d and metric m; NaN elsewhere
pick(d, m, c) = (strcol(1) eq d && strcol(3) eq m) ? column(c) : NaN
if (out eq "svg") set terminal svg size 1100,620 dynamic font "Sans,12"; \
else set terminal pngcairo size 1100,620 font "Sans,11"

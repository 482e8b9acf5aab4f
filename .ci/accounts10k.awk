# The 10,000-account case of .ci/determinism: n accounts clustered around
# 12 towns in a 6 x 8 degree box, revenue and workload skewed, and reps
# reps with homes near the towns, written to dir/accounts.csv and
# dir/reps.csv:
#
#	awk -v n=10000 -v reps=40 -v dir=DIR -f .ci/accounts10k.awk
#
# The Park-Miller generator keeps every product below 2^46, so the numbers
# are exact in any awk's doubles and every awk writes the same bytes.
function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
BEGIN {
	seed = 20261125
	for (t = 0; t < 12; t++) { tlat[t] = 38 + 6 * rnd(); tlon[t] = -96 + 8 * rnd(); tw[t] = 0.2 + 1.5 * rnd() }
	print "id,name,lat,lon,revenue,workload" > (dir "/accounts.csv")
	for (i = 1; i <= n; i++) {
		t = int(12 * rnd())
		lat = tlat[t] + tw[t] * (rnd() + rnd() + rnd() - 1.5)
		lon = tlon[t] + tw[t] * (rnd() + rnd() + rnd() - 1.5)
		u = rnd()
		rev = int(500 + 200000 * u * u * u)
		wl = int(5 + 40 * rnd())
		printf "A%05d,Account %d,%.5f,%.5f,%d,%d\n", i, i, lat, lon, rev, wl > (dir "/accounts.csv")
	}
	print "rep_id,rep_name,home_lat,home_lon" > (dir "/reps.csv")
	for (r = 1; r <= reps; r++) {
		t = int(12 * rnd())
		printf "R%02d,Rep %d,%.5f,%.5f\n", r, r, tlat[t] + tw[t] * (rnd() - 0.5), tlon[t] + tw[t] * (rnd() - 0.5) > (dir "/reps.csv")
	}
}

package render

import "slices"

// colorGraph colours the vertices of a graph so that no edge joins two
// vertices of one colour, with colours 0, 1, 2, ... (indices for [Color]).
// adj[v] lists the neighbours of v; every edge must be listed at both ends.
//
// It is DSATUR (Brélaz, "New methods to color the vertices of a graph",
// CACM 22(4), 1979): the next vertex coloured is the one whose coloured
// neighbours already use the most distinct colours, ties broken by the
// larger degree and then the lower index, and it takes the smallest colour
// none of its neighbours has. The order is fully determined by the graph,
// so the same graph always gets the same colours. DSATUR colours bipartite
// graphs (such as a grid) with two colours and planar maps in practice with
// four or five, well within the nine of the palette.
func colorGraph(adj [][]int32) []int {
	colors := dsatur(adj, false)
	if slices.Max(append([]int{0}, colors...)) < PaletteSize {
		// Spread the colours over the whole palette, so that the map does
		// not show only its first few; keep the plain colouring when the
		// spread one would need colours beyond the palette.
		if spread := dsatur(adj, true); slices.Max(append([]int{0}, spread...)) < PaletteSize {
			return spread
		}
	}
	return colors
}

// dsatur colours the graph in DSATUR order. Each vertex takes the smallest
// colour its neighbours do not have or, when spread is set, the palette
// colour its neighbours do not have that is used least so far (ties to
// the smaller), and only when the whole palette is taken the smallest
// free colour beyond it.
func dsatur(adj [][]int32, spread bool) []int {
	n := len(adj)
	colors := make([]int, n)
	for i := range colors {
		colors[i] = -1
	}
	// used[v] is the set of colours among v's coloured neighbours, as a
	// bit set; sat[v] its size.
	used := make([][]uint64, n)
	sat := make([]int, n)
	var count [PaletteSize]int // vertices of each palette colour
	for range n {
		best := -1
		for v := range n {
			if colors[v] >= 0 {
				continue
			}
			if best < 0 || sat[v] > sat[best] || sat[v] == sat[best] && len(adj[v]) > len(adj[best]) {
				best = v
			}
		}
		taken := func(c int) bool { return c/64 < len(used[best]) && used[best][c/64]&(1<<(c%64)) != 0 }
		c := 0
		for taken(c) {
			c++
		}
		if spread && c < PaletteSize {
			for d := c + 1; d < PaletteSize; d++ {
				if !taken(d) && count[d] < count[c] {
					c = d
				}
			}
		}
		if c < PaletteSize {
			count[c]++
		}
		colors[best] = c
		for _, w := range adj[best] {
			if colors[w] >= 0 || int(w) == best {
				continue
			}
			for len(used[w]) <= c/64 {
				used[w] = append(used[w], 0)
			}
			if bit := uint64(1) << (c % 64); used[w][c/64]&bit == 0 {
				used[w][c/64] |= bit
				sat[w]++
			}
		}
	}
	return colors
}

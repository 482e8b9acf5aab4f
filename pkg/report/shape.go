package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/territory-optimizer/territory/pkg/parallel"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// ShapeStats says how far a plan's territories are regions: each one piece,
// none reaching into another. Evaluate puts it in [Metrics.Shape].
type ShapeStats struct {
	// Pieces is the number of connected pieces of all the territories
	// together (an empty territory has none); TerritoriesInPieces counts
	// the territories in more than one piece.
	Pieces, TerritoriesInPieces int
	// InsideOtherHull counts the accounts that lie strictly inside the
	// convex hull of another territory's accounts, and
	// InsideOtherHullShare is their share of all accounts (0 to 1).
	InsideOtherHull      int
	InsideOtherHullShare float64
	// NeighbourAgreement is the mean over all accounts of the share of
	// each account's AgreementNeighbours nearest other accounts that are
	// in its own territory (0 to 1).
	NeighbourAgreement float64
	// Territories holds one entry per territory, in territory order.
	Territories []TerritoryShape
}

// territory returns the shape of territory k; zero when the stats hold
// none (Metrics built by hand, without Shape).
func (st *ShapeStats) territory(k int) TerritoryShape {
	if k < len(st.Territories) {
		return st.Territories[k]
	}
	return TerritoryShape{}
}

// TerritoryShape is the shape of one territory (see [ShapeStats]).
type TerritoryShape struct {
	// Pieces is the number of connected pieces of the territory: 1 for a
	// region, 0 when it has no accounts.
	Pieces int
	// InsideOtherHull counts its accounts that lie strictly inside the
	// convex hull of another territory's accounts.
	InsideOtherHull int
	// NeighbourAgreement is the mean over its accounts of the share of
	// each one's nearest other accounts in the territory; 0 when it has
	// none.
	NeighbourAgreement float64
}

// AgreementNeighbours is how many nearest other accounts the neighbour
// agreement looks at.
const AgreementNeighbours = 10

// shapeChunk is how many accounts one parallel task takes (a subtree of
// the k-d tree, so that its queries touch nearby memory). The results do
// not depend on it.
const shapeChunk = 4096

// Shape measures the shape of plan pl of problem p:
//
//   - pieces: the connected pieces of every territory in the graph
//     [spatial.ProximityGraph] gives, the one the solver keeps territories
//     connected in: for point accounts the Delaunay triangulation of the
//     accounts (in the local projection, [spatial.Project]; accounts at one
//     position are neighbours), for polygon units their adjacency
//     (p.Adjacency, shared boundaries), each graph made connected by one
//     edge per island to its nearest neighbour across the water;
//   - inside another hull: the accounts of a territory that lie strictly
//     inside the convex hull ([spatial.ConvexHull], in the projected plane)
//     of another territory's accounts; a hull without area (fewer than
//     three accounts, or all on one line) has no inside, and an account on
//     the edge of a hull is not inside it;
//   - neighbour agreement: for every account, the share of its
//     AgreementNeighbours nearest other accounts ([spatial.Index.Nearest]
//     on [spatial.Embed]ded points, ties by the lower index) that are in
//     its own territory; with fewer other accounts, all of them, and an
//     account that has no other account agrees fully (1). A territory's
//     agreement is the mean over its accounts, the plan's the mean over all
//     accounts.
//
// It assumes p is valid and pl fits it, as [Evaluate] does, and modifies
// neither. The work is spread over GOMAXPROCS goroutines, but every result
// is a count (of pieces, of accounts, of agreeing neighbours) added up in
// account order and divided once, so the numbers are the same bits on any
// number of cores.
func Shape(p *territory.Problem, pl *territory.Plan) ShapeStats {
	if st, ok := groupedShape(p, pl); ok {
		return st
	}
	n, numT := p.Accounts.Len(), p.K()
	st := ShapeStats{Territories: make([]TerritoryShape, numT)}
	if n == 0 {
		return st
	}
	assign, locs := pl.Assign, p.Accounts.Locs
	proj := spatial.Project(p.Space, locs)

	// The pieces take the longest (the triangulation is sequential): they
	// are counted beside the rest.
	var pieces []int
	var crash any
	piecesDone := make(chan struct{})
	go func() {
		defer close(piecesDone)
		defer func() { crash = recover() }()
		if pl.Units != nil {
			pieces = unitPieces(p, pl)
			return
		}
		pieces = territoryPieces(p, proj, assign)
	}()

	grid := newHullGrid(proj, assign, numT)
	emb := make([]spatial.Vec3, n)
	for i, loc := range locs {
		emb[i] = spatial.Embed(p.Space, loc)
	}
	ix := spatial.NewIndex(emb)
	k := min(AgreementNeighbours, n-1)

	// Per account: whether it lies inside another territory's hull, and
	// how many of its k nearest are in its territory.
	inside := make([]bool, n)
	agree := make([]uint8, n)
	chunks := ix.Groups(shapeChunk)
	parallel.For(len(chunks), func(_, c int) {
		buf := make([]int, 0, k+1)
		for _, i := range chunks[c] {
			t := assign[i]
			inside[i] = grid.insideOther(proj[i], t)
			if k == 0 {
				continue
			}
			// k+1, for the account itself; where more accounts share its
			// position, it may come after k others, and is not among them.
			buf = ix.Nearest(emb[i], k+1, buf[:0])
			seen, same := 0, 0
			for _, j := range buf {
				if j == int(i) {
					continue
				}
				if assign[j] == t {
					same++
				}
				if seen++; seen == k {
					break
				}
			}
			agree[i] = uint8(same)
		}
	})

	counts := make([]int, numT)
	sums := make([]int, numT)
	total := 0
	for i, t := range assign {
		counts[t]++
		sums[t] += int(agree[i])
		total += int(agree[i])
		if inside[i] {
			st.Territories[t].InsideOtherHull++
			st.InsideOtherHull++
		}
	}
	st.InsideOtherHullShare = float64(st.InsideOtherHull) / float64(n)
	for t := range st.Territories {
		ts := &st.Territories[t]
		switch {
		case counts[t] == 0:
		case k == 0:
			ts.NeighbourAgreement = 1
		default:
			ts.NeighbourAgreement = float64(sums[t]) / float64(k*counts[t])
		}
	}
	st.NeighbourAgreement = 1
	if k > 0 {
		st.NeighbourAgreement = float64(total) / float64(k*n)
	}

	<-piecesDone
	if crash != nil {
		panic(crash)
	}
	for t, c := range pieces {
		st.Territories[t].Pieces = c
		st.Pieces += c
		if c > 1 {
			st.TerritoriesInPieces++
		}
	}
	return st
}

// groupedShape measures the shape of a grouped problem's plan group by
// group, as the groups are solved: each group's territories on the graph
// of its own accounts, inside the hulls of its own territories only, with
// its own accounts as neighbours (the regions of two sales teams may
// overlap, and interleave where their states meet). The overall numbers
// add the groups' counts up. It reports false, and measures nothing, for
// a problem that is not grouped or a plan that puts an account in a
// territory of another group (a plan file made elsewhere): that plan is
// measured as a whole.
func groupedShape(p *territory.Problem, pl *territory.Plan) (ShapeStats, bool) {
	if !p.Grouped() {
		return ShapeStats{}, false
	}
	groups := p.Groups()
	local := make([]int, p.K()) // every territory's index in its group
	for _, g := range groups {
		for j, k := range g.Reps {
			local[k] = j
		}
	}
	for _, g := range groups {
		for _, i := range g.Accounts {
			if k := pl.Assign[i]; p.Reps[k].Group != g.Name {
				return ShapeStats{}, false
			}
		}
	}
	st := ShapeStats{Territories: make([]TerritoryShape, p.K())}
	agree, pairs := 0.0, 0
	for _, g := range groups {
		sub := p.Subproblem(g)
		sub.GroupColumn, sub.Accounts.Groups = "", nil
		assign := make([]int, len(g.Accounts))
		for j, i := range g.Accounts {
			assign[j] = local[pl.Assign[i]]
		}
		gs := Shape(sub, &territory.Plan{Assign: assign})
		for j, k := range g.Reps {
			st.Territories[k] = gs.Territories[j]
		}
		st.Pieces += gs.Pieces
		st.TerritoriesInPieces += gs.TerritoriesInPieces
		st.InsideOtherHull += gs.InsideOtherHull
		// The agreeing neighbours are a whole number: the group's mean
		// times its pairs gives it back.
		k := min(AgreementNeighbours, len(g.Accounts)-1)
		agree += math.Round(gs.NeighbourAgreement * float64(k*len(g.Accounts)))
		pairs += k * len(g.Accounts)
	}
	if n := p.Accounts.Len(); n > 0 {
		st.InsideOtherHullShare = float64(st.InsideOtherHull) / float64(n)
	}
	st.NeighbourAgreement = 1
	if pairs > 0 {
		st.NeighbourAgreement = agree / float64(pairs)
	}
	return st, true
}

// territoryPieces counts the connected pieces of every territory in the
// graph of [spatial.ProximityGraph]. For point accounts that graph is the
// triangulation of proj (connected already), and the pieces are found by
// union-find straight from its edges, without building the graph's
// adjacency lists: at a million accounts that allocates 87 MB instead of
// 233 MB and takes little more than the triangulation itself.
func territoryPieces(p *territory.Problem, proj []territory.Point, assign []int) []int {
	pieces := make([]int, p.K())
	if p.Adjacency != nil {
		return graphPieces(spatial.ProximityGraph(p.Space, p.Accounts.Locs, p.Adjacency), assign, pieces)
	}
	tri, err := spatial.Delaunay(proj)
	if err != nil {
		// Not for a valid problem (its coordinates are finite): the graph
		// falls back to nearest neighbours.
		return graphPieces(spatial.ProximityGraph(p.Space, p.Accounts.Locs, nil), assign, pieces)
	}
	uf := newUnionFind(len(assign))
	// The edges join positions; the accounts at one position (duplicates)
	// are joined to each other and to everything their position is joined
	// to (as in [spatial.Triangulation.Neighbours]). Within the territory
	// of each, that is: the accounts of one territory at one position are
	// one piece, which joins the same territory's piece at every
	// neighbouring position.
	at := newPositions(tri, assign, uf)
	join := func(u, v int32) {
		if at == nil {
			if assign[u] == assign[v] {
				uf.union(u, v)
			}
			return
		}
		a, b := at.heads(u), at.heads(v)
		for len(a) > 0 && len(b) > 0 {
			switch ta, tb := assign[a[0]], assign[b[0]]; {
			case ta < tb:
				a = a[1:]
			case ta > tb:
				b = b[1:]
			default:
				uf.union(a[0], b[0])
				a, b = a[1:], b[1:]
			}
		}
	}
	if len(tri.Triangles) == 0 {
		for k := 1; k < len(tri.Hull); k++ {
			join(tri.Hull[k-1], tri.Hull[k])
		}
	} else {
		for e, h := range tri.Halfedges {
			if h == -1 || int32(e) < h {
				next := int32(e) + 1
				if e%3 == 2 {
					next = int32(e) - 2
				}
				join(tri.Triangles[e], tri.Triangles[next])
			}
		}
	}
	for i, t := range assign {
		if uf.find(int32(i)) == int32(i) {
			pieces[t]++
		}
	}
	return pieces
}

// graphPieces adds to pieces the connected pieces of every territory in
// the graph adj: the pieces of the subgraph of its accounts.
// unitPieces counts the pieces of a plan made of units (pl.Units) on the
// units, in the layer's graph of shared boundaries with islands joined to
// their nearest unit across the water, as the units were solved: the
// pieces of every territory's units, those it owns and the split units
// its accounts are in (a territory inside a county of millions owns no
// unit, yet is one piece where its accounts are in one county, or in
// neighbouring ones).
func unitPieces(p *territory.Problem, pl *territory.Plan) []int {
	u := pl.Units
	adj := spatial.ProximityGraph(p.Space, u.Layer.Locs, u.Layer.Adjacency)
	numT := p.K()
	foot := make([][]int32, numT) // every territory's units
	for j, k := range u.Owner {
		foot[k] = append(foot[k], int32(j))
	}
	for i, k := range pl.Assign {
		if j := u.Of[i]; u.Owner[j] != k {
			foot[k] = append(foot[k], int32(j))
		}
	}
	pieces := make([]int, numT)
	in := make([]int32, len(adj))   // k+1 where the unit is territory k's
	seen := make([]int32, len(adj)) // k+1 where the search of k reached it
	var stack []int32
	for k, units := range foot {
		slices.Sort(units)
		units = slices.Compact(units)
		for _, j := range units {
			in[j] = int32(k + 1)
		}
		for _, s := range units {
			if seen[s] == int32(k+1) {
				continue
			}
			pieces[k]++
			seen[s] = int32(k + 1)
			stack = append(stack[:0], s)
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, v := range adj[x] {
					if in[v] == int32(k+1) && seen[v] != int32(k+1) {
						seen[v] = int32(k + 1)
						stack = append(stack, v)
					}
				}
			}
		}
	}
	return pieces
}

func graphPieces(adj [][]int32, assign []int, pieces []int) []int {
	seen := make([]bool, len(adj))
	var stack []int32
	for s := range adj {
		if seen[s] {
			continue
		}
		t := assign[s]
		pieces[t]++
		seen[s] = true
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, v := range adj[u] {
				if !seen[v] && assign[v] == t {
					seen[v] = true
					stack = append(stack, v)
				}
			}
		}
	}
	return pieces
}

// positions lists, for every position of a triangulation that holds
// several accounts, one account per territory there (the lowest), in
// territory order: the heads of the position's pieces.
type positions struct {
	start []int32 // the heads of position r are head[start[r]:end[r]]
	end   []int32
	head  []int32
}

// newPositions joins the accounts of one territory at one position in uf
// and lists the heads; it returns nil when no two accounts share a
// position.
func newPositions(tri *spatial.Triangulation, assign []int, uf unionFind) *positions {
	if len(tri.Duplicates) == 0 {
		return nil
	}
	n := len(assign)
	at := &positions{start: make([]int32, n+1), end: make([]int32, n), head: make([]int32, n)}
	for i := range n {
		at.start[tri.Representative(i)+1]++
	}
	for r := range n {
		at.start[r+1] += at.start[r]
	}
	copy(at.end, at.start[:n])
	for i := range n { // in index order: each position's accounts ascending
		r := tri.Representative(i)
		at.head[at.end[r]] = int32(i)
		at.end[r]++
	}
	for r := range n {
		members := at.head[at.start[r]:at.end[r]]
		if len(members) < 2 {
			continue
		}
		slices.SortStableFunc(members, func(a, b int32) int { return cmp.Compare(assign[a], assign[b]) })
		heads := members[:1]
		for _, i := range members[1:] {
			if h := heads[len(heads)-1]; assign[h] == assign[i] {
				uf.union(h, i)
			} else {
				heads = append(heads, i)
			}
		}
		at.end[r] = at.start[r] + int32(len(heads))
	}
	return at
}

// heads returns the heads of the position of representative r.
func (at *positions) heads(r int32) []int32 { return at.head[at.start[r]:at.end[r]] }

// unionFind joins accounts into pieces; a piece's root is its lowest
// account.
type unionFind []int32

func newUnionFind(n int) unionFind {
	uf := make(unionFind, n)
	for i := range uf {
		uf[i] = int32(i)
	}
	return uf
}

func (uf unionFind) find(i int32) int32 {
	for uf[i] != i {
		uf[i] = uf[uf[i]] // path halving
		i = uf[i]
	}
	return i
}

func (uf unionFind) union(a, b int32) {
	a, b = uf.find(a), uf.find(b)
	if a > b {
		a, b = b, a
	}
	uf[b] = a
}

// hullGrid finds the hulls whose bounding box holds a point: a uniform
// grid over the boxes of all hulls with area, every cell listing, in
// territory order, the hulls whose box overlaps it.
type hullGrid struct {
	hulls        []spatial.Hull
	minX, minY   float64
	cellW, cellH float64
	nx, ny       int
	start        []int32 // cell c lists terr[start[c]:start[c+1]]
	terr         []int32
}

// maxGridSide bounds the grid's cells per side.
const maxGridSide = 1024

// newHullGrid builds the hull of every territory, in parallel over the
// territories, and the grid over them.
func newHullGrid(proj []territory.Point, assign []int, numT int) *hullGrid {
	// The accounts of every territory, in account order.
	first := make([]int, numT+1)
	for _, t := range assign {
		first[t+1]++
	}
	for t := range numT {
		first[t+1] += first[t]
	}
	order := make([]int32, len(assign))
	fill := append([]int(nil), first[:numT]...)
	for i, t := range assign {
		order[fill[t]] = int32(i)
		fill[t]++
	}

	g := &hullGrid{hulls: make([]spatial.Hull, numT)}
	parallel.For(numT, func(_, t int) {
		members := order[first[t]:first[t+1]]
		pts := make([]territory.Point, len(members))
		for j, i := range members {
			pts[j] = proj[i]
		}
		g.hulls[t] = spatial.NewHull(pts)
	})

	count := 0
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, h := range g.hulls {
		if h.Corners != nil {
			count++
			minX, maxX = min(minX, h.MinX), max(maxX, h.MaxX)
			minY, maxY = min(minY, h.MinY), max(maxY, h.MaxY)
		}
	}
	if count == 0 {
		return g
	}
	// About four cells per hull, square where the extent allows.
	w, hgt := maxX-minX, maxY-minY
	cells := 4 * float64(count)
	g.nx = min(maxGridSide, max(1, int(math.Ceil(math.Sqrt(cells*w/hgt)))))
	g.ny = min(maxGridSide, max(1, int(math.Ceil(cells/float64(g.nx)))))
	g.minX, g.minY = minX, minY
	g.cellW, g.cellH = w/float64(g.nx), hgt/float64(g.ny)

	// Two passes: count the hulls of every cell, then list them.
	g.start = make([]int32, g.nx*g.ny+1)
	each := func(visit func(cell int, t int32)) {
		for t, h := range g.hulls {
			if h.Corners == nil {
				continue
			}
			x0, x1 := g.col(h.MinX), g.col(h.MaxX)
			y0, y1 := g.row(h.MinY), g.row(h.MaxY)
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					visit(y*g.nx+x, int32(t))
				}
			}
		}
	}
	each(func(cell int, _ int32) { g.start[cell+1]++ })
	for c := range g.nx * g.ny {
		g.start[c+1] += g.start[c]
	}
	g.terr = make([]int32, g.start[g.nx*g.ny])
	next := append([]int32(nil), g.start[:g.nx*g.ny]...)
	each(func(cell int, t int32) {
		g.terr[next[cell]] = t
		next[cell]++
	})
	return g
}

// col and row are the grid column and row of x and y, clamped to the grid.
// Both are monotone, so a point inside a box falls in a cell the box
// overlaps.
func (g *hullGrid) col(x float64) int { return min(g.nx-1, max(0, int((x-g.minX)/g.cellW))) }
func (g *hullGrid) row(y float64) int { return min(g.ny-1, max(0, int((y-g.minY)/g.cellH))) }

// insideOther reports whether q lies strictly inside the hull of a
// territory other than t.
func (g *hullGrid) insideOther(q territory.Point, t int) bool {
	if g.nx == 0 {
		return false
	}
	c := g.row(q.Y)*g.nx + g.col(q.X)
	for _, u := range g.terr[g.start[c]:g.start[c+1]] {
		if int(u) != t && g.hulls[u].Contains(q) {
			return true
		}
	}
	return false
}

package spatial_test

import (
	"fmt"
	"log"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func ExampleDelaunay() {
	// Four accounts around a square and two at its centre, in lon/lat:
	// project them to kilometres first.
	accounts := []territory.Point{{X: -88, Y: 41}, {X: -87, Y: 41}, {X: -87, Y: 42}, {X: -88, Y: 42}, {X: -87.5, Y: 41.5}, {X: -87.5, Y: 41.5}}
	tr, err := spatial.Delaunay(spatial.Project(territory.Geographic, accounts))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(tr.Triangles)/3, "triangles; duplicates:", tr.Duplicates)
	for i, ns := range tr.Neighbours() {
		fmt.Println(i, ns)
	}
	// Output:
	// 4 triangles; duplicates: [{5 4}]
	// 0 [1 3 4 5]
	// 1 [0 2 4 5]
	// 2 [1 3 4 5]
	// 3 [0 2 4 5]
	// 4 [0 1 2 3 5]
	// 5 [0 1 2 3 4]
}

func ExampleVoronoiCells() {
	pts := []territory.Point{{X: 0, Y: 0}, {X: 4, Y: 0}, {X: 2, Y: 4}}
	tr, err := spatial.Delaunay(pts)
	if err != nil {
		log.Fatal(err)
	}
	box := orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{5, 5}}
	for i, cell := range spatial.VoronoiCells(tr, box) {
		fmt.Println(i, cell)
	}
	// Output:
	// 0 [[[-1 -1] [2 -1] [2 1.5] [-1 3] [-1 -1]]]
	// 1 [[[5 -1] [5 3] [2 1.5] [2 -1] [5 -1]]]
	// 2 [[[5 5] [-1 5] [-1 3] [2 1.5] [5 3] [5 5]]]
}

func ExampleConvexHull() {
	// Four accounts at the corners of a square, one inside it and one in
	// the middle of its lower side: the hull holds the corners only,
	// counter-clockwise from the lowest x.
	pts := []territory.Point{{X: 1, Y: 1}, {X: 2, Y: 0}, {X: 0, Y: 0}, {X: 2, Y: 2}, {X: 0, Y: 2}, {X: 1, Y: 0}}
	for _, i := range spatial.ConvexHull(pts) {
		fmt.Println(i, pts[i])
	}
	// Output:
	// 2 {0 0}
	// 1 {2 0}
	// 3 {2 2}
	// 4 {0 2}
}

func ExampleVoronoiCellsWithin() {
	// Two points 10 apart, reaching 4 around them: their cells stop short
	// of the bisector x = 5, two separate 32-gons of radius 4. A third
	// point between them, reaching 6, closes the gap: the cells meet on
	// the bisectors x = 2.5 and x = 7.5, within the mean reach, 5, of the
	// points on either side.
	pts := []territory.Point{{X: 0, Y: 0}, {X: 10, Y: 0}}
	box := orb.Bound{Min: orb.Point{-10, -10}, Max: orb.Point{20, 10}}
	for _, radius := range [][]float64{{4, 4}, {4, 4, 6}} {
		if len(radius) == 3 {
			pts = append(pts, territory.Point{X: 5, Y: 0})
		}
		tr, err := spatial.Delaunay(pts)
		if err != nil {
			log.Fatal(err)
		}
		for i, cell := range spatial.VoronoiCellsWithin(tr, box, radius) {
			b := cell.Bound()
			fmt.Printf("%d: %d positions, x %.2f to %.2f, y %.2f to %.2f\n", i, len(cell[0]), b.Min[0], b.Max[0], b.Min[1], b.Max[1])
		}
	}
	// Output:
	// 0: 33 positions, x -4.00 to 4.00, y -4.00 to 4.00
	// 1: 33 positions, x 6.00 to 14.00, y -4.00 to 4.00
	// 0: 24 positions, x -4.00 to 2.50, y -4.36 to 4.36
	// 1: 24 positions, x 7.50 to 14.00, y -4.36 to 4.36
	// 2: 15 positions, x 2.50 to 7.50, y -5.45 to 5.45
}

package features_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/territory-optimizer/territory/pkg/features"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func ExampleDissolveUnits() {
	// A row of three unit squares: the first two in territory 0.
	square := func(x float64) orb.Polygon {
		return orb.Polygon{{{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}}
	}
	units := &features.Units{Geoms: []orb.Geometry{square(0), square(1), square(2)}}
	for k, mp := range features.DissolveUnits(units, []int{0, 0, 1}, 2) {
		fmt.Println(k, mp)
	}
	// Output:
	// 0 [[[[0 0] [2 0] [2 1] [0 1] [0 0]]]]
	// 1 [[[[2 0] [3 0] [3 1] [2 1] [2 0]]]]
}

func ExamplePointCells() {
	// Accounts in two columns: the territories split the box around them
	// (5% of its larger side wider on every side) down the middle.
	locs := []territory.Point{{X: 0, Y: 0}, {X: 0, Y: 2}, {X: 4, Y: 0}, {X: 4, Y: 2}}
	for k, mp := range features.PointCells(territory.Planar, locs, []int{0, 0, 1, 1}, 2) {
		fmt.Println(k, mp)
	}
	// Output:
	// 0 [[[[-0.2 -0.2] [2 -0.2] [2 2.2] [-0.2 2.2] [-0.2 -0.2]]]]
	// 1 [[[[2 -0.2] [4.2 -0.2] [4.2 2.2] [2 2.2] [2 -0.2]]]]
}

func ExampleDissolveOutlines() {
	// Three territories in a row, the first two in district 0: the
	// district's outline is the union of theirs.
	square := func(x float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}}}
	}
	outlines := []orb.MultiPolygon{square(0), square(1), square(2)}
	for d, mp := range features.DissolveOutlines(outlines, []int{0, 0, 1}, 2) {
		fmt.Println(d, mp)
	}
	// Output:
	// 0 [[[[0 0] [2 0] [2 1] [0 1] [0 0]]]]
	// 1 [[[[2 0] [3 0] [3 1] [2 1] [2 0]]]]
}

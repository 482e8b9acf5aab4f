package spatial_test

import (
	"fmt"

	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

func ExampleDistance() {
	chicago := territory.Point{X: -87.6298, Y: 41.8781}
	milwaukee := territory.Point{X: -87.9065, Y: 43.0389}
	fmt.Printf("%.1f km\n", spatial.Distance(territory.Geographic, chicago, milwaukee))
	// Output: 131.1 km
}

func ExampleIndex_Nearest() {
	centres := []spatial.Vec3{{0, 0, 0}, {10, 0, 0}, {0, 10, 0}}
	ix := spatial.NewIndex(centres)
	fmt.Println(ix.Nearest(spatial.Vec3{6, 1, 0}, 2, nil))
	// Output: [1 0]
}

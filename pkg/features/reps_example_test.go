package features_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/territory-optimizer/territory/pkg/features"
)

func ExampleReadReps() {
	// Two reps at their homes; one works half time.
	const reps = `{"type": "FeatureCollection", "features": [
	  {"type": "Feature", "id": "R1", "properties": {"name": "Ann Lee"},
	   "geometry": {"type": "Point", "coordinates": [-80.84, 35.23]}},
	  {"type": "Feature", "id": "R2", "properties": {"name": "Bo Chan", "capacity": "50%"},
	   "geometry": {"type": "Point", "coordinates": [-78.64, 35.78]}}
	]}`
	rs, err := features.ReadReps(strings.NewReader(reps), "reps.geojson", features.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rs {
		fmt.Printf("%s %s at (%.2f, %.2f), capacity %g\n", r.ID, r.Name, r.Home.X, r.Home.Y, r.Capacity)
	}
	// Output:
	// R1 Ann Lee at (-80.84, 35.23), capacity 1
	// R2 Bo Chan at (-78.64, 35.78), capacity 0.5
}

package features_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/territory-optimizer/territory/pkg/features"
)

func ExampleReadAccounts() {
	// Three counties in a row; the middle one touches both others.
	const counties = `{"type": "FeatureCollection", "features": [
	  {"type": "Feature", "properties": {"GEOID": "01001", "pop2010": 54571},
	   "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
	  {"type": "Feature", "properties": {"GEOID": "01003", "pop2010": 182265},
	   "geometry": {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}},
	  {"type": "Feature", "properties": {"GEOID": "01005", "pop2010": 27457},
	   "geometry": {"type": "Polygon", "coordinates": [[[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]]]}}
	]}`
	a, units, err := features.ReadAccounts(strings.NewReader(counties), "counties.geojson",
		features.Options{Measures: []string{"pop2010"}})
	if err != nil {
		log.Fatal(err)
	}
	pop := a.Measure("pop2010")
	for i, id := range a.IDs {
		var ns []string
		for _, j := range units.Adjacency[i] {
			ns = append(ns, a.IDs[j])
		}
		fmt.Printf("%s at (%.4f, %.4f), %.0f km², pop %.0f, neighbours %v\n",
			id, a.Locs[i].X, a.Locs[i].Y, units.Areas[i], pop.Values[i], ns)
	}

	// A mistake names the file, the feature and what was expected.
	_, _, err = features.ReadAccounts(strings.NewReader(`{"type": "FeatureCollection", "features": [
	  {"type": "Feature", "id": "a", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}]}`),
		"roads.geojson", features.Options{})
	fmt.Println(err)
	// Output:
	// 01001 at (0.5000, 0.5000), 12363 km², pop 54571, neighbours [01003]
	// 01003 at (1.5000, 0.5000), 12363 km², pop 182265, neighbours [01001 01005]
	// 01005 at (2.5000, 0.5000), 12363 km², pop 27457, neighbours [01003]
	// read accounts "roads.geojson": row 1: unsupported geometry type "LineString" (expected Point, Polygon or MultiPolygon)
}

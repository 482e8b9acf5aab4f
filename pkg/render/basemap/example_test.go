package basemap_test

import (
	"fmt"
	"log"

	"github.com/territory-optimizer/territory/pkg/render/basemap"
)

// The outlines around Georgia: the borders Georgia shares with Alabama,
// Tennessee, North and South Carolina and Florida are among the state
// lines in the box.
func ExampleOutlines_Clip() {
	all, err := basemap.Embedded()
	if err != nil {
		log.Fatal(err)
	}
	ga := all.Clip(-85.7, 30.3, -80.7, 35.1)
	fmt.Println("land:", len(ga.Land) > 0, "coast:", len(ga.Coast) > 0, "state lines:", len(ga.States) >= 5, "country borders:", len(ga.Borders))
	// Output:
	// land: true coast: true state lines: true country borders: 0
}

package demo

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"sync"

	"github.com/territory-optimizer/territory/pkg/spatial"
)

//go:embed data/us_counties.csv
var countiesCSV []byte

// county is one row of data/us_counties.csv, with its land area turned into
// the radius of the disc in which accounts are scattered around its point.
type county struct {
	geoid, state, name string
	pop                int64
	lat, lon           float64 // the Census internal point, degrees
	radiusKm           float64 // sqrt(land area / pi), in kilometres
}

// excludedByDefault are the state codes a Config with no States leaves out:
// the whole US then means the contiguous 48 states and DC.
var excludedByDefault = map[string]bool{"AK": true, "HI": true, "PR": true}

const (
	kmPerMile = 1.609344
	// kmPerDegree is the length of one degree of latitude (and of longitude
	// at the equator) on the sphere the spatial package measures on.
	kmPerDegree = spatial.EarthRadiusKm * math.Pi / 180
)

// loadCounties parses the embedded county table once.
var loadCounties = sync.OnceValues(func() ([]county, error) {
	return parseCounties(bytes.NewReader(countiesCSV))
})

func parseCounties(r io.Reader) ([]county, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 7
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("demo: read county data: %w", err)
	}
	want := []string{"geoid", "state", "name", "pop2010", "lat", "lon", "aland_sqmi"}
	for i, h := range want {
		if header[i] != h {
			return nil, fmt.Errorf("demo: read county data: column %d is %q, want %q", i+1, header[i], h)
		}
	}
	var out []county
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("demo: read county data: %w", err)
		}
		c := county{geoid: rec[0], state: rec[1], name: rec[2]}
		var area float64
		c.pop, err = strconv.ParseInt(rec[3], 10, 64)
		if err == nil {
			c.lat, err = strconv.ParseFloat(rec[4], 64)
		}
		if err == nil {
			c.lon, err = strconv.ParseFloat(rec[5], 64)
		}
		if err == nil {
			area, err = strconv.ParseFloat(rec[6], 64)
		}
		if err != nil {
			return nil, fmt.Errorf("demo: read county data: row %d: %w", row, err)
		}
		if c.pop < 0 || area < 0 {
			return nil, fmt.Errorf("demo: read county data: row %d: negative population or area", row)
		}
		c.radiusKm = math.Sqrt(area/math.Pi) * kmPerMile
		out = append(out, c)
	}
	return out, nil
}

package features

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadGroups reads the group property of accounts and reps when a
// mapping names it (never by its name alone), and refuses an empty one.
func TestReadGroups(t *testing.T) {
	accounts := `{"type":"FeatureCollection","features":[
{"type":"Feature","id":"a1","properties":{"region":"East"},"geometry":{"type":"Point","coordinates":[-81,33]}},
{"type":"Feature","id":"a2","properties":{"region":7},"geometry":{"type":"Point","coordinates":[-84,34]}}]}`
	reps := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"r1","region":"East"},"geometry":{"type":"Point","coordinates":[-81,33]}}]}`
	opt := Options{Columns: map[string]string{"group": "region"}}
	a, _, err := ReadAccounts(strings.NewReader(accounts), "a.geojson", opt)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"East", "7"}, a.Groups); diff != "" {
		t.Errorf("account groups (-want +got):\n%s", diff)
	}
	r, err := ReadReps(strings.NewReader(reps), "r.geojson", opt)
	if err != nil {
		t.Fatal(err)
	}
	if r[0].Group != "East" {
		t.Errorf("rep group %q, want East", r[0].Group)
	}
	// Without the mapping, region is neither a group nor a measure.
	a, _, err = ReadAccounts(strings.NewReader(accounts), "a.geojson", Options{})
	if err != nil || a.Groups != nil {
		t.Errorf("without a mapping: groups %v, error %v", a.Groups, err)
	}
	empty := strings.Replace(accounts, `"region":7`, `"region":""`, 1)
	_, _, err = ReadAccounts(strings.NewReader(empty), "a.geojson", opt)
	if err == nil || !strings.Contains(err.Error(), `row 2, column "region": empty group`) {
		t.Errorf("an empty group: %v", err)
	}
}

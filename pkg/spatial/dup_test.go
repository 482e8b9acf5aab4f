package spatial

import "testing"

// TestIndexManyDuplicates: 50,000 points at one spot answer in linear
// time overall (a tie-collecting search would take quadratic time).
func TestIndexManyDuplicates(t *testing.T) {
	pts := make([]Vec3, 50_000)
	ix := NewIndex(pts)
	var buf []int
	for i := range pts {
		buf = ix.Nearest(pts[i], 8, buf[:0])
		if len(buf) != 8 || buf[0] != 0 || buf[7] != 7 {
			t.Fatalf("Nearest = %v, want the 8 lowest indices", buf)
		}
	}
}

package render

// kdTree answers k-nearest-neighbour queries over points in the plane. It
// is an implicit tree: idx is reordered so that every range [lo, hi) has
// its splitting point at the middle, with smaller coordinates of the
// range's axis before it and larger ones after, ties by index. Building
// and querying follow fixed rules, so the same points give the same
// answers.
type kdTree struct {
	xy  [][2]float64
	idx []int32
}

// kdLeaf is the range size below which ranges are scanned.
const kdLeaf = 8

func newKDTree(xy [][2]float64) *kdTree {
	t := &kdTree{xy: xy, idx: make([]int32, len(xy))}
	for i := range t.idx {
		t.idx[i] = int32(i)
	}
	t.build(0, len(xy), 0)
	return t
}

func (t *kdTree) build(lo, hi, axis int) {
	for hi-lo > kdLeaf {
		mid := (lo + hi) / 2
		t.selectNth(lo, hi, mid, axis)
		t.build(lo, mid, 1-axis)
		lo, axis = mid+1, 1-axis
	}
}

// less orders points i and j along axis, ties by index.
func (t *kdTree) less(i, j int32, axis int) bool {
	a, b := t.xy[i][axis], t.xy[j][axis]
	if a != b {
		return a < b
	}
	return i < j
}

// selectNth reorders idx[lo:hi] so that idx[nth] is the element that
// would be there if the range were sorted, with no larger one before it
// and no smaller one after it (quickselect, median-of-three pivots).
func (t *kdTree) selectNth(lo, hi, nth, axis int) {
	idx := t.idx
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		a, b, c := lo, mid, hi-1
		if t.less(idx[b], idx[a], axis) {
			a, b = b, a
		}
		if t.less(idx[c], idx[b], axis) {
			b = c
			if t.less(idx[b], idx[a], axis) {
				b = a
			}
		}
		// b is the median of three; move it to the end and partition.
		idx[b], idx[hi-1] = idx[hi-1], idx[b]
		pivot := idx[hi-1]
		store := lo
		for i := lo; i < hi-1; i++ {
			if t.less(idx[i], pivot, axis) {
				idx[i], idx[store] = idx[store], idx[i]
				store++
			}
		}
		idx[store], idx[hi-1] = idx[hi-1], idx[store]
		switch {
		case nth < store:
			hi = store
		case nth > store:
			lo = store + 1
		default:
			return
		}
	}
}

// neighbours is a bounded list of the nearest points found so far,
// nearest first.
type neighbours struct {
	k   int
	d2  []float64
	idx []int32
}

func (nb *neighbours) reset(k int) {
	nb.k = k
	nb.d2, nb.idx = nb.d2[:0], nb.idx[:0]
}

func (nb *neighbours) full() bool { return len(nb.idx) == nb.k }

func (nb *neighbours) worst() float64 { return nb.d2[len(nb.d2)-1] }

func (nb *neighbours) offer(d2 float64, i int32) {
	if nb.full() && (d2 > nb.worst() || d2 == nb.worst() && i > nb.idx[len(nb.idx)-1]) {
		return
	}
	if !nb.full() {
		nb.d2, nb.idx = append(nb.d2, 0), append(nb.idx, 0)
	}
	j := len(nb.idx) - 1
	for j > 0 && (nb.d2[j-1] > d2 || nb.d2[j-1] == d2 && nb.idx[j-1] > i) {
		nb.d2[j], nb.idx[j] = nb.d2[j-1], nb.idx[j-1]
		j--
	}
	nb.d2[j], nb.idx[j] = d2, i
}

// nearest fills nb with the k points nearest to point q, q itself left
// out. Ranges are skipped only when they cannot hold a point strictly
// nearer than the k-th found, so that many points at one spot cost no
// more than a few.
func (t *kdTree) nearest(q int32, k int, nb *neighbours) {
	nb.reset(k)
	if k > 0 {
		t.search(q, 0, len(t.idx), 0, nb)
	}
}

func (t *kdTree) search(q int32, lo, hi, axis int, nb *neighbours) {
	qp := t.xy[q]
	for {
		if hi-lo <= kdLeaf {
			for _, i := range t.idx[lo:hi] {
				t.offerPoint(q, qp, i, nb)
			}
			return
		}
		mid := (lo + hi) / 2
		p := t.idx[mid]
		t.offerPoint(q, qp, p, nb)
		d := qp[axis] - t.xy[p][axis]
		nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
		if d >= 0 {
			nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
		}
		t.search(q, nearLo, nearHi, 1-axis, nb)
		if nb.full() && float64(d*d) >= nb.worst() {
			return
		}
		lo, hi, axis = farLo, farHi, 1-axis
	}
}

func (t *kdTree) offerPoint(q int32, qp [2]float64, i int32, nb *neighbours) {
	if i == q {
		return
	}
	p := t.xy[i]
	dx, dy := p[0]-qp[0], p[1]-qp[1]
	nb.offer(float64(dx*dx)+float64(dy*dy), i)
}

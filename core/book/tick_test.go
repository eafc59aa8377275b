package book

import (
	"math/rand/v2"
	"testing"
)

func TestDividerExact(t *testing.T) {
	ticks := []uint64{1, 2, 3, 5, 7, 10, 64, 100, 1000, 1 << 20, 999_999_937, 1e8, MaxPrice}
	r := rand.New(rand.NewPCG(1, 2))
	for _, d := range ticks {
		v := newDivider(d)
		check := func(n uint64) {
			t.Helper()
			q, ok := v.exact(n)
			if want := n%d == 0; ok != want {
				t.Fatalf("d=%d n=%d: exact ok=%v, want %v", d, n, ok, want)
			}
			if ok && q != n/d {
				t.Fatalf("d=%d n=%d: q=%d, want %d", d, n, q, n/d)
			}
		}
		for n := uint64(0); n < 5000; n++ {
			check(n)
		}
		for _, n := range []uint64{MaxPrice, MaxPrice - 1, MaxPrice / d * d, 1<<63 - 1, d - 1, d, d + 1, 2*d - 1} {
			check(n)
		}
		for i := 0; i < 20000; i++ {
			n := r.Uint64N(MaxPrice + 1)
			check(n)
			check(n / d * d) // a multiple
		}
	}
}

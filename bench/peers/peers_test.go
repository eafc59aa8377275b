package peers

import (
	"testing"
)

const (
	seed    = 20211012
	levels  = 900
	perDiff = 25
	diffs   = 2000
)

type impl interface {
	apply(tb testing.TB, msg []byte)
	best() [4]int
}

// TestSameBook replays two cycles of the stream into every implementation: all must end with the
// same top of book, so the benchmark compares equal work.
func TestSameBook(t *testing.T) {
	s := Generate(seed, levels, perDiff, diffs)
	impls := map[string]impl{"ems": newEMS(t, s), "bbgo": newBBGO(t, s), "go-binance": newGoBinance(s)}
	for range 2 * s.Len() {
		msg := s.Next()
		for _, im := range impls {
			im.apply(t, msg)
		}
	}
	want := impls["ems"].best()
	for name, im := range impls {
		if got := im.best(); got != want {
			t.Errorf("%s: top %v, ems %v", name, got, want)
		}
	}
}

// BenchmarkDiffToBook measures one raw ~25-level depthUpdate frame to an updated ~900-level book.
// impl=patch-only is the baseline: writing the update ids into the frame, which every
// implementation's figure includes.
func BenchmarkDiffToBook(b *testing.B) {
	for _, tc := range []struct {
		name string
		new  func(tb testing.TB, s *Stream) impl
	}{
		{"patch-only", func(testing.TB, *Stream) impl { return nil }},
		{"ems", func(tb testing.TB, s *Stream) impl { return newEMS(tb, s) }},
		{"bbgo", func(tb testing.TB, s *Stream) impl { return newBBGO(tb, s) }},
		{"go-binance", func(tb testing.TB, s *Stream) impl { return newGoBinance(s) }},
	} {
		b.Run("impl="+tc.name, func(b *testing.B) {
			s := Generate(seed, levels, perDiff, diffs)
			im := tc.new(b, s)
			if im != nil {
				for range s.Len() { // warm up: one cycle
					im.apply(b, s.Next())
				}
			}
			b.SetBytes(int64(s.Bytes() / s.Len()))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				msg := s.Next()
				if im != nil {
					im.apply(b, msg)
				} else if msg[0] != '{' {
					b.Fatal("bad frame")
				}
			}
		})
	}
}

//go:build !race

package binance

import (
	"testing"

	"ems/feed"
)

// TestDecodeAllocs: decoding steady-state messages (parse, sync check, book update, events)
// allocates nothing, with inferred and with known scales.
func TestDecodeAllocs(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  feed.Config
	}{
		{"scales=inferred", feed.Config{Venue: 1, InferUnknown: true}},
		{"scales=known", feed.Config{Venue: 1, Resolve: nknResolver}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSteady(t, tc.cfg)
			if n := testing.AllocsPerRun(500, func() { s.next(t) }); n != 0 {
				t.Errorf("diff: %v allocs per Decode, want 0", n)
			}
			for _, msg := range [][]byte{s.ticker, s.trade, s.aggTrade} {
				if n := testing.AllocsPerRun(200, func() {
					s.out.Reset()
					if err := s.d.Decode(msg, 1, s.out); err != nil || s.out.Len() != 1 {
						t.Fatal(err)
					}
				}); n != 0 {
					t.Errorf("%.40s: %v allocs per Decode, want 0", msg, n)
				}
			}
		})
	}
}

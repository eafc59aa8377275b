//go:build !race

package coinbase

import (
	"testing"

	"ems/feed"
)

// TestDecodeAllocs asserts that steady-state Decode (parse and apply) allocates nothing, for both
// protocols: book updates, snapshots, trades and non-book messages of known products.
func TestDecodeAllocs(t *testing.T) {
	d := New(cfgInfer())
	out := feed.NewBatch(1024)
	decodeAll(t, d, nil, l2(0, "snapshot", "BTC-USD", "bid:21921.73:0.06317902", "offer:21922.5:0.5"))
	var s seqRewriter
	update := s.add(l2(1, "update", "BTC-USD", "bid:21921.73:0.1", "offer:21922.5:0.25"))
	snap := s.add(l2(1, "snapshot", "BTC-USD", "bid:21921.73:0.06317902", "offer:21922.5:0.5"))
	trades := s.add(readTradeUpdate())
	hb := s.add(heartbeat(1))

	legacy := NewLegacy(cfgInfer())
	lines := readLines(t, "exchange_legacy_level2_BAND-GBP.jsonl")
	decodeAll(t, legacy, nil, lines[0])
	tests := []struct {
		name string
		fn   func() error
	}{
		{"update", func() error { return d.Decode(s.next(update), 1, out) }},
		{"snapshot", func() error { return d.Decode(s.next(snap), 1, out) }},
		{"market_trades", func() error { return d.Decode(s.next(trades), 1, out) }},
		{"heartbeat", func() error { return d.Decode(s.next(hb), 1, out) }},
		{"legacy l2update", func() error { return legacy.Decode(lines[2], 1, out) }},
		{"legacy snapshot", func() error { return legacy.Decode(lines[0], 1, out) }},
		{"legacy match", func() error { return legacy.Decode(lines[417], 1, out) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := testing.AllocsPerRun(200, func() {
				out.Reset()
				if e := tt.fn(); e != nil {
					err = e
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatalf("%v allocations per Decode", n)
			}
		})
	}
	if d.Books()[0].Stats.Gaps != 0 || d.Anomalies().Total() != 0 || legacy.Anomalies().Total() != 0 {
		t.Fatalf("stats %+v, anomalies %d %d", d.Books()[0].Stats, d.Anomalies().Total(), legacy.Anomalies().Total())
	}
}

//go:build !race

package bybit

import (
	"testing"

	"ems/core/event"
	"ems/feed"
)

// TestDecodeAllocs asserts that steady-state Decode (parse and apply) allocates nothing: deltas,
// snapshots, trades, acknowledgements and gap handling of an existing book.
func TestDecodeAllocs(t *testing.T) {
	d := inferring()
	out := feed.NewBatch(256)
	lines := readLines(t, "orderbook50_BTCUSDT_snapshot_delta.jsonl")
	if err := d.Decode(lines[0], 1, out); err != nil {
		t.Fatal(err)
	}
	var seq deltaSeq
	seq.init(lines[1])
	trade := readLines(t, "v5_spot_tardis.jsonl")[0]
	ack := []byte(`{"success":true,"ret_msg":"pong","conn_id":"x","op":"ping"}`)
	tests := []struct {
		name string
		fn   func() error
	}{
		{"delta", func() error { return d.Decode(seq.next(), 2, out) }},
		{"snapshot", func() error {
			seq.u = 2876700 - 1 // the snapshot's u: the next delta continues from it
			return d.Decode(lines[0], 3, out)
		}},
		{"trade", func() error { return d.Decode(trade, 4, out) }},
		{"ack", func() error { return d.Decode(ack, 5, out) }},
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
	if r := d.Books()[0]; r.State() != event.BookLive || r.Stats.Gaps != 0 {
		t.Fatalf("book %v %+v", r.State(), r.Stats)
	}
}

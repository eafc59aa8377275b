package coinbase

import (
	"strings"
	"testing"

	"ems/feed"
)

func fuzzSeeds(f *testing.F) {
	for _, name := range []string{"docs_advanced_trade_examples.jsonl", "exchange_legacy_level2_BAND-GBP.jsonl"} {
		lines := readLines(f, name)
		if len(lines) > 40 {
			lines = append(lines[:20], lines[len(lines)-20:]...)
		}
		for _, l := range lines {
			f.Add(l)
		}
	}
	f.Add(l2(2, "update", "BTC-USD", "bid:100.1:0", "offer:100.3:1"))
	f.Add(l2(9, "snapshot", "BTC-USD", "bid:100.1:1"))
	f.Add(heartbeat(2))
	f.Add([]byte(`{"channel":"market_trades","sequence_num":2,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"BTC-USD","price":"1","size":"1","side":"BUY","time":"2019-08-14T20:42:27.265Z"}]}]}`))
	f.Add([]byte(`{"type":"error","message":"x"}`))
}

// fuzzDecoder checks that dec never panics on msg (given twice, after a valid start), that every
// error carries the package prefix and that events are well-formed.
func fuzzDecoder(t *testing.T, dec feed.Decoder, start, msg []byte) {
	out := feed.NewBatch(16)
	if err := dec.Decode(start, 1, out); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		out.Reset()
		if err := dec.Decode(msg, 2, out); err != nil && !strings.HasPrefix(err.Error(), "coinbase: ") {
			t.Fatalf("error without prefix: %v", err)
		}
		for _, e := range out.Events() {
			if !e.Kind.Valid() || e.Venue != 4 || e.Instrument == 0 {
				t.Fatalf("bad event %+v", e)
			}
		}
	}
	for _, r := range dec.Books() {
		_ = r.AppendReport(nil, VenueName)
	}
	_ = dec.Requests(nil)
}

// FuzzDecode feeds arbitrary messages to an Advanced Trade decoder holding a live book.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		fuzzDecoder(t, New(cfgInfer()), l2(1, "snapshot", "BTC-USD", "bid:100.1:1", "offer:100.2:1"), msg)
	})
}

// FuzzDecodeLegacy feeds arbitrary messages to a legacy decoder holding a live book.
func FuzzDecodeLegacy(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		fuzzDecoder(t, NewLegacy(cfgInfer()), []byte(legacySnap), msg)
	})
}

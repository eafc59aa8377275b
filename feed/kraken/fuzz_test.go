package kraken

import (
	"testing"

	"ems/feed"
)

// FuzzDecode feeds arbitrary messages to a v2 decoder whose BTC/USD book is live: it must never
// panic, and every book must stay reportable.
func FuzzDecode(f *testing.F) {
	snap := readLines(f, "docs_v2_book_checksum_example.jsonl")[0]
	for _, name := range []string{"docs_v2_book_checksum_example.jsonl", "docs_v2_trade_snapshot.jsonl"} {
		for _, l := range readLines(f, name) {
			f.Add(l)
		}
	}
	ref := newRefBook(10)
	bids, asks := docsSnapshot()
	refApply(ref, "snapshot", "BTC/USD", bids, asks)
	f.Add(refApply(ref, "update", "BTC/USD", [][2]string{{"45284.0", "2.00000000"}}, [][2]string{{"45285.2", "0.00000000"}}))
	f.Add([]byte(`{"method":"subscribe","result":{"channel":"book","depth":25,"snapshot":true,"symbol":"BTC/USD"},"success":true}`))
	f.Add([]byte(`{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":1.5,"bid_qty":2,"ask":1.6,"ask_qty":3}]}`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		d, err := New(feed.Config{InferUnknown: true})
		if err != nil {
			t.Fatal(err)
		}
		out := feed.NewBatch(64)
		if err := d.Decode(snap, 0, out); err != nil {
			t.Fatal(err)
		}
		_ = d.Decode(msg, 1, out)
		_ = d.Decode(msg, 2, out) // twice: updates are idempotent, state changes are not
		for _, r := range d.Books() {
			_ = r.AppendReport(nil, "kraken")
		}
		_ = d.Requests(nil)
	})
}

// FuzzDecodeV1 is FuzzDecode for the v1 decoder, its XBT/CHF book live from the recording.
func FuzzDecodeV1(f *testing.F) {
	lines := readLines(f, "v1_book1000_xbtchf.jsonl")
	for _, l := range lines[:8] {
		f.Add(l)
	}
	for _, l := range readLines(f, "v1_trade.jsonl") {
		f.Add(l)
	}
	f.Add([]byte(`[464,{"a":[["56218.30000","0.00000000","1618678200.000001","r"]]},{"b":[["56000.00000","1.00000000","1618678200.000001"]],"c":"1"},"book-1000","XBT/CHF"]`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		d, err := NewV1(feed.Config{InferUnknown: true})
		if err != nil {
			t.Fatal(err)
		}
		out := feed.NewBatch(2048)
		if err := d.Decode(lines[1], 0, out); err != nil {
			t.Fatal(err)
		}
		_ = d.Decode(msg, 1, out)
		_ = d.Decode(msg, 2, out)
		for _, r := range d.Books() {
			_ = r.AppendReport(nil, "kraken")
		}
		_ = d.Requests(nil)
	})
}

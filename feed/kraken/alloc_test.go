//go:build !race

package kraken

import (
	"testing"

	"ems/feed"
)

// TestAllocs asserts that decoding steady-state messages (parse, apply, checksum, truncate,
// events) allocates nothing once the decoder has seen the symbol.
func TestAllocs(t *testing.T) {
	v2 := newV2(t, feed.Config{InferUnknown: true})
	v1 := newV1(t)
	out := feed.NewBatch(4096)
	upd := v2Update()
	trade := readLines(t, "docs_v2_trade_snapshot.jsonl")[0]
	v1Lines := readLines(t, "v1_book1000_xbtchf.jsonl")
	v1Trade := readLines(t, "v1_trade.jsonl")[0]
	mustDecode(t, v2, readLines(t, "docs_v2_book_checksum_example.jsonl")[0], out)
	mustDecode(t, v1, v1Lines[1], out)
	for _, tc := range []struct {
		name string
		d    feed.Decoder
		msg  []byte
	}{
		{"v2 update", v2, upd},
		{"v2 trade", v2, trade},
		{"v2 heartbeat", v2, []byte(`{"channel":"heartbeat"}`)},
		{"v1 update", v1, v1Lines[2]},
		{"v1 trade", v1, v1Trade},
	} {
		mustDecode(t, tc.d, tc.msg, out) // warm-up: the symbol's first message may allocate
		out.Reset()
		n := testing.AllocsPerRun(200, func() {
			if err := tc.d.Decode(tc.msg, 1, out); err != nil {
				t.Fatal(err)
			}
			out.Reset()
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per Decode, want 0", tc.name, n)
		}
		for _, r := range tc.d.Books() {
			if r.Stats.ChecksumFailures != 0 {
				t.Errorf("%s: checksum failures", tc.name)
			}
		}
	}
}

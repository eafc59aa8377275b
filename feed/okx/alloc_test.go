//go:build !race

package okx

import (
	"testing"

	"ems/core/event"
	"ems/feed"
)

// TestDecodeAllocs: after warm-up, decoding a steady-state push allocates nothing: parse, apply,
// checksum (real 2022 update), sequence check, trades, complete pushes, keepalive and acks.
// (Error paths build their error text and may allocate.)
func TestDecodeAllocs(t *testing.T) {
	lines := readLines(t, "books_BTC-USDT.jsonl")
	trades := readLines(t, "trades.jsonl")
	tests := []struct {
		name  string
		setup [][]byte
		msg   []byte
	}{
		{"update", lines[:len(lines)-1], lines[len(lines)-1]}, // re-applying an absolute update keeps the book
		{"snapshot", lines[:2], lines[1]},
		{"seq-update", [][]byte{bookPush("books", "A-B", "snapshot", []lv{{"1", "1"}}, []lv{{"2", "1"}}, pushOpts{prev: -1, seq: 5, seqs: true})},
			bookPush("books", "A-B", "update", []lv{{"1", "3"}}, nil, pushOpts{prev: 5, seq: 5, seqs: true})},
		{"books5", nil, bookPush("books5", "A-B", "", []lv{{"1", "1"}, {"0.9", "2"}}, []lv{{"2", "1"}}, pushOpts{})},
		{"trade", trades, trades[len(trades)-1]},
		{"pong", nil, []byte("pong")},
		{"ack", nil, lines[0]},
	}
	for _, tc := range tests {
		t.Run("msg="+tc.name, func(t *testing.T) {
			d := newReplayDecoder()
			out := feed.NewBatch(4096)
			for i, l := range append(tc.setup, tc.msg, tc.msg) {
				_ = d.Decode(l, int64(i), out)
				out.Reset()
			}
			var err error
			n := testing.AllocsPerRun(200, func() {
				out.Reset()
				err = d.Decode(tc.msg, 1, out)
			})
			if n != 0 {
				t.Errorf("%v allocations per Decode", n)
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range d.Books() {
				if r.State() != event.BookLive || r.Stats.ChecksumFailures != 0 || r.Stats.Gaps != 0 {
					t.Errorf("%s: state %v stats %+v", r.Config().Symbol, r.State(), r.Stats)
				}
			}
		})
	}
}

// TestChecksumAllocs: building the checksum text and hashing it allocates nothing.
func TestChecksumAllocs(t *testing.T) {
	d := newReplayDecoder()
	if _, errs := run(d, readLines(t, "books_BTC-USDT.jsonl")); len(errs) != 0 {
		t.Fatal(errs)
	}
	b := d.symbols["BTC-USDT"].books[0]
	if n := testing.AllocsPerRun(200, func() { d.sum.compute(b.r, &b.texts) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// TestAppendSubscribeAllocs: with room in dst the builders allocate nothing.
func TestAppendSubscribeAllocs(t *testing.T) {
	buf := make([]byte, 0, 256)
	insts := []string{"BTC-USDT", "ETH-USDT"}
	if n := testing.AllocsPerRun(100, func() {
		buf = AppendSubscribe(buf[:0], "1", ChannelBooks, insts...)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

package okx

import (
	"strings"
	"testing"

	"ems/core/event"
	"ems/feed"
)

// FuzzDecode feeds arbitrary messages to a decoder holding a live book: it must never panic, every
// error must name its package, and the counters must stay consistent.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"books_BTC-USDT.jsonl", "books_snapshot_2022-08-06.jsonl", "trades.jsonl", "orders_channel.jsonl"} {
		lines := readLines(f, name)
		for i, l := range lines {
			if i < 12 || i%10 == 0 {
				f.Add(l)
			}
		}
	}
	f.Add(bookPush("books", "BTC-USDT", "update", []lv{{"30236.1", "8477.0"}}, nil, pushOpts{prev: 10, seq: 10, seqs: true, checksum: 5}))
	f.Add(bookPush("books5", "BTC-USDT", "", []lv{{"1", "1"}}, []lv{{"0.5", "1"}}, pushOpts{}))
	f.Add(bookPush("bbo-tbt", "BTC-USDT", "", nil, []lv{{"007", "1"}}, pushOpts{}))
	f.Add([]byte(`{"event":"error","code":"60012","msg":"x"}`))
	f.Add([]byte(`pong`))
	f.Add([]byte(`[1,2]`))
	snap := readLines(f, "books_BTC-USDT.jsonl")[1]
	f.Fuzz(func(t *testing.T, msg []byte) {
		d := newReplayDecoder()
		out := feed.NewBatch(64)
		if err := d.Decode(snap, 1, out); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			out.Reset()
			err := d.Decode(msg, int64(2+i), out)
			if err != nil && !strings.HasPrefix(err.Error(), "okx: ") && !strings.HasPrefix(err.Error(), "feed: ") {
				t.Errorf("error without package prefix: %v", err)
			}
			for _, e := range out.Events() {
				if !e.Kind.Valid() {
					t.Fatalf("invalid event kind %d", e.Kind)
				}
			}
		}
		for _, r := range d.Books() {
			s := r.Stats
			if s.Applied < 0 || s.Dropped < 0 || s.Messages < s.Applied {
				t.Errorf("%s: stats %+v", r.Config().Symbol, s)
			}
			if r.State() == event.BookInvalid && !r.Book().Empty() {
				t.Errorf("%s: invalid book shows levels", r.Config().Symbol)
			}
		}
		for _, q := range d.Requests(nil) {
			if q.Kind != feed.RequestResubscribe || q.Replica == nil {
				t.Errorf("request %+v", q)
			}
		}
	})
}

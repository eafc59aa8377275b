package binance

import (
	"bytes"
	"testing"

	"ems/core/event"
	"ems/feed"
)

// TestRecordings replays every recording of the venue and checks the acceptance facts of venue
// specs section 1.2.
func TestRecordings(t *testing.T) {
	nkn := top{bid: "0.3527", bidQty: "9602", ask: "0.3531", askQty: "152"}
	tests := []struct {
		name     string
		files    []string
		snapshot string // "": none; "NKNUSDT" or "-" (symbol "") given first; "live": by receive time
		books    int
		messages int64
		applied  int64
		dropped  int64
		requests int
		top      top
		trades   int
		tickers  int
	}{
		{name: "diff/snapshot=symbol", files: []string{diffFile}, snapshot: "NKNUSDT",
			books: 1, messages: 150, applied: 149, dropped: 1, top: nkn},
		{name: "diff/snapshot=pending", files: []string{diffFile}, snapshot: "-",
			books: 1, messages: 150, applied: 149, dropped: 1, top: nkn},
		{name: "diff/snapshot=live", files: []string{diffFile}, snapshot: "live",
			books: 1, messages: 150, applied: 149, dropped: 1, requests: 1, top: nkn},
		{name: "diff/snapshot=none", files: []string{diffFile},
			books: 1, messages: 150, applied: 0, dropped: 150, requests: 1},
		{name: "all/snapshot=pending", files: []string{allFile}, snapshot: "-",
			books: 1, messages: 226, applied: 149, dropped: 1, top: nkn, tickers: 74, trades: 1},
		{name: "all/snapshot=live", files: []string{allFile}, snapshot: "live",
			books: 1, messages: 226, applied: 149, dropped: 1, requests: 1, top: nkn, tickers: 74, trades: 1},
		{name: "bookTicker", files: []string{"nknusdt_ws_bookTicker.jsonl"}, tickers: 74},
		{name: "bookTicker-tardis", files: []string{"ws_bookTicker_tardis.jsonl"}, tickers: 1},
		{name: "trade", files: []string{"ws_trade.jsonl"}, trades: 3},
		{name: "aggTrade", files: []string{"ws_aggTrade.jsonl"}, trades: 2},
		{name: "user-data", files: []string{"user_data_executionReport_and_account.jsonl"}},
		{name: "ws-api", files: []string{"docs_wsapi_order_place_and_executionReport.jsonl"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newInfer()
			out := feed.NewBatch(4096)
			var reqs []feed.Request
			var trades, tickers int
			count := func() {
				for _, e := range out.Events() {
					switch e.Kind {
					case event.KindTrade:
						trades++
					case event.KindTopOfBook:
						tickers++
					}
				}
				out.Reset()
			}
			snap := readLines(t, snapshotFile)[0]
			lines := merge(t, tc.files...)
			switch tc.snapshot {
			case "NKNUSDT", "-":
				sym := tc.snapshot
				if sym == "-" {
					sym = ""
				}
				if err := d.LoadSnapshot(sym, snap.msg, snap.recv, out); err != nil {
					t.Fatal(err)
				}
			case "live":
				// As a live transport would: the snapshot arrives when it was received.
				lines = byRecv(append(lines, snap))
			}
			for _, l := range lines {
				var err error
				if l.file == snapshotFile {
					reqs = d.Requests(reqs)
					err = d.LoadSnapshot("NKNUSDT", l.msg, l.recv, out)
				} else {
					err = d.Decode(l.msg, l.recv, out)
				}
				if err != nil {
					t.Fatalf("%s: %v", l.msg, err)
				}
				count()
			}
			reqs = d.Requests(reqs)
			if len(d.Books()) != tc.books {
				t.Fatalf("books = %d, want %d", len(d.Books()), tc.books)
			}
			if len(reqs) != tc.requests {
				t.Errorf("requests = %d, want %d", len(reqs), tc.requests)
			}
			for _, r := range reqs {
				if r.Kind != feed.RequestSnapshot || r.Replica != d.Books()[0] {
					t.Errorf("request %+v, want a snapshot of the book", r)
				}
			}
			if trades != tc.trades || tickers != tc.tickers {
				t.Errorf("trades, tickers = %d, %d, want %d, %d", trades, tickers, tc.trades, tc.tickers)
			}
			if d.Anomalies().Total() != 0 {
				var b bytes.Buffer
				d.Anomalies().WriteText(&b)
				t.Errorf("anomalies:\n%s", b.String())
			}
			if tc.books == 0 {
				return
			}
			r := d.Books()[0]
			s := r.Stats
			if s.Messages != tc.messages || s.Applied != tc.applied || s.Dropped != tc.dropped || s.Gaps != 0 || s.Resyncs != 0 {
				t.Errorf("stats %+v, want messages %d applied %d dropped %d", s, tc.messages, tc.applied, tc.dropped)
			}
			if got := bookTop(r); got != tc.top {
				t.Errorf("top %+v, want %+v", got, tc.top)
			}
			if tc.applied > 0 && r.State() != event.BookLive {
				t.Errorf("state %v, want live", r.State())
			}
			if tc.applied > 0 && r.Book().Crossed() {
				t.Error("book crossed")
			}
		})
	}
}

package bybit

import (
	"testing"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// The expected reports were computed from the recordings by an independent script (decimal
// arithmetic over the JSON, snapshot = replace, size 0 = delete).
func TestRecordings(t *testing.T) {
	tests := []struct {
		file    string
		reports []string // one per book, in first-seen order
		trades  int
	}{
		{
			file: "orderbook50_BTCUSDT_snapshot_delta.jsonl",
			reports: []string{
				`{"venue":"bybit","symbol":"BTCUSDT","channel":"orderbook.50","messages":2,"applied":2,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["75848.74","0.067669"],["75848.63","0.004772"],["75848.62","0.014895"],["75848.61","0.00659"],["75848.05","0.000329"],["75847.68","0.00159"],["75846.88","0.00159"],["75845.97","0.026366"],["75845.87","0.013185"],["75845.41","0.077259"]],"asks":[["75848.75","0.747137"],["75848.89","0.088149"],["75848.9","0.1"],["75851.43","0.00159"],["75851.44","0.078379"],["75852.23","0.00159"],["75852.54","0.131067"],["75853.71","0.00159"],["75853.86","0.003955"],["75854.43","0.015684"]]}`,
			},
		},
		{
			file: "v5_spot_tardis.jsonl",
			reports: []string{
				`{"venue":"bybit","symbol":"BTCUSDT","channel":"orderbook.1","messages":3,"applied":2,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["28165.07","0.166754"]],"asks":[["28165.08","0.996816"]]}`,
				`{"venue":"bybit","symbol":"BTCUSDT","channel":"orderbook.50","messages":3,"applied":2,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["28162.57","0.07562"],["28161.04","0.177474"]],"asks":[["28162.58","0.506829"]]}`,
			},
			trades: 5,
		},
		{
			file: "v5_linear_inverse_tardis.jsonl",
			reports: []string{
				`{"venue":"bybit","symbol":"BTCUSDT","channel":"orderbook.1","messages":2,"applied":2,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["28552","0.012"]],"asks":[["28552.1","25.433"]]}`,
				`{"venue":"bybit","symbol":"BTCPERP","channel":"orderbook.50","messages":2,"applied":2,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["28555.2","0.677"]],"asks":[["28555.3","0.029"]]}`,
			},
			trades: 4,
		},
		{file: "publicTrade_gct.jsonl", trades: 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d := inferring()
			evs := decodeAll(t, d, readLines(t, tt.file)...)
			books := d.Books()
			if len(books) != len(tt.reports) {
				t.Fatalf("%d books, want %d", len(books), len(tt.reports))
			}
			for i, r := range books {
				if got := report(r); got != tt.reports[i] {
					t.Errorf("book %d report\n got %s\nwant %s", i, got, tt.reports[i])
				}
				if r.State() != event.BookLive || r.Book().Crossed() {
					t.Errorf("book %d: state %v, crossed %v", i, r.State(), r.Book().Crossed())
				}
			}
			trades := 0
			for i := range evs {
				if evs[i].Kind == event.KindTrade {
					trades++
				}
			}
			if trades != tt.trades {
				t.Errorf("%d trades, want %d", trades, tt.trades)
			}
			if n := d.Anomalies().Total(); n != 0 {
				t.Errorf("%d anomalies", n)
			}
			if reqs := d.Requests(nil); len(reqs) != 0 {
				t.Errorf("requests %v", reqs)
			}
		})
	}
}

// TestAcceptanceOrderbook50 checks the venue specs' acceptance facts on the 2024 capture: snapshot
// u 2876700 (50×50), then delta u 2876701 deleting 75837.13 (bid) and 75852.65 (ask).
func TestAcceptanceOrderbook50(t *testing.T) {
	scales := feed.Scales{Price: 2, Qty: 6, Tick: 1, Known: true}
	d := New(feed.Config{Venue: 3, Resolve: func(sym []byte) (uint32, feed.Scales, bool) {
		return 7, scales, string(sym) == "BTCUSDT"
	}})
	lines := readLines(t, "orderbook50_BTCUSDT_snapshot_delta.jsonl")
	out := feed.NewBatch(256)
	if err := d.Decode(lines[0], 100, out); err != nil {
		t.Fatal(err)
	}
	snap := out.Events()
	if len(snap) != 101 { // 100 levels and the status event
		t.Fatalf("snapshot: %d events", len(snap))
	}
	if snap[0].Flags&event.FlagSnapshotBegin == 0 || snap[100].Flags&event.FlagSnapshotEnd == 0 {
		t.Errorf("snapshot flags %v .. %v", snap[0].Flags, snap[100].Flags)
	}
	if s := snap[100]; s.Kind != event.KindBookStatus || s.BookStatus().State != event.BookLive {
		t.Errorf("snapshot status %+v", s)
	}
	for _, e := range snap {
		if e.Seq != 2876700 || e.Venue != 3 || e.Instrument != 7 || e.ExchTS != 1731035685323e6 || e.RecvTS != 100 {
			t.Fatalf("snapshot header %+v", e)
		}
	}
	r := d.Books()[0]
	if r.Book().Len(book.Bid) != 50 || r.Book().Len(book.Ask) != 50 {
		t.Fatalf("snapshot sides %d×%d", r.Book().Len(book.Bid), r.Book().Len(book.Ask))
	}
	out.Reset()
	if err := d.Decode(lines[1], 101, out); err != nil {
		t.Fatal(err)
	}
	delta := out.Events()
	if len(delta) != 7 || delta[6].Flags != event.FlagLastInBatch {
		t.Fatalf("delta: %d events, last flags %v", len(delta), delta[len(delta)-1].Flags)
	}
	deletes := map[event.Side]int64{}
	for _, e := range delta {
		if e.Seq != 2876701 || e.ExchTS != 1731035685342e6 {
			t.Fatalf("delta header %+v", e)
		}
		if l := e.BookLevel(); l.Qty == 0 {
			deletes[l.Side] = l.Price
		}
	}
	if deletes[event.SideBuy] != 7583713 || deletes[event.SideSell] != 7585265 || len(deletes) != 2 {
		t.Errorf("deletes %v", deletes)
	}
	b := r.Book()
	if b.Qty(book.Bid, 7583713) != 0 || b.Qty(book.Ask, 7585265) != 0 {
		t.Error("deleted levels still in the book")
	}
	// Bybit sends explicit deletes for levels leaving the top 50: no truncation needed.
	if b.Len(book.Bid) != 50 || b.Len(book.Ask) != 50 {
		t.Errorf("after delta %d×%d levels, want 50×50", b.Len(book.Bid), b.Len(book.Ask))
	}
	if px, qty, _ := b.BestBid(); px != 7584874 || qty != 67669 {
		t.Errorf("best bid %d×%d", px, qty)
	}
	if px, qty, _ := b.BestAsk(); px != 7584875 || qty != 747137 {
		t.Errorf("best ask %d×%d", px, qty)
	}
	if r.Stats.Applied != 2 || r.Stats.Gaps != 0 || d.Anomalies().Total() != 0 {
		t.Errorf("stats %+v, anomalies %d", r.Stats, d.Anomalies().Total())
	}
}

func TestRecordedTrades(t *testing.T) {
	tests := []struct {
		file      string
		first     event.Trade
		exchTS    int64
		aggressor event.Side
	}{
		{"publicTrade_gct.jsonl", event.Trade{Price: 36279, Qty: 13637, TradeID: 2200000000067341890, Aggressor: event.SideSell}, 1690720953111e6, event.SideSell},
		{"v5_spot_tardis.jsonl", event.Trade{Price: 2816538, Qty: 41732, TradeID: 2290000000050703789, Aggressor: event.SideSell}, 1680652847524e6, event.SideSell},
		{"v5_linear_inverse_tardis.jsonl", event.Trade{Price: 2856050, Qty: 5823, TradeID: feed.TradeID([]byte("0cbf2330-952d-5d03-a462-4bf826c867af")), Aggressor: event.SideBuy}, 1680673823564e6, event.SideBuy},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs := decodeAll(t, inferring(), readLines(t, tt.file)...)
			if evs[0].Kind != event.KindTrade {
				t.Fatalf("first event %v", evs[0].Kind)
			}
			if got := *evs[0].Trade(); got != tt.first || evs[0].ExchTS != tt.exchTS || evs[0].Instrument != 1 {
				t.Errorf("first trade %+v at %d (instrument %d), want %+v at %d", got, evs[0].ExchTS, evs[0].Instrument, tt.first, tt.exchTS)
			}
		})
	}
}

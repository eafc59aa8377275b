package coinbase

import (
	"errors"
	"strings"
	"testing"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// The expected reports were computed from the recordings by an independent script (decimal
// arithmetic over the JSON, snapshot = replace, size 0 = delete).
func TestRecordings(t *testing.T) {
	tests := []struct {
		file      string
		decoder   func(feed.Config) feed.Decoder
		venue     string
		report    string
		trades    int
		anomalies map[string]int64
	}{
		{
			file:    "docs_advanced_trade_examples.jsonl",
			decoder: func(c feed.Config) feed.Decoder { return New(c) },
			venue:   VenueName,
			report:  `{"venue":"coinbase","symbol":"BTC-USD","messages":1,"applied":1,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["21921.73","0.06317902"],["21921.3","0.02"]],"asks":[]}`,
			// The three docs examples come from different sessions, all with sequence_num 0.
			anomalies: map[string]int64{AnomalyRepeatedSeq: 2},
		},
		{
			file:    "exchange_legacy_level2_BAND-GBP.jsonl",
			decoder: func(c feed.Config) feed.Decoder { return NewLegacy(c) },
			venue:   LegacyVenueName,
			report:  `{"venue":"coinbase-legacy","symbol":"BAND-GBP","messages":477,"applied":472,"dropped":0,"gaps":0,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[["14.7366","27.57"],["14.7318","0.42"],["14.731","12.98"],["14.7267","36"],["14.7266","12.17"],["14.72","13.11"],["14.6705","127.54"],["14.6704","69.7"],["14.6703","63.83"],["14.6702","150.67"]],"asks":[["14.7664","12"],["14.7737","27.8"],["14.7738","12.3"],["14.9107","61.93"],["14.9108","9.2"],["14.9109","69.7"],["14.911","265.73"],["14.9285","229.2"],["14.9452","913.8"],["14.9822","467.9"]]}`,
			trades:  4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d := tt.decoder(cfgInfer())
			evs := decodeAll(t, d, nil, readLines(t, tt.file)...)
			if len(d.Books()) != 1 {
				t.Fatalf("%d books", len(d.Books()))
			}
			r := d.Books()[0]
			if got := string(r.AppendReport(nil, tt.venue)); got != tt.report {
				t.Errorf("report\n got %s\nwant %s", got, tt.report)
			}
			if r.State() != event.BookLive || r.Book().Crossed() {
				t.Errorf("state %v, crossed %v", r.State(), r.Book().Crossed())
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
			var total int64
			for k, n := range tt.anomalies {
				total += n
				if got := d.Anomalies().Count(k); got != n {
					t.Errorf("anomaly %q: %d, want %d", k, got, n)
				}
			}
			if d.Anomalies().Total() != total {
				t.Errorf("anomalies:\n%s", anomalyText(d.Anomalies()))
			}
			if reqs := d.Requests(nil); len(reqs) != 0 {
				t.Errorf("requests %v", reqs)
			}
		})
	}
}

// TestLegacyRecording follows the 2021 legacy feed line by line: the book is never crossed, each
// match's aggressor is the opposite of its (maker) side and its price lies on the maker's side of
// the book, and events carry the sidecar's receive times.
func TestLegacyRecording(t *testing.T) {
	lines := readLines(t, "exchange_legacy_level2_BAND-GBP.jsonl")
	recv := readRecvTS(t, "exchange_legacy_level2_BAND-GBP.recv_ts")
	if len(recv) != len(lines) {
		t.Fatalf("%d lines, %d receive times", len(lines), len(recv))
	}
	scales := feed.Scales{Price: 4, Qty: 2, Tick: 1, Known: true}
	d := NewLegacy(feed.Config{Venue: 4, Resolve: func(s []byte) (uint32, feed.Scales, bool) {
		return 11, scales, string(s) == "BAND-GBP"
	}})
	out := feed.NewBatch(1024)
	var matches int
	for i, l := range lines {
		out.Reset()
		if err := d.Decode(l, recv[i], out); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		b := d.Books()[0].Book()
		if b.Crossed() {
			t.Fatalf("line %d: crossed book", i+1)
		}
		for _, e := range out.Events() {
			if e.RecvTS != recv[i] || e.Instrument != 11 || e.Venue != 4 {
				t.Fatalf("line %d: header %+v", i+1, e)
			}
			if e.Kind != event.KindTrade {
				continue
			}
			matches++
			tr := e.Trade()
			ask, _, _ := b.BestAsk()
			// Every match of the recording is side "buy": a resting bid was hit by a seller.
			if tr.Aggressor != event.SideSell || tr.Price >= ask || tr.Price != 147646 {
				t.Fatalf("line %d: trade %+v, best ask %d", i+1, *tr, ask)
			}
		}
	}
	if matches != 4 {
		t.Fatalf("%d matches", matches)
	}
	out.Reset()
	if err := d.Decode(lines[417], recv[417], out); err != nil {
		t.Fatal(err)
	}
	e := out.Events()[0]
	if tr := e.Trade(); tr.TradeID != 881614 || tr.Qty != 500 || e.Seq != 333939588 || e.ExchTS != 1618677845617399000 || e.Flags != event.FlagLastInBatch {
		t.Fatalf("match event %+v %+v", e, *tr)
	}
	r := d.Books()[0]
	if px, qty, _ := r.Book().BestBid(); px != 147366 || qty != 2757 {
		t.Errorf("best bid %d×%d", px, qty)
	}
	if r.Book().Len(book.Bid) != 148 || r.Book().Len(book.Ask) != 162 {
		t.Errorf("sides %d×%d, want 148×162", r.Book().Len(book.Bid), r.Book().Len(book.Ask))
	}
}

// Each protocol's recordings are foreign to the other decoder, with an error naming the right one.
func TestProtocolsRejectEachOther(t *testing.T) {
	tests := []struct {
		file    string
		decoder feed.Decoder
		hint    string
	}{
		{"exchange_legacy_level2_BAND-GBP.jsonl", New(cfgInfer()), LegacyVenueName},
		{"docs_advanced_trade_examples.jsonl", NewLegacy(cfgInfer()), VenueName + " decoder"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			for i, l := range readLines(t, tt.file) {
				err := tt.decoder.Decode(l, 1, feed.NewBatch(8))
				if !errors.Is(err, feed.ErrForeign) || !strings.Contains(err.Error(), tt.hint) {
					t.Fatalf("line %d: %v", i+1, err)
				}
			}
			if len(tt.decoder.Books()) != 0 {
				t.Fatal("a foreign message made a book")
			}
		})
	}
}

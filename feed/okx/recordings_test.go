package okx

import (
	"path/filepath"
	"slices"
	"testing"

	"ems/core/event"
	"ems/feed"
)

// bookFacts are the acceptance facts of one book after a recording (venue specs sections 3, 9).
type bookFacts struct {
	symbol, channel string
	stats           feed.Stats
	bid, ask        string // best level, "px x qty"
	bids, asks      int    // levels held
}

// recordingCase is one recording and what replaying it must give.
type recordingCase struct {
	file   string
	books  []bookFacts
	trades int // Trade events
	buys   int // of which the taker bought
}

// TestRecordings replays every OKX recording in testdata and checks the facts measured on it
// independently (venue specs section 3: every checksum of the real data verifies).
func TestRecordings(t *testing.T) {
	tests := []recordingCase{
		{
			file: "books_BTC-USDT.jsonl", // subscribe ack + 400-level snapshot + 97 updates, 2022
			books: []bookFacts{{
				symbol: "BTC-USDT", channel: "books",
				stats: feed.Stats{Messages: 99, Applied: 98, ChecksumsVerified: 98},
				bid:   "30236.1 x 0.18050747", ask: "30236.2 x 0.001", bids: 400, asks: 400,
			}},
		},
		{
			file: "books_snapshot_2022-08-06.jsonl", // one snapshot, checksum -1462286744
			books: []bookFacts{{
				symbol: "BTC-USDT", channel: "books",
				stats: feed.Stats{Messages: 1, Applied: 1, ChecksumsVerified: 1},
				bid:   "0.07014 x 56", ask: "0.07026 x 5", bids: 39, asks: 37,
			}},
		},
		{file: "trades.jsonl", trades: 74, buys: 48},
		{file: "orders_channel.jsonl"}, // private channel: nothing for the market-data decoder
	}
	files, err := filepath.Glob("testdata/*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !slices.ContainsFunc(tests, func(tc recordingCase) bool { return tc.file == filepath.Base(f) }) {
			t.Errorf("recording %s has no row in TestRecordings", f)
		}
	}
	for _, tc := range tests {
		t.Run("file="+tc.file, func(t *testing.T) {
			d := newReplayDecoder()
			evs, errs := run(d, readLines(t, tc.file))
			if len(errs) != 0 {
				t.Fatalf("errors: %v", errs)
			}
			if n := d.Anomalies().Total(); n != 0 {
				t.Errorf("%d anomalies", n)
			}
			if got := len(d.Books()); got != len(tc.books) {
				t.Fatalf("%d books, want %d", got, len(tc.books))
			}
			for _, want := range tc.books {
				r := replica(d, want.symbol, want.channel)
				if r == nil {
					t.Fatalf("no book %s/%s", want.symbol, want.channel)
				}
				if r.Stats != want.stats {
					t.Errorf("stats %+v, want %+v", r.Stats, want.stats)
				}
				if r.State() != event.BookLive {
					t.Errorf("state %v, want live", r.State())
				}
				if got := best(r, true); got != want.bid {
					t.Errorf("best bid %q, want %q", got, want.bid)
				}
				if got := best(r, false); got != want.ask {
					t.Errorf("best ask %q, want %q", got, want.ask)
				}
				if r.Book().Len(1) != want.bids || r.Book().Len(2) != want.asks {
					t.Errorf("levels %d/%d, want %d/%d", r.Book().Len(1), r.Book().Len(2), want.bids, want.asks)
				}
				if r.Book().Crossed() {
					t.Error("book crossed")
				}
			}
			trades, buys := 0, 0
			for i := range evs {
				if evs[i].Kind == event.KindTrade {
					trades++
					if evs[i].Trade().Aggressor == event.SideBuy {
						buys++
					}
				}
			}
			if trades != tc.trades || buys != tc.buys {
				t.Errorf("%d trades (%d buys), want %d (%d)", trades, buys, tc.trades, tc.buys)
			}
			if reqs := d.Requests(nil); len(reqs) != 0 {
				t.Errorf("requests %v", reqs)
			}
		})
	}
}

// TestRecordingsReport checks the replay report line of the 2022 snapshot (venue specs section 9).
func TestRecordingsReport(t *testing.T) {
	d := newReplayDecoder()
	if _, errs := run(d, readLines(t, "books_snapshot_2022-08-06.jsonl")); len(errs) != 0 {
		t.Fatal(errs)
	}
	got := string(d.Books()[0].AppendReport(nil, VenueName))
	want := `{"venue":"okx","symbol":"BTC-USDT","channel":"books","messages":1,"applied":1,"dropped":0,` +
		`"gaps":0,"resyncs":0,"checksums_verified":1,"checksum_failures":0,` +
		`"bids":[["0.07014","56"],["0.07011","608"],["0.07009","110"],["0.07006","1264"],["0.07004","2347"],` +
		`["0.07003","279"],["0.07001","52"],["0.06997","91"],["0.06996","4242"],["0.06995","486"]],` +
		`"asks":[["0.07026","5"],["0.07027","765"],["0.07028","110"],["0.0703","1264"],["0.07034","280"],` +
		`["0.07035","2255"],["0.07036","28"],["0.07037","63"],["0.07039","137"],["0.0704","48"]]}`
	if got != want {
		t.Errorf("report\n got %s\nwant %s", got, want)
	}
}

// TestRecordingsTogether replays the books and the trades of the same session in one decoder: the
// BTC-USDT book counts the BTC-USDT trade lines that follow its first message.
func TestRecordingsTogether(t *testing.T) {
	d := newReplayDecoder()
	lines := append(readLines(t, "books_BTC-USDT.jsonl"), readLines(t, "trades.jsonl")...)
	if _, errs := run(d, lines); len(errs) != 0 {
		t.Fatal(errs)
	}
	r := replica(d, "BTC-USDT", "books")
	if r.Stats.Messages != 99+69 {
		t.Errorf("messages %d, want %d", r.Stats.Messages, 99+69)
	}
	if r.Stats.Applied != 98 || r.Stats.ChecksumsVerified != 98 {
		t.Errorf("stats %+v", r.Stats)
	}
}

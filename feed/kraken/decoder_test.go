package kraken

import (
	"errors"
	"strings"
	"testing"

	"ems/core/event"
	"ems/feed"
)

func newV2(t testing.TB, cfg feed.Config) *Decoder {
	t.Helper()
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustDecode(t testing.TB, d feed.Decoder, msg []byte, out *feed.Batch) {
	t.Helper()
	if err := d.Decode(msg, 1, out); err != nil {
		t.Fatalf("%v: %s", err, msg)
	}
}

func replica(t testing.TB, d feed.Decoder, sym string) *feed.Replica {
	t.Helper()
	for _, r := range d.Books() {
		if r.Config().Symbol == sym {
			return r
		}
	}
	t.Fatalf("no book %s", sym)
	return nil
}

func count(out *feed.Batch, k event.Kind) int {
	n := 0
	for _, e := range out.Events() {
		if e.Kind == k {
			n++
		}
	}
	return n
}

// TestRecordings replays every recording of the venue and checks the facts of the venue specs
// (section 6) and the replay report (section 9).
func TestRecordings(t *testing.T) {
	type wantBook struct {
		symbol, channel string
		stats           feed.Stats
		bestBid, bestAk string
	}
	for _, tc := range []struct {
		file   string
		v1     bool
		books  []wantBook
		trades int
	}{
		{file: "docs_v2_book_checksum_example.jsonl", books: []wantBook{{
			symbol: "BTC/USD", stats: feed.Stats{Messages: 1, Applied: 1, ChecksumsVerified: 1},
			bestBid: `["45283.5","0.1"]`, bestAk: `["45285.2","0.001"]`}}},
		{file: "docs_v2_trade_snapshot.jsonl", trades: 2},
		{file: "v1_book1000_xbtchf.jsonl", v1: true, books: []wantBook{{
			symbol: "XBT/CHF", channel: "book-1000",
			stats:   feed.Stats{Messages: 290, Applied: 290, ChecksumsVerified: 289},
			bestBid: `["56060.3","0.05804973"]`, bestAk: `["56194.2","0.017"]`}}},
		{file: "v1_trade.jsonl", v1: true, trades: 8 + 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var d feed.Decoder
			if tc.v1 {
				d, _ = NewV1(feed.Config{InferUnknown: true})
			} else {
				d = newV2(t, feed.Config{InferUnknown: true})
			}
			out := feed.NewBatch(4096)
			trades := 0
			for i, l := range readLines(t, tc.file) {
				if err := d.Decode(l, int64(i), out); err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				trades += count(out, event.KindTrade)
				out.Reset()
			}
			if trades != tc.trades {
				t.Errorf("%d trades, want %d", trades, tc.trades)
			}
			if len(d.Books()) != len(tc.books) {
				t.Fatalf("%d books, want %d", len(d.Books()), len(tc.books))
			}
			for i, w := range tc.books {
				r := d.Books()[i]
				if c := r.Config(); c.Symbol != w.symbol || c.Channel != w.channel {
					t.Errorf("book %d is %s %s, want %s %s", i, c.Symbol, c.Channel, w.symbol, w.channel)
				}
				if r.Stats != w.stats {
					t.Errorf("stats %+v\nwant  %+v", r.Stats, w.stats)
				}
				rep := string(r.AppendReport(nil, "kraken"))
				if !strings.Contains(rep, `"bids":[`+w.bestBid) || !strings.Contains(rep, `"asks":[`+w.bestAk) {
					t.Errorf("report %s\nwant best bid %s, best ask %s", rep, w.bestBid, w.bestAk)
				}
				if r.Book().Crossed() {
					t.Errorf("final book crossed")
				}
				if r.State() != event.BookLive {
					t.Errorf("state %v, want live", r.State())
				}
			}
			if n := d.Anomalies().Total(); n != 0 {
				t.Errorf("%d anomalies", n)
			}
		})
	}
}

func TestV2Trades(t *testing.T) {
	d := newV2(t, feed.Config{Venue: 7, InferUnknown: true})
	out := feed.NewBatch(16)
	mustDecode(t, d, readLines(t, "docs_v2_trade_snapshot.jsonl")[0], out)
	evs := out.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	want := []event.Trade{
		// an unknown symbol's inferred scale widens as text with more places appears
		{Price: 5147, Qty: 642346326, TradeID: 4665846, Aggressor: event.SideBuy},
		{Price: 5147, Qty: 113619677815, TradeID: 4665847, Aggressor: event.SideBuy},
	}
	for i, e := range evs {
		if e.Kind != event.KindTrade || e.Venue != 7 || e.Instrument != 1 || e.Seq != want[i].TradeID {
			t.Errorf("event %d header %+v", i, e)
		}
		if *e.Trade() != want[i] {
			t.Errorf("trade %d = %+v, want %+v", i, *e.Trade(), want[i])
		}
		if e.ExchTS == 0 {
			t.Errorf("trade %d without exchange time", i)
		}
	}
	if evs[0].Flags&event.FlagLastInBatch != 0 || evs[1].Flags&event.FlagLastInBatch == 0 {
		t.Errorf("last-in-batch flags %v %v", evs[0].Flags, evs[1].Flags)
	}
	// 2023-09-25T07:48:36.925533Z
	if evs[0].ExchTS != 1695628116925533000 {
		t.Errorf("exchange time %d", evs[0].ExchTS)
	}
}

func TestV2Ticker(t *testing.T) {
	d := newV2(t, feed.Config{InferUnknown: true})
	out := feed.NewBatch(16)
	bids, asks := docsSnapshot()
	mustDecode(t, d, v2Book("snapshot", "BTC/USD", bids, asks, docsChecksum), out)
	out.Reset()
	mustDecode(t, d, []byte(`{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":45283.5,"bid_qty":0.10000000,"ask":45285.2,"ask_qty":0.00100000,"last":45284.0,"volume":12.5}]}`), out)
	evs := out.Events()
	if len(evs) != 1 || evs[0].Kind != event.KindTopOfBook {
		t.Fatalf("events %+v", evs)
	}
	bp, bq, _ := replica(t, d, "BTC/USD").Book().BestBid()
	ap, aq, _ := replica(t, d, "BTC/USD").Book().BestAsk()
	if got, want := *evs[0].TopOfBook(), (event.TopOfBook{BidPrice: bp, BidQty: bq, AskPrice: ap, AskQty: aq}); got != want {
		t.Errorf("ticker %+v, rebuilt top of book %+v", got, want)
	}
	if m := replica(t, d, "BTC/USD").Stats.Messages; m != 2 {
		t.Errorf("messages %d, want 2 (the ticker line counts for the symbol)", m)
	}
}

// TestV2Updates checks the update rules against the text reference: unordered lists, a repeated
// price applied in order, qty 0 deleting, truncation to the depth with no delete sent by the venue,
// a checksum on every message.
func TestV2Updates(t *testing.T) {
	for _, depth := range []int{10, 25} {
		d := newV2(t, feed.Config{InferUnknown: true, Depth: depth})
		ref := newRefBook(depth)
		out := feed.NewBatch(64)
		bids, asks := docsSnapshot()
		type step struct {
			typ        string
			bids, asks [][2]string
		}
		steps := []step{
			{"snapshot", bids, asks},
			// a new best bid: at depth 10 the worst bid falls out with no delete from the venue
			{"update", [][2]string{{"45284.0", "2.00000000"}}, nil},
			// unordered, with a repeated price (the last one wins) and a delete
			{"update", [][2]string{{"45270.1", "0.50000000"}, {"45283.4", "0.00000000"},
				{"45284.0", "1.00000000"}, {"45284.0", "3.25000000"}}, [][2]string{{"45299.5", "0.00000000"},
				{"45285.1", "0.42000000"}, {"45300.0", "1.00000000"}}},
			// the level coming back into scope after a delete
			{"update", [][2]string{{"45276.6", "0.15445238"}}, nil},
		}
		for i, st := range steps {
			m := refApply(ref, st.typ, "BTC/USD", st.bids, st.asks)
			mustDecode(t, d, m, out)
			r := replica(t, d, "BTC/USD")
			if r.Stats.ChecksumFailures != 0 {
				t.Fatalf("depth %d message %d: checksum failure\n%s", depth, i, m)
			}
			if got, want := reportBooks(r), refReport(ref); got != want {
				t.Fatalf("depth %d message %d:\nbook %s\nref  %s", depth, i, got, want)
			}
			if n := r.Book().Len(1); n > depth {
				t.Fatalf("depth %d: %d bids kept", depth, n)
			}
		}
		r := replica(t, d, "BTC/USD")
		if r.Stats.ChecksumsVerified != 4 || r.Stats.Applied != 4 {
			t.Errorf("depth %d: stats %+v", depth, r.Stats)
		}
		if depth == 10 {
			// The truncated bid is reported downstream as a delete.
			deletes := 0
			for _, e := range out.Events() {
				if e.Kind == event.KindBookLevel && e.BookLevel().Qty == 0 {
					deletes++
				}
			}
			if deletes == 0 {
				t.Errorf("no delete event for the levels truncated at depth 10")
			}
		}
	}
}

// TestV2Depth checks where the truncation depth comes from: the ack, then Config.Depth, then the
// size of the snapshot rounded up to a depth Kraken offers.
func TestV2Depth(t *testing.T) {
	bids, asks := docsSnapshot()
	snap10 := v2Book("snapshot", "BTC/USD", bids, asks, docsChecksum)
	more := append(append([][2]string(nil), bids...), [2]string{"45276.5", "1.00000000"}, [2]string{"45276.4", "1.00000000"})
	ref := newRefBook(25)
	snap12 := refApply(ref, "snapshot", "BTC/USD", more, asks)
	ack := func(depth string) []byte {
		return []byte(`{"method":"subscribe","result":{"channel":"book","depth":` + depth +
			`,"snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":"2023-10-06T17:35:55.000000Z","time_out":"2023-10-06T17:35:55.000100Z"}`)
	}
	for _, tc := range []struct {
		name  string
		cfg   int
		msgs  [][]byte
		depth int
	}{
		{"snapshot of 10", 0, [][]byte{snap10}, 10},
		{"snapshot of 12", 0, [][]byte{snap12}, 25},
		{"grows with a larger snapshot", 0, [][]byte{snap10, snap12}, 25},
		{"config", 100, [][]byte{snap12}, 100},
		{"ack before the book", 10, [][]byte{ack("500"), snap10}, 500},
		{"ack after the book", 0, [][]byte{snap10, ack("1000")}, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newV2(t, feed.Config{InferUnknown: true, Depth: tc.cfg})
			out := feed.NewBatch(64)
			for _, m := range tc.msgs {
				mustDecode(t, d, m, out)
			}
			if got := replica(t, d, "BTC/USD").Config().Depth; got != tc.depth {
				t.Errorf("depth %d, want %d", got, tc.depth)
			}
		})
	}
	if _, err := New(feed.Config{Depth: 5}); !errors.Is(err, errDepth) {
		t.Errorf("New with depth 5: %v", err)
	}
	d := newV2(t, feed.Config{InferUnknown: true})
	if err := d.Decode(ack("5"), 0, feed.NewBatch(1)); err == nil || d.an.Count(kindBadDepth) != 1 {
		t.Errorf("ack of depth 5: %v", err)
	}
}

// TestV2Resync: a corrupted level fails its checksum, invalidates the book, requests a
// resubscription, the book's updates are dropped, and the next snapshot counts a resync.
func TestV2Resync(t *testing.T) {
	d := newV2(t, feed.Config{InferUnknown: true})
	out := feed.NewBatch(64)
	good := readLines(t, "docs_v2_book_checksum_example.jsonl")[0]
	bad := []byte(strings.Replace(string(good), `"qty":1.54582015`, `"qty":1.54582016`, 1))
	ref := newRefBook(10)
	bids, asks := docsSnapshot()
	refApply(ref, "snapshot", "BTC/USD", bids, asks)
	upd := refApply(ref, "update", "BTC/USD", [][2]string{{"45283.4", "2.00000000"}}, nil)

	mustDecode(t, d, bad, out)
	r := replica(t, d, "BTC/USD")
	if r.State() != event.BookInvalid || r.Stats.ChecksumFailures != 1 || r.Stats.Applied != 0 {
		t.Fatalf("after the corrupted snapshot: state %v, stats %+v", r.State(), r.Stats)
	}
	last := out.Events()[out.Len()-1]
	if last.Kind != event.KindBookStatus || last.BookStatus().State != event.BookInvalid ||
		last.BookStatus().Reason != event.BookReasonChecksum {
		t.Errorf("last event %+v, want BookStatus invalid/checksum", last)
	}
	reqs := d.Requests(nil)
	if len(reqs) != 1 || reqs[0].Kind != feed.RequestResubscribe || reqs[0].Replica != r {
		t.Fatalf("requests %+v", reqs)
	}
	if len(d.Requests(nil)) != 0 {
		t.Errorf("requests not forgotten")
	}
	if !r.Book().Empty() {
		t.Errorf("an invalid book shows levels")
	}
	mustDecode(t, d, upd, out)
	if r.Stats.Dropped != 1 {
		t.Errorf("update on an invalid book: dropped %d, want 1", r.Stats.Dropped)
	}
	mustDecode(t, d, good, out)
	mustDecode(t, d, upd, out)
	want := feed.Stats{Messages: 4, Applied: 2, Dropped: 1, Resyncs: 1, ChecksumsVerified: 2, ChecksumFailures: 1}
	if r.Stats != want || r.State() != event.BookLive {
		t.Errorf("after the resync: state %v, stats %+v\nwant %+v", r.State(), r.Stats, want)
	}
	if len(d.Requests(nil)) != 0 {
		t.Errorf("a request after a good resync")
	}
}

// TestV2KnownScales: with the instrument master's scales (finer than the wire's, or equal), the
// checksum still formats the wire's precision.
func TestV2KnownScales(t *testing.T) {
	for _, sc := range []feed.Scales{{Price: 1, Qty: 8, Tick: 1}, {Price: 4, Qty: 10, Tick: 1000}} {
		sc.Known = true
		resolve := func(sym []byte) (uint32, feed.Scales, bool) {
			return 42, sc, string(sym) == "BTC/USD"
		}
		d := newV2(t, feed.Config{Resolve: resolve})
		out := feed.NewBatch(64)
		decodeAll(t, d, readLines(t, "docs_v2_book_checksum_example.jsonl"), out, false)
		r := replica(t, d, "BTC/USD")
		if r.Stats.ChecksumsVerified != 1 || r.Config().Instrument != 42 || r.PriceScale() != sc.Price {
			t.Errorf("scales %+v: stats %+v, instrument %d, scale %d", sc, r.Stats, r.Config().Instrument, r.PriceScale())
		}
		// A symbol the master does not know is an anomaly when scales may not be inferred.
		err := d.Decode([]byte(`{"channel":"book","type":"snapshot","data":[{"symbol":"ETH/USD","bids":[],"asks":[],"checksum":0}]}`), 0, out)
		if !errors.Is(err, errUnknown) || d.an.Count(kindUnknownSymbol) != 1 || len(d.Books()) != 1 {
			t.Errorf("unknown symbol: %v", err)
		}
	}
}

func TestV2MultiSymbol(t *testing.T) {
	d := newV2(t, feed.Config{InferUnknown: true})
	out := feed.NewBatch(64)
	eth := [][2]string{{"1600.10", "2.0000"}}
	ethAsk := [][2]string{{"1600.20", "1.5000"}}
	ethSum := textChecksum(ethAsk, eth)
	bids, asks := docsSnapshot()
	a := string(v2Book("snapshot", "BTC/USD", bids, asks, docsChecksum))
	b := string(v2Book("snapshot", "ETH/USD", eth, ethAsk, ethSum))
	both := a[:strings.Index(a, "]}")] + "," + b[strings.Index(b, `{"symbol"`):]
	mustDecode(t, d, []byte(both), out)
	mustDecode(t, d, []byte(`{"channel":"trade","type":"update","data":[{"symbol":"ETH/USD","side":"sell","price":1600.10,"qty":0.5000,"ord_type":"market","trade_id":1,"timestamp":"2023-10-06T17:35:56.000000Z"},{"symbol":"ETH/USD","side":"sell","price":1600.10,"qty":0.2500,"ord_type":"market","trade_id":2,"timestamp":"2023-10-06T17:35:56.000000Z"}]}`), out)
	for _, sym := range []string{"BTC/USD", "ETH/USD"} {
		r := replica(t, d, sym)
		if r.Stats.Applied != 1 || r.Stats.ChecksumsVerified != 1 || r.State() != event.BookLive {
			t.Errorf("%s: %+v", sym, r.Stats)
		}
	}
	if m := replica(t, d, "ETH/USD").Stats.Messages; m != 2 {
		t.Errorf("ETH/USD messages %d, want 2 (a line counts once per symbol)", m)
	}
	if id := replica(t, d, "ETH/USD").Config().Instrument; id != 2 {
		t.Errorf("ETH/USD instrument %d, want 2 (ids in first-seen order)", id)
	}
}

func TestV2Control(t *testing.T) {
	for _, tc := range []struct {
		name, msg string
		kind      string // anomaly expected ("": none)
		foreign   bool
	}{
		{"status", `{"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":123,"system":"online","version":"2.0.0"}]}`, "", false},
		{"heartbeat", `{"channel":"heartbeat"}`, "", false},
		{"ack", `{"method":"subscribe","result":{"channel":"trade","snapshot":false,"symbol":"BTC/USD"},"success":true,"time_in":"x","time_out":"y"}`, "", false},
		{"pong", `{"method":"pong","req_id":1,"success":true,"time_in":"x","time_out":"y"}`, "", false},
		{"ohlc", `{"channel":"ohlc","type":"update","data":[{"symbol":"BTC/USD","open":1}]}`, "", false},
		{"rejected", `{"error":"Currency pair not supported ALGO/USDX","method":"subscribe","success":false,"symbol":"ALGO/USDX","time_in":"x","time_out":"y"}`, kindRejected, false},
		{"bad json", `{"channel":`, kindBadJSON, false},
		{"bad type", `{"channel":"book","type":"delta","data":[]}`, kindBadBook, false},
		{"no data", `{"channel":"book","type":"update"}`, kindBadBook, false},
		{"no symbol", `{"channel":"book","type":"update","data":[{"bids":[]}]}`, kindBadBook, false},
		{"bad trade", `{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","price":"x","qty":1}]}`, kindBadTrade, false},
		{"binance", `{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]}`, kindForeign, true},
		{"okx", `{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[]}`, kindForeign, true},
		{"coinbase", `{"channel":"l2_data","client_id":"","timestamp":"x","sequence_num":0,"events":[]}`, kindForeign, true},
		{"kraken v1 frame", `[464,{"a":[["1.0","1.0","1.0"]],"c":"1"},"book-10","XBT/CHF"]`, kindForeign, true},
		{"kraken v1 event", `{"event":"heartbeat"}`, kindForeign, true},
		{"number", `42`, kindForeign, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newV2(t, feed.Config{InferUnknown: true})
			out := feed.NewBatch(8)
			err := d.Decode([]byte(tc.msg), 0, out)
			if (err != nil) != (tc.kind != "") {
				t.Fatalf("error %v, want anomaly %q", err, tc.kind)
			}
			if errors.Is(err, feed.ErrForeign) != tc.foreign {
				t.Errorf("foreign: %v", err)
			}
			if tc.kind != "" && d.an.Count(tc.kind) != 1 {
				t.Errorf("anomaly %q not counted (%d in all)", tc.kind, d.an.Total())
			}
			if tc.kind == kindRejected && !strings.Contains(err.Error(), "Currency pair not supported") {
				t.Errorf("rejection without the venue's text: %v", err)
			}
			if tc.kind == "" && out.Len() != 0 {
				t.Errorf("%d events for a control message", out.Len())
			}
		})
	}
}

// TestV2BadLevel: a level that does not parse leaves the book half applied: it is invalidated and
// resubscribed, and the message is an anomaly.
func TestV2BadLevel(t *testing.T) {
	d := newV2(t, feed.Config{InferUnknown: true})
	out := feed.NewBatch(64)
	bids, asks := docsSnapshot()
	mustDecode(t, d, v2Book("snapshot", "BTC/USD", bids, asks, docsChecksum), out)
	for i, m := range []string{
		`{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":1e5,"qty":1.0}],"asks":[],"checksum":1}]}`,
		`{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":-1.0}],"asks":[],"checksum":1}]}`,
		`{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5}],"asks":[],"checksum":1}]}`,
		`{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":-3}]}`,
	} {
		if err := d.Decode([]byte(m), 0, out); err == nil {
			t.Errorf("message %d: no error", i)
		}
		r := replica(t, d, "BTC/USD")
		if r.State() != event.BookInvalid || len(d.Requests(nil)) != 1 {
			t.Errorf("message %d: state %v", i, r.State())
		}
		mustDecode(t, d, v2Book("snapshot", "BTC/USD", bids, asks, docsChecksum), out)
	}
}

func TestRFC3339(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"2023-09-25T07:48:36.925533Z", 1695628116925533000, true},
		{"1970-01-01T00:00:00Z", 0, true},
		{"2000-02-29T12:00:00.5Z", 951825600500000000, true},
		{"2024-12-31T23:59:59.123456789Z", 1735689599123456789, true},
		{"2023-09-25 07:48:36Z", 0, false},
		{"2023-09-25T07:48:36+00:00", 0, false},
		{"2023-13-25T07:48:36Z", 0, false},
		{"2023-09-25T07:48:36.Z", 0, false},
		{"2023-09-25T07:48:36.1234567890Z", 0, false},
		{"", 0, false},
	} {
		got, ok := parseRFC3339([]byte(tc.in))
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseRFC3339(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

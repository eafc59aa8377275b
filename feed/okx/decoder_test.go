package okx

import (
	"errors"
	"testing"

	"ems/core/event"
	"ems/feed"
)

// TestNonBookMessages: acks, notices, pong and other channels are not errors; venue errors are
// anomalies with their code; other shapes are foreign or malformed.
func TestNonBookMessages(t *testing.T) {
	tests := []struct {
		name    string
		msg     string
		err     error  // errors.Is target; nil: no error
		anyErr  bool   // an error without a sentinel
		anomaly string // "" none
	}{
		{"pong", `pong`, nil, false, ""},
		{"subscribe-ack", `{"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"}`, nil, false, ""},
		{"unsubscribe-ack", `{"id":"1","event":"unsubscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"}`, nil, false, ""},
		{"login", `{"event":"login","code":"0","msg":"","connId":"a4d3ae55"}`, nil, false, ""},
		{"notice", `{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade.","connId":"a4d3ae55"}`, nil, false, ""},
		{"conn-count", `{"event":"channel-conn-count","channel":"orders","connCount":"2","connId":"abcd1234"}`, nil, false, ""},
		{"error", `{"event":"error","code":"60012","msg":"Invalid request: {\"op\": \"subscribe\"}","connId":"a4d3ae55"}`, ErrVenue, false, "error 60012"},
		{"error-64003", `{"id":"2","event":"error","code":"64003","msg":"Your trading fee tier doesn't meet the requirement to access this channel","connId":"x"}`, ErrVenue, false, "error 64003"},
		{"unknown-event", `{"event":"surprise"}`, nil, true, "unknown event"},
		{"event-number", `{"event":5}`, nil, true, "bad event"},
		{"tickers", `{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","last":"9999.99"}]}`, nil, false, ""},
		{"orders-private", `{"arg":{"channel":"orders","instType":"SPOT","uid":"1"},"data":[{"instId":"BTC-USDT"}]}`, nil, false, ""},
		{"missing-instid", `{"arg":{"channel":"books"},"action":"snapshot","data":[]}`, nil, true, "missing instId"},
		{"missing-data", `{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot"}`, nil, true, "missing data"},
		{"bad-json", `{"arg":`, nil, true, "bad json"},
		{"text", `ping`, nil, true, "bad json"},
		{"binance-diff", `{"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[],"a":[]}`, feed.ErrForeign, false, "foreign message"},
		{"binance-combined", `{"stream":"nknusdt@depth@100ms","data":{"e":"depthUpdate"}}`, feed.ErrForeign, false, "foreign message"},
		{"kraken-v1", `[336,{"a":[["5541.30000","2.50700000","1534614248.456738"]]},"book-10","XBT/USD"]`, feed.ErrForeign, false, "foreign message"},
		{"bybit", `{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":1,"seq":1}}`, feed.ErrForeign, false, "foreign message"},
		{"arg-string", `{"arg":"books"}`, feed.ErrForeign, false, "foreign message"},
	}
	for _, tc := range tests {
		t.Run("msg="+tc.name, func(t *testing.T) {
			d := newReplayDecoder()
			out := feed.NewBatch(8)
			err := d.Decode([]byte(tc.msg), 1, out)
			switch {
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Errorf("err %v, want %v", err, tc.err)
				}
			case tc.anyErr:
				if err == nil {
					t.Error("no error")
				}
			default:
				if err != nil {
					t.Errorf("err %v", err)
				}
			}
			if tc.anomaly == "" {
				if n := d.Anomalies().Total(); n != 0 {
					t.Errorf("%d anomalies", n)
				}
			} else if d.Anomalies().Count(tc.anomaly) != 1 || d.Anomalies().Total() != 1 {
				t.Errorf("anomaly %q not counted alone (total %d)", tc.anomaly, d.Anomalies().Total())
			}
			if out.Len() != 0 || len(d.Books()) != 0 {
				t.Errorf("%d events, %d books", out.Len(), len(d.Books()))
			}
		})
	}
}

// TestResolve: resolved symbols take the master's id and scales; unknown ones are skipped (live)
// or numbered in first-seen order (replay).
func TestResolve(t *testing.T) {
	resolve := func(sym []byte) (uint32, feed.Scales, bool) {
		if string(sym) == "BTC-USDT" {
			return 42, feed.Scales{Price: 2, Qty: 8, Tick: 10, Known: true}, true
		}
		return 0, feed.Scales{}, false
	}
	snap := func(inst string) []byte {
		return bookPush("books", inst, "snapshot", []lv{{"30000.1", "0.5"}}, []lv{{"30000.2", "1"}}, pushOpts{})
	}
	t.Run("live", func(t *testing.T) {
		d := New(feed.Config{Venue: 3, Resolve: resolve})
		out := feed.NewBatch(16)
		if err := d.Decode(snap("BTC-USDT"), 1, out); err != nil {
			t.Fatal(err)
		}
		e := out.Events()[0]
		if e.Venue != 3 || e.Instrument != 42 || e.BookLevel().Price != 3000010 || e.BookLevel().Qty != 50000000 {
			t.Errorf("event %+v %+v", e, *e.BookLevel())
		}
		if err := d.Decode(snap("ETH-USDT"), 2, out); err == nil || d.Anomalies().Count("unknown symbol") != 1 {
			t.Errorf("unknown symbol: err %v, anomalies %d", err, d.Anomalies().Total())
		}
		if len(d.Books()) != 1 {
			t.Errorf("%d books", len(d.Books()))
		}
	})
	t.Run("off-tick", func(t *testing.T) {
		d := New(feed.Config{Venue: 3, Resolve: resolve})
		msg := bookPush("books", "BTC-USDT", "snapshot", []lv{{"30000.15", "0.5"}}, nil, pushOpts{})
		if err := d.Decode(msg, 1, feed.NewBatch(8)); err == nil || d.Anomalies().Count("bad level") != 1 {
			t.Errorf("err %v anomalies %d", err, d.Anomalies().Total())
		}
	})
	t.Run("replay", func(t *testing.T) {
		d := New(feed.Config{Venue: 3, Resolve: resolve, InferUnknown: true})
		out := feed.NewBatch(16)
		for i, inst := range []string{"ETH-USDT", "BTC-USDT", "SOL-USDT", "ETH-USDT"} {
			if err := d.Decode(snap(inst), int64(i), out); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]event.InstrumentID{"ETH-USDT": 1, "BTC-USDT": 42, "SOL-USDT": 2}
		for _, r := range d.Books() {
			if r.Config().Instrument != want[r.Config().Symbol] {
				t.Errorf("%s: id %d", r.Config().Symbol, r.Config().Instrument)
			}
		}
		if len(d.Books()) != 3 {
			t.Errorf("%d books", len(d.Books()))
		}
	})
}

// TestFullPushChannels: books5 and bbo-tbt replace the book on every push and emit TopOfBook.
func TestFullPushChannels(t *testing.T) {
	push := func(ch string, bids, asks []lv, seq int64) []byte {
		b := bookPush(ch, "BTC-USDT", "", bids, asks, pushOpts{})
		if seq > 0 { // newer pushes carry a seqId but no prevSeqId
			b = append(b[:len(b)-3], []byte(`,"seqId":`+itoa(seq)+`}]}`)...)
		}
		return b
	}
	d := newReplayDecoder()
	lines := [][]byte{
		push("books5", []lv{{"10", "1"}, {"9", "2"}}, []lv{{"11", "3"}, {"12", "4"}}, 0),
		push("books5", []lv{{"10", "5"}}, []lv{{"13", "6"}}, 123),
		push("bbo-tbt", []lv{{"10", "5"}}, []lv{{"13", "6"}}, 124),
		push("bbo-tbt", nil, []lv{{"14", "7"}}, 125), // one side empty
	}
	evs, errs := run(d, lines)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var tops []event.TopOfBook
	var seqs []uint64
	for i := range evs {
		if evs[i].Kind == event.KindTopOfBook {
			tops = append(tops, *evs[i].TopOfBook())
			seqs = append(seqs, evs[i].Seq)
		}
	}
	want := []event.TopOfBook{
		{BidPrice: 10, BidQty: 1, AskPrice: 11, AskQty: 3},
		{BidPrice: 10, BidQty: 5, AskPrice: 13, AskQty: 6},
		{BidPrice: 10, BidQty: 5, AskPrice: 13, AskQty: 6},
		{AskPrice: 14, AskQty: 7},
	}
	if len(tops) != len(want) {
		t.Fatalf("tops %+v", tops)
	}
	for i := range want {
		if tops[i] != want[i] {
			t.Errorf("top %d %+v, want %+v", i, tops[i], want[i])
		}
	}
	if !equalU64(seqs, []uint64{0, 123, 124, 125}) {
		t.Errorf("seqs %v", seqs)
	}
	b5, bbo := replica(d, "BTC-USDT", "books5"), replica(d, "BTC-USDT", "bbo-tbt")
	if b5 == nil || bbo == nil {
		t.Fatal("missing books")
	}
	// Messages counts every line of the instId, from its first one on.
	if b5.Stats != (feed.Stats{Messages: 4, Applied: 2}) || bbo.Stats != (feed.Stats{Messages: 4, Applied: 2}) {
		t.Errorf("stats %+v / %+v", b5.Stats, bbo.Stats)
	}
	if b5.Book().Len(1) != 1 || b5.Book().Len(2) != 1 || bbo.Book().Len(1) != 0 {
		t.Errorf("levels %d/%d, bbo bids %d", b5.Book().Len(1), b5.Book().Len(2), bbo.Book().Len(1))
	}
}

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; v > 0; v /= 10 {
		i--
		b[i] = byte('0' + v%10)
	}
	return string(b[i:])
}

// TestTrades checks the trade fields on the real recording.
func TestTrades(t *testing.T) {
	d := newReplayDecoder()
	evs, errs := run(d, readLines(t, "trades.jsonl"))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	// {"instId":"BTC-USD-220527","tradeId":"7849","px":"30218.8","sz":"1","side":"buy","ts":"1652459199958"}
	e := evs[0]
	tr := e.Trade()
	if e.Kind != event.KindTrade || e.Instrument != 1 || e.Venue != 7 || e.Seq != 7849 ||
		e.ExchTS != 1652459199958_000_000 || e.RecvTS != 1 || e.Flags != event.FlagLastInBatch ||
		tr.Price != 302188 || tr.Qty != 1 || tr.TradeID != 7849 || tr.Aggressor != event.SideBuy {
		t.Errorf("first trade %+v %+v", e, *tr)
	}
	// Last line: BTC-USDT (id 3) "338476375" "30227.6" "0.00000088" buy.
	e = evs[len(evs)-1]
	tr = e.Trade()
	if e.Instrument != 3 || tr.TradeID != 338476375 || tr.Price != 302276 || tr.Qty != 88 {
		t.Errorf("last trade %+v %+v", e, *tr)
	}
}

// TestTradeEdges covers trade ids that are not numbers, sides and malformed trades.
func TestTradeEdges(t *testing.T) {
	if got := feed.TradeID([]byte("12345")); got != 12345 {
		t.Errorf("tradeID numeric %d", got)
	}
	if a, b := feed.TradeID([]byte("abc")), feed.TradeID([]byte("abd")); a == b || a == 0 {
		t.Errorf("tradeID hashes %d %d", a, b)
	}
	if got := feed.TradeID([]byte("99999999999999999999")); got == 0 { // 20 digits: hashed, no overflow
		t.Error("20-digit id")
	}
	d := newReplayDecoder()
	out := feed.NewBatch(8)
	msg := `{"arg":{"channel":"trades-all","instId":"A-B"},"data":[` +
		`{"tradeId":"1","px":"1.5","sz":"2","side":"sell","ts":"1"},` +
		`{"tradeId":"2","px":"x","sz":"2","side":"sell","ts":"1"},` +
		`{"tradeId":"3","px":"1.25","sz":"3","side":"?","ts":"2"}]}`
	if err := d.Decode([]byte(msg), 9, out); err == nil || d.Anomalies().Count("bad trade") != 1 {
		t.Fatalf("err %v anomalies %d", err, d.Anomalies().Total())
	}
	evs := out.Events()
	if len(evs) != 2 || evs[0].Trade().Aggressor != event.SideSell || evs[1].Trade().Aggressor != event.SideNone ||
		evs[0].Flags != 0 || evs[1].Flags != event.FlagLastInBatch {
		t.Errorf("events %+v", evs)
	}
	// Inferred trade scales widen: 1.5 at scale 1, then 1.25 at scale 2.
	if evs[0].Trade().Price != 15 || evs[1].Trade().Price != 125 {
		t.Errorf("prices %d %d", evs[0].Trade().Price, evs[1].Trade().Price)
	}
}

// TestErrorKindsInterned: counting a venue error code seen before allocates no new kind.
func TestErrorKindsInterned(t *testing.T) {
	d := newReplayDecoder()
	msg := []byte(`{"event":"error","code":"60012","msg":"x"}`)
	for i := 0; i < 3; i++ {
		_ = d.Decode(msg, 1, feed.NewBatch(1))
	}
	if d.Anomalies().Count("error 60012") != 3 || len(d.errKinds) != 1 {
		t.Errorf("count %d kinds %d", d.Anomalies().Count("error 60012"), len(d.errKinds))
	}
}

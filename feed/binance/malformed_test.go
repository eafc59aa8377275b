package binance

import (
	"errors"
	"strings"
	"testing"

	"ems/core/event"
	"ems/feed"
)

// TestMessages covers every kind of message a Binance connection (or a wrong file) can bring that
// is not a book update of a known book: skipped quietly, noted as an anomaly, or foreign.
func TestMessages(t *testing.T) {
	const diff = `{"e":"depthUpdate","E":1,"s":"NKNUSDT","U":5,"u":6,"b":[["0.35","1"]],"a":[]}`
	tests := []struct {
		name    string
		msg     string
		foreign bool
		anomaly string // "": no error
	}{
		{"ack", `{"result":null,"id":1}`, false, ""},
		{"ws-api-response", `{"id":"x","status":200,"result":{"orderId":1}}`, false, ""},
		{"ws-api-request", `{"id":"x","method":"order.place","params":{}}`, false, ""},
		{"user-data", `{"subscriptionId":0,"event":{"e":"executionReport","s":"BTCUSDT"}}`, false, ""},
		{"kline", `{"stream":"nknusdt@kline_1m","data":{"e":"kline","E":1,"s":"NKNUSDT","k":{}}}`, false, ""},
		{"ticker-array", `[{"e":"24hrTicker","s":"BTCUSDT"}]`, false, ""},
		{"partial-depth", `{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}`, false, ""},
		{"error", `{"error":{"code":2,"msg":"Invalid request"},"id":3}`, false, "error response"},
		{"stream-error", `{"code":0,"msg":"Unknown property","id":1}`, false, "error response"},
		{"ws-api-error", `{"id":"x","status":400,"error":{"code":-1102,"msg":"bad"}}`, false, "error response"},
		{"bad-json", `{"e":`, false, "bad json"},
		{"unknown-event", `{"e":"somethingNew","s":"NKNUSDT"}`, false, "unknown event"},
		{"no-data", `{"stream":"nknusdt@depth"}`, false, "bad envelope"},
		{"no-U", `{"e":"depthUpdate","s":"NKNUSDT","u":6,"b":[],"a":[]}`, false, "bad update ids"},
		{"u<U", `{"e":"depthUpdate","s":"NKNUSDT","U":7,"u":6,"b":[],"a":[]}`, false, "bad update ids"},
		{"U-string", `{"e":"depthUpdate","s":"NKNUSDT","U":"5","u":6,"b":[],"a":[]}`, false, "bad update ids"},
		{"bad-level", `{"e":"depthUpdate","s":"NKNUSDT","U":5,"u":6,"b":[["0.35"]],"a":[]}`, false, "bad levels"},
		{"lowercase-symbol", `{"e":"depthUpdate","s":"nknusdt","U":5,"u":6,"b":[],"a":[]}`, false, "bad symbol"},
		{"no-symbol", `{"e":"trade","t":1,"p":"1","q":"1","m":true}`, false, "bad symbol"},
		{"trade-no-m", `{"e":"trade","s":"NKNUSDT","t":1,"p":"1","q":"1"}`, false, "bad trade"},
		{"trade-bad-price", `{"e":"trade","s":"NKNUSDT","t":1,"p":"1x","q":"1","m":true}`, false, "bad trade"},
		{"trade-negative", `{"e":"trade","s":"NKNUSDT","t":1,"p":"-1","q":"1","m":true}`, false, "bad trade"},
		{"ticker-no-A", `{"u":1,"s":"NKNUSDT","b":"1","B":"1","a":"2"}`, false, "bad bookTicker"},
		{"futures-diff", `{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":5,"u":6,"pu":4,"b":[],"a":[]}`, true, "foreign message"},
		{"okx", `{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1","checksum":0,"seqId":2,"prevSeqId":1}]}`, true, "foreign message"},
		{"okx-ack", `{"id":"1","op":"order","data":[],"code":"0","msg":""}`, true, "foreign message"},
		{"bybit", `{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":2,"seq":3}}`, true, "foreign message"},
		{"coinbase", `{"channel":"l2_data","client_id":"","timestamp":"t","sequence_num":0,"events":[]}`, true, "foreign message"},
		{"kraken-v1", `[336,{"a":[["5541.2","1.0","1534614248.4"]]},"book-10","XBT/USD"]`, true, "foreign message"},
		{"kraken-v2", `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":1}]}`, true, "foreign message"},
		{"kraken-error", `{"error":"Currency pair not supported","method":"subscribe","success":false}`, true, "foreign message"},
		{"e-number", `{"e":5}`, true, "foreign message"},
		{"string", `"hello"`, true, "foreign message"},
		{"empty-array", `[]`, true, "foreign message"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newInfer()
			out := feed.NewBatch(64)
			err := d.Decode([]byte(tc.msg), 1, out)
			if (err != nil) != (tc.anomaly != "") {
				t.Fatalf("err = %v, want anomaly %q", err, tc.anomaly)
			}
			if errors.Is(err, feed.ErrForeign) != tc.foreign {
				t.Errorf("err = %v, foreign %v", err, tc.foreign)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "binance: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if tc.anomaly != "" && d.Anomalies().Count(tc.anomaly) != 1 {
				t.Errorf("anomaly %q not counted (total %d)", tc.anomaly, d.Anomalies().Total())
			}
			if tc.anomaly == "" && d.Anomalies().Total() != 0 {
				t.Errorf("%d anomalies for a message to skip", d.Anomalies().Total())
			}
			// The decoder stays usable.
			if err := d.Decode([]byte(diff), 2, out); err != nil {
				t.Errorf("next diff: %v", err)
			}
		})
	}
}

// TestBadLevelInLiveBook: a live book given a diff it cannot apply is invalidated and a snapshot
// is requested, as for a gap (the book may differ from the venue's).
func TestBadLevelInLiveBook(t *testing.T) {
	d := newInfer()
	out := feed.NewBatch(64)
	body := `{"lastUpdateId":10,"bids":[["1.00","5"]],"asks":[["1.10","5"]]}`
	if err := d.LoadSnapshot("ABCUSDT", []byte(body), 0, out); err != nil {
		t.Fatal(err)
	}
	bad := `{"e":"depthUpdate","E":1,"s":"ABCUSDT","U":11,"u":11,"b":[["1.01","2"],["x","1"]],"a":[]}`
	if err := d.Decode([]byte(bad), 1, out); err == nil {
		t.Fatal("no error")
	}
	r := d.Books()[0]
	if r.State() != event.BookInvalid || d.Anomalies().Count("bad levels") != 1 {
		t.Errorf("state %v anomalies %d", r.State(), d.Anomalies().Total())
	}
	if reqs := d.Requests(nil); len(reqs) != 1 || reqs[0].Replica != r {
		t.Errorf("requests %v", reqs)
	}
	if err := d.LoadSnapshot("ABCUSDT", []byte(body), 0, out); err != nil {
		t.Fatal(err)
	}
	if r.State() != event.BookLive || r.Stats.Resyncs != 1 {
		t.Errorf("state %v stats %+v", r.State(), r.Stats)
	}
}

// TestKnownScales: with a resolver the book uses the instrument's scales and tick, and trades are
// stamped with its instrument id; an unknown symbol is refused when scales may not be inferred.
func TestKnownScales(t *testing.T) {
	resolve := func(sym []byte) (uint32, feed.Scales, bool) {
		if string(sym) == "NKNUSDT" {
			return 42, feed.Scales{Price: 5, Qty: 2, Tick: 1, Known: true}, true
		}
		return 0, feed.Scales{}, false
	}
	d := New(feed.Config{Venue: 7, Resolve: resolve})
	out := feed.NewBatch(4096)
	snap := readLines(t, snapshotFile)[0]
	if err := d.LoadSnapshot("NKNUSDT", snap.msg, snap.recv, out); err != nil {
		t.Fatal(err)
	}
	for _, l := range readLines(t, allFile) {
		if err := d.Decode(l.msg, l.recv, out); err != nil {
			t.Fatal(err)
		}
	}
	r := d.Books()[0]
	if r.PriceScale() != 5 || r.Stats.Applied != 149 {
		t.Fatalf("scale %d stats %+v", r.PriceScale(), r.Stats)
	}
	if got := bookTop(r); got != (top{"0.3527", "9602", "0.3531", "152"}) {
		t.Errorf("top %+v", got)
	}
	for _, e := range out.Events() {
		if e.Venue != 7 || e.Instrument != 42 {
			t.Fatalf("event stamped venue %d instrument %d", e.Venue, e.Instrument)
		}
	}
	err := d.Decode([]byte(`{"e":"trade","s":"BTCUSDT","t":1,"p":"1","q":"1","m":true}`), 1, out)
	if !errors.Is(err, ErrUnknownSymbol) || d.Anomalies().Count("unknown symbol") != 1 {
		t.Errorf("err %v", err)
	}
}

func TestTradeFields(t *testing.T) {
	d := newInfer()
	out := feed.NewBatch(16)
	for _, l := range readLines(t, "ws_trade.jsonl") {
		if err := d.Decode(l.msg, l.recv, out); err != nil {
			t.Fatal(err)
		}
	}
	evs := out.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events", len(evs))
	}
	want := []struct {
		inst       event.InstrumentID
		seq        uint64
		px, qty    string
		aggressor  event.Side
		exchTS     int64
		pxScale    uint8
		instrument string
	}{
		{1, 40756030, "0.0042699", "33.82", event.SideBuy, 1554076800940e6, 8, "BNBBTC"},
		{1, 60276726, "0.0021965", "6.48", event.SideSell, 1567296001034e6, 8, "BNBBTC"},
		{2, 705291099, "4149.74", "0.4387", event.SideSell, 1639351062243e6, 8, "ETHUSDT"},
	}
	for i, w := range want {
		e := &evs[i]
		tr := e.Trade()
		in := d.bySymbol[w.instrument]
		if e.Kind != event.KindTrade || e.Instrument != w.inst || e.Seq != w.seq || tr.TradeID != w.seq ||
			dec(tr.Price, in.r.PriceScale()) != w.px || dec(tr.Qty, in.r.QtyScale()) != w.qty ||
			tr.Aggressor != w.aggressor || e.ExchTS != w.exchTS || in.r.PriceScale() != w.pxScale {
			t.Errorf("trade %d: %+v %+v", i, *e, *tr)
		}
	}
	if len(d.Books()) != 0 {
		t.Errorf("trades listed %d books", len(d.Books()))
	}
}

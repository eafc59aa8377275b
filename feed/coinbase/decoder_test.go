package coinbase

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

func TestLevel2Apply(t *testing.T) {
	d := New(feed.Config{Venue: 4, Resolve: func(s []byte) (uint32, feed.Scales, bool) {
		return 21, feed.Scales{Price: 2, Qty: 8, Tick: 1, Known: true}, string(s) == "BTC-USD"
	}})
	evs := decodeAll(t, d, nil,
		l2(1, "snapshot", "BTC-USD", "bid:21921.73:0.06317902", "bid:21921.3:0.02", "offer:21922:1.5"),
		l2(2, "update", "BTC-USD", "bid:21921.3:0", "offer:21922.5:0.1", "offer:21922:0.00000000", "bid:21900:2"),
	)
	r := d.Books()[0]
	b := r.Book()
	if b.Len(book.Bid) != 2 || b.Len(book.Ask) != 1 || b.Qty(book.Bid, 2192130) != 0 || b.Qty(book.Bid, 2190000) != 200000000 {
		t.Fatalf("book %d×%d", b.Len(book.Bid), b.Len(book.Ask))
	}
	if px, qty, _ := b.BestAsk(); px != 2192250 || qty != 10000000 {
		t.Fatalf("best ask %d×%d", px, qty)
	}
	last := evs[len(evs)-1]
	if last.Kind != event.KindBookLevel || last.Seq != 2 || last.Instrument != 21 || last.ExchTS != 1675974770714964855 || last.Flags != event.FlagLastInBatch {
		t.Fatalf("last event %+v", last)
	}
	if r.Stats.Messages != 2 || r.Stats.Applied != 2 {
		t.Fatalf("stats %+v", r.Stats)
	}
}

// One l2_data message may hold events of several products: each is one book message.
func TestLevel2SeveralEvents(t *testing.T) {
	msg := []byte(`{"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":0,"events":[` +
		`{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"1","new_quantity":"1"}]},` +
		`{"type":"snapshot","product_id":"ETH-USD","updates":[{"side":"offer","price_level":"2","new_quantity":"1"}]},` +
		`{"type":"update","product_id":"BTC-USD","updates":[{"side":"offer","price_level":"3","new_quantity":"1"}]}]}`)
	d := New(cfgInfer())
	decodeAll(t, d, nil, msg)
	btc, eth := bookOf(t, d, "BTC-USD"), bookOf(t, d, "ETH-USD")
	if btc.Stats.Applied != 2 || btc.Stats.Messages != 1 || eth.Stats.Applied != 1 || eth.Stats.Messages != 1 {
		t.Fatalf("BTC %+v ETH %+v", btc.Stats, eth.Stats)
	}
	if btc.Config().Instrument != 1 || eth.Config().Instrument != 2 {
		t.Fatal("instrument ids not in first-seen order")
	}
}

func TestLevel2Broken(t *testing.T) {
	tests := []struct {
		name    string
		msg     string
		anomaly string
		invalid bool // the live book is invalidated and resubscribed
	}{
		{"bad side", `{"channel":"l2_data","sequence_num":2,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"buy","price_level":"1","new_quantity":"1"}]}]}`, AnomalyBadLevel, true},
		{"bad price", `{"channel":"l2_data","sequence_num":2,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"1.2.3","new_quantity":"1"}]}]}`, AnomalyBadLevel, true},
		{"number quantity", `{"channel":"l2_data","sequence_num":2,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"1","new_quantity":1}]}]}`, AnomalyBadLevel, true},
		{"no updates", `{"channel":"l2_data","sequence_num":2,"events":[{"type":"update","product_id":"BTC-USD"}]}`, AnomalyBadBook, false},
		{"unknown event type", `{"channel":"l2_data","sequence_num":2,"events":[{"type":"delta","product_id":"BTC-USD","updates":[]}]}`, AnomalyBadBook, false},
		{"no product", `{"channel":"l2_data","sequence_num":2,"events":[{"type":"update","updates":[]}]}`, AnomalyBadBook, false},
		{"events not an array", `{"channel":"l2_data","sequence_num":2,"events":{}}`, AnomalyBadBook, false},
		{"event not an object", `{"channel":"l2_data","sequence_num":2,"events":[1]}`, AnomalyBadBook, false},
		{"channel not a string", `{"channel":1,"sequence_num":2}`, AnomalyForeign, false},
		{"venue error", `{"type":"error","message":"failure to subscribe"}`, AnomalyVenueError, false},
		{"trade without price", `{"channel":"market_trades","sequence_num":2,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"BTC-USD","size":"1","side":"BUY"}]}]}`, AnomalyBadTrade, false},
		{"trade zero size", `{"channel":"market_trades","sequence_num":2,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"BTC-USD","price":"1","size":"0","side":"BUY"}]}]}`, AnomalyBadTrade, false},
		{"trades not an array", `{"channel":"market_trades","sequence_num":2,"events":[{"type":"update"}]}`, AnomalyBadTrade, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(cfgInfer())
			decodeAll(t, d, nil, l2(1, "snapshot", "BTC-USD", "bid:100.1:1"))
			err := d.Decode([]byte(tt.msg), 2, feed.NewBatch(8))
			if err == nil || !strings.HasPrefix(err.Error(), "coinbase: ") {
				t.Fatalf("error %v", err)
			}
			if d.Anomalies().Count(tt.anomaly) != 1 || d.Anomalies().Total() != 1 {
				t.Fatalf("anomalies:\n%s", anomalyText(d.Anomalies()))
			}
			r := bookOf(t, d, "BTC-USD")
			reqs := d.Requests(nil)
			if tt.invalid != (r.State() == event.BookInvalid) || tt.invalid != (len(reqs) == 1) {
				t.Fatalf("state %v requests %v", r.State(), reqs)
			}
			if tt.invalid && reqs[0].Kind != feed.RequestResubscribe {
				t.Fatalf("request %+v", reqs[0])
			}
			if r.Stats.Gaps != 0 {
				t.Fatal("a malformed message is not a gap")
			}
		})
	}
}

func TestNonBookChannels(t *testing.T) {
	d := New(cfgInfer())
	decodeAll(t, d, nil,
		l2(0, "snapshot", "BTC-USD", "bid:100.1:1"),
		[]byte(`{"channel":"subscriptions","client_id":"","timestamp":"2023-02-09T20:32:50Z","sequence_num":1,"events":[{"subscriptions":{"level2":["BTC-USD"]}}]}`),
		heartbeat(2),
		[]byte(`{"channel":"ticker","client_id":"","timestamp":"2023-02-09T20:32:50Z","sequence_num":3,"events":[{"type":"update","tickers":[{"type":"ticker","product_id":"BTC-USD","price":"1"},{"product_id":"BTC-USD"}]}]}`),
		[]byte(`{"channel":"candles","client_id":"","timestamp":"2023-02-09T20:32:50Z","sequence_num":4,"events":[{"type":"update","candles":[{"start":"1","product_id":"BTC-USD"}]}]}`),
		[]byte(`{"channel":"status","client_id":"","timestamp":"2023-02-09T20:32:50Z","sequence_num":5,"events":[]}`),
		[]byte(`{"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:32:50Z","sequence_num":6,"events":[{"type":"snapshot","trades":[{"trade_id":"1","product_id":"BTC-USD","price":"1","size":"1","side":"BUY","time":"2023-02-09T20:32:50Z"}]}]}`),
	)
	r := bookOf(t, d, "BTC-USD")
	// The book line, the ticker line (two tickers, one count), the candles line, the trades line.
	if r.Stats.Messages != 4 || r.Stats.Applied != 1 || d.Anomalies().Total() != 0 {
		t.Fatalf("stats %+v anomalies:\n%s", r.Stats, anomalyText(d.Anomalies()))
	}
}

func TestMarketTrades(t *testing.T) {
	msg := []byte(`{"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:19:35.39625135Z","sequence_num":0,"events":[{"type":"update","trades":[` +
		`{"trade_id":"000000000","product_id":"ETH-USD","price":"1260.01","size":"0.3","side":"BUY","time":"2019-08-14T20:42:27.265Z"},` +
		`{"trade_id":"a1b2","product_id":"ETH-USD","price":"1260.1","size":"0.25","side":"SELL","time":"2019-08-14T20:42:27.266Z"}]}]}`)
	d := New(feed.Config{Venue: 4, Resolve: func(s []byte) (uint32, feed.Scales, bool) {
		return 5, feed.Scales{Price: 2, Qty: 8, Tick: 1, Known: true}, string(s) == "ETH-USD"
	}})
	evs := decodeAll(t, d, []int64{77}, msg)
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	want := []struct {
		trade  event.Trade
		exchTS int64
		flags  event.Flags
	}{
		{event.Trade{Price: 126001, Qty: 30000000, TradeID: 0, Aggressor: event.SideSell}, 1565815347265000000, 0},
		{event.Trade{Price: 126010, Qty: 25000000, TradeID: feed.TradeID([]byte("a1b2")), Aggressor: event.SideBuy}, 1565815347266000000, event.FlagLastInBatch},
	}
	for i, w := range want {
		e := evs[i]
		if *e.Trade() != w.trade || e.ExchTS != w.exchTS || e.Flags != w.flags || e.Instrument != 5 || e.RecvTS != 77 || e.Kind != event.KindTrade {
			t.Errorf("trade %d: %+v %+v, want %+v", i, e, *e.Trade(), w)
		}
	}
}

func TestUnknownProduct(t *testing.T) {
	d := New(feed.Config{Resolve: func([]byte) (uint32, feed.Scales, bool) { return 0, feed.Scales{}, false }})
	for i, m := range [][]byte{
		l2(1, "snapshot", "DOGE-USD", "bid:1:1"),
		[]byte(`{"channel":"market_trades","sequence_num":2,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"DOGE-USD","price":"1","size":"1","side":"BUY"}]}]}`),
	} {
		if err := d.Decode(m, 1, feed.NewBatch(8)); err == nil || !strings.Contains(err.Error(), "DOGE-USD") {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if len(d.Books()) != 0 || d.Anomalies().Count(AnomalyUnknownProd) != 2 {
		t.Fatalf("books %d anomalies:\n%s", len(d.Books()), anomalyText(d.Anomalies()))
	}
}

func TestForeign(t *testing.T) {
	tests := []struct {
		name    string
		msg     string
		foreign bool
	}{
		{"okx books", `{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[]}`, true},
		{"binance depth", `{"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[],"a":[]}`, true},
		{"bybit orderbook", `{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":1}}`, true},
		{"kraken v1 array", `[42,{"a":[["1","2","3"]]},"book-10","XBT/USD"]`, true},
		{"legacy l2update", `{"type":"l2update","product_id":"BAND-GBP","changes":[["sell","14.8098","0.00"]],"time":"2021-04-17T16:43:37.083117Z"}`, true},
		{"not json", `{"channel":`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(cfgInfer())
			err := d.Decode([]byte(tt.msg), 1, feed.NewBatch(8))
			if err == nil || errors.Is(err, feed.ErrForeign) != tt.foreign || !strings.HasPrefix(err.Error(), "coinbase: ") {
				t.Fatalf("error %v", err)
			}
			if d.Anomalies().Total() != 1 || len(d.Books()) != 0 {
				t.Fatalf("anomalies %d", d.Anomalies().Total())
			}
		})
	}
}

func TestBadTimestampIsNotFatal(t *testing.T) {
	d := New(cfgInfer())
	msg := []byte(`{"channel":"l2_data","timestamp":"yesterday","sequence_num":1,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"1","new_quantity":"1"}]}]}`)
	evs := decodeAll(t, d, nil, msg)
	if d.Anomalies().Count(AnomalyBadTimestamp) != 1 || evs[0].ExchTS != 0 || d.Books()[0].Stats.Applied != 1 {
		t.Fatalf("events %+v anomalies:\n%s", evs, anomalyText(d.Anomalies()))
	}
}

func ExampleDecoder() {
	d := New(feed.Config{Venue: 4, InferUnknown: true})
	out := feed.NewBatch(64)
	for _, m := range [][]byte{
		l2(0, "snapshot", "BTC-USD", "bid:21921.73:0.06317902", "offer:21922.5:0.5"),
		l2(1, "update", "BTC-USD", "offer:21922.5:0"),
		l2(3, "update", "BTC-USD", "offer:21923:1"), // sequence_num 2 is missing
	} {
		out.Reset()
		if err := d.Decode(m, 0, out); err != nil {
			fmt.Println(err)
		}
	}
	for _, q := range d.Requests(nil) {
		fmt.Println("reconnect:", q.Kind == feed.RequestReconnect, q.Replica.Config().Symbol)
	}
	fmt.Printf("%s\n", d.Books()[0].AppendReport(nil, VenueName))
	// Output:
	// reconnect: true BTC-USD
	// {"venue":"coinbase","symbol":"BTC-USD","messages":3,"applied":2,"dropped":1,"gaps":1,"resyncs":0,"checksums_verified":0,"checksum_failures":0,"bids":[],"asks":[]}
}

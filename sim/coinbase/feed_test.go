package coinbase

import (
	"testing"

	"github.com/valyala/fastjson"

	"ems/core/event"
	"ems/feed"
	feedcb "ems/feed/coinbase"
)

// TestFeedDecoderSyncs: the project's own Coinbase decoder, on the project's own transport,
// follows both books from the server's level2 snapshots and updates through hundreds of venue
// steps, with every sequence_num checked and no anomaly, and ends with exactly the engine's
// books; market_trades become trades whose aggressor is the engine's taker side.
func TestFeedDecoderSyncs(t *testing.T) {
	f := newFixture(t, nil, Options{})
	w := f.dial()
	d := f.decoder()
	out := feed.NewBatch(1024)
	var trades, snapshots, updates int
	var takers [3]int
	decode := func(raw []byte) {
		out.Reset()
		if err := d.Decode(raw, 0, out); err != nil {
			t.Fatalf("decode: %v: %.200s", err, raw)
		}
		for _, ev := range out.Events() {
			if ev.Kind == event.KindTrade {
				trades++
				takers[ev.Trade().Aggressor]++
			}
		}
		v := fastjson.MustParseBytes(raw)
		if string(v.GetStringBytes("channel")) == chL2Data {
			if string(v.Get("events", "0").GetStringBytes("type")) == "snapshot" {
				snapshots++
			} else {
				updates++
			}
		}
	}
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT", "ETH-USDT")
	w.subscribe(feedcb.ChannelMarketTrades, nil, "BTC-USDT", "ETH-USDT")
	w.barrier(decode)
	if snapshots != 2 {
		t.Fatalf("%d snapshots, want 2", snapshots)
	}
	steps := 600 / raceScale
	for i := range steps {
		f.step(1)
		if i%50 == 49 {
			w.barrier(decode)
		}
	}
	w.barrier(decode)
	if n := d.Anomalies().Total(); n != 0 {
		t.Fatalf("%d anomalies", n)
	}
	for _, sym := range []string{"BTC-USDT", "ETH-USDT"} {
		r := replica(t, d, sym)
		if r.State() != event.BookLive || r.Stats.Gaps != 0 || r.Stats.Dropped != 0 {
			t.Fatalf("%s: state %v, stats %+v", sym, r.State(), r.Stats)
		}
		f.sameBook(r, sym)
	}
	if reqs := d.Requests(nil); len(reqs) != 0 {
		t.Fatalf("decoder asks for resyncs: %v", reqs)
	}
	if updates < steps || trades == 0 {
		t.Fatalf("%d updates, %d trades over %d steps", updates, trades, steps)
	}
	// The flow's takers come from both sides; the decoder reads side as the maker's.
	if takers[event.SideBuy] == 0 || takers[event.SideSell] == 0 {
		t.Fatalf("aggressors %v", takers)
	}
	t.Logf("%d steps: %d l2 updates, %d trades", steps, updates, trades)
}

// TestResubscribeResyncs: unsubscribing and subscribing level2 again (the decoder's resync for a
// broken book) brings a fresh snapshot the decoder rebuilds the book from.
func TestResubscribeResyncs(t *testing.T) {
	f := newFixture(t, nil, Options{})
	w := f.dial()
	d := f.decoder()
	out := feed.NewBatch(256)
	decode := func(raw []byte) {
		out.Reset()
		if err := d.Decode(raw, 0, out); err != nil {
			t.Fatalf("decode: %v", err)
		}
	}
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT")
	w.barrier(decode)
	f.step(20)
	w.send(feedcb.AppendUnsubscribe(nil, feedcb.ChannelLevel2, "", "BTC-USDT"))
	var subs *fastjson.Value
	w.barrier(func(raw []byte) {
		decode(raw)
		if v := fastjson.MustParseBytes(raw); string(v.GetStringBytes("channel")) == chSubscriptions && subs == nil {
			subs = v
		}
	})
	if subs.Get("events", "0", "subscriptions", "level2") != nil {
		t.Fatalf("level2 still subscribed: %s", subs)
	}
	f.step(20) // changes the client does not see
	w.subscribe(feedcb.ChannelLevel2, nil, "BTC-USDT")
	w.barrier(decode)
	r := replica(t, d, "BTC-USDT")
	if r.State() != event.BookLive || r.Stats.Applied < 2 {
		t.Fatalf("state %v stats %+v", r.State(), r.Stats)
	}
	f.sameBook(r, "BTC-USDT")
}

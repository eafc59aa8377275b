package bybit

import (
	"errors"
	"fmt"
	"testing"

	"ems/core/book"
	"ems/core/event"
	"ems/feed"
)

// bookMsg builds an orderbook message of topic with one bid and one ask level ("" omits a side).
func bookMsg(topic, typ string, u uint64, bid, ask string) []byte {
	side := func(l string) string {
		if l == "" {
			return "[]"
		}
		return "[" + l + "]"
	}
	return fmt.Appendf(nil, `{"topic":%q,"type":%q,"ts":1700000000000,"data":{"s":"BTCUSDT","b":%s,"a":%s,"u":%d,"seq":1},"cts":1700000000000}`,
		topic, typ, side(bid), side(ask), u)
}

const ob50 = "orderbook.50.BTCUSDT"

// step is one message of a scripted stream and what must hold after it.
type step struct {
	msg                    []byte
	applied, dropped, gaps int64
	resyncs                int64
	state                  event.BookState
	requests               int
}

func runSteps(t *testing.T, d *Decoder, topic string, steps []step) {
	t.Helper()
	out := feed.NewBatch(64)
	for i, s := range steps {
		if err := d.Decode(s.msg, int64(i), out); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		out.Reset()
		r := replica(t, d, topic)
		st := r.Stats
		if st.Applied != s.applied || st.Dropped != s.dropped || st.Gaps != s.gaps || st.Resyncs != s.resyncs || r.State() != s.state {
			t.Fatalf("step %d (%s): stats %+v state %v; want applied %d dropped %d gaps %d resyncs %d state %v",
				i, s.msg, st, r.State(), s.applied, s.dropped, s.gaps, s.resyncs, s.state)
		}
		reqs := d.Requests(nil)
		if len(reqs) != s.requests {
			t.Fatalf("step %d: %d requests, want %d", i, len(reqs), s.requests)
		}
		for _, q := range reqs {
			if q.Kind != feed.RequestResubscribe || q.Replica != r {
				t.Fatalf("step %d: request %+v", i, q)
			}
		}
	}
}

func TestSequencing(t *testing.T) {
	live, invalid, syncing := event.BookLive, event.BookInvalid, event.BookSyncing
	tests := []struct {
		name  string
		topic string // "": ob50
		steps []step
	}{
		{"delta before snapshot is dropped", "", []step{
			{msg: bookMsg(ob50, "delta", 5, `["100.1","1"]`, ""), dropped: 1, state: syncing},
			{msg: bookMsg(ob50, "snapshot", 9, `["100.1","1"]`, `["100.2","1"]`), applied: 1, dropped: 1, state: live},
			{msg: bookMsg(ob50, "delta", 10, `["100.1","2"]`, ""), applied: 2, dropped: 1, state: live},
		}},
		{"gap, drop until snapshot, resync", "", []step{
			{msg: bookMsg(ob50, "snapshot", 10, `["100.1","1"]`, `["100.2","1"]`), applied: 1, state: live},
			{msg: bookMsg(ob50, "delta", 11, `["100.1","2"]`, ""), applied: 2, state: live},
			{msg: bookMsg(ob50, "delta", 13, `["100.1","3"]`, ""), applied: 2, dropped: 1, gaps: 1, state: invalid, requests: 1},
			{msg: bookMsg(ob50, "delta", 14, `["100.1","4"]`, ""), applied: 2, dropped: 2, gaps: 1, state: invalid},
			{msg: bookMsg(ob50, "snapshot", 20, `["100.0","1"]`, `["100.2","1"]`), applied: 3, dropped: 2, gaps: 1, resyncs: 1, state: live},
			{msg: bookMsg(ob50, "delta", 21, `["100.0","2"]`, ""), applied: 4, dropped: 2, gaps: 1, resyncs: 1, state: live},
		}},
		{"repeated u on a delta is a gap", "", []step{
			{msg: bookMsg(ob50, "snapshot", 10, `["100.1","1"]`, `["100.2","1"]`), applied: 1, state: live},
			{msg: bookMsg(ob50, "delta", 10, `["100.1","2"]`, ""), applied: 1, dropped: 1, gaps: 1, state: invalid, requests: 1},
		}},
		{"older u on a delta is a gap", "", []step{
			{msg: bookMsg(ob50, "snapshot", 10, `["100.1","1"]`, `["100.2","1"]`), applied: 1, state: live},
			{msg: bookMsg(ob50, "delta", 9, `["100.1","2"]`, ""), applied: 1, dropped: 1, gaps: 1, state: invalid, requests: 1},
		}},
		{"level-1 snapshot repeats with the same u are not gaps", "orderbook.1.BTCUSDT", []step{
			{msg: bookMsg("orderbook.1.BTCUSDT", "snapshot", 7, `["100.1","1"]`, `["100.2","1"]`), applied: 1, state: live},
			{msg: bookMsg("orderbook.1.BTCUSDT", "snapshot", 7, `["100.1","1"]`, `["100.2","1"]`), applied: 2, state: live},
			{msg: bookMsg("orderbook.1.BTCUSDT", "delta", 8, `["100.1","3"]`, ""), applied: 3, state: live},
		}},
		{"a later snapshot replaces the book whatever its u", "", []step{
			{msg: bookMsg(ob50, "snapshot", 50, `["100.1","1"]`, `["100.2","1"]`), applied: 1, state: live},
			{msg: bookMsg(ob50, "snapshot", 40, `["99.1","1"]`, `["99.2","1"]`), applied: 2, state: live},
			{msg: bookMsg(ob50, "delta", 41, "", `["99.3","1"]`), applied: 3, state: live},
		}},
		{"u 1 is a service restart: applied as a snapshot", "", []step{
			{msg: bookMsg(ob50, "snapshot", 500, `["100.1","1"]`, `["100.2","1"]`), applied: 1, state: live},
			{msg: bookMsg(ob50, "delta", 1, `["90.1","1"]`, `["90.2","1"]`), applied: 2, state: live},
			{msg: bookMsg(ob50, "delta", 2, `["90.0","1"]`, ""), applied: 3, state: live},
		}},
		{"u 1 resyncs an invalid book", "", []step{
			{msg: bookMsg(ob50, "snapshot", 500, `["100.1","1"]`, `["100.2","1"]`), applied: 1, state: live},
			{msg: bookMsg(ob50, "delta", 502, "", ""), applied: 1, dropped: 1, gaps: 1, state: invalid, requests: 1},
			{msg: bookMsg(ob50, "delta", 1, `["90.1","1"]`, `["90.2","1"]`), applied: 2, dropped: 1, gaps: 1, resyncs: 1, state: live},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topic := tt.topic
			if topic == "" {
				topic = ob50
			}
			runSteps(t, inferring(), topic, tt.steps)
		})
	}
}

func TestSnapshotReplacesBook(t *testing.T) {
	d := inferring()
	decodeAll(t, d,
		bookMsg(ob50, "snapshot", 50, `["100.1","1"]`, `["100.2","1"]`),
		bookMsg(ob50, "snapshot", 40, `["99.1","2"]`, `["99.2","3"]`),
	)
	b := replica(t, d, ob50).Book()
	if b.Len(book.Bid) != 1 || b.Len(book.Ask) != 1 || b.Qty(book.Bid, 991) != 2 || b.Qty(book.Ask, 992) != 3 {
		t.Fatalf("book not replaced: bids %d asks %d", b.Len(book.Bid), b.Len(book.Ask))
	}
}

func TestGapEvents(t *testing.T) {
	d := inferring()
	decodeAll(t, d, bookMsg(ob50, "snapshot", 10, `["100.1","1"]`, `["100.2","1"]`))
	evs := decodeAll(t, d, bookMsg(ob50, "delta", 12, `["100.1","5"]`, ""))
	if len(evs) != 1 || evs[0].Kind != event.KindBookStatus || evs[0].Seq != 12 {
		t.Fatalf("gap events %+v", evs)
	}
	if s := evs[0].BookStatus(); s.State != event.BookInvalid || s.Reason != event.BookReasonGap {
		t.Fatalf("gap status %+v", s)
	}
	if !replica(t, d, ob50).Book().Empty() {
		t.Fatal("invalid book still shows levels")
	}
}

// Depth channels of one symbol are separate books: a gap on one leaves the other live, and a
// trade of the symbol counts in both.
func TestDepthChannelsAreSeparateBooks(t *testing.T) {
	d := inferring()
	ob1 := "orderbook.1.BTCUSDT"
	decodeAll(t, d,
		[]byte(`{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Buy","v":"1","p":"100.1","i":"1"}]}`),
		bookMsg(ob1, "snapshot", 10, `["100.1","1"]`, `["100.2","1"]`),
		bookMsg(ob50, "snapshot", 70, `["100.1","1"]`, `["100.2","1"]`),
		bookMsg(ob1, "delta", 12, `["100.1","2"]`, ""),
		bookMsg(ob50, "delta", 71, `["100.1","2"]`, ""),
		[]byte(`{"topic":"tickers.BTCUSDT","type":"snapshot","ts":1,"data":{"symbol":"BTCUSDT"}}`),
	)
	r1, r50 := replica(t, d, ob1), replica(t, d, ob50)
	if r1.State() != event.BookInvalid || r1.Stats.Gaps != 1 || r50.State() != event.BookLive || r50.Stats.Applied != 2 {
		t.Fatalf("orderbook.1 %v %+v, orderbook.50 %v %+v", r1.State(), r1.Stats, r50.State(), r50.Stats)
	}
	// Messages: the trade and the ticker line plus each book's own two messages.
	if r1.Stats.Messages != 4 || r50.Stats.Messages != 4 {
		t.Fatalf("messages %d, %d; want 4, 4", r1.Stats.Messages, r50.Stats.Messages)
	}
	if r1.Config().Instrument != r50.Config().Instrument || r1.Config().Channel != "orderbook.1" {
		t.Fatalf("configs %+v %+v", *r1.Config(), *r50.Config())
	}
	reqs := d.Requests(nil)
	if len(reqs) != 1 || string(AppendReplicaTopic(nil, reqs[0].Replica)) != ob1 {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestDeeperThanChannelIsNoted(t *testing.T) {
	d := inferring()
	decodeAll(t, d, bookMsg("orderbook.1.BTCUSDT", "snapshot", 1, `["100.1","1"],["100.0","1"]`, `["100.2","1"]`))
	if n := d.Anomalies().Count(AnomalyDeepBook); n != 1 {
		t.Fatalf("deep book anomalies %d", n)
	}
	if r := replica(t, d, "orderbook.1.BTCUSDT"); r.Book().Len(book.Bid) != 2 || r.Stats.Applied != 1 {
		t.Fatal("the message must still be applied as sent")
	}
}

func TestBrokenMessages(t *testing.T) {
	tests := []struct {
		name    string
		msg     string
		anomaly string
		invalid bool // the book was live and must be invalidated with a resubscribe
	}{
		{"bad price", `{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["1e5","1"]],"a":[],"u":11}}`, AnomalyBadLevel, true},
		{"number price", `{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[[100.1,"1"]],"a":[],"u":11}}`, AnomalyBadLevel, true},
		{"short level", `{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["100.1"]],"a":[],"u":11}}`, AnomalyBadLevel, true},
		{"side not an array", `{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":{},"a":[],"u":11}}`, AnomalyBadLevel, true},
		{"negative size", `{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["100.1","-1"]],"a":[],"u":11}}`, AnomalyBadLevel, true},
		{"no data", `{"topic":"orderbook.50.BTCUSDT","type":"delta"}`, AnomalyBadBook, false},
		{"no u", `{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[],"a":[]}}`, AnomalyBadBook, false},
		{"string u", `{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[],"a":[],"u":"11"}}`, AnomalyBadBook, false},
		{"unknown type", `{"topic":"orderbook.50.BTCUSDT","type":"full","data":{"b":[],"a":[],"u":11}}`, AnomalyBadBook, false},
		{"topic without symbol", `{"topic":"orderbook.50","type":"delta","data":{"b":[],"a":[],"u":11}}`, AnomalyBadTopic, false},
		{"topic not a string", `{"topic":5,"type":"delta"}`, AnomalyBadTopic, false},
		{"trade without data", `{"topic":"publicTrade.BTCUSDT","type":"snapshot"}`, AnomalyBadTrade, false},
		{"trade number price", `{"topic":"publicTrade.BTCUSDT","data":[{"p":1,"v":"1","S":"Buy","i":"1","T":1}]}`, AnomalyBadTrade, false},
		{"trade zero size", `{"topic":"publicTrade.BTCUSDT","data":[{"p":"1","v":"0","S":"Buy","i":"1","T":1}]}`, AnomalyBadTrade, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := inferring()
			decodeAll(t, d, bookMsg(ob50, "snapshot", 10, `["100.1","1"]`, `["100.2","1"]`))
			err := d.Decode([]byte(tt.msg), 2, feed.NewBatch(8))
			if err == nil || errors.Is(err, feed.ErrForeign) || err.Error()[:6] != "bybit:" {
				t.Fatalf("error %v", err)
			}
			if d.Anomalies().Count(tt.anomaly) != 1 || d.Anomalies().Total() != 1 {
				var s []byte
				_ = d.Anomalies().WriteText(writer{&s})
				t.Fatalf("anomalies:\n%s", s)
			}
			r := replica(t, d, ob50)
			reqs := d.Requests(nil)
			if tt.invalid != (r.State() == event.BookInvalid) || tt.invalid != (len(reqs) == 1) {
				t.Fatalf("state %v, requests %v", r.State(), reqs)
			}
			if r.Stats.Gaps != 0 {
				t.Fatalf("a malformed message is not a gap: %+v", r.Stats)
			}
		})
	}
}

type writer struct{ b *[]byte }

func (w writer) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

func TestBrokenSnapshotOfInvalidBookAsksAgain(t *testing.T) {
	d := inferring()
	decodeAll(t, d,
		bookMsg(ob50, "snapshot", 10, `["100.1","1"]`, `["100.2","1"]`),
		bookMsg(ob50, "delta", 12, "", ""),
	)
	if n := len(d.Requests(nil)); n != 1 {
		t.Fatalf("%d requests after the gap", n)
	}
	if err := d.Decode(bookMsg(ob50, "snapshot", 20, `["x","1"]`, ""), 3, feed.NewBatch(8)); err == nil {
		t.Fatal("broken snapshot accepted")
	}
	if r := replica(t, d, ob50); r.State() != event.BookInvalid || len(d.Requests(nil)) != 1 {
		t.Fatalf("state %v", r.State())
	}
	decodeAll(t, d, bookMsg(ob50, "snapshot", 21, `["100.1","1"]`, `["100.2","1"]`))
	if r := replica(t, d, ob50); r.State() != event.BookLive || r.Book().Len(book.Bid) != 1 {
		t.Fatalf("state %v", r.State())
	}
}

func TestResolver(t *testing.T) {
	resolve := func(sym []byte) (uint32, feed.Scales, bool) {
		switch string(sym) {
		case "BTCUSDT":
			return 42, feed.Scales{Price: 2, Qty: 6, Tick: 10, Known: true}, true // tick 0.10
		}
		return 0, feed.Scales{}, false
	}
	t.Run("known symbol", func(t *testing.T) {
		d := New(feed.Config{Venue: 9, Resolve: resolve})
		evs := decodeAll(t, d, bookMsg(ob50, "snapshot", 1, `["100.10","1.5"]`, `["100.20","2"]`))
		if l := evs[0].BookLevel(); evs[0].Instrument != 42 || evs[0].Venue != 9 || l.Price != 10010 || l.Qty != 1500000 {
			t.Fatalf("event %+v %+v", evs[0], *l)
		}
		// Off the tick: the level is refused and the book resubscribed.
		if err := d.Decode(bookMsg(ob50, "delta", 2, `["100.15","1"]`, ""), 2, feed.NewBatch(8)); err == nil {
			t.Fatal("off-tick price accepted")
		}
		if d.Books()[0].State() != event.BookInvalid || len(d.Requests(nil)) != 1 {
			t.Fatal("off-tick price must invalidate the book")
		}
	})
	t.Run("unknown symbol without inference", func(t *testing.T) {
		d := New(feed.Config{Resolve: resolve})
		msg := bookMsg("orderbook.50.ETHUSDT", "snapshot", 1, `["100.1","1"]`, "")
		for i := 0; i < 2; i++ {
			if err := d.Decode(msg, 1, feed.NewBatch(8)); err == nil {
				t.Fatal("unknown symbol accepted")
			}
		}
		trade := []byte(`{"topic":"publicTrade.ETHUSDT","data":[{"p":"1","v":"1","S":"Buy","i":"1","T":1}]}`)
		if err := d.Decode(trade, 1, feed.NewBatch(8)); err == nil {
			t.Fatal("unknown symbol trade accepted")
		}
		if len(d.Books()) != 0 || d.Anomalies().Count(AnomalyUnknownSym) != 3 {
			t.Fatalf("books %d, anomalies %d", len(d.Books()), d.Anomalies().Count(AnomalyUnknownSym))
		}
	})
	t.Run("unknown symbol inferred after known ones", func(t *testing.T) {
		d := New(feed.Config{Resolve: resolve, InferUnknown: true})
		decodeAll(t, d,
			bookMsg("orderbook.50.ETHUSDT", "snapshot", 1, `["100.1","1"]`, ""),
			bookMsg(ob50, "snapshot", 1, `["100.1","1"]`, ""),
			bookMsg("orderbook.50.SOLUSDT", "snapshot", 1, `["100.1","1"]`, ""),
		)
		var ids []event.InstrumentID
		for _, r := range d.Books() {
			ids = append(ids, r.Config().Instrument)
		}
		if fmt.Sprint(ids) != "[1 42 2]" {
			t.Fatalf("instrument ids %v", ids)
		}
	})
}

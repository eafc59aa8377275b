package sim

import (
	"testing"

	"ems/core/book"
	"ems/core/event"
	"ems/sim/match"
)

// bookOf rebuilds a book from level events.
type bookOf [3]map[int64]int64

func newBookOf() bookOf { return bookOf{nil, {}, {}} }

func (b bookOf) apply(side event.Side, price, qty int64) {
	if qty == 0 {
		delete(b[side], price)
	} else {
		b[side][price] = qty
	}
}

// equal reports whether b holds exactly the levels of depth on side.
func (b bookOf) equal(side event.Side, depth []book.Level) bool {
	if len(depth) != len(b[side]) {
		return false
	}
	for _, lv := range depth {
		if b[side][lv.Price] != lv.Qty {
			return false
		}
	}
	return true
}

// TestMarketEventsConsecutive subscribes before the first Step and checks that level events
// number 1, 2, 3 ..., trades carry consecutive trade ids and the latest level Seq, each batch ends
// with Final, and the events rebuild the engine's book.
func TestMarketEventsConsecutive(t *testing.T) {
	v, _ := defaultVenue(t, "binance", 3)
	var (
		events              []MarketEvent
		levels, trades      int
		lastSeq, lastTrade  uint64
		batches, finalCount int
	)
	bk := newBookOf()
	unsub, err := v.Subscribe("BTCUSDT", func(ev MarketEvent) {
		events = append(events, ev)
		if ev.Market.Name != "BTC-USDT" {
			t.Fatalf("event of %s", ev.Market.Name)
		}
		switch ev.Kind {
		case MarketLevel:
			levels++
			if ev.Seq != lastSeq+1 {
				t.Fatalf("level seq %d after %d", ev.Seq, lastSeq)
			}
			lastSeq = ev.Seq
			bk.apply(ev.Side, ev.Price, ev.Qty)
		case MarketTrade:
			trades++
			if ev.TradeID != lastTrade+1 || ev.Seq != lastSeq {
				t.Fatalf("trade %d seq %d after trade %d, level seq %d", ev.TradeID, ev.Seq, lastTrade, lastSeq)
			}
			lastTrade = ev.TradeID
		}
		if ev.Final {
			finalCount++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	steps := 100
	for i := 0; i <= steps; i++ {
		n := len(events)
		if err := v.Step(t0 + int64(i)*stepNanos); err != nil {
			t.Fatal(err)
		}
		if len(events) > n {
			batches++
			if !events[len(events)-1].Final {
				t.Fatalf("step %d: last event not Final", i)
			}
		}
	}
	if finalCount != batches {
		t.Fatalf("%d Final events in %d batches", finalCount, batches)
	}
	if levels < 2*v.Config().DepthLevels || trades == 0 {
		t.Fatalf("%d levels, %d trades", levels, trades)
	}
	unsub()
	n := len(events)
	if err := v.Step(t0 + int64(steps+1)*stepNanos); err != nil {
		t.Fatal(err)
	}
	if len(events) != n {
		t.Fatal("events after unsubscribe")
	}
	v.Do(func(s *State) {
		mk, _ := v.Market("BTC-USDT")
		if s.Seq(mk) <= lastSeq {
			t.Fatalf("seq %d did not advance past %d", s.Seq(mk), lastSeq)
		}
	})
	// Rebuild check on a fresh venue where the events are followed to the end.
	v2, _ := defaultVenue(t, "binance", 3)
	bk2 := newBookOf()
	if _, err := v2.Subscribe("BTC-USDT", func(ev MarketEvent) {
		if ev.Kind == MarketLevel {
			bk2.apply(ev.Side, ev.Price, ev.Qty)
		}
	}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= 50; i++ {
		if err := v2.Step(t0 + int64(i)*stepNanos); err != nil {
			t.Fatal(err)
		}
	}
	v2.Do(func(s *State) {
		mk := s.Markets()[0]
		for _, side := range []event.Side{event.SideBuy, event.SideSell} {
			if !bk2.equal(side, s.Engine(mk).Depth(side, -1, nil)) {
				t.Fatalf("side %d: events do not rebuild the engine's book", side)
			}
		}
	})
	if _, err := v.Subscribe("XRPUSDT", func(MarketEvent) {}); err == nil {
		t.Fatal("subscribed to an unknown market")
	}
}

// TestSnapshotThenEvents subscribes inside Do after the book has moved, takes a snapshot in the
// same call, and checks the events continue it exactly.
func TestSnapshotThenEvents(t *testing.T) {
	v, _ := defaultVenue(t, "okx", 8)
	for i := 0; i <= 20; i++ {
		if err := v.Step(t0 + int64(i)*stepNanos); err != nil {
			t.Fatal(err)
		}
	}
	bk := newBookOf()
	var snapSeq, next uint64
	v.Do(func(s *State) {
		mk := s.Markets()[1]
		e := s.Engine(mk)
		// An engine call before subscribing: its events are not for the new subscriber.
		ask, _, _ := e.Best(event.SideSell)
		if _, err := e.Submit(match.Request{Account: 1, Side: event.SideSell, Price: ask + 5*mk.Listing.Tick,
			Qty: mk.Listing.MinQty * 1000}, s.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Subscribe(mk.Name, func(ev MarketEvent) {
			if ev.Kind != MarketLevel {
				return
			}
			if next == 0 && ev.Seq != snapSeq+1 {
				t.Fatalf("first event seq %d after snapshot %d", ev.Seq, snapSeq)
			}
			next = ev.Seq
			bk.apply(ev.Side, ev.Price, ev.Qty)
		}); err != nil {
			t.Fatal(err)
		}
		snapSeq = s.Seq(mk)
		for _, side := range []event.Side{event.SideBuy, event.SideSell} {
			for _, lv := range e.Depth(side, -1, nil) {
				bk.apply(side, lv.Price, lv.Qty)
			}
		}
	})
	for i := 21; i <= 60; i++ {
		if err := v.Step(t0 + int64(i)*stepNanos); err != nil {
			t.Fatal(err)
		}
	}
	if next == 0 {
		t.Fatal("no events after the snapshot")
	}
	v.Do(func(s *State) {
		mk := s.Markets()[1]
		for _, side := range []event.Side{event.SideBuy, event.SideSell} {
			if !bk.equal(side, s.Engine(mk).Depth(side, -1, nil)) {
				t.Fatalf("side %d: snapshot + events differ from the engine's book", side)
			}
		}
	})
}

// TestOrderEvents follows one account's orders: a resting order, its fill as a maker against
// another account, and a cancel; other accounts' events do not arrive.
func TestOrderEvents(t *testing.T) {
	v, _ := defaultVenue(t, "coinbase", 4)
	if err := v.Step(t0); err != nil {
		t.Fatal(err)
	}
	var got []OrderEvent
	unsub := v.OrderEvents(1, func(ev OrderEvent) { got = append(got, ev) })
	var resting match.Order
	mk := v.Markets()[0]
	v.Do(func(s *State) {
		e := s.Engine(mk)
		bid, _, _ := e.Best(event.SideBuy)
		ask, _, _ := e.Best(event.SideSell)
		// Inside the spread: the new best bid.
		px := bid + (ask-bid)/2
		px -= px % mk.Listing.Tick
		if px <= bid {
			px = bid
		}
		var err error
		resting, err = e.Submit(match.Request{Account: 1, ClientID: "c1", Side: event.SideBuy, Price: px,
			Qty: 2_000_000}, s.Now())
		if err != nil {
			t.Fatal(err)
		}
		// Account 2 sells into it.
		if _, err := e.Submit(match.Request{Account: 2, Side: event.SideSell, TIF: event.TIFIOC, Price: px,
			Qty: 500_000}, s.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Cancel(1, resting.ID, s.Now()); err != nil {
			t.Fatal(err)
		}
	})
	unsub()
	v.Do(func(s *State) {
		if _, err := s.Engine(mk).Submit(match.Request{Account: 1, Side: event.SideBuy, Price: resting.Price,
			Qty: 1_000_000}, s.Now()); err != nil {
			t.Fatal(err)
		}
	})
	if len(got) < 3 {
		t.Fatalf("%d events: %+v", len(got), got)
	}
	first, last := got[0], got[len(got)-1]
	if first.Order.Exec != match.ExecNew || first.HasFill || first.Order.ClientID != "c1" || first.Market != mk {
		t.Fatalf("first event %+v", first)
	}
	if last.Order.Status != match.StatusCanceled {
		t.Fatalf("last event %+v", last)
	}
	var filled int64
	for _, ev := range got {
		if ev.Order.Account != 1 {
			t.Fatalf("event of account %d", ev.Order.Account)
		}
		if ev.Order.Exec == match.ExecTrade && !ev.HasFill {
			t.Fatal("trade reported without its fill")
		}
		if ev.HasFill {
			if !ev.Maker || ev.Fill.Maker.ID != resting.ID || ev.Fill.Taker.Account != 2 {
				t.Fatalf("fill event %+v", ev)
			}
			filled += ev.Fill.Qty
		}
	}
	if filled != 500_000 {
		t.Fatalf("filled %d", filled)
	}
}

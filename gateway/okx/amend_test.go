package okx_test

import (
	"testing"

	"ems/core/event"
	"ems/core/instrument"
)

// replaceOf builds a KindReplace event (an OKX amend-order).
func replaceOf(inst event.InstrumentID, id event.OrderID, px, qty int64) event.Event {
	e := event.Event{Kind: event.KindReplace, Venue: instrument.VenueOKX, Instrument: inst}
	*e.Replace() = event.Replace{Order: id, Parent: 9, Price: px, Qty: qty}
	return e
}

// TestAmend: against the simulator, a resting order amended in price and size is acknowledged
// again with the new price, size and leaves under the same venue order id, and rests amended (its
// cancel reports the amended leaves); a size-only amend keeps the price; amends of an unknown or
// canceled order are rejected with RejectUnknownOrder and the venue's code.
func TestAmend(t *testing.T) {
	f := newVenue(t, nil)
	rec := &recorder{}
	s := startSession(t, f, rec, nil)
	btc := instID(t, f.master, "BTC-USDT")
	bid, _ := f.best("BTC-USDT", event.SideBuy)

	ev := order(btc, 1, event.SideBuy, bid-1000, 100_000, nil)
	if err := s.Send(&ev); err != nil {
		t.Fatal(err)
	}
	evs := rec.wait(t, "ack", func(evs []event.Event) bool { return len(of(evs, event.KindOrderAck, 1)) == 1 })
	vo := of(evs, event.KindOrderAck, 1)[0].OrderAck().VenueOrder

	tests := []struct {
		name            string
		px, qty         int64
		wantPx, wantQty int64
	}{
		{"price and size", bid - 2000, 300_000, bid - 2000, 300_000},
		{"size only", 0, 200_000, bid - 2000, 200_000},
		{"price only", bid - 1500, 200_000, bid - 1500, 200_000},
	}
	for i, tt := range tests {
		r := replaceOf(btc, 1, tt.px, tt.qty)
		if err := s.Send(&r); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		evs = rec.wait(t, tt.name, func(evs []event.Event) bool { return len(of(evs, event.KindOrderAck, 1)) == i+2 })
		acks := of(evs, event.KindOrderAck, 1)
		a := acks[len(acks)-1].OrderAck()
		if a.Price != tt.wantPx || a.Qty != tt.wantQty || a.Leaves != tt.wantQty || a.VenueOrder != vo {
			t.Fatalf("%s: ack %s, want px %d qty %d leaves %d venue order %d", tt.name, dump(acks[len(acks)-1:]), tt.wantPx, tt.wantQty, tt.wantQty, vo)
		}
	}
	if n := len(of(evs, event.KindReject, 0)); n != 0 {
		t.Fatalf("unexpected rejects:\n%s", dump(evs))
	}

	// The order rests amended: its cancel reports the amended size unfilled.
	c := cancelOf(btc, 1)
	if err := s.Send(&c); err != nil {
		t.Fatal(err)
	}
	evs = rec.wait(t, "cancel ack", func(evs []event.Event) bool { return len(of(evs, event.KindCancelAck, 1)) == 1 })
	if ca := of(evs, event.KindCancelAck, 1)[0].CancelAck(); ca.Leaves != 200_000 {
		t.Fatalf("cancel ack leaves %d, want 200000", ca.Leaves)
	}

	rejects := []struct {
		name string
		id   event.OrderID
		code int64
	}{
		{"unknown order", 77, 51503},
		{"canceled order", 1, 51509},
	}
	for _, tt := range rejects {
		r := replaceOf(btc, tt.id, bid-1000, 100_000)
		if err := s.Send(&r); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		evs = rec.wait(t, tt.name, func(evs []event.Event) bool { return len(of(evs, event.KindReject, tt.id)) == 1 })
		rj := of(evs, event.KindReject, tt.id)[0].Reject()
		if rj.Reason != event.RejectUnknownOrder || rj.VenueCode != tt.code || rj.Parent != 0 && rj.Parent != 9 {
			t.Fatalf("%s: %s", tt.name, dump(of(evs, event.KindReject, tt.id)))
		}
	}
	if got := len(of(rec.all(), event.KindOrderAck, 1)); got != 4 {
		t.Fatalf("%d acks of order 1 after the refused amends, want 4", got)
	}
}

package coinbase_test

import (
	"strconv"
	"testing"

	"ems/core/event"
	"ems/core/intern"
	"ems/gateway/coinbase"
	"ems/sim"
	"ems/sim/match"
)

// engineOrder returns the simulator's order behind venue order id vid (the simulator's ids end
// with the engine's order id in hex).
func (f *fixture) engineOrder(vid string) (match.Order, bool) {
	f.t.Helper()
	id, err := strconv.ParseUint(vid[24:], 16, 64)
	if err != nil {
		f.t.Fatalf("venue order id %q", vid)
	}
	m, _ := f.v.Market("BTC-USDT")
	var o match.Order
	var ok bool
	f.v.Do(func(st *sim.State) { o, ok = st.Engine(m).Order(match.OrderID(id)) })
	return o, ok
}

// TestReplace: place a resting bid, edit its price and size (orders/edit): the OrderAck carries
// the same order and venue order with the new price, quantity and leaves, and the venue's order
// rests with them; a cancel then acknowledges the new leaves. Venue refusals come back as
// Rejects with the edit failure mapped, and leave the order as it was.
func TestReplace(t *testing.T) {
	f := newFixture(t, nil)
	names := intern.New(1024, 1024*40, 0)
	s, c := f.session("edit", f.keys[0], func(cfg *coinbase.Config) { cfg.VenueOrders = names })
	instr := f.btc.Instrument
	tick := f.btc.Tick
	bid, _ := f.best(event.SideBuy)
	p1, q1 := bid-100_000, int64(100_000)
	if err := s.Send(order(instr, 1, event.SideBuy, p1, q1, event.TIFGTC, true)); err != nil {
		t.Fatal(err)
	}
	ack := c.wait(t, event.KindOrderAck, 1, 1)[0].OrderAck()
	vid := string(names.Name(uint32(ack.VenueOrder)))

	p2, q2 := p1-7*tick, int64(300_000)
	if err := s.Send(replace(instr, 1, p2, q2)); err != nil {
		t.Fatal(err)
	}
	acks := c.wait(t, event.KindOrderAck, 1, 2)
	if a := acks[1].OrderAck(); a.Order != 1 || a.VenueOrder != ack.VenueOrder || a.Price != p2 || a.Qty != q2 || a.Leaves != q2 {
		t.Fatalf("edit ack %+v (first %+v)", a, ack)
	}
	if o, ok := f.engineOrder(vid); !ok || !o.Status.Open() || o.Price != p2 || o.Qty != q2 || o.Filled != 0 {
		t.Fatalf("venue order after edit %+v %v", o, ok)
	}

	// Refusals: the order stays as it was.
	ask, _ := f.best(event.SideSell)
	for _, tc := range []struct {
		name        string
		price, qty  int64
		code        string
		reason      event.RejectReason
		wantRejects int
	}{
		{"post-only-crossing", ask + tick, q2, "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY", event.RejectPostOnly, 1},
		{"below-min-notional", 1, 1, "INVALID_EDITED_SIZE", event.RejectQtyFilter, 2},
	} {
		if err := s.Send(replace(instr, 1, tc.price, tc.qty)); err != nil {
			t.Fatal(err)
		}
		rj := c.wait(t, event.KindReject, 1, tc.wantRejects)[tc.wantRejects-1].Reject()
		if rj.Reason != tc.reason || coinbase.CodeName(rj.VenueCode) != tc.code || rj.Parent != 7 {
			t.Fatalf("%s: reject %+v (%s)", tc.name, rj, coinbase.CodeName(rj.VenueCode))
		}
	}
	if o, ok := f.engineOrder(vid); !ok || o.Price != p2 || o.Qty != q2 {
		t.Fatalf("venue order after refused edits %+v %v", o, ok)
	}

	// Size only, down, at the same price: acknowledged; then the cancel reports the new leaves.
	if err := s.Send(replace(instr, 1, p2, q1)); err != nil {
		t.Fatal(err)
	}
	if a := c.wait(t, event.KindOrderAck, 1, 3)[2].OrderAck(); a.Price != p2 || a.Qty != q1 || a.Leaves != q1 {
		t.Fatalf("shrink ack %+v", a)
	}
	if err := s.Send(cancel(instr, 1)); err != nil {
		t.Fatal(err)
	}
	if ca := c.wait(t, event.KindCancelAck, 1, 1)[0].CancelAck(); ca.Leaves != q1 {
		t.Fatalf("cancel ack %+v", ca)
	}
	waitOpen(t, s, 0)
	if n := len(c.match(event.KindFill, 0)); n != 0 {
		t.Fatalf("%d fills", n)
	}
}

// TestReplaceUnknown: an edit of an order the session does not know, or one the venue no longer
// has, is rejected with RejectUnknownOrder.
func TestReplaceUnknown(t *testing.T) {
	f := newFixture(t, nil)
	names := intern.New(1024, 1024*40, 0)
	s, c := f.session("unk", f.keys[0], func(cfg *coinbase.Config) { cfg.VenueOrders = names })
	instr := f.btc.Instrument
	bid, _ := f.best(event.SideBuy)

	// Never placed: refused before sending.
	if err := s.Send(replace(instr, 9, bid-100_000, 100_000)); err != nil {
		t.Fatal(err)
	}
	if rj := c.wait(t, event.KindReject, 9, 1)[0].Reject(); rj.Reason != event.RejectUnknownOrder || rj.VenueCode != 0 {
		t.Fatalf("reject %+v", rj)
	}

	// Gone at the venue (cancelled there behind the session's back): the venue's
	// ORDER_NOT_FOUND, or the session's own refusal when the user channel reported the
	// cancel first; RejectUnknownOrder either way.
	if err := s.Send(order(instr, 1, event.SideBuy, bid-100_000, 100_000, event.TIFGTC, false)); err != nil {
		t.Fatal(err)
	}
	ack := c.wait(t, event.KindOrderAck, 1, 1)[0].OrderAck()
	vid := string(names.Name(uint32(ack.VenueOrder)))
	o, ok := f.engineOrder(vid)
	if !ok {
		t.Fatalf("order %s not at the venue", vid)
	}
	m, _ := f.v.Market("BTC-USDT")
	f.v.Do(func(st *sim.State) {
		if _, err := st.Engine(m).Cancel(o.Account, o.ID, st.Now()); err != nil {
			t.Error(err)
		}
	})
	if err := s.Send(replace(instr, 1, bid-100_001, 200_000)); err != nil {
		t.Fatal(err)
	}
	rj := c.wait(t, event.KindReject, 1, 1)[0].Reject()
	if rj.Reason != event.RejectUnknownOrder || (rj.VenueCode != 0 && coinbase.CodeName(rj.VenueCode) != "ORDER_NOT_FOUND") {
		t.Fatalf("reject %+v (%s)", rj, coinbase.CodeName(rj.VenueCode))
	}
	c.wait(t, event.KindCancelAck, 1, 1)
	waitOpen(t, s, 0)
}

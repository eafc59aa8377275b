package coinbase_test

import (
	"testing"
	"time"

	"ems/core/event"
	"ems/sim"
)

// TestRoundTrip: place → ack → partial fill → fill; cancel → cancel ack, against the simulator.
func TestRoundTrip(t *testing.T) {
	f := newFixture(t, nil)
	a, ca := f.session("alpha", f.keys[0], nil)
	b, _ := f.session("bravo", f.keys[1], nil)
	instr := f.btc.Instrument

	// A buys more than the best ask holds, at the best ask: it takes the level and rests.
	ask, askQty := f.best(event.SideSell)
	qty := askQty + 2_000_000 // + 0.02 BTC
	if err := a.Send(order(instr, 1, event.SideBuy, ask, qty, event.TIFGTC, false)); err != nil {
		t.Fatal(err)
	}
	ack := ca.wait(t, event.KindOrderAck, 1, 1)[0].OrderAck()
	if ack.VenueOrder == 0 || ack.Price != ask || ack.Qty != qty || ack.Leaves != qty {
		t.Fatalf("ack %+v", ack)
	}
	first := ca.wait(t, event.KindFill, 1, 1)[0].Fill()
	if first.Qty != askQty || first.Price != ask || first.Leaves != qty-askQty ||
		first.Liquidity != event.LiquidityTaker || first.Fee <= 0 || first.FeeAsset == 0 || first.VenueOrder != ack.VenueOrder {
		t.Fatalf("first fill %+v (ask %d qty %d)", first, ask, askQty)
	}

	// B sells the rest into A's resting bid.
	rest := qty - askQty
	if err := b.Send(order(instr, 1, event.SideSell, ask, rest, event.TIFIOC, false)); err != nil {
		t.Fatal(err)
	}
	fills := ca.wait(t, event.KindFill, 1, 2)
	last := fills[1].Fill()
	if last.Qty != rest || last.Leaves != 0 || last.Liquidity != event.LiquidityMaker || last.TradeID == first.TradeID {
		t.Fatalf("last fill %+v", last)
	}
	waitOpen(t, a, 0)

	// A rests a bid far below and cancels it.
	bid, _ := f.best(event.SideBuy)
	low := bid - 100_000 // 1000.00 below
	if err := a.Send(order(instr, 2, event.SideBuy, low, 100_000, event.TIFGTC, true)); err != nil {
		t.Fatal(err)
	}
	ca.wait(t, event.KindOrderAck, 2, 1)
	if err := a.Send(cancel(instr, 2)); err != nil {
		t.Fatal(err)
	}
	ca.wait(t, event.KindCancelAck, 2, 1)
	if ack := ca.match(event.KindCancelAck, 2)[0].CancelAck(); ack.Leaves != 100_000 {
		t.Fatalf("cancel ack %+v", ack)
	}
	waitOpen(t, a, 0)
	if n := len(ca.match(event.KindFill, 1)); n != 2 {
		t.Fatalf("%d fills, want 2", n)
	}
	if r := ca.match(event.KindReject, 0); len(r) != 0 {
		t.Fatalf("unexpected rejects %+v", r[0].Reject())
	}
}

// TestIOCRemainder: an IOC that takes one level and cannot fill the rest reports its fill, then
// the cancel of the remainder, in that order.
func TestIOCRemainder(t *testing.T) {
	f := newFixture(t, nil)
	s, c := f.session("ioc", f.keys[0], nil)
	ask, askQty := f.best(event.SideSell)
	qty := askQty + 500_000
	s.Send(order(f.btc.Instrument, 1, event.SideBuy, ask, qty, event.TIFIOC, false))
	c.wait(t, event.KindCancelAck, 1, 1)
	var got []string
	for _, e := range c.all() {
		if orderOf(&e) == 1 {
			got = append(got, e.Kind.String())
		}
	}
	if len(got) != 3 || got[0] != "order_ack" || got[1] != "fill" || got[2] != "cancel_ack" {
		t.Fatalf("events %v, want order_ack fill cancel_ack", got)
	}
	fill := c.match(event.KindFill, 1)[0].Fill()
	ack := c.match(event.KindCancelAck, 1)[0].CancelAck()
	if fill.Qty != askQty || fill.Leaves != 500_000 || ack.Leaves != 500_000 {
		t.Fatalf("fill %+v, cancel ack %+v", fill, ack)
	}
	waitOpen(t, s, 0)
}

// TestDelayedAck: the venue holds the create answer back; the user channel reports the order
// first, and the order is acknowledged once.
func TestDelayedAck(t *testing.T) {
	f := newFixture(t, func(vc *sim.VenueConfig) {
		vc.Faults = []sim.Fault{{Kind: sim.FaultDelayAck, EveryN: 1, Delay: 100 * time.Millisecond}}
	})
	s, c := f.session("dly", f.keys[0], nil)
	bid, _ := f.best(event.SideBuy)
	s.Send(order(f.btc.Instrument, 1, event.SideBuy, bid-100_000, 100_000, event.TIFGTC, false))
	if n := len(c.match(event.KindOrderAck, 1)); n != 1 {
		t.Fatalf("%d acks, want 1", n)
	}
	s.Send(cancel(f.btc.Instrument, 1))
	c.wait(t, event.KindCancelAck, 1, 1)
}

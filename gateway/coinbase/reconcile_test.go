package coinbase_test

import (
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway/coinbase"
	"ems/sim"
)

// TestLostCancelAck: the venue cancels but the answer never comes (the connection closes) and
// the user channel stays silent; the session asks the venue and emits the CancelAck once.
func TestLostCancelAck(t *testing.T) {
	f := newFixture(t, func(vc *sim.VenueConfig) {
		vc.Faults = []sim.Fault{{Kind: sim.FaultLoseCancelAck, EveryN: 1}}
	})
	s, c := f.session("lc", f.keys[0], nil)
	bid, _ := f.best(event.SideBuy)
	s.Send(order(f.btc.Instrument, 1, event.SideBuy, bid-100_000, 100_000, event.TIFGTC, false))
	c.wait(t, event.KindOrderAck, 1, 1)
	s.Send(cancel(f.btc.Instrument, 1))
	ack := c.wait(t, event.KindCancelAck, 1, 1)[0].CancelAck()
	if ack.Leaves != 100_000 {
		t.Fatalf("cancel ack %+v", ack)
	}
	waitOpen(t, s, 0)
	// The order goes on: the keep-alive connection is dialled again.
	s.Send(order(f.btc.Instrument, 2, event.SideBuy, bid-100_000, 100_000, event.TIFGTC, false))
	c.wait(t, event.KindOrderAck, 2, 1)
	if n := len(c.match(event.KindCancelAck, 1)); n != 1 {
		t.Fatalf("%d cancel acks, want 1", n)
	}
}

// TestReconnectReconciles: while the user channel is down, the session refuses orders; a fill
// that happens meanwhile is found by the reconciliation after the reconnect and counted once.
func TestReconnectReconciles(t *testing.T) {
	f := newFixture(t, nil)
	a, ca := f.session("rc", f.keys[0], func(cfg *coinbase.Config) {
		cfg.Reconnect.Initial = 300 * time.Millisecond
		cfg.Reconnect.Max = 300 * time.Millisecond
	})
	b, _ := f.session("rd", f.keys[1], nil)
	instr := f.btc.Instrument
	bid, _ := f.best(event.SideBuy)
	price := bid + 1 // best bid now, below the ask
	a.Send(order(instr, 1, event.SideBuy, price, 300_000, event.TIFGTC, false))
	ca.wait(t, event.KindOrderAck, 1, 1)

	deadline := time.Now().Add(ioTimeout)
	for !disconnected(ca) {
		if time.Now().After(deadline) {
			t.Fatal("no disconnect")
		}
		a.DropUserChannel()
		time.Sleep(5 * time.Millisecond)
	}
	a.Send(order(instr, 2, event.SideBuy, price-100_000, 100_000, event.TIFGTC, false))
	if r := ca.wait(t, event.KindReject, 2, 1)[0].Reject(); r.Reason != event.RejectVenueUnavailable {
		t.Fatalf("order while disconnected: %+v", r)
	}
	b.Send(order(instr, 1, event.SideSell, price, 100_000, event.TIFIOC, false)) // fills a third of A's bid
	fill := ca.wait(t, event.KindFill, 1, 1)[0].Fill()
	if fill.Qty != 100_000 || fill.Leaves != 200_000 || fill.Price != price {
		t.Fatalf("fill %+v", fill)
	}
	deadline = time.Now().Add(ioTimeout)
	for !a.Ready() {
		if time.Now().After(deadline) {
			t.Fatal("not ready again")
		}
		time.Sleep(time.Millisecond)
	}
	a.Send(order(instr, 3, event.SideBuy, price-100_000, 100_000, event.TIFGTC, false))
	ca.wait(t, event.KindOrderAck, 3, 1)
	b.Send(order(instr, 2, event.SideSell, price, 200_000, event.TIFIOC, false)) // the rest, live
	fills := ca.wait(t, event.KindFill, 1, 2)
	if len(fills) != 2 || fills[1].Fill().Leaves != 0 {
		t.Fatalf("fills %d, last %+v", len(fills), fills[len(fills)-1].Fill())
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(ca.match(event.KindFill, 1)); n != 2 {
		t.Fatalf("%d fills, want 2 (no double count)", n)
	}
	if n := len(ca.match(event.KindOrderAck, 1)); n != 1 {
		t.Fatalf("%d acks of order 1, want 1", n)
	}
}

func disconnected(c *collector) bool {
	for _, e := range c.match(event.KindVenueStatus, 0) {
		if e.VenueStatus().State == event.VenueDisconnected {
			return true
		}
	}
	return false
}

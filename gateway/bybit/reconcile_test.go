package bybit_test

import (
	"strings"
	"testing"

	"ems/core/event"
	"ems/sim"
)

// TestReconnectReconcile: the connections drop while an order fills; the session reports
// Disconnected, refuses orders until it has reconnected and reconciled, emits the missed fill
// exactly once (also after a second reconnect), then takes orders again.
func TestReconnectReconcile(t *testing.T) {
	e := newEnv(t)
	e.proxy = newProxy(t, strings.TrimPrefix(e.srv.URL(), "http://"))
	s, rec := e.session("tc", key1, secret1)
	up(t, s)
	bid, _ := e.best(e.spot)
	o1 := order(e.spot, 1, event.SideBuy, bid+50, 100_000) // inside the spread: the best bid
	s.Submit(&o1)
	rec.wait(t, 0, "ack 1", isKind(event.KindOrderAck, 1))
	o2 := order(e.spot, 2, event.SideBuy, bid-100, 100_000)
	s.Submit(&o2)
	rec.wait(t, 0, "ack 2", isKind(event.KindOrderAck, 2))

	e.proxy.pause(true)
	e.proxy.drop()
	_, down := rec.wait(t, 0, "disconnected", isStatus(event.VenueDisconnected))
	o3 := order(e.spot, 3, event.SideBuy, bid-200, 100_000)
	s.Submit(&o3)
	if r, _ := rec.wait(t, 0, "refusal while down", isKind(event.KindReject, 3)); r.Reject().Reason != event.RejectVenueUnavailable {
		t.Fatalf("reject %+v", *r.Reject())
	}

	// Another account fills order 1 while the session is away.
	px := e.proxy
	e.proxy = nil // the counterparty connects directly
	s2, rec2 := e.session("td", key2, secret2)
	e.proxy = px
	up(t, s2)
	sell := order(e.spot, 1, event.SideSell, bid+50, 100_000)
	s2.Submit(&sell)
	rec2.wait(t, 0, "counterparty fill", isKind(event.KindFill, 1))

	e.proxy.pause(false)
	_, back := rec.wait(t, down, "connected again", isStatus(event.VenueConnected))
	f, fi := rec.wait(t, down, "missed fill", isKind(event.KindFill, 1))
	if fi > back {
		t.Fatal("the missed fill came after the session reported itself up")
	}
	if ff := f.Fill(); ff.Qty != 100_000 || ff.Leaves != 0 || ff.Liquidity != event.LiquidityMaker {
		t.Fatalf("missed fill %+v", *ff)
	}
	up(t, s)

	// A second drop: reconciliation sees the same fill and drops it.
	e.proxy.drop()
	_, down2 := rec.wait(t, back, "disconnected again", isStatus(event.VenueDisconnected))
	rec.wait(t, down2, "connected a third time", isStatus(event.VenueConnected))
	up(t, s)
	if n := rec.count(isKind(event.KindFill, 1)); n != 1 {
		t.Fatalf("%d fills of order 1; want 1", n)
	}
	if n := rec.count(isKind(event.KindOrderAck, 2)); n != 1 {
		t.Fatalf("%d acks of order 2; want 1", n)
	}

	// Orders are taken again; order 2 is still tracked and can be cancelled.
	o4 := order(e.spot, 4, event.SideBuy, bid-300, 100_000)
	s.Submit(&o4)
	rec.wait(t, 0, "ack 4", isKind(event.KindOrderAck, 4))
	c := cancel(e.spot, 2)
	s.Submit(&c)
	if ca, _ := rec.wait(t, 0, "cancel ack 2", isKind(event.KindCancelAck, 2)); ca.CancelAck().Leaves != 100_000 {
		t.Fatalf("cancel ack %+v", *ca.CancelAck())
	}
	checkNoSecret(t, rec, secret1)
}

// TestReconcileUnanswered: an order whose answer and reports are lost with the connection is
// acknowledged by reconciliation, once; an order that never reached the venue is rejected
// (RejectVenueUnavailable), once; both before the session reports itself up again.
func TestReconcileUnanswered(t *testing.T) {
	e := newEnv(t)
	e.proxy = newProxy(t, strings.TrimPrefix(e.srv.URL(), "http://"))
	s, rec := e.session("tu", key1, secret1)
	up(t, s)
	bid, _ := e.best(e.spot)

	// Order 1 reaches the venue; nothing comes back.
	e.proxy.blackhole(false, true)
	o1 := order(e.spot, 1, event.SideBuy, bid-100, 100_000)
	s.Submit(&o1)
	deadline := 0
	for open := false; !open; {
		e.v.Do(func(st *sim.State) {
			mk, _ := e.v.MarketIn(e.spot.Segment, e.spot.Symbol)
			open = len(st.Engine(mk).Open(1, nil)) > 0
		})
		if deadline++; deadline > 2500 {
			t.Fatal("order 1 never reached the venue")
		}
		sleepMs(2)
	}
	// Order 2 never reaches it.
	e.proxy.blackhole(true, true)
	o2 := order(e.spot, 2, event.SideBuy, bid-200, 100_000)
	s.Submit(&o2)
	sleepMs(50)
	if rec.count(isKind(event.KindOrderAck, 1))+rec.count(isKind(event.KindReject, 2)) != 0 {
		t.Fatal("answers came through the black hole")
	}
	e.proxy.blackhole(false, false)
	e.proxy.drop()
	_, down := rec.wait(t, 0, "disconnected", isStatus(event.VenueDisconnected))
	_, back := rec.wait(t, down, "connected again", isStatus(event.VenueConnected))
	_, ai := rec.wait(t, down, "ack of 1", isKind(event.KindOrderAck, 1))
	r, ri := rec.wait(t, down, "reject of 2", isKind(event.KindReject, 2))
	if ai > back || ri > back {
		t.Fatal("reconciliation events after the session reported itself up")
	}
	if r.Reject().Reason != event.RejectVenueUnavailable || r.Reject().Parent != 7 {
		t.Fatalf("reject of 2: %+v", *r.Reject())
	}
	up(t, s)
	if rec.count(isKind(event.KindOrderAck, 1)) != 1 || rec.count(isKind(event.KindReject, 2)) != 1 {
		t.Fatalf("events counted twice:%s", rec.dump())
	}
}

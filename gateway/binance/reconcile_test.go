package binance_test

import (
	"context"
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway"
	"ems/gateway/binance"
	"ems/sim"
)

// TestReconnectReconcile: while the session is disconnected, one of its orders is partly filled
// and another is canceled (by a second connection of the same account). Reconnect recovers the
// missed fill from myTrades, refreshes the open order's leaves, acknowledges the cancel, and
// only then reports the venue connected; a second reconnect recovers nothing twice.
func TestReconnectReconcile(t *testing.T) {
	e := newSim(t, sim.RateLimit{})
	m := loadMaster(t)
	instr := btc(t, m)
	rec := &recorder{}
	a, err := binance.NewSession(binance.Config{URL: e.ws, RESTURL: e.base, Credentials: gateway.Credentials{Key: key1, Secret: secret1},
		Prefix: "mk", Master: m, Now: e.clock.Load, NoAutoReconnect: true}, rec.sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	same, _ := e.session(t, "mk", key1, secret1, m, "", binance.Limits{}) // same account and prefix
	taker, _ := e.session(t, "tk", key2, secret2, m, "", binance.Limits{})
	_, ask := e.touch()
	price := ask - 5
	send(t, a, newOrder(instr, 1, event.SideSell, price, 1000, event.TIFGTC, false))
	send(t, a, newOrder(instr, 2, event.SideSell, ask+50, 500, event.TIFGTC, false))
	send(t, a, newOrder(instr, 3, event.SideSell, price, 300, event.TIFGTC, false))
	rec.wait(t, 0, "ack 1", isKind(event.KindOrderAck, 1))
	rec.wait(t, 0, "ack 2", isKind(event.KindOrderAck, 2))
	rec.wait(t, 0, "ack 3", isKind(event.KindOrderAck, 3))
	send(t, taker, newOrder(instr, 1, event.SideBuy, price, 100, event.TIFIOC, false)) // seen live
	seen, _ := rec.wait(t, 0, "live fill", isKind(event.KindFill, 1))

	a.KillConn()
	_, mark := rec.wait(t, 0, "disconnected", isStatus(event.VenueDisconnected))
	send(t, a, newOrder(instr, 9, event.SideSell, price, 100, event.TIFGTC, false))
	if r, _ := rec.wait(t, mark, "refused", isKind(event.KindReject, 9)); r.Reject().Reason != event.RejectVenueUnavailable {
		t.Fatalf("reject %+v", *r.Reject())
	}
	// Missed while disconnected: order 1 fills 400 more (time priority: before order 3), order 2
	// is canceled.
	send(t, taker, newOrder(instr, 2, event.SideBuy, price, 400, event.TIFIOC, false))
	send(t, same, cancelOf(instr, 2))
	waitStat(t, same, func(st binance.Stats) bool { return st.Responses >= 1 })
	waitStat(t, taker, func(st binance.Stats) bool { return st.Responses >= 2 })
	_, mark = rec.wait(t, mark, "refused", isKind(event.KindReject, 9))

	if err := a.Reconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	f, i := rec.wait(t, mark, "recovered fill", isKind(event.KindFill, 1))
	if fl := f.Fill(); fl.Qty != 400 || fl.Leaves != 500 || fl.Price != price || fl.Liquidity != event.LiquidityMaker ||
		fl.TradeID == seen.Fill().TradeID || fl.VenueOrder != seen.Fill().VenueOrder {
		t.Fatalf("recovered fill %+v (live one %+v)", *fl, *seen.Fill())
	}
	ack, _ := rec.wait(t, i, "refreshed ack", isKind(event.KindOrderAck, 1))
	if ack.OrderAck().Leaves != 500 {
		t.Fatalf("ack %+v", *ack.OrderAck())
	}
	ca, _ := rec.wait(t, mark, "cancel ack", isKind(event.KindCancelAck, 2))
	if ca.CancelAck().Leaves != 500 {
		t.Fatalf("cancel ack %+v", *ca.CancelAck())
	}
	rec.wait(t, mark, "ack 3", isKind(event.KindOrderAck, 3))
	_, end := rec.wait(t, mark, "connected", isStatus(event.VenueConnected))
	for _, ev := range rec.all()[mark:end] {
		if ev.Kind == event.KindVenueStatus && ev.VenueStatus().State == event.VenueConnected {
			break
		}
		if ev.Kind == event.KindFill && ev.Fill().Order == 1 && ev.Fill().Qty == 100 {
			t.Fatal("the fill seen live was emitted again")
		}
	}
	// The session trades again.
	send(t, a, newOrder(instr, 10, event.SideSell, ask+60, 100, event.TIFGTC, false))
	rec.wait(t, end, "ack 10", isKind(event.KindOrderAck, 10))

	// A second drop and reconnect with nothing missed: no fill is emitted again.
	a.KillConn()
	_, mark = rec.wait(t, end, "disconnected", isStatus(event.VenueDisconnected))
	if err := a.Reconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, end = rec.wait(t, mark, "connected", isStatus(event.VenueConnected))
	for _, ev := range rec.all()[mark:end] {
		if ev.Kind == event.KindFill || ev.Kind == event.KindCancelAck {
			t.Fatalf("reconciliation repeated %v", ev)
		}
	}
	if st := a.Stats(); st.Reconnects != 2 || st.Recovered != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestLostCancelReconciled: a cancel whose answer never comes (the simulator's lose-cancel-ack
// fault) leaves the order in an unknown state; after a reconnect, order.status settles it and the
// CancelAck is emitted once.
func TestLostCancelReconciled(t *testing.T) {
	e := newSim(t, sim.RateLimit{}, sim.Fault{Kind: sim.FaultLoseCancelAck, At: time.Nanosecond})
	e.clock.Add(int64(time.Millisecond)) // past the one-shot fault's start
	m := loadMaster(t)
	instr := btc(t, m)
	rec := &recorder{}
	a, err := binance.NewSession(binance.Config{URL: e.ws, RESTURL: e.base, Credentials: gateway.Credentials{Key: key1, Secret: secret1},
		Prefix: "lc", Master: m, Now: e.clock.Load, NoAutoReconnect: true}, rec.sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	bid, _ := e.touch()
	send(t, a, newOrder(instr, 1, event.SideBuy, bid-3, 1000, event.TIFGTC, false))
	rec.wait(t, 0, "ack", isKind(event.KindOrderAck, 1))
	send(t, a, cancelOf(instr, 1))
	time.Sleep(100 * time.Millisecond)
	for _, ev := range rec.all() {
		if ev.Kind == event.KindCancelAck {
			t.Fatal("the lost cancel was acknowledged")
		}
	}
	a.KillConn()
	_, mark := rec.wait(t, 0, "disconnected", isStatus(event.VenueDisconnected))
	if st := a.Stats(); st.Unanswered != 1 {
		t.Fatalf("stats %+v", st)
	}
	if err := a.Reconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	ca, _ := rec.wait(t, mark, "cancel ack", isKind(event.KindCancelAck, 1))
	if ca.CancelAck().Leaves != 1000 {
		t.Fatalf("cancel ack %+v", *ca.CancelAck())
	}
	n := 0
	for _, ev := range rec.all() {
		if ev.Kind == event.KindCancelAck {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d cancel acks", n)
	}
}

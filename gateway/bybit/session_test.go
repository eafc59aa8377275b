package bybit_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway/bybit"
	"ems/sim"
)

// TestRoundTrip: place → ack → partial fill → fill (the rest, against another account's order);
// place → cancel → cancel ack.
func TestRoundTrip(t *testing.T) {
	e := newEnv(t)
	s, rec := e.session("ta", key1, secret1)
	up(t, s)
	_, ask, askQty := e.bestQty(e.spot)

	// The ask level's quantity and 0.05 more at the best ask: 0.05 rests as the best bid.
	o := order(e.spot, 1, event.SideBuy, ask, askQty+50_000)
	s.Submit(&o)
	ack, _ := rec.wait(t, 0, "ack", isKind(event.KindOrderAck, 1))
	if a := ack.OrderAck(); a.Price != ask || a.Qty != askQty+50_000 || a.VenueOrder == 0 || ack.Instrument != e.spot.Instrument {
		t.Fatalf("ack %+v", *a)
	}
	f1, i := rec.wait(t, 0, "first fill", isKind(event.KindFill, 1))
	if f := f1.Fill(); f.Qty != askQty || f.Leaves != 50_000 || f.Price != ask || f.Liquidity != event.LiquidityTaker ||
		f.TradeID == 0 || f.Fee <= 0 || f.FeeAsset == 0 || f.VenueOrder != ack.OrderAck().VenueOrder {
		t.Fatalf("first fill %+v", *f)
	}

	// Another account sells 0.05 at that price: our resting remainder fills as maker.
	s2, rec2 := e.session("tb", key2, secret2)
	up(t, s2)
	o2 := order(e.spot, 1, event.SideSell, ask, 50_000)
	s2.Submit(&o2)
	rec2.wait(t, 0, "counterparty fill", isKind(event.KindFill, 1))
	f2, _ := rec.wait(t, i+1, "second fill", isKind(event.KindFill, 1))
	if f := f2.Fill(); f.Qty != 50_000 || f.Leaves != 0 || f.Liquidity != event.LiquidityMaker || f.TradeID == f1.Fill().TradeID {
		t.Fatalf("second fill %+v", *f)
	}

	// A passive order, cancelled.
	bid, _ := e.best(e.spot)
	o3 := order(e.spot, 2, event.SideBuy, bid-100, 100_000)
	s.Submit(&o3)
	rec.wait(t, 0, "ack 2", isKind(event.KindOrderAck, 2))
	c := cancel(e.spot, 2)
	s.Submit(&c)
	ca, _ := rec.wait(t, 0, "cancel ack", isKind(event.KindCancelAck, 2))
	if ca.CancelAck().Leaves != 100_000 {
		t.Fatalf("cancel ack %+v", *ca.CancelAck())
	}
	if n := rec.count(isKind(event.KindOrderAck, 1)); n != 1 {
		t.Fatalf("%d acks of order 1", n)
	}

	// Linear: a market buy of the ask level's quantity fills at the ask. The fee (quote asset)
	// is at the price scale (one decimal on linear BTCUSDT), truncated.
	_, pask, pqty := e.bestQty(e.perp)
	m := order(e.perp, 3, event.SideBuy, 0, pqty)
	m.Order().Type = event.OrderMarket
	s.Submit(&m)
	pf, _ := rec.wait(t, 0, "linear fill", isKind(event.KindFill, 3))
	if f := pf.Fill(); f.Qty != pqty || f.Price != pask || f.Leaves != 0 || f.Fee <= 0 {
		t.Fatalf("linear fill %+v", *f)
	}
}

// TestRejects: every venue refusal the gateway maps, and the gateway's own.
func TestRejects(t *testing.T) {
	e := newEnv(t)
	s, rec := e.session("tr", key1, secret1)
	up(t, s)
	bid, ask := e.best(e.spot)
	eth, _ := e.m.ByName("ETH-USDT") // listed on Bybit in the master, not served by this venue
	ethListing, _ := eth.Listing(4)
	noBybit, _ := e.m.ByName("BTC-USD") // no Bybit listing at all

	post := order(e.spot, 14, event.SideBuy, ask, 100_000)
	post.Order().PostOnly = true
	unknownSym := order(ethListing, 11, event.SideBuy, 300_000, 1000)
	noListing := order(e.spot, 18, event.SideBuy, bid-100, 100_000)
	if noBybit != nil {
		noListing.Instrument = noBybit.ID
	}
	fok := order(e.spot, 16, event.SideBuy, ask, 10_000_000) // more than the ask level holds
	fok.Order().TIF = event.TIFFOK
	for _, c := range []struct {
		name   string
		ev     event.Event
		id     event.OrderID
		reason event.RejectReason
		code   int64
	}{
		{"unknown symbol", unknownSym, 11, event.RejectUnknownSymbol, bybit.CodeSpotSymbol},
		{"off tick", order(e.spot, 12, event.SideBuy, bid-101, 100_000), 12, event.RejectPriceFilter, bybit.CodeSpotPriceDec},
		{"off lot", order(e.spot, 13, event.SideBuy, bid-100, 100_001), 13, event.RejectQtyFilter, bybit.CodeSpotQtyDec},
		{"below min qty", order(e.spot, 17, event.SideBuy, bid-100, 10), 17, event.RejectQtyFilter, bybit.CodeSpotQtyMin},
		{"min notional", order(e.spot, 15, event.SideBuy, 1000, 50), 15, event.RejectMinNotional, bybit.CodeSpotAmountMin},
		{"post-only crossing", post, 14, event.RejectPostOnly, bybit.CodeECPostOnly},
		{"fill or kill", fok, 16, event.RejectFOK, bybit.CodeECNoFullFil},
		{"unknown order", cancel(e.spot, 99), 99, event.RejectUnknownOrder, bybit.CodeSpotNotExist},
		{"linear min notional", order(e.perp, 21, event.SideBuy, 10000, 1), 21, event.RejectMinNotional, bybit.CodeMinValue},
		{"linear unknown order", cancel(e.perp, 98), 98, event.RejectUnknownOrder, bybit.CodeOrderNotExist},
		{"no Bybit listing", noListing, 18, event.RejectUnknownSymbol, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s.Submit(&c.ev)
			r, _ := rec.wait(t, 0, "reject", isKind(event.KindReject, c.id))
			if rj := r.Reject(); rj.Reason != c.reason || rj.VenueCode != c.code {
				t.Fatalf("reject %+v, want reason %v code %d", *rj, c.reason, c.code)
			}
			if c.code > 0 && r.Reject().Parent != 7 && c.ev.Kind == event.KindNewOrder {
				t.Fatalf("reject parent %d", r.Reject().Parent)
			}
		})
	}
}

// TestBadSignature: a wrong secret is refused at auth (10004); the session stays down and
// refuses orders, and the secret appears in no output.
func TestBadSignature(t *testing.T) {
	e := newEnv(t)
	const wrong = "not-the-secret-8d1f0c"
	s, rec := e.session("ts", key1, wrong)
	deadline := 0
	for !strings.Contains(rec.logText(), "auth refused (retCode 10004)") {
		if deadline++; deadline > 2500 {
			t.Fatalf("no auth refusal in the log: %q", rec.logText())
		}
		sleepMs(2)
	}
	o := order(e.spot, 1, event.SideBuy, 100_000, 100_000)
	s.Submit(&o)
	r, _ := rec.wait(t, 0, "reject", isKind(event.KindReject, 1))
	if r.Reject().Reason != event.RejectVenueUnavailable {
		t.Fatalf("reject %+v", *r.Reject())
	}
	if s.Up() {
		t.Fatal("session up with a wrong secret")
	}
	checkNoSecret(t, rec, wrong)
}

// checkNoSecret fails when secret appears in the session's log or events.
func checkNoSecret(t *testing.T, rec *recorder, secret string) {
	t.Helper()
	if strings.Contains(rec.logText(), secret) || strings.Contains(rec.dump(), secret) {
		t.Fatal("secret in the session's output")
	}
}

// TestRateLimit: the venue's 10006 is mapped and backed off from (later requests refused
// locally while the back-off lasts), and the local budget refuses without sending.
func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(vc *sim.VenueConfig) {
		vc.RateLimit = sim.RateLimit{Orders: 3, OrderWindow: 10e9}
	})
	s, rec := e.session("tl", key1, secret1)
	up(t, s)
	bid, _ := e.best(e.spot)
	for i := event.OrderID(1); i <= 4; i++ {
		o := order(e.spot, i, event.SideBuy, bid-100*int64(i), 100_000)
		s.Submit(&o)
		if i <= 3 {
			rec.wait(t, 0, "ack", isKind(event.KindOrderAck, i))
		}
	}
	r, _ := rec.wait(t, 0, "venue throttle", isKind(event.KindReject, 4))
	if rj := r.Reject(); rj.Reason != event.RejectRateLimit || rj.VenueCode != bybit.CodeTooManyVisits {
		t.Fatalf("reject %+v", *rj)
	}
	rec.wait(t, 0, "throttled status", isStatus(event.VenueThrottled))
	o := order(e.spot, 5, event.SideBuy, bid-600, 100_000)
	s.Submit(&o)
	r, _ = rec.wait(t, 0, "local refusal", isKind(event.KindReject, 5))
	if rj := r.Reject(); rj.Reason != event.RejectRateLimit || rj.VenueCode != 0 {
		t.Fatalf("back-off reject %+v", *rj)
	}

	// The local budget: 2 per second.
	e2 := newEnv(t)
	s2, rec2 := e2.session("tm", key1, secret1, func(c *bybit.Config) { c.Limits.SpotOrders = 2 })
	up(t, s2)
	for i := event.OrderID(1); i <= 3; i++ {
		o := order(e2.spot, i, event.SideBuy, bid-100*int64(i), 100_000)
		s2.Submit(&o)
	}
	rec2.wait(t, 0, "ack 2", isKind(event.KindOrderAck, 2))
	r, _ = rec2.wait(t, 0, "local limit", isKind(event.KindReject, 3))
	if rj := r.Reject(); rj.Reason != event.RejectRateLimit || rj.VenueCode != 0 {
		t.Fatalf("local reject %+v", *rj)
	}
	rec2.wait(t, 0, "throttled status", isStatus(event.VenueThrottled))
	checkNoSecret(t, rec, secret1)
	checkNoSecret(t, rec2, secret1)
}

// TestSharedLimiter: two sessions of one account (distinct prefixes) share one Limiter: the first
// session's orders use up the budget, and the second session's next order is refused locally
// (RejectRateLimit, VenueCode 0, VenueThrottled) and never reaches the venue.
func TestSharedLimiter(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	seen := map[uint64]bool{} // venue order ids of account 1
	unsub := e.v.OrderEvents(1, func(oe sim.OrderEvent) {
		mu.Lock()
		seen[uint64(oe.Order.ID)] = true
		mu.Unlock()
	})
	defer unsub()
	arrived := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(seen)
	}
	lim := bybit.NewLimiter(bybit.Limits{SpotOrders: 3, Window: time.Hour})
	share := func(c *bybit.Config) { c.Limiter = lim; c.Limits.SpotOrders = 1000 }
	a, recA := e.session("sa", key1, secret1, share)
	b, recB := e.session("sb", key1, secret1, share)
	up(t, a)
	up(t, b)
	bid, _ := e.best(e.spot)
	for i := event.OrderID(1); i <= 2; i++ {
		o := order(e.spot, i, event.SideBuy, bid-100*int64(i), 100_000)
		a.Submit(&o)
		recA.wait(t, 0, "ack", isKind(event.KindOrderAck, i))
	}
	o := order(e.spot, 11, event.SideBuy, bid-300, 100_000)
	b.Submit(&o)
	recB.wait(t, 0, "ack", isKind(event.KindOrderAck, 11))
	o = order(e.spot, 12, event.SideBuy, bid-400, 100_000)
	b.Submit(&o)
	r, _ := recB.wait(t, 0, "local refusal", isKind(event.KindReject, 12))
	if rj := r.Reject(); rj.Reason != event.RejectRateLimit || rj.VenueCode != 0 {
		t.Fatalf("second session's order past the shared budget: %+v", *rj)
	}
	recB.wait(t, 0, "throttled status", isStatus(event.VenueThrottled))
	o = order(e.spot, 3, event.SideBuy, bid-500, 100_000)
	a.Submit(&o)
	r, _ = recA.wait(t, 0, "local refusal", isKind(event.KindReject, 3))
	if rj := r.Reject(); rj.Reason != event.RejectRateLimit || rj.VenueCode != 0 {
		t.Fatalf("first session's order past the shared budget: %+v", *rj)
	}
	deadline := time.Now().Add(5 * time.Second)
	for arrived() < 3 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	if n := arrived(); n != 3 {
		t.Fatalf("%d orders reached the venue, want 3 (the refused ones must not be sent)", n)
	}
	if n := recB.count(isKind(event.KindOrderAck, 12)) + recA.count(isKind(event.KindOrderAck, 3)); n != 0 {
		t.Fatalf("a refused order was acknowledged: %s%s", recA.dump(), recB.dump())
	}
	checkNoSecret(t, recA, secret1)
	checkNoSecret(t, recB, secret1)
}

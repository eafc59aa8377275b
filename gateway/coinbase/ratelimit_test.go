package coinbase_test

import (
	"testing"
	"time"

	"ems/core/event"
	"ems/gateway/coinbase"
	"ems/sim"
)

// throttled counts the VenueThrottled statuses.
func throttled(c *collector) int {
	n := 0
	for _, e := range c.match(event.KindVenueStatus, 0) {
		if s := e.VenueStatus(); s.State == event.VenueThrottled && s.Reason == event.VenueReasonRateLimit {
			n++
		}
	}
	return n
}

// TestVenueRateLimit: the venue's 429 becomes a Reject (RESOURCE_EXHAUSTED) and a throttled
// status; the session then backs off (refusing locally, VenueCode 0) until the back-off has
// passed, and sends again after it.
func TestVenueRateLimit(t *testing.T) {
	const venueLimit = 5
	f := newFixture(t, func(vc *sim.VenueConfig) {
		vc.RateLimit = sim.RateLimit{Weight: venueLimit, Window: time.Second, Orders: venueLimit, OrderWindow: time.Second}
	})
	s, c := f.session("rl", f.keys[0], nil) // the client budget (30/s) is above the venue's
	bid, _ := f.best(event.SideBuy)
	send := func(id event.OrderID) {
		t.Helper()
		if err := s.Send(order(f.btc.Instrument, id, event.SideBuy, bid-100_000, 100_000, event.TIFGTC, false)); err != nil {
			t.Fatal(err)
		}
	}
	for id := event.OrderID(1); id <= venueLimit; id++ {
		send(id)
		c.wait(t, event.KindOrderAck, id, 1)
	}
	send(6)
	r := c.wait(t, event.KindReject, 6, 1)[0].Reject()
	if r.Reason != event.RejectRateLimit || coinbase.CodeName(r.VenueCode) != "RESOURCE_EXHAUSTED" {
		t.Fatalf("reject %+v", r)
	}
	if throttled(c) != 1 {
		t.Fatalf("%d throttled statuses, want 1", throttled(c))
	}
	send(7) // within the back-off: refused without asking the venue
	r = c.wait(t, event.KindReject, 7, 1)[0].Reject()
	if r.Reason != event.RejectRateLimit || r.VenueCode != 0 || throttled(c) != 2 {
		t.Fatalf("reject %+v, %d throttled", r, throttled(c))
	}
	f.advance(1100 * time.Millisecond) // past the back-off; the venue's bucket has refilled
	send(8)
	c.wait(t, event.KindOrderAck, 8, 1)
}

// TestClientRateLimit: the session's own budget refuses before the venue would.
func TestClientRateLimit(t *testing.T) {
	f := newFixture(t, nil) // the venue does not limit
	s, c := f.session("cl", f.keys[0], func(cfg *coinbase.Config) {
		cfg.Limits = coinbase.Limits{Requests: 3, Orders: 3}
	})
	bid, _ := f.best(event.SideBuy)
	for id := event.OrderID(1); id <= 4; id++ {
		s.Send(order(f.btc.Instrument, id, event.SideBuy, bid-100_000, 100_000, event.TIFGTC, false))
	}
	if n := len(c.match(event.KindOrderAck, 0)); n != 3 {
		t.Fatalf("%d acks, want 3", n)
	}
	r := c.wait(t, event.KindReject, 4, 1)[0].Reject()
	if r.Reason != event.RejectRateLimit || r.VenueCode != 0 || throttled(c) != 1 {
		t.Fatalf("reject %+v, %d throttled", r, throttled(c))
	}
	f.advance(400 * time.Millisecond) // one request's refill (3 per second)
	s.Send(order(f.btc.Instrument, 5, event.SideBuy, bid-100_000, 100_000, event.TIFGTC, false))
	c.wait(t, event.KindOrderAck, 5, 1)
}

// TestSharedLimiter: two sessions of one API key (distinct prefixes) share one Limiter: the first
// session's orders use up the budget, and the second session's next order is refused locally
// (RejectRateLimit, VenueCode 0, VenueThrottled) and never reaches the venue.
func TestSharedLimiter(t *testing.T) {
	f := newFixture(t, nil) // the venue does not limit
	lim := coinbase.NewLimiter(coinbase.Limits{Requests: 3, Orders: 3})
	share := func(cfg *coinbase.Config) {
		cfg.Limiter = lim
		cfg.Limits = coinbase.Limits{Requests: 1000, Orders: 1000} // ignored: Limiter is set
	}
	a, ca := f.session("sa", f.keys[0], share)
	b, cb := f.session("sb", f.keys[0], share)
	bid, _ := f.best(event.SideBuy)
	send := func(s *coinbase.Session, id event.OrderID) {
		t.Helper()
		if err := s.Send(order(f.btc.Instrument, id, event.SideBuy, bid-100_000*int64(id), 100_000, event.TIFGTC, false)); err != nil {
			t.Fatal(err)
		}
	}
	send(a, 1)
	send(a, 2)
	send(b, 11)
	ca.wait(t, event.KindOrderAck, 2, 1)
	cb.wait(t, event.KindOrderAck, 11, 1)
	send(b, 12)
	r := cb.wait(t, event.KindReject, 12, 1)[0].Reject()
	if r.Reason != event.RejectRateLimit || r.VenueCode != 0 || throttled(cb) != 1 {
		t.Fatalf("second session's order past the shared budget: reject %+v, %d throttled", r, throttled(cb))
	}
	send(a, 3)
	r = ca.wait(t, event.KindReject, 3, 1)[0].Reject()
	if r.Reason != event.RejectRateLimit || r.VenueCode != 0 || throttled(ca) != 1 {
		t.Fatalf("first session's order past the shared budget: reject %+v, %d throttled", r, throttled(ca))
	}
	m, _ := f.v.Market("BTC-USDT")
	var open int
	f.v.Do(func(st *sim.State) { open = len(st.Engine(m).Open(f.keys[0].Account, nil)) })
	if open != 3 {
		t.Fatalf("%d orders reached the venue, want 3 (the refused ones must not be sent)", open)
	}
	f.advance(400 * time.Millisecond) // one request's refill (3 per second), for either session
	send(b, 13)
	cb.wait(t, event.KindOrderAck, 13, 1)
	send(a, 4)
	if r := ca.wait(t, event.KindReject, 4, 1)[0].Reject(); r.Reason != event.RejectRateLimit {
		t.Fatalf("the refill was spent twice: reject %+v", r)
	}
}

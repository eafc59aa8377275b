package bybit_test

import (
	"strings"
	"testing"

	"ems/core/event"
	"ems/core/instrument"
	"ems/gateway/bybit"
	"ems/sim"
	"ems/sim/match"
)

// replace builds a replace event.
func replace(l *instrument.Listing, id event.OrderID, price, qty int64) event.Event {
	e := event.Event{Kind: event.KindReplace, Venue: instrument.VenueBybit, Instrument: l.Instrument}
	r := e.Replace()
	r.Order, r.Parent, r.Price, r.Qty = id, 7, price, qty
	return e
}

// resting returns account 1's open orders on a listing's market.
func (e *env) resting(l *instrument.Listing) []match.Order {
	mk, ok := e.v.MarketIn(l.Segment, l.Symbol)
	if !ok {
		e.t.Fatalf("no market %s", l.Symbol)
	}
	var open []match.Order
	e.v.Do(func(st *sim.State) { open = st.Engine(mk).Open(1, nil) })
	return open
}

// TestAmend: per category, place → ack; amend price and size → an OrderAck with the new price,
// qty and leaves and the same venue order; the order rests amended at the venue under the same
// id (one OrderAck per amend, whether the answer or the order stream comes first); a size-only
// amend; cancel → CancelAck with the amended leaves.
func TestAmend(t *testing.T) {
	e := newEnv(t)
	s, rec := e.session("tm", key1, secret1)
	up(t, s)
	for i, l := range []*instrument.Listing{e.spot, e.perp} {
		t.Run("segment="+l.Segment.String(), func(t *testing.T) {
			id := event.OrderID(30 + i)
			bid, _ := e.best(l)
			o := order(l, id, event.SideBuy, bid-100, 100_000)
			s.Submit(&o)
			ack, at := rec.wait(t, 0, "ack", isKind(event.KindOrderAck, id))
			venue := ack.OrderAck().VenueOrder

			r := replace(l, id, bid-200, 200_000)
			s.Submit(&r)
			a2, at2 := rec.wait(t, at+1, "amend ack", isKind(event.KindOrderAck, id))
			if a := a2.OrderAck(); a.Price != bid-200 || a.Qty != 200_000 || a.Leaves != 200_000 ||
				a.VenueOrder != venue || a2.Instrument != l.Instrument {
				t.Fatalf("amend ack %+v (first ack venue order %d)", *a, venue)
			}
			r = replace(l, id, bid-200, 150_000)
			s.Submit(&r)
			a3, _ := rec.wait(t, at2+1, "size amend ack", isKind(event.KindOrderAck, id))
			if a := a3.OrderAck(); a.Price != bid-200 || a.Qty != 150_000 || a.Leaves != 150_000 || a.VenueOrder != venue {
				t.Fatalf("size amend ack %+v", *a)
			}
			open := e.resting(l)
			if len(open) != 1 || open[0].Price != bid-200 || open[0].Qty != 150_000 || open[0].Filled != 0 {
				t.Fatalf("resting after the amends: %+v", open)
			}

			c := cancel(l, id)
			s.Submit(&c)
			if ca, _ := rec.wait(t, 0, "cancel ack", isKind(event.KindCancelAck, id)); ca.CancelAck().Leaves != 150_000 {
				t.Fatalf("cancel ack %+v", *ca.CancelAck())
			}
			if n := rec.count(isKind(event.KindOrderAck, id)); n != 3 {
				t.Fatalf("%d acks of order %d, want 3:\n%s", n, id, rec.dump())
			}
			if n := rec.count(isKind(event.KindReject, id)); n != 0 {
				t.Fatalf("%d rejects of order %d:\n%s", n, id, rec.dump())
			}
		})
	}
}

// TestAmendRejects: an amend the venue refuses leaves the order as it was: an off-tick price on
// spot (170134, RejectPriceFilter), a value below the minimum on linear (110094,
// RejectMinNotional); an order the venue no longer has (cancelled, the order stream's report
// held back) gets RejectUnknownOrder with the category's code (170213 spot, 110001 linear). An
// amend of an order the gateway does not track is refused without being sent.
func TestAmendRejects(t *testing.T) {
	for i, tc := range []struct {
		spot       bool
		bad        func(bid int64) (price, qty int64)
		reason     event.RejectReason
		code, gone int64
	}{
		{true, func(bid int64) (int64, int64) { return bid - 101, 100_000 }, event.RejectPriceFilter,
			bybit.CodeSpotPriceDec, bybit.CodeSpotNotExist},
		{false, func(int64) (int64, int64) { return 10000, 1 }, event.RejectMinNotional,
			bybit.CodeMinValue, bybit.CodeOrderNotExist},
	} {
		e := newEnv(t)
		l := e.perp
		if tc.spot {
			l = e.spot
		}
		t.Run("segment="+l.Segment.String(), func(t *testing.T) {
			p := newProxy(t, strings.TrimPrefix(e.srv.URL(), "http://"))
			s, rec := e.session("tk", key1, secret1, func(c *bybit.Config) { c.PrivateURL = p.ws() + "/v5/private" })
			up(t, s)

			r := replace(l, 99, 100, 100_000)
			s.Submit(&r)
			rj, _ := rec.wait(t, 0, "untracked", isKind(event.KindReject, 99))
			if x := rj.Reject(); x.Reason != event.RejectUnknownOrder || x.VenueCode != 0 {
				t.Fatalf("untracked amend reject %+v", *x)
			}

			id := event.OrderID(40 + i)
			bid, _ := e.best(l)
			o := order(l, id, event.SideBuy, bid-100, 100_000)
			s.Submit(&o)
			rec.wait(t, 0, "ack", isKind(event.KindOrderAck, id))

			price, qty := tc.bad(bid)
			r = replace(l, id, price, qty)
			s.Submit(&r)
			rj, at := rec.wait(t, 0, "refused amend", isKind(event.KindReject, id))
			if x := rj.Reject(); x.Reason != tc.reason || x.VenueCode != tc.code || x.Parent != 7 {
				t.Fatalf("refused amend %+v", *x)
			}
			open := e.resting(l)
			if len(open) != 1 || open[0].Price != bid-100 || open[0].Qty != 100_000 {
				t.Fatalf("resting after the refused amend: %+v", open)
			}

			// Hold back the order stream, cancel, then amend: the venue no longer has the
			// order, the gateway still tracks it.
			p.blackhole(false, true)
			c := cancel(l, id)
			s.Submit(&c)
			r = replace(l, id, bid-200, 100_000)
			s.Submit(&r)
			rj, _ = rec.wait(t, at+1, "unknown-order reject", isKind(event.KindReject, id))
			if x := rj.Reject(); x.Reason != event.RejectUnknownOrder || x.VenueCode != tc.gone || x.Parent != 7 {
				t.Fatalf("unknown-order amend reject %+v", *x)
			}
			if open := e.resting(l); len(open) != 0 {
				t.Fatalf("order still resting after the cancel: %+v", open)
			}
		})
	}
}

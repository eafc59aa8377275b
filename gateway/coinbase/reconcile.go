package coinbase

import (
	"bytes"
	"fmt"
	"time"

	"ems/core/event"
	"ems/core/fixed"
)

// Order updates, fills and reconciliation. One path serves the user channel's updates and the
// REST order list: an update acknowledges the order once, a grown cumulative quantity fetches the
// order's fills (orders/historical/fills: exact price, size, commission, trade id, liquidity)
// and emits the new ones, and a terminal status finishes the order (CancelAck with the leaves for
// CANCELLED, EXPIRED and FAILED). Fills are de-duplicated by (trade id, venue order) in a bounded
// set, so the same fill seen through the user channel, a reconciliation and a retry counts once;
// a fill's Leaves is the order's quantity less the fills emitted so far.

// applyUpdate applies one order's state as the venue reports it.
func (s *Session) applyUpdate(sd *side, u *OrderUpdate) {
	id, ok := ClientOrder(s.cfg.Prefix, u.ClientID)
	if !ok {
		return // another session's order, or one placed by hand
	}
	s.mu.Lock()
	st := s.orders.get(id)
	if st == nil {
		s.mu.Unlock()
		return // finished, or never ours
	}
	if u.Status != StatusFailed && u.Status != StatusUnknown && len(u.VenueOrder) > 0 {
		s.ack(sd, st, u.VenueOrder, s.now())
	}
	need := s.parseQty(st.market, u.CumQty) > st.filled
	s.flush(sd)
	s.mu.Unlock()
	if need && len(u.VenueOrder) > 0 {
		s.fetchFills(sd, id, u.VenueOrder)
	}
	if !u.Status.Terminal() {
		return
	}
	s.mu.Lock()
	if st := s.orders.get(id); st != nil {
		s.finish(sd, st, u.Status)
	}
	s.flush(sd)
	s.mu.Unlock()
}

// finish ends st on a terminal status. REQUIRES: s.mu.
func (s *Session) finish(sd *side, st *orderState, status OrderStatus) {
	switch {
	case status == StatusFilled && st.filled < st.qty && (st.editQty == 0 || st.filled < st.editQty):
		// Fills not all seen yet (of the quantity, or of the new quantity of an edit in
		// flight): keep the order for the next update or reconciliation.
		return
	case status == StatusFilled:
	case !st.acked:
		s.reject(sd, st.instrument, st.id, st.parent, 0, event.RejectUnknown)
	default:
		e := s.header(sd, event.KindCancelAck, st.instrument)
		*e.CancelAck() = event.CancelAck{Order: st.id, Leaves: max(st.qty-st.filled, 0)}
	}
	s.orders.remove(st.id)
}

// fetchFills reads the fills of venue order venueOrder (order id) and emits the new ones.
func (s *Session) fetchFills(sd *side, id event.OrderID, venueOrder []byte) {
	now := s.now()
	s.mu.Lock()
	s.lim.force(now) // fills are never skipped for the budget
	s.mu.Unlock()
	req, err := sd.enc.AppendFillsQuery(sd.req[:0], venueOrder, s.cfg.FillsLimit, now/int64(time.Second))
	sd.req = req
	if err != nil {
		return
	}
	status, body, err := sd.http.roundTrip(req)
	if err != nil {
		return // the next update or reconciliation asks again
	}
	fills, _, err := sd.fp.ParseFills(status, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if status == 429 {
		s.lim.throttled(now)
		s.status(sd, event.VenueThrottled, event.VenueReasonRateLimit)
		s.flush(sd)
		return
	}
	st := s.orders.get(id)
	if err != nil || st == nil {
		return
	}
	l := s.markets[st.market].Listing
	for i := len(fills) - 1; i >= 0; i-- { // oldest first
		f := &fills[i]
		if !bytes.Equal(f.VenueOrder, venueOrder) {
			continue
		}
		price, err1 := fixed.Parse(f.Price, l.PriceScale)
		qty, err2 := fixed.Parse(f.Size, l.QtyScale)
		fee, err3 := fixed.Parse(f.Commission, l.PriceScale)
		if err1 != nil || err2 != nil || qty <= 0 {
			continue
		}
		if err3 != nil {
			fee = 0
		}
		if !s.trades.add(mix(f.TradeID) ^ uint64(st.venue)) {
			continue
		}
		st.filled += qty
		e := s.header(sd, event.KindFill, st.instrument)
		*e.Fill() = event.Fill{Order: st.id, VenueOrder: st.venue, Price: price, Qty: qty, Fee: fee,
			TradeID: f.TradeID, Leaves: max(st.qty-st.filled, 0), Liquidity: f.Liquidity,
			FeeAsset: s.feeAsset[st.market]}
	}
	s.flush(sd)
}

// reconcile asks the venue for the account's recent orders (orders/historical/batch, newest
// first, up to 1000) and applies each of this Session's: missed acknowledgements, fills and
// terminal states are caught up, each counted once. An order the Session sent but the venue does
// not list (its create request got no answer, or got lost) never reached it: it is refused with
// RejectVenueUnavailable. Orders whose create request is still in flight are left alone.
func (s *Session) reconcile(sd *side) error {
	now := s.now()
	s.mu.Lock()
	s.lim.force(now)
	s.gen++
	gen := s.gen
	s.mu.Unlock()
	req, err := sd.enc.AppendOrdersQuery(sd.req[:0], nil, now/int64(time.Second))
	sd.req = req
	if err != nil {
		return err
	}
	status, body, err := sd.http.roundTrip(req)
	if err != nil {
		return err
	}
	list, fail, err := sd.p.ParseOrders(status, body)
	if err != nil {
		return err
	}
	if status != 200 {
		return fmt.Errorf("coinbase: reconcile: HTTP %d %s", status, fail.Code)
	}
	for i := range list {
		u := &list[i]
		if id, ok := ClientOrder(s.cfg.Prefix, u.ClientID); ok {
			s.mu.Lock()
			if st := s.orders.get(id); st != nil {
				st.seen = gen
			}
			s.mu.Unlock()
			s.applyUpdate(sd, u)
		}
	}
	s.mu.Lock()
	lost := s.lost[:0]
	s.orders.each(func(st *orderState) {
		if st.seen != gen && !st.inflight && !st.acked {
			s.reject(sd, st.instrument, st.id, st.parent, 0, event.RejectVenueUnavailable)
			lost = append(lost, st.id)
		}
	})
	for _, id := range lost {
		s.orders.remove(id)
	}
	s.lost = lost
	s.flush(sd)
	s.mu.Unlock()
	return nil
}
